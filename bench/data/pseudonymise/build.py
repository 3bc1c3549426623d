"""Our development set for the pseudonymiser: decisions written by us (fictional), marked up by
hand as `[[LABEL|text]]`, turned into the scorer's gold format.

    .venv/bin/python bench/data/pseudonymise/build.py            # writes gold.jsonl beside it
    .venv/bin/python bench/data/pseudonymise/build.py --check    # only checks the markup

One file per decision, `fr/*.txt` or `ar/*.txt`; the id is `ours-<lang>-<file stem>`. Labels:
PERSON, ADDRESS, ID_NUMBER, PHONE, EMAIL, BIRTH_DATE, BANK_ACCOUNT, PLATE, ORG_IDENTIFYING.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = {
    "PERSON",
    "ADDRESS",
    "ID_NUMBER",
    "PHONE",
    "EMAIL",
    "BIRTH_DATE",
    "BANK_ACCOUNT",
    "PLATE",
    "ORG_IDENTIFYING",
}
MARK = re.compile(r"\[\[([A-Z_]+)\|([^\[\]|]+)\]\]")


def parse(marked: str, where: str) -> tuple[str, list[dict]]:
    text, entities, position = [], [], 0
    length = 0
    for match in MARK.finditer(marked):
        before = marked[position : match.start()]
        text.append(before)
        length += len(before)
        label, value = match.group(1), match.group(2)
        if label not in LABELS:
            raise ValueError(f"{where}: unknown label {label}")
        entities.append(
            {"start": length, "end": length + len(value), "label": label, "text": value}
        )
        text.append(value)
        length += len(value)
        position = match.end()
    rest = marked[position:]
    if "[[" in rest or "]]" in rest:
        raise ValueError(f"{where}: unbalanced markup near {rest[rest.find('[[') :][:40]!r}")
    text.append(rest)
    return "".join(text), entities


def documents() -> list[dict]:
    docs = []
    for lang in ("fr", "ar"):
        for path in sorted((HERE / lang).glob("*.txt")):
            marked = path.read_text(encoding="utf-8")
            text, entities = parse(marked, str(path))
            docs.append(
                {"id": f"ours-{lang}-{path.stem}", "lang": lang, "text": text, "entities": entities}
            )
    return docs


def main() -> None:
    docs = documents()
    if "--check" not in sys.argv:
        with (HERE / "gold.jsonl").open("w", encoding="utf-8") as out:
            for doc in docs:
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    counts = {}
    for doc in docs:
        counts[doc["lang"]] = counts.get(doc["lang"], 0) + 1
    print(f"{len(docs)} documents {counts}, {sum(len(d['entities']) for d in docs)} entities")


if __name__ == "__main__":
    main()

"""Bench-book search latency at 100,000 provisions: the full-text search against a naive
`icontains` search, side by side in one run. Prints p50 and p95 of each.

Run: .venv/bin/python bench/search_speed.py [N]   (N provisions, default 100000)"""

import random
import statistics
import sys
import time

from _common import ROOT, setup_django

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
QUERIES = 200


def real_vocabulary():
    """Words of the curriculum's real module texts, per language, most frequent first."""
    from collections import Counter

    import yaml

    counts = {"fr": Counter(), "ar": Counter(), "en": Counter()}
    for path in sorted((ROOT / "content" / "curriculum" / "modules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for language, counter in counts.items():
            counter.update(w.strip(".,;:()«»\"'*#-–") for w in data["content"][language].split())
    return {
        lang: [w for w, _n in counter.most_common() if len(w) > 2]
        for lang, counter in counts.items()
    }


class Zipf:
    """Draws words with probability proportional to 1/rank, as words fall in real text."""

    def __init__(self, rng, words):
        self.rng = rng
        self.words = words
        self.weights = [1 / (rank + 1) for rank in range(len(words))]

    def text(self, n):
        return " ".join(self.rng.choices(self.words, weights=self.weights, k=n))

    def query_words(self, n):
        # People search with content words: skip the 30 most frequent ones.
        return " ".join(self.rng.choice(self.words[30:400]) for _ in range(n))


def main():
    setup_django()
    from himaya.benchbook import search
    from himaya.benchbook.models import Instrument, Provision
    from himaya.core import search as core_search

    rng = random.Random(20241205)
    vocabulary = real_vocabulary()
    zipf = {lang: Zipf(rng, words) for lang, words in vocabulary.items()}
    started = time.perf_counter()
    instruments = [
        Instrument.objects.create(
            key=f"synthetic-{i}",
            kind="code",
            jurisdiction="morocco",
            title_fr=f"Code synthétique {i}",
            morocco_status="national",
            verification="verified",
        )
        for i in range(100)
    ]
    batch = []
    for i in range(N):
        instrument = instruments[i % len(instruments)]
        number = f"{i // len(instruments) + 1}-{i % 7 + 1}"
        batch.append(
            Provision(
                key=f"{instrument.key}:{number}",
                instrument=instrument,
                number=number,
                position=i,
                title_fr=zipf["fr"].text(6),
                title_ar=zipf["ar"].text(5),
                title_en=zipf["en"].text(5),
                summary_fr=zipf["fr"].text(70),
                summary_ar=zipf["ar"].text(55),
                summary_en=zipf["en"].text(60),
                forms=[rng.choice(["physical", "sexual", "psychological", "economic"])],
                stages=[rng.choice(["complaint", "investigation", "sentencing"])],
                verification="verified",
            )
        )
        if len(batch) == 5000:
            created = Provision.objects.bulk_create(batch)
            for p in created:
                p.instrument = instruments[instruments.index(p.instrument)]
            core_search.index_documents([_document(search, p) for p in created])
            batch = []
    if batch:
        created = Provision.objects.bulk_create(batch)
        core_search.index_documents([_document(search, p) for p in created])
    core_search.optimize()
    print(f"built {N} provisions and their index in {time.perf_counter() - started:.0f} s")

    queries = []
    for _ in range(QUERIES):
        kind = rng.random()
        if kind < 0.5:
            queries.append((zipf["fr"].query_words(rng.randint(1, 4)), "fr"))
        elif kind < 0.65:
            queries.append((zipf["en"].query_words(rng.randint(1, 4)), "en"))
        elif kind < 0.8:
            queries.append((zipf["ar"].query_words(rng.randint(1, 3)), "ar"))
        else:
            queries.append((f"article {rng.randint(1, N // 100)}-{rng.randint(1, 7)}", "fr"))

    def fts(query, language):
        return search.search(query, language=language, limit=10).hits

    def naive(query, language):
        words = [w for w in query.split() if len(w) > 2] or [query]
        qs = Provision.objects.all()
        field = f"summary_{language}"
        for word in words:
            qs = qs.filter(**{f"{field}__icontains": word})
        return list(qs.select_related("instrument")[:10])

    results = {}
    for name, fn in (("fts", fts), ("naive icontains", naive)):
        fn(*queries[0])  # warm up
        times = []
        for query, language in queries:
            start = time.perf_counter()
            fn(query, language)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        results[name] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    p50, p95 = results["fts"]
    n50, n95 = results["naive icontains"]
    print(f"naive icontains: p50 {n50:.1f} ms, p95 {n95:.1f} ms")
    print(f"fts search (analyse + rank + load + snippets): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(
        f"search_speed: p95 {p95:.1f} ms at {N} provisions (baseline: naive icontains p95 {n95:.1f} ms, ratio {n95 / p95:.1f})"
    )


def _document(search, provision):
    provision._prefetched_objects_cache = {"concepts": []}
    return search.build_document(provision)


if __name__ == "__main__":
    main()

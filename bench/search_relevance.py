"""Bench-book search relevance on the development set: recall@5 and MRR per language.

Loads the content packs into a fresh SQLite database, runs every query of
../shared/eval/benchbook-dev-queries.tsv (or the file given as first argument) through the same
search the API uses, and prints the figures. Run: .venv/bin/python bench/search_relevance.py"""

import sys
from collections import defaultdict
from pathlib import Path

from _common import ROOT, setup_django

DEFAULT_SET = ROOT.parent / "shared" / "eval" / "benchbook-dev-queries.tsv"


def read_queries(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, query, expected = line.split("\t")
        yield language, query, set(expected.split("|"))


def main():
    path = (
        Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else DEFAULT_SET
    )
    verbose = "-v" in sys.argv
    setup_django()
    from django.core.management import call_command

    from himaya.benchbook import search

    call_command("load_content", verbosity=0)
    hits = defaultdict(list)
    reciprocal = defaultdict(list)
    for language, query, expected in read_queries(path):
        keys = [h.provision.key for h in search.search(query, language=language, limit=10).hits]
        rank = next((i + 1 for i, k in enumerate(keys) if k in expected), None)
        hits[language].append(1 if rank and rank <= 5 else 0)
        reciprocal[language].append(1 / rank if rank else 0)
        if verbose and (not rank or rank > 5):
            print(f"MISS [{language}] {query!r}: expected {sorted(expected)}, got {keys[:5]}")
    for language in sorted(hits):
        n = len(hits[language])
        print(
            f"{language}: recall@5 {sum(hits[language]) / n:.2f}  MRR {sum(reciprocal[language]) / n:.2f}  ({n} queries)"
        )
    total = [h for v in hits.values() for h in v]
    mrr = [r for v in reciprocal.values() for r in v]
    print(
        f"search_relevance: {sum(total) / len(total):.2f} recall@5 (MRR {sum(mrr) / len(mrr):.2f}, {len(total)} queries)"
    )


if __name__ == "__main__":
    main()

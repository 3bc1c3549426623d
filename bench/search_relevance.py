"""Bench-book search relevance: recall@5 and MRR per language, for each query set.

Loads the bench-book content pack into a fresh SQLite database, runs every query of each set through the
same search the API uses, and prints the figures per set and language. The sets: the shared
development set (../shared/eval/benchbook-dev-queries.tsv) and our own short judge-style queries
(bench/data/search/short-queries.tsv, two to four words each); files given as arguments replace
them. Run: .venv/bin/python bench/search_relevance.py [-v] [file.tsv ...]"""

import sys
from collections import defaultdict
from pathlib import Path

from _common import ROOT, setup_django

DEFAULT_SETS = {
    "dev": ROOT.parent / "shared" / "eval" / "benchbook-dev-queries.tsv",
    "short": ROOT / "bench" / "data" / "search" / "short-queries.tsv",
}
TOP = 5


def read_queries(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, query, expected = line.split("\t")
        yield language, query, set(expected.split("|"))


def load_benchbook() -> None:
    """Validate and load the bench-book pack alone (what load_content does for it): the bench
    measures its search, whatever the state of the other packs."""
    from himaya.benchbook import content
    from himaya.core.content import ContentErrors, ContentInvalid

    root = ROOT / "content"
    errors = ContentErrors(root=root)
    plan = content.validate(root, errors)
    if errors:
        raise ContentInvalid(errors.messages)
    content.apply(plan, {"created": 0, "updated": 0, "unchanged": 0})


def evaluate(search, path: Path, verbose: bool) -> dict[str, tuple[list[int], list[float]]]:
    """{language: ([1 when an expected key is in the top 5], [reciprocal rank])} for one set."""
    hits, reciprocal = defaultdict(list), defaultdict(list)
    for language, query, expected in read_queries(path):
        keys = [h.provision.key for h in search.search(query, language=language, limit=10).hits]
        rank = next((i + 1 for i, k in enumerate(keys) if k in expected), None)
        hits[language].append(1 if rank and rank <= TOP else 0)
        reciprocal[language].append(1 / rank if rank else 0)
        if verbose and (not rank or rank > TOP):
            print(f"MISS [{language}] {query!r}: expected {sorted(expected)}, got {keys[:TOP]}")
    return {language: (hits[language], reciprocal[language]) for language in hits}


def line(label: str, hits: list[int], reciprocal: list[float]) -> str:
    n = len(hits)
    return (
        f"{label}: recall@{TOP} {sum(hits) / n:.2f}  MRR {sum(reciprocal) / n:.2f}  ({n} queries)"
    )


def main():
    files = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    sets = {path.stem: path for path in files} if files else DEFAULT_SETS
    verbose = "-v" in sys.argv
    setup_django()
    from himaya.benchbook import search

    load_benchbook()
    all_hits, all_reciprocal = [], []
    for name, path in sets.items():
        results = evaluate(search, path, verbose)
        set_hits, set_reciprocal = [], []
        for language in sorted(results):
            hits, reciprocal = results[language]
            print(line(f"{name} {language}", hits, reciprocal))
            set_hits += hits
            set_reciprocal += reciprocal
        print(line(f"{name} all", set_hits, set_reciprocal))
        all_hits += set_hits
        all_reciprocal += set_reciprocal
    n = len(all_hits)
    print(
        f"search_relevance: {sum(all_hits) / n:.2f} recall@{TOP}"
        f" (MRR {sum(all_reciprocal) / n:.2f}, {n} queries)"
    )


if __name__ == "__main__":
    main()

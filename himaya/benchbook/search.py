"""Bench-book search: one analyzer (analysis.py), two backends (SQLite FTS5, PostgreSQL).

`search()` never raises on user input: any text (quotes, operators, SQL, emoji, 10 kB) is
analysed into safe tokens first; when nothing searchable is left the answer is an empty list."""

from __future__ import annotations

import html
import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.utils.translation import get_language

from . import analysis
from .models import Concept, Provision, SearchDocument

LIMIT_MAX = 50
COUNT_CAP = 10_000  # "count" is exact up to this many matches
# Moroccan texts rarely name their own country; people searching for "Moroccan law" do.
MOROCCO_TOKENS = analysis.document_tokens(
    {"fr": "Maroc marocain marocaine", "ar": "المغرب المغربي المغربية", "en": "Morocco Moroccan"}
)
# Column weights (numbers, titles, body, concepts, facets): an article number or a title word
# says more than a word of the summary.
SQLITE_WEIGHTS = (12.0, 4.0, 1.0, 2.5, 0.0)
PG_WEIGHTS = "{0.1, 0.5, 0.7, 1.0}"  # D (body), C (concepts), B (titles), A (numbers)
FACET_PREFIXES = {
    "instrument": "inst",
    "kind": "kind",
    "form": "form",
    "stage": "stage",
    "jurisdiction": "juris",
}


@dataclass
class QueryPlan:
    words: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    expansion_by_concept: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    languages: tuple[str, ...] = ()

    @property
    def expansion(self) -> list[tuple[str, ...]]:
        """The thesaurus phrases of the matched concepts, in every language."""
        return [p for phrases in self.expansion_by_concept.values() for p in phrases]

    @property
    def highlight_stems(self) -> set[str]:
        return set(self.words) | {t for phrase in self.expansion for t in phrase}


@dataclass
class Hit:
    provision: Provision
    score: float
    snippet: str


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]


# --- the thesaurus ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _thesaurus_cache(version: int):
    """(concept key, language, analysed term tokens) for every term of every concept."""
    entries = []
    for concept in Concept.objects.all():
        for language in analysis.LANGUAGES:
            for term in (concept.terms or {}).get(language, []):
                tokens = tuple(analysis.words(term, language))
                if tokens:
                    entries.append((concept.key, language, tokens))
    return entries


_thesaurus_version = 0


def thesaurus_changed() -> None:
    global _thesaurus_version
    _thesaurus_version += 1


def thesaurus():
    return _thesaurus_cache(_thesaurus_version)


def plan_query(query: str, language: str | None = None) -> QueryPlan:
    text = (query or "")[: analysis.MAX_QUERY_CHARS]
    languages = analysis.query_languages(text, language)
    plan = QueryPlan(languages=languages)
    for number in analysis.extract_numbers(text):
        plan.numbers.extend(analysis.number_tokens(number))
    words: list[str] = []
    for lang in languages:
        words.extend(analysis.words(text, lang))
    plan.words = list(dict.fromkeys(words))[: analysis.MAX_QUERY_TOKENS]
    present = set(plan.words)
    matched: dict[str, None] = {}
    for key, lang, tokens in thesaurus():
        if lang in languages and all(t in present for t in tokens):
            matched.setdefault(key, None)
    plan.concepts = list(matched)[:6]
    # The matched concepts' terms in every language, as phrases, reach provisions that are not
    # tagged with the concept ("ordonnance de protection" finds "protection order").
    for key, _lang, tokens in thesaurus():
        if key in plan.concepts:
            phrases = plan.expansion_by_concept.setdefault(key, [])
            if tokens not in phrases and len(phrases) < 12:
                phrases.append(tokens)
    return plan


# --- indexing ------------------------------------------------------------------------------------


def _texts(obj, field_name: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field_name}_{lang}", "") or "" for lang in analysis.LANGUAGES}


def build_document(provision: Provision) -> SearchDocument:
    instrument = provision.instrument
    numbers: list[str] = []
    for number in [provision.number, *(provision.aliases or [])]:
        if number:
            numbers.extend(analysis.number_tokens(number))
    if provision.is_overview:
        for number in analysis.extract_numbers(" ".join(_texts(instrument, "title").values())):
            numbers.extend(analysis.number_tokens(number))
    titles = [analysis.document_tokens(_texts(provision, "title"))]
    if provision.is_overview:
        titles.append(analysis.document_tokens(_texts(instrument, "title")))
        titles.append(analysis.document_tokens(_texts(instrument, "short_title")))
    body = [
        analysis.document_tokens(_texts(provision, name))
        for name in ("summary", "practical_note", "facts", "holding", "principle", "relevance")
    ]
    body.append(analysis.document_tokens(_texts(instrument, "short_title")))
    if instrument.jurisdiction == "morocco":
        body.append(MOROCCO_TOKENS)
    # Only the concept tags: a provision tagged with a concept is found through the tag, once;
    # the thesaurus terms themselves are searched in titles and text, where they really occur.
    concept_tokens = [f"c_{concept.key.replace('-', '_')}" for concept in provision.concepts.all()]
    facets = [
        f"inst_{instrument.key.replace('-', '_')}",
        f"kind_{instrument.kind}",
        f"juris_{instrument.jurisdiction}",
        *(f"form_{f}" for f in provision.forms or []),
        *(f"stage_{s}" for s in provision.stages or []),
    ]
    return SearchDocument(
        provision=provision,
        numbers=" ".join(dict.fromkeys(numbers)),
        titles=" ".join(titles),
        body=" ".join(body),
        concepts=" ".join(concept_tokens),
        facets=" ".join(facets).replace("-", "_"),
    )


def reindex(provisions=None) -> int:
    """Rebuild the search documents (all, or of the given provisions)."""
    qs = Provision.objects.select_related("instrument").prefetch_related("concepts")
    if provisions is not None:
        qs = qs.filter(pk__in=[p.pk for p in provisions])
    documents = [build_document(p) for p in qs]
    SearchDocument.objects.filter(provision__in=[d.provision_id for d in documents]).delete()
    SearchDocument.objects.bulk_create(documents, batch_size=1000)
    return len(documents)


# --- querying --------------------------------------------------------------------------------------


def _facet_tokens(filters: dict) -> list[str]:
    tokens = []
    for name, prefix in FACET_PREFIXES.items():
        value = filters.get(name)
        if value:
            token = f"{prefix}_{str(value).replace('-', '_')}"
            if not analysis.SAFE_TOKEN.match(token):
                return ["__no_such_facet__"]
            tokens.append(token)
    return tokens


class _Syntax:
    """How each backend writes a term, a phrase, AND and OR. Every token is SAFE_TOKEN-checked
    before it gets here, so no user character reaches either query language."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def phrase(self, tokens: tuple[str, ...]) -> str:
        if self.pg:
            return "(" + " <-> ".join(tokens) + ")" if len(tokens) > 1 else tokens[0]
        return '"' + " ".join(tokens) + '"'

    def any_of(self, parts: list[str]) -> str:
        return "(" + (" | " if self.pg else " OR ").join(parts) + ")"

    def all_of(self, parts: list[str]) -> str:
        return "(" + (" & " if self.pg else " AND ").join(parts) + ")"


def _groups(plan: QueryPlan, syntax: _Syntax) -> list[str]:
    """One group per thing the person asked for: an article number (in both orders), a word,
    or a thesaurus concept (its tag or any of its phrases)."""
    groups = []
    if plan.numbers:
        groups.append(syntax.any_of([syntax.phrase((t,)) for t in plan.numbers]))
    groups.extend(syntax.phrase((w,)) for w in plan.words)
    for concept in plan.concepts:
        alternatives = [syntax.phrase((f"c_{concept.replace('-', '_')}",))]
        alternatives += [syntax.phrase(p) for p in plan.expansion_by_concept.get(concept, [])]
        groups.append(syntax.any_of(alternatives))
    return groups[: analysis.MAX_QUERY_TOKENS]


MAX_COMBINATIONS = 24


def _levels(groups: list[str], syntax: _Syntax):
    """Candidate sets from strictest to loosest: documents matching all groups, then all but
    one, ..., then any (as Lucene's minimum_should_match relaxes). Each level is one expression."""
    n = len(groups)
    for k in range(n, 0, -1):
        if k == 1:
            yield syntax.any_of(groups)
            return
        if math.comb(n, k) > MAX_COMBINATIONS:
            continue
        yield syntax.any_of([syntax.all_of(list(c)) for c in itertools.combinations(groups, k)])


def _run_sqlite(
    expression: str, facets: list[str], limit: int, *, count_only_up_to: int | None = None
):
    match = "{numbers titles body concepts} : " + expression
    if facets:
        match += " AND " + " AND ".join(f'facets : "{f}"' for f in facets)
    with connection.cursor() as cursor:
        if count_only_up_to is not None:
            cursor.execute(
                "SELECT count(*) FROM (SELECT rowid FROM benchbook_fts WHERE benchbook_fts MATCH %s LIMIT %s)",
                [match, count_only_up_to],
            )
            return cursor.fetchone()[0]
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        cursor.execute(
            f"SELECT rowid, -bm25(benchbook_fts, {weights}) AS score FROM benchbook_fts "  # noqa: S608 - constants
            "WHERE benchbook_fts MATCH %s ORDER BY score DESC, rowid LIMIT %s",
            [match, limit],
        )
        return cursor.fetchall()


def _run_postgres(
    expression: str, facets: list[str], limit: int, *, count_only_up_to: int | None = None
):
    where = "vector @@ to_tsquery('simple', %s)"
    params: list = [expression]
    if facets:
        where += " AND facet_vector @@ to_tsquery('simple', %s)"
        params.append(" & ".join(facets))
    with connection.cursor() as cursor:
        if count_only_up_to is not None:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM benchbook_searchdocument WHERE {where} LIMIT %s) AS found",  # noqa: S608
                [*params, count_only_up_to],
            )
            return cursor.fetchone()[0]
        cursor.execute(
            f"SELECT provision_id, ts_rank_cd('{PG_WEIGHTS}', vector, to_tsquery('simple', %s)) AS score "  # noqa: S608
            f"FROM benchbook_searchdocument WHERE {where} ORDER BY score DESC, provision_id LIMIT %s",
            [expression, *params, limit],
        )
        return cursor.fetchall()


def _ranked(plan: QueryPlan, facets: list[str], limit: int) -> tuple[int, list]:
    syntax = _Syntax(connection.vendor)
    run = _run_postgres if syntax.pg else _run_sqlite
    groups = _groups(plan, syntax)
    if not groups:
        return 0, []
    loosest = syntax.any_of(groups)
    count = run(loosest, facets, limit, count_only_up_to=COUNT_CAP)
    if count == 0:
        return 0, []
    # Rank (BM25 / ts_rank_cd) only within the strictest level that holds enough documents:
    # ranking every document that shares one common word is what makes naive OR search slow.
    for expression in _levels(groups, syntax):
        if expression == loosest or run(expression, facets, limit, count_only_up_to=limit) >= limit:
            return count, run(expression, facets, limit)
    return count, run(loosest, facets, limit)


def search(
    query: str, *, language: str | None = None, limit: int = 10, filters: dict | None = None
) -> SearchResult:
    language = language if language in analysis.LANGUAGES else None
    limit = max(1, min(int(limit or 10), LIMIT_MAX))
    plan = plan_query(query, language)
    facets = _facet_tokens(filters or {})
    count, rows = _ranked(plan, facets, limit)
    provisions = Provision.objects.select_related("instrument").in_bulk([row[0] for row in rows])
    display_language = (
        language or (plan.languages[0] if len(plan.languages) == 1 else get_language()) or "fr"
    )
    hits = []
    for provision_id, score in rows:
        provision = provisions.get(provision_id)
        if provision is not None:
            hits.append(
                Hit(
                    provision=provision,
                    score=float(score),
                    snippet=snippet(provision, plan, display_language),
                )
            )
    return SearchResult(count=count, hits=hits)


# --- snippets ------------------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _stem_of_word(word: str, language: str) -> str:
    return analysis.stem(analysis.normalise(word), language)


_SENTENCE = re.compile(r"(?<=[.!?؟;:])\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def snippet(provision: Provision, plan: QueryPlan, language: str, words: int = 32) -> str:
    """A short passage of the summary in the reader's language with the matched words marked;
    the text is escaped, so the only markup is <mark>."""
    fields = ("summary", "holding", "principle", "practical_note")
    text = " ".join(getattr(provision, f"{name}_{language}", "") or "" for name in fields).strip()
    if not text:
        text = " ".join(getattr(provision, f"{name}_fr", "") or "" for name in fields).strip()
    stems = plan.highlight_stems

    languages = {language, *plan.languages}

    def is_match(word: str) -> bool:
        return any(_stem_of_word(word, lang) in stems for lang in languages)

    sentences = _SENTENCE.split(text) or [text]
    best = max(sentences, key=lambda s: sum(1 for w in _WORD.findall(s) if is_match(w)), default="")
    pieces = best.split()
    if len(pieces) > words:
        pieces = pieces[:words] + ["…"]
    out = []
    for piece in pieces:
        core = _WORD.search(piece)
        if core and is_match(core.group(0)):
            out.append(
                html.escape(piece[: core.start()])
                + "<mark>"
                + html.escape(core.group(0))
                + "</mark>"
                + html.escape(piece[core.end() :])
            )
        else:
            out.append(html.escape(piece))
    return " ".join(out)

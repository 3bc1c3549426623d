"""Querying the search index: one analyzer, two backends (SQLite FTS5, PostgreSQL full text).

`search()` never raises on user input: any text (quotes, operators, SQL, emoji, 10 kB) is
analysed into safe tokens first; when nothing searchable is left the answer is an empty list.

Ranking: one group per thing the person asked for (an article number in both orders, a word, a
thesaurus notion with its concepts' tags and phrases in every language); candidates come from the
strictest "coordination level" that holds enough documents (all groups, then all but one, ...,
then any), ranked there by BM25 with column weights (SQLite) or ts_rank_cd with weight classes
(PostgreSQL). A query made of thesaurus terms alone ("ordonnance de protection", "marital rape")
is its notions; when the client names the documents to prefer (`prefer`: the bench book's Moroccan
provisions), the preferred documents carrying its concepts come first: those whose title names
what was asked, then those implementing it, then the other candidates (see _preferred_first)."""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection

from . import analysis
from .documents import content_type_of, content_type_token, facet_token, tag_token

LIMIT_MAX = 50
COUNT_CAP = 10_000  # "count" is exact up to this many matches
MAX_COMBINATIONS = 24
# Column weights (numbers, title, body, tags, facet tokens): an article number or a title word
# says more than a word of the body.
SQLITE_WEIGHTS = (12.0, 4.0, 1.0, 2.5, 0.0)
PG_WEIGHTS = "{0.1, 0.5, 0.7, 1.0}"  # D (body), C (tags), B (title), A (numbers)


# --- the thesaurus hook ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThesaurusEntry:
    """One term of one concept, analysed: the concept key, the term's language, its tokens."""

    key: str
    language: str
    tokens: tuple[str, ...]


def thesaurus_entries(
    concepts: Iterable[tuple[str, Mapping[str, Iterable[str]]]],
) -> list[ThesaurusEntry]:
    """Analyse a thesaurus given as (concept key, {language: [terms]}) pairs. Clients cache the
    result and pass it to `search(thesaurus=...)`."""
    entries = []
    for key, terms in concepts:
        for language in analysis.LANGUAGES:
            for term in (terms or {}).get(language, []):
                tokens = tuple(analysis.words(term, language))
                if tokens:
                    entries.append(ThesaurusEntry(key, language, tokens))
    return entries


# --- query plans ----------------------------------------------------------------------------------


@dataclass
class QueryPlan:
    words: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    expansion_by_concept: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    # The terms of each matched concept that the query spells ("interdiction de contact" →
    # no-contact-order: [(interdict, contact)]), and the query words they cover.
    terms_by_concept: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    covered_by_concept: dict[str, set[str]] = field(default_factory=dict)
    # Every term of each matched concept (the expansion holds the first of them).
    phrases_by_concept: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    @property
    def expansion(self) -> list[tuple[str, ...]]:
        """The thesaurus phrases of the matched concepts, in every language."""
        return [p for phrases in self.expansion_by_concept.values() for p in phrases]

    @property
    def highlight_stems(self) -> set[str]:
        return set(self.words) | {t for phrase in self.expansion for t in phrase}

    @property
    def covered(self) -> set[str]:
        return {w for words in self.covered_by_concept.values() for w in words}

    @property
    def notions(self) -> list[list[str]]:
        """The matched concepts grouped by the query words they share: "viol conjugal" is one
        notion (marital rape, and rape inside it); "preuve : passé sexuel" two (evidence, and
        sexual history), which a document must both carry to implement the query."""
        notions: list[tuple[set[str], list[str]]] = []
        for concept in self.concepts:
            words = set(self.covered_by_concept.get(concept, ()))
            keys = [concept]
            for notion in [n for n in notions if n[0] & words]:
                notions.remove(notion)
                words |= notion[0]
                keys = notion[1] + keys
            notions.append((words, keys))
        return [keys for _, keys in notions]

    def widest(self, notion: list[str]) -> list[str]:
        """The concepts of a notion that no other of its concepts contains: marital rape in
        "viol conjugal", whose "viol" also names rape."""
        covered = self.covered_by_concept
        return [c for c in notion if not any(covered[c] < covered[o] for o in notion)]

    @property
    def names_concepts(self) -> bool:
        """Whether the query is made of thesaurus terms alone (no article number, no other
        word): a short query naming a measure, an offence or a step, as people type them."""
        return bool(self.concepts) and not self.numbers and set(self.words) <= self.covered


# A query of up to this many words made of thesaurus terms is its notions alone (two or three
# words, as judges type them); a longer one also asks for its words.
SHORT_QUERY_WORDS = 3
# Phrases per matched concept in the query expansion (the terms of its three languages).
MAX_PHRASES_PER_CONCEPT = 18


def plan_query(
    query: str, language: str | None = None, thesaurus: Iterable[ThesaurusEntry] = ()
) -> QueryPlan:
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
    thesaurus = list(thesaurus)
    matched: dict[str, list[tuple[str, ...]]] = {}
    for entry in thesaurus:
        if entry.language in languages and all(t in present for t in entry.tokens):
            matched.setdefault(entry.key, []).append(entry.tokens)
    plan.concepts = list(matched)[:6]
    # The matched concepts' terms in every language, as phrases, reach documents that are not
    # tagged with the concept ("ordonnance de protection" finds "protection order"): the terms
    # the query spelled first, then those of the query's language, then the others.
    for key in plan.concepts:
        plan.terms_by_concept[key] = list(dict.fromkeys(matched[key]))
        plan.covered_by_concept[key] = {t for tokens in matched[key] for t in tokens}
        terms = [e for e in thesaurus if e.key == key]
        terms.sort(key=lambda e: e.language not in languages)
        phrases = list(dict.fromkeys([*matched[key], *(e.tokens for e in terms)]))
        plan.phrases_by_concept[key] = phrases
        plan.expansion_by_concept[key] = phrases[:MAX_PHRASES_PER_CONCEPT]
    return plan


# --- results ----------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    content_type_id: int
    object_id: int
    score: float


@dataclass
class SearchResult:
    count: int
    hits: list[SearchHit]
    plan: QueryPlan  # what to highlight: `snippet(text, result.plan, language)`

    def object_ids(self) -> list[int]:
        return [hit.object_id for hit in self.hits]


# --- query syntax -----------------------------------------------------------------------------------


class _Syntax:
    """How each backend writes a term, a phrase, AND and OR. Every token is SAFE_TOKEN-checked
    or built from safe characters before it gets here, so no user character reaches either
    query language."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def phrase(self, tokens: tuple[str, ...]) -> str:
        if self.pg:
            return "(" + " <-> ".join(tokens) + ")" if len(tokens) > 1 else tokens[0]
        return '"' + " ".join(tokens) + '"'

    def title_phrase(self, tokens: tuple[str, ...]) -> str:
        """The phrase in the title field only."""
        if self.pg:
            return "(" + " <-> ".join(f"{t}:B" for t in tokens) + ")"
        return '{title} : "' + " ".join(tokens) + '"'

    def any_of(self, parts: list[str]) -> str:
        return "(" + (" | " if self.pg else " OR ").join(parts) + ")"

    def all_of(self, parts: list[str]) -> str:
        return "(" + (" & " if self.pg else " AND ").join(parts) + ")"


def _groups(plan: QueryPlan, syntax: _Syntax) -> list[str]:
    """One group per thing the person asked for: an article number (in both orders), a word,
    or a notion (plan.notions: a thesaurus concept, or concepts spelled by the same words, as
    rape inside "viol conjugal"), matched by the tags or any of the phrases of its widest
    concepts (marital rape; rape, named inside, counts where a title names it). A query
    made of thesaurus terms alone asks for its notions and nothing else: "ordonnance de
    protection" is one thing, which the texts also call "mesures de protection" or "protection
    order", not the two words apart."""
    groups = []
    if plan.numbers:
        groups.append(syntax.any_of([syntax.phrase((t,)) for t in plan.numbers]))
    if not plan.names_concepts or len(plan.words) > SHORT_QUERY_WORDS:
        # a longer query made of thesaurus terms says more than its notions: its words count too
        groups.extend(syntax.phrase((w,)) for w in plan.words)
    for notion in plan.notions:
        widest = plan.widest(notion)
        alternatives = [_concept_group(plan, c, syntax) for c in widest]
        alternatives += [_titled(plan, c, syntax) for c in notion if c not in widest]
        groups.append(syntax.any_of(alternatives))
    return groups[: analysis.MAX_QUERY_TOKENS]


def _concept_group(plan: QueryPlan, concept: str, syntax: _Syntax) -> str:
    alternatives = [syntax.phrase((tag_token(concept),))]
    alternatives += [syntax.phrase(p) for p in plan.expansion_by_concept.get(concept, [])]
    return syntax.any_of(alternatives)


def _titled(plan: QueryPlan, concept: str, syntax: _Syntax, terms=None) -> str:
    """Documents tagged with the concept whose title carries one of `terms` (by default the
    concept's terms the query spelled)."""
    terms = plan.terms_by_concept[concept] if terms is None else terms
    return syntax.all_of(
        [
            syntax.phrase((tag_token(concept),)),
            syntax.any_of([syntax.title_phrase(t) for t in terms]),
        ]
    )


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


@dataclass
class _Filter:
    """The facet and content-type filters as each backend applies them."""

    facet_groups: list[list[str]]  # AND of ORs of facet tokens
    content_types: list  # ContentType objects, or [] for all
    # A query expression the documents must match too, without taking part in their score.
    within: str | None = None

    _sqlite: str | None = None

    def sqlite(self) -> str:
        """The MATCH clause of the filters (computed once per search)."""
        if self._sqlite is None:
            groups = list(self.facet_groups)
            if self.content_types and not self._index_holds_only(self.content_types):
                groups.append([content_type_token(ct) for ct in self.content_types])
            self._sqlite = "".join(
                " AND facet_tokens : (" + " OR ".join(f'"{t}"' for t in tokens) + ")"
                for tokens in groups
            )
        return self._sqlite

    @staticmethod
    def _index_holds_only(content_types) -> bool:
        """Whether every document is of one of these types: two index look-ups, which spare
        FTS5 intersecting the query with a token that every document carries (the filter would
        double the time of a search while one client fills the index)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT min(content_type_id) FROM core_searchdocument),"
                " (SELECT max(content_type_id) FROM core_searchdocument)"
            )
            low, high = cursor.fetchone()
        return low is None or (low == high and low in {ct.pk for ct in content_types})

    def postgres(self) -> tuple[str, list]:
        where, params = "", []
        if self.facet_groups:
            where += " AND facet_vector @@ to_tsquery('simple', %s)"
            params.append(" & ".join("(" + " | ".join(g) + ")" for g in self.facet_groups))
        if self.content_types:
            where += " AND content_type_id = ANY(%s)"
            params.append([ct.pk for ct in self.content_types])
        if self.within:
            where += " AND vector @@ to_tsquery('simple', %s)"
            params.append(self.within)
        return where, params

    def sqlite_within(self) -> tuple[str, list]:
        if not self.within:
            return "", []
        return (
            " AND rowid IN (SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s)",
            ["{numbers title body tags} : " + self.within],
        )


def _run_sqlite(expression: str, where: _Filter, limit: int, *, count_only_up_to=None):
    match = "{numbers title body tags} : " + expression + where.sqlite()
    within, within_params = where.sqlite_within()
    with connection.cursor() as cursor:
        if count_only_up_to is not None:
            cursor.execute(
                "SELECT count(*) FROM (SELECT rowid FROM core_search_fts"  # noqa: S608 - constants
                f" WHERE core_search_fts MATCH %s{within} LIMIT %s)",
                [match, *within_params, count_only_up_to],
            )
            return cursor.fetchone()[0]
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        cursor.execute(
            "SELECT d.content_type_id, d.object_id, f.score FROM ("  # noqa: S608 - constants
            f"SELECT rowid, -bm25(core_search_fts, {weights}) AS score FROM core_search_fts"
            f" WHERE core_search_fts MATCH %s{within} ORDER BY score DESC, rowid LIMIT %s"
            ") AS f JOIN core_searchdocument AS d ON d.id = f.rowid ORDER BY f.score DESC, f.rowid",
            [match, *within_params, limit],
        )
        return cursor.fetchall()


def _run_postgres(expression: str, where: _Filter, limit: int, *, count_only_up_to=None):
    extra, extra_params = where.postgres()
    condition = "vector @@ to_tsquery('simple', %s)" + extra
    params = [expression, *extra_params]
    with connection.cursor() as cursor:
        if count_only_up_to is not None:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM core_searchdocument WHERE {condition} LIMIT %s) AS found",  # noqa: S608
                [*params, count_only_up_to],
            )
            return cursor.fetchone()[0]
        cursor.execute(
            "SELECT content_type_id, object_id, "  # noqa: S608 - constants
            f"ts_rank_cd('{PG_WEIGHTS}', vector, to_tsquery('simple', %s)) AS score "
            f"FROM core_searchdocument WHERE {condition} ORDER BY score DESC, id LIMIT %s",
            [expression, *params, limit],
        )
        return cursor.fetchall()


def _tiers(plan: QueryPlan, syntax: _Syntax) -> list[str]:
    """What comes first among the preferred candidates of a query made of thesaurus terms,
    strictest first: the documents whose title names what was asked (a widest concept of a
    notion in any of its terms, or a narrower concept in the words the query used: "viol
    conjugal" → the article headed "Viol"), then the other documents carrying a widest concept
    (the provisions implementing what was asked)."""

    named, implementing = [], []
    for notion in plan.notions:
        widest = plan.widest(notion)
        for concept in notion:
            if concept in widest:
                named.append(_titled(plan, concept, syntax, plan.phrases_by_concept[concept]))
                implementing.append(syntax.phrase((tag_token(concept),)))
            else:
                named.append(_titled(plan, concept, syntax))
    return [syntax.any_of(named), syntax.any_of(implementing)]


def _preferred_first(plan, where, prefer, syntax, run, rows, limit) -> list:
    """National provisions first when they apply (or whatever `prefer` names for a client):
    for a query made of thesaurus terms, each of whose notions some preferred candidate
    carries, the preferred candidates of each tier of `_tiers()`, then the other candidates.
    Tiers only filter and order: within each, documents are ranked by a score of the query's
    own words (as typed, in any field), its concepts' tags and their terms in titles."""
    if not prefer or not plan.names_concepts:
        return rows
    facet_groups = [*where.facet_groups, *prefer]

    def preferred(condition: str) -> _Filter:
        return _Filter(facet_groups, where.content_types, within=condition)

    # Within a tier: the query's own words anywhere, its concepts' tags, their terms in titles.
    scored = syntax.any_of(
        [*(syntax.phrase((w,)) for w in plan.words)]
        + [syntax.phrase((tag_token(c),)) for c in plan.concepts]
        + [syntax.title_phrase(p) for p in plan.expansion]
    )
    for notion in plan.notions:
        carried = syntax.any_of([syntax.phrase((tag_token(c),)) for c in notion])
        if not run(scored, preferred(carried), 1, count_only_up_to=1):
            return rows  # a notion that no preferred document carries: nothing goes first
    ordered: dict[tuple, tuple] = {}
    for condition in _tiers(plan, syntax):
        if len(ordered) >= limit:
            break
        for row in run(scored, preferred(condition), limit):
            ordered.setdefault((row[0], row[1]), row)
    for row in rows:
        ordered.setdefault((row[0], row[1]), row)
    return list(ordered.values())[:limit]


def _ranked(plan: QueryPlan, where: _Filter, limit: int, prefer=()) -> tuple[int, list]:
    syntax = _Syntax(connection.vendor)
    run = _run_postgres if syntax.pg else _run_sqlite
    groups = _groups(plan, syntax)
    if not groups:
        return 0, []
    loosest = syntax.any_of(groups)
    count = run(loosest, where, limit, count_only_up_to=COUNT_CAP)
    if count == 0:
        return 0, []
    # Rank (BM25 / ts_rank_cd) only within the strictest level that holds enough documents:
    # ranking every document that shares one common word is what makes naive OR search slow.
    chosen = loosest
    for expression in _levels(groups, syntax):
        if expression == loosest or run(expression, where, limit, count_only_up_to=limit) >= limit:
            chosen = expression
            break
    rows = run(chosen, where, limit)
    return count, _preferred_first(plan, where, list(prefer), syntax, run, rows, limit)


def _facet_groups(facets: Mapping[str, object] | None) -> list[list[str]]:
    """{name: value or values} → an AND of ORs of facet tokens (empty values ignored)."""
    groups = []
    for name, value in (facets or {}).items():
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        tokens = [facet_token(name, v) for v in values if v not in (None, "")]
        if tokens:
            groups.append(list(dict.fromkeys(tokens)))
    return groups


def search(
    query: str,
    *,
    content_types: Iterable | None = None,
    language: str | None = None,
    facets: Mapping[str, object] | None = None,
    limit: int = 10,
    thesaurus: Iterable[ThesaurusEntry] = (),
    prefer: Mapping[str, object] | None = None,
) -> SearchResult:
    """The best `limit` documents for a query, with the number of matches (exact up to COUNT_CAP).

    content_types: models, instances, ContentTypes or 'app_label.model' labels (default: all);
    language: the query's language when the script does not tell (fr/en; Arabic script is
    recognised), None to try French and English; facets: {name: value or list of values},
    values of one name OR-ed, names AND-ed, empty values ignored; thesaurus: analysed entries
    (`thesaurus_entries()`) whose matched concepts expand the query in every language;
    prefer: facets ({name: value or values}) of the documents that carry a concept for this
    client's readers (the bench book: the Moroccan provisions). When the query is made of
    thesaurus terms alone, the candidates with these facets that are tagged with a matched
    concept come first (those whose title carries one of its terms before the others), then
    the other candidates; within each tier, by score."""
    language = language if language in analysis.LANGUAGES else None
    limit = max(1, min(int(limit or 10), LIMIT_MAX))
    plan = plan_query(query, language, thesaurus)
    where = _Filter(
        facet_groups=_facet_groups(facets),
        content_types=[content_type_of(ct) for ct in content_types or ()],
    )
    count, rows = _ranked(plan, where, limit, _facet_groups(prefer))
    hits = [SearchHit(int(ct), int(object_id), float(score)) for ct, object_id, score in rows]
    return SearchResult(count=count, hits=hits, plan=plan)


# --- snippets ---------------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _stem_of_word(word: str, language: str) -> str:
    return analysis.stem(analysis.normalise(word), language)


_SENTENCE = re.compile(r"(?<=[.!?؟;:])\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def snippet(text: str, plan: QueryPlan, language: str, words: int = 32) -> str:
    """The sentence of `text` with the most matched words, cut to `words` words, the matches
    marked; the text is escaped, so the only markup is <mark>."""
    stems = plan.highlight_stems
    languages = {language, *plan.languages} & set(analysis.LANGUAGES)

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

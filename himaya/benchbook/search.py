"""Bench-book search: the first client of the shared search service (himaya.core.search).

What is the bench book's own: which fields of a provision go to which part of its search
document, its facets (instrument, kind, jurisdiction, form of violence, stage), its thesaurus
(the Concept table) and its snippets. Analysis, the index and ranking are core's.

`search()` never raises on user input: any text is analysed into safe tokens first; when nothing
searchable is left the answer is an empty list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language

from himaya.core import search as core_search
from himaya.core.search import analysis
from himaya.core.search.engine import QueryPlan

from .models import Concept, Provision

LIMIT_MAX = core_search.LIMIT_MAX
COUNT_CAP = core_search.COUNT_CAP
# Moroccan texts rarely name their own country; people searching for "Moroccan law" do.
MOROCCO_TEXT = {
    "fr": "Maroc marocain marocaine",
    "ar": "المغرب المغربي المغربية",
    "en": "Morocco Moroccan",
}
# Filters of the search page and the API → facets of the provision documents.
FACETS = ("instrument", "kind", "jurisdiction", "form", "stage")
SNIPPET_FIELDS = ("summary", "holding", "principle", "practical_note")
# National provisions first when they apply: for a query naming concepts (a measure, an offence,
# a step), the Moroccan provisions tagged with them come before the international texts and
# cases on the same concepts (see core.search.search(prefer=...)).
PREFER = {"jurisdiction": "morocco"}


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
def _thesaurus_cache(version: int) -> list[core_search.ThesaurusEntry]:
    """Every term of every concept, analysed (see core.search.thesaurus_entries)."""
    return core_search.thesaurus_entries(
        (concept.key, concept.terms or {}) for concept in Concept.objects.all()
    )


_thesaurus_version = 0


def thesaurus_changed() -> None:
    global _thesaurus_version
    _thesaurus_version += 1


def thesaurus() -> list[core_search.ThesaurusEntry]:
    return _thesaurus_cache(_thesaurus_version)


def plan_query(query: str, language: str | None = None) -> QueryPlan:
    return core_search.plan_query(query, language, thesaurus())


# --- indexing ------------------------------------------------------------------------------------


def _texts(obj, field_name: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field_name}_{lang}", "") or "" for lang in analysis.LANGUAGES}


def build_document(provision: Provision, content_type=None):
    """The (unsaved) search document of a provision: numbers, titles, body, concept tags, facets."""
    instrument = provision.instrument
    numbers = [provision.number, *(provision.aliases or [])]
    titles = [_texts(provision, "title")]
    if provision.is_overview:
        numbers += analysis.extract_numbers(" ".join(_texts(instrument, "title").values()))
        titles += [_texts(instrument, "title"), _texts(instrument, "short_title")]
    body = [
        _texts(provision, name)
        for name in ("summary", "practical_note", "facts", "holding", "principle", "relevance")
    ]
    body.append(_texts(instrument, "short_title"))
    if instrument.jurisdiction == "morocco":
        body.append(MOROCCO_TEXT)
    return core_search.document(
        provision,
        content_type=content_type,
        title=titles,
        body=body,
        numbers=numbers,
        # Only the concept tags: a provision tagged with a concept is found through the tag, once;
        # the thesaurus terms themselves are searched in titles and text, where they really occur.
        tags=[concept.key for concept in provision.concepts.all()],
        facets={
            "instrument": instrument.key,
            "kind": instrument.kind,
            "jurisdiction": instrument.jurisdiction,
            "form": list(provision.forms or []),
            "stage": list(provision.stages or []),
        },
    )


def reindex(provisions=None) -> int:
    """Rebuild the search documents of all provisions (removing any left by deleted ones), or of
    the given provisions."""
    # Placeholders have no page: they are never indexed (a full rebuild drops any document left).
    qs = (
        Provision.objects.for_readers()
        .select_related("instrument")
        .prefetch_related("concepts")
        .order_by("pk")
    )
    if provisions is not None:
        for provision in provisions:
            if provision.placeholder:
                core_search.remove_document(provision)
        qs = qs.filter(pk__in=[p.pk for p in provisions])
    content_type = core_search.content_type_of(Provision)
    documents = [build_document(p, content_type) for p in qs]
    return core_search.index_documents(
        documents, replace_all_of=Provision if provisions is None else None
    )


# --- querying --------------------------------------------------------------------------------------


def search(
    query: str, *, language: str | None = None, limit: int = 10, filters: dict | None = None
) -> SearchResult:
    language = language if language in analysis.LANGUAGES else None
    facets = {name: value for name, value in (filters or {}).items() if name in FACETS and value}
    found = core_search.search(
        query,
        content_types=[Provision],
        language=language,
        facets=facets,
        limit=limit,
        thesaurus=thesaurus(),
        prefer=PREFER,
    )
    provisions = (
        Provision.objects.for_readers().select_related("instrument").in_bulk(found.object_ids())
    )
    plan = found.plan
    display_language = (
        language or (plan.languages[0] if len(plan.languages) == 1 else get_language()) or "fr"
    )
    hits = []
    for hit in found.hits:
        provision = provisions.get(hit.object_id)
        if provision is not None:
            hits.append(
                Hit(
                    provision=provision,
                    score=hit.score,
                    snippet=snippet(provision, plan, display_language),
                )
            )
    return SearchResult(count=found.count, hits=hits)


def snippet(provision: Provision, plan: QueryPlan, language: str, words: int = 32) -> str:
    """A short passage of the summary in the reader's language with the matched words marked;
    the text is escaped, so the only markup is <mark>."""
    text = " ".join(
        getattr(provision, f"{name}_{language}", "") or "" for name in SNIPPET_FIELDS
    ).strip()
    if not text:
        text = " ".join(getattr(provision, f"{name}_fr", "") or "" for name in SNIPPET_FIELDS)
        text = text.strip()
    return core_search.snippet(text, plan, language, words)

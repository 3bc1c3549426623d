"""Himaya's one search service: an analyzer and one index of search documents for every app.

    from himaya.core import search

    search.index_document(obj, language="", title={"fr": ..., "ar": ...}, body=[...],
                          numbers=["503-1-1"], tags=["harassment"], facets={"kind": "code"})
    result = search.search("harcèlement", content_types=[Provision], language="fr",
                           facets={"kind": "code"}, limit=10, thesaurus=entries)
    result.count, [(h.object_id, h.score) for h in result.hits]
    search.snippet(text, result.plan, "fr")

Documents are keyed by content type and object id (core.SearchDocument); a model that declares
`GenericRelation("core.SearchDocument")` has its document removed when it is deleted. The bench
book is the first client (benchbook/search.py); the case library and the exchange use the same."""

from .analysis import LANGUAGES
from .documents import (
    content_type_of,
    document,
    facet_token,
    index_document,
    index_documents,
    optimize,
    remove_document,
    tag_token,
)
from .engine import (
    COUNT_CAP,
    LIMIT_MAX,
    QueryPlan,
    SearchHit,
    SearchResult,
    ThesaurusEntry,
    plan_query,
    search,
    snippet,
    thesaurus_entries,
)

__all__ = [
    "COUNT_CAP",
    "LANGUAGES",
    "LIMIT_MAX",
    "QueryPlan",
    "SearchHit",
    "SearchResult",
    "ThesaurusEntry",
    "content_type_of",
    "document",
    "facet_token",
    "index_document",
    "index_documents",
    "optimize",
    "plan_query",
    "remove_document",
    "search",
    "snippet",
    "tag_token",
    "thesaurus_entries",
]

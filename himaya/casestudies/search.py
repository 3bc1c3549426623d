"""The case library in the shared search (core.search): a case's title, summary and outcome in
three languages and its pseudonymised decision, its provisions' numbers (either order), the bench
book's thesaurus for cross-language concepts."""

from __future__ import annotations

from himaya.core import search as core_search

from .models import Case


def index_case(case: Case) -> None:
    texts = case.texts or {}
    body = {}
    for language in ("fr", "ar", "en"):
        parts = [
            (texts.get(name) or {}).get(language, "")
            for name in ("summary", "outcome", "discussion")
        ]
        if case.document and case.document.language == language:
            parts.append(case.document.published_text)
        body[language] = "\n".join(p for p in parts if p)
    core_search.index_document(
        case,
        title=texts.get("title") or {},
        body=body,
        numbers=[p.number for p in case.provisions.all()],
        facets={"forms": case.forms, "court": case.court_level},
    )


def search(query: str, *, limit: int = 20) -> list[Case]:
    from himaya.benchbook.search import thesaurus

    result = core_search.search(query, content_types=[Case], limit=limit, thesaurus=thesaurus())
    found = {c.pk: c for c in Case.objects.filter(pk__in=result.object_ids())}
    return [found[pk] for pk in result.object_ids() if pk in found]

"""Public search API: GET /api/v1/benchbook/search?q=TEXT[&lang=fr|ar|en][&limit=N].

Each result carries its verification status and, whenever there is one, its caveat
(`verification_note`, in the language asked for; empty when the entry has none), and its
`source` (the official text cited, in the language asked for), as the pages do. Placeholder
provisions (no content yet) are never returned."""

from django.utils import translation
from ninja import Query, Router, Schema

from himaya.core.languages import LANGUAGE_CODES

from . import search

router = Router(tags=["bench book"])


class SearchParams(Schema):
    q: str = ""
    lang: str | None = None
    limit: int = 10
    instrument: str | None = None
    kind: str | None = None
    form: str | None = None
    stage: str | None = None


class ResultOut(Schema):
    key: str
    instrument: str
    number: str
    title: str
    snippet: str
    score: float
    verification: str
    verification_note: str
    source: str


def _in(obj, field: str, language: str) -> str:
    """A translated field in `language`, else as the active language (and its fallbacks) has it."""
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, field, "") or ""


class SearchOut(Schema):
    count: int
    results: list[ResultOut]


@router.get("/search", response=SearchOut, auth=None, summary="Search the bench book (public)")
def search_provisions(request, params: Query[SearchParams]):
    language = params.lang if params.lang in LANGUAGE_CODES else None
    try:
        limit = max(1, min(int(params.limit), search.LIMIT_MAX))
    except (TypeError, ValueError):
        limit = 10
    filters = {
        "instrument": params.instrument,
        "kind": params.kind,
        "form": params.form,
        "stage": params.stage,
    }
    result = search.search(params.q, language=language, limit=limit, filters=filters)
    display = language or translation.get_language() or "fr"
    return {
        "count": result.count,
        "results": [
            {
                "key": hit.provision.key,
                "instrument": hit.provision.instrument.key,
                "number": hit.provision.number,
                "title": _in(hit.provision, "title", display),
                "snippet": hit.snippet,
                "score": round(hit.score, 6),
                "verification": hit.provision.verification,
                "verification_note": _in(hit.provision, "verification_note", display),
                "source": _in(hit.provision, "source", display)
                or _in(hit.provision.instrument, "official_source", display),
            }
            for hit in result.hits
        ],
    }

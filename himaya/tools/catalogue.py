"""The tools' content as the app reads it: from ToolContent (loaded by `himaya load_content`),
in the reader's language. Text fields are {fr, ar, en}; `text()` picks the language, falling back
fr → en → ar like the rest of the content."""

from __future__ import annotations

from himaya.core.content import in_language

from .content import MEASURES_KEY, RISK_AID_KEY
from .models import ContentKind, ToolContent

# A {fr, ar, en} text in the reader's language (the content's fallback fr → en → ar).
text = in_language


def _doc(kind: str, key: str) -> dict | None:
    row = ToolContent.objects.filter(kind=kind, key=key).values_list("data", flat=True).first()
    return row


def risk_aid() -> dict | None:
    return _doc(ContentKind.RISK_AID, RISK_AID_KEY)


def measures() -> dict | None:
    return _doc(ContentKind.MEASURES, MEASURES_KEY)


def _all(kind: str) -> list[dict]:
    return list(
        ToolContent.objects.filter(kind=kind)
        .order_by("position", "key")
        .values_list("data", flat=True)
    )


def checklists() -> list[dict]:
    return _all(ContentKind.CHECKLIST)


def checklist(key: str) -> dict | None:
    return _doc(ContentKind.CHECKLIST, key)


def vignettes() -> list[dict]:
    return _all(ContentKind.VIGNETTE)


def vignette(key: str) -> dict | None:
    return _doc(ContentKind.VIGNETTE, key)


def factors(aid: dict) -> list[dict]:
    return [f for g in aid["groups"] for f in g["factors"]]


def by_key(items: list[dict]) -> dict[str, dict]:
    return {item["key"]: item for item in items}

"""The reviewer's checklist of doubts: what the engine is unsure of, for a human to look at
before anything is published."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from . import gazetteer as gz
from .spans import Span


def _doubt(kind: str, start: int, end: int, text: str, note: str = "") -> dict:
    return {"kind": kind, "start": start, "end": end, "text": text[start:end], "note": note}


def checklist(text: str, lang: str, spans: list[Span], proposed: list[Span], parties) -> list[dict]:
    found: list[dict] = []
    masked = [(s.start, s.end) for s in spans]

    def is_masked(start, end):
        return any(a <= start and end <= b for a, b in masked)

    # Similar spellings of name words not linked together ("Ouhssaine" / "Ouhsaine").
    seen: dict[str, Span] = {}
    for s in spans:
        if s.label != "PERSON":
            continue
        for word in re.findall(r"[\w'’-]{4,}", s.text(text)):
            seen.setdefault(gz.norm(word), s)
    words = sorted(seen)
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if abs(len(a) - len(b)) <= 2 and SequenceMatcher(None, a, b).ratio() >= 0.85:
                span = seen[b]
                found.append(_doubt("similar_spelling", span.start, span.end, text, f"{a} / {b}"))
    # One string under two categories.
    labels: dict[str, set] = {}
    for s in spans:
        labels.setdefault(gz.norm(s.text(text)), set()).add(s.label)
    for s in spans:
        if len(labels[gz.norm(s.text(text))]) > 1:
            found.append(
                _doubt(
                    "two_categories",
                    s.start,
                    s.end,
                    text,
                    ", ".join(sorted(labels[gz.norm(s.text(text))])),
                )
            )
    # Very short entities.
    for s in spans:
        if len(s.text(text).strip()) <= 2:
            found.append(_doubt("very_short", s.start, s.end, text))
    # Capitalised or unknown words left visible (French), next to a masked name or after a title.
    if lang != "ar":
        for m in re.finditer(r"(?<=[a-zà-ÿ,;] )([A-ZÀ-Ý][a-zà-ÿ'’-]{2,}|[A-ZÀ-Ý]{3,})\b", text):
            key = gz.norm(m.group(1))
            if is_masked(m.start(1), m.end(1)) or key in gz.stop_fr() or key in gz.cities():
                continue
            found.append(_doubt("visible_capitalised", m.start(1), m.end(1), text))
    # Numbers that look like identifiers and were left visible.
    for m in re.finditer(r"(?<![\d/])\d{5,}(?![\d/])|\b[A-Z]{1,2}\s?\d{4,}\b", text):
        if not is_masked(m.start(), m.end()):
            found.append(_doubt("visible_number", m.start(), m.end(), text))
    # Names given at upload and found nowhere.
    folded = text.casefold()
    for name in parties:
        if name.casefold() not in folded:
            found.append(
                {"kind": "party_not_found", "start": None, "end": None, "text": name, "note": ""}
            )
    # Proposals dropped for an overlapping one of another category.
    for p in proposed:
        if not any(s.start <= p.start and p.end <= s.end for s in spans) and not is_masked(
            p.start, p.end
        ):
            found.append(_doubt("dropped_proposal", p.start, p.end, text, p.label))
    found.sort(key=lambda d: (d["start"] is None, d["start"] or 0))
    return found

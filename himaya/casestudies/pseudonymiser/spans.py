"""Spans of a text and how overlapping proposals are settled."""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = (
    "PERSON",
    "ADDRESS",
    "ID_NUMBER",
    "PHONE",
    "EMAIL",
    "BIRTH_DATE",
    "BANK_ACCOUNT",
    "PLATE",
    "ORG_IDENTIFYING",
)
# When two proposals overlap, the higher priority wins; then the longer one.
PRIORITY = {
    "EMAIL": 9,
    "BANK_ACCOUNT": 8,
    "PHONE": 7,
    "ID_NUMBER": 7,
    "PLATE": 7,
    "BIRTH_DATE": 6,
    "ADDRESS": 5,
    "ORG_IDENTIFYING": 4,
    "PERSON": 3,
}


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    label: str
    source: str = field(default="", compare=False)  # which recognizer proposed it
    role: str = field(default="", compare=False)  # PERSON: victim, accused, … when a cue said so

    def text(self, text: str) -> str:
        return text[self.start : self.end]

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "label": self.label}


def trim(span: Span, text: str, chars: str = " \t\n\r,;:.،؛()«»\"'") -> Span | None:
    """The span without surrounding spaces and punctuation; None when nothing is left."""
    start, end = span.start, span.end
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    if end <= start:
        return None
    return Span(start, end, span.label, span.source, span.role)


def resolve(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, sorted: for overlapping proposals the higher priority, then the
    longer, wins. Two PERSON proposals that overlap are merged into their union."""
    ordered = sorted(spans, key=lambda s: (-PRIORITY[s.label], -(s.end - s.start), s.start))
    kept: list[Span] = []
    for span in ordered:
        clash = [k for k in kept if k.start < span.end and span.start < k.end]
        if not clash:
            kept.append(span)
            continue
        if span.label == "PERSON" and all(k.label == "PERSON" for k in clash):
            for k in clash:
                kept.remove(k)
            start = min([span.start] + [k.start for k in clash])
            end = max([span.end] + [k.end for k in clash])
            role = span.role or next((k.role for k in clash if k.role), "")
            kept.append(Span(start, end, "PERSON", span.source, role))
    out: list[Span] = []
    for span in sorted(kept):
        if out and span.start < out[-1].end:
            if (PRIORITY[span.label], span.end - span.start) > (
                PRIORITY[out[-1].label],
                out[-1].end - out[-1].start,
            ):
                out[-1] = span
            continue
        out.append(span)
    return out

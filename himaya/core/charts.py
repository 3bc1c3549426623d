"""Small SVG bar charts, the same on the web page and in the PDF (WeasyPrint draws SVG).

Attributes only (no inline style), so the pages' Content-Security-Policy allows them."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe


def hbar(
    rows: list[tuple[str, float]],
    *,
    maximum: float | None = None,
    unit: str = "",
    width: int = 560,
    label_width: int = 220,
) -> str:
    """Horizontal bars: one (label, value) per row."""
    rows = [(label, value or 0) for label, value in rows]
    top = maximum or max([v for _l, v in rows] + [1])
    bar_room = width - label_width - 60
    height = 24 * len(rows) + 8
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" direction="ltr">'
    ]
    for i, (label, value) in enumerate(rows):
        y = 6 + 24 * i
        length = 0 if top == 0 else round(bar_room * value / top, 1)
        shown = f"{value:.0f}{unit}" if isinstance(value, float) else f"{value}{unit}"
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="12" fill="#1d2630">{escape(label[:38])}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length}" height="16" fill="#1f4e5f"></rect>'
        )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{y + 13}" font-size="12" fill="#1d2630">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def paired_bars(
    rows: list[tuple[str, float | None, float | None]], *, width: int = 560, label_width: int = 220
) -> str:
    """Two bars per row (before / after), on a 0–100 scale."""
    bar_room = width - label_width - 60
    height = 40 * len(rows) + 8
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" direction="ltr">'
    ]
    for i, (label, before, after) in enumerate(rows):
        y = 6 + 40 * i
        parts.append(
            f'<text x="0" y="{y + 20}" font-size="12" fill="#1d2630">{escape(label[:38])}</text>'
        )
        for j, (value, colour) in enumerate(((before, "#9fb7c4"), (after, "#1f4e5f"))):
            if value is None:
                continue
            length = round(bar_room * value / 100, 1)
            parts.append(
                f'<rect x="{label_width}" y="{y + 16 * j}" width="{length}" height="14" fill="{colour}"></rect>'
            )
            parts.append(
                f'<text x="{label_width + length + 6}" y="{y + 16 * j + 12}" font-size="11" fill="#1d2630">{value:.0f}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above

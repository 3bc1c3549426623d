"""Small bar charts, the same on the web page and in the PDF.

Every text of a chart (labels, values, legend) is HTML, never SVG ``<text>``: WeasyPrint draws
SVG text code point by code point, without the Unicode bidi algorithm, so Arabic came out with
its letters reversed and unjoined in the PDF (Kozea/WeasyPrint#2909); and an SVG scaled to a
phone's width shrank its text to 5 px. HTML text is shaped and reordered by the browser and by
WeasyPrint alike, wraps on whole words and keeps its size. Only the bars are drawn, one tiny SVG
each, whose ``rect`` grows from the start side of the reading direction (the right in Arabic).

Attributes only (no inline style), so the pages' Content-Security-Policy allows them. Each chart
is a ``<figure>``: the bars form an image with an accessible name (``role="img"`` and
``aria-labelledby``), and a data table with the same figures follows in a ``<details>``."""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from himaya.core.text import keep_numbers_together

BAR_COLOUR = "#1f4e5f"
PRE_COLOUR = "#9fb7c4"
_ids = itertools.count(1)


def _chart_id() -> str:
    """Ids unique within a page (several charts share one page)."""
    return f"chart-{next(_ids)}"


def _shown(value, unit: str) -> str:
    """A value as the page shows it: localised, whole numbers (counts, percentages, scores)."""
    if value is None:
        return "–"
    return f"{number_format(round(value), 0)}{unit}"


def _bar(value, top: float, colour: str, *, rtl: bool, height: int = 14) -> SafeString:
    """One bar as a percentage of its track; in a right-to-left page it starts on the right."""
    share = 0.0 if not value or not top else max(0.0, min(100.0, 100 * float(value) / top))
    start = 100 - share if rtl else 0
    return format_html(
        '<svg class="chart-bar" width="100%" height="{}" aria-hidden="true" focusable="false">'
        '<rect class="chart-track" x="0" y="0" width="100%" height="{}" fill="#eef2f4"></rect>'
        '<rect x="{}%" y="0" width="{}%" height="{}" fill="{}"></rect></svg>',
        height,
        height,
        f"{start:.1f}",
        f"{share:.1f}",
        height,
        colour,
    )


def _figure(
    chart_id: str,
    name: str,
    *,
    rows_html: SafeString,
    table_html: SafeString,
    legend_html: SafeString | str = "",
    compact: bool = False,
    show_title: bool = False,
) -> SafeString:
    title_class = "chart-title" if show_title else "chart-title visually-hidden"
    return format_html(
        '<figure class="chart-figure">'
        '<figcaption class="{}" id="{}-name">{}</figcaption>'
        "{}"
        '<div class="chart{}" role="img" aria-labelledby="{}-name">{}</div>'
        "{}"
        "</figure>",
        title_class,
        chart_id,
        name,
        legend_html,
        " chart-compact" if compact else "",
        chart_id,
        rows_html,
        table_html,
    )


def _table(name: str, header: Sequence[str], rows: Sequence[Sequence]) -> SafeString:
    """The same figures as a table (a scrollable region on a phone: focusable, and named)."""
    head = format_html_join(
        "",
        '<th scope="col"{}>{}</th>',
        (("" if i == 0 else mark_safe(' class="num"'), h) for i, h in enumerate(header)),
    )
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (
                mark_safe(  # noqa: S308 - each cell is escaped by format_html below
                    "".join(
                        format_html('<th scope="row">{}</th>', cell)
                        if i == 0
                        else format_html('<td class="num">{}</td>', cell)
                        for i, cell in enumerate(row)
                    )
                ),
            )
            for row in rows
        ),
    )
    return format_html(
        '<details class="chart-data"><summary>{}</summary>'
        '<div class="table-wrap" role="region" tabindex="0" aria-label="{}">'
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div></details>",
        _("The figures as a table"),
        name,
        head,
        body,
    )


def _plain(label) -> str:
    """A label as plain text (a safe label may carry markup such as ``<bdi>``)."""
    if isinstance(label, SafeString):
        return html.unescape(strip_tags(label))
    return str(label)


def _summary(rows) -> str:
    """The accessible name when the caller gives no title: the figures themselves."""
    return "; ".join(f"{_plain(label)}: {text}" for label, text in rows)


def hbar(
    rows: list[tuple[str, float]],
    *,
    title: str | None = None,
    maximum: float | None = None,
    unit: str = "",
    label_header: str | None = None,
    value_header: str | None = None,
    data_table: bool = True,
    show_title: bool = False,
    width: int | None = None,
    label_width: int | None = None,
) -> SafeString:
    """Horizontal bars: one (label, value) per row. A label may be safe HTML (e.g. with
    ``<bdi>``); anything else is escaped. ``title`` names the chart for screen readers (shown
    above it with ``show_title``); the data table follows unless ``data_table=False`` (when the
    page shows the same figures in its own table). ``width`` is ignored (the chart takes its
    container's width); a ``label_width`` under 60 asks for a narrow label column (1–5 scales)."""
    rows = [(label, value or 0) for label, value in rows]
    top = maximum or max([v for _l, v in rows] + [1])
    rtl = get_language_bidi()
    shown = [(label, _shown(value, unit)) for label, value in rows]
    chart_id = _chart_id()
    name = title or _summary(shown)
    rows_html = format_html_join(
        "",
        '<div class="chart-row"><span class="chart-label">{}</span>'
        '<span class="chart-bars">{}</span><span class="chart-value">{}</span></div>',
        (
            (keep_numbers_together(label), _bar(value, top, BAR_COLOUR, rtl=rtl), text)
            for (label, value), (_l, text) in zip(rows, shown, strict=True)
        ),
    )
    table_html = (
        _table(
            name,
            [label_header or title or _("Category"), value_header or _("Value")],
            shown,
        )
        if data_table
        else ""
    )
    return _figure(
        chart_id,
        name,
        rows_html=rows_html,
        table_html=table_html,
        compact=label_width is not None and label_width < 60,
        show_title=show_title and bool(title),
    )


def paired_bars(
    rows: list[tuple[str, float | None, float | None]],
    *,
    title: str | None = None,
    series: tuple[str, str] | None = None,
    label_header: str | None = None,
    data_table: bool = True,
    legend: bool = True,
    show_title: bool = False,
    width: int | None = None,
    label_width: int | None = None,
) -> SafeString:
    """Two bars per row (before / after), on a 0–100 scale, with a legend naming the two
    series (``series``, by default pre-test and post-test). ``width`` and ``label_width`` are
    accepted for the callers of the former SVG chart and ignored."""
    before_name, after_name = series or (_("Pre-test"), _("Post-test"))
    rtl = get_language_bidi()
    chart_id = _chart_id()
    rows_html = format_html_join(
        "",
        '<div class="chart-row chart-row-paired"><span class="chart-label">{}</span>'
        '<span class="chart-bars">{}{}</span>'
        '<span class="chart-value"><span>{}</span><span>{}</span></span></div>',
        (
            (
                keep_numbers_together(label),
                _bar(before, 100, PRE_COLOUR, rtl=rtl, height=12),
                _bar(after, 100, BAR_COLOUR, rtl=rtl, height=12),
                _shown(before, ""),
                _shown(after, ""),
            )
            for label, before, after in rows
        ),
    )
    legend_html = (
        format_html(
            '<p class="legend chart-legend">'
            '<span><span class="swatch bar-pre"></span> {}</span> '
            '<span><span class="swatch bar-post"></span> {}</span></p>',
            before_name,
            after_name,
        )
        if legend
        else ""
    )
    shown = [(label, _shown(before, ""), _shown(after, "")) for label, before, after in rows]
    name = title or "; ".join(
        f"{_plain(label)}: {before_name} {b}, {after_name} {a}" for label, b, a in shown
    )
    table_html = (
        _table(name, [label_header or title or _("Category"), before_name, after_name], shown)
        if data_table
        else ""
    )
    return _figure(
        chart_id,
        name,
        rows_html=rows_html,
        table_html=table_html,
        legend_html=legend_html,
        show_title=show_title and bool(title),
    )

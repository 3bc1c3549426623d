"""The partner report of a cycle as PDF (WeasyPrint) and XLSX (openpyxl, one sheet per part)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference

from himaya.core.pdf import render_pdf
from himaya.core.spreadsheets import XlsxWriter


def report_pdf(data: dict) -> bytes:
    return render_pdf("reports/cycle_report_pdf.html", {**data, "printed_at": timezone.localtime()})


def _sheet(writer: XlsxWriter, title, header, rows):
    """A sheet through the project's writer: user-typed text (courts, names, titles) can
    never become a formula."""
    sheet = writer.sheet(title, header=header)
    for row in rows:
        sheet.append(list(row))
    sheet.fit_widths()
    return sheet.worksheet


def _bar_chart(sheet, title, rows: int, value_col: int = 2):
    if rows < 1:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.add_data(
        Reference(sheet, min_col=value_col, min_row=1, max_row=rows + 1), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    chart.height = max(6, rows * 0.6)
    sheet.add_chart(chart, "E2")


def report_xlsx(data: dict) -> bytes:
    writer = XlsxWriter()
    summary_sheet = writer.sheet(_("Summary"))
    summary = summary_sheet.worksheet
    cycle = data["cycle"]
    overall = next((a for a in data["learning"].axes if a.key == "overall"), None)
    summary_sheet.append([_("Cycle"), cycle.title])
    summary_sheet.append([_("Dates"), f"{cycle.start_date:%Y-%m-%d} – {cycle.end_date:%Y-%m-%d}"])
    summary_sheet.append([_("Participants"), data["participants"]])
    summary_sheet.append([_("Certificates issued"), data["certificates_valid"]])
    if overall and overall.pairs:
        summary_sheet.append([_("Pre-test mean"), round(overall.pre_mean, 2)])
        summary_sheet.append([_("Post-test mean"), round(overall.post_mean, 2)])
        summary_sheet.append([_("Wilcoxon p"), overall.wilcoxon.p_value])
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 50

    for key, title in (
        ("by_function", _("Function")),
        ("by_region", _("Region")),
        ("by_gender", _("Gender")),
        ("by_court", _("Court")),
    ):
        sheet = _sheet(writer, title, [title, _("Participants")], data[key])
        _bar_chart(sheet, title, len(data[key]))
    attendance_rows = [
        (
            f"{a['session'].date:%Y-%m-%d} {a['session'].start_time:%H:%M}",
            a["session"].title,
            a["present"],
            a["late"],
            a["excused"],
            a["absent"],
            round(a["rate"] * 100, 1) if a["rate"] is not None else None,
        )
        for a in data["attendance"]
    ]
    _sheet(
        writer,
        _("Attendance"),
        [
            _("Date"),
            _("Session"),
            _("Present"),
            _("Late"),
            _("Excused"),
            _("Absent"),
            _("Rate (%)"),
        ],
        attendance_rows,
    )
    learning_rows = []
    for axis in data["learning"].axes:
        w = axis.wilcoxon
        hl = axis.hodges_lehmann
        learning_rows.append(
            (
                axis.title or _("Overall"),
                axis.pairs,
                _round(axis.pre_mean),
                _round(axis.post_mean),
                _round(axis.raw_gain),
                _round(axis.normalised_gain, 3),
                w.w_plus if w else None,
                w.w_minus if w else None,
                w.p_value if w else None,
                w.method if w else None,
                _round(w.effect_size, 3) if w else None,
                _round(hl.estimate) if hl else None,
                _round(hl.low) if hl else None,
                _round(hl.high) if hl else None,
            )
        )
    _sheet(
        writer,
        _("Pre-post"),
        [
            _("Axis"),
            "n",
            _("Pre"),
            _("Post"),
            _("Gain"),
            "g",
            "W+",
            "W-",
            "p",
            _("Method"),
            "r",
            _("Median gain"),
            _("Lower bound of the interval"),
            _("Upper bound of the interval"),
        ],
        learning_rows,
    )
    _sheet(
        writer,
        _("Items"),
        [
            _("Question"),
            _("Form"),
            "n",
            _("Facility"),
            _("Discrimination"),
            _("Review this question"),
        ],
        [
            (
                r["question"].key,
                r["form"],
                r["n"],
                _round(r["stats"].facility, 3),
                _round(r["stats"].discrimination, 3),
                r["stats"].flagged,
            )
            for r in data["learning"].items
        ],
    )
    for key, title in (("satisfaction", _("Satisfaction")), ("follow_up", _("Follow-up"))):
        rows = []
        for result in data[key]:
            if not result["shown"]:
                rows.append(
                    (
                        result["survey"].title,
                        "",
                        result["respondents"],
                        _("fewer than 5 respondents: not shown"),
                        "",
                        "",
                        "",
                        "",
                        "",
                    )
                )
                continue
            for q in result["questions"]:
                if "counts" in q:
                    rows.append(
                        (
                            result["survey"].title,
                            q["question"].text,
                            q["answered"],
                            _round(q["mean"]),
                            *q["counts"],
                        )
                    )
        _sheet(
            writer,
            title,
            [_("Survey"), _("Question"), "n", _("Mean"), "1", "2", "3", "4", "5"],
            rows,
        )
    return writer.to_bytes()


def _round(value, digits=2):
    return round(value, digits) if isinstance(value, (int, float)) else None

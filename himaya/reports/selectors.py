"""Everything a partner report shows, read through the other apps' selectors."""

from __future__ import annotations

from collections import Counter

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html

from himaya.accounts.choices import Function, Gender, region_label
from himaya.assessments import selectors as assessment_selectors
from himaya.assessments.models import SurveyKind
from himaya.certificates import selectors as certificate_selectors
from himaya.core import charts
from himaya.core.languages import DEFAULT_LANGUAGE
from himaya.training import selectors as training_selectors

# A narrow no-break space: the sign never goes to the next line alone.
PERCENT = "\u202f%"


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code or "–"


def cycle_report(cycle) -> dict:
    enrolments = list(training_selectors.cycle_enrolments(cycle=cycle, include_withdrawn=False))
    people = [e.participant for e in enrolments]
    language = translation.get_language() or DEFAULT_LANGUAGE
    by_function = Counter(_label(Function, p.function) for p in people)
    by_region = Counter(region_label(p.region, language) or "–" for p in people)
    by_gender = Counter(_label(Gender, p.gender) for p in people)
    by_court = Counter(p.court or "–" for p in people)

    sessions = [
        s for s in training_selectors.sessions_with_details(cycle=cycle) if s.attendance_expected
    ]
    # The one attendance rate (training_selectors.attendance_tallies), session by session.
    tallies = training_selectors.attendance_tallies(cycles=[cycle], by="session")
    attendance = []
    for session in sessions:
        tally = tallies.get(session.pk, training_selectors.NO_ATTENDANCE)
        attendance.append(
            {
                "session": session,
                "present": tally.present,
                "late": tally.late,
                "excused": tally.excused,
                "absent": tally.absent,
                "rate": tally.rate,
            }
        )

    learning = assessment_selectors.cohort_results(cycle)
    surveys = [
        assessment_selectors.survey_results(s) for s in assessment_selectors.cycle_surveys(cycle)
    ]
    certificates = certificate_selectors.certificate_counts(cycles=[cycle])[cycle.pk]
    data = {
        "cycle": cycle,
        "participants": len(people),
        "by_function": by_function.most_common(),
        "by_region": by_region.most_common(),
        "by_gender": by_gender.most_common(),
        "by_court": by_court.most_common(),
        "attendance": attendance,
        "learning": learning,
        "satisfaction": [s for s in surveys if s["survey"].kind != SurveyKind.FOLLOW_UP],
        "follow_up": [s for s in surveys if s["survey"].kind == SurveyKind.FOLLOW_UP],
        "certificates_valid": certificates["valid"],
        "certificates_revoked": certificates["revoked"],
    }
    gettext = translation.gettext
    data["charts"] = {
        "function": charts.hbar(
            data["by_function"], title=gettext("By function"), value_header=gettext("Participants")
        ),
        "region": charts.hbar(
            data["by_region"], title=gettext("By region"), value_header=gettext("Participants")
        ),
        "gender": charts.hbar(
            data["by_gender"], title=gettext("By gender"), value_header=gettext("Participants")
        ),
        # The page's table below gives the same figures (and more): no second table.
        "attendance": charts.hbar(
            [
                (
                    format_html(
                        '<bdi dir="ltr">{}</bdi> {}',
                        date_format(a["session"].date, "d/m"),
                        a["session"].title,
                    ),
                    (a["rate"] or 0) * 100,
                )
                for a in attendance
            ],
            title=gettext("Attendance per session"),
            maximum=100,
            unit=PERCENT,
            data_table=False,
        ),
        "learning": charts.paired_bars(
            [
                (a.title or str(gettext("Overall")), a.pre_mean, a.post_mean)
                for a in learning.axes
                if a.pairs
            ],
            title=gettext("Pre-test and post-test by axis"),
            data_table=False,
        ),
    }
    return data


def programme_report(programme) -> list[dict]:
    """One line per cycle of a programme, to compare them: attendance and paired learning gain."""
    cycles = list(training_selectors.programme_cycles(programme=programme))
    stats = {s.cycle.pk: s for s in training_selectors.dashboard_cycles_for(cycles=cycles)}
    certificates = certificate_selectors.certificate_counts(cycles=cycles)
    learning_by_cycle = assessment_selectors.cohort_results_by_cycle(cycles)
    rows = []
    for cycle in cycles:
        learning = learning_by_cycle[cycle.pk]
        overall = next((a for a in learning.axes if a.key == "overall"), None)
        rows.append(
            {
                "cycle": cycle,
                "enrolled": stats[cycle.pk].enrolled,
                "attendance_rate": stats[cycle.pk].attendance_rate,
                "pre": overall.pre_mean if overall else None,
                "post": overall.post_mean if overall else None,
                "gain": overall.normalised_gain if overall else None,
                "p": overall.wilcoxon.p_value if overall and overall.wilcoxon else None,
                "certificates": certificates[cycle.pk]["valid"],
            }
        )
    return rows

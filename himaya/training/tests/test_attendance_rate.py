"""One attendance rate: the dashboard, the certificates' eligibility and the partner report read
`selectors.attendance_tallies` and agree on a cycle with every kind of record."""

import datetime

import pytest

from himaya.certificates import services as certificate_services
from himaya.certificates.models import CompletionRule
from himaya.reports import selectors as report_selectors
from himaya.training import selectors
from himaya.training.models import Attendance, EnrolmentStatus
from himaya.training.tests.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2024, 12, 5, 9, tzinfo=datetime.UTC)


def _record(session, person, status):
    Attendance.objects.create(session=session, participant=person, status=status, recorded_at=WHEN)


@pytest.fixture
def mixed_cycle(cycle):
    """Two sessions with attendance, one without (a break); five seated people, one withdrawn
    and one on the waiting list, whose records must not change the cycle's totals."""
    day_1 = SessionFactory(cycle=cycle, start_time=datetime.time(9), end_time=datetime.time(10))
    day_2 = SessionFactory(cycle=cycle, start_time=datetime.time(11), end_time=datetime.time(12))
    lunch = SessionFactory(
        cycle=cycle,
        start_time=datetime.time(13),
        end_time=datetime.time(14),
        attendance_expected=False,
    )
    present, late, excused, absent, missing = (
        EnrolmentFactory(cycle=cycle).participant for _ in range(5)
    )
    withdrawn = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WITHDRAWN).participant
    waiting = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WAITING).participant
    for session in (day_1, day_2):
        _record(session, present, "present")
        _record(session, late, "late")
        _record(session, excused, "excused")
        _record(session, absent, "absent")
        _record(session, withdrawn, "absent")
        _record(session, waiting, "absent")
    _record(day_2, missing, "not_expected")  # counts as nothing, like no record at all
    for person in (present, late, excused, absent, withdrawn, waiting):
        _record(lunch, person, "absent")  # no attendance is taken at lunch: never counted
    return {
        "cycle": cycle,
        "sessions": (day_1, day_2),
        "people": {
            "present": present,
            "late": late,
            "excused": excused,
            "absent": absent,
            "missing": missing,
        },
    }


def test_the_one_definition(mixed_cycle):
    cycle = mixed_cycle["cycle"]
    tally = selectors.attendance_tallies(cycles=[cycle])[cycle.pk]
    # Attended: present and late; counted: also excused and absent; 4 seated people × 2 sessions.
    assert (tally.present, tally.late, tally.excused, tally.absent) == (2, 2, 2, 2)
    assert tally.rate == 0.5
    people = mixed_cycle["people"]
    by_person = selectors.attendance_tallies(cycles=[cycle], by="participant")
    assert by_person[(cycle.pk, people["present"].pk)].rate == 1.0
    assert by_person[(cycle.pk, people["late"].pk)].rate == 1.0
    assert by_person[(cycle.pk, people["excused"].pk)].rate == 0.0  # excused is not attended
    assert by_person[(cycle.pk, people["absent"].pk)].rate == 0.0
    assert (cycle.pk, people["missing"].pk) not in by_person


def test_dashboard_certificates_and_report_agree(mixed_cycle):
    cycle = mixed_cycle["cycle"]
    people = mixed_cycle["people"]
    CompletionRule.objects.create(cycle=cycle, min_attendance=0.5, require_post_test=False)

    dashboard = selectors.dashboard_cycles_for(cycles=[cycle])[0].attendance_rate
    programme = report_selectors.programme_report(cycle.programme)[0]["attendance_rate"]
    eligibility = {row.participant.pk: row for row in certificate_services.eligibility(cycle)}
    report = report_selectors.cycle_report(cycle)["attendance"]

    assert dashboard == programme == 0.5
    assert {pk: row.attendance for pk, row in eligibility.items()} == {
        people["present"].pk: 1.0,
        people["late"].pk: 1.0,
        people["excused"].pk: 0.0,
        people["absent"].pk: 0.0,
        people["missing"].pk: None,
    }
    assert {people[k].pk for k in ("present", "late")} == {
        pk for pk, row in eligibility.items() if row.eligible
    }
    # The report, session by session: the same records, the same rate.
    assert [a["session"] for a in report] == list(mixed_cycle["sessions"])
    assert [(a["present"], a["late"], a["excused"], a["absent"], a["rate"]) for a in report] == [
        (1, 1, 1, 1, 0.5),
        (1, 1, 1, 1, 0.5),
    ]
    # Summed over sessions or over people, the cycle's tally.
    attended = sum(a["present"] + a["late"] for a in report)
    counted = sum(a["present"] + a["late"] + a["excused"] + a["absent"] for a in report)
    assert attended / counted == dashboard


def test_tallies_of_many_cycles_take_one_query(mixed_cycle, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.attendance_tallies(cycles=[mixed_cycle["cycle"]], by="session")

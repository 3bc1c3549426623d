"""The safeguards of `record_attendance`: not before the session's day, nothing in a closed cycle,
the latest tap wins when taps arrive late or twice, and the signal the certificates listen to."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone, translation

from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.training import services
from himaya.training.models import Attendance, CycleStatus
from himaya.training.signals import attendance_changed

pytestmark = pytest.mark.django_db

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")


def at(day, hour=10, minute=0):
    """A moment of the session's city (the sessions' dates are local dates)."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=CASABLANCA)


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append({"sender": sender, **kwargs})

    attendance_changed.connect(receiver)
    yield calls
    attendance_changed.disconnect(receiver)


def test_attendance_is_refused_before_the_sessions_day(session, participant, trainer):
    day_before = session.date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.record_attendance(
            session=session,
            participant=participant,
            status="present",
            actor=trainer,
            now=at(day_before, 23, 30),
        )
    assert excinfo.value.code == services.TOO_EARLY
    assert session.date.strftime("%d/%m/%Y") in excinfo.value.messages[0]
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(event=audit.ATTENDANCE_RECORDED).exists()


def test_the_day_is_the_local_day_not_utc(session, participant, trainer):
    # 00:30 in Casablanca on the session's day is still the day before in UTC (UTC+1).
    just_after_midnight = at(session.date, 0, 30)
    assert just_after_midnight.astimezone(datetime.UTC).date() < session.date
    record = services.record_attendance(
        session=session,
        participant=participant,
        status="present",
        actor=trainer,
        now=just_after_midnight,
    )
    assert record.status == "present"


def test_attendance_months_ahead_is_refused_with_the_real_clock(session, participant, trainer):
    months_before = at(session.date - datetime.timedelta(days=90))
    with time_machine.travel(months_before, tick=False), pytest.raises(ValidationError) as excinfo:
        services.record_attendance(
            session=session, participant=participant, status="present", actor=trainer
        )
    assert excinfo.value.code == services.TOO_EARLY


def test_a_device_clock_behind_is_not_refused_on_the_sessions_day(session, participant, trainer):
    """The server's day decides: a tablet whose clock says two days earlier still records, from
    the start of the session's day."""
    record = services.record_attendance(
        session=session,
        participant=participant,
        status="present",
        actor=trainer,
        now=at(session.date, 9),
        tapped_at=at(session.date - datetime.timedelta(days=2)),
    )
    assert record.status == "present"
    assert timezone.localdate(record.recorded_at) == session.date


def test_a_tap_on_the_day_before_is_refused_by_the_servers_clock(session, participant, trainer):
    with pytest.raises(ValidationError) as excinfo:
        services.record_attendance(
            session=session,
            participant=participant,
            status="present",
            actor=trainer,
            now=at(session.date - datetime.timedelta(days=1), 17),
        )
    assert excinfo.value.code == services.TOO_EARLY


def test_a_closed_cycle_is_locked_for_first_records_and_changes(
    cycle, session, participant, other_participant, trainer
):
    services.record_attendance(
        session=session, participant=participant, status="present", actor=trainer
    )
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    for person, status in ((participant, "absent"), (other_participant, "present")):
        with pytest.raises(ValidationError) as excinfo:
            services.record_attendance(
                session=session, participant=person, status=status, actor=trainer
            )
        assert excinfo.value.code == services.CYCLE_CLOSED
    assert list(Attendance.objects.values_list("participant_id", "status")) == [
        (participant.pk, "present")
    ]


def test_the_lock_reads_the_cycle_status_from_the_database(cycle, session, participant, trainer):
    # The session object in hand still says "open": the closing happened elsewhere.
    type(cycle).objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)
    assert session.cycle.status == CycleStatus.OPEN
    with pytest.raises(ValidationError) as excinfo:
        services.record_attendance(
            session=session, participant=participant, status="late", actor=trainer
        )
    assert excinfo.value.code == services.CYCLE_CLOSED


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_refusals_are_translated(cycle, session, participant, trainer, lang):
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    with translation.override(lang), pytest.raises(ValidationError) as excinfo:
        services.record_attendance(
            session=session, participant=participant, status="late", actor=trainer
        )
    with translation.override(lang):  # the message is lazy: read in the request's language
        message = excinfo.value.messages[0]
        assert message == str(services.ATTENDANCE_CYCLE_CLOSED)
    if lang != "en":
        assert message != "The cycle is closed: its attendance can no longer be changed."


def test_an_older_tap_arriving_late_does_not_overwrite_a_newer_one(session, participant, trainer):
    day = session.date
    services.record_attendance(
        session=session,
        participant=participant,
        status="late",
        actor=trainer,
        now=at(day, 9, 20),
        tapped_at=at(day, 9, 15),
    )
    # The tablet that lost the network sends its 09:05 tap at 09:30.
    record = services.record_attendance(
        session=session,
        participant=participant,
        status="absent",
        actor=trainer,
        now=at(day, 9, 30),
        tapped_at=at(day, 9, 5),
    )
    assert record.status == "late"
    assert Attendance.objects.get().status == "late"
    assert Attendance.objects.get().recorded_at == at(day, 9, 15)
    assert AuditEntry.objects.filter(event=audit.ATTENDANCE_RECORDED).count() == 1


def test_a_newer_tap_arriving_late_wins_and_keeps_its_time(session, participant, trainer):
    day = session.date
    services.record_attendance(
        session=session, participant=participant, status="absent", actor=trainer, now=at(day, 9)
    )
    record = services.record_attendance(
        session=session,
        participant=participant,
        status="late",
        actor=trainer,
        now=at(day, 11),
        tapped_at=at(day, 9, 25),
    )
    assert record.status == "late" and record.recorded_at == at(day, 9, 25)


def test_a_replayed_tap_changes_nothing(session, participant, trainer):
    day = session.date
    for now in (at(day, 9, 1), at(day, 9, 2), at(day, 10)):
        services.record_attendance(
            session=session,
            participant=participant,
            status="present",
            actor=trainer,
            now=now,
            tapped_at=at(day, 9),
        )
    assert Attendance.objects.count() == 1
    assert Attendance.objects.get().recorded_at == at(day, 9)
    assert AuditEntry.objects.filter(event=audit.ATTENDANCE_RECORDED).count() == 1


def test_a_device_clock_ahead_counts_as_the_servers_time(session, participant, trainer):
    day = session.date
    record = services.record_attendance(
        session=session,
        participant=participant,
        status="present",
        actor=trainer,
        now=at(day, 9),
        tapped_at=at(day, 18),
    )
    assert record.recorded_at == at(day, 9)
    # Otherwise a tablet running fast would make every later correction "older".
    record = services.record_attendance(
        session=session, participant=participant, status="late", actor=trainer, now=at(day, 9, 5)
    )
    assert record.status == "late"


def test_the_signal_is_sent_inside_the_transaction_for_each_create_and_change(
    session, participant, trainer, received
):
    day = session.date
    with TestCase.captureOnCommitCallbacks() as callbacks:
        services.record_attendance(
            session=session, participant=participant, status="present", actor=trainer, now=at(day)
        )
        services.record_attendance(
            session=session,
            participant=participant,
            status="present",
            actor=trainer,
            now=at(day, 10, 1),
        )
        services.record_attendance(
            session=session, participant=participant, status="late", actor=trainer, now=at(day, 11)
        )
    assert not callbacks  # sent at once, not after the commit
    assert [(c["before"], c["after"]) for c in received] == [(None, "present"), ("present", "late")]
    assert all(c["sender"] is Attendance for c in received)
    assert all(c["session"] == session and c["participant"] == participant for c in received)
    assert all(c["actor"] == trainer for c in received)


def test_a_receiver_that_fails_rolls_the_change_back(session, participant, trainer):
    def refuse(sender, **kwargs):
        raise ValidationError("certificate trouble")

    attendance_changed.connect(refuse)
    try:
        with pytest.raises(ValidationError):
            services.record_attendance(
                session=session, participant=participant, status="present", actor=trainer
            )
    finally:
        attendance_changed.disconnect(refuse)
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(event=audit.ATTENDANCE_RECORDED).exists()


def test_no_signal_for_a_refused_or_stale_tap(cycle, session, participant, trainer, received):
    day = session.date
    services.record_attendance(
        session=session, participant=participant, status="late", actor=trainer, now=at(day, 10)
    )
    services.record_attendance(
        session=session,
        participant=participant,
        status="absent",
        actor=trainer,
        now=at(day, 11),
        tapped_at=at(day, 9),
    )
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.record_attendance(
            session=session, participant=participant, status="absent", actor=trainer
        )
    assert [(c["before"], c["after"]) for c in received] == [(None, "late")]

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from himaya.training.models import (
    SESSION_END_BEFORE_START,
    SESSION_OUTSIDE_CYCLE,
    Attendance,
    AttendanceStatus,
    Session,
)

pytestmark = pytest.mark.django_db


def test_session_outside_cycle_gets_a_translated_validation_error(cycle):
    session = Session(
        cycle=cycle,
        title="Hors cycle",
        date=datetime.date(2024, 12, 9),
        start_time=datetime.time(9),
        end_time=datetime.time(10),
    )
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert excinfo.value.error_dict["date"][0].message == SESSION_OUTSIDE_CYCLE


def test_session_outside_cycle_is_refused_by_the_database(cycle):
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            cycle=cycle,
            title="Hors cycle",
            date=datetime.date(2024, 12, 9),
            start_time=datetime.time(9),
            end_time=datetime.time(10),
        )


def test_moving_the_cycle_away_from_its_sessions_is_refused_by_the_database(session):
    cycle = session.cycle
    cycle.start_date = datetime.date(2025, 1, 10)
    cycle.end_date = datetime.date(2025, 1, 11)
    with pytest.raises(IntegrityError), transaction.atomic():
        cycle.save()


def test_session_must_end_after_it_starts(cycle):
    session = Session(
        cycle=cycle,
        title="x",
        date=cycle.start_date,
        start_time=datetime.time(11),
        end_time=datetime.time(10),
    )
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert SESSION_END_BEFORE_START in [e.message for e in excinfo.value.error_dict["end_time"]]
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_cycle_end_before_start_is_refused_by_the_database(cycle):
    cycle.end_date = datetime.date(2024, 12, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        cycle.save()


def test_one_attendance_per_participant_and_session(session, participant, coordinator):
    from django.utils import timezone

    Attendance.objects.create(
        session=session,
        participant=participant,
        status=AttendanceStatus.PRESENT,
        recorded_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            session=session,
            participant=participant,
            status=AttendanceStatus.LATE,
            recorded_at=timezone.now(),
        )

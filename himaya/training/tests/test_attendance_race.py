"""Two first taps for one participant race: the second becomes an update, never a 500."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.training import services
from himaya.training.models import Attendance, AttendanceStatus


@pytest.mark.django_db
def test_a_first_tap_that_loses_the_race_becomes_an_update(
    session, participant, trainer, monkeypatch
):
    # The other tablet's tap is already committed, but this transaction looked before it was.
    Attendance.objects.create(
        session=session,
        participant=participant,
        status="present",
        recorded_by=trainer,
        recorded_at=timezone.now(),
    )
    real = services._locked_attendance
    calls = []

    def stale_then_real(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(services, "_locked_attendance", stale_then_real)
    record = services.record_attendance(
        session=session, participant=participant, status="late", actor=trainer
    )
    assert record.status == AttendanceStatus.LATE
    assert Attendance.objects.get(session=session, participant=participant).status == "late"
    entry = AuditEntry.objects.get(event=audit.ATTENDANCE_RECORDED, target_id=str(record.pk))
    assert entry.changes["status"] == ["present", "late"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises writers itself")
def test_simultaneous_first_taps_on_postgresql(session, participant, trainer):
    barrier = threading.Barrier(8)
    errors = []

    def tap(status):
        try:
            barrier.wait(timeout=10)
            services.record_attendance(
                session=session, participant=participant, status=status, actor=trainer
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=tap, args=("present" if i % 2 else "late",)) for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Attendance.objects.filter(session=session, participant=participant).count() == 1

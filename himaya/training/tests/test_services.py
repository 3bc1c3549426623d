import pytest
from django.core.exceptions import ValidationError

from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.training import services
from himaya.training.models import Attendance, AttendanceStatus, EnrolmentStatus
from himaya.training.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_attendance_creates_then_updates_with_audit(session, participant, trainer):
    services.record_attendance(
        session=session, participant=participant, status="present", actor=trainer
    )
    services.record_attendance(
        session=session, participant=participant, status="late", actor=trainer
    )
    record = Attendance.objects.get(session=session, participant=participant)
    assert record.status == AttendanceStatus.LATE
    assert record.recorded_by == trainer
    entries = list(AuditEntry.objects.filter(target_id=str(record.pk)).order_by("id"))
    assert [e.event for e in entries] == [audit.ATTENDANCE_RECORDED] * 2
    assert entries[0].changes["status"] == [None, "present"]
    assert entries[1].changes["status"] == ["present", "late"]
    assert entries[1].actor == trainer


def test_same_tap_twice_changes_nothing(session, participant, trainer):
    services.record_attendance(
        session=session, participant=participant, status="present", actor=trainer
    )
    services.record_attendance(
        session=session, participant=participant, status="present", actor=trainer
    )
    assert Attendance.objects.count() == 1
    assert AuditEntry.objects.filter(event=audit.ATTENDANCE_RECORDED).count() == 1


def test_attendance_only_for_enrolled_participants(session, trainer):
    stranger = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.record_attendance(
            session=session, participant=stranger, status="present", actor=trainer
        )
    assert excinfo.value.code == services.NOT_ENROLLED
    assert Attendance.objects.count() == 0


def test_unknown_status_is_refused(session, participant, trainer):
    with pytest.raises(ValidationError):
        services.record_attendance(
            session=session, participant=participant, status="asleep", actor=trainer
        )


def test_enrolment_status_change_is_audited(cycle, participant, coordinator):
    enrolment = participant.enrolments.get(cycle=cycle)
    services.set_enrolment_status(
        enrolment=enrolment, status=EnrolmentStatus.CONFIRMED, actor=coordinator
    )
    entry = AuditEntry.objects.get(event=audit.ENROLMENT_UPDATED, target_id=str(enrolment.pk))
    assert entry.changes["status"] == ["invited", "confirmed"]
    assert entry.actor == coordinator

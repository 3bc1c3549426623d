"""Each training service writes its typed audit event, with the actor and the changed fields."""

import datetime

import pytest

from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.training import services
from himaya.training.models import EnrolmentStatus
from himaya.training.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def events(**filters) -> list[str]:
    return list(AuditEntry.objects.filter(**filters).order_by("id").values_list("event", flat=True))


def test_creating_and_changing_a_cycle_are_events(cycle, coordinator, module, trainer):
    new = services.create_cycle(
        programme=cycle.programme,
        slug="rabat-2025-cycle-2",
        data={
            "number": 2,
            "title_fr": "Cycle 2 — Rabat",
            "city_fr": "Rabat",
            "start_date": datetime.date(2025, 5, 6),
            "end_date": datetime.date(2025, 5, 7),
            "capacity": 25,
        },
        actor=coordinator,
    )
    created = AuditEntry.objects.get(event=audit.CYCLE_CREATED)
    assert created.actor == coordinator and created.target_id == str(new.pk)
    assert created.changes["slug"] == [None, "rabat-2025-cycle-2"]

    assert services.update_cycle(cycle=new, data={"capacity": 30, "number": 2}, actor=coordinator)
    updated = AuditEntry.objects.get(event=audit.CYCLE_UPDATED)
    assert updated.changes == {"capacity": [25, 30]}
    assert services.update_cycle(cycle=new, data={"capacity": 30}, actor=coordinator) == {}
    assert events(event=audit.CYCLE_UPDATED) == [audit.CYCLE_UPDATED]  # no change, no event

    session = services.create_session(
        cycle=new,
        key="s1",
        data={
            "title_fr": "Séance 1",
            "date": datetime.date(2025, 5, 6),
            "start_time": datetime.time(9),
            "end_time": datetime.time(10, 30),
            "modules": [module],
            "trainers": [trainer],
        },
        actor=coordinator,
    )
    entry = AuditEntry.objects.get(event=audit.SESSION_CREATED)
    assert entry.target_id == str(session.pk) and entry.extra["trainers"] == [trainer.pk]
    assert list(session.trainers.all()) == [trainer]
    changes = services.update_session(session=session, data={"trainers": []}, actor=coordinator)
    assert changes == {"trainers": [[trainer.pk], []]}
    assert AuditEntry.objects.get(event=audit.SESSION_UPDATED).changes == changes


def test_a_coordinator_of_another_partner_may_not_create_a_cycle(cycle):
    from django.core.exceptions import PermissionDenied

    from himaya.accounts.choices import Role
    from himaya.training.tests.factories import PartnerFactory

    stranger = UserFactory(role=Role.COORDINATOR, partner=PartnerFactory())
    with pytest.raises(PermissionDenied):
        services.update_cycle(cycle=cycle, data={"capacity": 99}, actor=stranger)
    assert not AuditEntry.objects.filter(event=audit.CYCLE_UPDATED).exists()


def test_enrolment_and_withdrawal_are_events(cycle, coordinator):
    person = UserFactory()
    enrolment = services.enrol(cycle=cycle, participant=person, actor=coordinator)
    services.enrol(cycle=cycle, participant=person, actor=coordinator)  # already: no event
    services.set_enrolment_status(
        enrolment=enrolment, status=EnrolmentStatus.WITHDRAWN, actor=coordinator
    )
    assert events(target_id=str(enrolment.pk)) == [
        audit.ENROLMENT_CREATED,
        audit.ENROLMENT_WITHDRAWN,
    ]
    withdrawn = AuditEntry.objects.get(event=audit.ENROLMENT_WITHDRAWN)
    assert withdrawn.changes["status"] == ["invited", "withdrawn"]
    assert withdrawn.actor == coordinator


def test_attendance_is_recorded_as_an_event(session, participant, trainer):
    record = services.record_attendance(
        session=session, participant=participant, status="absent", actor=trainer
    )
    entry = AuditEntry.objects.get(event=audit.ATTENDANCE_RECORDED)
    assert entry.actor == trainer and entry.target_id == str(record.pk)
    assert entry.changes["status"] == [None, "absent"]


def test_an_applied_import_is_one_event_besides_its_accounts_and_enrolments(cycle, coordinator):
    data = (
        b"email,first_name,last_name,gender,function\r\n"
        b"amina.test@justice.test,Amina,Test,F,judge\r\n"
        b"badr.test@justice.test,Badr,Test,M,prosecutor\r\n"
    )
    report = services.import_participants(
        cycle=cycle, data=data, filename="p.csv", actor=coordinator
    )
    assert report.applied
    applied = AuditEntry.objects.get(event=audit.IMPORT_APPLIED)
    assert applied.actor == coordinator and applied.target_id == str(cycle.pk)
    assert applied.extra == {"created": 2, "updated": 0, "unchanged": 0, "enrolled": 2}
    assert sorted(events(event__in=["user.created", audit.ENROLMENT_CREATED])) == [
        audit.ENROLMENT_CREATED,
        audit.ENROLMENT_CREATED,
        "user.created",
        "user.created",
    ]

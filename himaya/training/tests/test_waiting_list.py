"""The waiting list: rows beyond a cycle's capacity are enrolled as `waiting`, hold no seat and no
right in the cycle, and the first of them takes the seat a withdrawal frees."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from himaya.accounts.choices import Role
from himaya.certificates import services as certificate_services
from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.training import selectors, services
from himaya.training.models import (
    WITHOUT_SEAT,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    ParticipantImport,
)
from himaya.training.tests.factories import EnrolmentFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,gender,function"


def _file(n: int, start: int = 0) -> bytes:
    rows = [HEADER] + [f"w{i}@justice.test,W{i},N{i},F,judge" for i in range(start, start + n)]
    return ("\r\n".join(rows) + "\r\n").encode()


@pytest.fixture
def small_cycle(cycle):
    cycle.capacity = 2
    cycle.save()
    return cycle


def _waiting(cycle, **kwargs):
    return EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WAITING, **kwargs)


def test_waiting_list_label_is_translated():
    labels = set()
    for language in ("fr", "ar", "en"):
        with translation.override(language):
            labels.add(str(EnrolmentStatus.WAITING.label))
    assert labels == {"Liste d’attente", "لائحة الانتظار", "Waiting list"}
    assert set(WITHOUT_SEAT) == {EnrolmentStatus.WITHDRAWN, EnrolmentStatus.WAITING}


def test_the_database_accepts_the_waiting_status(small_cycle):
    enrolment = _waiting(small_cycle)
    enrolment.refresh_from_db()
    assert enrolment.status == "waiting"


# --- imports -----------------------------------------------------------------------------


def test_cli_json_counts_waiting_rows_as_created_and_adds_the_waiting_key(
    small_cycle, tmp_path, capsys
):
    path = tmp_path / "p.csv"
    path.write_bytes(_file(3))
    call_command("import_participants", str(path), cycle=small_cycle.slug, json=True)
    assert json.loads(capsys.readouterr().out) == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "waiting": 1,
        "errors": [],
    }
    assert Enrolment.objects.get(participant__email="w2@justice.test").status == "waiting"
    applied = AuditEntry.objects.get(event=audit.IMPORT_APPLIED)
    assert applied.extra["waiting"] == 1


@pytest.mark.django_db(transaction=True)  # jobs run on commit, as in production
def test_the_preview_shows_the_waiting_list_as_the_outcome(client, coordinator, small_cycle):
    client.force_login(coordinator)
    with translation.override("en"):
        client.post(
            reverse("training:import_upload", args=[small_cycle.slug]),
            {"file": SimpleUploadedFile("p.csv", _file(3))},
        )
        pending = ParticipantImport.objects.get(cycle=small_cycle)
        page = client.get(
            reverse("training:import_preview", args=[small_cycle.slug, pending.pk])
        ).content.decode()
    assert 'id="waiting-count"' in page
    assert 'class="badge outcome created">Waiting list</span>' in page
    assert page.count('class="badge outcome created">New</span>') == 2
    assert 'id="confirm-import"' in page  # a full cycle no longer refuses the file


# --- no seat, no rights -------------------------------------------------------------------


def test_waiting_people_hold_no_seat_and_no_access(small_cycle, module):
    person = _waiting(small_cycle).participant
    EnrolmentFactory(cycle=small_cycle)
    assert selectors.dashboard_cycles_for(cycles=[small_cycle])[0].enrolled == 1
    assert not person.has_perm("training.access_cycle", small_cycle)
    assert not person.has_perm("training.read_module", module)
    assert list(selectors.cycles_for_user(user=person)) == []
    assert selectors.participant_cycles(user=person) == []
    # They are on the coordinator's list of the cycle, with their status.
    assert person.pk in {e.participant_id for e in selectors.cycle_enrolments(cycle=small_cycle)}
    seated = selectors.cycle_enrolments(cycle=small_cycle, include_withdrawn=False)
    assert person.pk not in {e.participant_id for e in seated}


def test_waiting_people_are_not_on_the_attendance_sheet_nor_recorded(small_cycle, trainer):
    session = SessionFactory(cycle=small_cycle)
    person = _waiting(small_cycle).participant
    assert person not in [
        r["participant"] for r in selectors.attendance_for_session(session=session)
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.record_attendance(
            session=session, participant=person, status="present", actor=trainer
        )
    assert excinfo.value.code == services.NOT_ENROLLED
    assert not Attendance.objects.exists()


def test_waiting_people_are_not_eligible_for_a_certificate(small_cycle, trainer):
    session = SessionFactory(cycle=small_cycle)
    seated = EnrolmentFactory(cycle=small_cycle).participant
    waiting = _waiting(small_cycle).participant
    services.record_attendance(session=session, participant=seated, status="present", actor=trainer)
    # A record made while the person held a seat, before being put back on the list.
    Attendance.objects.create(
        session=session,
        participant=waiting,
        status="present",
        recorded_at=datetime.datetime(2024, 12, 5, 9, tzinfo=datetime.UTC),
    )
    from himaya.certificates.models import CompletionRule

    CompletionRule.objects.create(cycle=small_cycle, require_post_test=False)
    people = [row.participant for row in certificate_services.eligibility(small_cycle)]
    assert people == [seated]


def test_a_withdrawal_elsewhere_in_the_cycle_does_not_hide_it_from_a_participant(cycle):
    person = EnrolmentFactory(cycle=cycle).participant
    EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WITHDRAWN)
    assert list(selectors.cycles_for_user(user=person)) == [cycle]


# --- promotion ----------------------------------------------------------------------------


def test_a_withdrawal_promotes_the_first_waiting_person_by_enrolment_date(small_cycle, coordinator):
    seated = [EnrolmentFactory(cycle=small_cycle) for _ in range(2)]
    with time_machine.travel(datetime.datetime(2024, 11, 2, tzinfo=datetime.UTC), tick=False):
        second = _waiting(small_cycle)
    with time_machine.travel(datetime.datetime(2024, 11, 1, tzinfo=datetime.UTC), tick=False):
        first = _waiting(small_cycle)
    services.set_enrolment_status(
        enrolment=seated[0], status=EnrolmentStatus.WITHDRAWN, actor=coordinator
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EnrolmentStatus.INVITED
    assert second.status == EnrolmentStatus.WAITING
    event = AuditEntry.objects.get(event=audit.ENROLMENT_PROMOTED)
    assert event.target_id == str(first.pk) and event.actor == coordinator
    assert event.changes == {"status": ["waiting", "invited"]}
    assert event.extra == {"seat_freed_by": seated[0].pk}
    assert first.participant.has_perm("training.access_cycle", small_cycle)


def test_a_waiting_person_who_withdraws_frees_no_seat(small_cycle, coordinator):
    for _ in range(2):
        EnrolmentFactory(cycle=small_cycle)
    leaving = _waiting(small_cycle)
    staying = _waiting(small_cycle)
    services.set_enrolment_status(
        enrolment=leaving, status=EnrolmentStatus.WITHDRAWN, actor=coordinator
    )
    staying.refresh_from_db()
    assert staying.status == EnrolmentStatus.WAITING
    assert not AuditEntry.objects.filter(event=audit.ENROLMENT_PROMOTED).exists()


def test_no_promotion_while_the_cycle_is_still_full(small_cycle, coordinator):
    seated = [EnrolmentFactory(cycle=small_cycle) for _ in range(3)]  # filled beyond by hand
    waiting = _waiting(small_cycle)
    services.set_enrolment_status(
        enrolment=seated[0], status=EnrolmentStatus.WITHDRAWN, actor=coordinator
    )
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.WAITING


def test_an_imported_waiting_person_is_promoted_when_a_seat_frees(small_cycle, coordinator):
    report = services.import_participants(
        cycle=small_cycle, data=_file(3), filename="p.csv", actor=None
    )
    assert report.as_dict()["waiting"] == 1
    withdrawn = Enrolment.objects.get(participant__email="w0@justice.test")
    services.set_enrolment_status(
        enrolment=withdrawn, status=EnrolmentStatus.WITHDRAWN, actor=coordinator
    )
    promoted = Enrolment.objects.get(participant__email="w2@justice.test")
    assert promoted.status == EnrolmentStatus.INVITED
    assert UserFactory._meta.model.objects.get(email="w2@justice.test").role == Role.PARTICIPANT

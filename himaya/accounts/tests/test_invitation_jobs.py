"""Invitations in the background: after an import, and when a coordinator (re)sends them."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from himaya.accounts import invitations
from himaya.accounts.choices import Role
from himaya.core.models import AuditEntry, Job, JobStatus
from himaya.training.models import EnrolmentStatus, ParticipantImport
from himaya.training.tests.factories import (
    CycleFactory,
    EnrolmentFactory,
    PartnerFactory,
    ProgrammeFactory,
    UserFactory,
)

FILE = (
    "email,first_name,last_name,gender,function,preferred_language\n"
    "x@j.test,Xavière,Yassine,F,judge,ar\n"
    "z@j.test,Zineb,Alaoui,F,prosecutor,fr\n"
).encode()


def _never_had_password(**kwargs):
    user = UserFactory(**kwargs)
    user.set_unusable_password()
    user.save()
    return user


def _import(client, cycle):
    client.post(
        reverse("training:import_upload", args=[cycle.slug]),
        {"file": SimpleUploadedFile("p.csv", FILE)},
    )
    pending = ParticipantImport.objects.get(cycle=cycle, applied_at__isnull=True)
    return client.post(
        reverse("training:import_preview", args=[cycle.slug, pending.pk]), follow=True
    )


@pytest.mark.django_db(transaction=True)
def test_the_import_invites_every_person_it_created_in_their_language(client, coordinator, cycle):
    client.force_login(coordinator)
    done = _import(client, cycle)
    assert done.status_code == 200
    job = Job.objects.get(kind="training.import_apply")
    assert job.status == JobStatus.SUCCEEDED
    assert "2 invitations envoyées" in job.message
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["x@j.test", "z@j.test"]
    assert "/ar/accounts/welcome/" in by_address["x@j.test"].body
    assert "/fr/accounts/welcome/" in by_address["z@j.test"].body
    assert cycle.title in by_address["z@j.test"].body
    assert AuditEntry.objects.filter(event="invitation.sent").count() == 2

    # The same file again: nobody new, nobody invited twice.
    mail.outbox.clear()
    _import(client, cycle)
    assert mail.outbox == []
    assert (
        "0 invitation envoyée" in Job.objects.filter(kind="training.import_apply").first().message
    )


@pytest.fixture
def other_partner_person(db):
    other = CycleFactory(programme=ProgrammeFactory(partners=[PartnerFactory()]))
    return EnrolmentFactory(cycle=other, participant=_never_had_password()).participant


def _run(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        job = invitations.start_invitation_job(**kwargs)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_the_bulk_job_sends_to_the_coordinators_people_with_progress(
    coordinator, cycle, django_capture_on_commit_callbacks
):
    people = [_never_had_password() for _ in range(3)]
    for person in people:
        EnrolmentFactory(cycle=cycle, participant=person)
    active = EnrolmentFactory(cycle=cycle).participant
    withdrawn = _never_had_password()
    EnrolmentFactory(cycle=cycle, participant=withdrawn, status=EnrolmentStatus.WITHDRAWN)

    job = _run(
        django_capture_on_commit_callbacks,
        owner=coordinator,
        users=[*people, active, withdrawn],
        cycle=cycle,
        back_url="/fr/",
    )
    assert job.kind == "accounts.invitations"
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.progress_done == job.progress_total == 5
    assert job.params == {
        "users": sorted(u.pk for u in [*people, active, withdrawn]),
        "cycle": cycle.pk,
    }
    assert "4 courriels envoyés" in job.message  # three invitations and one notice
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in [*people, active])

    # Resending works: the link restarts.
    mail.outbox.clear()
    again = _run(
        django_capture_on_commit_callbacks, owner=coordinator, users=[people[0].pk], cycle=cycle
    )
    assert again.status == JobStatus.SUCCEEDED and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_bulk_job_refuses_people_of_other_partners_and_sends_nothing(
    coordinator, cycle, other_partner_person, django_capture_on_commit_callbacks
):
    mine = _never_had_password()
    EnrolmentFactory(cycle=cycle, participant=mine)
    job = _run(
        django_capture_on_commit_callbacks,
        owner=coordinator,
        users=[mine, other_partner_person],
        cycle=None,
    )
    assert job.status == JobStatus.FAILED
    assert "Rien n’a été envoyé" in job.message
    assert mail.outbox == []
    mine.refresh_from_db()
    assert mine.invited_at is None


@pytest.mark.django_db
def test_the_bulk_job_refuses_another_partners_cycle_and_missing_people(
    coordinator, other_partner_person, django_capture_on_commit_callbacks
):
    other_cycle = other_partner_person.enrolments.get().cycle
    job = _run(
        django_capture_on_commit_callbacks,
        owner=coordinator,
        users=[other_partner_person],
        cycle=other_cycle,
    )
    assert job.status == JobStatus.FAILED
    gone = _run(django_capture_on_commit_callbacks, owner=coordinator, users=[987654], cycle=None)
    assert gone.status == JobStatus.FAILED
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_bulk_job_rechecks_rights_when_it_runs(
    coordinator, cycle, django_capture_on_commit_callbacks
):
    person = _never_had_password()
    EnrolmentFactory(cycle=cycle, participant=person)
    job = invitations.start_invitation_job(owner=coordinator, users=[person], cycle=cycle)
    coordinator.role = Role.TRAINER  # rights changed while the job waited
    coordinator.save()
    from himaya.core import jobs

    jobs.execute(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert mail.outbox == []

"""No certificate before the cycle's last session is over; re-issue with a new code; review
flags after an attendance change (through the training signal), resolved by the coordinator."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from himaya.certificates import services
from himaya.certificates.models import Certificate
from himaya.core import jobs
from himaya.core.jobs.models import Job, JobStatus
from himaya.core.models import AuditEntry
from himaya.testing import url
from himaya.training.models import Attendance
from himaya.training.signals import attendance_changed
from himaya.training.tests.factories import CycleFactory

from .utils import agenda, attend, other_coordinator, rule

pytestmark = pytest.mark.django_db

CASABLANCA = datetime.timezone(datetime.timedelta(hours=1))  # Morocco in December 2024


@pytest.fixture
def held(cycle, trainer, enrol_many):
    """Five sessions on 5 December 2024, the last from 16:00 to 17:30 (local time); two people
    present at all of them; rule: 80 %, no post-test."""
    sessions = agenda(cycle)
    people = enrol_many(2)
    for person in people:
        attend(sessions, person, ["present"] * 5, actor=trainer)
    rule(cycle, minimum="0.80")
    return sessions, people


BEFORE_END = datetime.datetime(2024, 12, 5, 17, 20, tzinfo=CASABLANCA)
AFTER_END = datetime.datetime(2024, 12, 5, 17, 31, tzinfo=CASABLANCA)


def test_no_certificate_before_the_last_session_is_over_local_time(cycle, held, coordinator):
    with time_machine.travel(BEFORE_END, tick=False):
        with pytest.raises(ValidationError) as refused:
            services.issue_certificates(cycle=cycle, actor=coordinator)
        assert refused.value.code == services.CYCLE_NOT_OVER
        assert "17:30" in refused.value.messages[0]
    assert not Certificate.objects.exists()
    with time_machine.travel(AFTER_END, tick=False):
        result = services.issue_certificates(cycle=cycle, actor=coordinator)
    assert len(result["issued"]) == 2
    assert Certificate.objects.first().issued_on == datetime.date(2024, 12, 5)


def test_a_cycle_without_sessions_gets_no_certificate(participant, coordinator):
    empty = CycleFactory(programme=participant.enrolments.get().cycle.programme)
    with pytest.raises(ValidationError) as refused:
        services.issue_certificates(cycle=empty, actor=coordinator)
    assert refused.value.code == services.CYCLE_WITHOUT_SESSIONS


def test_the_screen_says_why_and_the_job_and_the_command_refuse_too(
    client, cycle, held, coordinator
):
    client.force_login(coordinator)
    screen = url("certificates:cycle_certificates", cycle.slug, lang="en")
    with time_machine.travel(BEFORE_END, tick=False):
        body = client.get(screen).content.decode()
        assert 'id="issue-refused"' in body and "last session is over" in body
        assert 'id="issue-certificates"' not in body
        with TestCase.captureOnCommitCallbacks(execute=True):
            posted = client.post(url("certificates:issue", cycle.slug, lang="en"), follow=True)
        assert "last session is over" in posted.content.decode()
        assert not Job.objects.exists()
        # A job started anyway (an old tab, a script) is refused when it runs.
        with TestCase.captureOnCommitCallbacks(execute=True):
            job = jobs.start(
                owner=coordinator, kind="certificates.issue", title="t", params={"cycle": cycle.pk}
            )
        job = Job.objects.get(pk=job.pk)
        assert job.status == JobStatus.FAILED and "last session" in job.message
        with pytest.raises(CommandError):
            call_command("issue_certificates", cycle=cycle.slug)
    assert not Certificate.objects.exists()
    with time_machine.travel(AFTER_END, tick=False):
        assert 'id="issue-certificates"' in client.get(screen).content.decode()


def _issued(cycle, coordinator):
    services.issue_certificates(cycle=cycle, actor=coordinator)
    return list(Certificate.objects.order_by("participant__last_name"))


def test_reissue_gives_a_new_code_and_the_old_one_verifies_as_revoked(
    client, cycle, held, coordinator
):
    old, _other = _issued(cycle, coordinator)
    services.revoke(certificate=old, reason="Name misspelt", actor=coordinator)
    # The batch does not give a revoked person a new certificate by itself.
    again = services.issue_certificates(cycle=cycle, actor=coordinator)
    assert again["issued"] == [] and [r["code"] for r in again["revoked"]] == [old.code]
    new = services.reissue(certificate=old, actor=coordinator)
    assert new.code != old.code and new.replaces == old and new.is_valid
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert "badge disputed" in client.get(reverse("verify", args=[old.code])).content.decode()
    assert "badge verified" in client.get(reverse("verify", args=[new.code])).content.decode()
    entry = AuditEntry.objects.get(event=services.CERTIFICATE_REISSUED)
    assert entry.actor == coordinator and entry.extra == {"replaces": old.code}
    with pytest.raises(ValidationError) as twice:
        services.reissue(certificate=old, actor=coordinator)
    assert twice.value.code == services.ALREADY_REPLACED
    with pytest.raises(ValidationError) as valid:
        services.reissue(certificate=new, actor=coordinator)
    assert valid.value.code == services.NOT_REVOKED
    # The database holds one valid certificate per participant and cycle, whatever the code.
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            cycle=cycle, participant=new.participant, issued_on=timezone.localdate(), language="fr"
        )


def test_reissue_needs_the_person_to_be_eligible(cycle, held, coordinator):
    sessions, people = held
    certificate, _ = _issued(cycle, coordinator)
    services.revoke(certificate=certificate, reason="Attendance corrected", actor=coordinator)
    Attendance.objects.filter(participant=certificate.participant, session=sessions[0]).update(
        status="absent"
    )
    Attendance.objects.filter(participant=certificate.participant, session=sessions[1]).update(
        status="absent"
    )
    with pytest.raises(ValidationError) as refused:
        services.reissue(certificate=certificate, actor=coordinator)
    assert refused.value.code == services.NOT_ELIGIBLE
    assert Certificate.objects.filter(participant=certificate.participant).count() == 1


def test_reissue_on_the_screen(client, cycle, held, coordinator, trainer):
    certificate, _ = _issued(cycle, coordinator)
    services.revoke(certificate=certificate, reason="Wrong name", actor=coordinator)
    client.force_login(coordinator)
    screen = client.get(url("certificates:cycle_certificates", cycle.slug, lang="en"))
    assert f'id="reissue-{certificate.pk}"' in screen.content.decode()
    for outsider in (other_coordinator(), trainer, certificate.participant):
        client.force_login(outsider)
        assert client.post(url("certificates:reissue", certificate.pk)).status_code == 403
    client.force_login(coordinator)
    done = client.post(url("certificates:reissue", certificate.pk, lang="en"), follow=True)
    new = Certificate.objects.get(replaces=certificate)
    body = done.content.decode()
    assert new.code in body and "The old one stays revoked" in body
    assert "Earlier, revoked:" in body and certificate.code in body
    again = client.post(url("certificates:reissue", certificate.pk, lang="en"), follow=True)
    assert "already been issued again" in again.content.decode()
    # The participant's own page links the new certificate, not the revoked one.
    from himaya.certificates.ui import my_cycle_links

    [link] = my_cycle_links(certificate.participant, [cycle])[cycle.pk]
    assert link.url == reverse("certificates:pdf", args=[new.pk])


def _change(session, person, before, after, actor):
    """What the attendance sheet does: write the record, then send the training signal."""
    Attendance.objects.filter(session=session, participant=person).update(status=after)
    attendance_changed.send(
        sender=Attendance,
        session=session,
        participant=person,
        before=before,
        after=after,
        actor=actor,
    )


def test_an_attendance_change_after_issue_flags_never_revokes(
    client, cycle, held, coordinator, trainer
):
    sessions, people = held
    certificate, other = _issued(cycle, coordinator)
    person = certificate.participant
    _change(sessions[0], person, "present", "absent", trainer)  # 4/5: still 80 %
    certificate.refresh_from_db()
    assert not certificate.needs_review
    _change(sessions[1], person, "present", "excused", trainer)  # 3/5
    certificate.refresh_from_db()
    assert certificate.needs_review and certificate.is_valid
    assert certificate.review_reason == "attendance_changed"
    assert certificate.review_details["after"] == "excused"
    flagged = AuditEntry.objects.get(event=services.CERTIFICATE_FLAGGED)
    assert flagged.actor == trainer and flagged.target_id == str(certificate.pk)
    other.refresh_from_db()
    assert not other.needs_review
    # Public: still valid. Coordinator: flagged, with what changed.
    public = client.get(reverse("verify", args=[certificate.code])).content.decode()
    assert "badge verified" in public
    client.force_login(coordinator)
    body = client.get(url("certificates:cycle_certificates", cycle.slug, lang="en")).content
    body = body.decode()
    assert f'id="review-{certificate.pk}"' in body and "Needs review" in body
    assert "Attendance changed after issue" in body and "Present → Excused" in body
    # Keep it: the flag goes, audited; only the cycle's coordinators may.
    for outsider in (other_coordinator(), trainer):
        client.force_login(outsider)
        assert client.post(url("certificates:keep", certificate.pk)).status_code == 403
    client.force_login(coordinator)
    client.post(url("certificates:keep", certificate.pk))
    certificate.refresh_from_db()
    assert not certificate.needs_review and certificate.is_valid
    assert AuditEntry.objects.get(event=services.CERTIFICATE_KEPT).actor == coordinator
    # A kept certificate is not flagged again by a change that grants it no more than before.
    _change(sessions[2], person, "present", "late", trainer)
    certificate.refresh_from_db()
    assert not certificate.needs_review
    with pytest.raises(ValidationError) as not_flagged:
        services.keep_after_review(certificate=certificate, actor=coordinator)
    assert not_flagged.value.code == services.NOT_FLAGGED


def test_a_flag_is_cleared_when_the_attendance_is_corrected_back(cycle, held, coordinator, trainer):
    sessions, _people = held
    certificate, _ = _issued(cycle, coordinator)
    person = certificate.participant
    _change(sessions[0], person, "present", "absent", trainer)
    _change(sessions[1], person, "present", "absent", trainer)
    certificate.refresh_from_db()
    assert certificate.needs_review
    _change(sessions[1], person, "absent", "present", trainer)
    certificate.refresh_from_db()
    assert not certificate.needs_review
    assert AuditEntry.objects.filter(event=services.CERTIFICATE_REVIEW_CLEARED).count() == 1


def test_a_flagged_certificate_revoked_with_a_reason(client, cycle, held, coordinator, trainer):
    sessions, _people = held
    certificate, _ = _issued(cycle, coordinator)
    _change(sessions[0], certificate.participant, "present", "absent", trainer)
    _change(sessions[1], certificate.participant, "present", "absent", trainer)
    client.force_login(coordinator)
    refused = client.post(
        url("certificates:revoke", certificate.pk, lang="en"), {"reason": " "}, follow=True
    )
    assert "Give the reason" in refused.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid and certificate.needs_review
    client.post(url("certificates:revoke", certificate.pk), {"reason": "Absent twice"})
    certificate.refresh_from_db()
    assert not certificate.is_valid and not certificate.needs_review
    assert (
        "badge disputed" in client.get(reverse("verify", args=[certificate.code])).content.decode()
    )


def test_a_tap_for_someone_without_certificate_costs_one_query(
    cycle, held, trainer, django_assert_num_queries
):
    sessions, people = held
    with django_assert_num_queries(1):
        services.reevaluate_after_attendance_change(
            session=sessions[0], participant=people[0], before="present", after="absent"
        )


def test_a_failing_review_never_loses_the_attendance_tap(
    cycle, held, coordinator, trainer, monkeypatch
):
    sessions, people = held
    _issued(cycle, coordinator)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "reevaluate_after_attendance_change", broken)
    with transaction.atomic():
        _change(sessions[0], people[0], "present", "absent", trainer)
    assert Attendance.objects.get(session=sessions[0], participant=people[0]).status == "absent"

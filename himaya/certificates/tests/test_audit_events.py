"""Issuing and revoking certificates are typed audit events."""

import pytest

from himaya.certificates import services
from himaya.certificates.models import Certificate, CompletionRule
from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.training import services as training_services
from himaya.training.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_issue_and_revoke_are_events(cycle, participant, trainer, coordinator):
    CompletionRule.objects.create(cycle=cycle, min_attendance="0.50", require_post_test=False)
    session = SessionFactory(cycle=cycle)
    training_services.record_attendance(
        session=session, participant=participant, status="present", actor=trainer
    )
    result = services.issue_certificates(cycle=cycle, actor=coordinator)
    [issued] = AuditEntry.objects.filter(event=audit.CERTIFICATE_ISSUED)
    assert issued.actor == coordinator and issued.changes["code"][1] == result["issued"][0]["code"]
    certificate = Certificate.objects.get(participant=participant)
    services.revoke(certificate=certificate, reason="Attendance corrected.", actor=coordinator)
    revoked = AuditEntry.objects.get(event=audit.CERTIFICATE_REVOKED)
    assert revoked.actor == coordinator and revoked.target_id == str(certificate.pk)
    assert revoked.changes["revoked_reason"] == ["", "Attendance corrected."]

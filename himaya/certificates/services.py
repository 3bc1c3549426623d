"""Completion, issue (idempotent, in batch) and revocation of certificates."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.assessments import selectors as assessment_selectors
from himaya.core import audit
from himaya.core.languages import DEFAULT_LANGUAGE
from himaya.training import selectors as training_selectors

from .models import Certificate, CompletionRule

REASON_REQUIRED = "reason_required"


@dataclass
class Eligibility:
    participant: object
    attendance: float | None
    post_test: bool
    eligible: bool


def rule_for(cycle) -> CompletionRule:
    rule = CompletionRule.objects.filter(cycle=cycle).first()
    return rule or CompletionRule(cycle=cycle)  # the default rule: 80 % and the post-test


def eligibility(cycle) -> list[Eligibility]:
    rule = rule_for(cycle)
    sessions = [
        s for s in training_selectors.sessions_with_details(cycle=cycle) if s.attendance_expected
    ]
    enrolments = list(training_selectors.cycle_enrolments(cycle=cycle, include_withdrawn=False))
    rows = training_selectors.attendance_matrix(
        cycle=cycle, sessions=sessions, enrolments=enrolments
    )
    # Submitted, or its time is over (submitted with its answers by `submit_expired_attempts`).
    took_post = assessment_selectors.post_test_taker_ids(cycle)
    out = []
    for row in rows:
        person = row["participant"]
        rate = row["rate"]
        ok = rate is not None and rate >= float(rule.min_attendance)
        post = person.pk in took_post
        if rule.require_post_test:
            ok = ok and post
        out.append(Eligibility(participant=person, attendance=rate, post_test=post, eligible=ok))
    return out


@transaction.atomic
def issue_certificates(*, cycle, actor=None) -> dict:
    """Issue a certificate to every eligible participant who has none; running it again issues
    nothing new. Returns {"issued": [...], "existing": [...]} with e-mail and code."""
    if actor is not None and not actor.has_perm("training.manage_cycle", cycle):
        raise PermissionDenied
    existing = {
        c.participant_id: c
        for c in Certificate.objects.filter(cycle=cycle).select_related("participant")
    }
    issued, kept = [], []
    today = timezone.localdate()
    for row in eligibility(cycle):
        if not row.eligible:
            continue
        person = row.participant
        if person.pk in existing:
            kept.append(existing[person.pk])
            continue
        certificate = Certificate.objects.create(
            cycle=cycle,
            participant=person,
            issued_on=today,
            language=person.preferred_language or DEFAULT_LANGUAGE,
        )
        audit.record_create(actor=actor, target=certificate, event=audit.CERTIFICATE_ISSUED)
        issued.append(certificate)
    return {
        "issued": [{"email": c.participant.email, "code": c.code} for c in issued],
        "existing": [{"email": c.participant.email, "code": c.code} for c in kept],
    }


def revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    if not actor.has_perm("training.manage_cycle", certificate.cycle):
        raise PermissionDenied
    return _revoke(certificate=certificate, reason=reason, actor=actor)


def revoke_as_system(*, certificate: Certificate, reason: str) -> Certificate:
    """For content loading and the command line, where no signed-in person acts."""
    return _revoke(certificate=certificate, reason=reason, actor=None)


@transaction.atomic
def _revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the revocation."), code=REASON_REQUIRED)
    if certificate.revoked_at:
        return certificate
    before = audit.snapshot(certificate)
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:2000]
    certificate.revoked_by = actor
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "updated_at"])
    audit.record_update(
        actor=actor, target=certificate, before=before, event=audit.CERTIFICATE_REVOKED
    )
    return certificate

"""Completion, issue (idempotent, in batch), revocation, re-issue and review of certificates.

Safeguards: a certificate is issued only once the cycle's last session is over (its end, local
time); a cycle without sessions gets none. A change after issue that means a certificate would
no longer be granted (an attendance record, the completion rule) flags it for the coordinator's
review: the platform never revokes by itself, and the public page still says valid."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from himaya.assessments import selectors as assessment_selectors
from himaya.core import audit, authz
from himaya.core.languages import DEFAULT_LANGUAGE
from himaya.training import selectors as training_selectors
from himaya.training.models import AttendanceStatus, Cycle

from .models import (
    Certificate,
    CompletionRule,
    ExcusedAbsences,
    ReviewReason,
    Signatory,
)

# Validation codes (the tests and the code share one spelling).
REASON_REQUIRED = "reason_required"
CYCLE_NOT_OVER = "cycle_not_over"
CYCLE_WITHOUT_SESSIONS = "cycle_without_sessions"
NOT_REVOKED = "not_revoked"
ALREADY_REPLACED = "already_replaced"
ALREADY_VALID = "already_valid"
NOT_ELIGIBLE = "not_eligible"
NOT_FLAGGED = "not_flagged"

# Reasons a participant is not eligible (codes, described by `reason_texts`).
NO_ATTENDANCE_RECORDED = "no_attendance"
ATTENDANCE_LOW = "attendance_low"
POST_TEST_MISSING = "post_test_missing"

# Audit events of this app beyond `certificate.issued` and `certificate.revoked`.
CERTIFICATE_REISSUED = "certificate.reissued"
CERTIFICATE_FLAGGED = "certificate.review_flagged"
CERTIFICATE_REVIEW_CLEARED = "certificate.review_cleared"
CERTIFICATE_KEPT = "certificate.review_kept"
RULE_CREATED = "completion_rule.created"
RULE_UPDATED = "completion_rule.updated"
SIGNATORIES_UPDATED = "certificate_signatories.updated"
SETTINGS_COPIED = "certificate_settings.copied"

_COUNTED = {
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
}


@dataclass
class Eligibility:
    participant: object
    attendance: float | None  # the rate as the rule counts it (excused absences included)
    post_test: bool
    eligible: bool
    attended: int = 0
    counted: int = 0
    minimum: float = 0.8
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_texts(self) -> list[str]:
        return reason_texts(self.reasons, attendance=self.attendance, minimum=self.minimum)


def _percent(value) -> str:
    return f"{formats.number_format(round(float(value) * 100), 0)}\u202f%"


def reason_texts(reasons, *, attendance, minimum) -> list[str]:
    """Why a person is not (or no longer) eligible, in the active language."""
    texts = []
    for reason in reasons:
        if reason == NO_ATTENDANCE_RECORDED:
            texts.append(_("no attendance recorded"))
        elif reason == ATTENDANCE_LOW:
            texts.append(
                _("attendance %(rate)s < %(minimum)s")
                % {"rate": _percent(attendance or 0), "minimum": _percent(minimum)}
            )
        elif reason == POST_TEST_MISSING:
            texts.append(_("post-test missing"))
    return texts


def rule_for(cycle) -> CompletionRule:
    rule = CompletionRule.objects.filter(cycle=cycle).first()
    return rule or CompletionRule(cycle=cycle)  # the default rule: 80 % and the post-test


def counted_rate(tally, excused: str) -> tuple[int, int]:
    """(attended, counted) of an attendance tally, excused absences counted as the rule says:
    as sessions not attended (the platform's rate), as attended, or left out of the count."""
    attended, counted = tally.present + tally.late, tally.counted
    if excused == ExcusedAbsences.ATTENDED:
        attended += tally.excused
    elif excused == ExcusedAbsences.EXCLUDED:
        counted -= tally.excused
    return attended, counted


def judge(participant, tally, *, took_post_test: bool, rule: CompletionRule) -> Eligibility:
    """One participant's eligibility from their attendance tally and post-test."""
    attended, counted = counted_rate(tally, rule.excused_absences)
    # str(): the unsaved default rule holds the float 0.80, whose Decimal is a hair above.
    minimum = Decimal(str(rule.min_attendance)).quantize(Decimal("0.01"))
    reasons = []
    if not counted:
        reasons.append(NO_ATTENDANCE_RECORDED)
    elif Decimal(attended) < minimum * counted:  # exact: 4 of 5 is 80 %, not 79.99…
        reasons.append(ATTENDANCE_LOW)
    if rule.require_post_test and not took_post_test:
        reasons.append(POST_TEST_MISSING)
    return Eligibility(
        participant=participant,
        attendance=attended / counted if counted else None,
        post_test=took_post_test,
        eligible=not reasons,
        attended=attended,
        counted=counted,
        minimum=float(minimum),
        reasons=reasons,
    )


def eligibility(cycle, *, rule: CompletionRule | None = None) -> list[Eligibility]:
    """Every participant holding a seat, with their eligibility under `rule` (the cycle's rule
    when None: an unsaved rule previews a change). Four queries whatever the cohort's size."""
    rule = rule if rule is not None else rule_for(cycle)
    enrolments = training_selectors.cycle_enrolments(cycle=cycle, include_withdrawn=False)
    tallies = training_selectors.attendance_tallies(cycles=[cycle], by="participant")
    # Submitted, or its time is over (submitted with its answers by `submit_expired_attempts`).
    took_post = assessment_selectors.post_test_taker_ids(cycle)
    return [
        judge(
            enrolment.participant,
            tallies.get((cycle.pk, enrolment.participant_id), training_selectors.NO_ATTENDANCE),
            took_post_test=enrolment.participant_id in took_post,
            rule=rule,
        )
        for enrolment in enrolments
    ]


# --- the safeguard: no certificate before the end of the cycle ------------------------------


def last_session_end(cycle, *, sessions=None) -> datetime.datetime | None:
    """When the cycle's last session ends (local time), or None for a cycle without sessions."""
    return training_selectors.agenda_bounds(cycle, sessions=sessions)[1]


def issue_refusal(cycle, *, sessions=None, now=None) -> ValidationError | None:
    """Why certificates may not be issued for this cycle now (None when they may)."""
    end = last_session_end(cycle, sessions=sessions)
    if end is None:
        return ValidationError(
            _("This cycle has no session yet: no certificate can be issued."),
            code=CYCLE_WITHOUT_SESSIONS,
        )
    if (now or timezone.now()) < end:
        local = timezone.localtime(end, timezone.get_default_timezone())
        return ValidationError(
            _(
                "Certificates can be issued once the cycle's last session is over: "
                "after %(date)s at %(time)s."
            )
            % {
                "date": formats.date_format(local, "j F Y"),
                "time": formats.time_format(local, "H:i"),
            },
            code=CYCLE_NOT_OVER,
        )
    return None


def _ensure_cycle_over(cycle) -> None:
    refusal = issue_refusal(cycle)
    if refusal is not None:
        raise refusal


# --- issue, revocation, re-issue -----------------------------------------------------------


def _language_of(person) -> str:
    return person.preferred_language or DEFAULT_LANGUAGE


@transaction.atomic
def issue_certificates(*, cycle, actor=None) -> dict:
    """Issue a certificate to every eligible participant who has none; running it again issues
    nothing new. A participant whose certificate was revoked gets none here (re-issue is a
    decision of its own: `reissue`). Refused (ValidationError) before the cycle's last session
    is over. Returns {"issued": [...], "existing": [...], "revoked": [...]} with e-mail and
    code."""
    authz.require_actor(actor, "training.manage_cycle", cycle)
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()  # one batch at a time
    _ensure_cycle_over(cycle)
    valid, revoked = {}, {}
    for certificate in Certificate.objects.filter(cycle=cycle).select_related("participant"):
        (valid if certificate.is_valid else revoked)[certificate.participant_id] = certificate
    issued, kept, left = [], [], []
    today = timezone.localdate()
    for row in eligibility(cycle):
        if not row.eligible:
            continue
        person = row.participant
        if person.pk in valid:
            kept.append(valid[person.pk])
            continue
        if person.pk in revoked:
            left.append(revoked[person.pk])
            continue
        certificate = Certificate.objects.create(
            cycle=cycle, participant=person, issued_on=today, language=_language_of(person)
        )
        audit.record_create(actor=actor, target=certificate, event=audit.CERTIFICATE_ISSUED)
        issued.append(certificate)

    def listed(certificates):
        return [{"email": c.participant.email, "code": c.code} for c in certificates]

    return {"issued": listed(issued), "existing": listed(kept), "revoked": listed(left)}


def revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    authz.require(actor, "certificates.manage_certificate", certificate)
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
    # A revocation settles a pending review.
    certificate.review_since, certificate.review_reason, certificate.review_details = None, "", {}
    certificate.save(
        update_fields=[
            "revoked_at",
            "revoked_reason",
            "revoked_by",
            "review_since",
            "review_reason",
            "review_details",
            "updated_at",
        ]
    )
    audit.record_update(
        actor=actor, target=certificate, before=before, event=audit.CERTIFICATE_REVOKED
    )
    return certificate


@transaction.atomic
def reissue(*, certificate: Certificate, actor) -> Certificate:
    """A new certificate, with a new code, for the holder of a revoked one (which stays revoked
    and verifies as revoked). The holder must be eligible now, and the cycle over."""
    authz.require(actor, "certificates.manage_certificate", certificate)
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("cycle", "participant")
        .get(pk=certificate.pk)
    )
    if certificate.revoked_at is None:
        raise ValidationError(
            _("Only a revoked certificate can be issued again."), code=NOT_REVOKED
        )
    if Certificate.objects.filter(replaces=certificate).exists():
        raise ValidationError(
            _("This certificate has already been issued again."), code=ALREADY_REPLACED
        )
    cycle, person = certificate.cycle, certificate.participant
    if Certificate.objects.filter(
        cycle=cycle, participant=person, revoked_at__isnull=True
    ).exists():
        raise ValidationError(
            _("This participant already has a valid certificate for the cycle."),
            code=ALREADY_VALID,
        )
    _ensure_cycle_over(cycle)
    row = next((r for r in eligibility(cycle) if r.participant.pk == person.pk), None)
    if row is None or not row.eligible:
        why = ", ".join(row.reason_texts) if row else _("no longer a participant of the cycle")
        raise ValidationError(
            _("This participant is not eligible: %(reasons)s.") % {"reasons": why},
            code=NOT_ELIGIBLE,
        )
    new = Certificate.objects.create(
        cycle=cycle,
        participant=person,
        issued_on=timezone.localdate(),
        language=_language_of(person),
        replaces=certificate,
    )
    audit.record_create(
        actor=actor, target=new, event=CERTIFICATE_REISSUED, extra={"replaces": certificate.code}
    )
    return new


# --- review after a change -----------------------------------------------------------------


def _flag(*, certificate, reason: str, details: dict, actor) -> None:
    before = audit.snapshot(certificate)
    certificate.review_since = timezone.now()
    certificate.review_reason = reason
    certificate.review_details = details
    certificate.save(
        update_fields=["review_since", "review_reason", "review_details", "updated_at"]
    )
    audit.record_update(actor=actor, target=certificate, before=before, event=CERTIFICATE_FLAGGED)


def _clear_flag(*, certificate, actor, event: str, extra: dict | None = None) -> None:
    before = audit.snapshot(certificate)
    certificate.review_since, certificate.review_reason, certificate.review_details = None, "", {}
    certificate.save(
        update_fields=["review_since", "review_reason", "review_details", "updated_at"]
    )
    audit.record_update(
        actor=actor, target=certificate, before=before, event=event, extra=extra or {}
    )


def _row_details(row: Eligibility) -> dict:
    return {"reasons": row.reasons, "attendance": row.attendance, "minimum": row.minimum}


@transaction.atomic
def keep_after_review(*, certificate: Certificate, actor, note: str = "") -> Certificate:
    """The coordinator has looked at a flagged certificate and keeps it valid."""
    authz.require(actor, "certificates.manage_certificate", certificate)
    if not certificate.needs_review:
        raise ValidationError(_("This certificate is not awaiting review."), code=NOT_FLAGGED)
    _clear_flag(
        certificate=certificate,
        actor=actor,
        event=CERTIFICATE_KEPT,
        extra={"note": (note or "").strip()[:2000]},
    )
    return certificate


def _tally_before(tally, *, before: str | None, after: str | None):
    """The participant's tally as it was before one record went from `before` to `after`."""
    counts = {
        "present": tally.present,
        "late": tally.late,
        "excused": tally.excused,
        "absent": tally.absent,
    }
    if after in _COUNTED:
        counts[str(after)] -= 1
    if before in _COUNTED:
        counts[str(before)] += 1
    return type(tally)(**{k: max(v, 0) for k, v in counts.items()})


def reevaluate_after_attendance_change(
    *, session, participant, before, after, actor=None
) -> Certificate | None:
    """Look again at the participant's valid certificate of the session's cycle after one of
    their attendance records changed: flag it when it would no longer be granted (it was
    before the change), clear the flag when it would be again. Returns the certificate when
    its flag changed. One query when the person has no certificate (every tap of a sheet)."""
    if before == after or not session.attendance_expected:
        return None
    certificate = (
        Certificate.objects.filter(
            cycle_id=session.cycle_id, participant=participant, revoked_at__isnull=True
        )
        .select_related("cycle")
        .first()
    )
    if certificate is None:
        return None
    cycle = certificate.cycle
    rule = rule_for(cycle)
    tally = training_selectors.attendance_tallies(cycles=[cycle], by="participant").get(
        (cycle.pk, participant.pk), training_selectors.NO_ATTENDANCE
    )
    took_post = participant.pk in assessment_selectors.post_test_taker_ids(cycle)
    now_row = judge(participant, tally, took_post_test=took_post, rule=rule)
    if now_row.eligible:
        if certificate.needs_review:
            _clear_flag(
                certificate=certificate,
                actor=actor,
                event=CERTIFICATE_REVIEW_CLEARED,
                extra={"session": session.pk, "before": before, "after": after},
            )
            return certificate
        return None
    was = judge(
        participant,
        _tally_before(tally, before=before, after=after),
        took_post_test=took_post,
        rule=rule,
    )
    if certificate.needs_review or not was.eligible:
        return None
    _flag(
        certificate=certificate,
        reason=ReviewReason.ATTENDANCE_CHANGED,
        details={
            **_row_details(now_row),
            "session": session.title,
            "session_date": session.date.isoformat(),
            "before": before or "",
            "after": after or "",
        },
        actor=actor,
    )
    return certificate


def on_attendance_changed(sender, *, session, participant, before, after, actor=None, **kwargs):
    """Receiver of `himaya.training.signals.attendance_changed` (connected in apps.py). A
    failure here must not lose the tap on the attendance sheet: it is logged, in a savepoint."""
    try:
        with transaction.atomic():
            reevaluate_after_attendance_change(
                session=session, participant=participant, before=before, after=after, actor=actor
            )
    except Exception:
        logging.getLogger("himaya.certificates").exception(
            "Re-evaluating the certificate of participant %s after an attendance change failed",
            getattr(participant, "pk", participant),
        )


def _reevaluate_cycle(*, cycle, old_rows: dict, actor) -> dict:
    """After a rule change: flag the valid certificates that were granted under the old rule
    and would not be under the new one; clear the flags of those granted again."""
    new_rows = {r.participant.pk: r for r in eligibility(cycle)}
    flagged = cleared = 0
    for certificate in Certificate.objects.filter(cycle=cycle, revoked_at__isnull=True):
        new = new_rows.get(certificate.participant_id)
        old = old_rows.get(certificate.participant_id)
        if new is None:  # no longer holds a seat: not this change's business
            continue
        if new.eligible:
            if certificate.needs_review:
                _clear_flag(certificate=certificate, actor=actor, event=CERTIFICATE_REVIEW_CLEARED)
                cleared += 1
        elif not certificate.needs_review and old is not None and old.eligible:
            _flag(
                certificate=certificate,
                reason=ReviewReason.RULE_CHANGED,
                details=_row_details(new),
                actor=actor,
            )
            flagged += 1
    return {"flagged": flagged, "cleared": cleared}


def review_text(certificate: Certificate) -> str:
    """What changed, and why the certificate would no longer be granted (active language)."""
    details = certificate.review_details or {}
    why = ", ".join(
        reason_texts(
            details.get("reasons", []),
            attendance=details.get("attendance"),
            minimum=details.get("minimum", 0.8),
        )
    )
    if certificate.review_reason == ReviewReason.ATTENDANCE_CHANGED:
        labels = dict(AttendanceStatus.choices)
        try:
            day = formats.date_format(
                datetime.date.fromisoformat(details.get("session_date", "")), "j F Y"
            )
        except ValueError:
            day = ""
        return _(
            "Attendance changed after issue (%(session)s, %(date)s: %(before)s → %(after)s); "
            "now %(why)s."
        ) % {
            "session": details.get("session", ""),
            "date": day,
            "before": labels.get(details.get("before"), "–"),
            "after": labels.get(details.get("after"), "–"),
            "why": why,
        }
    if certificate.review_reason == ReviewReason.RULE_CHANGED:
        return _("The completion rule changed after issue; now %(why)s.") % {"why": why}
    return why


# --- the completion rule -------------------------------------------------------------------


@transaction.atomic
def update_rule(
    *, cycle, actor, min_attendance, require_post_test: bool, excused_absences: str
) -> tuple[CompletionRule, dict]:
    """Set the cycle's completion rule (`min_attendance` from 0 to 1) and look again at the
    certificates already issued (flagged for review, never revoked). Returns the rule and
    {"flagged": n, "cleared": n}."""
    authz.require(actor, "training.manage_cycle", cycle)
    data = {
        "min_attendance": Decimal(str(min_attendance)).quantize(Decimal("0.01")),
        "require_post_test": bool(require_post_test),
        "excused_absences": excused_absences,
    }
    rule = CompletionRule.objects.select_for_update().filter(cycle=cycle).first()
    has_certificates = Certificate.objects.filter(cycle=cycle, revoked_at__isnull=True).exists()
    old_rows = (
        {r.participant.pk: r for r in eligibility(cycle, rule=rule or CompletionRule(cycle=cycle))}
        if has_certificates
        else {}
    )
    if rule is None:
        rule = audit.model_create(CompletionRule, data={"cycle": cycle, **data})
        audit.record_create(actor=actor, target=rule, event=RULE_CREATED)
    else:
        changes = audit.model_update(instance=rule, data=data)
        if not changes:
            return rule, {"flagged": 0, "cleared": 0}
        audit.record(event=RULE_UPDATED, actor=actor, target=rule, changes=changes)
    outcome = (
        _reevaluate_cycle(cycle=cycle, old_rows=old_rows, actor=actor)
        if has_certificates
        else {"flagged": 0, "cleared": 0}
    )
    return rule, outcome


# --- signatories and settings --------------------------------------------------------------

SIGNATORY_FIELDS = ("name_fr", "name_ar", "title_fr", "title_ar", "title_en")


def signatories_of(cycle) -> list[Signatory]:
    return list(Signatory.objects.filter(cycle=cycle).order_by("order", "pk"))


def _signatory_values(signatories) -> list[dict]:
    return [{f: getattr(s, f) for f in SIGNATORY_FIELDS} for s in signatories]


@transaction.atomic
def set_signatories(*, cycle, actor, signatories: list[dict]) -> list[Signatory]:
    """Replace the cycle's signatories by `signatories` (dicts of the name and title fields),
    in that order. Audited with the list before and after."""
    authz.require(actor, "training.manage_cycle", cycle)
    return _set_signatories(cycle=cycle, actor=actor, signatories=signatories)


def _set_signatories(*, cycle, actor, signatories: list[dict]) -> list[Signatory]:
    old = signatories_of(cycle)
    wanted = [{f: (item.get(f) or "").strip() for f in SIGNATORY_FIELDS} for item in signatories]
    if wanted == _signatory_values(old):
        return old
    made = []
    for order, values in enumerate(wanted, start=1):
        signatory = Signatory(cycle=cycle, order=order, **values)
        signatory.full_clean()
        made.append(signatory)
    Signatory.objects.filter(cycle=cycle).delete()
    Signatory.objects.bulk_create(made)
    audit.record(
        event=SIGNATORIES_UPDATED,
        actor=actor,
        target=cycle,
        changes={"signatories": [_signatory_values(old), wanted]},
    )
    return signatories_of(cycle)


@transaction.atomic
def copy_certificate_settings(*, source_cycle, target_cycle, actor) -> None:
    """For a duplicated cycle: the same completion rule and signatories as the source (the
    target's own are replaced). Certificates themselves are never copied."""
    authz.require(actor, "training.manage_cycle", source_cycle)
    authz.require(actor, "training.manage_cycle", target_cycle)
    source_rule = CompletionRule.objects.filter(cycle=source_cycle).first()
    if source_rule is not None:
        update_rule(
            cycle=target_cycle,
            actor=actor,
            min_attendance=source_rule.min_attendance,
            require_post_test=source_rule.require_post_test,
            excused_absences=source_rule.excused_absences,
        )
    _set_signatories(
        cycle=target_cycle,
        actor=actor,
        signatories=_signatory_values(signatories_of(source_cycle)),
    )
    audit.record(
        event=SETTINGS_COPIED,
        actor=actor,
        target=target_cycle,
        extra={"source_cycle": source_cycle.pk},
    )

"""Writes of the assessments domain: form assignment, attempts, autosaved answers, submission,
anonymous survey answers."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.core import audit
from himaya.core.models import AuditAction

from . import selectors
from .models import (
    Answer,
    Attempt,
    FormAssignment,
    QuestionKind,
    Survey,
    SurveyCompletion,
    SurveyQuestionKind,
    SurveyResponse,
    Test,
    TestForm,
)

TEST_NOT_OPEN = "test_not_open"
TEST_CLOSED = "test_closed"
ATTEMPT_SUBMITTED = "attempt_submitted"
NOT_IN_PAPER = "not_in_paper"
INVALID_CHOICE = "invalid_choice"
ALREADY_ANSWERED = "already_answered"
# Answers that arrive this long after the deadline still count (a slow network, a last click).
GRACE = datetime.timedelta(seconds=30)


def assign_form(*, cycle, participant) -> FormAssignment:
    """Counterbalance: give the pre-test form that fewer participants of the cycle have so far."""
    existing = FormAssignment.objects.filter(cycle=cycle, participant=participant).first()
    if existing:
        return existing
    counts = FormAssignment.objects.filter(cycle=cycle).aggregate(
        a=Count("id", filter=Q(pre_form=TestForm.A)), b=Count("id", filter=Q(pre_form=TestForm.B))
    )
    form = TestForm.A if counts["a"] <= counts["b"] else TestForm.B
    try:
        with transaction.atomic():
            return FormAssignment.objects.create(
                cycle=cycle, participant=participant, pre_form=form
            )
    except IntegrityError:
        return FormAssignment.objects.get(cycle=cycle, participant=participant)


@transaction.atomic
def start_attempt(*, test: Test, participant, now: datetime.datetime | None = None) -> Attempt:
    """The participant's one attempt: created on first opening, returned as is afterwards."""
    now = now or timezone.now()
    if not participant.has_perm("assessments.take_test", test.cycle):
        raise PermissionDenied
    attempt = Attempt.objects.filter(test=test, participant=participant).first()
    if attempt:
        return attempt
    if now < test.opens_at:
        raise ValidationError(_("This test is not open yet."), code=TEST_NOT_OPEN)
    if now > test.closes_at:
        raise ValidationError(_("This test is closed."), code=TEST_CLOSED)
    assignment = assign_form(cycle=test.cycle, participant=participant)
    deadline = test.closes_at
    if test.time_limit_minutes:
        deadline = min(deadline, now + datetime.timedelta(minutes=test.time_limit_minutes))
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                test=test,
                participant=participant,
                form=assignment.form_for(test.phase),
                started_at=now,
                deadline=deadline,
            )
    except IntegrityError:  # a second tab started it at the same moment
        return Attempt.objects.get(test=test, participant=participant)
    audit.record_create(actor=participant, target=attempt)
    return attempt


def _check_open(attempt: Attempt, now) -> None:
    if attempt.submitted_at:
        raise ValidationError(_("This test has already been submitted."), code=ATTEMPT_SUBMITTED)
    if attempt.deadline and now > attempt.deadline + GRACE:
        raise ValidationError(_("The time for this test is over."), code=TEST_CLOSED)


@transaction.atomic
def save_answer(*, attempt: Attempt, question_key: str, selected: list[str], now=None) -> Answer:
    """Autosave of one answer (every click): replaces the previous choice for that question."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    _check_open(attempt, now)
    question = selectors.paper_question(attempt=attempt, key=question_key)
    if question is None:
        raise ValidationError(_("This question is not part of your test."), code=NOT_IN_PAPER)
    keys = {c.key for c in question.choices.all()}
    selected = [str(s) for s in dict.fromkeys(selected or [])]
    if not set(selected) <= keys or (question.kind != QuestionKind.MULTIPLE and len(selected) > 1):
        raise ValidationError(_("This answer is not one of the choices."), code=INVALID_CHOICE)
    answer, _created = Answer.objects.update_or_create(
        attempt=attempt, question=question, defaults={"selected": selected, "saved_at": now}
    )
    return answer


@transaction.atomic
def submit_attempt(*, attempt: Attempt, now=None) -> Attempt:
    """Score and close the attempt. Submitting twice changes nothing."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("test__cycle").get(pk=attempt.pk)
    if attempt.submitted_at:
        return attempt
    attempt.scores = selectors.score_attempt(attempt)
    attempt.submitted_at = min(now, attempt.deadline) if attempt.deadline else now
    attempt.save(update_fields=["scores", "submitted_at", "updated_at"])
    audit.record(
        actor=attempt.participant,
        action=AuditAction.UPDATE,
        target=attempt,
        changes={"submitted_at": [None, attempt.submitted_at.isoformat()]},
    )
    return attempt


def close_if_expired(*, attempt: Attempt, now=None) -> Attempt:
    """An attempt whose time ran out is submitted with the answers saved so far."""
    now = now or timezone.now()
    if not attempt.submitted_at and attempt.deadline and now > attempt.deadline + GRACE:
        return submit_attempt(attempt=attempt, now=now)
    return attempt


@transaction.atomic
def answer_survey(*, survey: Survey, participant, answers: dict, today=None) -> None:
    """Store the answers with no link to the person, and apart from them the fact that this
    person answered. A second submission is refused."""
    today = today or timezone.localdate()
    now = timezone.now()
    if not participant.has_perm("assessments.answer_survey", survey.cycle):
        raise PermissionDenied
    if not (survey.opens_at <= now <= survey.closes_at):
        raise ValidationError(_("This survey is not open."), code=TEST_CLOSED)
    if SurveyCompletion.objects.filter(survey=survey, participant=participant).exists():
        raise ValidationError(
            _("You have already answered this survey. Thank you."), code=ALREADY_ANSWERED
        )
    clean = {}
    for question in survey.questions.all():
        value = answers.get(question.key)
        if question.kind == SurveyQuestionKind.LIKERT:
            if value in (None, ""):
                continue
            try:
                number = int(value)
            except (TypeError, ValueError) as exc:
                raise ValidationError(_("Choose a value from 1 to 5."), code="invalid") from exc
            if not 1 <= number <= 5:
                raise ValidationError(_("Choose a value from 1 to 5."), code="invalid")
            clean[question.key] = number
        elif value:
            clean[question.key] = str(value)[:4000]
    SurveyResponse.objects.create(survey=survey, submitted_on=today, answers=clean)
    SurveyCompletion.objects.create(survey=survey, participant=participant, completed_on=today)

"""Writes of the assessments domain: form assignment, attempts, autosaved answers, submission,
anonymous survey answers."""

from __future__ import annotations

import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.core import audit, privacy

from . import selectors, tasks
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
NOT_ENROLLED = "not_enrolled"
# Answers that arrive this long after a personal time limit still count (a slow network, a last
# click). The test's closing time has no grace: once it has passed, the answers may be shown.
GRACE = selectors.GRACE


def _require_enrolled(user, cycle, message, perm="assessments.take_test") -> None:
    """Only participants enrolled (not withdrawn) in the cycle take its tests and answer its
    surveys. `rules.has_perm` tests the rule itself: `user.has_perm` would let any superuser
    through, who would then be counted as a respondent or a test-taker."""
    if not rules.has_perm(perm, user, cycle):
        raise ValidationError(message, code=NOT_ENROLLED)


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
    _require_enrolled(
        participant, test.cycle, _("Only the participants of this cycle may take its tests.")
    )
    attempt = Attempt.objects.filter(test=test, participant=participant).first()
    if attempt:
        return attempt
    test = Test.objects.get(pk=test.pk)  # the closing time as it is now (it may close early)
    if now < test.opens_at:
        raise ValidationError(_("This test is not open yet."), code=TEST_NOT_OPEN)
    if now >= test.closes_at:
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
    audit.record_create(actor=participant, target=attempt, event=audit.ATTEMPT_STARTED)
    cutoff = selectors.attempt_cutoff(attempt)
    transaction.on_commit(lambda: tasks.schedule_expiry(cutoff))
    return attempt


def _locked(attempt: Attempt) -> Attempt:
    """The attempt, locked, with its test read afresh: the window is checked on every save
    against the closing time as it is now, so closing a test stops every attempt at once."""
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("test__cycle", "participant")
        .get(pk=attempt.pk)
    )


def _check_open(attempt: Attempt, now) -> None:
    if attempt.submitted_at:
        raise ValidationError(_("This test has already been submitted."), code=ATTEMPT_SUBMITTED)
    _require_enrolled(
        attempt.participant,
        attempt.test.cycle,
        _("Only the participants of this cycle may take its tests."),
    )
    if now >= selectors.attempt_cutoff(attempt):
        raise ValidationError(_("The time for this test is over."), code=TEST_CLOSED)


@transaction.atomic
def save_answer(*, attempt: Attempt, question_key: str, selected: list[str], now=None) -> Answer:
    """Autosave of one answer (every click): replaces the previous choice for that question."""
    now = now or timezone.now()
    attempt = _locked(attempt)
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


def _close(attempt: Attempt, now, *, actor) -> Attempt:
    """Score the answers saved so far and mark the attempt submitted, at the latest when its
    time ran out (a time limit, or the test's closing time)."""
    attempt.scores = selectors.score_attempt(attempt)
    attempt.submitted_at = min(now, selectors.attempt_end(attempt))
    attempt.save(update_fields=["scores", "submitted_at", "updated_at"])
    changes = {"submitted_at": [None, attempt.submitted_at.isoformat()]}
    audit.record(
        event=audit.ATTEMPT_SUBMITTED,
        actor=actor,
        target=attempt,
        changes=changes,
        extra={"expired": True} if actor is None else {},
    )
    return attempt


@transaction.atomic
def submit_attempt(*, attempt: Attempt, now=None) -> Attempt:
    """Score and close the attempt. Submitting twice changes nothing. Once the time is over (the
    time limit, or the test closed, on time or early) the submission is refused: the attempt is
    then closed with the answers saved until then (`close_if_expired`, `submit_expired_attempts`)."""
    now = now or timezone.now()
    attempt = _locked(attempt)
    if attempt.submitted_at:
        return attempt
    _check_open(attempt, now)
    return _close(attempt, now, actor=attempt.participant)


def close_if_expired(*, attempt: Attempt, now=None) -> Attempt:
    """An attempt whose time ran out is submitted with the answers saved so far. Called on every
    opening of the paper: it opens a write transaction only when the time is over."""
    now = now or timezone.now()
    current = Attempt.objects.select_related("test").get(pk=attempt.pk)
    if current.submitted_at or now < selectors.attempt_cutoff(current):
        return current
    with transaction.atomic():
        current = _locked(attempt)
        if not current.submitted_at and now >= selectors.attempt_cutoff(current):
            return _close(current, now, actor=None)
        return current


def submit_expired_attempts(*, now: datetime.datetime | None = None) -> int:
    """Submit, with the answers saved so far, every attempt whose time is over (its time limit,
    or its test's closing time, passed) and that nobody submitted. Returns how many it
    submitted; running it again submits nothing more. Meant to run as a periodic background job,
    so that results and certificate eligibility do not wait for the owner to come back."""
    now = now or timezone.now()
    submitted = 0
    for pk in selectors.expired_attempt_ids(now=now):
        attempt = Attempt(pk=pk)
        with transaction.atomic():
            attempt = _locked(attempt)
            if attempt.submitted_at or now < selectors.attempt_cutoff(attempt):
                continue  # submitted meanwhile (its owner came back)
            _close(attempt, now, actor=None)
            submitted += 1
    return submitted


@transaction.atomic
def close_test(*, test: Test, actor, now: datetime.datetime | None = None) -> Test:
    """Close a test early, for everyone at once: its closing time becomes now, so every save and
    submission after this moment is refused, also in attempts already started."""
    now = now or timezone.now()
    if not actor.has_perm("training.manage_cycle", test.cycle):
        raise PermissionDenied
    test = Test.objects.select_for_update().get(pk=test.pk)
    if now >= test.closes_at:
        return test  # already closed
    if now <= test.opens_at:
        raise ValidationError(_("This test is not open yet."), code=TEST_NOT_OPEN)
    before = audit.snapshot(test)
    test.closes_at = now
    test.save(update_fields=["closes_at", "updated_at"])
    audit.record_update(actor=actor, target=test, before=before, event=audit.TEST_CLOSED)
    return test


@transaction.atomic
def answer_survey(*, survey: Survey, participant, answers: dict, today=None) -> None:
    """Store the answers with no link to the person, and apart from them the fact that this
    person answered. A second submission is refused."""
    today = today or timezone.localdate()
    now = timezone.now()
    _require_enrolled(
        participant,
        survey.cycle,
        _("Only the participants of this cycle may answer its surveys."),
        perm="assessments.answer_survey",
    )
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
    record_survey_answers(survey=survey, participant=participant, answers=clean, today=today)


@transaction.atomic
def record_survey_answers(*, survey: Survey, participant, answers: dict, today) -> None:
    """The one place survey answers are written: `answer_survey` after its checks, and the demo
    loader with answers it has already checked. The response
    joins the others in an order that says nothing (see `privacy.add_unordered`), and the
    completion is written in the same transaction, so that on PostgreSQL its `xmin` is the one
    every response of the survey now shares."""
    privacy.add_unordered(
        SurveyResponse,
        [SurveyResponse(survey=survey, submitted_on=today, answers=answers)],
        scope={"survey": survey},
        lock=survey,
    )
    SurveyCompletion.objects.create(survey=survey, participant=participant, completed_on=today)

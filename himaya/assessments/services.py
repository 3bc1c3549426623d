"""Writes of the assessments domain: form assignment, attempts, autosaved answers, submission,
anonymous survey answers."""

from __future__ import annotations

import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from himaya.core import audit, authz, privacy
from himaya.core.content import LANGUAGES
from himaya.training.models import CycleStatus

from . import selectors, tasks
from .models import (
    Answer,
    Attempt,
    FormAssignment,
    Phase,
    QuestionKind,
    Survey,
    SurveyCompletion,
    SurveyKind,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
    SurveyTemplate,
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


CYCLE_CLOSED = "cycle_closed"
CYCLE_CLOSED_MESSAGE = gettext_lazy(
    "The cycle is closed: its tests and results are locked until it is reopened."
)


def _require_running_cycle(cycle) -> None:
    """A closed cycle's results are locked: no attempt is started, answered or submitted and no
    test is rescheduled until the coordinator reopens the cycle (with its audited reason).
    Surveys stay open to their windows: the follow-up comes months after the cycle closes."""
    if cycle.status == CycleStatus.CLOSED:  # as read with the request: no query per answer
        raise ValidationError(CYCLE_CLOSED_MESSAGE, code=CYCLE_CLOSED)


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
    _require_running_cycle(test.cycle)
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
    _require_running_cycle(attempt.test.cycle)


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


@transaction.atomic
def save_answers(*, attempt: Attempt, answers: dict[str, list[str]], now=None) -> int:
    """Several answers at once (a page sent without JavaScript); the same checks as
    `save_answer` for each. Returns how many were saved."""
    saved = 0
    for key, selected in answers.items():
        try:
            save_answer(attempt=attempt, question_key=key, selected=selected, now=now)
        except ValidationError as exc:
            if exc.code in (INVALID_CHOICE, NOT_IN_PAPER):
                continue  # a tampered field: the others still count
            raise
        saved += 1
    return saved


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


# --- scheduling tests and surveys (coordinators) -------------------------------------------------
# The rules that keep the windows in line with the agenda. Each message is a constant that the
# tests share; each error is raised on the field it is about, so a form shows it there.

CLOSES_BEFORE_OPENS = gettext_lazy("The closing time must come after the opening time.")
PRE_TEST_AFTER_START = gettext_lazy(
    "The pre-test must close before the first session starts (%(when)s)."
)
POST_TEST_BEFORE_END = gettext_lazy(
    "The post-test must open after the last session ends (%(when)s)."
)
PRE_OVERLAPS_POST = gettext_lazy("The pre-test must close before the post-test opens (%(when)s).")
POST_OVERLAPS_PRE = gettext_lazy("The post-test must open after the pre-test closes (%(when)s).")
TIME_LIMIT_TOO_LONG = gettext_lazy(
    "The time limit is longer than the time the test is open (%(minutes)s minutes)."
)
TIME_LIMIT_INVALID = gettext_lazy("Give a time limit from 1 to 600 minutes, or none.")
STARTED_WINDOW_FIXED = gettext_lazy(
    "Participants have started this test: its opening time and time limit can no longer change."
)
STARTED_CLOSES_EARLIER = gettext_lazy(
    "Participants have started this test: its closing time can only move later. To end it "
    "now, use “Close now”."
)
CLOSED_WITH_ATTEMPTS = gettext_lazy(
    "This test has closed and has attempts: it cannot be reopened (its answers may have been shown)."
)
TEST_HAS_ATTEMPTS = gettext_lazy("This test has attempts: it cannot be deleted.")
SURVEY_SESSION_REQUIRED = gettext_lazy("Choose the session this survey is about.")
SURVEY_SESSION_NOT_IN_CYCLE = gettext_lazy("This session is not part of the cycle.")
SURVEY_BEFORE_SESSION_END = gettext_lazy(
    "A session survey opens once its session has ended (%(when)s)."
)
SURVEY_BEFORE_AGENDA_END = gettext_lazy("This survey opens after the last session ends (%(when)s).")
SURVEY_NO_AGENDA = gettext_lazy(
    "The agenda has no session yet: give the opening and closing times."
)
SURVEY_ANSWERED_FIXED = gettext_lazy(
    "Answers have come in: the opening time can no longer change, and the closing time can only "
    "move later."
)
SURVEY_CLOSED_WITH_ANSWERS = gettext_lazy(
    "This survey has closed with answers: it cannot be reopened (its results may have been seen)."
)
SURVEY_HAS_ANSWERS = gettext_lazy("This survey has answers: it cannot be deleted.")
SURVEY_EXISTS = gettext_lazy("This cycle already has this survey.")
SURVEY_NOT_OPEN_YET = gettext_lazy(
    "This survey is not open yet: change its dates or delete it instead."
)

# Default windows of surveys made from a template.
SESSION_SURVEY_DAYS = 7
CYCLE_SURVEY_DAYS = 14
FOLLOW_UP_AFTER_DAYS = 90
FOLLOW_UP_DAYS = 30
MAX_TIME_LIMIT = 600


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def _field_error(errors: dict, field: str, message, code: str, **params) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code, params=params or None))


def _require_manager(actor, cycle) -> None:
    authz.require(actor, "training.manage_cycle", cycle)


def validate_test_window(
    *, cycle, phase, opens_at, closes_at, time_limit_minutes=None, other=None
) -> None:
    """The window rules of a pre- or post-test: it closes after it opens; the pre-test closes
    before the first session starts, the post-test opens after the last one ends; the two never
    overlap; a time limit fits in the window. Raises one ValidationError by field."""
    errors: dict[str, list] = {}
    if opens_at and closes_at and closes_at <= opens_at:
        _field_error(errors, "closes_at", CLOSES_BEFORE_OPENS, "closes_before_opens")
    if time_limit_minutes is not None and not 1 <= time_limit_minutes <= MAX_TIME_LIMIT:
        _field_error(errors, "time_limit_minutes", TIME_LIMIT_INVALID, "time_limit_invalid")
    elif time_limit_minutes and opens_at and closes_at and closes_at > opens_at:
        window = int((closes_at - opens_at).total_seconds() // 60)
        if time_limit_minutes > window:
            _field_error(
                errors,
                "time_limit_minutes",
                TIME_LIMIT_TOO_LONG,
                "time_limit_too_long",
                minutes=window,
            )
    first, last = selectors.agenda_bounds(cycle)
    if phase == Phase.PRE:
        if first and closes_at and closes_at > first:
            _field_error(
                errors, "closes_at", PRE_TEST_AFTER_START, "pre_test_after_start", when=_when(first)
            )
        if other and closes_at and closes_at > other.opens_at:
            _field_error(
                errors,
                "closes_at",
                PRE_OVERLAPS_POST,
                "pre_overlaps_post",
                when=_when(other.opens_at),
            )
    else:
        if last and opens_at and opens_at < last:
            _field_error(
                errors, "opens_at", POST_TEST_BEFORE_END, "post_test_before_end", when=_when(last)
            )
        if other and opens_at and opens_at < other.closes_at:
            _field_error(
                errors,
                "opens_at",
                POST_OVERLAPS_PRE,
                "post_overlaps_pre",
                when=_when(other.closes_at),
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def schedule_test(
    *, cycle, phase, opens_at, closes_at, time_limit_minutes=None, actor, now=None
) -> Test:
    """Create or change the pre- or post-test of a cycle. Once participants have started it,
    only its closing time may move, and only later (the attempts in progress get the extra
    time, within their time limit); once it has closed with attempts it cannot reopen."""
    now = now or timezone.now()
    _require_manager(actor, cycle)
    if phase not in Phase.values:
        raise ValidationError(_("Unknown test."), code="invalid")
    _require_running_cycle(cycle)
    test = Test.objects.select_for_update().filter(cycle=cycle, phase=phase).first()
    other = Test.objects.filter(cycle=cycle).exclude(phase=phase).first()
    if test is not None and test.attempts.exists():
        errors: dict[str, list] = {}
        if now >= test.closes_at and closes_at != test.closes_at:
            _field_error(errors, "closes_at", CLOSED_WITH_ATTEMPTS, "closed_with_attempts")
        elif closes_at < test.closes_at:
            _field_error(errors, "closes_at", STARTED_CLOSES_EARLIER, "started_closes_earlier")
        if opens_at != test.opens_at:
            _field_error(errors, "opens_at", STARTED_WINDOW_FIXED, "started_window_fixed")
        if time_limit_minutes != test.time_limit_minutes:
            _field_error(errors, "time_limit_minutes", STARTED_WINDOW_FIXED, "started_window_fixed")
        if errors:
            raise ValidationError(errors)
    validate_test_window(
        cycle=cycle,
        phase=phase,
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit_minutes=time_limit_minutes,
        other=other,
    )
    data = {"opens_at": opens_at, "closes_at": closes_at, "time_limit_minutes": time_limit_minutes}
    if test is None:
        test = audit.model_create(Test, data={"cycle": cycle, "phase": phase, **data})
        audit.record_create(actor=actor, target=test, event=audit.TEST_SCHEDULED)
        return test
    old_closes = test.closes_at
    changes = audit.model_update(instance=test, data=data)
    if not changes:
        return test
    extended = 0
    if closes_at > old_closes:
        # Attempts in progress end at the closing time or their time limit, whichever comes
        # first: moving the closing time gives them the extra time their limit allows.
        for attempt in test.attempts.filter(submitted_at__isnull=True).select_for_update():
            deadline = closes_at
            if test.time_limit_minutes:
                deadline = min(
                    deadline,
                    attempt.started_at + datetime.timedelta(minutes=test.time_limit_minutes),
                )
            if deadline != attempt.deadline:
                attempt.deadline = deadline
                attempt.save(update_fields=["deadline", "updated_at"])
                extended += 1
    audit.record(
        event=audit.TEST_RESCHEDULED,
        actor=actor,
        target=test,
        changes=_jsonable(changes),
        extra={"attempts_extended": extended} if extended else {},
    )
    return test


def _jsonable(changes: dict) -> dict:
    return {
        k: [v.isoformat() if hasattr(v, "isoformat") else v for v in pair]
        for k, pair in changes.items()
    }


@transaction.atomic
def delete_test(*, test: Test, actor) -> None:
    """A test nobody has started may be deleted; one with attempts never."""
    _require_manager(actor, test.cycle)
    _require_running_cycle(test.cycle)
    test = Test.objects.select_for_update().get(pk=test.pk)
    if test.attempts.exists():
        raise ValidationError(TEST_HAS_ATTEMPTS, code="has_attempts")
    audit.record_delete(actor=actor, target=test, event=audit.TEST_DELETED)
    test.delete()


# --- surveys -------------------------------------------------------------------------------------


def survey_default_window(*, cycle, kind, session=None):
    """(opens, closes) of a new survey: a session survey opens when its session ends, for a
    week; a cycle survey when the last session ends, for two weeks; a follow-up 90 days after
    the last session, for a month. (None, None) when the agenda does not tell."""
    if kind == SurveyKind.SESSION:
        if session is None:
            return None, None
        opens = selectors.session_end(session)
        return opens, opens + datetime.timedelta(days=SESSION_SURVEY_DAYS)
    _first, last = selectors.agenda_bounds(cycle)
    if last is None:
        return None, None
    if kind == SurveyKind.CYCLE:
        return last, last + datetime.timedelta(days=CYCLE_SURVEY_DAYS)
    opens = (last + datetime.timedelta(days=FOLLOW_UP_AFTER_DAYS)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return opens, opens + datetime.timedelta(days=FOLLOW_UP_DAYS)


def validate_survey_window(*, cycle, kind, session, opens_at, closes_at) -> None:
    errors: dict[str, list] = {}
    if kind == SurveyKind.SESSION:
        if session is None:
            # Its default dates come from the session: nothing else to say before it is chosen.
            _field_error(errors, "session", SURVEY_SESSION_REQUIRED, "session_required")
            raise ValidationError(errors)
        if session.cycle_id != cycle.pk:
            _field_error(errors, "session", SURVEY_SESSION_NOT_IN_CYCLE, "session_not_in_cycle")
    if opens_at is None or closes_at is None:
        if opens_at is None:
            _field_error(errors, "opens_at", SURVEY_NO_AGENDA, "no_agenda")
        if closes_at is None:
            _field_error(errors, "closes_at", SURVEY_NO_AGENDA, "no_agenda")
        raise ValidationError(errors)
    if closes_at <= opens_at:
        _field_error(errors, "closes_at", CLOSES_BEFORE_OPENS, "closes_before_opens")
    if kind == SurveyKind.SESSION and session is not None and session.cycle_id == cycle.pk:
        end = selectors.session_end(session)
        if opens_at < end:
            _field_error(
                errors,
                "opens_at",
                SURVEY_BEFORE_SESSION_END,
                "before_session_end",
                when=_when(end),
            )
    elif kind != SurveyKind.SESSION:
        _first, last = selectors.agenda_bounds(cycle)
        if last and opens_at < last:
            _field_error(
                errors, "opens_at", SURVEY_BEFORE_AGENDA_END, "before_agenda_end", when=_when(last)
            )
    if errors:
        raise ValidationError(errors)


def _survey_key(template: SurveyTemplate, session) -> str:
    return f"{template.key}-{session.key or session.pk}"[:60] if session else template.key


def _survey_titles(template: SurveyTemplate, session) -> dict:
    titles = {}
    for language in LANGUAGES:
        title = getattr(template, f"title_{language}") or template.title
        if session is not None:
            title = f"{title} — {getattr(session, f'title_{language}') or session.title}"
        titles[f"title_{language}"] = title[:250]
    return titles


@transaction.atomic
def create_survey(
    *, cycle, template: SurveyTemplate, actor, session=None, opens_at=None, closes_at=None
) -> Survey:
    """A survey of the cycle from a template (its questions copied in the three languages),
    open by default from the end of its session, or of the cycle, or 90 days after (follow-up)."""
    _require_manager(actor, cycle)
    kind = template.kind
    if kind != SurveyKind.SESSION:
        session = None
    default_opens, default_closes = survey_default_window(cycle=cycle, kind=kind, session=session)
    opens_at = opens_at or default_opens
    closes_at = closes_at or default_closes
    if opens_at and closes_at is None and default_opens and default_closes:
        closes_at = opens_at + (default_closes - default_opens)
    validate_survey_window(
        cycle=cycle, kind=kind, session=session, opens_at=opens_at, closes_at=closes_at
    )
    key = _survey_key(template, session)
    if Survey.objects.filter(cycle=cycle, key=key).exists():
        raise ValidationError({"template": [ValidationError(SURVEY_EXISTS, code="exists")]})
    survey = audit.model_create(
        Survey,
        data={
            "cycle": cycle,
            "session": session,
            "key": key,
            "kind": kind,
            "opens_at": opens_at,
            "closes_at": closes_at,
            **_survey_titles(template, session),
        },
    )
    _copy_questions(template.questions.all(), survey)
    audit.record_create(
        actor=actor, target=survey, event=audit.SURVEY_CREATED, extra={"template": template.key}
    )
    return survey


def _copy_questions(questions, survey: Survey) -> None:
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            survey=survey,
            key=q.key,
            kind=q.kind,
            position=q.position,
            **{f"text_{lang}": getattr(q, f"text_{lang}") for lang in LANGUAGES},
        )
        for q in questions
    )


@transaction.atomic
def update_survey(*, survey: Survey, opens_at, closes_at, actor, now=None) -> Survey:
    """Change a survey's window. Once answers have come in its opening stays and its closing
    may only move later; once it has closed with answers it does not reopen (its results have
    been shown)."""
    now = now or timezone.now()
    _require_manager(actor, survey.cycle)
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("cycle", "session")
        .get(pk=survey.pk)
    )
    if survey.completions.exists():
        errors: dict[str, list] = {}
        if now > survey.closes_at and closes_at != survey.closes_at:
            _field_error(errors, "closes_at", SURVEY_CLOSED_WITH_ANSWERS, "closed_with_answers")
        elif closes_at < survey.closes_at:
            _field_error(errors, "closes_at", SURVEY_ANSWERED_FIXED, "answered_fixed")
        if opens_at != survey.opens_at:
            _field_error(errors, "opens_at", SURVEY_ANSWERED_FIXED, "answered_fixed")
        if errors:
            raise ValidationError(errors)
    validate_survey_window(
        cycle=survey.cycle,
        kind=survey.kind,
        session=survey.session,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    changes = audit.model_update(
        instance=survey, data={"opens_at": opens_at, "closes_at": closes_at}
    )
    if changes:
        audit.record(
            event=audit.SURVEY_UPDATED, actor=actor, target=survey, changes=_jsonable(changes)
        )
    return survey


@transaction.atomic
def close_survey(*, survey: Survey, actor, now=None) -> Survey:
    """Close an open survey now, for everyone."""
    now = now or timezone.now()
    _require_manager(actor, survey.cycle)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if now >= survey.closes_at:
        return survey
    if now <= survey.opens_at:
        raise ValidationError(SURVEY_NOT_OPEN_YET, code="not_open")
    before = audit.snapshot(survey)
    survey.closes_at = now
    survey.save(update_fields=["closes_at", "updated_at"])
    audit.record_update(actor=actor, target=survey, before=before, event=audit.SURVEY_CLOSED)
    return survey


@transaction.atomic
def delete_survey(*, survey: Survey, actor) -> None:
    _require_manager(actor, survey.cycle)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.completions.exists() or survey.responses.exists():
        raise ValidationError(SURVEY_HAS_ANSWERS, code="has_answers")
    audit.record_delete(actor=actor, target=survey, event=audit.SURVEY_DELETED)
    survey.delete()


# --- copying a cycle's schedule (the cycle duplication of the coordinator's workspace) -----------


def _matching_session(source_session, source_sessions, target_sessions, shift):
    """The target cycle's session that corresponds to a source one: the same key, else the
    same place in the agenda, else the same date (shifted) and start time."""
    if source_session is None:
        return None
    if source_session.key:
        for s in target_sessions:
            if s.key == source_session.key:
                return s
    for s in target_sessions:
        if s.date == source_session.date + shift and s.start_time == source_session.start_time:
            return s
    index = next(i for i, s in enumerate(source_sessions) if s.pk == source_session.pk)
    return target_sessions[index] if index < len(target_sessions) else None


def _shifted(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The same local time of day, `days` later: a session at 09:00 in December is at 09:00 in
    March too, even when the clocks have changed in between (Morocco's Ramadan time)."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    zone = ZoneInfo(settings.TIME_ZONE)
    local = timezone.localtime(moment, zone).replace(tzinfo=None)
    return timezone.make_aware(local + datetime.timedelta(days=days), zone)


@transaction.atomic
def copy_assessment_schedule(*, source_cycle, target_cycle, actor, shift_days: int) -> dict:
    """Copy the tests' and the surveys' windows of `source_cycle` to `target_cycle`, shifted by
    `shift_days`, with the surveys' questions; never attempts, answers or completions. A test
    the target already has is left as it is; a survey whose key the target already has too.
    Session surveys follow their session (same key, or same place in the agenda); one whose
    session has no counterpart is skipped. Returns {"tests": n, "surveys": n, "skipped": n}."""
    _require_manager(actor, source_cycle)
    _require_manager(actor, target_cycle)
    shift = datetime.timedelta(days=shift_days)
    copied = {"tests": 0, "surveys": 0, "skipped": 0}
    existing_phases = set(Test.objects.filter(cycle=target_cycle).values_list("phase", flat=True))
    for test in Test.objects.filter(cycle=source_cycle).order_by("phase"):
        if test.phase in existing_phases:
            copied["skipped"] += 1
            continue
        new = audit.model_create(
            Test,
            data={
                "cycle": target_cycle,
                "phase": test.phase,
                "opens_at": _shifted(test.opens_at, shift_days),
                "closes_at": _shifted(test.closes_at, shift_days),
                "time_limit_minutes": test.time_limit_minutes,
            },
        )
        audit.record_create(
            actor=actor, target=new, event=audit.TEST_SCHEDULED, extra={"copied_from": test.pk}
        )
        copied["tests"] += 1
    source_sessions = list(source_cycle.sessions.order_by("date", "start_time", "pk"))
    target_sessions = list(target_cycle.sessions.order_by("date", "start_time", "pk"))
    taken = set(Survey.objects.filter(cycle=target_cycle).values_list("key", flat=True))
    for survey in (
        Survey.objects.filter(cycle=source_cycle)
        .select_related("session")
        .prefetch_related("questions")
        .order_by("opens_at", "pk")
    ):
        session = _matching_session(survey.session, source_sessions, target_sessions, shift)
        if (survey.session_id and session is None) or (survey.key and survey.key in taken):
            copied["skipped"] += 1
            continue
        key = survey.key
        if key and survey.session_id and session is not None:
            key = key.replace(
                f"-{survey.session.key or survey.session.pk}", f"-{session.key or session.pk}"
            )
        new = audit.model_create(
            Survey,
            data={
                "cycle": target_cycle,
                "session": session,
                "key": key,
                "kind": survey.kind,
                "opens_at": _shifted(survey.opens_at, shift_days),
                "closes_at": _shifted(survey.closes_at, shift_days),
                **{f"title_{lang}": getattr(survey, f"title_{lang}") for lang in LANGUAGES},
            },
        )
        taken.add(key)
        _copy_questions(survey.questions.all(), new)
        audit.record_create(
            actor=actor, target=new, event=audit.SURVEY_CREATED, extra={"copied_from": survey.pk}
        )
        copied["surveys"] += 1
    audit.record(
        event=audit.ASSESSMENTS_COPIED,
        actor=actor,
        target=target_cycle,
        extra={"source": source_cycle.pk, "shift_days": shift_days, **copied},
    )
    return copied

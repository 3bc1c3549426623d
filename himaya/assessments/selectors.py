"""Reads of the assessments domain: the paper of an attempt, scores, cohort results."""

from __future__ import annotations

import datetime
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from himaya.core import charts, privacy
from himaya.training.models import WITHOUT_SEAT, Axis, Enrolment
from himaya.training.selectors import agenda_bounds, session_end  # noqa: F401 - used here and by services

from . import statistics
from .models import Answer, Attempt, Choice, Phase, Question, QuestionKind, Test

# Answers that arrive this long after a personal time limit still count (a slow network, a last
# click). The test's closing time has none: once it has passed, nobody can answer any more.
GRACE = datetime.timedelta(seconds=30)


# --- the time window of an attempt -----------------------------------------------------------


def attempt_end(attempt: Attempt) -> datetime.datetime:
    """When the attempt's time is over: its time limit, or its test's closing time if that comes
    first (a test may be closed early, after the attempt started)."""
    closes = attempt.test.closes_at
    return min(attempt.deadline, closes) if attempt.deadline else closes


def attempt_cutoff(attempt: Attempt) -> datetime.datetime:
    """The moment from which saves and submissions are refused: the time limit plus GRACE, but
    never after the test's closing time. At the closing time itself the test is closed (and a
    post-test's answer key may be shown), so nothing is accepted from that instant on."""
    closes = attempt.test.closes_at
    if attempt.deadline and attempt.deadline < closes:
        return min(closes, attempt.deadline + GRACE)
    return closes


def _expired(now) -> Q:
    """Attempts past their cutoff (the same rule as `attempt_cutoff`, as a query)."""
    return Q(test__closes_at__lte=now) | Q(deadline__lte=now - GRACE)


def finished(now=None) -> Q:
    """Attempts that count as submitted: submitted, or whose time is over (the background job
    `submit_expired_attempts` will submit them with the answers they have)."""
    return Q(submitted_at__isnull=False) | _expired(now or timezone.now())


def expired_attempt_ids(*, now) -> list[int]:
    return list(
        Attempt.objects.filter(_expired(now), submitted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def post_test_taker_ids(cycle, *, now=None) -> set[int]:
    """The participants whose post-test counts as taken (submitted, or its time is over)."""
    return set(
        Attempt.objects.filter(
            finished(now), test__cycle=cycle, test__phase=Phase.POST
        ).values_list("participant_id", flat=True)
    )


def is_test_closed(test: Test, *, now=None) -> bool:
    """Closed for the whole cohort: nobody can save an answer any more."""
    return (now or timezone.now()) >= test.closes_at


def answers_released(test: Test, *, now=None) -> bool:
    """The answer key and explanations are shown after the post-test only, and only once it has
    closed: before, a participant who has submitted could pass them to a colleague who has the
    same paper and is still answering. The pre-test never shows them."""
    return test.phase == Phase.POST and is_test_closed(test, now=now)


def _paper_queryset(cycle, form):
    return _papers_queryset(programme_ids=[cycle.programme_id], forms=[form])


def _papers_queryset(*, programme_ids, forms):
    """The papers of these forms in these programmes, each question with its axis, choices,
    provisions and (vignettes) items, in paper order."""
    return (
        Question.objects.filter(
            axis__programme_id__in=list(programme_ids),
            parent__isnull=True,
            form__in=list(forms),
            active=True,
        )
        .select_related("axis")
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position")),
            "provisions",
            Prefetch(
                "items",
                queryset=Question.objects.filter(active=True)
                .order_by("position")
                .prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.order_by("position"))
                ),
            ),
        )
        .order_by("axis__order", "position", "key")
    )


def paper(attempt: Attempt) -> list[Question]:
    return list(_paper_queryset(attempt.test.cycle, attempt.form))


def leaf_questions(questions) -> list[Question]:
    """The scored questions: plain questions and the sub-questions of vignettes."""
    leaves = []
    for question in questions:
        if question.kind == QuestionKind.VIGNETTE:
            leaves.extend(question.items.all())
        else:
            leaves.append(question)
    return leaves


def paper_question(*, attempt: Attempt, key: str) -> Question | None:
    question = (
        Question.objects.filter(key=key, active=True)
        .exclude(kind=QuestionKind.VIGNETTE)
        .select_related("parent", "axis")
        .prefetch_related("choices")
        .first()
    )
    if question is None:
        return None
    top = question.parent or question
    if (
        top.form != attempt.form
        or question.axis.programme_id != attempt.test.cycle.programme_id
        or not top.active
    ):
        return None
    return question


def is_correct(question: Question, selected: list[str]) -> bool:
    correct = {c.key for c in question.choices.all() if c.correct}
    return bool(correct) and set(selected or []) == correct


def score_attempt(attempt: Attempt) -> dict:
    """Per-axis and overall percentage of scored questions answered right."""
    answers = {a.question_id: a.selected for a in attempt.answers.all()}
    return _score(paper(attempt), answers)


def _score(questions: list[Question], answers: dict[int, list[str]]) -> dict:
    """The scores of one paper (as `paper()` returns it) with these answers by question id."""
    per_axis: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question in questions:
        leaves = question.items.all() if question.kind == QuestionKind.VIGNETTE else [question]
        for leaf in leaves:
            per_axis[question.axis.key][1] += 1
            if is_correct(leaf, answers.get(leaf.pk, [])):
                per_axis[question.axis.key][0] += 1
    scores = {
        key: round(100 * right / total, 2) for key, (right, total) in per_axis.items() if total
    }
    right = sum(v[0] for v in per_axis.values())
    total = sum(v[1] for v in per_axis.values())
    scores["overall"] = round(100 * right / total, 2) if total else 0.0
    scores["right"] = right
    scores["total"] = total
    return scores


def axis_scores(attempt: Attempt) -> list[dict]:
    """The attempt's per-axis scores with the axes' titles, in the programme's order."""
    scores = attempt.scores or {}
    return [
        {"title": axis.title, "score": scores[axis.key]}
        for axis in Axis.objects.filter(programme_id=attempt.test.cycle.programme_id).order_by(
            "order"
        )
        if axis.key in scores
    ]


def answers_by_question(attempt: Attempt) -> dict[int, list[str]]:
    return {a.question_id: a.selected for a in Answer.objects.filter(attempt=attempt)}


def tests_for_participant(*, user, cycle) -> list[dict]:
    tests = list(Test.objects.filter(cycle=cycle).order_by("phase"))
    attempts = {a.test_id: a for a in Attempt.objects.filter(participant=user, test__in=tests)}
    return [
        {"test": t, "attempt": attempts.get(t.pk)}
        for t in sorted(tests, key=lambda t: t.phase != Phase.PRE)
    ]


# --- cohort results -------------------------------------------------------------------------------


@dataclass
class AxisResult:
    key: str
    title: str
    pairs: int = 0
    pre_mean: float | None = None
    post_mean: float | None = None
    raw_gain: float | None = None
    normalised_gain: float | None = None
    wilcoxon: statistics.WilcoxonResult | None = None
    hodges_lehmann: statistics.HodgesLehmann | None = None


@dataclass
class CohortResults:
    axes: list[AxisResult] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    pre_count: int = 0
    post_count: int = 0


def cohort_results(cycle, *, with_items: bool = True, now=None) -> CohortResults:
    """Paired pre/post analysis per axis and overall: only participants with both attempts
    count in the paired figures; item analysis over all submitted attempts. An attempt whose
    time is over counts as submitted with the answers it has, even before the background job
    has submitted it (it is scored here, in memory, by `_score_unsubmitted`)."""
    return cohort_results_by_cycle([cycle], with_items=with_items, now=now)[cycle.pk]


def cohort_results_by_cycle(cycles, *, with_items: bool = False, now=None) -> dict:
    """`cohort_results` of several cycles, {cycle id: results}, in the same few queries however
    many cycles and people there are (without the item table, which is per cycle)."""
    cycles = list(cycles)
    attempts = list(
        Attempt.objects.filter(finished(now), test__cycle__in=cycles)
        .select_related("test__cycle", "participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    _score_unsubmitted(attempts)
    axes_by_programme: dict[int, list[Axis]] = defaultdict(list)
    for axis in Axis.objects.filter(programme_id__in={c.programme_id for c in cycles}).order_by(
        "order"
    ):
        axes_by_programme[axis.programme_id].append(axis)
    attempts_by_cycle: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        attempts_by_cycle[attempt.test.cycle_id].append(attempt)
    return {
        cycle.pk: _cohort_results(
            attempts_by_cycle[cycle.pk],
            axes_by_programme[cycle.programme_id],
            with_items=with_items,
        )
        for cycle in cycles
    }


def _cohort_results(attempts, axes, *, with_items: bool) -> CohortResults:
    by_person: dict[int, dict] = OrderedDict()
    for attempt in attempts:
        entry = by_person.setdefault(attempt.participant_id, {"participant": attempt.participant})
        entry[attempt.test.phase] = attempt
    results = CohortResults(
        pre_count=sum(1 for a in attempts if a.test.phase == Phase.PRE),
        post_count=sum(1 for a in attempts if a.test.phase == Phase.POST),
    )
    for axis_key, title in [*((a.key, a.title) for a in axes), ("overall", None)]:
        pre, post = [], []
        for entry in by_person.values():
            if Phase.PRE in entry and Phase.POST in entry:
                a, b = entry[Phase.PRE].scores.get(axis_key), entry[Phase.POST].scores.get(axis_key)
                if a is not None and b is not None:
                    pre.append(a)
                    post.append(b)
        result = AxisResult(key=axis_key, title=title or "", pairs=len(pre))
        if pre:
            result.pre_mean = sum(pre) / len(pre)
            result.post_mean = sum(post) / len(post)
            result.raw_gain = result.post_mean - result.pre_mean
            result.normalised_gain = statistics.normalised_gain(result.pre_mean, result.post_mean)
            result.wilcoxon = statistics.wilcoxon_signed_rank(pre, post)
            result.hodges_lehmann = statistics.hodges_lehmann(
                [b - a for a, b in zip(pre, post, strict=True)]
            )
        results.axes.append(result)
    for entry in by_person.values():
        pre_attempt, post_attempt = entry.get(Phase.PRE), entry.get(Phase.POST)
        pre_score = pre_attempt.overall if pre_attempt else None
        post_score = post_attempt.overall if post_attempt else None
        results.participants.append(
            {
                "participant": entry["participant"],
                "pre": pre_score,
                "post": post_score,
                "raw_gain": statistics.raw_gain(pre_score, post_score)
                if pre_score is not None and post_score is not None
                else None,
                "normalised_gain": statistics.normalised_gain(pre_score, post_score)
                if pre_score is not None and post_score is not None
                else None,
            }
        )
    if with_items:
        results.items = item_table(attempts)
    return results


def _score_unsubmitted(attempts) -> None:
    """Score in memory the attempts whose time is over but that are not submitted yet: one read
    of the papers and one of their answers, however many attempts, forms and cycles there are."""
    pending = [a for a in attempts if a.submitted_at is None]
    if not pending:
        return
    papers: dict[tuple[int, str], list[Question]] = defaultdict(list)
    for question in _papers_queryset(
        programme_ids={a.test.cycle.programme_id for a in pending},
        forms={a.form for a in pending},
    ):
        papers[(question.axis.programme_id, question.form)].append(question)
    answers: dict[int, dict[int, list]] = defaultdict(dict)
    for attempt_id, question_id, selected in Answer.objects.filter(
        attempt__in=[a.pk for a in pending]
    ).values_list("attempt_id", "question_id", "selected"):
        answers[attempt_id][question_id] = selected
    for attempt in pending:
        paper_key = (attempt.test.cycle.programme_id, attempt.form)
        attempt.scores = _score(papers[paper_key], answers[attempt.pk])


def item_table(attempts) -> list[dict]:
    """Facility and discrimination of every scored question, over the attempts that saw it.
    Reads answers as plain tuples: a cycle of 5,000 people has hundreds of thousands."""
    answers: dict[int, dict[int, list]] = defaultdict(dict)
    for attempt_id, question_id, selected in Answer.objects.filter(
        attempt__in=[a.pk for a in attempts]
    ).values_list("attempt_id", "question_id", "selected"):
        answers[attempt_id][question_id] = selected
    by_form: dict[str, list] = defaultdict(list)
    for attempt in attempts:
        by_form[attempt.form].append(attempt)
    cycle_ids = {a.test.cycle_id for a in attempts}
    questions = list(
        Question.objects.filter(axis__programme__cycles__in=cycle_ids, active=True)
        .exclude(kind=QuestionKind.VIGNETTE)
        .select_related("parent", "axis")
        .prefetch_related("choices")
        .distinct()
        .order_by("axis__order", "key")
    )
    rows = []
    for question in questions:
        form = (question.parent or question).form
        seen = by_form.get(form, [])
        if not seen:
            continue
        correct = {c.key for c in question.choices.all() if c.correct}
        item_scores, rest_scores = [], []
        for attempt in seen:
            right = (
                1 if correct and set(answers[attempt.pk].get(question.pk) or []) == correct else 0
            )
            item_scores.append(right)
            rest_scores.append((attempt.scores or {}).get("right", 0) - right)
        stats = statistics.item_analysis(item_scores, rest_scores)
        rows.append({"question": question, "form": form, "n": len(seen), "stats": stats})
    return rows


# --- surveys ---------------------------------------------------------------------------------------

MIN_GROUP = privacy.MIN_GROUP  # below this many respondents no result is shown


def open_surveys_for(*, user, cycles) -> list:
    """The open surveys this user may still answer: of the cycles they hold a seat in (not
    withdrawn, not on the waiting list)."""
    from .models import Survey, SurveyCompletion

    now = timezone.now()
    done = set(
        SurveyCompletion.objects.filter(participant=user).values_list("survey_id", flat=True)
    )
    enrolled = (
        Enrolment.objects.filter(participant=user)
        .exclude(status__in=WITHOUT_SEAT)
        .values("cycle_id")
    )
    return [
        s
        for s in Survey.objects.filter(cycle__in=cycles, opens_at__lte=now, closes_at__gte=now)
        .filter(cycle__in=enrolled)
        .order_by("opens_at")
        if s.pk not in done
    ]


def cycle_surveys(cycle):
    """A cycle's surveys in the order they open."""
    from .models import Survey

    return Survey.objects.filter(cycle=cycle).select_related("session").order_by("opens_at")


def survey_results(survey, *, now=None) -> dict:
    """Aggregates only, and only once the survey has closed: results that change while people
    answer tell what the latest respondent said. Then fewer than MIN_GROUP respondents: no
    results either. While it is open the count is only given rounded down to a multiple of
    MIN_GROUP ("fewer than 5", "at least 5", "at least 10"…). Comments are listed in
    alphabetical order, never in the order they came in."""
    from .models import SurveyQuestionKind

    closed = (now or timezone.now()) > survey.closes_at
    n = survey.responses.count()
    out = {
        "survey": survey,
        "closed": closed,
        # Exact once closed; before, rounded down (0 = fewer than MIN_GROUP).
        "respondents": n if closed else privacy.rounded_count(n),
        "shown": closed and privacy.aggregate_allowed(n),
        "questions": [],
        "min_group": MIN_GROUP,
    }
    if not out["shown"]:
        return out
    responses = list(survey.responses.all())
    for question in survey.questions.all():
        values = [
            r.answers.get(question.key)
            for r in responses
            if r.answers.get(question.key) not in (None, "")
        ]
        row = {"question": question, "answered": len(values)}
        if question.kind == SurveyQuestionKind.LIKERT:
            counts = [sum(1 for v in values if v == level) for level in range(1, 6)]
            row.update(
                counts=counts,
                mean=(sum(values) / len(values)) if values else None,
                chart=charts.hbar(
                    [(str(level), count) for level, count in enumerate(counts, start=1)],
                    label_width=30,
                ),
            )
        else:
            row["comments"] = sorted(str(v) for v in values)
        out["questions"].append(row)
    return out


def results_chart(results: CohortResults) -> str:
    """Mean pre and post scores per axis: the same chart as in the partner report."""
    from django.utils.translation import gettext

    return charts.paired_bars(
        [(a.title or gettext("Overall"), a.pre_mean, a.post_mean) for a in results.axes if a.pairs]
    )


# --- scheduling (coordinators) -----------------------------------------------------------------


def form_question_counts(programme_id) -> dict[str, int]:
    """How many scored questions each form (A, B) of the programme's bank has, in one query."""
    from django.db.models import Case, Count, F, When

    from .models import TestForm

    rows = (
        Question.objects.filter(axis__programme_id=programme_id, active=True)
        .exclude(kind=QuestionKind.VIGNETTE)
        .filter(Q(parent__isnull=True) | Q(parent__active=True))
        .annotate(
            top_form=Case(When(parent__isnull=True, then=F("form")), default=F("parent__form"))
        )
        .order_by()  # no default ordering in the GROUP BY
        .values("top_form")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(TestForm.values, 0)
    for row in rows:
        if row["top_form"] in counts:
            counts[row["top_form"]] = row["n"]
    return counts


def tests_overview(cycle) -> dict:
    """The coordinator's view of a cycle's two tests: each with its attempt counts, the forms'
    sizes and how many participants take form A first (counterbalancing)."""
    from django.db.models import Count

    from .models import FormAssignment, TestForm

    tests = {
        t.phase: t
        for t in Test.objects.filter(cycle=cycle).annotate(
            n_attempts=Count("attempts"),
            n_submitted=Count("attempts", filter=Q(attempts__submitted_at__isnull=False)),
        )
    }
    assigned = dict.fromkeys(TestForm.values, 0)
    for row in (
        FormAssignment.objects.filter(cycle=cycle)
        .order_by()
        .values("pre_form")
        .annotate(n=Count("id"))
    ):
        assigned[row["pre_form"]] = row["n"]
    first, last = agenda_bounds(cycle)
    forms = form_question_counts(cycle.programme_id)
    phases = []
    for phase in (Phase.PRE, Phase.POST):
        # Who takes A before takes B after: the post-test's counts are the pre-test's swapped.
        takers = (
            assigned
            if phase == Phase.PRE
            else {TestForm.A: assigned[TestForm.B], TestForm.B: assigned[TestForm.A]}
        )
        phases.append(
            {
                "phase": phase,
                "label": Phase(phase).label,
                "test": tests.get(phase),
                "forms": [
                    {"form": f, "questions": forms[f], "participants": takers[f]}
                    for f in TestForm.values
                ],
            }
        )
    return {
        "phases": phases,
        "pre": tests.get(Phase.PRE),
        "post": tests.get(Phase.POST),
        "forms": forms,
        "assigned": assigned,
        "any_assigned": any(assigned.values()),
        "first_start": first,
        "last_end": last,
    }


def in_progress_count(test) -> int:
    return test.attempts.filter(submitted_at__isnull=True).count()


def managed_surveys(cycle, *, now=None) -> list[dict]:
    """A cycle's surveys for its coordinators, each with its state and how many answered (from
    the completions: who answered is never shown, nor what anyone answered). The count is exact
    once the survey is closed; while it is open, only rounded down (see `survey_results`)."""
    from django.db.models import Count

    from .models import Survey

    now = now or timezone.now()
    rows = []
    for survey in (
        Survey.objects.filter(cycle=cycle)
        .select_related("session")
        .annotate(n_answers=Count("completions"))
        .order_by("opens_at", "pk")
    ):
        closed = now > survey.closes_at
        rows.append(
            {
                "survey": survey,
                "closed": closed,
                "open": survey.opens_at <= now <= survey.closes_at,
                "answers": survey.n_answers if closed else privacy.rounded_count(survey.n_answers),
                "has_answers": survey.n_answers > 0,
            }
        )
    return rows


def survey_templates():
    from .models import SurveyTemplate

    return SurveyTemplate.objects.filter(active=True).prefetch_related("questions")


# --- the participant's side: their tests and surveys -------------------------------------------

TO_DO, IN_PROGRESS, DONE, CLOSED, NOT_OPEN = "to_do", "in_progress", "done", "closed", "not_open"


def _status(opens_at, closes_at, *, done: bool, started: bool, now) -> str:
    if done:
        return DONE
    if now < opens_at:
        return NOT_OPEN
    if now >= closes_at:
        return CLOSED
    return IN_PROGRESS if started else TO_DO


def participant_assessments(*, user, cycles, now=None) -> dict[int, list[dict]]:
    """{cycle id: [{"kind": "test"|"survey", "object", "status", "opens_at", "closes_at",
    "attempt"}]} for the cycles the user holds a seat in, in the order they open. Five queries
    however many cycles there are."""
    from .models import Survey, SurveyCompletion

    now = now or timezone.now()
    seated = set(
        Enrolment.objects.filter(participant=user, cycle__in=list(cycles))
        .exclude(status__in=WITHOUT_SEAT)
        .values_list("cycle_id", flat=True)
    )
    out: dict[int, list[dict]] = {pk: [] for pk in seated}
    if not seated:
        return out
    tests = list(Test.objects.filter(cycle_id__in=seated))
    attempts = {
        a.test_id: a
        for a in Attempt.objects.filter(participant=user, test__in=tests).select_related("test")
    }
    for test in tests:
        attempt = attempts.get(test.pk)
        finished_attempt = attempt is not None and (
            attempt.submitted_at is not None or now >= attempt_cutoff(attempt)
        )
        out[test.cycle_id].append(
            {
                "kind": "test",
                "object": test,
                "attempt": attempt,
                "opens_at": test.opens_at,
                "closes_at": test.closes_at,
                "status": _status(
                    test.opens_at,
                    test.closes_at,
                    done=finished_attempt,
                    started=attempt is not None,
                    now=now,
                ),
            }
        )
    surveys = list(Survey.objects.filter(cycle_id__in=seated).select_related("session"))
    answered = set(
        SurveyCompletion.objects.filter(participant=user, survey__in=surveys).values_list(
            "survey_id", flat=True
        )
    )
    for survey in surveys:
        out[survey.cycle_id].append(
            {
                "kind": "survey",
                "object": survey,
                "attempt": None,
                "opens_at": survey.opens_at,
                "closes_at": survey.closes_at,
                "status": _status(
                    survey.opens_at,
                    survey.closes_at,
                    done=survey.pk in answered,
                    started=False,
                    now=now,
                ),
            }
        )
    for rows in out.values():
        rows.sort(key=lambda r: (r["opens_at"], r["kind"] != "test"))
    return out


def survey_state(*, survey, user, now=None) -> str:
    """For one participant: to_do (open, not answered), done, closed or not_open."""
    from .models import SurveyCompletion

    now = now or timezone.now()
    done = SurveyCompletion.objects.filter(survey=survey, participant=user).exists()
    return _status(survey.opens_at, survey.closes_at, done=done, started=False, now=now)


# --- an attempt's result, question by question ---------------------------------------------------

RIGHT, WRONG, BLANK = "right", "wrong", "blank"


def answer_status(question: Question, selected) -> str:
    if not selected:
        return BLANK
    return RIGHT if is_correct(question, selected) else WRONG


def attempt_breakdown(questions: list[Question], answers: dict[int, list[str]]) -> dict:
    """Per scored question right / wrong / left blank, and the totals of each."""
    statuses = {}
    for leaf in leaf_questions(questions):
        statuses[leaf.pk] = answer_status(leaf, answers.get(leaf.pk))
    totals = {key: sum(1 for s in statuses.values() if s == key) for key in (RIGHT, WRONG, BLANK)}
    return {"statuses": statuses, "totals": totals, "total": len(statuses)}


def blank_count(attempt: Attempt) -> tuple[int, int]:
    """(questions left blank, scored questions) of an attempt, from its saved answers."""
    breakdown = attempt_breakdown(paper(attempt), answers_by_question(attempt))
    return breakdown["totals"][BLANK], breakdown["total"]

"""Test-taking, results and surveys. Thin: permission, selector or service, render."""

import contextlib
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from himaya.core import authz
from himaya.training.models import Cycle

from . import selectors, services
from .models import Attempt, Phase, Survey, SurveyQuestionKind, Test


def _require_participant(request, perm, cycle) -> None:
    """Taking tests and answering surveys is for the cycle's (not withdrawn) participants only
    (`authz` asks the rule itself, so superusers are not let through)."""
    authz.require(request.user, perm, cycle)


def _test_for(request, pk) -> Test:
    test = get_object_or_404(Test.objects.select_related("cycle", "cycle__programme"), pk=pk)
    _require_participant(request, "assessments.take_test", test.cycle)
    return test


@require_http_methods(["GET", "POST"])
def take_test(request, pk):
    test = _test_for(request, pk)
    attempt = Attempt.objects.filter(test=test, participant=request.user).first()
    if request.method == "POST" and attempt is None:
        try:
            attempt = services.start_attempt(test=test, participant=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("assessments:take_test", pk=test.pk)
        return redirect("assessments:take_test", pk=test.pk)
    if attempt is None:
        now = timezone.now()
        return render(
            request,
            "assessments/test_start.html",
            {"test": test, "is_open": test.opens_at <= now <= test.closes_at, "now": now},
        )
    attempt = services.close_if_expired(attempt=attempt)
    if attempt.submitted_at:
        return redirect("assessments:attempt_result", pk=attempt.pk)
    return render(
        request,
        "assessments/test_paper.html",
        {
            "test": test,
            "attempt": attempt,
            "ends_at": selectors.attempt_end(attempt),
            "questions": selectors.paper(attempt),
            "answers": selectors.answers_by_question(attempt),
        },
    )


@require_POST
def save_answer(request, pk):
    """Autosave: one answer per request, JSON in, JSON out."""
    test = _test_for(request, pk)
    attempt = get_object_or_404(Attempt, test=test, participant=request.user)
    try:
        payload = json.loads(request.body or b"{}")
        answer = services.save_answer(
            attempt=attempt,
            question_key=str(payload.get("question", "")),
            selected=list(payload.get("selected") or []),
        )
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"ok": False, "error": _("This answer could not be read.")}, status=400)
    except ValidationError as exc:
        return JsonResponse(
            {"ok": False, "error": " ".join(exc.messages), "code": exc.code}, status=409
        )
    return JsonResponse(
        {"ok": True, "question": answer.question.key, "saved_at": answer.saved_at.isoformat()}
    )


def _posted_answers(request, attempt) -> dict[str, list[str]]:
    """The answers a page without JavaScript sends with its submit button (with JavaScript
    they were saved one by one already; sending them again changes nothing)."""
    keys = {q.key for q in selectors.leaf_questions(selectors.paper(attempt))}
    return {key: request.POST.getlist(key) for key in keys if request.POST.getlist(key)}


@require_POST
def submit_test(request, pk):
    """Submitting asks for confirmation first, with the count of questions left blank: in the
    page with JavaScript (test-autosave.js), or here, as a page of its own, without it."""
    test = _test_for(request, pk)
    attempt = get_object_or_404(Attempt, test=test, participant=request.user)
    # The time is over or it was submitted: handled below as before.
    with contextlib.suppress(ValidationError):
        services.save_answers(attempt=attempt, answers=_posted_answers(request, attempt))
    if not request.POST.get("confirmed"):
        current = services.close_if_expired(attempt=attempt)
        if not current.submitted_at:
            blank, total = selectors.blank_count(current)
            return render(
                request,
                "assessments/confirm_submit.html",
                {"test": test, "attempt": current, "blank": blank, "total": total},
            )
        return redirect("assessments:attempt_result", pk=current.pk)
    try:
        attempt = services.submit_attempt(attempt=attempt)
    except ValidationError as exc:
        # The time is over: the attempt is closed with the answers saved until then.
        messages.error(request, " ".join(exc.messages))
        attempt = services.close_if_expired(attempt=attempt)
    return redirect("assessments:attempt_result", pk=attempt.pk)


@require_GET
def attempt_result(request, pk):
    attempt = get_object_or_404(Attempt.objects.select_related("test__cycle", "participant"), pk=pk)
    if not authz.allowed(request.user, "assessments.view_attempt", attempt) and not authz.allowed(
        request.user, "assessments.view_results", attempt.test.cycle
    ):
        raise PermissionDenied
    if not attempt.submitted_at:
        raise PermissionDenied
    # The answer key only after the post-test, once it has closed for the whole cohort.
    show_answers = selectors.answers_released(attempt.test)
    questions = selectors.paper(attempt)
    answers = selectors.answers_by_question(attempt)
    # Totals of right, wrong and blank always; which question is which only with the answer
    # key (before, it would tell a colleague with the same paper which answers are right).
    breakdown = selectors.attempt_breakdown(questions, answers)
    return render(
        request,
        "assessments/attempt_result.html",
        {
            "attempt": attempt,
            "show_answers": show_answers,
            "is_post_test": attempt.test.phase == Phase.POST,
            "questions": questions if show_answers else [],
            "answers": answers if show_answers else {},
            "statuses": breakdown["statuses"] if show_answers else {},
            "totals": breakdown["totals"],
            "axes": selectors.axis_scores(attempt),
        },
    )


@require_GET
def my_tests(request, slug):
    cycle = get_object_or_404(Cycle, slug=slug)
    _require_participant(request, "assessments.take_test", cycle)
    return render(
        request,
        "assessments/my_tests.html",
        {"cycle": cycle, "tests": selectors.tests_for_participant(user=request.user, cycle=cycle)},
    )


@require_GET
def cycle_results(request, slug):
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), slug=slug)
    if not authz.allowed(request.user, "assessments.view_results", cycle):
        raise PermissionDenied
    results = selectors.cohort_results(cycle)
    return render(
        request,
        "assessments/cycle_results.html",
        {"cycle": cycle, "results": results, "chart": selectors.results_chart(results)},
    )


@require_http_methods(["GET", "POST"])
def answer_survey(request, pk):
    """A survey that is not open, or already answered, says so before anything can be typed:
    no form is drawn (a POST to it is refused by the service as well)."""
    survey = get_object_or_404(Survey.objects.select_related("cycle", "session"), pk=pk)
    _require_participant(request, "assessments.answer_survey", survey.cycle)
    state = selectors.survey_state(survey=survey, user=request.user)
    questions = list(survey.questions.all()) if state == selectors.TO_DO else []
    error = None
    if request.method == "POST" and state == selectors.TO_DO:
        answers = {q.key: request.POST.get(q.key, "") for q in questions}
        try:
            services.answer_survey(survey=survey, participant=request.user, answers=answers)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Thank you: your answers were recorded anonymously."))
            return redirect("training:participant_home")
    return render(
        request,
        "assessments/survey.html",
        {
            "survey": survey,
            "state": state,
            "questions": questions,
            "likert": SurveyQuestionKind.LIKERT,
            "error": error,
            "posted": request.POST,
        },
    )


@require_GET
def survey_results(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("cycle"), pk=pk)
    if not authz.allowed(request.user, "assessments.view_results", survey.cycle):
        raise PermissionDenied
    return render(
        request,
        "assessments/survey_results.html",
        {"survey": survey, "view_result": selectors.survey_results(survey)},
    )


@require_GET
def cycle_surveys(request, slug):
    """The people who run the cycle see the results; its participants their own list of
    surveys (what to answer, what is done, what is closed)."""
    cycle = get_object_or_404(Cycle, slug=slug)
    if authz.allowed(request.user, "assessments.view_results", cycle):
        surveys = [
            selectors.survey_results(s)
            for s in cycle.surveys.select_related("session").order_by("opens_at")
        ]
        return render(
            request,
            "assessments/cycle_surveys.html",
            {
                "cycle": cycle,
                "surveys": surveys,
                "can_manage": authz.allowed(request.user, "training.manage_cycle", cycle),
            },
        )
    _require_participant(request, "assessments.answer_survey", cycle)
    items = selectors.participant_assessments(user=request.user, cycles=[cycle])[cycle.pk]
    return render(
        request,
        "assessments/my_surveys.html",
        {"cycle": cycle, "items": [i for i in items if i["kind"] == "survey"]},
    )

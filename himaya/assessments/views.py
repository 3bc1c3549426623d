"""Test-taking, results and surveys. Thin: permission, selector or service, render."""

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


@require_POST
def submit_test(request, pk):
    test = _test_for(request, pk)
    attempt = get_object_or_404(Attempt, test=test, participant=request.user)
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
    questions = selectors.paper(attempt) if show_answers else []
    return render(
        request,
        "assessments/attempt_result.html",
        {
            "attempt": attempt,
            "show_answers": show_answers,
            "is_post_test": attempt.test.phase == Phase.POST,
            "questions": questions,
            "answers": selectors.answers_by_question(attempt) if show_answers else {},
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
    survey = get_object_or_404(Survey.objects.select_related("cycle"), pk=pk)
    _require_participant(request, "assessments.answer_survey", survey.cycle)
    questions = list(survey.questions.all())
    error = None
    if request.method == "POST":
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
    cycle = get_object_or_404(Cycle, slug=slug)
    if not authz.allowed(request.user, "assessments.view_results", cycle):
        raise PermissionDenied
    surveys = [
        selectors.survey_results(s)
        for s in cycle.surveys.select_related("session").order_by("opens_at")
    ]
    return render(request, "assessments/cycle_surveys.html", {"cycle": cycle, "surveys": surveys})

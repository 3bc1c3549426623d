"""The coordinators' screens for a cycle's pre/post tests and surveys (rule
`training.manage_cycle`). Thin: the window rules are in services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from himaya.core import authz
from himaya.core.forms import add_service_errors
from himaya.training.models import Cycle

from . import selectors, services
from .forms import SurveyCreateForm, SurveyWindowForm, TestScheduleForm
from .models import Phase, Survey, Test

MANAGE = "training.manage_cycle"


def _cycle(request, slug) -> Cycle:
    return authz.fetch(request.user, Cycle.objects.select_related("programme"), MANAGE, slug=slug)


def _survey(request, pk) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("cycle", "session"), pk=pk)
    authz.require(request.user, MANAGE, survey.cycle)
    return survey


def _phase(phase: str) -> str:
    if phase not in Phase.values:
        raise Http404
    return phase


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


@require_GET
def manage_tests(request, slug):
    cycle = _cycle(request, slug)
    return render(
        request,
        "assessments/manage_tests.html",
        {"cycle": cycle, "overview": selectors.tests_overview(cycle), "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
def schedule_test(request, slug, phase):
    cycle = _cycle(request, slug)
    phase = _phase(phase)
    test = Test.objects.filter(cycle=cycle, phase=phase).first()
    started = test.attempts.count() if test else 0
    in_progress = selectors.in_progress_count(test) if test else 0
    initial = (
        {
            "opens_at": timezone.localtime(test.opens_at),
            "closes_at": timezone.localtime(test.closes_at),
            "time_limit_minutes": test.time_limit_minutes,
        }
        if test
        else {}
    )
    form = TestScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.schedule_test(
                cycle=cycle, phase=phase, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if test is None:
                messages.success(request, _("The test is scheduled."))
            elif in_progress and saved.closes_at > test.closes_at:
                messages.success(
                    request,
                    _(
                        "The test now closes on %(when)s. Participants who have not started can "
                        "start until then; the attempts in progress may continue until then, "
                        "within their time limit."
                    )
                    % {"when": _when(saved.closes_at)},
                )
            else:
                messages.success(request, _("The test's window is saved."))
            return redirect("assessments:manage_tests", slug=cycle.slug)
    return render(
        request,
        "assessments/schedule_test.html",
        {
            "cycle": cycle,
            "phase": phase,
            "phase_label": Phase(phase).label,
            "test": test,
            "form": form,
            "started": started,
            "in_progress": in_progress,
            "overview": selectors.tests_overview(cycle),
        },
    )


@require_POST
def close_test(request, slug, phase):
    cycle = _cycle(request, slug)
    test = get_object_or_404(Test, cycle=cycle, phase=_phase(phase))
    try:
        services.close_test(test=test, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The test is closed: no answer is accepted any more."))
    return redirect("assessments:manage_tests", slug=cycle.slug)


@require_POST
def delete_test(request, slug, phase):
    cycle = _cycle(request, slug)
    test = get_object_or_404(Test, cycle=cycle, phase=_phase(phase))
    try:
        services.delete_test(test=test, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The test is deleted."))
    return redirect("assessments:manage_tests", slug=cycle.slug)


@require_GET
def manage_surveys(request, slug):
    cycle = _cycle(request, slug)
    return render(
        request,
        "assessments/manage_surveys.html",
        {
            "cycle": cycle,
            "rows": selectors.managed_surveys(cycle),
            "min_group": selectors.MIN_GROUP,
        },
    )


def _session_label(session) -> str:
    day = formats.date_format(session.date, "j F")
    return f"{day} {session.start_time:%H:%M}–{session.end_time:%H:%M} · {session.title}"


@require_http_methods(["GET", "POST"])
def create_survey(request, slug):
    cycle = _cycle(request, slug)
    templates = selectors.survey_templates()
    form = SurveyCreateForm(
        request.POST or None,
        templates=templates,
        sessions=cycle.sessions.order_by("date", "start_time"),
        initial={"template": request.GET.get("template")},
    )
    form.fields["session"].label_from_instance = _session_label
    form.fields["template"].label_from_instance = lambda t: f"{t.title} ({t.get_kind_display()})"
    if request.method == "POST" and form.is_valid():
        try:
            services.create_survey(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The survey is created."))
            return redirect("assessments:manage_surveys", slug=cycle.slug)
    return render(
        request,
        "assessments/survey_form.html",
        {"cycle": cycle, "form": form, "templates": templates, "survey": None},
    )


@require_http_methods(["GET", "POST"])
def edit_survey(request, pk):
    survey = _survey(request, pk)
    form = SurveyWindowForm(
        request.POST or None,
        initial={
            "opens_at": timezone.localtime(survey.opens_at),
            "closes_at": timezone.localtime(survey.closes_at),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_survey(survey=survey, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The survey's dates are saved."))
            return redirect("assessments:manage_surveys", slug=survey.cycle.slug)
    return render(
        request,
        "assessments/survey_form.html",
        {
            "cycle": survey.cycle,
            "form": form,
            "survey": survey,
            "has_answers": survey.completions.exists(),
        },
    )


@require_POST
def close_survey(request, pk):
    survey = _survey(request, pk)
    try:
        services.close_survey(survey=survey, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The survey is closed."))
    return redirect("assessments:manage_surveys", slug=survey.cycle.slug)


@require_POST
def delete_survey(request, pk):
    survey = _survey(request, pk)
    slug = survey.cycle.slug
    try:
        services.delete_survey(survey=survey, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The survey is deleted."))
    return redirect("assessments:manage_surveys", slug=slug)

"""The tools' pages. Thin: read the request, check the rule, call a service or selector."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from himaya.core import authz
from himaya.core.pdf import render_pdf

from . import catalogue, selection, selectors, services
from .forms import AidState, groups_with_answers, summary
from .models import Assessment, ChecklistRecord, SessionTool, SessionToolKind
from .vocabulary import (
    ANSWER_LABELS,
    RELATIONSHIP_LABELS,
    RELATIONSHIPS,
    ROUND_REASON_LABELS,
    STAGE_LABELS,
    STAGES,
)


def _aid_or_404() -> dict:
    aid = catalogue.risk_aid()
    if aid is None:
        raise Http404(_("The tools' content is not loaded yet."))
    return aid


def _errors_of(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"general": [str(m) for m in exc.messages]}


def _choices():
    return {
        "stages": [(s, STAGE_LABELS[s]) for s in STAGES],
        "relationships": [(r, RELATIONSHIP_LABELS[r]) for r in RELATIONSHIPS],
        "offences": selection.offences(),
        "answer_labels": ANSWER_LABELS,
    }


# --- home and public pages -----------------------------------------------------------------


@login_not_required
@require_GET
def home(request):
    context = {
        "checklists": catalogue.checklists(),
        "due": selectors.due_counts(user=request.user),
        "can_keep": authz.allowed(request.user, "tools.keep_records"),
        "can_view_usage": authz.allowed(request.user, "tools.view_usage"),
        "retention_days": services.retention_days(),
    }
    return render(request, "tools/home.html", context)


@login_not_required
@require_GET
def measures(request):
    """The measure selector, public like the bench book: it holds no one's data."""
    content = catalogue.measures()
    if content is None:
        raise Http404(_("The tools' content is not loaded yet."))
    params = request.GET
    case = selection.Case(
        stage=params.get("stage", ""),
        offence=params.get("offence", ""),
        relationship=params.get("relationship", ""),
        children=params.get("children") == "1",
        victim_request=params.get("victim_request") == "1",
    )
    result, error = None, ""
    if params.get("stage"):
        try:
            result = selection.select(case)
        except selection.SelectionError as exc:
            error = exc.message
        else:
            if request.user.is_authenticated:
                services.count_use(user=request.user, tool="measures")
    return render(
        request,
        "tools/measures.html",
        {"case": case, "result": result, "error": error, **_choices()},
    )


@login_not_required
@require_GET
def checklists(request):
    return render(request, "tools/checklists.html", {"checklists": catalogue.checklists()})


@login_not_required
@require_GET
def checklist(request, key):
    found = catalogue.checklist(key)
    if found is None:
        raise Http404(_("There is no such vignette or checklist."))
    found = selection.with_links(found)
    if request.GET.get("format") == "pdf":
        pdf = render_pdf("tools/checklist_pdf.html", {"checklist": found, "record": None})
        return _pdf(pdf, f"checklist-{key}.pdf")
    return render(
        request,
        "tools/checklist.html",
        {"checklist": found, "can_keep": authz.allowed(request.user, "tools.keep_records")},
    )


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- the risk aid on a real file -----------------------------------------------------------


def _aid_context(aid, state, *, mode, errors=None, **extra):
    return {
        "aid": aid,
        "state": state,
        "mode": mode,
        "groups": groups_with_answers(aid, state.answers),
        "errors": errors or {},
        "round_reasons": [(k, v) for k, v in ROUND_REASON_LABELS.items() if k != "initial"],
        **_choices(),
        **extra,
    }


def _review_context(aid, state, *, mode, case, errors=None, **extra):
    found = selection.select(case) if case is not None else {"measures": [], "comparative": []}
    return _aid_context(
        aid,
        state,
        mode=mode,
        errors=errors,
        summary=summary(aid, state),
        selection=found,
        **extra,
    )


def _run_aid(request, *, mode, aid, state, case_of, save, template_extra):
    """The two screens of the aid: answers (phase 'edit', or errors on step one) and the
    summary (phase 'review', or errors on saving); phase 'save' stores it through `save`."""
    phase = request.POST.get("phase", "edit")
    if request.method != "POST" or phase == "edit":
        return render(
            request, "tools/aid_form.html", _aid_context(aid, state, mode=mode, **template_extra)
        )
    errors = state.case_errors() if mode != "practice" else {}
    if mode == "reassess":
        errors.pop("label", None)
    if errors:
        return render(
            request,
            "tools/aid_form.html",
            _aid_context(aid, state, mode=mode, errors=errors, **template_extra),
        )
    case = case_of(state)
    if phase == "review":
        return render(
            request,
            "tools/aid_review.html",
            _review_context(aid, state, mode=mode, case=case, **template_extra),
        )
    try:
        round_ = services.build_round(
            case=case,
            answers=state.answers,
            sources=state.sources,
            level=state.level,
            level_reason=state.level_reason,
            measures=state.measures,
            proportionality=state.proportionality,
            reason=state.round_reason if mode == "reassess" else "initial",
        )
        return save(round_)
    except ValidationError as exc:
        return render(
            request,
            "tools/aid_review.html",
            _review_context(
                aid, state, mode=mode, case=case, errors=_errors_of(exc), **template_extra
            ),
        )


@require_http_methods(["GET", "POST"])
def risk_new(request):
    authz.require(request.user, "tools.keep_records")
    aid = _aid_or_404()
    state = AidState.from_post(request.POST, aid) if request.method == "POST" else AidState()
    if request.method == "GET":
        state.stage = request.GET.get("stage", "")

    def save(round_):
        assessment = services.create_assessment(
            author=request.user, label=state.label, round_=round_
        )
        messages.success(request, _("The assessment is saved. Only you can read it."))
        return redirect("tools:assessment", pk=assessment.pk)

    return _run_aid(
        request,
        mode="real",
        aid=aid,
        state=state,
        case_of=AidState.case,
        save=save,
        template_extra={},
    )


@require_http_methods(["GET", "POST"])
def reassess(request, pk):
    assessment = selectors.read_assessment(user=request.user, pk=pk)
    authz.require(request.user, "tools.change_record", assessment)
    aid = _aid_or_404()
    last = assessment.payload["rounds"][-1]
    if request.method == "POST":
        state = AidState.from_post(request.POST, aid, round_reason_default="")
    else:
        state = AidState.from_round(last, label=assessment.payload["label"])
        state.round_reason = "new_incident" if assessment.payload.get("incidents") else ""
        if assessment.due_on and not assessment.payload.get("incidents"):
            state.round_reason = "one_month" if assessment.rounds == 1 else "three_months"
    state.label = assessment.payload["label"]

    def save(round_):
        services.reassess(assessment=assessment, actor=request.user, round_=round_)
        messages.success(request, _("The reassessment is saved."))
        return redirect("tools:assessment", pk=assessment.pk)

    return _run_aid(
        request,
        mode="reassess",
        aid=aid,
        state=state,
        case_of=AidState.case,
        save=save,
        template_extra={"assessment": assessment, "label": state.label},
    )


def _round_view(aid, round_):
    """A stored round, ready for the page and the PDF."""
    factors = catalogue.by_key(catalogue.factors(aid))
    levels = catalogue.by_key(aid["levels"])
    measures_content = catalogue.measures() or {"measures": []}
    measures = catalogue.by_key(measures_content["measures"])
    state = AidState.from_round(round_)
    return {
        "round": round_,
        "on": dt.date.fromisoformat(round_["on"]),
        "reason_label": ROUND_REASON_LABELS.get(round_.get("reason"), ""),
        "summary": summary(aid, state),
        "groups": groups_with_answers(aid, round_["answers"]),
        "level": levels.get(round_["level"]),
        "suggested": levels.get(round_["suggested"]),
        "sources": [s for s in aid["sources"] if s["key"] in round_["sources"]],
        "measures": [measures[k] for k in round_["measures"] if k in measures],
        "stage": STAGE_LABELS.get((round_.get("case") or {}).get("stage"), ""),
        "relationship": RELATIONSHIP_LABELS.get((round_.get("case") or {}).get("relationship"), ""),
        "offence": dict(selection.offences()).get((round_.get("case") or {}).get("offence"), ""),
        "factors": factors,
    }


@require_GET
def assessment(request, pk):
    record = selectors.read_assessment(user=request.user, pk=pk)
    aid = _aid_or_404()
    rounds = [_round_view(aid, r) for r in record.payload["rounds"]]
    return render(
        request,
        "tools/assessment_detail.html",
        {
            "assessment": record,
            "label": record.payload["label"],
            "latest": rounds[-1],
            "earlier": rounds[:-1][::-1],
            "incidents": record.payload.get("incidents", []),
            "today": timezone.localdate(),
            "retention_days": services.retention_days(),
            "answer_labels": ANSWER_LABELS,
        },
    )


@require_GET
def assessment_pdf(request, pk):
    record = selectors.read_assessment(user=request.user, pk=pk)
    aid = _aid_or_404()
    language = request.GET.get("lang") if request.GET.get("lang") in ("fr", "ar", "en") else None
    with translation.override(language or translation.get_language()):
        rounds = [_round_view(aid, r) for r in record.payload["rounds"]]
        pdf = render_pdf(
            "tools/assessment_pdf.html",
            {
                "assessment": record,
                "label": record.payload["label"],
                "latest": rounds[-1],
                "earlier": rounds[:-1][::-1],
                "printed_at": timezone.localtime(),
                "answer_labels": ANSWER_LABELS,
            },
        )
    return _pdf(pdf, f"risk-assessment-{record.pk}.pdf")


@require_POST
def assessment_incident(request, pk):
    record = get_object_or_404(Assessment, pk=pk)
    kind = request.POST.get("kind", "")
    try:
        services.report_incident(assessment=record, actor=request.user, kind=kind)
    except ValidationError:
        messages.error(request, _("Say whether it is a new incident or a breach."))
    else:
        messages.success(request, _("Noted: a reassessment is due now."))
    return redirect("tools:assessment", pk=pk)


@require_POST
def record_keep(request, kind, pk):
    model = Assessment if kind == "assessment" else ChecklistRecord
    record = get_object_or_404(model, pk=pk)
    services.set_kept(record=record, actor=request.user, kept=request.POST.get("kept") == "1")
    messages.success(request, _("Saved."))
    if model is Assessment:
        return redirect("tools:assessment", pk=pk)
    return redirect("tools:checklist_record", pk=pk)


@require_http_methods(["GET", "POST"])
def record_delete(request, kind, pk):
    model = Assessment if kind == "assessment" else ChecklistRecord
    record = get_object_or_404(model, pk=pk)
    authz.require(request.user, "tools.change_record", record)
    if request.method == "POST":
        services.delete_record(record=record, actor=request.user)
        messages.success(request, _("Deleted. Nothing of it is kept."))
        return redirect("tools:my_records")
    return render(request, "tools/confirm_delete.html", {"record": record, "kind": kind})


@require_GET
def my_records(request):
    authz.require(request.user, "tools.keep_records")
    assessments = selectors.my_assessments(user=request.user)
    records = selectors.my_checklist_records(user=request.user)
    titles = {c["key"]: c["title"] for c in catalogue.checklists()}
    return render(
        request,
        "tools/my_records.html",
        {
            "assessments": assessments,
            "records": [(r, titles.get(r.checklist)) for r in records],
            "today": timezone.localdate(),
            "retention_days": services.retention_days(),
        },
    )


@require_GET
def export_records(request):
    authz.require(request.user, "tools.keep_records")
    data = selectors.export_records(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="himaya-my-tools-records.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def delete_all(request):
    authz.require(request.user, "tools.keep_records")
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            messages.error(request, _("Tick the box to confirm."))
            return redirect("tools:delete_all")
        count = services.delete_all_records(author=request.user)
        messages.success(
            request,
            ngettext("%(n)d record deleted.", "%(n)d records deleted.", count) % {"n": count},
        )
        return redirect("tools:my_records")
    return render(request, "tools/confirm_delete.html", {"record": None, "kind": "all"})


# --- checklists on a file ------------------------------------------------------------------


def _checklist_post(request, found):
    return {
        "label": request.POST.get("label", ""),
        "ticks": request.POST.getlist("tick"),
        "notes": {i["key"]: request.POST.get(f"note_{i['key']}", "") for i in found["items"]},
    }


@require_http_methods(["GET", "POST"])
def checklist_new(request, key):
    authz.require(request.user, "tools.keep_records")
    found = catalogue.checklist(key)
    if found is None:
        raise Http404(_("There is no such vignette or checklist."))
    found = selection.with_links(found)
    values = {"label": "", "ticks": [], "notes": {}}
    errors = {}
    if request.method == "POST":
        values = _checklist_post(request, found)
        try:
            record = services.save_checklist_record(
                author=request.user, checklist_key=key, **values
            )
        except ValidationError as exc:
            errors = _errors_of(exc)
        else:
            messages.success(request, _("Saved. Only you can read it."))
            return redirect("tools:checklist_record", pk=record.pk)
    return render(
        request,
        "tools/checklist_record.html",
        {"checklist": found, "values": values, "errors": errors, "record": None},
    )


@require_http_methods(["GET", "POST"])
def checklist_record(request, pk):
    record = selectors.read_checklist_record(user=request.user, pk=pk)
    found = catalogue.checklist(record.checklist)
    if found is None:
        raise Http404(_("There is no such vignette or checklist."))
    found = selection.with_links(found)
    values = dict(record.payload)
    errors = {}
    if request.method == "POST":
        values = _checklist_post(request, found)
        try:
            services.save_checklist_record(
                author=request.user, checklist_key=record.checklist, record=record, **values
            )
        except ValidationError as exc:
            errors = _errors_of(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("tools:checklist_record", pk=record.pk)
    if request.GET.get("format") == "pdf":
        pdf = render_pdf("tools/checklist_pdf.html", {"checklist": found, "record": values})
        return _pdf(pdf, f"checklist-{record.checklist}-{record.pk}.pdf")
    return render(
        request,
        "tools/checklist_record.html",
        {"checklist": found, "values": values, "errors": errors, "record": record},
    )


# --- practice in training -----------------------------------------------------------------


def _cycle(request, slug):
    from himaya.training.models import Cycle

    return authz.fetch(
        request.user, Cycle.objects.select_related("programme"), "training.access_cycle", slug=slug
    )


@require_http_methods(["GET", "POST"])
def cycle_practice(request, slug):
    """The vignettes and checklists of a cycle's sessions: trainers and coordinators plan and
    run them; participants find the open exercises and the checklists."""
    cycle = _cycle(request, slug)
    sessions = list(cycle.sessions.order_by("date", "start_time"))
    plannable = [s for s in sessions if authz.allowed(request.user, "tools.plan_session_tools", s)]
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                session = next(
                    (s for s in plannable if str(s.pk) == request.POST.get("session")), None
                )
                if session is None:
                    raise PermissionDenied
                kind, _sep, key = request.POST.get("item", "").partition(":")
                services.add_session_tool(actor=request.user, session=session, kind=kind, key=key)
                messages.success(request, _("Added to the session's agenda."))
            else:
                tool = get_object_or_404(
                    SessionTool, pk=request.POST.get("tool"), session__cycle=cycle
                )
                if action == "remove":
                    services.remove_session_tool(actor=request.user, tool=tool)
                    messages.success(request, _("Removed from the session's agenda."))
                elif action in ("open", "close"):
                    services.set_exercise_open(
                        actor=request.user, tool=tool, is_open=action == "open"
                    )
                    messages.success(
                        request,
                        _("The exercise is open: participants can answer it now.")
                        if action == "open"
                        else _("The exercise is closed."),
                    )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("tools:cycle_practice", slug=slug)
    tools = selectors.session_tools_for_cycle(cycle)
    done = set(
        SessionTool.objects.filter(
            session__cycle=cycle, completions__participant=request.user
        ).values_list("pk", flat=True)
    )
    vignettes = catalogue.by_key(catalogue.vignettes())
    lists = catalogue.by_key(catalogue.checklists())
    rows = []
    for tool in tools:
        content = (
            vignettes.get(tool.key)
            if tool.kind == SessionToolKind.VIGNETTE
            else lists.get(tool.key)
        )
        if content is None:
            continue
        rows.append(
            {
                "tool": tool,
                "content": content,
                "can_run": authz.allowed(request.user, "tools.run_exercise", tool),
                "can_plan": tool.session in plannable,
                "can_answer": authz.allowed(request.user, "tools.answer_exercise", tool),
                "answered": tool.pk in done,
                "answers": tool.answer_count,
            }
        )
    return render(
        request,
        "tools/practice_cycle.html",
        {
            "cycle": cycle,
            "rows": rows,
            "plannable": plannable,
            "vignettes": catalogue.vignettes(),
            "checklists": catalogue.checklists(),
        },
    )


def _exercise(request, pk, perm):
    tool = get_object_or_404(
        SessionTool.objects.select_related("session__cycle"), pk=pk, kind="vignette"
    )
    authz.require(request.user, perm, tool)
    vignette = catalogue.vignette(tool.key)
    if vignette is None:
        raise Http404(_("There is no such vignette or checklist."))
    return tool, vignette


@require_http_methods(["GET", "POST"])
def exercise_answer(request, pk):
    tool = get_object_or_404(
        SessionTool.objects.select_related("session__cycle"), pk=pk, kind="vignette"
    )
    if tool.completions.filter(participant=request.user).exists():
        messages.info(request, _("You have already answered this exercise."))
        return redirect("tools:cycle_practice", slug=tool.session.cycle.slug)
    authz.require(request.user, "tools.answer_exercise", tool)
    vignette = catalogue.vignette(tool.key)
    if vignette is None:
        raise Http404(_("There is no such vignette or checklist."))
    aid = _aid_or_404()
    state = AidState.from_post(request.POST, aid) if request.method == "POST" else AidState()
    case = services.vignette_case(vignette)

    def save(round_):
        try:
            services.answer_exercise(participant=request.user, tool=tool, round_=round_)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your answer is recorded, without your name."))
        return redirect("tools:cycle_practice", slug=tool.session.cycle.slug)

    return _run_aid(
        request,
        mode="practice",
        aid=aid,
        state=state,
        case_of=lambda _state: case,
        save=save,
        template_extra={"vignette": vignette, "exercise": tool, "cycle": tool.session.cycle},
    )


@require_GET
def exercise_results(request, pk):
    tool, vignette = _exercise(request, pk, "tools.run_exercise")
    results = selectors.exercise_results(tool)
    measures = catalogue.by_key((catalogue.measures() or {"measures": []})["measures"])
    sources = catalogue.by_key(results["aid"]["sources"]) if results.get("aid") else {}
    return render(
        request,
        "tools/practice_results.html",
        {
            "exercise": tool,
            "vignette": vignette,
            "cycle": tool.session.cycle,
            "results": results,
            "measure_titles": {k: m["title"] for k, m in measures.items()},
            "source_rows": [(sources[k], results.get("sources", {}).get(k, 0)) for k in sources],
            "levels": catalogue.by_key(results["aid"]["levels"]) if results.get("aid") else {},
            "answer_labels": ANSWER_LABELS,
        },
    )


@require_GET
def usage(request):
    authz.require(request.user, "tools.view_usage")
    return render(
        request, "tools/usage.html", {"figures": selectors.usage_figures(user=request.user)}
    )

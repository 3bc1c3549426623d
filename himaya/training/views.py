"""Pages of the training domain. Thin: check permission, call a selector or service, render."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from himaya.accounts.choices import function_label, gender_label, region_label
from himaya.accounts.models import User
from himaya.core import authz, jobs, registry

from . import calendar, documents, participant_io, selectors, services
from .forms import MyProfileForm, ParticipantFilterForm, ParticipantImportForm
from .models import AttendanceStatus, Cycle, CycleStatus, Module, ParticipantImport, Session


def _require(request, perm: str, obj=None):
    if not authz.allowed(request.user, perm, obj):
        raise PermissionDenied


def _cycle(request, slug: str, perm: str = "training.access_cycle") -> Cycle:
    return authz.fetch(request.user, Cycle.objects.select_related("programme"), perm, slug=slug)


@require_GET
def dashboard(request):
    _require(request, "training.open_dashboard")
    stats = selectors.dashboard_cycles(user=request.user)
    upcoming = selectors.upcoming_sessions(cycles=[s.cycle.pk for s in stats])
    return render(request, "training/dashboard.html", {"stats": stats, "upcoming": upcoming})


@require_GET
def cycle_detail(request, slug):
    cycle = _cycle(request, slug)
    sessions = list(selectors.sessions_with_details(cycle=cycle))
    context = {
        "cycle": cycle,
        "partners": list(cycle.programme.partners.all()),
        "days": selectors.agenda_by_day(sessions=sessions),
        "sessions": sessions,
        "can_manage": authz.allowed(request.user, "training.manage_cycle", cycle),
        "links": registry.cycle_links(registry.CYCLE_PAGE, request.user, [cycle])[cycle.pk],
        "session_items": registry.session_items(request.user, sessions),
        "ics_url": calendar.subscription_url(request, cycle),
    }
    # Names and attendance of others are for the people who run the cycle only.
    if context["can_manage"] or authz.allowed(request.user, "training.open_trainer_page"):
        enrolments = list(selectors.cycle_enrolments(cycle=cycle))
        attended_sessions = [s for s in sessions if s.attendance_expected]
        context.update(
            enrolments=enrolments,
            matrix_sessions=attended_sessions,
            matrix=selectors.attendance_matrix(
                cycle=cycle, sessions=attended_sessions, enrolments=enrolments
            ),
            show_people=True,
        )
    return render(request, "training/cycle_detail.html", context)


@require_GET
def participants(request, slug):
    cycle = _cycle(request, slug, "training.manage_cycle")
    form = ParticipantFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    enrolments = selectors.participants_for_cycle(cycle=cycle, filters=filters)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        data = services.export_participants(
            cycle=cycle, file_format=export, enrolments=enrolments, readable=True
        )
        return _download(data, f"{cycle.slug}-participants.{export}")
    query = request.GET.copy()
    query.pop("export", None)
    language = translation.get_language()
    people = [
        {
            "enrolment": e,
            "function": function_label(e.participant.function, e.participant.gender),
            "region": region_label(e.participant.region, language),
            "gender": gender_label(e.participant.gender),
        }
        for e in enrolments
    ]
    return render(
        request,
        "training/participants.html",
        {
            "cycle": cycle,
            "form": form,
            "people": people,
            "courts": selectors.courts_for_cycle(cycle=cycle),
            "query": query.urlencode(),
        },
    )


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "ics": "text/calendar; charset=utf-8",
}


def _download(data: bytes, filename: str, inline: bool = False) -> HttpResponse:
    extension = filename.rsplit(".", 1)[-1]
    response = HttpResponse(data, content_type=CONTENT_TYPES[extension])
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
def import_template(request, file_format):
    if not (authz.allowed(request.user, "training.open_dashboard")):
        raise PermissionDenied
    file_format = "xlsx" if file_format == "xlsx" else "csv"
    return _download(
        participant_io.write_template(file_format), f"participants-template.{file_format}"
    )


@require_http_methods(["GET", "POST"])
def import_upload(request, slug):
    cycle = _cycle(request, slug, "training.manage_cycle")
    form = ParticipantImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                _("The file is too large (at most %(mb)d MB).")
                % {"mb": settings.IMPORT_MAX_BYTES // 2**20},
            )
        else:
            pending = services.stage_import(
                cycle=cycle, actor=request.user, filename=upload.name, data=upload.read()
            )
            return _start_preview(request, cycle, pending)
    return render(request, "training/import_upload.html", _upload_context(cycle, form))


def _upload_context(cycle, form, **extra) -> dict:
    return {
        "cycle": cycle,
        "form": form,
        "columns": participant_io.join_words(
            map(participant_io.column_label, participant_io.COLUMNS)
        ),
        "required": participant_io.join_words(
            map(participant_io.column_label, participant_io.REQUIRED)
        ),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def import_preview(request, slug, pk):
    cycle = _cycle(request, slug, "training.manage_cycle")
    pending = get_object_or_404(
        ParticipantImport, pk=pk, cycle=cycle, uploaded_by=request.user, applied_at__isnull=True
    )
    if request.method == "POST":
        job = jobs.start(
            owner=request.user,
            kind="training.import_apply",
            title=_("Importing %(file)s") % {"file": pending.filename},
            params={"import": pending.pk},
            back_url=reverse("training:participants", args=[cycle.slug]),
        )
        return jobs.follow(request, job)
    if pending.preview is not None and pending.preview.get("language") != (
        translation.get_language()
    ):
        # Its messages are in another language (the reader switched): check the file again.
        services.forget_preview(pending=pending)
        return _start_preview(request, cycle, pending)
    if pending.preview is None:  # its job has not run yet: wait on the job's page
        waiting = jobs.latest(
            owner=request.user, kind="training.import_preview", **{"import": pending.pk}
        )
        if waiting is not None:
            return redirect("core:job", pk=waiting.pk)
        services.preview_staged_import(pending=pending, actor=request.user)
    if "file_error" in pending.preview:
        return render(
            request,
            "training/import_upload.html",
            _upload_context(
                cycle,
                ParticipantImportForm(),
                file_error=pending.preview["file_error"],
                filename=pending.filename,
            ),
        )
    plan = participant_io.ImportPlan.from_json(
        pending.preview["plan"],
        columns=pending.preview.get("columns"),
        totals=pending.preview.get("totals"),
    )
    return render(
        request,
        "training/import_preview.html",
        {
            "cycle": cycle,
            "pending": pending,
            "plan": plan,
            "counts": {k: plan.count(k) for k in ("created", "updated", "unchanged", "error")},
            **import_preview_context(plan, request.GET),
        },
    )


def import_preview_context(plan, query) -> dict:
    """What the preview page shows of a plan, in the reader's language: the columns as read,
    the errors (at most a page), the changed rows one page at a time, the unchanged ones
    folded (at most a page), and the warnings."""
    size = participant_io.PREVIEW_PAGE_SIZE
    totals = plan.totals or {}
    changed = [r for r in plan.rows if r.outcome in ("created", "updated")]
    unchanged = [r for r in plan.rows if r.outcome == "unchanged"]
    pages = max(1, -(-len(changed) // size))
    try:
        page = min(max(1, int(query.get("page", 1))), pages)
    except ValueError:
        page = 1
    shown = changed[(page - 1) * size : page * size]
    columns = [
        {"cell": cell, "label": participant_io.column_label(key) if key else ""}
        for cell, key in (plan.columns or [])
    ]
    read = {key for _cell, key in (plan.columns or []) if key}
    missing = [
        participant_io.column_label(c) for c in participant_io.PROFILE_FIELDS if c not in read
    ]
    return {
        "columns": columns,
        "missing_columns": missing if read else [],
        "missing_columns_text": participant_io.join_words(missing) if read else "",
        "ignored_columns": [c["cell"] for c in columns if not c["label"] and c["cell"]],
        "errors_shown": plan.errors[:size],
        "warnings": plan.warnings,
        "warnings_shown": plan.warnings[:size],
        "changed_rows": [
            {"row": r, "changes": participant_io.row_changes(r), "warnings": r.warnings}
            for r in shown
        ],
        "changed_total": len(changed),
        # Rows the stored preview does not detail (beyond PREVIEW_MAX_ROWS): counted only.
        "changed_not_detailed": max(0, totals.get("changed", len(changed)) - len(changed)),
        "page": page,
        "pages": pages,
        "page_size": size,
        "first_shown": (page - 1) * size + 1 if shown else 0,
        "last_shown": (page - 1) * size + len(shown),
        "unchanged_rows": unchanged[:size],
        "unchanged_total": totals.get("unchanged_rows", len(unchanged)),
    }


def _start_preview(request, cycle, pending):
    # Reading and checking a large file takes time: a background job does it once.
    job = jobs.start(
        owner=request.user,
        kind="training.import_preview",
        title=_("Checking %(file)s") % {"file": pending.filename},
        params={"import": pending.pk},
        back_url=reverse("training:import_preview", args=[cycle.slug, pending.pk]),
    )
    return jobs.follow(request, job)


@require_GET
def cycle_calendar(request, slug):
    """The cycle's sessions as iCalendar. Calendar apps cannot sign in, so a signed token
    in the address (given on the cycle page) stands in for the session cookie."""
    cycle = get_object_or_404(Cycle, slug=slug)
    user = calendar.user_from_token(request.GET.get("token", ""), cycle) or request.user
    if not authz.allowed(user, "training.access_cycle", cycle):
        raise PermissionDenied
    with translation.override(
        getattr(user, "preferred_language", None) or translation.get_language()
    ):
        data = calendar.cycle_ics(cycle)
    return _download(data, f"{cycle.slug}.ics", inline=True)


cycle_calendar = login_not_required(cycle_calendar)


@require_http_methods(["GET", "POST"])
def attendance_sheet(request, pk):
    session = authz.fetch(
        request.user,
        Session.objects.select_related("cycle", "cycle__programme"),
        "training.take_attendance",
        pk=pk,
    )
    if request.method == "POST":
        return _record_tap(request, session)
    rows = selectors.attendance_for_session(session=session)
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for row in rows:
        if row["record"]:
            counts[row["record"].status] += 1
    closed = session.cycle.status == CycleStatus.CLOSED
    too_early = timezone.localdate() < session.date
    return render(
        request,
        "training/attendance_sheet.html",
        {
            "session": session,
            "cycle": session.cycle,
            "rows": rows,
            # Labels translated once, not once per participant.
            "statuses": [(value, str(label)) for value, label in AttendanceStatus.choices],
            "counts": counts,
            "unrecorded": sum(1 for r in rows if not r["record"]),
            "closed": closed,
            "too_early": too_early,
            "read_only": closed or too_early,
            "messages_js": {
                "saved": _("Saved at"),
                "sending": _("Sending…"),
                "waiting": _("Waiting for the network"),
                "refused": _("Refused:"),
                "newer": _("A more recent tap was kept."),
                "signin": _(
                    "Not sent: your session has ended. Sign in again; the taps are kept here."
                ),
                "queued": _("Taps waiting for the network:"),
            },
        },
    )


def _tap_time(value) -> datetime.datetime | None:
    """The device's time of a tap (ISO 8601 with its offset); None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None or timezone.is_naive(moment):
        return None
    return moment


def _record_tap(request, session):
    """One tap: JSON from the sheet's script (`{"participant", "status", "tapped_at"}`, sent
    again until it is answered), or the pressed button's "tap=<participant id>:<status>"
    without JavaScript. A tap refused for good answers 400 with the reason; the script stops
    sending it. A tap older than the recorded one answers 200 with the record kept."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"{}")
        except ValueError:
            payload = {}
        if not isinstance(payload, dict):
            payload = {}
    else:
        participant_id, _sep, status = request.POST.get("tap", "").partition(":")
        payload = {"participant": participant_id, "status": status}
    status = str(payload.get("status", ""))
    try:
        participant = User.objects.get(pk=int(payload.get("participant", "")))
        record = services.record_attendance(
            session=session,
            participant=participant,
            status=status,
            actor=request.user,
            tapped_at=_tap_time(payload.get("tapped_at")),
        )
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return _tap_refused(request, session, wants_json, services.ATTENDANCE_NOT_ENROLLED)
    except ValidationError as exc:
        return _tap_refused(request, session, wants_json, " ".join(exc.messages))
    if wants_json:
        return JsonResponse(
            {
                "ok": True,
                "participant": participant.pk,
                "status": record.status,
                "label": record.get_status_display(),
                "recorded_at": timezone.localtime(record.recorded_at).strftime("%H:%M"),
                # A newer tap (another tablet, or this one before) was already recorded.
                "kept_newer": record.status != status,
            }
        )
    return redirect(reverse("training:attendance_sheet", args=[session.pk]) + f"#p{participant.pk}")


def _tap_refused(request, session, wants_json: bool, message) -> HttpResponse:
    if wants_json:
        return JsonResponse({"ok": False, "error": str(message)}, status=400)
    messages.error(request, message)
    return redirect("training:attendance_sheet", pk=session.pk)


ATTENDANCE_WORKER = Path(__file__).resolve().parent.parent / "core/static/js/attendance-worker.js"


@login_not_required
@require_GET
def attendance_worker(request):
    """The service worker that keeps a copy of the attendance sheets for a reload without the
    network. Served under the language's /sessions/ (not /static/), so its scope covers the
    sheets; it holds no data of its own."""
    response = HttpResponse(
        ATTENDANCE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def signature_sheet(request, pk):
    session = authz.fetch(
        request.user, Session.objects.select_related("cycle"), "training.take_attendance", pk=pk
    )
    rows = selectors.attendance_for_session(session=session)
    pdf = documents.signature_sheet_pdf(request=request, session=session, rows=rows)
    return _download(
        pdf, f"signatures-{session.cycle.slug}-{session.date:%Y%m%d}-{session.pk}.pdf", inline=True
    )


@require_GET
def participant_home(request):
    enrolments = selectors.participant_cycles(user=request.user)
    programme_ids = {e.cycle.programme_id for e in enrolments}
    cycles = [e.cycle for e in enrolments]

    return render(
        request,
        "training/participant_home.html",
        {
            "enrolments": enrolments,
            "axes": selectors.modules_by_axis(programme_ids=programme_ids),
            "my_attendance": selectors.participant_attendance(user=request.user),
            "panels": registry.panels(registry.PARTICIPANT_HOME, request, cycles),
            "cycle_links": registry.cycle_links(registry.MY_CYCLE, request.user, cycles),
            "calendar_urls": {c.pk: calendar.subscription_url(request, c) for c in cycles},
        },
    )


@require_GET
def module_detail(request, key):
    module = get_object_or_404(
        Module.objects.select_related("axis", "axis__programme").prefetch_related(
            "provisions__instrument"
        ),
        key=key,
    )
    _require(request, "training.read_module", module)
    siblings = list(module.axis.modules.order_by("order"))
    # Model answers stay out of the page (and its context) unless the rule allows.
    guide = (
        module.trainer_guide_in()
        if authz.allowed(request.user, "training.read_trainer_guide", module)
        else None
    )
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "siblings": siblings,
            "trainer_guide": guide,
            "tool_links": registry.object_links(registry.MODULE_PAGE, request.user, module),
        },
    )


@require_GET
def trainer_home(request):
    """A trainer's sessions: today's first (their sheets at hand), then the coming ones, then
    the past ones (the latest first), each with how much of its attendance is recorded."""
    _require(request, "training.open_trainer_page")
    today = timezone.localdate()
    sessions = list(selectors.trainer_sessions(user=request.user))
    return render(
        request,
        "training/trainer_home.html",
        {
            "today_sessions": [s for s in sessions if s.date == today],
            "upcoming_days": selectors.agenda_by_day(
                sessions=[s for s in sessions if s.date > today]
            ),
            "past_days": selectors.agenda_by_day(
                sessions=sorted(
                    (s for s in sessions if s.date < today),
                    key=lambda s: (s.date, s.start_time),
                    reverse=True,
                )
            ),
            "summary": selectors.attendance_summary_by_session(sessions=sessions),
            "seats": selectors.seats_by_cycle(cycles={s.cycle_id for s in sessions}),
            "today": today,
            "has_sessions": bool(sessions),
        },
    )


@require_GET
def participant_profile(request, pk):
    person = authz.fetch(request.user, User, "training.access_participant", pk=pk)
    # A coordinator sees this person's record in their own partner's cycles only.
    visible = selectors.cycles_for_user(
        user=request.user if request.user.pk != person.pk else person
    )
    enrolments = list(
        person.enrolments.filter(cycle__in=visible)
        .select_related("cycle")
        .order_by("-cycle__start_date")
    )
    attendance = list(
        person.attendances.filter(session__cycle__in=visible)
        .select_related("session", "session__cycle")
        .order_by("session__date", "session__start_time")
    )
    return render(
        request,
        "training/participant_profile.html",
        {
            "person": person,
            "region_name": region_label(person.region, translation.get_language()),
            "enrolments": enrolments,
            "attendance": attendance,
        },
    )


@require_http_methods(["GET", "POST"])
def my_profile(request):
    """A person's own profile: they change their phone, court and languages here (a new
    preferred language becomes the page's language), and find their certificates and the
    address of each cycle's calendar."""
    _require(request, "training.edit_own_profile")
    user = request.user
    form = MyProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        changes = services.update_own_profile(user=user, data=form.cleaned_data, actor=user)
        language = user.preferred_language
        with translation.override(language):
            if changes:
                messages.success(request, _("Your profile is saved."))
            response = redirect(reverse("training:my_profile"))
        if "preferred_language" in changes:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
    enrolments = selectors.participant_cycles(user=user)
    cycles = [e.cycle for e in enrolments]
    return render(
        request,
        "training/my_profile.html",
        {
            "form": form,
            "person": user,
            "region_name": region_label(user.region, translation.get_language()),
            "enrolments": enrolments,
            "calendar_urls": {c.pk: calendar.subscription_url(request, c) for c in cycles},
            "documents": registry.cycle_links(registry.MY_PROFILE, user, cycles),
        },
    )

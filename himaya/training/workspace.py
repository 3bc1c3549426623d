"""The coordinator's workspace: cycles, their agenda, enrolments and trainers, without the admin.

Thin views: the rule is asked (`authz`), the write goes through `cycles` or `services`, a form
keeps what was typed and shows translated errors; a refused step says why."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from himaya.core import authz, jobs, registry
from himaya.core.forms import add_service_errors
from himaya.core.languages import LANGUAGE_CODES

from . import cycles, selectors, services
from .models import Cycle, CycleStatus, Enrolment, EnrolmentStatus, Session
from .workspace_forms import (
    AddPersonForm,
    BulkEnrolmentForm,
    CycleForm,
    DuplicateCycleForm,
    InviteTrainerForm,
    SessionForm,
    StatusForm,
    session_initial,
)

CYCLE_FIELDS = [
    "start_date",
    "end_date",
    "capacity",
    *(f"{n}_{c}" for n in ("title", "city", "venue") for c in LANGUAGE_CODES),
]


def _invitations():
    # accounts.invitations reads training's models: imported when a page needs it.
    from himaya.accounts import invitations

    return invitations


def _cycle(request, slug) -> Cycle:
    return authz.fetch(
        request.user,
        Cycle.objects.select_related("programme"),
        "training.manage_cycle",
        slug=slug,
    )


def _render(request, template: str, context: dict):
    """A workspace page: with the cycle's other screens (tests, surveys, certificates, report…)
    as tabs, from the apps that register them on the cycle page."""
    cycle = context.get("cycle")
    if cycle is not None:
        context["workspace_links"] = registry.cycle_links(
            registry.CYCLE_PAGE, request.user, [cycle]
        )[cycle.pk]
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def cycle_create(request):
    authz.require(request.user, "training.open_dashboard")
    programmes = selectors.programmes_for_user(user=request.user)
    form = CycleForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in CYCLE_FIELDS}
        programme = form.cleaned_data["programme"]
        if not authz.allowed(request.user, "training.manage_programme", programme):
            form.add_error("programme", _("You do not manage this programme."))
        else:
            try:
                with transaction.atomic():
                    cycle = cycles.create_cycle(
                        programme=programme,
                        data={**data, "slug": form.cleaned_data.get("slug", "")},
                        actor=request.user,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The cycle was created as a draft. Now build its agenda.")
                )
                return redirect("training:agenda", slug=cycle.slug)
    return _render(request, "training/workspace/cycle_form.html", {"form": form, "cycle": None})


@require_http_methods(["GET", "POST"])
def cycle_edit(request, slug):
    cycle = _cycle(request, slug)
    initial = {k: getattr(cycle, k) for k in CYCLE_FIELDS}
    initial["slug"] = cycle.slug
    form = CycleForm(request.POST or None, initial=initial, programmes=None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in CYCLE_FIELDS}
        if form.cleaned_data.get("slug"):  # only a draft's key may change; empty keeps it
            data["slug"] = form.cleaned_data["slug"]
        try:
            with transaction.atomic():
                changes, promoted = cycles.update_cycle(cycle=cycle, data=data, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not changes:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("The cycle was saved."))
            if promoted:
                messages.info(
                    request,
                    ngettext(
                        "%(n)d person of the waiting list now has a seat.",
                        "%(n)d people of the waiting list now have a seat.",
                        len(promoted),
                    )
                    % {"n": len(promoted)},
                )
            return redirect("training:cycle_detail", slug=cycle.slug)
    return _render(
        request,
        "training/workspace/cycle_form.html",
        {"form": form, "cycle": cycle, "status_form": _status_context(cycle)},
    )


def _status_context(cycle: Cycle) -> list[dict]:
    """The steps offered from the cycle's status, each with why it is not possible yet."""
    labels = dict(CycleStatus.choices)
    return [
        {
            "status": status,
            "label": labels[status],
            "errors": cycles.transition_errors(cycle, status),
            "needs_reason": cycle.status == CycleStatus.CLOSED,
        }
        for status in cycles.TRANSITIONS.get(cycle.status, ())
    ]


@require_POST
def cycle_status(request, slug):
    cycle = _cycle(request, slug)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            cycles.change_status(
                cycle=cycle,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            cycle.refresh_from_db()
            messages.success(
                request,
                _("The cycle is now: %(status)s.") % {"status": cycle.get_status_display()},
            )
    else:
        messages.error(request, _("Unknown status."))
    return redirect("training:cycle_detail", slug=cycle.slug)


@require_http_methods(["GET", "POST"])
def cycle_duplicate(request, slug):
    source = _cycle(request, slug)
    form = DuplicateCycleForm(
        request.POST or None,
        initial={f"title_{c}": getattr(source, f"title_{c}") for c in LANGUAGE_CODES},
    )
    if request.method == "POST" and form.is_valid():
        titles = {f"title_{c}": form.cleaned_data[f"title_{c}"] for c in LANGUAGE_CODES}
        try:
            with transaction.atomic():
                target = cycles.duplicate_cycle(
                    source=source,
                    start_date=form.cleaned_data["start_date"],
                    data=titles,
                    actor=request.user,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "A copy of the cycle was created as a draft, with its agenda moved to the new dates."
                ),
            )
            return redirect("training:agenda", slug=target.slug)
    return _render(
        request, "training/workspace/cycle_duplicate.html", {"form": form, "cycle": source}
    )


# --- agenda --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def agenda(request, slug):
    cycle = _cycle(request, slug)
    trainers = cycles.trainer_choices()
    form = SessionForm(
        request.POST or None,
        cycle=cycle,
        trainers=trainers,
        initial={"date": cycle.start_date, "attendance_expected": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.create_session(
                    cycle=cycle, key="", data=dict(form.cleaned_data), actor=request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was added to the agenda."))
            return redirect("training:agenda", slug=cycle.slug)
    sessions = list(selectors.sessions_with_details(cycle=cycle))
    return _render(
        request,
        "training/workspace/agenda.html",
        {
            "cycle": cycle,
            "form": form,
            "days": selectors.agenda_by_day(sessions=sessions),
            "session_count": len(sessions),
        },
    )


def _session(request, pk) -> Session:
    session = get_object_or_404(Session.objects.select_related("cycle", "cycle__programme"), pk=pk)
    authz.require(request.user, "training.manage_cycle", session.cycle)
    return session


@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = _session(request, pk)
    form = SessionForm(
        request.POST or None,
        cycle=session.cycle,
        trainers=cycles.trainer_choices(),
        initial=session_initial(session),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.update_session(
                    session=session, data=dict(form.cleaned_data), actor=request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("training:agenda", slug=session.cycle.slug)
    return _render(
        request,
        "training/workspace/session_form.html",
        {"form": form, "session": session, "cycle": session.cycle},
    )


@require_POST
def session_duplicate(request, pk):
    session = _session(request, pk)
    cycles.duplicate_session(session=session, actor=request.user)
    messages.success(request, _("The session was duplicated; change its date or time below."))
    return redirect("training:agenda", slug=session.cycle.slug)


@require_POST
def session_delete(request, pk):
    session = _session(request, pk)
    try:
        cycles.delete_session(session=session, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The session was removed from the agenda."))
    return redirect("training:agenda", slug=session.cycle.slug)


# --- enrolments ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def enrolments(request, slug):
    cycle = _cycle(request, slug)
    add_form = AddPersonForm(prefix="add")
    bulk_form = BulkEnrolmentForm(cycle=cycle, prefix="bulk")
    if request.method == "POST" and "add-email" in request.POST:
        add_form = AddPersonForm(request.POST, prefix="add")
        if add_form.is_valid():
            response = _add_person(request, cycle, add_form)
            if response is not None:
                return response
    elif request.method == "POST":
        bulk_form = BulkEnrolmentForm(request.POST, cycle=cycle, prefix="bulk")
        if bulk_form.is_valid():
            response = _bulk(request, cycle, bulk_form.cleaned_data)
            if response is not None:
                return response
    rows = list(selectors.cycle_enrolments(cycle=cycle))
    states = _invitations().invitation_states([e.participant for e in rows])
    counts = dict.fromkeys(EnrolmentStatus.values, 0)
    for enrolment in rows:
        counts[enrolment.status] += 1
    return _render(
        request,
        "training/workspace/enrolments.html",
        {
            "cycle": cycle,
            "rows": [(e, states.get(e.participant_id)) for e in rows],
            "add_form": add_form,
            "bulk_form": bulk_form,
            "counts": counts,
            "seats_taken": cycles.seats_taken(cycle),
            "statuses": EnrolmentStatus.choices,
            "closed": cycle.status == CycleStatus.CLOSED,
            "draft": cycle.status == CycleStatus.DRAFT,
        },
    )


def _add_person(request, cycle, form):
    try:
        with transaction.atomic():
            enrolment, _created = cycles.add_person(
                cycle=cycle,
                email=form.cleaned_data["email"],
                data=form.person_data(),
                actor=request.user,
            )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    person = enrolment.participant
    if form.cleaned_data.get("send_invitation") and cycle.status != CycleStatus.DRAFT:
        _invitations().send_invitations(users=[person], actor=request.user, cycle=cycle)
    if enrolment.status == EnrolmentStatus.WAITING:
        messages.warning(
            request,
            _("%(name)s was added to the waiting list: the cycle is full.")
            % {"name": person.display_name},
        )
    else:
        messages.success(
            request, _("%(name)s was enrolled in the cycle.") % {"name": person.display_name}
        )
    return redirect("training:enrolments", slug=cycle.slug)


def _bulk(request, cycle, data):
    selected = list(data["enrolments"])
    action = data["action"]
    if action == "invite":
        job = _invitations().start_invitation_job(
            owner=request.user,
            users=[e.participant for e in selected],
            cycle=cycle,
            back_url=reverse("training:enrolments", args=[cycle.slug]),
        )
        return jobs.follow(request, job)
    status = {"confirm": EnrolmentStatus.CONFIRMED, "withdraw": EnrolmentStatus.WITHDRAWN}[action]
    try:
        changed = cycles.change_enrolments(
            cycle=cycle,
            enrolments=selected,
            status=status,
            reason=data["reason"],
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(
        request,
        ngettext("%(n)d enrolment was changed.", "%(n)d enrolments were changed.", changed)
        % {"n": changed},
    )
    skipped = len(selected) - changed
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(n)d person was left as they were (already so, or no free seat).",
                "%(n)d people were left as they were (already so, or no free seat).",
                skipped,
            )
            % {"n": skipped},
        )
    return redirect("training:enrolments", slug=cycle.slug)


@require_POST
def invitation_link(request, slug, pk):
    """A set-password link to share another way (shown once on the page, audited)."""
    cycle = _cycle(request, slug)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("participant"), pk=pk, cycle=cycle
    )
    try:
        link = _invitations().invitation_link(user=enrolment.participant, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("training:enrolments", args=[cycle.slug]) + f"#e{enrolment.pk}")
    messages.info(
        request,
        _("Invitation link for %(name)s (valid for a limited time): %(link)s")
        % {"name": enrolment.participant.display_name, "link": link},
    )
    return redirect(reverse("training:enrolments", args=[cycle.slug]) + f"#e{enrolment.pk}")


# --- trainers ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def trainers(request):
    authz.require(request.user, "training.open_dashboard")
    form = InviteTrainerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                trainer, created = cycles.invite_trainer(
                    email=form.cleaned_data["email"], data=form.person_data(), actor=request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            sent = _invitations().send_invitations(users=[trainer], actor=request.user)
            if created or sent:
                messages.success(
                    request,
                    _("%(name)s now has a trainer's account and was sent an invitation.")
                    % {"name": trainer.display_name},
                )
            else:
                messages.info(
                    request,
                    _(
                        "%(name)s already has a trainer's account: choose them in a session's agenda."
                    )
                    % {"name": trainer.display_name},
                )
            return redirect("training:trainers")
    people = list(cycles.trainer_choices())
    return _render(
        request,
        "training/workspace/trainers.html",
        {
            "form": form,
            "trainers": people,
            "states": _invitations().invitation_states(people),
            "teaching": selectors.trainer_session_counts(trainers=people, user=request.user),
        },
    )

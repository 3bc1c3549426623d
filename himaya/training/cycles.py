"""The coordinator's workspace, its writes: a cycle's life (create, duplicate, status), its agenda
and its enrolments. Transactional, validated, audited, with the actor's rights checked here, so
the pages, the API and the command line obey the same rules.

A cycle's status moves along draft → open → running → closed:
- draft → open (enrolment opens): the cycle has at least one session;
- open → running: from the cycle's first day;
- running → closed: once its last session has ended; the cycle's attendance and results are then
  locked (the attendance service refuses changes);
- closed → running (reopening): needs a reason, recorded in the audit event;
- open → draft: only while nobody is enrolled.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: F401 - raised to callers
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from himaya.accounts.choices import Role
from himaya.accounts.models import User
from himaya.core import audit, authz
from himaya.core.languages import LANGUAGE_CODES

from . import selectors, services, signals
from .models import (
    WITHOUT_SEAT,
    Cycle,
    CycleStatus,
    Enrolment,
    EnrolmentStatus,
    Session,
)

CYCLE_STATUS_CHANGED = "cycle.status_changed"
CYCLE_DUPLICATED = "cycle.duplicated"
SESSION_DELETED = "session.deleted"

# The steps a coordinator may take, from each status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CycleStatus.DRAFT: (CycleStatus.OPEN,),
    CycleStatus.OPEN: (CycleStatus.RUNNING, CycleStatus.DRAFT),
    CycleStatus.RUNNING: (CycleStatus.CLOSED,),
    CycleStatus.CLOSED: (CycleStatus.RUNNING,),
}


# --- cycles --------------------------------------------------------------------------------


def propose_slug(*, title: str, start_date: datetime.date | None, exclude_pk=None) -> str:
    """A free key from the title and the year: "Cycle Casablanca" in 2027 → cycle-casablanca-2027
    (then -2, -3… when taken). Arabic-only titles give "cycle-2027"."""
    base = slugify(title or "")[:60].strip("-") or "cycle"
    if start_date and str(start_date.year) not in base:
        base = f"{base}-{start_date.year}"
    taken = set(
        Cycle.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def next_number(programme) -> int:
    return (programme.cycles.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def create_cycle(*, programme, data: dict, actor: User | None) -> Cycle:
    """A new draft cycle; its key is proposed from the title when none is given, and its number
    follows the programme's last one."""
    data = dict(data)
    slug = data.pop("slug", "") or propose_slug(
        title=data.get("title_fr") or data.get("title_en") or data.get("title", ""),
        start_date=data.get("start_date"),
    )
    data.setdefault("number", next_number(programme))
    data["status"] = CycleStatus.DRAFT
    return services.create_cycle(programme=programme, slug=slug, data=data, actor=actor)


@transaction.atomic
def duplicate_cycle(
    *, source: Cycle, start_date: datetime.date, data: dict, actor: User | None
) -> Cycle:
    """A new draft cycle with the source's agenda moved to `start_date` (sessions, their modules,
    trainers and rooms; no people, attendance or results). The apps above training copy their own
    settings (tests' and surveys' windows, the completion rule) on `cycle_duplicated`."""
    authz.require_actor(actor, "training.manage_cycle", source)
    shift = start_date - source.start_date
    fields = {
        "capacity": source.capacity,
        **{
            f"{name}_{lang}": getattr(source, f"{name}_{lang}")
            for name in ("title", "venue", "city")
            for lang in LANGUAGE_CODES
        },
    }
    fields.update({k: v for k, v in data.items() if v not in (None, "")})
    fields["start_date"] = start_date
    fields["end_date"] = source.end_date + shift
    target = create_cycle(programme=source.programme, data=fields, actor=actor)
    for session in source.sessions.prefetch_related("modules", "trainers"):
        services.create_session(
            cycle=target,
            key=session.key,
            data={
                **{f"title_{lang}": getattr(session, f"title_{lang}") for lang in LANGUAGE_CODES},
                "date": session.date + shift,
                "start_time": session.start_time,
                "end_time": session.end_time,
                "room": session.room,
                "attendance_expected": session.attendance_expected,
                "modules": list(session.modules.all()),
                "trainers": list(session.trainers.all()),
            },
            actor=actor,
        )
    audit.record(
        event=CYCLE_DUPLICATED,
        actor=actor,
        target=target,
        extra={"source": source.pk, "shift_days": shift.days},
    )
    signals.cycle_duplicated.send(
        sender=Cycle, source=source, target=target, actor=actor, shift_days=shift.days
    )
    return target


@transaction.atomic
def update_cycle(*, cycle: Cycle, data: dict, actor: User | None) -> tuple[dict, list[Enrolment]]:
    """Change a cycle's fields; a raised capacity gives the new seats to the waiting list.
    Returns the changes `{field: [old, new]}` and the enrolments promoted."""
    changes = services.update_cycle(cycle=cycle, data=data, actor=actor)
    promoted = services.fill_free_seats(cycle=cycle, actor=actor) if "capacity" in changes else []
    return changes, promoted


def transition_errors(cycle: Cycle, status: str, *, now=None) -> list[str]:
    """Why the cycle cannot move to `status` now (empty: it can)."""
    now = now or timezone.now()
    if status not in TRANSITIONS.get(cycle.status, ()):
        return [_("This step is not possible from the cycle's current status.")]
    errors = []
    if status == CycleStatus.OPEN and not cycle.sessions.exists():
        errors.append(_("Add at least one session to the agenda before opening enrolment."))
    opening_day = cycle.status == CycleStatus.OPEN and status == CycleStatus.RUNNING
    if opening_day and timezone.localdate(now) < cycle.start_date:
        errors.append(
            _("The cycle can start running from its first day (%(date)s).")
            % {"date": _format_date(cycle.start_date)}
        )
    if status == CycleStatus.CLOSED:
        end = selectors.agenda_bounds(cycle)[1]
        if end is None or end > now:
            errors.append(_("The cycle can be closed once its last session has ended."))
    if (
        status == CycleStatus.DRAFT
        and cycle.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).exists()
    ):
        errors.append(_("People are enrolled: the cycle cannot go back to draft."))
    return errors


def _format_date(value: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "j F Y")


@transaction.atomic
def change_status(
    *, cycle: Cycle, status: str, actor: User | None, reason: str = "", now=None
) -> Cycle:
    """Move a cycle to its next status, by the rules above. Reopening a closed cycle needs a
    reason, kept in the audit event."""
    authz.require_actor(actor, "training.manage_cycle", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    errors = transition_errors(cycle, status, now=now)
    reopening = cycle.status == CycleStatus.CLOSED and status == CycleStatus.RUNNING
    reason = (reason or "").strip()
    if reopening and not reason:
        errors.append(_("Give the reason for reopening the cycle."))
    if errors:
        raise ValidationError(errors, code="transition")
    before = cycle.status
    cycle.status = status
    cycle.save(update_fields=["status", "updated_at"])
    if before == CycleStatus.DRAFT and status == CycleStatus.OPEN:
        # The people added while it was a draft get their invitations now.
        from himaya.accounts import invitations

        invitations.invite_pending(cycle=cycle, actor=actor)
    audit.record(
        event=CYCLE_STATUS_CHANGED,
        actor=actor,
        target=cycle,
        changes={"status": [before, status]},
        extra={"reason": reason} if reason else None,
    )
    return cycle


# --- agenda --------------------------------------------------------------------------------


def trainer_choices():
    """Everyone who may teach: trainer accounts, named with their e-mail (two people can share a
    name)."""
    return User.objects.filter(role=Role.TRAINER, is_active=True).order_by(
        "last_name", "first_name", "email"
    )


@transaction.atomic
def duplicate_session(
    *, session: Session, date: datetime.date | None = None, actor: User | None
) -> Session:
    """A copy of a session (same times, room, modules and trainers), on `date` or the same day."""
    authz.require_actor(actor, "training.manage_cycle", session.cycle)
    return services.create_session(
        cycle=session.cycle,
        key="",
        data={
            **{f"title_{lang}": getattr(session, f"title_{lang}") for lang in LANGUAGE_CODES},
            "date": date or session.date,
            "start_time": session.start_time,
            "end_time": session.end_time,
            "room": session.room,
            "attendance_expected": session.attendance_expected,
            "modules": list(session.modules.all()),
            "trainers": list(session.trainers.all()),
        },
        actor=actor,
    )


@transaction.atomic
def delete_session(*, session: Session, actor: User | None) -> None:
    """Remove a session from the agenda; refused once attendance was taken in it."""
    authz.require_actor(actor, "training.manage_cycle", session.cycle)
    if session.attendances.exists():
        raise ValidationError(
            _("Attendance was taken in this session: it cannot be removed; move it instead."),
            code="has_attendance",
        )
    audit.record(event=SESSION_DELETED, actor=actor, target=session, extra={"title": str(session)})
    session.delete()


# --- enrolments ----------------------------------------------------------------------------


def seats_taken(cycle: Cycle) -> int:
    return cycle.enrolments.exclude(status__in=WITHOUT_SEAT).count()


@transaction.atomic
def add_person(
    *, cycle: Cycle, email: str, data: dict, actor: User | None
) -> tuple[Enrolment, bool]:
    """Enrol a person by e-mail: their account when it exists, else a new participant account
    (no password: they get an invitation). Beyond the capacity, on the waiting list. Returns the
    enrolment and whether the account was created. A coordinator may not enrol staff."""
    authz.require_actor(actor, "training.manage_cycle", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email, role=Role.PARTICIPANT, **data)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        audit.record_create(actor=actor, target=user)
    elif user.is_staff or user.is_superuser or user.role in (Role.ADMIN, Role.COORDINATOR):
        raise ValidationError(
            _("This account belongs to a coordinator or an administrator: it cannot be enrolled."),
            code="not_participant",
        )
    existing = cycle.enrolments.filter(participant=user).first()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("This person is already enrolled in the cycle."), code="enrolled")
    status = (
        EnrolmentStatus.WAITING if seats_taken(cycle) >= cycle.capacity else EnrolmentStatus.INVITED
    )
    if existing is not None:
        enrolment = services.set_enrolment_status(enrolment=existing, status=status, actor=actor)
    else:
        enrolment = services.enrol(cycle=cycle, participant=user, actor=actor, status=status)
    return enrolment, created


@transaction.atomic
def change_enrolments(
    *, cycle: Cycle, enrolments, status: str, actor: User | None, reason: str = ""
) -> int:
    """Confirm, withdraw (a reason is required) or re-invite several enrolments of one cycle at
    once. Returns how many changed."""
    authz.require_actor(actor, "training.manage_cycle", cycle)
    allowed = {EnrolmentStatus.CONFIRMED, EnrolmentStatus.WITHDRAWN, EnrolmentStatus.INVITED}
    if status not in allowed:
        raise ValidationError(_("Unknown enrolment status."), code="invalid_status")
    reason = (reason or "").strip()
    if status == EnrolmentStatus.WITHDRAWN and not reason:
        raise ValidationError(_("Give the reason for the withdrawal."), code="reason_required")
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(
            _("The cycle is closed: its enrolments can no longer change."), code="closed"
        )
    changed = 0
    for enrolment in enrolments:
        if enrolment.cycle_id != cycle.pk or enrolment.status == status:
            continue
        # From the waiting list, a seat must be free: it moves up by withdrawals, not confirming.
        from_waiting = enrolment.status == EnrolmentStatus.WAITING
        if (
            status == EnrolmentStatus.CONFIRMED
            and from_waiting
            and seats_taken(cycle) >= cycle.capacity
        ):
            continue
        enrolment.status_reason = reason if status == EnrolmentStatus.WITHDRAWN else ""
        enrolment.save(update_fields=["status_reason", "updated_at"])
        services.set_enrolment_status(enrolment=enrolment, status=status, actor=actor)
        changed += 1
    return changed


@transaction.atomic
def invite_trainer(*, email: str, data: dict, actor: User | None) -> tuple[User, bool]:
    """A trainer's account by e-mail (created without a password: they get an invitation).
    An existing participant account becomes a trainer's; staff accounts are refused."""
    authz.require_actor(actor, "training.open_dashboard")
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, role=Role.TRAINER, **data)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        audit.record_create(actor=actor, target=user)
        return user, True
    if user.role == Role.TRAINER:
        return user, False
    raise ValidationError(
        _("An account with this e-mail exists and is not a trainer's: ask an administrator."),
        code="not_trainer",
    )

"""Every write of the training domain: transactional, validated, audited."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from himaya.accounts.choices import Role
from himaya.accounts.models import User
from himaya.core import audit, authz, registry
from himaya.core.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from himaya.core.models import AuditEntry

from . import participant_io, permissions, selectors, signals
from .models import (
    WITHOUT_SEAT,
    Attendance,
    AttendanceStatus,
    Cycle,
    CycleStatus,
    Enrolment,
    EnrolmentStatus,
    ParticipantImport,
    Session,
)

NOT_ENROLLED = "not_enrolled"


# Refusals of `record_attendance`: module constants, so the tests and the pages share them.
ATTENDANCE_UNKNOWN_STATUS = gettext_lazy("Unknown attendance status.")
ATTENDANCE_NOT_ENROLLED = gettext_lazy("This person is not a participant of the cycle.")
ATTENDANCE_TOO_EARLY = gettext_lazy(
    "Attendance can be taken from the day of the session on (%(date)s)."
)
ATTENDANCE_CYCLE_CLOSED = gettext_lazy(
    "The cycle is closed: its attendance can no longer be changed."
)
TOO_EARLY = "too_early"
CYCLE_CLOSED = "cycle_closed"


@transaction.atomic
def record_attendance(
    *,
    session: Session,
    participant: User,
    status: str,
    actor: User | None,
    now=None,
    tapped_at=None,
) -> Attendance:
    """Set one participant's attendance for one session (one tap on the sheet).

    `now` is the server's time of the record (the demo loader gives the session's start).
    `tapped_at` is when the tap was made on the device: a sheet that lost the network sends its
    taps later, perhaps twice, perhaps in another order. The record keeps the latest tap: a tap
    older than the one recorded changes nothing (the record is returned as it is), and a replay
    of the same tap changes nothing either. A device clock ahead of the server counts as `now`.

    Refused (ValidationError): an unknown status, a person without a seat in the cycle, a day
    before the session's (local date), and any change in a closed cycle: reopening a cycle is the
    coordinator's decision, with its reason, not a side effect of a tap.

    After each create or change, `signals.attendance_changed` is sent inside the transaction
    (`before`/`after` are the statuses, `before` None for a first record)."""
    if status not in AttendanceStatus.values:
        raise ValidationError(ATTENDANCE_UNKNOWN_STATUS, code="invalid_status")
    now = now or timezone.now()
    when = min(tapped_at, now) if tapped_at is not None else now
    # The cycle's row is read locked, so a tap and the cycle's closing cannot cross.
    cycle_status = (
        Cycle.objects.select_for_update().values_list("status", flat=True).get(pk=session.cycle_id)
    )
    if cycle_status == CycleStatus.CLOSED:
        raise ValidationError(ATTENDANCE_CYCLE_CLOSED, code=CYCLE_CLOSED)
    # The server's day decides, not the device's: a tablet whose clock is behind must not be
    # refused on the session's day.
    if timezone.localdate(now) < session.date:
        raise ValidationError(
            ATTENDANCE_TOO_EARLY,
            code=TOO_EARLY,
            params={"date": session.date.strftime("%d/%m/%Y")},
        )
    # A device time before the session's day is a wrong clock (the sheet takes no tap before
    # the day): the tap counts from the start of the day.
    day_start = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time.min))
    when = max(when, day_start)
    enrolled = (
        Enrolment.objects.filter(cycle_id=session.cycle_id, participant=participant)
        .exclude(status__in=WITHOUT_SEAT)
        .exists()
    )
    if not enrolled:
        raise ValidationError(ATTENDANCE_NOT_ENROLLED, code=NOT_ENROLLED)
    record = _locked_attendance(session=session, participant=participant)
    if record is None:
        record = Attendance(
            session=session,
            participant=participant,
            status=status,
            recorded_by=actor,
            recorded_at=when,
        )
        record.full_clean(validate_unique=False, validate_constraints=False)
        try:
            # Two first taps for one person can race (two tablets, a double tap on a slow
            # network): the loser's insert meets the unique constraint, and becomes an update.
            with transaction.atomic():
                record.save()
        except IntegrityError:
            record = _locked_attendance(session=session, participant=participant)
            if record is None:
                raise
        else:
            audit.record_create(actor=actor, target=record, event=audit.ATTENDANCE_RECORDED)
            _attendance_changed(record=record, before=None, actor=actor)
            return record
    if record.status == status or when < record.recorded_at:
        return record  # the same tap again, or a tap older than the one recorded
    before = audit.snapshot(record)
    record.status = status
    record.recorded_by = actor
    record.recorded_at = when
    record.save(update_fields=["status", "recorded_by", "recorded_at"])
    audit.record_update(actor=actor, target=record, before=before, event=audit.ATTENDANCE_RECORDED)
    _attendance_changed(record=record, before=before["status"], actor=actor)
    return record


def _attendance_changed(*, record: Attendance, before: str | None, actor) -> None:
    signals.attendance_changed.send(
        sender=Attendance,
        session=record.session,
        participant=record.participant,
        before=before,
        after=record.status,
        actor=actor,
    )


# What a person may change about themselves on their profile (the certificate language once
# the accounts app has it); the rest of their record is the coordinators'.
OWN_PROFILE_FIELDS = ("phone", "court", "preferred_language", "certificate_language")
PROFILE_UPDATED = "user.updated"


@transaction.atomic
def update_own_profile(*, user: User, data: dict, actor: User) -> dict:
    """Change the named fields of one's own profile; returns `{field: [old, new]}`, audited."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied
    fields = [
        f for f in OWN_PROFILE_FIELDS if f in data and any(x.name == f for x in User._meta.fields)
    ]
    changes = audit.model_update(instance=user, data=data, fields=fields)
    if changes:
        audit.record(
            event=PROFILE_UPDATED,
            actor=actor,
            target=user,
            changes=changes,
            extra={"by": "self"},
        )
    return changes


def _locked_attendance(*, session: Session, participant: User) -> Attendance | None:
    return (
        Attendance.objects.select_for_update()
        .filter(session=session, participant=participant)
        .first()
    )


@transaction.atomic
def enrol(
    *, cycle: Cycle, participant: User, actor: User | None, status: str = EnrolmentStatus.INVITED
) -> Enrolment:
    enrolment, created = Enrolment.objects.get_or_create(
        cycle=cycle, participant=participant, defaults={"status": status}
    )
    if created:
        audit.record_create(actor=actor, target=enrolment, event=audit.ENROLMENT_CREATED)
    return enrolment


@transaction.atomic
def set_enrolment_status(*, enrolment: Enrolment, status: str, actor: User) -> Enrolment:
    """Change an enrolment's status. When a person holding a seat withdraws, the first person
    of the waiting list (by enrolment date) takes the seat, invited (`enrolment.promoted`)."""
    if status not in EnrolmentStatus.values:
        raise ValidationError(_("Unknown enrolment status."), code="invalid_status")
    # The cycle row is locked so two withdrawals at once cannot both promote into one seat.
    cycle = Cycle.objects.select_for_update().get(pk=enrolment.cycle_id)
    held_seat = enrolment.status not in WITHOUT_SEAT
    before = audit.snapshot(enrolment)
    enrolment.status = status
    enrolment.save(update_fields=["status", "updated_at"])
    audit.record_update(
        actor=actor,
        target=enrolment,
        before=before,
        event=(
            audit.ENROLMENT_WITHDRAWN
            if status == EnrolmentStatus.WITHDRAWN
            else audit.ENROLMENT_UPDATED
        ),
    )
    if held_seat and status == EnrolmentStatus.WITHDRAWN:
        _promote_from_waiting_list(cycle=cycle, actor=actor, freed_by=enrolment)
    return enrolment


def _promote_from_waiting_list(
    *, cycle: Cycle, actor: User | None, freed_by: Enrolment | None
) -> Enrolment | None:
    """Give a free seat to the first person of the waiting list, if a seat is free (a cycle
    filled beyond its capacity by hand stays as it is until enough people leave). Returns the
    person promoted, if any. `freed_by` is the withdrawal that freed the seat (None when the
    capacity was raised)."""
    seated = Enrolment.objects.filter(cycle=cycle).exclude(status__in=WITHOUT_SEAT).count()
    if seated >= cycle.capacity:
        return None
    first = (
        Enrolment.objects.select_for_update()
        .filter(cycle=cycle, status=EnrolmentStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    before = audit.snapshot(first)
    first.status = EnrolmentStatus.INVITED
    first.save(update_fields=["status", "updated_at"])
    audit.record_update(
        actor=actor,
        target=first,
        before=before,
        event=audit.ENROLMENT_PROMOTED,
        extra={"seat_freed_by": freed_by.pk} if freed_by else {"capacity": cycle.capacity},
    )
    return first


@transaction.atomic
def fill_free_seats(*, cycle: Cycle, actor: User | None) -> list[Enrolment]:
    """After the capacity was raised: the waiting list takes the new seats, in its order."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    promoted = []
    while (
        person := _promote_from_waiting_list(cycle=cycle, actor=actor, freed_by=None)
    ) is not None:
        promoted.append(person)
    return promoted


@dataclass
class ImportReport:
    plan: participant_io.ImportPlan
    applied: bool

    def as_dict(self) -> dict:
        return {
            "created": self.plan.count("created"),
            "updated": self.plan.count("updated"),
            "unchanged": self.plan.count("unchanged"),
            # Of the created and updated rows, those enrolled on the waiting list.
            "waiting": self.plan.count("waiting"),
            "errors": [e.as_dict() for e in self.plan.errors],
            # Only when some row has one, so that reports without warnings keep their shape.
            **(
                {"warnings": [w.as_dict() for w in warnings]}
                if (warnings := self.plan.warnings)
                else {}
            ),
        }


def _existing(emails: list[str], cycle: Cycle) -> tuple[dict[str, User], set[int]]:
    users: dict[str, User] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk):
            users[user.email.lower()] = user
    enrolled = set(Enrolment.objects.filter(cycle=cycle).values_list("participant_id", flat=True))
    return users, enrolled


def _import_scope(*, cycle: Cycle, actor: User | None, users: dict[str, User]):
    """The import's limits for this actor: the cycle's capacity for everyone (rows beyond it go
    on the waiting list, behind the people already there); for a coordinator, also the people
    they may not touch (enrolled only in other partners' cycles). `actor=None` is the system
    (the CLI without --as), with an administrator's rights."""
    enrolments = Enrolment.objects.filter(cycle=cycle)
    scope = participant_io.ImportScope(
        capacity=cycle.capacity,
        seats_taken=enrolments.exclude(status__in=WITHOUT_SEAT).count(),
        already_waiting=enrolments.filter(status=EnrolmentStatus.WAITING).count(),
    )
    if actor is None or permissions.is_admin(actor):
        return scope
    ids = [u.pk for u in users.values() if u.role == Role.PARTICIPANT]
    enrolled_somewhere: set[int] = set()
    ours: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        enrolments = Enrolment.objects.filter(participant_id__in=chunk)
        enrolled_somewhere.update(enrolments.values_list("participant_id", flat=True))
        ours.update(
            enrolments.filter(cycle__programme__partners=actor.partner_id).values_list(
                "participant_id", flat=True
            )
        )
    scope.protected_ids = enrolled_somewhere - ours
    return scope


def plan_import(
    *, cycle: Cycle, data: bytes, filename: str, actor: User | None = None
) -> tuple[participant_io.ImportPlan, dict, dict]:
    """Read and check a participant file as `actor` would import it; nothing is written.
    Returns the plan, the values to write by row and the registered users by e-mail.
    Raises ImportFileError."""
    rows = participant_io.read_rows(data, filename)
    header = participant_io.read_header(rows)
    emails = []
    position = header.position("email")
    if position is not None:
        emails = sorted(
            {
                r[position].strip().lower()
                for r in rows[1:]
                if len(r) > position and r[position].strip()
            }
        )
    users, enrolled = _existing(emails, cycle)
    scope = _import_scope(cycle=cycle, actor=actor, users=users)
    plan, cleaned = participant_io.validate_rows(
        rows, existing_users=users, enrolled_ids=enrolled, scope=scope, header=header
    )
    return plan, cleaned, users


def import_participants(
    *,
    cycle: Cycle,
    data: bytes,
    filename: str = "",
    actor: User | None,
    dry_run: bool = False,
    batch_size: int | None = None,
) -> ImportReport:
    """Import a participant file into a cycle: all rows or none.

    Accounts are matched by e-mail (so a second import of the same file changes nothing),
    created without a usable password (people set theirs through the reset e-mail) and
    enrolled as invited, or on the waiting list beyond the cycle's capacity. The file is
    validated whole first; the writes then go in batches of `batch_size` rows, each its own
    transaction, and importing the same file again finishes an import a crash interrupted
    (see `_apply`). `actor=None` is the system (administrator's rights); a coordinator
    may not touch people enrolled only in other partners' cycles. Raises
    participant_io.ImportFileError for unreadable files."""
    if actor is not None and not actor.has_perm("training.manage_cycle", cycle):
        raise PermissionDenied
    plan, cleaned, _users = plan_import(cycle=cycle, data=data, filename=filename, actor=actor)
    if dry_run or not plan.is_valid:
        return ImportReport(plan=plan, applied=False)
    _apply(cycle=cycle, plan=plan, cleaned=cleaned, actor=actor, batch_size=batch_size)
    return ImportReport(plan=plan, applied=True)


# Rows written per transaction: SQLite holds its one write lock for a batch, not the whole file.
IMPORT_BATCH_SIZE = 500


def _apply(*, cycle, plan, cleaned, actor, batch_size: int | None = None) -> None:
    """Write a valid plan in bulk, `batch_size` rows per transaction, one audit row per change.

    The whole file was validated before (an invalid file writes nothing); the writes then go
    in batches so that a 20,000-row import never holds SQLite's write lock for seconds. Each
    batch is idempotent: it reads again the accounts and enrolments of its rows, upserts the
    accounts by e-mail and creates only the enrolments that do not exist yet (get_or_create,
    in bulk). A crash between two batches leaves the first ones written; importing the same
    file again finishes the import (the rows already written are then "unchanged"). The
    summary event `import.applied` is written with the last batch.

    bulk_create sets primary keys on both SQLite (3.35+) and PostgreSQL."""
    batch_size = batch_size or IMPORT_BATCH_SIZE
    actor = actor if actor is not None and actor.is_authenticated else None
    # "unchanged" rows are enrolled and identical already: nothing to write for them.
    rows = [row for row in plan.rows if row.outcome in ("created", "updated")]
    written = {"changes": 0, "enrolled": 0}
    for start in range(0, len(rows), batch_size):
        with transaction.atomic():
            batch = _apply_batch(
                cycle=cycle, rows=rows[start : start + batch_size], cleaned=cleaned, actor=actor
            )
            written["changes"] += len(batch)
            written["enrolled"] += sum(1 for e in batch if e.event == audit.ENROLMENT_CREATED)
            if start + batch_size >= len(rows) and written["changes"]:
                # A file that changes nothing (imported twice) leaves no trace either.
                batch.append(
                    audit.entry(
                        event=audit.IMPORT_APPLIED,
                        actor=actor,
                        target=cycle,
                        extra={
                            "created": plan.count("created"),
                            "updated": plan.count("updated"),
                            "unchanged": plan.count("unchanged"),
                            "enrolled": written["enrolled"],
                            # Only when some went on the waiting list, so other events keep
                            # their shape.
                            **({"waiting": waiting} if (waiting := plan.count("waiting")) else {}),
                        },
                    )
                )
            AuditEntry.objects.bulk_create(batch)


def _apply_batch(*, cycle, rows, cleaned, actor) -> list[AuditEntry]:
    """Write one batch of rows (see `_apply`); returns its audit entries, not yet saved."""
    entries: list[AuditEntry] = []
    emails = [cleaned[row.row]["email"] for row in rows]
    users = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }

    new_users, changed_users = [], []
    for row in rows:
        data = cleaned[row.row]
        user = users.get(data["email"])
        if user is None:
            # An unusable password, as set_unusable_password() makes, without its per-character
            # random draw (a third of the import's time at 10,000 rows).
            password = f"{UNUSABLE_PASSWORD_PREFIX}{secrets.token_urlsafe(30)}"
            user = User(role=Role.PARTICIPANT, password=password, **data)
            new_users.append(user)
            users[data["email"]] = user
            continue
        before = audit.snapshot(user)
        # A registered person's row holds only what changes: an absent column or an empty
        # cell leaves the stored value as it is.
        for name in participant_io.PROFILE_FIELDS:
            if data.get(name):
                setattr(user, name, data[name])
        changes = audit.diff(before, audit.snapshot(user))
        if changes:
            changed_users.append(user)
            entries.append(
                audit.entry(event="user.updated", actor=actor, target=user, changes=changes)
            )
    User.objects.bulk_create(new_users)
    for user in new_users:
        entries.append(
            audit.entry(
                event="user.created",
                actor=actor,
                target=user,
                changes=audit.diff(None, audit.snapshot(user)),
            )
        )
    User.objects.bulk_update(changed_users, participant_io.PROFILE_FIELDS, batch_size=1000)

    enrolled = set(
        Enrolment.objects.filter(
            cycle=cycle, participant_id__in=[u.pk for u in users.values()]
        ).values_list("participant_id", flat=True)
    )
    new_enrolments = []
    for row in rows:
        user = users[cleaned[row.row]["email"]]
        if user.pk not in enrolled:
            status = EnrolmentStatus.WAITING if row.waiting else EnrolmentStatus.INVITED
            new_enrolments.append(Enrolment(cycle=cycle, participant=user, status=status))
            enrolled.add(user.pk)
    Enrolment.objects.bulk_create(new_enrolments)
    for enrolment in new_enrolments:
        entries.append(
            audit.entry(
                event=audit.ENROLMENT_CREATED,
                actor=actor,
                target=enrolment,
                changes=audit.diff(None, audit.snapshot(enrolment)),
            )
        )
    return entries


def stage_import(*, cycle: Cycle, actor: User, filename: str, data: bytes) -> ParticipantImport:
    """Keep an uploaded file until its preview is confirmed (or a newer upload replaces it)."""
    if not actor.has_perm("training.manage_cycle", cycle):
        raise PermissionDenied
    ParticipantImport.objects.filter(
        cycle=cycle, uploaded_by=actor, applied_at__isnull=True
    ).delete()
    pending = ParticipantImport(cycle=cycle, uploaded_by=actor, filename=filename[:255], data=data)
    pending.save()
    return pending


def preview_staged_import(*, pending: ParticipantImport, actor: User) -> dict:
    """Compute the preview of a staged file once and keep it with the file: the preview page
    reads it on every reload instead of parsing the file again."""
    try:
        plan, _cleaned, _users = plan_import(
            cycle=pending.cycle, data=bytes(pending.data), filename=pending.filename, actor=actor
        )
    except participant_io.ImportFileError as exc:
        preview = {"file_error": str(exc)}
    else:
        preview = plan.preview_json()
    # Its messages are in the language of the one who asked: the page recomputes it in another.
    preview["language"] = translation.get_language() or DEFAULT_LANGUAGE
    ParticipantImport.objects.filter(pk=pending.pk).update(preview=preview)
    pending.preview = preview
    return preview


def forget_preview(*, pending: ParticipantImport) -> None:
    """Drop a staged file's preview, so that it is computed again (in another language)."""
    ParticipantImport.objects.filter(pk=pending.pk).update(preview=None)
    pending.preview = None


def apply_staged_import(*, pending: ParticipantImport, actor: User) -> ImportReport:
    """Apply a staged file (in batches, see `import_participants`). It is marked applied only
    once every batch is written: a job that crashed half-way is simply run again."""
    report = import_participants(
        cycle=pending.cycle, data=bytes(pending.data), filename=pending.filename, actor=actor
    )
    if report.applied:
        pending.applied_at = timezone.now()
        pending.data = b""
        pending.save(update_fields=["applied_at", "data", "updated_at"])
    return report


def export_participants(
    *, cycle: Cycle, file_format: str = "csv", enrolments=None, readable: bool = False
) -> bytes:
    """The cycle's participants (or the given, e.g. filtered, enrolments).

    By default in the import's columns as keys and codes (the command line's format, DESIGN.md
    §6). `readable=True` is the people's format, in the active language: the same columns
    labelled and written as the reader reads them (the import reads them back unchanged),
    then the enrolment status, the attendance rate and what other apps add for the cycle
    through `core.registry` (the certificate's code and state); CSV semicolon-separated."""
    if enrolments is None:
        enrolments = selectors.cycle_enrolments(cycle=cycle)
    enrolments = list(enrolments)
    users = [e.participant for e in enrolments]
    if not readable:
        if file_format == "xlsx":
            return participant_io.write_xlsx(users)
        return participant_io.write_csv(users)
    tallies = selectors.attendance_tallies(cycles=[cycle], by="participant")
    ids = [u.pk for u in users]
    columns = registry.participant_columns(cycle, ids)
    people = [
        participant_io.ExportPerson(
            user=e.participant,
            status=e.get_status_display(),
            attendance=tallies.get((cycle.pk, e.participant_id), selectors.NO_ATTENDANCE).rate,
            extra=[v for c in columns for v in c.values.get(e.participant_id, c.empty)],
        )
        for e in enrolments
    ]
    extra_header = [h for c in columns for h in c.header]
    return participant_io.write_export(people, file_format=file_format, extra_header=extra_header)


# --- cycles and sessions (the demo loader and, later, the coordinators' pages) -------------

CYCLE_FIELDS = [
    "programme",
    "slug",
    "number",
    "start_date",
    "end_date",
    "capacity",
    "status",
    *(f"{name}_{lang}" for name in ("title", "venue", "city") for lang in LANGUAGE_CODES),
]
SESSION_FIELDS = [
    "date",
    "start_time",
    "end_time",
    "room",
    "attendance_expected",
    "modules",
    "trainers",
    *(f"title_{lang}" for lang in LANGUAGE_CODES),
]


@transaction.atomic
def create_cycle(*, programme, slug: str, data: dict, actor: User | None) -> Cycle:
    authz.require_actor(actor, "training.manage_programme", programme)
    cycle = audit.model_create(
        Cycle,
        data={
            "slug": slug,
            **{k: v for k, v in data.items() if k != "programme"},
            "programme": programme,
        },
    )
    audit.record_create(actor=actor, target=cycle, event=audit.CYCLE_CREATED)
    return cycle


@transaction.atomic
def update_cycle(*, cycle: Cycle, data: dict, actor: User | None) -> dict:
    """Change the named fields of a cycle; returns `{field: [old, new]}` (empty: no change)."""
    authz.require_actor(actor, "training.manage_cycle", cycle)
    changes = audit.model_update(
        instance=cycle, data=data, fields=[f for f in CYCLE_FIELDS if f in data]
    )
    if changes:
        audit.record(event=audit.CYCLE_UPDATED, actor=actor, target=cycle, changes=changes)
    return changes


@transaction.atomic
def create_session(*, cycle: Cycle, key: str, data: dict, actor: User | None) -> Session:
    authz.require_actor(actor, "training.manage_cycle", cycle)
    session = audit.model_create(Session, data={"cycle": cycle, "key": key, **data})
    audit.record_create(
        actor=actor,
        target=session,
        event=audit.SESSION_CREATED,
        extra={
            "modules": sorted(m.pk for m in data.get("modules", [])),
            "trainers": sorted(t.pk for t in data.get("trainers", [])),
        },
    )
    return session


@transaction.atomic
def update_session(*, session: Session, data: dict, actor: User | None) -> dict:
    authz.require_actor(actor, "training.manage_cycle", session.cycle)
    changes = audit.model_update(
        instance=session, data=data, fields=[f for f in SESSION_FIELDS if f in data]
    )
    if changes:
        audit.record(event=audit.SESSION_UPDATED, actor=actor, target=session, changes=changes)
    return changes

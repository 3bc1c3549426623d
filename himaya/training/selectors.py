"""Every non-trivial read of the training domain. Query counts do not grow with rows."""

from __future__ import annotations

import datetime
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from himaya.accounts.choices import Role
from himaya.accounts.models import User

from .models import (
    WITHOUT_SEAT,
    Attendance,
    AttendanceStatus,
    Cycle,
    CycleStatus,
    Enrolment,
    Module,
    Programme,
    Session,
)

# Enrolments that hold a seat and the rights that come with it (neither withdrawn nor waiting).
ACTIVE_ENROLMENT = ~Q(status__in=WITHOUT_SEAT)
# The records an attendance rate counts, and those of them that count as attended: an excused
# absence counts as a session not attended (the certificates' completion rule has always read
# it so); "not expected" and missing records do not count at all.
COUNTED_ATTENDANCE = [
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
]
# Symbols of the attendance matrix: shapes, not letters of one language. Each cell also carries
# its status in words (hidden on screen, read aloud) and the legend explains the shapes.
MATRIX_SYMBOLS = {
    AttendanceStatus.PRESENT: "✓",
    AttendanceStatus.LATE: "◔",
    AttendanceStatus.EXCUSED: "○",
    AttendanceStatus.ABSENT: "✗",
    AttendanceStatus.NOT_EXPECTED: "–",
}


def cycles_for_user(*, user: User) -> QuerySet[Cycle]:
    """The cycles a person may see: all for administrators, their partner's for coordinators,
    those they teach in for trainers, those they are enrolled in for participants."""
    qs = Cycle.objects.select_related("programme")
    if user.is_superuser or user.role == Role.ADMIN:
        return qs
    if user.role == Role.COORDINATOR:
        if not user.partner_id:
            return qs.none()
        return qs.filter(programme__partners=user.partner_id).distinct()
    if user.role == Role.TRAINER:
        return qs.filter(sessions__trainers=user).distinct()
    # A subquery, not `filter(enrolments__participant=user) & ~Q(enrolments__status=…)`: across
    # a to-many relation the negation would look at everybody's enrolments in the cycle.
    return qs.exclude(status=CycleStatus.DRAFT).filter(
        pk__in=Enrolment.objects.filter(participant=user)
        .filter(ACTIVE_ENROLMENT)
        .values("cycle_id")
    )


@dataclass(frozen=True)
class AttendanceTally:
    """Counted attendance records and the rate they give (see `attendance_tallies`)."""

    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def counted(self) -> int:
        return self.present + self.late + self.excused + self.absent

    @property
    def rate(self) -> float | None:
        return self.attended / self.counted if self.counted else None


NO_ATTENDANCE = AttendanceTally()
_TALLY_KEYS = {
    "cycle": ("session__cycle_id",),
    "session": ("session_id",),
    "participant": ("session__cycle_id", "participant_id"),
}


def attendance_tallies(*, cycles, by: str = "cycle") -> dict:
    """The one attendance rate of Himaya, for many cycles in one query.

    Counted: records of sessions where attendance is taken (`attendance_expected`), with status
    present, late, excused or absent; attended: present or late. A missing record and a "not
    expected" one do not count. Totals of a cycle or a session count the cycle's participants
    who hold a seat (not withdrawn, not on the waiting list); a participant's own tally counts
    their records whatever their enrolment now says.

    `by` names the key of the result: "cycle" (cycle id), "session" (session id) or
    "participant" ((cycle id, participant id)). Keys without any counted record are absent:
    read them with `.get(key, NO_ATTENDANCE)`."""
    keys = _TALLY_KEYS[by]
    cycle_ids = [getattr(c, "pk", c) for c in cycles]
    records = Attendance.objects.filter(
        session__cycle__in=cycle_ids,
        session__attendance_expected=True,
        status__in=COUNTED_ATTENDANCE,
    )
    if by != "participant":
        records = records.filter(
            Exists(
                Enrolment.objects.filter(
                    cycle_id=OuterRef("session__cycle_id"),
                    participant_id=OuterRef("participant_id"),
                ).filter(ACTIVE_ENROLMENT)
            )
        )
    rows = (
        records.values(*keys)
        .annotate(
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            late=Count("id", filter=Q(status=AttendanceStatus.LATE)),
            excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
            absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
        )
        .order_by()
    )
    tallies = {}
    for row in rows:
        key = row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)
        tallies[key] = AttendanceTally(
            present=row["present"], late=row["late"], excused=row["excused"], absent=row["absent"]
        )
    return tallies


@dataclass
class CycleStats:
    cycle: Cycle
    enrolled: int
    fill_rate: float | None
    attendance_rate: float | None


def dashboard_cycles(*, user: User) -> list[CycleStats]:
    """Each visible cycle with its fill rate and attendance rate, in three queries."""
    return dashboard_cycles_for(cycles=cycles_for_user(user=user))


def dashboard_cycles_for(*, cycles) -> list[CycleStats]:
    cycles = list(
        Cycle.objects.filter(pk__in=[c.pk for c in cycles])
        .select_related("programme")
        # `enrolments__status`, not ACTIVE_ENROLMENT: here `status` would be the cycle's own.
        .annotate(
            enrolled=Count(
                "enrolments", filter=~Q(enrolments__status__in=WITHOUT_SEAT), distinct=True
            )
        )
        .order_by("-start_date", "number")
    )
    tallies = attendance_tallies(cycles=cycles, by="cycle")
    return [
        CycleStats(
            cycle=cycle,
            enrolled=cycle.enrolled,
            fill_rate=(cycle.enrolled / cycle.capacity) if cycle.capacity else None,
            attendance_rate=tallies.get(cycle.pk, NO_ATTENDANCE).rate,
        )
        for cycle in cycles
    ]


def upcoming_sessions(
    *, cycles: QuerySet[Cycle] | list, today: datetime.date | None = None, limit: int = 8
):
    today = today or timezone.localdate()
    return (
        Session.objects.filter(cycle__in=cycles, date__gte=today)
        .select_related("cycle")
        .order_by("date", "start_time")[:limit]
    )


def programme_cycles(*, programme) -> QuerySet[Cycle]:
    """A programme's cycles, oldest first (to compare them)."""
    return (
        Cycle.objects.filter(programme=programme)
        .select_related("programme")
        .order_by("start_date", "number")
    )


def sessions_with_details(*, cycle: Cycle) -> QuerySet[Session]:
    return cycle.sessions.prefetch_related(
        Prefetch("modules", queryset=Module.objects.select_related("axis")),
        Prefetch("trainers", queryset=User.objects.order_by("last_name")),
    ).order_by("date", "start_time")


def agenda_by_day(*, sessions) -> OrderedDict:
    days: OrderedDict[datetime.date, list[Session]] = OrderedDict()
    for session in sessions:
        days.setdefault(session.date, []).append(session)
    return days


def cycle_enrolments(*, cycle: Cycle, include_withdrawn: bool = True) -> QuerySet[Enrolment]:
    """The cycle's enrolments; `include_withdrawn=False` keeps only those holding a seat (it
    leaves out the waiting list too)."""
    qs = cycle.enrolments.select_related("participant")
    if not include_withdrawn:
        qs = qs.filter(ACTIVE_ENROLMENT)
    return qs.order_by("participant__last_name", "participant__first_name", "participant__email")


def attendance_matrix(*, cycle: Cycle, sessions, enrolments) -> list[dict]:
    """Rows of the cycle's attendance matrix: one per participant, one cell per session, and
    each person's rate over the whole cycle (`attendance_tallies`)."""
    tallies = attendance_tallies(cycles=[cycle], by="participant")
    statuses = {
        (participant_id, session_id): status
        for participant_id, session_id, status in Attendance.objects.filter(
            session__cycle=cycle
        ).values_list("participant_id", "session_id", "status")
    }
    labels = {value: str(label) for value, label in AttendanceStatus.choices}
    unrecorded = gettext("Not recorded")
    rows = []
    for enrolment in enrolments:
        pid = enrolment.participant_id
        cells = [statuses.get((pid, s.pk), "") for s in sessions]
        rows.append(
            {
                "enrolment": enrolment,
                "participant": enrolment.participant,
                "cells": [(c, MATRIX_SYMBOLS.get(c, ""), labels.get(c, unrecorded)) for c in cells],
                "rate": tallies.get((cycle.pk, pid), NO_ATTENDANCE).rate,
            }
        )
    return rows


def attendance_for_session(*, session: Session) -> list[dict]:
    """The attendance sheet: every active participant of the cycle with their status."""
    enrolments = cycle_enrolments(cycle=session.cycle, include_withdrawn=False)
    records = {a.participant_id: a for a in session.attendances.select_related("recorded_by")}
    return [
        {"participant": e.participant, "record": records.get(e.participant_id)} for e in enrolments
    ]


def participants_for_cycle(*, cycle: Cycle, filters: dict) -> QuerySet[Enrolment]:
    qs = cycle_enrolments(cycle=cycle)
    mapping = {
        "function": "participant__function",
        "region": "participant__region",
        "gender": "participant__gender",
        "status": "status",
    }
    for key, lookup in mapping.items():
        if filters.get(key):
            qs = qs.filter(**{lookup: filters[key]})
    if filters.get("court"):
        qs = qs.filter(participant__court__icontains=filters["court"])
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(participant__first_name__icontains=term)
            | Q(participant__last_name__icontains=term)
            | Q(participant__first_name_ar__icontains=term)
            | Q(participant__last_name_ar__icontains=term)
            | Q(participant__email__icontains=term)
        )
    return qs


def courts_for_cycle(*, cycle: Cycle) -> list[str]:
    return list(
        User.objects.filter(enrolments__cycle=cycle)
        .exclude(court="")
        .order_by("court")
        .values_list("court", flat=True)
        .distinct()
    )


def participant_cycles(*, user: User):
    """A participant's cycles with their sessions and modules, for their home page."""
    enrolments = (
        user.enrolments.filter(ACTIVE_ENROLMENT)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .select_related("cycle", "cycle__programme")
        .prefetch_related(
            Prefetch(
                "cycle__sessions",
                queryset=Session.objects.order_by("date", "start_time").prefetch_related(
                    Prefetch("modules", queryset=Module.objects.select_related("axis"))
                ),
            )
        )
        .order_by("-cycle__start_date")
    )
    return list(enrolments)


def modules_by_axis(*, programme_ids) -> OrderedDict:
    modules = (
        Module.objects.filter(axis__programme__in=programme_ids)
        .select_related("axis")
        .order_by("axis__programme", "axis__order", "order")
    )
    grouped: OrderedDict = OrderedDict()
    for module in modules:
        grouped.setdefault(module.axis, []).append(module)
    return grouped


def trainer_sessions(*, user: User) -> QuerySet[Session]:
    qs = Session.objects.select_related("cycle").prefetch_related("modules")
    if not (user.is_superuser or user.role == Role.ADMIN):
        qs = qs.filter(trainers=user)
    return qs.annotate(
        recorded=Count("attendances", distinct=True),
    ).order_by("date", "start_time")


def seats_by_cycle(*, cycles) -> dict[int, int]:
    """How many people hold a seat in each cycle (whose attendance each session expects)."""
    rows = (
        Enrolment.objects.filter(cycle__in=list(cycles))
        .filter(ACTIVE_ENROLMENT)
        .values("cycle_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["cycle_id"]: row["n"] for row in rows}


def attendance_summary_by_session(*, sessions) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Attendance.objects.filter(session__in=sessions)
        .values("session_id", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["session_id"]][row["status"]] = row["n"]
    return counts


def participant_attendance(*, user: User) -> dict[int, Attendance]:
    return {a.session_id: a for a in user.attendances.all()}


def trainer_session_counts(*, trainers, user: User) -> dict[int, int]:
    """For each trainer, how many sessions they teach in the cycles `user` may see."""
    rows = (
        Session.trainers.through.objects.filter(
            user_id__in=[t.pk for t in trainers],
            session__cycle__in=cycles_for_user(user=user).values("pk"),
        )
        .values("user_id")
        .annotate(n=Count("session_id"))
    )
    return {r["user_id"]: r["n"] for r in rows}


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A session's date and time as an aware datetime, in the platform's (the cycles') time zone."""
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def session_end(session) -> datetime.datetime:
    return local_datetime(session.date, session.end_time)


def agenda_bounds(
    cycle, *, sessions=None
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """When the cycle's first session starts and its last one ends, in local time (None, None
    for a cycle without sessions). `sessions` spares the query when a page has them already."""
    if sessions is None:
        rows = list(cycle.sessions.values_list("date", "start_time", "end_time"))
    else:
        rows = [(s.date, s.start_time, s.end_time) for s in sessions]
    if not rows:
        return None, None
    first = min(local_datetime(day, start) for day, start, _end in rows)
    last = max(local_datetime(day, end) for day, _start, end in rows)
    return first, last


def programmes_for_user(*, user: User) -> QuerySet[Programme]:
    """The programmes a person may create cycles in: all for administrators, their partner's for
    coordinators."""
    programmes = Programme.objects.order_by("title")
    if not user.is_admin:
        programmes = programmes.filter(partners=user.partner_id)
    return programmes.distinct()

"""Every non-trivial read of the training domain. Query counts do not grow with rows."""

from __future__ import annotations

import datetime
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from himaya.accounts.choices import Role
from himaya.accounts.models import User

from .models import (
    Attendance,
    AttendanceStatus,
    Cycle,
    Enrolment,
    EnrolmentStatus,
    Module,
    Session,
)

ACTIVE_ENROLMENT = ~Q(status=EnrolmentStatus.WITHDRAWN)
COUNTED_ATTENDANCE = [
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
]
ATTENDED = [AttendanceStatus.PRESENT, AttendanceStatus.LATE]
# One-letter codes of the attendance matrix, explained by its legend.
MATRIX_LETTERS = {
    AttendanceStatus.PRESENT: "P",
    AttendanceStatus.LATE: "L",
    AttendanceStatus.EXCUSED: "E",
    AttendanceStatus.ABSENT: "A",
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
    return qs.filter(
        Q(enrolments__participant=user) & ~Q(enrolments__status=EnrolmentStatus.WITHDRAWN)
    ).distinct()


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
        .annotate(enrolled=Count("enrolments", filter=ACTIVE_ENROLMENT, distinct=True))
        .order_by("-start_date", "number")
    )
    attendance = (
        Attendance.objects.filter(
            session__cycle__in=[c.pk for c in cycles], status__in=COUNTED_ATTENDANCE
        )
        .values("session__cycle")
        .annotate(total=Count("id"), attended=Count("id", filter=Q(status__in=ATTENDED)))
    )
    by_cycle = {row["session__cycle"]: row for row in attendance}
    stats = []
    for cycle in cycles:
        row = by_cycle.get(cycle.pk)
        stats.append(
            CycleStats(
                cycle=cycle,
                enrolled=cycle.enrolled,
                fill_rate=(cycle.enrolled / cycle.capacity) if cycle.capacity else None,
                attendance_rate=(row["attended"] / row["total"]) if row and row["total"] else None,
            )
        )
    return stats


def upcoming_sessions(
    *, cycles: QuerySet[Cycle] | list, today: datetime.date | None = None, limit: int = 8
):
    today = today or timezone.localdate()
    return (
        Session.objects.filter(cycle__in=cycles, date__gte=today)
        .select_related("cycle")
        .order_by("date", "start_time")[:limit]
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
    qs = cycle.enrolments.select_related("participant")
    if not include_withdrawn:
        qs = qs.filter(ACTIVE_ENROLMENT)
    return qs.order_by("participant__last_name", "participant__first_name", "participant__email")


def attendance_matrix(*, cycle: Cycle, sessions, enrolments) -> list[dict]:
    """Rows of the cycle's attendance matrix: one per participant, one cell per session."""
    statuses = {
        (participant_id, session_id): status
        for participant_id, session_id, status in Attendance.objects.filter(
            session__cycle=cycle
        ).values_list("participant_id", "session_id", "status")
    }
    rows = []
    for enrolment in enrolments:
        pid = enrolment.participant_id
        cells = [statuses.get((pid, s.pk), "") for s in sessions]
        counted = [c for c in cells if c in COUNTED_ATTENDANCE]
        cells = [(c, MATRIX_LETTERS.get(c, "")) for c in cells]
        attended = sum(1 for c in counted if c in ATTENDED)
        rows.append(
            {
                "enrolment": enrolment,
                "participant": enrolment.participant,
                "cells": cells,
                "rate": (attended / len(counted)) if counted else None,
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

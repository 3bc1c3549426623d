"""Reads of the certificates domain for the apps above it (the partner reports)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q

from himaya.training.models import Session

from .models import Certificate


def certificate_counts(*, cycles) -> dict[int, dict[str, int]]:
    """{cycle id: {"valid": n, "revoked": n}} for many cycles in one query; every cycle asked
    for is in the result (with zeros when it has no certificate)."""
    cycle_ids = [getattr(c, "pk", c) for c in cycles]
    counts = {pk: {"valid": 0, "revoked": 0} for pk in cycle_ids}
    rows = (
        Certificate.objects.filter(cycle__in=cycle_ids)
        .values("cycle_id")
        .annotate(
            valid=Count("id", filter=Q(revoked_at__isnull=True)),
            revoked=Count("id", filter=Q(revoked_at__isnull=False)),
        )
        .order_by()
    )
    for row in rows:
        counts[row["cycle_id"]] = {"valid": row["valid"], "revoked": row["revoked"]}
    return counts


def training_hours(*, cycle=None, sessions=None) -> Decimal:
    """The hours of training a certificate states: the sum of the cycle's sessions where
    attendance is taken, from their start and end times (breaks and social moments left out),
    to the quarter of an hour. `sessions` spares the query when a page has them already."""
    if sessions is None:
        sessions = Session.objects.filter(cycle=cycle).only(
            "start_time", "end_time", "attendance_expected"
        )
    minutes = 0
    for session in sessions:
        if not session.attendance_expected:
            continue
        start = session.start_time.hour * 60 + session.start_time.minute
        end = session.end_time.hour * 60 + session.end_time.minute
        minutes += max(end - start, 0)
    quarters = round(minutes / 15)
    return Decimal(quarters) / 4  # 12, 10.5, 10.25: no trailing zeros


def certificates_by_participant(*, cycle) -> dict[int, list[Certificate]]:
    """{participant id: [their certificates of the cycle, the valid one first, then the most
    recently revoked]} in one query."""
    found: dict[int, list[Certificate]] = {}
    rows = (
        Certificate.objects.filter(cycle=cycle)
        .select_related("participant")
        .order_by(F("revoked_at").desc(nulls_first=True), "-pk")
    )
    for certificate in rows:
        found.setdefault(certificate.participant_id, []).append(certificate)
    return found

"""Reads of the certificates domain for the apps above it (the partner reports)."""

from __future__ import annotations

from django.db.models import Count, Q

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

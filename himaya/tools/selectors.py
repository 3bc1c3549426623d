"""Every non-trivial read of the tools. Reading an assessment or a checklist record is a
sensitive read: it is audited (`record.read`), one event per record handed out."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Sum
from django.utils import timezone

from himaya.core import audit, authz
from himaya.core.models import AuditEntry
from himaya.core.privacy import aggregate_allowed

from . import agreement, catalogue
from .models import Assessment, ChecklistRecord, SessionTool, UsageCount
from .vocabulary import ANSWERS, LEVELS


def _audit_reads(actor, records) -> None:
    entries = [audit.entry(event=audit.RECORD_READ, actor=actor, target=r) for r in records]
    if entries:
        AuditEntry.objects.bulk_create(entries)


def _unexpired(queryset, date_field: str):
    """Records past their retention period are gone for everyone, even before the daily purge
    has run: they are deleted now, and never handed out."""
    from .services import purge_expired, retention_limit

    limit = retention_limit()
    if queryset.filter(kept=False, **{f"{date_field}__lt": limit}).exists():
        purge_expired()
    return queryset.exclude(kept=False, **{f"{date_field}__lt": limit})


def read_assessment(*, user, pk) -> Assessment:
    """The author's assessment (404 if none, 403 for anyone else), its read audited."""
    assessment = authz.fetch(
        user, _unexpired(Assessment.objects.all(), "last_assessed_on"), "tools.read_record", pk=pk
    )
    _audit_reads(user, [assessment])
    return assessment


def read_checklist_record(*, user, pk) -> ChecklistRecord:
    record = authz.fetch(
        user, _unexpired(ChecklistRecord.objects.all(), "last_used_on"), "tools.read_record", pk=pk
    )
    _audit_reads(user, [record])
    return record


def my_assessments(*, user) -> list[Assessment]:
    """The user's own assessments, labels decrypted: every one is an audited read."""
    records = list(_unexpired(Assessment.objects.filter(author=user), "last_assessed_on"))
    _audit_reads(user, records)
    return records


def my_checklist_records(*, user) -> list[ChecklistRecord]:
    records = list(_unexpired(ChecklistRecord.objects.filter(author=user), "last_used_on"))
    _audit_reads(user, records)
    return records


def due_counts(*, user, today: dt.date | None = None) -> dict:
    """How many of the user's assessments are due for reassessment (no decryption: dates are
    in clear)."""
    if not user.is_authenticated:
        return {"due": 0, "soon": 0}
    today = today or timezone.localdate()
    mine = _unexpired(Assessment.objects.filter(author=user), "last_assessed_on").filter(
        due_on__isnull=False
    )
    return {
        "due": mine.filter(due_on__lte=today).count(),
        "soon": mine.filter(due_on__gt=today, due_on__lte=today + dt.timedelta(days=7)).count(),
    }


def export_records(*, user) -> dict:
    """All the user's records in the tools, decrypted, for them to keep (audited reads)."""
    assessments = my_assessments(user=user)
    records = my_checklist_records(user=user)
    return {
        "exported_on": timezone.localdate().isoformat(),
        "assessments": [
            {
                "id": a.pk,
                "first_assessed_on": a.first_assessed_on.isoformat(),
                "last_assessed_on": a.last_assessed_on.isoformat(),
                "due_on": a.due_on.isoformat() if a.due_on else None,
                "kept": a.kept,
                **a.payload,
            }
            for a in assessments
        ],
        "checklists": [
            {
                "id": r.pk,
                "checklist": r.checklist,
                "last_used_on": r.last_used_on.isoformat(),
                "kept": r.kept,
                **r.payload,
            }
            for r in records
        ],
    }


# --- practice ----------------------------------------------------------------------------------


def session_tools_for_cycle(cycle) -> list[SessionTool]:
    return list(
        SessionTool.objects.filter(session__cycle=cycle)
        .select_related("session__cycle")
        .annotate(answer_count=Count("completions"))
        .order_by("session__date", "session__start_time", "pk")
    )


def exercise_results(tool: SessionTool) -> dict:
    """The cohort's answers to a practice vignette and how much they agree. Nothing but the
    count is given below the small-group threshold (core.privacy)."""
    aid = catalogue.risk_aid()
    answers = [a.data for a in tool.answers.all()]
    n = len(answers)
    result = {"n": n, "shown": aggregate_allowed(n), "aid": aid}
    if not result["shown"] or aid is None:
        return result
    factors = catalogue.factors(aid)
    rows = [
        [sum(1 for a in answers if a["answers"].get(f["key"]) == c) for c in ANSWERS]
        for f in factors
    ]
    fa = agreement.fleiss(rows)
    vignette = catalogue.vignette(tool.key) or {"expected": {}}
    result["factors"] = [
        {
            "factor": f,
            "counts": dict(zip(ANSWERS, row, strict=True)),
            "observed": fa.observed[i],
            "kappa": fa.per_item[i],
            "expected": vignette["expected"].get(f["key"]),
        }
        for i, (f, row) in enumerate(zip(factors, rows, strict=True))
    ]
    result["factor_kappa"] = fa.kappa
    result["factor_chance"] = fa.chance
    levels = [LEVELS.index(a["level"]) for a in answers if a.get("level") in LEVELS]
    la = agreement.weighted_level_kappa(levels, len(LEVELS))
    result["level_kappa"] = la.kappa
    result["level_observed"] = la.observed
    level_counts = Counter(a.get("level") for a in answers)
    suggested_counts = Counter(a.get("suggested") for a in answers)
    result["levels"] = [
        {"key": lv, "chosen": level_counts.get(lv, 0), "suggested": suggested_counts.get(lv, 0)}
        for lv in LEVELS
    ]
    result["changed"] = sum(1 for a in answers if a.get("level") != a.get("suggested"))
    measure_counts = Counter(m for a in answers for m in a.get("measures", []))
    result["measures"] = measure_counts.most_common()
    source_counts = Counter(s for a in answers for s in a.get("sources", []))
    result["sources"] = source_counts
    reasons = [a.get("level_reason") for a in answers if a.get("level_reason")]
    reasons += [a.get("proportionality") for a in answers if a.get("proportionality")]
    result["reasons"] = sorted(reasons)  # sorted: no order that follows who answered when
    result["factor_target"] = agreement.FACTOR_TARGET
    result["level_target"] = agreement.LEVEL_TARGET
    result["vignette"] = vignette
    return result


# --- aggregate figures for coordinators ----------------------------------------------------------


def usage_figures(*, user) -> dict:
    """Uses per tool and month, and how often judges changed the aid's suggested level, for
    the coordinator's partner (an administrator: every partner together). Cells under the
    small-group threshold are hidden."""
    rows = UsageCount.objects.all()
    if not (user.is_superuser or getattr(user, "is_admin", False)):
        rows = rows.filter(partner_id=user.partner_id)
    table: dict = {}
    for month, tool, change, count in (
        rows.values("month", "tool", "level_change")
        .annotate(total=Sum("count"))
        .values_list("month", "tool", "level_change", "total")
    ):
        cell = table.setdefault(month, {}).setdefault(
            tool, {"total": 0, "kept": 0, "up": 0, "down": 0}
        )
        cell["total"] += count
        if change in ("kept", "up", "down"):
            cell[change] += count
    months = []
    for month in sorted(table, reverse=True):
        tools = {}
        for tool, cell in table[month].items():
            judged = cell["kept"] + cell["up"] + cell["down"]
            tools[tool] = {
                "total": cell["total"] if aggregate_allowed(cell["total"]) else None,
                "changed": (
                    {
                        "up": round(100 * cell["up"] / judged),
                        "down": round(100 * cell["down"] / judged),
                        "kept": round(100 * cell["kept"] / judged),
                        "n": judged,
                    }
                    if judged and aggregate_allowed(judged)
                    else None
                ),
            }
        months.append({"month": month, "tools": tools})
    return {"months": months}

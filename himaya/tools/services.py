"""Every write of the tools. Assessments and checklist records hold a real file's details, so
their events carry no content: the audit says who did what to which record, never what it
says."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import audit, authz
from himaya.core.privacy import add_unordered

from . import catalogue, risk, selection
from .models import (
    Assessment,
    ChecklistRecord,
    PracticeAnswer,
    PracticeCompletion,
    SessionTool,
    SessionToolKind,
    UsageCount,
    UsageTool,
)
from .vocabulary import ANSWERS, LEVELS, ROUND_REASONS, SOURCES

ASSESSMENT_CREATED = "assessment.created"
ASSESSMENT_REASSESSED = "assessment.reassessed"
ASSESSMENT_INCIDENT = "assessment.incident_reported"
ASSESSMENT_KEPT = "assessment.kept"
ASSESSMENT_DELETED = "assessment.deleted"
ASSESSMENT_EXPORTED = "assessment.exported"
CHECKLIST_RECORD_SAVED = "checklist_record.saved"
CHECKLIST_RECORD_DELETED = "checklist_record.deleted"
RECORDS_PURGED = "tools.records_purged"
SESSION_TOOL_ADDED = "session_tool.added"
SESSION_TOOL_REMOVED = "session_tool.removed"
EXERCISE_OPENED = "exercise.opened"
EXERCISE_CLOSED = "exercise.closed"
EXERCISE_ANSWERED = "exercise.answered"

LABEL_MAX = 80
TEXT_MAX = 4000

ERROR_LABEL = _("Give the file a label of your own (no names): it is how you will find it again.")
ERROR_LABEL_LONG = _("The label is too long (80 characters at most).")
ERROR_LEVEL = _("Choose the level of risk you find.")
ERROR_REASON = _(
    "Your level differs from the aid's suggestion: say why (the reason is kept with the "
    "assessment)."
)
ERROR_PROPORTIONALITY = _(
    "Say why the measures chosen (or no measure) are proportionate to the level of risk."
)
ERROR_MEASURE = _("A measure chosen is not available at this stage of the case.")
ERROR_ROUND_REASON = _("Say why you reassess.")
ERROR_TEXT_LONG = _("This text is too long (4,000 characters at most).")
ERROR_ALREADY_ANSWERED = _("You have already answered this exercise.")
ERROR_EXERCISE_CLOSED = _("This exercise is not open for answers.")
ERROR_UNKNOWN_TOOL = _("There is no such vignette or checklist.")
ERROR_TOOL_TWICE = _("It is already in this session's agenda.")
ERROR_NOT_A_VIGNETTE = _("Only a vignette can be opened for answers.")
ERROR_HAS_ANSWERS = _(
    "Participants have answered this exercise: it stays in the agenda with their answers. "
    "Close it instead."
)


def retention_days() -> int:
    return int(getattr(settings, "TOOLS_RETENTION_DAYS", 180))


def _today(today: dt.date | None = None) -> dt.date:
    return today or timezone.localdate()


def _clean_text(value: str, field: str, errors: dict) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        errors.setdefault(field, []).append(ERROR_TEXT_LONG)
    return value


def build_round(
    *,
    case: selection.Case | None,
    answers: dict,
    sources: list,
    level: str,
    level_reason: str,
    measures: list,
    proportionality: str,
    reason: str = "initial",
    today: dt.date | None = None,
    require_measure_reason: bool = True,
) -> dict:
    """One round of an assessment, validated: raises ValidationError({field: [messages]}) and
    returns the dict stored (encrypted) otherwise. `case` None: a practice vignette whose
    case is the vignette's own (given by the caller through `case` anyway when it has one)."""
    aid = catalogue.risk_aid()
    if aid is None:
        raise ValidationError(_("The risk aid is not loaded yet."))
    keys = [f["key"] for f in catalogue.factors(aid)]
    answers = {k: (answers.get(k) if answers.get(k) in ANSWERS else "unknown") for k in keys}
    sources = [s for s in SOURCES if s in set(sources or [])]
    suggestion = risk.suggest(answers, aid["groups"])
    errors: dict[str, list] = {}
    if level not in LEVELS:
        errors["level"] = [ERROR_LEVEL]
    level_reason = _clean_text(level_reason, "level_reason", errors)
    if level in LEVELS and level != suggestion.level and not level_reason:
        errors.setdefault("level_reason", []).append(ERROR_REASON)
    proportionality = _clean_text(proportionality, "proportionality", errors)
    allowed = set()
    if case is not None:
        allowed = {m["key"] for m in selection.select(case)["measures"]}
    measures = list(dict.fromkeys(measures or []))
    if any(m not in allowed for m in measures):
        errors.setdefault("measures", []).append(ERROR_MEASURE)
    if require_measure_reason and not proportionality:
        errors.setdefault("proportionality", []).append(ERROR_PROPORTIONALITY)
    if reason not in ROUND_REASONS:
        errors["round_reason"] = [ERROR_ROUND_REASON]
    if errors:
        raise ValidationError(errors)
    return {
        "on": _today(today).isoformat(),
        "reason": reason,
        "case": None
        if case is None
        else {
            "stage": case.stage,
            "offence": case.offence,
            "relationship": case.relationship,
            "children": case.children,
            "victim_request": case.victim_request,
        },
        "answers": answers,
        "sources": sources,
        "suggested": suggestion.level,
        "red_flags": suggestion.red_flags,
        "unknown": suggestion.unknown_count,
        "provisional": suggestion.provisional,
        "level": level,
        "level_reason": level_reason,
        "measures": measures,
        "proportionality": proportionality,
    }


def _clean_label(label: str) -> str:
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": [ERROR_LABEL]})
    if len(label) > LABEL_MAX:
        raise ValidationError({"label": [ERROR_LABEL_LONG]})
    return label


def _partner_ids(user) -> set[int]:
    """The partners of the programmes whose cycles the user holds a seat in (and a
    coordinator's or trainer's own partner)."""
    from himaya.training.models import WITHOUT_SEAT, Enrolment

    ids = set(
        Enrolment.objects.filter(participant=user)
        .exclude(status__in=WITHOUT_SEAT)
        .exclude(cycle__programme__partners__isnull=True)
        .values_list("cycle__programme__partners", flat=True)
    )
    if getattr(user, "partner_id", None):
        ids.add(user.partner_id)
    return ids


def count_use(*, user, tool: str, level_change: str = "", today: dt.date | None = None) -> None:
    """Add one use to the counters of the user's partners for this month: a count, never a
    row per use, so the figures name no judge and no file."""
    month = _today(today).replace(day=1)
    for partner_id in _partner_ids(user):
        counter, _created = UsageCount.objects.get_or_create(
            partner_id=partner_id, month=month, tool=tool, level_change=level_change
        )
        UsageCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)


@transaction.atomic
def create_assessment(*, author, label: str, round_: dict, today: dt.date | None = None):
    authz.require(author, "tools.keep_records")
    label = _clean_label(label)
    day = _today(today)
    assessment = Assessment(
        author=author,
        payload={"label": label, "rounds": [round_], "incidents": []},
        first_assessed_on=day,
        last_assessed_on=day,
        due_on=risk.next_due(day, day),
        rounds=1,
    )
    assessment.save()
    audit.record(event=ASSESSMENT_CREATED, actor=author, target=assessment)
    count_use(
        user=author,
        tool=UsageTool.RISK_AID,
        level_change=risk.level_change(round_["suggested"], round_["level"]),
        today=day,
    )
    return assessment


@transaction.atomic
def reassess(*, assessment: Assessment, actor, round_: dict, today: dt.date | None = None):
    authz.require(actor, "tools.change_record", assessment)
    day = _today(today)
    payload = dict(assessment.payload)
    payload["rounds"] = [*payload["rounds"], round_]
    assessment.payload = payload
    assessment.last_assessed_on = day
    assessment.rounds = len(payload["rounds"])
    assessment.due_on = risk.next_due(assessment.first_assessed_on, day)
    assessment.save(update_fields=["payload", "last_assessed_on", "rounds", "due_on", "updated_at"])
    audit.record(
        event=ASSESSMENT_REASSESSED,
        actor=actor,
        target=assessment,
        extra={"round": assessment.rounds},
    )
    count_use(
        user=actor,
        tool=UsageTool.REASSESSMENT,
        level_change=risk.level_change(round_["suggested"], round_["level"]),
        today=day,
    )
    return assessment


@transaction.atomic
def report_incident(*, assessment: Assessment, actor, kind: str, today: dt.date | None = None):
    """A new incident or a breach: a reassessment is due now."""
    authz.require(actor, "tools.change_record", assessment)
    if kind not in ("new_incident", "breach"):
        raise ValidationError({"kind": [ERROR_ROUND_REASON]})
    day = _today(today)
    payload = dict(assessment.payload)
    payload["incidents"] = [*payload.get("incidents", []), {"on": day.isoformat(), "kind": kind}]
    assessment.payload = payload
    assessment.due_on = day
    assessment.save(update_fields=["payload", "due_on", "updated_at"])
    audit.record(event=ASSESSMENT_INCIDENT, actor=actor, target=assessment, extra={"kind": kind})
    return assessment


@transaction.atomic
def set_kept(*, record, actor, kept: bool):
    authz.require(actor, "tools.change_record", record)
    if record.kept != kept:
        record.kept = kept
        record.save(update_fields=["kept", "updated_at"])
        audit.record(
            event=ASSESSMENT_KEPT if isinstance(record, Assessment) else CHECKLIST_RECORD_SAVED,
            actor=actor,
            target=record,
            changes={"kept": [not kept, kept]},
        )
    return record


@transaction.atomic
def delete_record(*, record, actor) -> None:
    authz.require(actor, "tools.change_record", record)
    event = ASSESSMENT_DELETED if isinstance(record, Assessment) else CHECKLIST_RECORD_DELETED
    audit.record(event=event, actor=actor, target=record)
    record.delete()


@transaction.atomic
def delete_all_records(*, author) -> int:
    """Everything the author keeps in the tools, gone: assessments and checklist records."""
    count = 0
    for model in (Assessment, ChecklistRecord):
        for record in model.objects.filter(author=author):
            delete_record(record=record, actor=author)
            count += 1
    return count


def retention_limit(today: dt.date | None = None) -> dt.date:
    """Records not kept and last used before this day are past their retention period."""
    return _today(today) - dt.timedelta(days=retention_days())


@transaction.atomic
def purge_expired(*, today: dt.date | None = None) -> dict:
    """Delete the records not kept by their author and untouched for the retention period
    (180 days after the last (re)assessment by default, `HIMAYA_TOOLS_RETENTION_DAYS`)."""
    limit = retention_limit(today)
    assessments = Assessment.objects.filter(kept=False, last_assessed_on__lt=limit)
    records = ChecklistRecord.objects.filter(kept=False, last_used_on__lt=limit)
    counts = {"assessments": assessments.count(), "checklists": records.count()}
    if counts["assessments"] or counts["checklists"]:
        assessments.delete()
        records.delete()
        audit.record(event=RECORDS_PURGED, extra={**counts, "before": limit.isoformat()})
    return counts


# --- checklists ----------------------------------------------------------------------------


@transaction.atomic
def save_checklist_record(
    *,
    author,
    checklist_key: str,
    label: str,
    ticks: list,
    notes: dict,
    record: ChecklistRecord | None = None,
    today: dt.date | None = None,
):
    authz.require(author, "tools.keep_records")
    checklist = catalogue.checklist(checklist_key)
    if checklist is None:
        raise ValidationError(ERROR_UNKNOWN_TOOL)
    label = _clean_label(label)
    keys = [i["key"] for i in checklist["items"]]
    errors: dict[str, list] = {}
    clean_notes = {}
    for key in keys:
        text = _clean_text(notes.get(key, ""), f"note_{key}", errors)
        if text:
            clean_notes[key] = text
    if errors:
        raise ValidationError(errors)
    payload = {"label": label, "ticks": [k for k in keys if k in set(ticks)], "notes": clean_notes}
    day = _today(today)
    if record is None:
        record = ChecklistRecord(author=author, checklist=checklist_key)
    else:
        authz.require(author, "tools.change_record", record)
    new = record.pk is None
    record.payload = payload
    record.last_used_on = day
    record.save()
    audit.record(event=CHECKLIST_RECORD_SAVED, actor=author, target=record)
    if new:
        count_use(user=author, tool=UsageTool.CHECKLIST, today=day)
    return record


# --- practice in a session -------------------------------------------------------------------


@transaction.atomic
def add_session_tool(*, actor, session, kind: str, key: str) -> SessionTool:
    authz.require(actor, "tools.plan_session_tools", session)
    found = (
        catalogue.vignette(key) if kind == SessionToolKind.VIGNETTE else catalogue.checklist(key)
    )
    if kind not in SessionToolKind.values or found is None:
        raise ValidationError(ERROR_UNKNOWN_TOOL)
    if SessionTool.objects.filter(session=session, kind=kind, key=key).exists():
        raise ValidationError(ERROR_TOOL_TWICE)
    tool = SessionTool.objects.create(session=session, kind=kind, key=key, added_by=actor)
    audit.record(
        event=SESSION_TOOL_ADDED, actor=actor, target=session, extra={"kind": kind, "key": key}
    )
    return tool


@transaction.atomic
def remove_session_tool(*, actor, tool: SessionTool) -> None:
    authz.require(actor, "tools.plan_session_tools", tool.session)
    if tool.completions.exists():
        raise ValidationError(ERROR_HAS_ANSWERS)
    audit.record(
        event=SESSION_TOOL_REMOVED,
        actor=actor,
        target=tool.session,
        extra={"kind": tool.kind, "key": tool.key, "answers": tool.completions.count()},
    )
    tool.delete()


@transaction.atomic
def set_exercise_open(*, actor, tool: SessionTool, is_open: bool) -> SessionTool:
    authz.require(actor, "tools.run_exercise", tool)
    if tool.kind != SessionToolKind.VIGNETTE:
        raise ValidationError(ERROR_NOT_A_VIGNETTE)
    if tool.is_open != is_open:
        tool.is_open = is_open
        tool.save(update_fields=["is_open", "updated_at"])
        audit.record(
            event=EXERCISE_OPENED if is_open else EXERCISE_CLOSED, actor=actor, target=tool
        )
    return tool


def vignette_case(vignette: dict) -> selection.Case:
    c = vignette["context"]
    return selection.Case(
        stage=c["stage"],
        offence=c["offence"],
        relationship=c["relationship"],
        children=c["children"],
        victim_request=c["victim_request"],
    )


@transaction.atomic
def answer_exercise(*, participant, tool: SessionTool, round_: dict) -> None:
    """The participant's answer, stored apart from the record that they answered, in no
    order (core.privacy.add_unordered): the trainer sees the cohort, never a person."""
    tool = SessionTool.objects.select_for_update().get(pk=tool.pk)
    if not authz.allowed(participant, "tools.answer_exercise", tool):
        raise ValidationError(ERROR_EXERCISE_CLOSED)
    if PracticeCompletion.objects.filter(exercise=tool, participant=participant).exists():
        raise ValidationError(ERROR_ALREADY_ANSWERED)
    data = {k: v for k, v in round_.items() if k not in ("on", "reason")}
    add_unordered(
        PracticeAnswer, [PracticeAnswer(exercise=tool, data=data)], scope={"exercise": tool}
    )
    PracticeCompletion.objects.create(exercise=tool, participant=participant, on=_today())
    audit.record(event=EXERCISE_ANSWERED, actor=participant, target=tool)

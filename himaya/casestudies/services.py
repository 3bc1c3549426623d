"""Every write of the case library. Fails closed: if the engine fails or runs out of time, the
document stays unpublished with a message — never the raw text."""

from __future__ import annotations

import concurrent.futures
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import audit, authz

from .models import CaseDocument, Correction, Language, Status
from .pseudonymiser import EngineError, analyse
from .pseudonymiser.engine import Result
from .pseudonymiser.render import render
from .pseudonymiser.spans import LABELS, Span

log = logging.getLogger(__name__)

UPLOADED = "case.uploaded"
PROCESSED = "case.processed"
PROCESSING_FAILED = "case.processing_failed"
CORRECTED = "case.corrected"
APPROVED = "case.approved"
PUBLISHED = "case.published"

ERROR_EMPTY = _("The decision is empty.")
ERROR_TOO_LONG = _("The decision is too long (at most %(max)d characters).")
ERROR_LANGUAGE = _("Say whether the decision is in French or in Arabic.")
ERROR_ENGINE = _(
    "The pseudonymisation could not be completed, so nothing can be published. Try again later "
    "or tell an administrator."
)
ERROR_TIMEOUT = _(
    "The pseudonymisation took too long, so nothing can be published. Try again later or split "
    "the decision."
)
ERROR_SPANS = _("A span is outside the text, overlaps another or has an unknown category.")
ERROR_NOT_REVIEWABLE = _("This decision is not waiting for review.")
ERROR_SAME_REVIEWER = _("A second reviewer must approve it: you have already approved it.")


def max_chars() -> int:
    return int(getattr(settings, "CASES_MAX_CHARS", 200_000))


def engine_timeout() -> float:
    return float(getattr(settings, "CASES_ENGINE_TIMEOUT", 30))


def reviewers_required() -> int:
    return int(getattr(settings, "CASES_REVIEWERS_REQUIRED", 2))


def delete_original_on_publication() -> bool:
    return bool(getattr(settings, "CASES_DELETE_ORIGINAL", True))


@transaction.atomic
def upload(*, actor, language: str, text: str, parties=()) -> CaseDocument:
    authz.require(actor, "casestudies.upload")
    text = (text or "").replace("\r\n", "\n")
    if language not in Language.values:
        raise ValidationError({"language": [ERROR_LANGUAGE]})
    if not text.strip():
        raise ValidationError({"text": [ERROR_EMPTY]})
    if len(text) > max_chars():
        raise ValidationError({"text": [ERROR_TOO_LONG % {"max": max_chars()}]})
    document = CaseDocument.objects.create(
        uploaded_by=actor,
        language=language,
        original=text,
        parties=[p.strip() for p in parties if p and p.strip()],
    )
    audit.record(event=UPLOADED, actor=actor, target=document, extra={"language": language})
    return document


def _run_engine(text: str, language: str, parties) -> Result:
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(analyse, text, language, parties=parties)
        return future.result(timeout=engine_timeout())


def process(*, document: CaseDocument, engine=None) -> CaseDocument:
    """Run the engine and store its proposal for review; on any failure or timeout the document
    is marked failed with a message and holds no proposal (fail closed)."""
    engine = engine or _run_engine
    try:
        result = engine(document.original, document.language, tuple(document.parties))
    except concurrent.futures.TimeoutError:
        return _failed(document, ERROR_TIMEOUT, "timeout")
    except (EngineError, Exception) as exc:  # noqa: BLE001 - any failure must publish nothing
        log.exception("pseudonymisation failed for %s", document)
        return _failed(document, ERROR_ENGINE, type(exc).__name__)
    with transaction.atomic():
        document.spans = [
            {"start": s.start, "end": s.end, "label": s.label, "person": None} for s in result.spans
        ]
        document.doubts = result.doubts
        document.status = Status.REVIEW
        document.message = ""
        document.save(update_fields=["spans", "doubts", "status", "message", "updated_at"])
        audit.record(event=PROCESSED, target=document, extra={"spans": len(result.spans)})
    return document


def _failed(document: CaseDocument, message, reason: str) -> CaseDocument:
    with transaction.atomic():
        document.status = Status.FAILED
        document.message = str(message)
        document.spans = []
        document.doubts = []
        document.save(update_fields=["status", "message", "spans", "doubts", "updated_at"])
        audit.record(event=PROCESSING_FAILED, target=document, extra={"reason": reason})
    return document


def _valid_spans(text: str, spans: list[dict]) -> list[dict]:
    clean, previous_end = [], 0
    for span in sorted(spans, key=lambda s: (int(s["start"]), int(s["end"]))):
        start, end, label = int(span["start"]), int(span["end"]), span["label"]
        if not (0 <= start < end <= len(text)) or start < previous_end or label not in LABELS:
            raise ValidationError(ERROR_SPANS)
        person = span.get("person")
        clean.append({"start": start, "end": end, "label": label, "person": person})
        previous_end = end
    return clean


@transaction.atomic
def correct(*, document: CaseDocument, actor, spans: list[dict]) -> Correction | None:
    """Replace the spans with the reviewer's; the change is kept as a diff."""
    authz.require(actor, "casestudies.review")
    document = CaseDocument.objects.select_for_update().get(pk=document.pk)
    if document.status not in (Status.REVIEW, Status.APPROVED):
        raise ValidationError(ERROR_NOT_REVIEWABLE)
    after = _valid_spans(document.original, spans)
    before = list(document.spans)
    if after == before:
        return None
    removed = [s for s in before if s not in after]
    added = [s for s in after if s not in before]
    correction = Correction.objects.create(
        document=document, actor=actor, before=removed, after=added
    )
    document.spans = after
    document.status = Status.REVIEW  # a correction needs the approvals again
    document.save(update_fields=["spans", "status", "updated_at"])
    document.approved_by.clear()
    audit.record(
        event=CORRECTED,
        actor=actor,
        target=document,
        extra={"removed": len(removed), "added": len(added)},
    )
    return correction


ERROR_EDIT = _("That change is not valid.")
ERROR_UNKNOWN_ACTION = _("Unknown action.")
ERROR_NOTHING_SELECTED = _("Select the text to mask, or type it.")
ERROR_NOT_FOUND = _("That text is not in the decision.")


def _added(text: str, spans: list[dict], data) -> list[dict]:
    """A new span: from a selection (start and end) or every occurrence of a string; places
    already masked are left as they are."""
    if data.get("start") and data.get("end"):
        found = [(int(data["start"]), int(data["end"]))]
    else:
        needle = (data.get("needle") or "").strip()
        if not needle:
            raise ValidationError(ERROR_NOTHING_SELECTED)
        found, position = [], 0
        while (at := text.find(needle, position)) != -1:
            found.append((at, at + len(needle)))
            position = at + len(needle)
        if not found:
            raise ValidationError(ERROR_NOT_FOUND)
    taken = [(s["start"], s["end"]) for s in spans]
    new = [
        {"start": a, "end": b, "label": data.get("label", ""), "person": None}
        for a, b in found
        if not any(x < b and a < y for x, y in taken)
    ]
    return spans + new


def edit_spans(*, document: CaseDocument, actor, action: str, data) -> Correction | None:
    """One reviewer's edit of the spans — `remove`, `relabel`, `link` (to a person number) the
    span at `data["index"]`, or `add` one — saved as a correction (see `correct`)."""
    spans = [dict(s) for s in document.spans]
    try:
        if action == "add":
            spans = _added(document.original or "", spans, data)
        elif action in ("remove", "relabel", "link"):
            index = int(data["index"])
            if index < 0:
                raise IndexError(index)
            if action == "remove":
                del spans[index]
            elif action == "relabel":
                spans[index]["label"] = data.get("label", "")
            else:
                value = str(data.get("person", ""))
                spans[index]["person"] = int(value) if value.isdigit() else None
        else:
            raise ValidationError(ERROR_UNKNOWN_ACTION)
    except (KeyError, ValueError, IndexError) as exc:
        raise ValidationError(ERROR_EDIT) from exc
    return correct(document=document, actor=actor, spans=spans)


@transaction.atomic
def approve(*, document: CaseDocument, actor) -> CaseDocument:
    authz.require(actor, "casestudies.review")
    document = CaseDocument.objects.select_for_update().get(pk=document.pk)
    if document.status not in (Status.REVIEW, Status.APPROVED):
        raise ValidationError(ERROR_NOT_REVIEWABLE)
    if document.approved_by.filter(pk=actor.pk).exists():
        raise ValidationError(ERROR_SAME_REVIEWER)
    document.approved_by.add(actor)
    audit.record(event=APPROVED, actor=actor, target=document)
    if document.approved_by.count() >= reviewers_required():
        return _publish(document, actor)
    document.status = Status.APPROVED
    document.save(update_fields=["status", "updated_at"])
    return document


def published_text(document: CaseDocument) -> str:
    spans = [Span(s["start"], s["end"], s["label"]) for s in document.spans]
    return render(Result(text=document.original, lang=document.language, spans=spans))


def _publish(document: CaseDocument, actor) -> CaseDocument:
    document.published_text = published_text(document)
    document.status = Status.PUBLISHED
    document.published_at = timezone.now()
    fields = ["published_text", "status", "published_at", "updated_at"]
    if delete_original_on_publication():
        document.original = None
        document.parties = []
        document.spans = []
        document.doubts = []
        document.original_deleted_at = timezone.now()
        fields += ["original", "parties", "spans", "doubts", "original_deleted_at"]
        Correction.objects.filter(document=document).update(before=[], after=[])
    document.save(update_fields=fields)
    audit.record(event=PUBLISHED, actor=actor, target=document)
    entry = getattr(document, "case", None)
    if entry is not None:
        from .search import index_case

        index_case(entry)  # an entry written during review enters the library now
    return document


ENTRY_SAVED = "case.entry_saved"
ERROR_NO_ENTRY_YET = _("The library entry can be written once the engine has run.")
ERROR_CONTENT_CASE = _(
    "This case comes from the content files (content/casestudies/): change it there, then reload "
    "the content."
)


def entry_key(document: CaseDocument) -> str:
    return f"doc-{document.pk}"


@transaction.atomic
def save_entry(*, document: CaseDocument, actor, values: dict, questions: list[dict]):
    """A reviewer writes (or rewrites) the library entry of a decision: its metadata, its texts
    in three languages and its questions. The case is listed in the library once the decision is
    published (if the entry is written before, as soon as it is)."""
    from himaya.benchbook.models import Provision

    from .models import Case
    from .search import index_case

    authz.require(actor, "casestudies.review")
    document = CaseDocument.objects.select_for_update().get(pk=document.pk)
    if document.status in (Status.PROCESSING, Status.FAILED):
        raise ValidationError(ERROR_NO_ENTRY_YET)
    case = Case.objects.filter(document=document).first()
    if case is not None and case.key != entry_key(document):
        raise ValidationError(ERROR_CONTENT_CASE)
    fields = {
        "court_level": values["court_level"],
        "year": values["year"],
        "stage": values.get("stage") or "",
        "forms": list(values.get("forms") or []),
        "texts": values["texts"],
        "questions": questions,
    }
    if case is None:
        case = Case.objects.create(key=entry_key(document), document=document, **fields)
    else:
        for name, value in fields.items():
            setattr(case, name, value)
        case.save()
    case.provisions.set(
        Provision.objects.for_readers().filter(key__in=values.get("provisions") or [])
    )
    case.modules.set(values.get("modules") or [])
    if document.status == Status.PUBLISHED:
        index_case(case)
    audit.record(event=ENTRY_SAVED, actor=actor, target=document, extra={"case": case.key})
    return case


ADDED_TO_SESSION = "case.added_to_session"
REMOVED_FROM_SESSION = "case.removed_from_session"
ERROR_CASE_TWICE = _("This case is already in the session's agenda.")


@transaction.atomic
def add_to_session(*, actor, session, case):
    from .models import SessionCase

    authz.require(actor, "casestudies.plan_session_cases", session)
    if SessionCase.objects.filter(session=session, case=case).exists():
        raise ValidationError(ERROR_CASE_TWICE)
    item = SessionCase.objects.create(session=session, case=case, added_by=actor)
    audit.record(event=ADDED_TO_SESSION, actor=actor, target=session, extra={"case": case.key})
    return item


@transaction.atomic
def remove_from_session(*, actor, item) -> None:
    authz.require(actor, "casestudies.plan_session_cases", item.session)
    audit.record(
        event=REMOVED_FROM_SESSION, actor=actor, target=item.session, extra={"case": item.case.key}
    )
    item.delete()

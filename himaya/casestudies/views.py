"""Pages of the case library: upload, review (propose, correct, link, approve), the published
cases. Thin: read the request, check the rule, call a service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from himaya.core import authz, jobs
from himaya.core.content import in_language as text
from himaya.core.forms import add_service_errors

from . import extract, forms, selectors, services
from .jobs import PROCESS
from .models import Case, CaseDocument, Status
from .pseudonymiser.render import LETTERS_AR, LETTERS_FR
from .pseudonymiser.spans import LABELS

LABEL_NAMES = {
    "PERSON": gettext_lazy("person"),
    "ADDRESS": gettext_lazy("address"),
    "ID_NUMBER": gettext_lazy("identity number"),
    "PHONE": gettext_lazy("phone"),
    "EMAIL": gettext_lazy("e-mail"),
    "BIRTH_DATE": gettext_lazy("date of birth"),
    "BANK_ACCOUNT": gettext_lazy("bank account"),
    "PLATE": gettext_lazy("number plate"),
    "ORG_IDENTIFYING": gettext_lazy("identifying place"),
}


DOUBT_NAMES = {
    "similar_spelling": gettext_lazy("similar spellings not linked"),
    "two_categories": gettext_lazy("one string under two categories"),
    "very_short": gettext_lazy("very short span"),
    "visible_capitalised": gettext_lazy("capitalised word left visible"),
    "visible_number": gettext_lazy("number that looks like an identifier, left visible"),
    "party_not_found": gettext_lazy("party's name found nowhere"),
    "dropped_proposal": gettext_lazy("proposal dropped for another category"),
}


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@require_http_methods(["GET", "POST"])
def upload(request):
    authz.require(request.user, "casestudies.upload")
    values = {"language": "fr", "text": "", "parties": ""}
    errors: list[str] = []
    if request.method == "POST":
        values = {
            "language": request.POST.get("language", ""),
            "text": request.POST.get("text", ""),
            "parties": request.POST.get("parties", ""),
        }
        try:
            text = values["text"]
            if request.FILES.get("file"):
                text = extract.text_of(request.FILES["file"])
            document = services.upload(
                actor=request.user,
                language=values["language"],
                text=text,
                parties=values["parties"].splitlines(),
            )
        except ValidationError as exc:
            errors = _messages_of(exc)
        else:
            job = jobs.start(
                owner=request.user,
                kind=PROCESS,
                title=_("Pseudonymising decision no. %(n)s") % {"n": document.pk},
                params={"document": document.pk},
                back_url=reverse("casestudies:review", args=[document.pk]),
            )
            return jobs.follow(request, job)
    return render(request, "casestudies/upload.html", {"values": values, "errors": errors})


@require_GET
def documents(request):
    authz.require(request.user, "casestudies.upload")
    mine = CaseDocument.objects.filter(uploaded_by=request.user)
    to_review = (
        CaseDocument.objects.filter(status__in=[Status.REVIEW, Status.APPROVED])
        if authz.allowed(request.user, "casestudies.review")
        else CaseDocument.objects.none()
    )
    return render(request, "casestudies/documents.html", {"mine": mine, "to_review": to_review})


def _segments(text: str, spans: list[dict], letters: str) -> list[dict]:
    out, position = [], 0
    for index, span in enumerate(spans):
        if span["start"] > position:
            out.append({"text": text[position : span["start"]], "start": position})
        person = span.get("person")
        out.append(
            {
                "text": text[span["start"] : span["end"]],
                "start": span["start"],
                "index": index,
                "label": span["label"],
                "label_name": LABEL_NAMES.get(span["label"], span["label"]),
                "person": letters[person % len(letters)] if isinstance(person, int) else "",
            }
        )
        position = span["end"]
    if position < len(text):
        out.append({"text": text[position:], "start": position})
    return out


@require_http_methods(["GET", "POST"])
def review(request, pk):
    document = selectors.read_original(user=request.user, pk=pk)
    can_review = authz.allowed(request.user, "casestudies.review")
    if request.method == "POST" and can_review:
        action = request.POST.get("action", "")
        try:
            if action == "approve":
                document = services.approve(document=document, actor=request.user)
                if document.status == Status.PUBLISHED:
                    messages.success(request, _("Published. The original text is deleted."))
                    return redirect("casestudies:case", pk=document.pk)
                messages.success(request, _("Approved: a second reviewer must approve it too."))
                return redirect("casestudies:review", pk=pk)
            services.edit_spans(
                document=document, actor=request.user, action=action, data=request.POST
            )
            messages.success(request, _("Correction saved (kept with who and when)."))
        except ValidationError as exc:
            messages.error(request, " ".join(_messages_of(exc)))
        return redirect("casestudies:review", pk=pk)
    letters = LETTERS_AR if document.language == "ar" else LETTERS_FR
    return render(
        request,
        "casestudies/review.html",
        {
            "document": document,
            "segments": _segments(document.original or "", document.spans, letters),
            "spans": [
                {
                    **s,
                    "index": i,
                    "text": (document.original or "")[s["start"] : s["end"]],
                    "label_name": LABEL_NAMES.get(s["label"], s["label"]),
                }
                for i, s in enumerate(document.spans)
            ],
            "doubts": [
                {
                    **d,
                    "name": DOUBT_NAMES.get(d["kind"], d["kind"]),
                    "note": LABEL_NAMES.get(d["note"], d["note"]),
                }
                for d in document.doubts
            ],
            "labels": [(k, LABEL_NAMES[k]) for k in LABELS],
            "letters": list(enumerate(letters[:12])),
            "can_review": can_review,
            "has_entry": Case.objects.filter(document=document).exists(),
            "already_approved": document.approved_by.filter(pk=request.user.pk).exists(),
            "required": services.reviewers_required(),
            "approvals": document.approved_by.count(),
        },
    )


@require_http_methods(["GET", "POST"])
def entry(request, pk):
    """The library entry of a decision (reviewers): metadata, texts in three languages,
    questions. Kept as typed when something is missing."""
    authz.require(request.user, "casestudies.review")
    document = get_object_or_404(CaseDocument, pk=pk)
    if document.status in (Status.PROCESSING, Status.FAILED):
        raise Http404
    case = Case.objects.filter(document=document).prefetch_related("provisions", "modules").first()
    from_content = case is not None and case.key != services.entry_key(document)
    if request.method == "POST" and not from_content:
        form = forms.EntryForm(request.POST)
        questions = forms.QuestionFormSet(request.POST, prefix="q")
        if form.is_valid() and questions.is_valid():
            data = form.cleaned_data
            try:
                services.save_entry(
                    document=document,
                    actor=request.user,
                    values={
                        "court_level": data["court_level"],
                        "year": data["year"],
                        "stage": data["stage"],
                        "forms": data["forms_of_violence"],
                        "provisions": data["provisions"],
                        "modules": data["modules"],
                        "texts": form.texts(),
                    },
                    questions=[
                        q.question(n)
                        for n, q in enumerate(
                            (q for q in questions if q.cleaned_data and not q.is_blank()), 1
                        )
                    ],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)  # shown above the form, what was typed kept
            else:
                messages.success(request, _("The library entry is saved."))
                return redirect("casestudies:entry", pk=pk)
        else:
            messages.error(request, _("Some fields need attention: see below."))
    else:
        initial, initial_questions = forms.initial_of(case)
        form = forms.EntryForm(initial=initial)
        questions = forms.QuestionFormSet(initial=initial_questions, prefix="q")
    return render(
        request,
        "casestudies/entry.html",
        {
            "document": document,
            "case": case,
            "from_content": from_content,
            "form": form,
            "questions": questions,
        },
    )


@require_GET
def case(request, pk):
    document = get_object_or_404(CaseDocument, pk=pk)
    if document.status != Status.PUBLISHED:
        raise Http404
    entry = Case.objects.filter(document=document).only("key").first()
    if entry is not None:
        return redirect("casestudies:case_detail", key=entry.key)
    return render(
        request,
        "casestudies/case.html",
        {"document": document, "can_review": authz.allowed(request.user, "casestudies.review")},
    )


@require_GET
def library(request):
    query = request.GET.get("q", "").strip()[:200]
    cases = (
        Case.objects.filter(document__status=Status.PUBLISHED)
        .select_related("document")
        .prefetch_related("provisions__instrument")
    )
    if query:
        from .search import search

        found = [c.pk for c in search(query)]
        order = {pk: i for i, pk in enumerate(found)}
        cases = sorted(cases.filter(pk__in=found), key=lambda c: order[c.pk])
    others = CaseDocument.objects.filter(status=Status.PUBLISHED, case__isnull=True).order_by(
        "-published_at"
    )
    return render(
        request,
        "casestudies/library.html",
        {
            "cases": [
                {
                    "case": c,
                    "title": text(c.texts.get("title")),
                    "summary": text(c.texts.get("summary")),
                }
                for c in cases
            ],
            "others": others,
            "can_upload": authz.allowed(request.user, "casestudies.upload"),
            "query": query,
        },
    )


@require_GET
def case_detail(request, key):
    case = get_object_or_404(
        Case.objects.select_related("document").prefetch_related(
            "provisions__instrument", "modules"
        ),
        key=key,
        document__status=Status.PUBLISHED,
    )
    trainer_view = authz.allowed(request.user, "casestudies.review")
    return render(
        request,
        "casestudies/case_detail.html",
        {
            "case": case,
            "t": {
                name: text(case.texts.get(name))
                for name in ("title", "outcome", "summary", "discussion", "model_answer")
            },
            "questions": [
                {
                    "stem": text(q["stem"]),
                    "explanation": text(q["explanation"]),
                    "choices": [
                        {"text": text(c["text"]), "correct": c["correct"]} for c in q["choices"]
                    ],
                    "multiple": q["kind"] == "multiple",
                }
                for q in case.questions
            ],
            "trainer_view": trainer_view,
            "editable": trainer_view and case.key == services.entry_key(case.document),
            "vignettes": selectors.vignettes_of(case),
        },
    )


@require_http_methods(["GET", "POST"])
def cycle_cases(request, slug):
    """The cases of a cycle's sessions: trainers and coordinators put a case into a session's
    agenda (its participants then find it there)."""
    from himaya.training.models import Cycle

    from .models import SessionCase

    cycle = authz.fetch(request.user, Cycle, "casestudies.plan_cycle_cases", slug=slug)
    sessions = [
        s
        for s in cycle.sessions.order_by("date", "start_time")
        if authz.allowed(request.user, "casestudies.plan_session_cases", s)
    ]
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                item = get_object_or_404(
                    SessionCase, pk=request.POST.get("item"), session__cycle=cycle
                )
                services.remove_from_session(actor=request.user, item=item)
            else:
                session = next(s for s in sessions if str(s.pk) == request.POST.get("session"))
                case = get_object_or_404(
                    Case, key=request.POST.get("case"), document__status=Status.PUBLISHED
                )
                services.add_to_session(actor=request.user, session=session, case=case)
            messages.success(request, _("The agenda is updated."))
        except StopIteration:
            messages.error(request, _("Choose one of your sessions."))
        except ValidationError as exc:
            messages.error(request, " ".join(_messages_of(exc)))
        return redirect("casestudies:cycle_cases", slug=slug)
    items = SessionCase.objects.filter(session__cycle=cycle).select_related("session", "case")
    cases = Case.objects.filter(document__status=Status.PUBLISHED)
    return render(
        request,
        "casestudies/cycle_cases.html",
        {
            "cycle": cycle,
            "sessions": sessions,
            "items": [(i, text(i.case.texts.get("title"))) for i in items],
            "cases": [(c, text(c.texts.get("title"))) for c in cases],
        },
    )

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from himaya.core import authz
from himaya.core.jobs import start as start_job
from himaya.training.models import Cycle, Session

from . import documents, permissions, selectors, services  # noqa: F401 - permissions: rules
from .forms import CompletionRuleForm, SignatoryFormSet
from .models import Certificate, CompletionRule, normalise_code

CODE_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


def _managed_cycle(request, slug) -> Cycle:
    return authz.fetch(
        request.user, Cycle.objects.select_related("programme"), "training.manage_cycle", slug=slug
    )


def _managed_certificate(request, pk) -> Certificate:
    return authz.fetch(
        request.user,
        Certificate.objects.select_related("cycle", "participant"),
        "certificates.manage_certificate",
        pk=pk,
    )


def _back(certificate):
    return redirect("certificates:cycle_certificates", slug=certificate.cycle.slug)


def _screen_rows(cycle, rows, by_person) -> list[dict]:
    """One row per participant holding a seat, then the holders of a certificate who no longer
    do (withdrawn after issue), each with their current certificate and the older ones."""
    items = []
    seen = set()
    for row in rows:
        seen.add(row.participant.pk)
        mine = by_person.get(row.participant.pk, [])
        items.append(
            {
                "person": row.participant,
                "row": row,
                "certificate": mine[0] if mine else None,
                "older": mine[1:],
            }
        )
    for pid, mine in by_person.items():
        if pid not in seen:
            items.append(
                {
                    "person": mine[0].participant,
                    "row": None,
                    "certificate": mine[0],
                    "older": mine[1:],
                }
            )
    return items


def _render_screen(request, cycle, *, formset=None, status=200):
    sessions = list(Session.objects.filter(cycle=cycle).order_by("date", "start_time"))
    rule = services.rule_for(cycle)
    rows = services.eligibility(cycle, rule=rule)
    by_person = selectors.certificates_by_participant(cycle=cycle)
    items = _screen_rows(cycle, rows, by_person)
    current = [i["certificate"] for i in items if i["certificate"] is not None]
    signatories = services.signatories_of(cycle)
    if formset is None:
        formset = SignatoryFormSet(
            initial=[{f: getattr(s, f) for f in services.SIGNATORY_FIELDS} for s in signatories],
            prefix="signatories",
        )
    return render(
        request,
        "certificates/cycle_certificates.html",
        {
            "cycle": cycle,
            "rows": items,
            "rule": rule,
            "eligible": sum(1 for r in rows if r.eligible),
            "participants": len(rows),
            "valid": sum(1 for c in current if c.is_valid),
            "to_review": [i for i in items if i["certificate"] and i["certificate"].needs_review],
            "refusal": services.issue_refusal(cycle, sessions=sessions),
            "last_session_end": services.last_session_end(cycle, sessions=sessions),
            "hours": selectors.training_hours(sessions=sessions),
            "signatories": signatories,
            "partners": list(cycle.programme.partners.all()),
            "formset": formset,
        },
        status=status,
    )


@require_GET
def cycle_certificates(request, slug):
    """The coordinator's certificates screen: who is eligible (and why not), each certificate's
    state, and the actions (issue, revoke, re-issue, review, download, signatories)."""
    return _render_screen(request, _managed_cycle(request, slug))


@require_POST
def issue(request, slug):
    """Issue the cycle's certificates as a background job (idempotent)."""
    cycle = _managed_cycle(request, slug)
    refusal = services.issue_refusal(cycle)
    if refusal is not None:  # said here at once; the service refuses too, when the job runs
        messages.error(request, " ".join(refusal.messages))
        return redirect("certificates:cycle_certificates", slug=cycle.slug)
    job = start_job(
        owner=request.user,
        kind="certificates.issue",
        title=_("Issuing the certificates: %(cycle)s") % {"cycle": cycle.title},
        params={"cycle": cycle.pk},
        back_url=reverse("certificates:cycle_certificates", args=[cycle.slug]),
    )
    return redirect("core:job", pk=job.pk)


@require_POST
def revoke(request, pk):
    certificate = _managed_certificate(request, pk)
    try:
        services.revoke(
            certificate=certificate, reason=request.POST.get("reason", ""), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The certificate is revoked."))
    return _back(certificate)


@require_POST
def reissue(request, pk):
    certificate = _managed_certificate(request, pk)
    try:
        new = services.reissue(certificate=certificate, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("A new certificate is issued, with the code %(code)s. The old one stays revoked.")
            % {"code": new.code},
        )
    return _back(certificate)


@require_POST
def keep(request, pk):
    """The coordinator keeps a certificate flagged for review."""
    certificate = _managed_certificate(request, pk)
    try:
        services.keep_after_review(
            certificate=certificate, actor=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The certificate is kept: it stays valid."))
    return _back(certificate)


@require_POST
def signatories(request, slug):
    cycle = _managed_cycle(request, slug)
    formset = SignatoryFormSet(request.POST, prefix="signatories")
    if not formset.is_valid():
        messages.error(request, _("Please correct the signatories below."))
        return _render_screen(request, cycle, formset=formset, status=400)
    wanted = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    services.set_signatories(cycle=cycle, actor=request.user, signatories=wanted)
    messages.success(request, _("The signatories are saved."))
    return redirect(reverse("certificates:cycle_certificates", args=[cycle.slug]) + "#signatories")


def rule_form_context(cycle, rule, form, preview=None):
    rows = services.eligibility(cycle, rule=rule)
    return {
        "cycle": cycle,
        "rule": rule,
        "form": form,
        "participants": len(rows),
        "eligible": sum(1 for r in rows if r.eligible),
        "preview": preview,
        "valid": Certificate.objects.filter(cycle=cycle, revoked_at__isnull=True).count(),
    }


def completion_rule(request, slug):
    """The completion rule of a cycle, with the number of participants it makes eligible,
    counted from the data as it is (and, on "preview", as the typed rule would)."""
    cycle = _managed_cycle(request, slug)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    rule = services.rule_for(cycle)
    if request.method == "GET":
        form = CompletionRuleForm.for_rule(rule)
        return render(request, "certificates/rule.html", rule_form_context(cycle, rule, form))
    form = CompletionRuleForm.for_rule(rule, data=request.POST)
    if not form.is_valid():
        context = rule_form_context(cycle, rule, form)
        return render(request, "certificates/rule.html", context, status=400)
    data = form.cleaned_data
    if "preview" in request.POST:
        typed = CompletionRule(
            cycle=cycle,
            min_attendance=data["min_attendance"],
            require_post_test=data["require_post_test"],
            excused_absences=data["excused_absences"],
        )
        rows = services.eligibility(cycle, rule=typed)
        preview = {"eligible": sum(1 for r in rows if r.eligible)}
        return render(
            request, "certificates/rule.html", rule_form_context(cycle, rule, form, preview)
        )
    _rule, outcome = services.update_rule(
        cycle=cycle,
        actor=request.user,
        min_attendance=data["min_attendance"],
        require_post_test=data["require_post_test"],
        excused_absences=data["excused_absences"],
    )
    messages.success(request, _("The completion rule is saved."))
    if outcome["flagged"]:
        messages.warning(
            request,
            ngettext(
                "%(count)d certificate already issued would no longer be granted: it is "
                "flagged for your review (not revoked).",
                "%(count)d certificates already issued would no longer be granted: they are "
                "flagged for your review (not revoked).",
                outcome["flagged"],
            )
            % {"count": outcome["flagged"]},
        )
    return redirect("certificates:rule", slug=cycle.slug)


@require_GET
def certificate_pdf(request, pk):
    """The certificate in its holder's chosen language (`?lang=` fr, ar, en or fr-ar to see
    another)."""
    certificate = authz.fetch(
        request.user,
        Certificate.objects.select_related("cycle__programme", "participant"),
        "certificates.view_certificate",
        pk=pk,
    )
    response = HttpResponse(
        documents.certificate_pdf(
            base_url=request.build_absolute_uri("/"),
            certificate=certificate,
            language=request.GET.get("lang", ""),
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code[:8]}.pdf"'
    return response


@require_POST
def certificates_zip(request, slug):
    """Build every valid certificate of the cycle into one ZIP, as a background job."""
    cycle = _managed_cycle(request, slug)
    job = start_job(
        owner=request.user,
        kind="certificates.zip",
        title=_("All certificates (ZIP): %(cycle)s") % {"cycle": cycle.title},
        params={"cycle": cycle.pk, "base_url": request.build_absolute_uri("/")},
        back_url=reverse("certificates:cycle_certificates", args=[cycle.slug]),
    )
    return redirect("core:job", pk=job.pk)


@login_not_required
@require_GET
def verify_form(request):
    """The public page where anyone types a certificate's code (or lands from a QR code)."""
    typed = request.GET.get("code", "").strip()
    if not typed:
        return render(request, "certificates/verify_form.html", {})
    code = normalise_code(typed)[:40]
    if not CODE_CHARACTERS.fullmatch(code):  # no code has such characters ("/", "?", …)
        return render(request, "certificates/verify_unknown.html", {"code": code}, status=404)
    return redirect("verify", code=code)


@login_not_required
@require_GET
def verify(request, code):
    """Public check of a certificate: holder, cycle, date and whether it is still valid."""
    wanted = normalise_code(code[:40])
    if wanted != code:
        return redirect("verify", code=wanted)
    certificate = (
        Certificate.objects.select_related("participant", "cycle__programme")
        .filter(code=wanted)
        .first()
    )
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", {"code": wanted}, status=404)
    return render(request, "certificates/verify.html", {"certificate": certificate})

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from himaya.core import authz
from himaya.core.jobs import start as start_job
from himaya.training.models import Cycle

from . import documents, permissions, services  # noqa: F401 - permissions registers rules
from .models import Certificate, normalise_code

CODE_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


def _managed_cycle(request, slug) -> Cycle:
    return authz.fetch(
        request.user, Cycle.objects.select_related("programme"), "training.manage_cycle", slug=slug
    )


@require_GET
def cycle_certificates(request, slug):
    cycle = _managed_cycle(request, slug)
    certificates = {
        c.participant_id: c
        for c in Certificate.objects.filter(cycle=cycle).select_related("participant")
    }
    rows = [
        {"row": row, "certificate": certificates.get(row.participant.pk)}
        for row in services.eligibility(cycle)
    ]
    return render(
        request,
        "certificates/cycle_certificates.html",
        {
            "cycle": cycle,
            "rows": rows,
            "rule": services.rule_for(cycle),
            "issued": len(certificates),
        },
    )


@require_POST
def issue(request, slug):
    """Issue the cycle's certificates as a background job (idempotent)."""
    cycle = _managed_cycle(request, slug)
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
    certificate = authz.fetch(
        request.user,
        Certificate.objects.select_related("cycle"),
        "certificates.manage_certificate",
        pk=pk,
    )
    try:
        services.revoke(
            certificate=certificate, reason=request.POST.get("reason", ""), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The certificate is revoked."))
    return redirect("certificates:cycle_certificates", slug=certificate.cycle.slug)


@require_GET
def certificate_pdf(request, pk):
    certificate = authz.fetch(
        request.user,
        Certificate.objects.select_related("cycle__programme", "participant"),
        "certificates.view_certificate",
        pk=pk,
    )
    response = HttpResponse(
        documents.certificate_pdf(
            base_url=request.build_absolute_uri("/"), certificate=certificate
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

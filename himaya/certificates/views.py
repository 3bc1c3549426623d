from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from himaya.training.models import Cycle

from . import documents, services
from .models import Certificate


def _managed_cycle(request, slug) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), slug=slug)
    if not request.user.has_perm("training.manage_cycle", cycle):
        raise PermissionDenied
    return cycle


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
    cycle = _managed_cycle(request, slug)
    result = services.issue_certificates(cycle=cycle, actor=request.user)
    messages.success(
        request,
        _("%(issued)d certificates issued, %(existing)d already issued.")
        % {"issued": len(result["issued"]), "existing": len(result["existing"])},
    )
    return redirect("certificates:cycle_certificates", slug=cycle.slug)


@require_POST
def revoke(request, pk):
    certificate = get_object_or_404(Certificate.objects.select_related("cycle"), pk=pk)
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
    certificate = get_object_or_404(
        Certificate.objects.select_related("cycle__programme", "participant"), pk=pk
    )
    if certificate.participant_id != request.user.pk and not request.user.has_perm(
        "training.manage_cycle", certificate.cycle
    ):
        raise PermissionDenied
    response = HttpResponse(
        documents.certificate_pdf(request=request, certificate=certificate),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code[:8]}.pdf"'
    return response


@require_GET
def certificates_zip(request, slug):
    cycle = _managed_cycle(request, slug)
    certificates = list(
        Certificate.objects.filter(cycle=cycle, revoked_at__isnull=True).select_related(
            "participant", "cycle__programme"
        )
    )
    response = HttpResponse(
        documents.certificates_zip(request=request, certificates=certificates),
        content_type="application/zip",
    )
    response["Content-Disposition"] = f'attachment; filename="{cycle.slug}-certificates.zip"'
    return response


@login_not_required
@require_GET
def verify(request, code):
    """Public check of a certificate: holder, cycle, date and whether it is still valid."""
    certificate = (
        Certificate.objects.select_related("participant", "cycle__programme")
        .filter(code=code[:32])
        .first()
    )
    if certificate is None:
        raise Http404
    return render(request, "certificates/verify.html", {"certificate": certificate})

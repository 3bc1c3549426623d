from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from himaya.core import authz
from himaya.core.jobs import start as start_job
from himaya.training.models import Cycle, Programme

from . import jobs, selectors


def _cycle(request, slug):
    return authz.fetch(
        request.user, Cycle.objects.select_related("programme"), "training.manage_cycle", slug=slug
    )


@require_GET
def cycle_report(request, slug):
    cycle = _cycle(request, slug)
    return render(request, "reports/cycle_report.html", selectors.cycle_report(cycle))


@require_POST
def cycle_report_file(request, slug, file_format):
    """Start the report's PDF or XLSX as a background job and follow it on its page."""
    cycle = _cycle(request, slug)
    if file_format not in jobs.CONTENT_TYPES:
        raise Http404
    job = start_job(
        owner=request.user,
        kind="reports.cycle",
        title=_("Partner report (%(format)s): %(cycle)s")
        % {"format": file_format.upper(), "cycle": cycle.title},
        params={"cycle": cycle.pk, "format": file_format},
        back_url=reverse("reports:cycle_report", args=[cycle.slug]),
    )
    return redirect("core:job", pk=job.pk)


@require_GET
def programme_report(request, slug):
    programme = authz.fetch(request.user, Programme, "training.manage_programme", slug=slug)
    return render(
        request,
        "reports/programme_report.html",
        {"programme": programme, "rows": selectors.programme_report(programme)},
    )

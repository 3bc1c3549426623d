from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from himaya.training.models import Cycle, Programme

from . import documents, selectors


def _cycle(request, slug):
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), slug=slug)
    if not request.user.has_perm("training.manage_cycle", cycle):
        raise PermissionDenied
    return cycle


@require_GET
def cycle_report(request, slug):
    cycle = _cycle(request, slug)
    return render(request, "reports/cycle_report.html", selectors.cycle_report(cycle))


@require_GET
def cycle_report_file(request, slug, file_format):
    cycle = _cycle(request, slug)
    data = selectors.cycle_report(cycle)
    if file_format == "xlsx":
        content = documents.report_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = documents.report_pdf(data)
        content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{cycle.slug}-report-{request.LANGUAGE_CODE}.{file_format}"'
    )
    return response


@require_GET
def programme_report(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    if not request.user.has_perm("training.manage_programme", programme):
        raise PermissionDenied
    return render(
        request,
        "reports/programme_report.html",
        {"programme": programme, "rows": selectors.programme_report(programme)},
    )

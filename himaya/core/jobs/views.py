from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from himaya.core import jobs


def _owned(request, pk):
    job = jobs.for_owner(user=request.user, job_id=pk)
    if job is None:
        raise Http404
    return job


@require_GET
def job_page(request, pk):
    return render(request, "core/jobs/job.html", {"job": _owned(request, pk)})


@require_GET
def job_status(request, pk):
    job = _owned(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "finished": job.is_finished,
            "message": job.message,
        }
    )


@require_GET
def job_download(request, pk):
    job = _owned(request, pk)
    if job.result is None:
        raise Http404
    response = HttpResponse(
        bytes(job.result), content_type=job.result_type or "application/octet-stream"
    )
    response["Content-Disposition"] = f'attachment; filename="{job.result_name or "result"}"'
    response["Cache-Control"] = "private, no-store"
    return response

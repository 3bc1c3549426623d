"""The partner report as a background job (PDF or XLSX): a large cohort takes seconds."""

from django.utils.translation import gettext as _

from himaya.core import jobs
from himaya.training.models import Cycle

from . import documents, selectors

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@jobs.register("reports.cycle")
def cycle_report(job, progress) -> jobs.JobOutput:
    cycle = Cycle.objects.select_related("programme").filter(pk=job.params.get("cycle")).first()
    if not jobs.owner_may(job, "training.manage_cycle", cycle):
        raise jobs.JobFailed(_("This cycle is no longer available to you."))
    file_format = job.params.get("format")
    if file_format not in CONTENT_TYPES:
        raise jobs.JobFailed(_("Unknown file format."))
    progress(0, 2)
    data = selectors.cycle_report(cycle)
    progress(1, 2)
    content = documents.report_xlsx(data) if file_format == "xlsx" else documents.report_pdf(data)
    progress(2, 2)
    return jobs.JobOutput(
        data=content,
        name=f"{cycle.slug}-report-{job.language}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
    )

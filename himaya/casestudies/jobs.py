"""Background work of the case library: running the engine on an uploaded decision."""

from django.utils.translation import gettext as _

from himaya.core import jobs

from .models import CaseDocument, Status

PROCESS = "casestudies.process"


@jobs.register(PROCESS)
def process_document(job, progress):
    from . import services

    document = CaseDocument.objects.filter(pk=job.params.get("document")).first()
    if not jobs.owner_may(job, "casestudies.read_original", document):
        raise jobs.JobFailed(_("This decision is no longer yours to process."))
    progress(0, 1)
    document = services.process(document=document)
    progress(1, 1)
    if document.status == Status.FAILED:
        raise jobs.JobFailed(document.message)
    return jobs.JobOutput(
        message=_("Pseudonymised: review the proposal before anything is published.")
    )

"""The certificates' background jobs: issuing a cycle's batch, and all its PDFs as one ZIP."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from himaya.core import jobs
from himaya.training.models import Cycle

from . import documents, services
from .models import Certificate


def _managed_cycle(job) -> Cycle:
    """The job's cycle, checked again when the work runs: rights may have changed meanwhile."""
    cycle = Cycle.objects.select_related("programme").filter(pk=job.params.get("cycle")).first()
    if not jobs.owner_may(job, "training.manage_cycle", cycle):
        raise jobs.JobFailed(_("This cycle is no longer available to you."))
    return cycle


@jobs.register("certificates.issue")
def issue(job, progress) -> jobs.JobOutput:
    cycle = _managed_cycle(job)
    progress(0, 1)
    try:
        result = services.issue_certificates(cycle=cycle, actor=job.owner)
    except ValidationError as exc:  # the cycle is not over (checked again when the job runs)
        raise jobs.JobFailed(" ".join(exc.messages)) from exc
    progress(1, 1)
    return jobs.JobOutput(
        message=_("%(issued)d certificates issued, %(existing)d already issued.")
        % {"issued": len(result["issued"]), "existing": len(result["existing"])}
    )


@jobs.register("certificates.zip")
def certificates_zip(job, progress) -> jobs.JobOutput:
    cycle = _managed_cycle(job)
    certificates = list(
        Certificate.objects.filter(cycle=cycle, revoked_at__isnull=True)
        .select_related("participant", "cycle__programme")
        .prefetch_related("cycle__programme__partners")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    progress(0, len(certificates))
    data = documents.certificates_zip(
        base_url=job.params["base_url"], certificates=certificates, progress=progress
    )
    return jobs.JobOutput(
        data=data, name=f"{cycle.slug}-certificates.zip", content_type="application/zip"
    )

"""The training app's background jobs: a participant file's preview, then its import."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from himaya.accounts import invitations
from himaya.core import jobs

from . import participant_io, services
from .models import ParticipantImport


def _pending(job) -> ParticipantImport:
    pending = (
        ParticipantImport.objects.select_related("cycle")
        .filter(pk=job.params.get("import"), uploaded_by=job.owner, applied_at__isnull=True)
        .first()
    )
    if pending is None or not jobs.owner_may(job, "training.manage_cycle", pending.cycle):
        raise jobs.JobFailed(_("This import is no longer available."))
    return pending


@jobs.register("training.import_preview")
def import_preview(job, progress) -> jobs.JobOutput:
    pending = _pending(job)
    progress(0, 1)
    services.preview_staged_import(pending=pending, actor=job.owner)
    progress(1, 1)
    return jobs.JobOutput()


@jobs.register("training.import_apply")
def import_apply(job, progress) -> jobs.JobOutput:
    pending = _pending(job)
    progress(0, 1)
    try:
        report = services.apply_staged_import(pending=pending, actor=job.owner)
    except participant_io.ImportFileError as exc:
        raise jobs.JobFailed(str(exc)) from exc
    progress(1, 1)
    if not report.applied:
        raise jobs.JobFailed(
            _("Nothing was imported: the file has errors. Correct it and upload it again.")
        )
    # Everyone the file brought in who has no password yet gets their set-password link.
    invited = invitations.invite_pending(cycle=pending.cycle, actor=job.owner)
    done = _("Import done: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
    sent = ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", invited)
    return jobs.JobOutput(message=f"{done % report.as_dict()} {sent % {'count': invited}}")

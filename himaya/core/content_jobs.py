"""Reloading the content packs from the files as a background job, for administrators: after
new content files are deployed, the load (validation, upserts, the bench book's search index)
runs with a progress bar instead of inside a request."""

from django.conf import settings
from django.utils.translation import gettext as _

from . import jobs
from .content import ContentInvalid, load


@jobs.register("core.load_content")
def load_content(job, progress) -> jobs.JobOutput:
    if not getattr(job.owner, "is_admin", False):  # checked again when the work runs
        raise jobs.JobFailed(_("Only administrators may reload the content."))
    try:
        result = load(settings.BASE_DIR / "content", progress=progress)
    except ContentInvalid as exc:
        shown = exc.messages[:20]
        raise jobs.JobFailed(
            _("Nothing was loaded: %(count)d problem(s) in the content files.")
            % {"count": len(exc.messages)}
            + "\n"
            + "\n".join(shown)
        ) from exc
    counts = result.counts
    return jobs.JobOutput(
        message=_(
            "Content loaded: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
        )
        % counts
    )

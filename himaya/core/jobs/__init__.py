"""Background jobs: long work (imports, certificate batches, ZIPs, reports) off the request.

An app registers a kind of job with the function that does the work; a view starts a job for
the signed-in person and sends them to its page, which shows the progress and, at the end, the
result to download — to its owner only. The work runs through django-tasks: the immediate
backend in tests and `make run` (the job is finished when the page opens), the database backend
and `himaya db_worker` in production (the page follows the progress)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _


@dataclass
class JobOutput:
    """What a job hands back: a file to download, and/or a message for its owner."""

    data: bytes | None = None
    name: str = ""
    content_type: str = ""
    message: str = ""


class JobFailed(Exception):
    """Raised by a job's work with a message for its owner (already translated)."""


class Progress:
    """Counts a job's progress and writes it at most a few times a second."""

    def __init__(self, job, *, interval: float = 0.5):
        self.job = job
        self.interval = interval
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        from .models import Job

        if total is not None:
            self.job.progress_total = total
        self.job.progress_done = min(done, self.job.progress_total or done)
        now = time.monotonic()
        finished = self.job.progress_total and self.job.progress_done >= self.job.progress_total
        if now - self._last >= self.interval or finished:
            self._last = now
            Job.objects.filter(pk=self.job.pk).update(
                progress_done=self.job.progress_done, progress_total=self.job.progress_total
            )


@dataclass(frozen=True)
class JobKind:
    key: str
    run: Callable  # run(job, progress) -> JobOutput


_KINDS: dict[str, JobKind] = {}


def register(key: str):
    """Decorator: `@jobs.register("certificates.zip") def build(job, progress): ...`."""

    def decorator(function):
        _KINDS[key] = JobKind(key=key, run=function)
        return function

    return decorator


def kind(key: str) -> JobKind:
    return _KINDS[key]


def start(*, owner, kind: str, title: str, params: dict | None = None, back_url: str = ""):
    """Record a job for `owner` and queue its work once the surrounding transaction commits."""
    from .models import Job
    from .tasks import run_job

    if kind not in _KINDS:
        raise KeyError(kind)
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title=title[:255],
        params=params or {},
        language=translation.get_language() or "fr",
        back_url=back_url,
    )
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def execute(job_id: str) -> None:
    """Do the work of one job (called by the task). Failures end in a message, never a crash."""
    import logging

    from .models import Job, JobStatus

    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    with translation.override(job.language):
        try:
            output = _KINDS[job.kind].run(job, Progress(job))
        except JobFailed as exc:
            _finish(job, status=JobStatus.FAILED, message=str(exc))
            return
        except Exception:
            logging.getLogger("himaya.jobs").exception("Job %s (%s) failed", job.pk, job.kind)
            _finish(
                job,
                status=JobStatus.FAILED,
                message=_("The work could not be finished. The error has been recorded."),
            )
            return
    _finish(job, status=JobStatus.SUCCEEDED, output=output or JobOutput())


def _finish(job, *, status, message: str = "", output: JobOutput | None = None) -> None:
    from .models import Job

    values = {"status": status, "finished_at": timezone.now(), "message": message}
    if output is not None:
        values.update(
            message=output.message,
            result=output.data,
            result_name=output.name,
            result_type=output.content_type,
        )
        if job.progress_total:
            values["progress_done"] = job.progress_total
    Job.objects.filter(pk=job.pk).update(**values)


def owner_may(job, perm: str, obj) -> bool:
    """Whether the job's owner still has the right it was started with (asked when the work
    runs: rights may have changed while the job waited). The same rules as the pages."""
    from himaya.core import authz

    return obj is not None and authz.allowed(job.owner, perm, obj)


def latest(*, owner, kind: str, **params):
    """The owner's most recent job of this kind whose parameters include `params`."""
    from .models import Job

    lookups = {f"params__{name}": value for name, value in params.items()}
    return Job.objects.filter(owner=owner, kind=kind, **lookups).order_by("-created_at").first()


def recent(*, kind: str, limit: int = 5):
    """The latest jobs of a kind, whoever started them (for administrators' pages)."""
    from .models import Job

    return list(
        Job.objects.filter(kind=kind).select_related("owner").order_by("-created_at")[:limit]
    )


def for_owner(*, user, job_id):
    """The job, if `user` owns it; None otherwise (the views answer 404: no one learns that
    someone else's job exists)."""
    from .models import Job

    if not getattr(user, "is_authenticated", False):
        return None
    return Job.objects.filter(pk=job_id, owner=user).first()


def follow(request, job):
    """Where to send the person who started `job`: when it is already done (the immediate
    backend, or a fast worker) and produced no file, straight back with its message; otherwise
    to the job's page, which follows the progress."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .models import Job, JobStatus

    job = Job.objects.get(pk=job.pk)
    if job.status == JobStatus.SUCCEEDED and not job.result_name and job.back_url:
        if job.message:
            messages.success(request, job.message)
        return redirect(job.back_url)
    return redirect("core:job", pk=job.pk)

"""Helpers shared by the test suites of every app."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse
from django.utils import translation


def url(name: str, *args, lang: str = "fr") -> str:
    """A page's address in one language."""
    with translation.override(lang):
        return reverse(name, args=args)


def run_job(client, start_url: str, data: dict | None = None):
    """Start a background job as a person would (POST its button), let it run, and return
    (job page response, download response or None). Commit callbacks run here as they
    would after a real request, so the immediate backend does the work."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(start_url, data or {})
    if started.status_code != 302:
        return started, None
    page = client.get(started["Location"])
    job = page.context["job"] if page.context else None
    download = None
    if job is not None and job.result_name:
        download = client.get(reverse("core:job_download", args=[job.pk]))
    return page, download


def post_running_jobs(client, path: str, data: dict | None = None, **kwargs):
    """POST as a browser would, with the background jobs the request starts run at once (as
    after a real request's commit; the suite's transactions would otherwise hold them)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data or {}, **kwargs)

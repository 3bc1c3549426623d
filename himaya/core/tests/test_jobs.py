"""Background jobs: progress recorded, results private to their owner, failures as messages."""

import uuid

import pytest
from django.urls import reverse

from himaya.core import jobs
from himaya.core.models import Job, JobStatus
from himaya.training.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

seen_progress = []


@jobs.register("tests.count")
def _count(job, progress):
    total = job.params["n"]
    for i in range(1, total + 1):
        progress(i, total)
        seen_progress.append(i)
    return jobs.JobOutput(data=b"x" * total, name="count.txt", content_type="text/plain")


@jobs.register("tests.refuse")
def _refuse(job, progress):
    raise jobs.JobFailed("Refused for a reason the owner can read.")


@jobs.register("tests.crash")
def _crash(job, progress):
    raise RuntimeError("internal detail that must not reach the page")


def _start(owner, kind, **params):
    return jobs.start(owner=owner, kind=kind, title="Test job", params=params)


def test_a_job_runs_records_progress_and_keeps_its_result(django_capture_on_commit_callbacks):
    owner = UserFactory()
    seen_progress.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(owner, "tests.count", n=7)
    job.refresh_from_db()
    assert seen_progress == list(range(1, 8))
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (7, 7, 100)
    assert bytes(job.result) == b"xxxxxxx"
    assert job.started_at and job.finished_at


def test_only_the_owner_sees_and_downloads_a_job(client, django_capture_on_commit_callbacks):
    owner, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(owner, "tests.count", n=3)
    client.force_login(other)
    for name in ("core:job", "core:job_status", "core:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    client.force_login(owner)
    page = client.get(reverse("core:job", args=[job.pk]))
    assert page.status_code == 200
    assert reverse("core:job_download", args=[job.pk]) in page.content.decode()
    status = client.get(reverse("core:job_status", args=[job.pk])).json()
    assert status["finished"] is True and status["percent"] == 100 and status["done"] == 3
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.content == b"xxx"
    assert download["Cache-Control"] == "private, no-store"
    assert client.get(reverse("core:job", args=[uuid.uuid4()])).status_code == 404


def test_a_refused_job_shows_its_message_and_a_crash_shows_no_detail(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        refused = _start(owner, "tests.refuse")
        crashed = _start(owner, "tests.crash")
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert refused.status == crashed.status == JobStatus.FAILED
    assert refused.message == "Refused for a reason the owner can read."
    assert "internal detail" not in crashed.message
    client.force_login(owner)
    page = client.get(reverse("core:job", args=[crashed.pk])).content.decode()
    assert "internal detail" not in page
    assert client.get(reverse("core:job_download", args=[crashed.pk])).status_code == 404


def test_a_queued_job_page_follows_the_progress(client):
    owner = UserFactory()
    job = Job.objects.create(
        owner=owner, kind="tests.count", title="Waiting job", progress_total=10, progress_done=4
    )
    client.force_login(owner)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'data-job-finished="0"' in page
    assert 'value="40"' in page
    assert "js/jobs.js" in page

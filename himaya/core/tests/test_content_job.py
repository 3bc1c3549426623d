"""Administrators reload the content from the files as a background job, with its progress."""

import pytest
from django.urls import reverse

from himaya.benchbook.models import Provision
from himaya.core.models import Job, JobStatus


@pytest.mark.django_db(transaction=True)  # the job runs on commit, as after a real request
def test_an_administrator_reloads_the_content_as_a_job(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("core:reload_content"))
    assert page.status_code == 200 and 'id="reload-content"' in page.content.decode()
    response = client.post(reverse("core:reload_content"), follow=True)
    job = Job.objects.get(kind="core.load_content")
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.progress_total > 0 and job.progress_done == job.progress_total
    assert response.redirect_chain[-1][0] == reverse("core:reload_content")
    assert Provision.objects.count() > 100


@pytest.mark.django_db
def test_nobody_else_reloads_the_content(client, coordinator, participant):
    for person in (coordinator, participant):
        client.force_login(person)
        assert client.get(reverse("core:reload_content")).status_code == 403
        assert client.post(reverse("core:reload_content")).status_code == 403
    assert not Job.objects.exists()

"""The import's preview and its application run as background jobs; the preview is computed once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from himaya.core.models import Job, JobStatus
from himaya.training import services
from himaya.training.models import ParticipantImport

GOOD = b"email,first_name,last_name,gender,function\nx@j.test,X,Y,F,judge\n"


@pytest.mark.django_db(transaction=True)
def test_the_preview_is_computed_once_by_a_job_and_the_import_applied_by_another(
    client, coordinator, cycle, monkeypatch
):
    client.force_login(coordinator)
    response = client.post(
        reverse("training:import_upload", args=[cycle.slug]),
        {"file": SimpleUploadedFile("p.csv", GOOD)},
    )
    pending = ParticipantImport.objects.get(cycle=cycle)
    preview_url = reverse("training:import_preview", args=[cycle.slug, pending.pk])
    assert response["Location"] == preview_url
    preview_job = Job.objects.get(kind="training.import_preview")
    assert preview_job.status == JobStatus.SUCCEEDED and preview_job.owner == coordinator
    pending.refresh_from_db()
    assert pending.preview["plan"][0]["outcome"] == "created"

    def no_second_parse(**kwargs):
        raise AssertionError("the preview page parsed the file again")

    monkeypatch.setattr(services, "plan_import", no_second_parse)
    for _ in range(3):  # reloads read the stored preview
        page = client.get(preview_url)
        assert page.status_code == 200
        assert 'id="confirm-import"' in page.content.decode()
    monkeypatch.undo()

    done = client.post(preview_url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("training:participants", args=[cycle.slug])
    apply_job = Job.objects.get(kind="training.import_apply")
    assert apply_job.status == JobStatus.SUCCEEDED
    assert "1 created" in apply_job.message or "1 créé" in apply_job.message
    assert cycle.enrolments.filter(participant__email="x@j.test").exists()


@pytest.mark.django_db
def test_a_waiting_preview_sends_its_owner_to_the_jobs_page(client, coordinator, cycle):
    pending = services.stage_import(cycle=cycle, actor=coordinator, filename="p.csv", data=GOOD)
    job = Job.objects.create(
        owner=coordinator,
        kind="training.import_preview",
        title="Checking",
        params={"import": pending.pk},
    )
    client.force_login(coordinator)
    response = client.get(reverse("training:import_preview", args=[cycle.slug, pending.pk]))
    assert response["Location"] == reverse("core:job", args=[job.pk])

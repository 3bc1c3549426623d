"""Certificates: tests written against mutants the rest of the suite let through (a withdrawn
participant counted as eligible, revoked certificates in the ZIP, a job run without the
owner's rights being checked again)."""

import io
import zipfile

import pytest
from django.test import TestCase
from django.urls import reverse

from himaya.accounts.choices import Role
from himaya.certificates import services
from himaya.certificates.models import Certificate
from himaya.core import jobs
from himaya.core.jobs.models import Job, JobStatus
from himaya.testing import run_job
from himaya.training import services as training_services
from himaya.training.models import Enrolment, EnrolmentStatus
from himaya.training.tests.factories import PartnerFactory, UserFactory

from .test_certificates import setting  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def test_a_withdrawn_participant_is_neither_eligible_nor_issued_a_certificate(
    cycle,
    setting,  # noqa: F811
    coordinator,
):
    # setting[0] has attended every session and taken the post-test, then withdraws.
    enrolment = Enrolment.objects.get(cycle=cycle, participant=setting[0])
    training_services.set_enrolment_status(
        enrolment=enrolment, status=EnrolmentStatus.WITHDRAWN, actor=coordinator
    )
    assert {r.participant.pk for r in services.eligibility(cycle)} == {p.pk for p in setting[1:]}
    issued = services.issue_certificates(cycle=cycle, actor=coordinator)
    assert [i["email"] for i in issued["issued"]] == [setting[1].email]
    assert not Certificate.objects.filter(participant=setting[0]).exists()


def test_the_zip_leaves_out_revoked_certificates(
    client,
    cycle,
    setting,  # noqa: F811
    coordinator,
):
    services.issue_certificates(cycle=cycle, actor=coordinator)
    revoked = Certificate.objects.get(participant=setting[0])
    kept = Certificate.objects.get(participant=setting[1])
    services.revoke(certificate=revoked, reason="Attendance sheet corrected", actor=coordinator)
    client.force_login(coordinator)
    _page, zipped = run_job(client, reverse("certificates:zip", args=[cycle.slug]))
    assert zipped.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert names == [
        f"{setting[1].last_name}-{setting[1].first_name}-{kept.code[:6]}.pdf".replace("/", "-")
    ]


@pytest.mark.parametrize("kind", ["certificates.zip", "certificates.issue"])
def test_a_certificate_job_checks_its_owners_rights_when_it_runs(
    cycle,
    setting,  # noqa: F811
    kind,
):
    # A job recorded for someone who may not (or may no longer) manage the cycle does nothing.
    outsider = UserFactory(
        role=Role.COORDINATOR,
        partner=PartnerFactory(slug="other", name="Other", short_name="O"),
        email="outsider@example.test",
        is_staff=True,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = jobs.start(
            owner=outsider,
            kind=kind,
            title="intrusion",
            params={"cycle": cycle.pk, "base_url": "http://testserver/"},
        )
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.FAILED
    assert not job.result and not job.result_name
    assert not Certificate.objects.exists()

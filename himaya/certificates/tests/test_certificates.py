import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from himaya.assessments import services as assessment_services
from himaya.assessments.tests.factories import bank, open_tests
from himaya.certificates import services
from himaya.certificates.models import Certificate, CompletionRule
from himaya.core.models import AuditEntry
from himaya.testing import run_job
from himaya.training import services as training_services
from himaya.training.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(cycle, trainer, enrol_many):
    """Five sessions; four people: (attendance, post-test) = (5/5, yes), (4/5, yes), (3/5, yes), (5/5, no)."""
    bank(cycle.programme, axes=1)
    _pre, post = open_tests(cycle)
    sessions = [SessionFactory(cycle=cycle) for _ in range(5)]
    people = enrol_many(4)
    people[0].first_name_ar, people[0].last_name_ar, people[0].preferred_language = (
        "فاطمة الزهراء",
        "الإدريسي",
        "ar",
    )
    people[0].save()
    for person, present in zip(people, (5, 4, 3, 5), strict=True):
        for i, session in enumerate(sessions):
            status = "present" if i < present else "absent"
            training_services.record_attendance(
                session=session, participant=person, status=status, actor=trainer
            )
    for person in people[:3]:
        assessment_services.submit_attempt(
            attempt=assessment_services.start_attempt(test=post, participant=person)
        )
    return people


def test_eligibility_follows_the_rule(cycle, setting):
    rows = {r.participant.pk: r for r in services.eligibility(cycle)}
    assert [rows[p.pk].eligible for p in setting] == [True, True, False, False]
    CompletionRule.objects.create(cycle=cycle, min_attendance="0.60", require_post_test=False)
    rows = {r.participant.pk: r for r in services.eligibility(cycle)}
    assert [rows[p.pk].eligible for p in setting] == [True, True, True, True]


def test_issue_is_idempotent_and_audited(cycle, setting, coordinator):
    first = services.issue_certificates(cycle=cycle, actor=coordinator)
    assert sorted(i["email"] for i in first["issued"]) == sorted(p.email for p in setting[:2])
    second = services.issue_certificates(cycle=cycle, actor=coordinator)
    assert second["issued"] == [] and len(second["existing"]) == 2
    assert Certificate.objects.count() == 2
    assert AuditEntry.objects.filter(event="certificate.issued").count() == 2
    codes = [c.code for c in Certificate.objects.all()]
    assert all(len(code) >= 20 for code in codes) and len(set(codes)) == 2


def test_cli_json(cycle, setting, capsys):
    call_command("issue_certificates", cycle=cycle.slug, json=True)
    out = json.loads(capsys.readouterr().out)
    assert len(out["issued"]) == 2 and out["existing"] == []
    assert set(out["issued"][0]) == {"email", "code"}
    call_command("issue_certificates", cycle=cycle.slug, json=True)
    out = json.loads(capsys.readouterr().out)
    assert out["issued"] == [] and len(out["existing"]) == 2


def test_public_verification_valid_revoked_unknown(client, cycle, setting, coordinator):
    services.issue_certificates(cycle=cycle, actor=coordinator)
    certificate = Certificate.objects.get(participant=setting[0])
    page = client.get(reverse("verify", args=[certificate.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="badge verified" id="certificate-status"' in body and "الإدريسي" in body
    assert "badge disputed" not in body
    with pytest.raises(ValidationError) as refused:  # no reason, no revocation
        services.revoke(certificate=certificate, reason="  ", actor=coordinator)
    assert refused.value.code == services.REASON_REQUIRED
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert (
        "badge verified" in client.get(reverse("verify", args=[certificate.code])).content.decode()
    )
    services.revoke(certificate=certificate, reason="Attendance sheet corrected", actor=coordinator)
    body = client.get(reverse("verify", args=[certificate.code])).content.decode()
    assert "badge disputed" in body
    assert client.get(reverse("verify", args=["not-a-real-code"])).status_code == 404


def test_certificate_pdf_embeds_a_font_and_only_holder_or_manager_get_it(
    client, cycle, setting, coordinator, other_participant
):
    services.issue_certificates(cycle=cycle, actor=coordinator)
    certificate = Certificate.objects.get(participant=setting[0])
    client.force_login(setting[0])
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {
        font["/BaseFont"]: font["/FontDescriptor"]
        for font in (
            f.get_object()["/DescendantFonts"][0].get_object()
            for f in reader.pages[0]["/Resources"]["/Font"].values()
        )
    }
    assert any("HimayaSans" in name for name in fonts)  # DejaVu Sans, embedded as a subset
    assert all("/FontFile2" in descriptor for descriptor in fonts.values())
    text = reader.pages[0].extract_text()
    assert setting[0].last_name in text and certificate.code in text
    client.force_login(other_participant)
    assert client.get(reverse("certificates:pdf", args=[certificate.pk])).status_code == 403
    client.force_login(coordinator)
    job_page, zipped = run_job(client, reverse("certificates:zip", args=[cycle.slug]))
    job = job_page.context["job"]
    assert job.owner == coordinator and job.progress_done == job.progress_total
    assert zipped.status_code == 200 and zipped.content[:2] == b"PK"
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert (
        len(names)
        == job.progress_total
        == Certificate.objects.filter(cycle=cycle, revoked_at__isnull=True).count()
    )


def test_certificate_html_has_the_arabic_name_first_in_arabic(cycle, setting, coordinator):
    from himaya.certificates import documents

    services.issue_certificates(cycle=cycle, actor=coordinator)
    certificate = Certificate.objects.get(participant=setting[0])
    html = documents.certificate_html(base_url="http://x/", certificate=certificate, language="ar")
    assert 'dir="rtl"' in html
    assert html.index("فاطمة الزهراء الإدريسي") < html.index(setting[0].last_name)


def test_a_revoked_certificate_is_no_longer_handed_to_its_holder(client, coordinator, cycle):
    """Its code still verifies as revoked; the holder cannot download a copy that looks valid."""
    import datetime

    from himaya.certificates import services as certificate_services
    from himaya.certificates.models import Certificate
    from himaya.testing import url
    from himaya.training.tests.factories import EnrolmentFactory

    holder = EnrolmentFactory(cycle=cycle).participant
    certificate = Certificate.objects.create(
        cycle=cycle, participant=holder, issued_on=datetime.date(2024, 12, 7), language="fr"
    )
    client.force_login(holder)
    assert client.get(url("certificates:pdf", certificate.pk)).status_code == 200
    certificate_services.revoke(certificate=certificate, reason="Erreur", actor=coordinator)
    assert client.get(url("certificates:pdf", certificate.pk)).status_code == 403
    client.force_login(coordinator)
    assert client.get(url("certificates:pdf", certificate.pk)).status_code == 200

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from himaya.assessments import services as assessment_services
from himaya.assessments.tests.factories import bank, open_tests
from himaya.core.models import Job
from himaya.testing import run_job, url
from himaya.training import services as training_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(cycle, session, trainer, enrol_many):
    bank(cycle.programme)
    pre, post = open_tests(cycle)
    people = enrol_many(6)
    for i, person in enumerate(people):
        training_services.record_attendance(
            session=session, participant=person, status="present" if i else "absent", actor=trainer
        )
        for test, right in ((pre, i % 2 == 0), (post, True)):
            attempt = assessment_services.start_attempt(test=test, participant=person)
            if right:
                assessment_services.save_answer(
                    attempt=attempt,
                    question_key=f"axis0-01{attempt.form.lower()}".replace("axis", "ax"),
                    selected=["a"],
                )
            assessment_services.submit_attempt(attempt=attempt)
    return people


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_report_page_and_files(client, coordinator, cycle, data, lang):
    client.force_login(coordinator)
    page = client.get(url("reports:cycle_report", cycle.slug, lang=lang))
    assert page.status_code == 200
    assert page.content.decode().count("<svg") >= 4
    job_page, pdf = run_job(client, url("reports:cycle_report_file", cycle.slug, "pdf", lang=lang))
    assert job_page.context["job"].status == "succeeded"
    assert job_page.context["job"].progress_done == job_page.context["job"].progress_total == 2
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert pdf["Content-Disposition"].endswith(f'-report-{lang}.pdf"')
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 2
    _page, xlsx = run_job(client, url("reports:cycle_report_file", cycle.slug, "xlsx", lang=lang))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert len(workbook.sheetnames) >= 8


def test_xlsx_figures_match_the_data(client, coordinator, cycle, data):
    client.force_login(coordinator)
    _page, xlsx = run_job(client, url("reports:cycle_report_file", cycle.slug, "xlsx", lang="en"))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["Participants"] == 6
    attendance = list(workbook["Attendance"].iter_rows(values_only=True))
    assert attendance[1][2:6] == (5, 0, 0, 1)  # present, late, excused, absent
    prepost = list(workbook["Pre-post"].iter_rows(values_only=True))
    overall = prepost[-1]
    assert overall[1] == 6  # six pairs


def test_report_is_for_the_cycle_managers_only(client, participant, trainer, cycle, data):
    for person in (participant, trainer):
        client.force_login(person)
        assert client.get(url("reports:cycle_report", cycle.slug)).status_code == 403
        assert client.post(url("reports:cycle_report_file", cycle.slug, "pdf")).status_code == 403
        assert not Job.objects.exists()


def test_cli_report(cycle, data, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command("cycle_report", cycle=cycle.slug, format="xlsx", output=str(out))
    assert load_workbook(out).sheetnames[0]
    pdf = tmp_path / "report.pdf"
    call_command("cycle_report", cycle=cycle.slug, format="pdf", output=str(pdf), language="ar")
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_programme_comparison(client, coordinator, cycle, data):
    client.force_login(coordinator)
    page = client.get(url("reports:programme_report", cycle.programme.slug))
    assert page.status_code == 200 and cycle.title in page.content.decode()


def test_programme_comparison_is_for_its_partners_staff_only(client, participant, cycle, data):
    from himaya.accounts.choices import Role
    from himaya.training.tests.factories import PartnerFactory, UserFactory

    outsider = UserFactory(role=Role.COORDINATOR, partner=PartnerFactory(), is_staff=True)
    for person in (participant, outsider):
        client.force_login(person)
        assert client.get(url("reports:programme_report", cycle.programme.slug)).status_code == 403

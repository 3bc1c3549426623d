"""The partner report's charts in Arabic: shaped text in logical order in the PDF, mirrored bars
on the page, an accessible name and a data table for each chart."""

import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from himaya.accounts.choices import Function
from himaya.testing import run_job, url
from himaya.training import services as training_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cycle, session, trainer, enrol_many):
    people = enrol_many(5)
    for i, person in enumerate(people):
        training_services.record_attendance(
            session=session, participant=person, status="present" if i else "absent", actor=trainer
        )
    return people


def function_labels(people, language):
    with translation.override(language):
        return {str(Function(p.function).label) for p in people if p.function}


def test_arabic_pdf_has_its_chart_labels_shaped_and_in_reading_order(
    client, coordinator, cycle, people
):
    client.force_login(coordinator)
    _job, pdf = run_job(client, url("reports:cycle_report_file", cycle.slug, "pdf", lang="ar"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    labels = function_labels(people, "ar")
    assert labels
    for label in labels | {"حسب الوظيفة", "الحضور حسب الجلسة"}:
        # An SVG <text> came out code point by code point, mirrored: the label reversed.
        assert label in text, label
        assert label[::-1] not in text or label == label[::-1]


def test_arabic_page_charts_are_mirrored_named_and_tabulated(client, coordinator, cycle, people):
    client.force_login(coordinator)
    page = client.get(url("reports:cycle_report", cycle.slug, lang="ar")).content.decode()
    assert "<text" not in page
    images = re.findall(r'role="img" aria-labelledby="([\w-]+)"', page)
    assert len(images) >= 4  # function, gender, region, attendance
    for name_id in images:
        name = re.search(rf'id="{name_id}">([^<]+)<', page)
        assert name and name.group(1).strip(), name_id
    assert "حسب الوظيفة" in re.search(rf'id="{images[0]}">([^<]+)<', page).group(1)
    assert page.count('class="chart-data"') >= 3  # function, gender, region
    starts = re.findall(r'<rect x="([\d.]+)%" y="0" width="([\d.]+)%"', page)
    assert starts and all(float(x) == pytest.approx(100 - float(w), abs=0.11) for x, w in starts)


def test_french_page_bars_start_on_the_left(client, coordinator, cycle, people):
    client.force_login(coordinator)
    page = client.get(url("reports:cycle_report", cycle.slug, lang="fr")).content.decode()
    starts = re.findall(r'<rect x="([\d.]+)%" y="0" width="[\d.]+%"', page)
    assert starts and set(starts) == {"0.0"}
    assert function_labels(people, "fr") <= set(re.findall(r'class="chart-label">([^<]+)<', page))


def test_session_dates_and_times_are_isolated_left_to_right(client, coordinator, cycle, people):
    client.force_login(coordinator)
    page = client.get(url("reports:cycle_report", cycle.slug, lang="ar")).content.decode()
    assert re.search(r'<bdi class="nobreak" dir="ltr">05/12 09:00</bdi>', page)

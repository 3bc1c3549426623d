"""One Arabic month-name convention, the Moroccan one, wherever a date is formatted: pages, PDFs
and e-mails all go through Django's date formatting, whose names come from
himaya/core/locale_months (Django's own Arabic catalogue has the Mashriqi names)."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import dateformat, formats, translation
from pypdf import PdfReader

from himaya.core.text import MOROCCAN_MONTHS

MASHRIQI = re.compile(r"ديسمبر|نوفمبر|سبتمبر|أغسطس|مايو|يوليو(?!ز)|كانون|تشرين|آب|أيار")
DAYS = [datetime.date(2024, month, 5) for month in range(1, 13)]


@pytest.mark.parametrize("code", ["F", "M", "N", "E", "b"])
def test_every_month_has_its_moroccan_name_in_every_date_format(code):
    with translation.override("ar"):
        names = [dateformat.format(day, code) for day in DAYS]
    assert names == list(MOROCCAN_MONTHS)


def test_the_arabic_default_formats_are_the_moroccan_court_style():
    moment = datetime.datetime(2024, 12, 5, 14, 30)
    with translation.override("ar"):
        assert formats.date_format(moment.date()) == "5 دجنبر 2024"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "5 دجنبر 2024 14:30"
        assert formats.time_format(moment.time()) == "14:30"
        rendered = Template('{{ d|date }} · {{ d|date:"j F Y" }} · {{ d|date:"j M Y" }}').render(
            Context({"d": moment.date()})
        )
    assert rendered == "5 دجنبر 2024 · 5 دجنبر 2024 · 5 دجنبر 2024"


def test_french_and_english_month_names_are_untouched():
    with translation.override("fr"):
        assert [dateformat.format(d, "F") for d in DAYS[7:9]] == ["août", "septembre"]
        assert dateformat.format(DAYS[11], "j N Y") == "5 déc. 2024"
    with translation.override("en"):
        assert dateformat.format(DAYS[7], "F") == "August"


def test_the_moroccan_names_are_the_twelve_expected():
    assert MOROCCAN_MONTHS[4] == "ماي" and MOROCCAN_MONTHS[6] == "يوليوز"
    assert MOROCCAN_MONTHS[7] == "غشت" and MOROCCAN_MONTHS[11] == "دجنبر"
    assert not any(MASHRIQI.search(name) for name in MOROCCAN_MONTHS)


def test_the_pattern_catches_mashriqi_names():
    assert MASHRIQI.search("5 ديسمبر 2024") and MASHRIQI.search("يوليو")
    assert not MASHRIQI.search("يوليوز")


@pytest.mark.django_db
def test_arabic_report_page_and_pdf_use_moroccan_months(client, coordinator, cycle):
    from himaya.testing import run_job, url
    from himaya.training.tests.factories import SessionFactory

    cycle.start_date = cycle.end_date = datetime.date(2024, 8, 5)
    cycle.save()
    SessionFactory(cycle=cycle)
    client.force_login(coordinator)
    page = client.get(url("reports:cycle_report", cycle.slug, lang="ar")).content.decode()
    assert "5 غشت 2024" in page and not MASHRIQI.search(page)
    _job, pdf = run_job(client, url("reports:cycle_report_file", cycle.slug, "pdf", lang="ar"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "غشت" in text and not MASHRIQI.search(text)


def test_an_arabic_email_uses_moroccan_months():
    with translation.override("ar"):
        body = Template("{% load i18n %}{{ when|date:'l j F Y' }}").render(
            Context({"when": datetime.date(2025, 9, 1)})
        )
        mail.send_mail("x", body, "from@example.test", ["to@example.test"])
    assert "شتنبر" in mail.outbox[0].body and not MASHRIQI.search(mail.outbox[0].body)


def test_templates_abbreviate_months_the_french_way():
    """Django's «M» title-cases a three-letter abbreviation («Déc», «Jui» for June); «N» gives
    «déc.», «juin», «juil.» in French, the Moroccan name in Arabic."""
    from pathlib import Path

    from django.conf import settings

    formats_used = re.compile(r"""\|date:["']([^"']*)["']""")
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {fmt}"
        for path in Path(settings.BASE_DIR, "himaya").rglob("*.html")
        for fmt in formats_used.findall(path.read_text(encoding="utf-8"))
        # Named formats (DATE_FORMAT…) come from the format modules, checked above.
        if not re.fullmatch(r"[A-Z_]+", fmt) and re.search(r"(?<!\\)[Mb]", fmt)
    ]
    assert not offenders, offenders
    with translation.override("fr"):
        assert dateformat.format(datetime.date(2024, 6, 5), "D j N") == "mer 5 juin"

"""Tests, results and certificates in a real Chromium."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from himaya.accounts.models import User
from himaya.assessments.models import Answer, Attempt, Phase, Test
from himaya.certificates.models import Certificate
from himaya.training.models import Cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = ("coordination@amj.himaya.test", "himaya-demo-2024")
PARTICIPANT = ("fatimazahra.elidrissi@justice.himaya.test", "himaya-demo-2024")


@pytest.fixture
def demo(db):
    call_command("load_content", demo=True, verbosity=0)


def sign_in(page, account, lang="fr"):
    page.goto(f"/{lang}/accounts/login/")
    page.fill("input[name=username]", account[0])
    page.fill("input[name=password]", account[1])
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_participant_takes_the_pre_test_in_arabic_loses_the_connection_and_loses_nothing(
    new_page, demo
):
    # A new cycle of the same programme whose pre-test is open now.
    demo_cycle = Cycle.objects.get(slug="casablanca-2024-cycle-1")
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        programme=demo_cycle.programme,
        slug="rabat-cycle-2",
        number=2,
        title_fr="Cycle 2",
        title_ar="الدورة 2",
        start_date=today,
        end_date=today + datetime.timedelta(days=1),
        city_fr="Rabat",
        capacity=30,
        status="running",
    )
    person = User.objects.get(email=PARTICIPANT[0])
    cycle.enrolments.create(participant=person)
    now = timezone.now()
    test = Test.objects.create(
        cycle=cycle,
        phase=Phase.PRE,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=2),
    )

    page = new_page(width=820, height=1100)
    sign_in(page, PARTICIPANT, lang="ar")
    page.goto(f"/ar/tests/{test.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#start-test").click()
    page.wait_for_selector("#test-paper")
    blocks = page.locator("#test-paper [data-question]")
    assert blocks.count() >= 10

    def choose(i):
        blocks.nth(i).locator("input").first.check()

    choose(0)
    choose(1)
    page.locator("#save-state[data-state=saved]").wait_for()
    page.context.set_offline(True)
    choose(2)
    choose(3)
    page.locator("#save-state[data-state=offline]").wait_for()
    attempt = Attempt.objects.get(test=test, participant=person)
    assert (
        Answer.objects.filter(attempt=attempt).count() == 2
    )  # the last two are only in the browser

    # She closes the tab while still offline; the connection returns later and she opens the
    # test again from the same device: the answers kept in the browser are shown and sent.
    context = page.context
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.goto(f"/ar/tests/{test.pk}/")
    blocks = page.locator("#test-paper [data-question]")
    page.locator("#save-state[data-state=saved]").wait_for()
    assert Answer.objects.filter(attempt=attempt).count() == 4
    for i in range(4):
        assert blocks.nth(i).locator("input").first.is_checked()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1

    # Submitting asks first, in the page, with the number of questions left blank.
    total = blocks.count()
    page.locator("#submit-test").click()
    dialog = page.locator("#submit-confirm[role=alertdialog]")
    dialog.wait_for()
    assert f"{total - 4} من أصل {total}" in dialog.inner_text()
    assert page.evaluate("document.activeElement.id") == "submit-confirm"
    page.locator("#cancel-submit").click()
    assert dialog.is_hidden()
    assert attempt.__class__.objects.get(pk=attempt.pk).submitted_at is None
    page.locator("#submit-test").click()
    page.locator("#confirm-submit").click()
    page.wait_for_url("**/attempts/**")
    assert page.locator("#submit-test").count() == 0
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None


def test_coordinator_reads_the_results_and_downloads_the_report(new_page, demo):
    page = new_page()
    sign_in(page, COORDINATOR)
    page.goto("/fr/cycles/casablanca-2024-cycle-1/results/")
    assert page.locator(".chart[role=img]").count() >= 1
    assert "Wilcoxon" in page.locator("main").inner_text()
    for button, magic in (("#download-pdf", b"%PDF-"), ("#download-xlsx", b"PK")):
        page.goto("/fr/cycles/casablanca-2024-cycle-1/report/")
        page.locator(button).click()  # starts the report as a background job
        page.wait_for_url("**/jobs/**")
        assert page.locator("progress").get_attribute("value") == "100"
        with page.expect_download() as download_info:
            page.locator("#job-download").click()
        with open(download_info.value.path(), "rb") as handle:
            assert handle.read(len(magic)) == magic


def test_anyone_verifies_a_certificate(new_page, demo):
    valid = (
        Certificate.objects.filter(revoked_at__isnull=True).select_related("participant").first()
    )
    revoked = Certificate.objects.filter(revoked_at__isnull=False).first()
    page = new_page()
    page.goto(f"/verify/{valid.code}")
    assert "verified" in page.locator("#certificate-status").get_attribute("class")
    assert valid.participant.last_name in page.locator("main").inner_text()
    page.goto(f"/verify/{revoked.code}")
    assert "disputed" in page.locator("#certificate-status").get_attribute("class")
    response = page.goto("/verify/unknown-code-123")
    assert response.status == 404

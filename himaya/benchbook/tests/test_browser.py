"""Bench book in a real Chromium: Arabic search with instant results, a provision in another
language, the conformity matrix."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(db):
    call_command("load_content", verbosity=0)


def test_search_in_arabic_open_a_provision_switch_language_and_open_the_matrix(new_page, content):
    page = new_page(width=820, height=1100)
    page.goto("/ar/benchbook/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=q]", "التحرش الجنسي")
    first = page.locator("#bb-results .result-title").first
    first.wait_for()  # instant results, without submitting the form
    assert "503" in page.locator("#bb-results").inner_text()
    assert page.locator("#bb-results mark").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1

    page.locator("#bb-results a[href*='ma-penal-code:503-1-1']").first.click()
    page.wait_for_url("**/ar/benchbook/p/ma-penal-code:503-1-1/")
    assert "1-1-503" in page.locator("h1").inner_text()  # the official order in Arabic
    arabic_summary = page.locator("article .panel p").first.inner_text()

    page.locator(".lang-links a[lang=en]").click()
    page.wait_for_url("**/en/benchbook/p/ma-penal-code:503-1-1/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("article .panel p").first.inner_text() != arabic_summary

    page.goto("/fr/benchbook/matrix/")
    rows = page.locator("#conformity-matrix tbody tr")
    assert rows.count() >= 10
    assert page.locator("#conformity-matrix .badge.rel-gap").count() >= 1
    response = page.request.get("/fr/benchbook/matrix.pdf")
    assert response.ok and response.body()[:5] == b"%PDF-"

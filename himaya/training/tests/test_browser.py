"""Main journeys in a real Chromium, in French and Arabic (right-to-left)."""

import pytest
from django.core.management import call_command

from himaya.training.models import Attendance, Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = ("coordination@amj.himaya.test", "himaya-demo-2024")
PARTICIPANT = ("fatimazahra.elidrissi@justice.himaya.test", "himaya-demo-2024")
CYCLE = "casablanca-2024-cycle-1"


@pytest.fixture
def demo(db):
    call_command("load_content", demo=True, verbosity=0)


def sign_in(page, account, lang="fr"):
    page.goto(f"/{lang}/accounts/login/")
    page.fill("input[name=username]", account[0])
    page.fill("input[name=password]", account[1])
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_no_horizontal_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} overflows by {overflow}px"


def test_coordinator_takes_attendance_on_a_tablet_in_arabic(new_page, demo):
    page = new_page(width=820, height=1180, has_touch=True, is_mobile=True)
    sign_in(page, COORDINATOR)
    page.locator(".lang-buttons button[value=ar]").click()
    page.wait_for_url("**/ar/**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(f"/ar/cycles/{CYCLE}/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert_no_horizontal_overflow(page)
    page.locator("a", has_text="ورقة الحضور").first.click()
    page.wait_for_url("**/attendance/")
    assert_no_horizontal_overflow(page)

    first = page.locator(".attendee").first
    participant_id = int(first.get_attribute("data-participant"))
    late = first.locator("button.late")
    late.tap()
    page.wait_for_function(
        "el => el.getAttribute('aria-pressed') === 'true'", arg=late.element_handle()
    )
    session_id = int(page.url.rstrip("/").split("/")[-2])
    assert (
        Attendance.objects.get(session_id=session_id, participant_id=participant_id).status
        == "late"
    )

    page.reload()
    assert page.locator(f"#p{participant_id} button.late").get_attribute("aria-pressed") == "true"
    assert (
        page.locator(f"#p{participant_id} button.present").get_attribute("aria-pressed") == "false"
    )


def test_participant_signs_in_and_reads_a_module(new_page, demo):
    page = new_page(width=390, height=844, is_mobile=True)
    sign_in(page, PARTICIPANT)
    page.wait_for_url("**/fr/me/")
    assert page.locator("h1").inner_text().startswith("Bienvenue")
    page.locator("a", has_text="La loi n° 103-13").first.click()
    page.wait_for_url("**/modules/**")
    content = page.locator("#module-content")
    assert content.locator("h2").count() >= 2
    assert len(content.inner_text().split()) > 300
    assert_no_horizontal_overflow(page)

    page.goto(page.url.replace("/fr/", "/ar/"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "القانون" in page.locator("h1").inner_text()
    assert_no_horizontal_overflow(page)


def test_coordinator_imports_a_csv_with_errors_fixes_it_and_imports(new_page, demo, tmp_path):
    header = "email;first_name;last_name;first_name_ar;last_name_ar;gender;function;court;region;phone;preferred_language"
    broken = tmp_path / "participants.csv"
    broken.write_bytes(
        (
            header + "\r\n"
            "khadija.amrani@justice.test;Khadija;Amrani;خديجة;العمراني;F;Juge;TPI de Rabat;Rabat-Salé-Kénitra;;fr\r\n"
            "youssef.naciri@justice.test;Youssef;;يوسف;الناصري;M;astronaute;;;;\r\n"
        ).encode("utf-8-sig")
    )
    page = new_page()
    sign_in(page, COORDINATOR)
    page.goto(f"/fr/cycles/{CYCLE}/participants/import/")
    page.set_input_files("input[type=file]", str(broken))
    page.locator("main button[type=submit]").click()
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 2
    rows = errors.all_inner_texts()
    assert all(r.split()[0] == "3" for r in rows)
    # Columns named as the reader reads them, never by their internal codes.
    assert any("\tNom\t" in r for r in rows) and any("\tFonction\t" in r for r in rows)
    assert not any("last_name" in r or "function" in r for r in rows)
    assert page.locator("#confirm-import").count() == 0
    assert not Enrolment.objects.filter(participant__email="khadija.amrani@justice.test").exists()

    fixed = tmp_path / "participants-fixed.csv"
    fixed.write_bytes(
        broken.read_bytes()
        .replace(b"Youssef;;", b"Youssef;Naciri;")
        .replace(b"astronaute", b"procureur")
    )
    page.locator("a", has_text="Envoyer le fichier corrigé").click()
    page.set_input_files("input[type=file]", str(fixed))
    page.locator("main button[type=submit]").click()
    page.locator("#confirm-import").click()
    page.wait_for_url("**/participants/")
    assert "Naciri" in page.locator("table").inner_text()
    assert Enrolment.objects.filter(
        cycle__slug=CYCLE, participant__email="youssef.naciri@justice.test"
    ).exists()
    assert (
        Enrolment.objects.get(
            participant__email="khadija.amrani@justice.test"
        ).participant.last_name_ar
        == "العمراني"
    )

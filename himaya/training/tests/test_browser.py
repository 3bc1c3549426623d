"""Main journeys in a real Chromium, in French and Arabic (right-to-left)."""

import datetime

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.utils import timezone

from himaya.accounts.models import User
from himaya.training import services
from himaya.training import views as training_views
from himaya.training.models import Attendance, Cycle, CycleStatus, Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = ("coordination@amj.himaya.test", "himaya-demo-2024")
PARTICIPANT = ("fatimazahra.elidrissi@justice.himaya.test", "himaya-demo-2024")
CYCLE = "casablanca-2024-cycle-1"
TRAINER = ("souad.berrada@trainers.himaya.test", "himaya-demo-2024")
TODAY_CYCLE = "casablanca-today"


@pytest.fixture
def demo(db):
    call_command("load_content", demo=True, verbosity=0)


@pytest.fixture
def todays_session(demo):
    """A running cycle of the demo's programme with a session today, taught by the demo trainer
    and followed by four demo participants (the demo's own cycles are closed: their attendance
    is locked)."""
    past = Cycle.objects.select_related("programme").get(slug=CYCLE)
    today = timezone.localdate()
    cycle = services.create_cycle(
        programme=past.programme,
        slug=TODAY_CYCLE,
        data={
            "number": 99,
            "title_fr": "Cycle du jour",
            "title_ar": "دورة اليوم",
            "title_en": "Today's cycle",
            "start_date": today,
            "end_date": today + datetime.timedelta(days=1),
            "city_fr": "Casablanca",
            "city_ar": "الدار البيضاء",
            "city_en": "Casablanca",
            "capacity": 30,
            "status": CycleStatus.RUNNING,
        },
        actor=None,
    )
    session = services.create_session(
        cycle=cycle,
        key="today-1",
        data={
            "date": today,
            "start_time": datetime.time(9),
            "end_time": datetime.time(10, 30),
            "room": "Salle A",
            "title_fr": "Le cadre juridique",
            "title_ar": "الإطار القانوني",
            "title_en": "The legal framework",
            "trainers": [User.objects.get(email=TRAINER[0])],
        },
        actor=None,
    )
    for enrolment in Enrolment.objects.filter(cycle=past).select_related("participant")[:4]:
        services.enrol(cycle=cycle, participant=enrolment.participant, actor=None)
    return session


def sign_in(page, account, lang="fr"):
    page.goto(f"/{lang}/accounts/login/")
    page.fill("input[name=username]", account[0])
    page.fill("input[name=password]", account[1])
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_no_horizontal_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} overflows by {overflow}px"


def test_coordinator_takes_attendance_on_a_tablet_in_arabic(new_page, todays_session):
    page = new_page(width=820, height=1180, has_touch=True, is_mobile=True)
    sign_in(page, COORDINATOR)
    page.locator(".lang-buttons button[value=ar]").click()
    page.wait_for_url("**/ar/**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(f"/ar/cycles/{TODAY_CYCLE}/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert_no_horizontal_overflow(page)
    page.locator("a", has_text="ورقة الحضور").first.click()
    page.wait_for_url("**/attendance/")
    assert_no_horizontal_overflow(page)

    first = page.locator(".attendee").first
    participant_id = int(first.get_attribute("data-participant"))
    late = first.locator("button.late")
    late.tap()
    # Pressed at once; saved once the server has answered.
    page.wait_for_function("el => el.dataset.state === 'saved'", arg=first.element_handle())
    assert late.get_attribute("aria-pressed") == "true"
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

    # The arrow keys move within a row, mirrored right-to-left: in Arabic the left arrow goes
    # on to the next button (on the left of the screen).
    page.locator(f"#p{participant_id} button.late").focus()
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.className") == "excused"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.className") == "present"

    # A closed cycle's sheet is read-only, with its note.
    page.goto(
        page.url.replace(
            str(session_id),
            str(Attendance.objects.filter(session__cycle__slug=CYCLE).first().session_id),
        )
    )
    assert page.locator("#attendance-locked").is_visible()
    assert page.locator(".attendee button:not([disabled])").count() == 0


def test_trainer_takes_attendance_on_a_phone_without_the_network(
    new_page, todays_session, monkeypatch
):
    """A trainer on a phone, in French: the network drops, taps are kept and shown as waiting,
    the page is reloaded without the network and still shows them, the network returns and
    they reach the database, the last tap for a person winning."""
    page = new_page(width=390, height=844, has_touch=True, is_mobile=True)
    context = page.context
    sign_in(page, TRAINER)
    page.goto("/fr/trainer/")
    today = page.locator("#today")
    today.locator("a.take-attendance").click()
    page.wait_for_url("**/attendance/")
    assert_no_horizontal_overflow(page)
    # The sheet is kept for a reload without the network.
    page.wait_for_selector(".attendance-list[data-offline-ready=true]")

    rows = page.locator(".attendee")
    first, second = rows.nth(0), rows.nth(1)
    first_id = int(first.get_attribute("data-participant"))
    second_id = int(second.get_attribute("data-participant"))

    # Chromium's offline emulation can miss a request made right after a reload served by the
    # service worker, and a page controlled by a service worker escapes Playwright's routes: while
    # the network is "cut", the server itself does not answer a tap either (503, as a proxy with
    # no way through would), so a tap that slips out is still not recorded.
    def no_network(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    record_tap = training_views._record_tap
    monkeypatch.setattr(training_views, "_record_tap", lambda *a: HttpResponse(status=503))
    context.set_offline(True)
    context.route("**/attendance/", no_network)
    first.locator("button.absent").tap()
    first.locator("button.present").tap()  # the last tap wins
    second.locator("button.late").tap()
    for row in (first, second):
        page.wait_for_function("el => el.dataset.state === 'waiting'", arg=row.element_handle())
        assert row.locator(".saved").inner_text() == "En attente du réseau"
    assert "Appuis en attente du réseau\u202f: 2" in page.locator("#attendance-queue").inner_text()
    assert not Attendance.objects.filter(session=todays_session).exists()

    # A change on the server meanwhile: the page reloaded without the network cannot know it.
    type(todays_session).objects.filter(pk=todays_session.pk).update(room="Salle B")
    response = page.reload()
    assert response.from_service_worker
    assert "Salle A" in page.locator(".lead").inner_text()
    first, second = page.locator(f"#p{first_id}"), page.locator(f"#p{second_id}")
    assert first.locator("button.present").get_attribute("aria-pressed") == "true"
    assert first.locator("button.absent").get_attribute("aria-pressed") == "false"
    assert second.locator("button.late").get_attribute("aria-pressed") == "true"
    assert first.get_attribute("data-state") == "waiting"
    assert "Failed to fetch" not in page.locator("main").inner_text()
    assert not Attendance.objects.filter(session=todays_session).exists()

    monkeypatch.setattr(training_views, "_record_tap", record_tap)
    context.unroute("**/attendance/", no_network)
    context.set_offline(False)
    for row in (first, second):
        page.wait_for_function("el => el.dataset.state === 'saved'", arg=row.element_handle())
        assert row.locator(".saved").inner_text().startswith("Enregistré à")
    records = dict(
        Attendance.objects.filter(session=todays_session).values_list("participant_id", "status")
    )
    assert records == {first_id: "present", second_id: "late"}
    page.wait_for_function("document.getElementById('attendance-queue').hidden")

    # Reloaded with the network: what the server holds, nothing left to send.
    page.reload()
    assert "Salle B" in page.locator(".lead").inner_text()
    assert page.locator(f"#p{first_id} button.present").get_attribute("aria-pressed") == "true"
    assert page.locator(f"#p{second_id}").get_attribute("data-state") == "saved"


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

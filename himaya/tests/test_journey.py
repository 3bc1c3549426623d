"""A whole cycle without the admin, in a real Chromium: the issue's "done when" journeys.

- A coordinator creates a cycle with its agenda, invites a trainer, imports participants,
  schedules the tests and surveys, opens the cycle, and after the sessions issues the
  certificates.
- An imported participant follows the invitation, sets a password, takes the pre-test, answers
  a survey found on their home page, and downloads their certificate.
- The trainer takes attendance on a phone, the second day with the network cut and back.

Twice: the coordinator in Arabic on a tablet and the participant in French on a phone, then
the coordinator in French on a phone and the participant in Arabic on a tablet.

The clock is moved (time-machine) between the acts: the server runs in this process, so it
sees the same time; the browser keeps its own clock, which the pages do not rely on."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from himaya.accounts.models import User
from himaya.training.models import Attendance, Cycle, CycleStatus, Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = ("coordination@amj.himaya.test", "himaya-demo-2024")
NEW_PASSWORD = "Un-mot-de-passe-solide-2027"
TZ = datetime.timezone(datetime.timedelta(hours=1))  # Africa/Casablanca in March 2027


def at(day, hour=9, minute=0):
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=TZ)


def sign_in(page, email, password, lang):
    page.goto(f"/{lang}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def no_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} overflows by {overflow}px"


def back_on(page, path, email, password):
    """Open a page; days later the session has expired (idle timeout), so sign in again."""
    page.goto(path)
    if "/accounts/login/" in page.url:
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", password)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto(path)


PARTICIPANT = "amina.tahiri@justice.test"


def add_session(page, *, title_fr, title_ar, day, start, end, trainer_email):
    page.fill("#id_title_fr", title_fr)
    page.fill("#id_title_ar", title_ar)
    page.fill("#id_date", day)
    page.fill("#id_start_time", start)
    page.fill("#id_end_time", end)
    page.fill("#id_room", "Salle 2")
    page.locator("fieldset.choices label", has_text=trainer_email).click()
    page.locator("#add-session-button").click()
    page.wait_for_selector(".message.success")


@pytest.fixture
def demo(db):
    call_command("load_content", demo=True, verbosity=0)


TABLET = {"width": 820, "height": 1180, "has_touch": True, "is_mobile": True}
PHONE = {"width": 390, "height": 844, "has_touch": True, "is_mobile": True}


@pytest.mark.parametrize(
    "coordinator_lang,coordinator_device,participant_lang,participant_device",
    [("ar", TABLET, "fr", PHONE), ("fr", PHONE, "ar", TABLET)],
    ids=[
        "coordinator-ar-tablet+participant-fr-phone",
        "coordinator-fr-phone+participant-ar-tablet",
    ],
)
def test_a_cycle_from_creation_to_certificates_without_the_admin(
    new_page,
    demo,
    tmp_path,
    coordinator_lang,
    coordinator_device,
    participant_lang,
    participant_device,
):
    traveller = time_machine.travel(at(1), tick=True)
    clock = traveller.start()
    try:
        coordinator = new_page(**coordinator_device)
        cycle = _coordinator_prepares_the_cycle(coordinator, tmp_path, coordinator_lang)
        _coordinator_schedules_the_tests_and_surveys(coordinator, cycle, coordinator_lang)
        participant = new_page(**participant_device)
        _participant_follows_the_invitation(participant, cycle, participant_lang)
        clock.move_to(at(5, 10))
        _participant_takes_the_pre_test(participant, participant_lang)
        clock.move_to(at(10, 9, 15))
        _trainer_takes_attendance(new_page, cycle, day=0)
        clock.move_to(at(11, 9, 15))
        _trainer_takes_attendance(new_page, cycle, day=1)
        clock.move_to(at(12, 10))
        _participant_answers_the_survey_and_the_post_test(participant, participant_lang)
        clock.move_to(at(26, 10))
        _coordinator_issues_the_certificates(coordinator, cycle, coordinator_lang)
        _participant_downloads_the_certificate(participant, participant_lang)
    finally:
        traveller.stop()


def _coordinator_prepares_the_cycle(page, tmp_path, lang):
    sign_in(page, *COORDINATOR, lang)
    page.goto(f"/{lang}/dashboard/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.locator("main a[href$='/new-cycle/']").first.click()
    page.wait_for_url("**/new-cycle/")
    page.fill("#id_title_fr", "Cycle de Marrakech 2027")
    page.fill("#id_title_ar", "دورة مراكش 2027")
    page.fill("#id_city_fr", "Marrakech")
    page.fill("#id_city_ar", "مراكش")
    page.fill("#id_start_date", "2027-03-10")
    page.fill("#id_end_date", "2027-03-11")
    page.fill("#id_capacity", "20")
    assert page.locator("#id_slug").get_attribute("placeholder") == "cycle-de-marrakech-2027"
    no_overflow(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/cycles/cycle-de-marrakech-2027/agenda/")
    cycle = Cycle.objects.get(slug="cycle-de-marrakech-2027")
    assert cycle.status == CycleStatus.DRAFT

    # A trainer is invited first, so that they can be chosen for the sessions.
    page.goto(f"/{lang}/trainers/")
    page.fill("#id_email", "salma.formatrice@example.test")
    page.fill("#id_first_name", "Salma")
    page.fill("#id_last_name", "Bennani")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".message.success")
    assert mail.outbox[-1].to == ["salma.formatrice@example.test"]

    page.goto(f"/{lang}/cycles/{cycle.slug}/agenda/")
    add_session(
        page,
        title_fr="Cadre juridique national",
        title_ar="الإطار القانوني الوطني",
        day="2027-03-10",
        start="09:00",
        end="12:30",
        trainer_email="salma.formatrice@example.test",
    )
    add_session(
        page,
        title_fr="Outils pratiques",
        title_ar="الأدوات العملية",
        day="2027-03-11",
        start="09:00",
        end="12:30",
        trainer_email="salma.formatrice@example.test",
    )
    assert cycle.sessions.count() == 2
    assert page.locator(".slot").count() == 2
    no_overflow(page)

    # Participants come from a spreadsheet.
    csv = tmp_path / "participants.csv"
    csv.write_bytes(
        (
            "email;first_name;last_name;first_name_ar;last_name_ar;gender;function;court\r\n"
            "amina.tahiri@justice.test;Amina;Tahiri;أمينة;الطاهري;F;Juge;TPI de Marrakech\r\n"
            "omar.fassi@justice.test;Omar;Fassi;عمر;الفاسي;M;Procureur;TPI de Marrakech\r\n"
        ).encode("utf-8-sig")
    )
    page.goto(f"/{lang}/cycles/{cycle.slug}/participants/import/")
    page.set_input_files("input[type=file]", str(csv))
    page.locator("main button[type=submit]").click()
    page.locator("#confirm-import").click()
    page.wait_for_url("**/participants/")
    assert Enrolment.objects.filter(cycle=cycle).count() == 2
    # In a draft nobody is invited yet: the cycle is not shown to its participants.
    assert not [m for m in mail.outbox if "amina.tahiri@justice.test" in m.to]

    # Opening the cycle for enrolment sends the invitations.
    page.goto(f"/{lang}/cycles/{cycle.slug}/edit/")
    page.locator(".status-step button").first.click()
    page.wait_for_selector(".message.success")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    invitation = [m for m in mail.outbox if m.to == ["amina.tahiri@justice.test"]][-1]
    assert re.search(r"https?://\S+/accounts/welcome/\S+/", invitation.body)
    page.goto(f"/{lang}/cycles/{cycle.slug}/enrolments/")
    assert page.locator("table.enrolments tbody tr").count() == 2
    no_overflow(page)
    assert not Attendance.objects.filter(session__cycle=cycle).exists()
    assert User.objects.get(email="amina.tahiri@justice.test").invited_at is not None
    return cycle


def _participant_follows_the_invitation(page, cycle, lang):
    invitation = [m for m in mail.outbox if m.to == ["amina.tahiri@justice.test"]][-1]
    link = re.search(r"https?://[^/\s]+(/\S+/accounts/welcome/\S+/)", invitation.body).group(1)
    page.goto(re.sub(r"^/(fr|ar|en)/", f"/{lang}/", link))
    # The page names whose account it is, in the reader's script.
    assert {"fr": "Amina", "ar": "أمينة"}[lang] in page.locator("main").inner_text()
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/welcome/" not in url)
    no_overflow(page)
    assert User.objects.get(email="amina.tahiri@justice.test").has_usable_password()
    page.goto(f"/{lang}/me/")
    assert getattr(cycle, f"title_{lang}") in page.locator("main").inner_text()
    return page


def _coordinator_schedules_the_tests_and_surveys(page, cycle, lang):
    page.goto(f"/{lang}/cycles/{cycle.slug}/")
    page.locator("#manage-tests").click()
    page.wait_for_url("**/assessments/tests/")
    # A pre-test that would overlap the first session is refused, with what was typed kept.
    page.goto(f"/{lang}/cycles/{cycle.slug}/assessments/tests/pre/")
    page.fill("#id_opens_at", "2027-03-02T09:00")
    page.fill("#id_closes_at", "2027-03-10T10:00")
    page.locator("main form button[type=submit]").click()
    assert page.locator(".errorlist").count() >= 1
    assert page.locator("#id_opens_at").input_value() == "2027-03-02T09:00"
    page.fill("#id_closes_at", "2027-03-09T18:00")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/assessments/tests/")
    page.goto(f"/{lang}/cycles/{cycle.slug}/assessments/tests/post/")
    page.fill("#id_opens_at", "2027-03-11T13:00")
    page.fill("#id_closes_at", "2027-03-25T18:00")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/assessments/tests/")
    assert cycle.tests.count() == 2
    no_overflow(page)

    page.goto(f"/{lang}/cycles/{cycle.slug}/assessments/surveys/new/")
    page.locator("#id_template").select_option(index=1)  # the cycle survey template
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/assessments/surveys/")
    assert cycle.surveys.count() == 1
    no_overflow(page)


def _participant_takes_the_pre_test(page, lang):
    back_on(page, f"/{lang}/me/", PARTICIPANT, NEW_PASSWORD)
    item = page.locator("#my-assessments .assessment-item[data-status=to_do]").first
    item.locator("a.button").click()
    page.locator("#start-test").click()
    page.wait_for_selector("#test-paper")
    blocks = page.locator("#test-paper [data-question]")
    for i in range(3):
        blocks.nth(i).locator("input").first.check()
    page.locator("#save-state[data-state=saved]").wait_for()
    page.locator("#submit-test").click()
    dialog = page.locator("#submit-confirm[role=alertdialog]")
    dialog.wait_for()
    of = {"fr": "des", "ar": "من أصل"}[lang]
    assert f"{blocks.count() - 3} {of} {blocks.count()}" in dialog.inner_text()
    page.locator("#confirm-submit").click()
    page.wait_for_url("**/attempts/**")
    no_overflow(page)


def _trainer_takes_attendance(new_page, cycle, *, day):
    """The first day online; the second with the network cut, then back."""
    session = cycle.sessions.order_by("date")[day]
    trainer = User.objects.get(email="salma.formatrice@example.test")
    if not trainer.has_usable_password():
        trainer.set_password(NEW_PASSWORD)  # she followed her invitation as Amina did
        trainer.save()
    page = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    context = page.context
    sign_in(page, trainer.email, NEW_PASSWORD, "fr")
    page.goto("/fr/trainer/")
    page.locator("#today a.take-attendance").click()
    page.wait_for_url(f"**/sessions/{session.pk}/attendance/")
    page.wait_for_selector(".attendance-list[data-offline-ready=true]")
    amina = User.objects.get(email=PARTICIPANT)
    row = page.locator(f"#p{amina.pk}")
    offline = day == 1

    def no_network(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    if offline:
        context.set_offline(True)
        context.route("**/attendance/", no_network)
    row.locator("button.present").tap()
    if offline:
        page.wait_for_function("el => el.dataset.state === 'waiting'", arg=row.element_handle())
        assert not Attendance.objects.filter(session=session).exists()
        context.unroute("**/attendance/", no_network)
        context.set_offline(False)
    page.wait_for_function("el => el.dataset.state === 'saved'", arg=row.element_handle())
    assert Attendance.objects.get(session=session, participant=amina).status == "present"
    no_overflow(page)
    context.close()


def _participant_answers_the_survey_and_the_post_test(page, lang):
    back_on(page, f"/{lang}/me/", PARTICIPANT, NEW_PASSWORD)
    page.locator("#my-assessments [data-status=to_do] a[href*='/surveys/']").first.click()
    page.wait_for_url("**/surveys/**")
    for group in page.locator(".likert").all():
        group.locator("input[value='4']").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".message.success")
    page.goto(f"/{lang}/me/")
    page.locator("#my-assessments [data-status=to_do] a[href*='/tests/']").first.click()
    page.locator("#start-test").click()
    page.wait_for_selector("#test-paper")
    blocks = page.locator("#test-paper [data-question]")
    for i in range(blocks.count()):
        blocks.nth(i).locator("input").first.check()
    page.locator("#save-state[data-state=saved]").wait_for()
    page.locator("#submit-test").click()
    page.locator("#confirm-submit").click()
    page.wait_for_url("**/attempts/**")


def _coordinator_issues_the_certificates(page, cycle, lang):
    back_on(page, f"/{lang}/cycles/{cycle.slug}/certificates/", *COORDINATOR)
    page.locator("#issue-certificates").click()
    page.wait_for_url(lambda url: "/jobs/" in url or "/certificates/" in url)
    from himaya.certificates.models import Certificate

    certificates = Certificate.objects.filter(cycle=cycle)
    assert [c.participant.email for c in certificates] == ["amina.tahiri@justice.test"]
    no_overflow(page)


def _participant_downloads_the_certificate(page, lang):
    back_on(page, f"/{lang}/me/", PARTICIPANT, NEW_PASSWORD)
    link = page.locator("main a[href$='.pdf']", has_text="PDF").first
    href = link.get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:4] == b"%PDF"

"""In Arabic on a tablet: a judge assesses a file (unknown answers, an override with its
reason, measures), prints it and finds the reassessment due a month later; a trainer runs a
vignette with six participants and reads the agreement figures."""

import datetime

import pytest
import time_machine

from himaya.accounts.choices import Role
from himaya.tests.test_accessibility import serious_violations
from himaya.tools import services
from himaya.tools.models import Assessment, SessionTool
from himaya.training.tests.factories import EnrolmentFactory, SessionFactory, UserFactory

from .helpers import a_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TZ = datetime.timezone(datetime.timedelta(hours=1))
TABLET = {"width": 820, "height": 1180, "has_touch": True, "is_mobile": True}
PASSWORD = "Mot-de-passe-du-juge-2027"


def sign_in(page, email, lang="ar"):
    page.goto(f"/{lang}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def no_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} overflows by {overflow}px"


def person(role, email, **kw):
    user = UserFactory(role=role, email=email, **kw)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_judge_assesses_a_file_in_arabic_and_finds_it_due_a_month_later(
    new_page, tools_content, cycle
):
    judge = EnrolmentFactory(cycle=cycle, participant__email="qadia@justice.test").participant
    judge.set_password(PASSWORD)
    judge.save()
    traveller = time_machine.travel(datetime.datetime(2027, 3, 1, 9, tzinfo=TZ), tick=True)
    traveller.start()
    try:
        page = new_page(**TABLET, bypass_csp=True)  # axe is injected by the test
        sign_in(page, judge.email)
        page.goto("/ar/tools/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.locator("#start-assessment").click()
        # Screen 1: the file. One screen at a time.
        page.wait_for_selector(".aid-progress:not([hidden])")
        assert page.locator("[data-step]:visible").count() == 1
        page.fill("#id_label", "ملف الثلاثاء")
        page.select_option("#id_stage", "investigation")
        page.select_option("#id_offence", "ma-penal-code:404")
        page.select_option("#id_relationship", "spouse")
        page.check("#id_children")
        page.locator("[data-next]").click()
        # Red flags: two yes, one no, the rest left unknown.
        page.locator("label[for=f-strangulation-yes]").click()
        page.locator("label[for=f-threats_to_kill-yes]").click()
        page.locator("label[for=f-weapon_access-no]").click()
        no_overflow(page)
        for _ in range(5):  # history, perpetrator, vulnerability, children, sources
            page.locator("[data-next]").click()
        page.check("#src-victim_account")
        page.check("#src-police_record")
        page.locator("#to-summary").click()
        # The summary: red flags one by one, unknowns apart, the suggestion and its rule.
        assert page.locator(".red-flags li").count() == 2
        assert page.locator("#unknowns h3").first.is_visible()
        assert page.locator("#suggestion .level-high").is_visible()
        no_overflow(page)
        assert not serious_violations(page)
        # The judge raises the level: a reason is required.
        page.locator("label[for=lv-severe]").click()
        page.check("#m-no_contact_during_proceedings")
        page.fill("#id_proportionality", "منع الاتصال إلى حين البت، لخطورة الخنق والتهديد بالقتل.")
        page.locator("#save-assessment").click()
        assert page.locator("#err-level-reason").is_visible()
        assert page.locator("#lv-severe").is_checked()
        assert page.locator("#m-no_contact_during_proceedings").is_checked()
        page.fill("#id_level_reason", "تكرار التهديد أمام الأطفال.")
        page.locator("#save-assessment").click()
        page.wait_for_selector("#due-line")
        assessment = Assessment.objects.get()
        assert assessment.payload["rounds"][0]["level"] == "severe"
        assert assessment.payload["rounds"][0]["suggested"] == "high"
        assert page.locator(".level-set").inner_text().strip()
        # The printable summary, in Arabic.
        with page.expect_download() as download:
            page.locator("#pdf-ar").click()
        with open(download.value.path(), "rb") as handle:
            assert handle.read(4) == b"%PDF"
        no_overflow(page)
    finally:
        traveller.stop()
    # A month later the reassessment is due on the tools' home and on her training home.
    traveller = time_machine.travel(datetime.datetime(2027, 4, 1, 9, tzinfo=TZ), tick=True)
    traveller.start()
    try:
        page.goto("/ar/tools/")
        if not page.locator("#due-now").count():
            sign_in(page, judge.email)
            page.goto("/ar/tools/")
        assert page.locator("#due-now").is_visible()
        page.goto("/ar/me/")
        assert page.locator("#tools-panel a[href$='/tools/records/']").is_visible()
        page.goto("/ar/tools/records/")
        assert page.locator(".badge.due").count() == 1
    finally:
        traveller.stop()


def test_a_trainer_runs_a_vignette_with_six_participants_in_arabic(new_page, tools_content, cycle):
    trainer = person(Role.TRAINER, "moderatrice@trainers.test", function="")
    session = SessionFactory(cycle=cycle)
    session.trainers.add(trainer)
    participants = []
    for i in range(6):
        p = EnrolmentFactory(cycle=cycle, participant__email=f"juge{i}@justice.test").participant
        p.set_password(PASSWORD)
        p.save()
        participants.append(p)
    page = new_page(**TABLET, bypass_csp=True)
    sign_in(page, trainer.email)
    page.goto(f"/ar/tools/practice/{cycle.slug}/")
    page.select_option("#id_item", "vignette:strangulation-spouse")
    page.locator("#add-tool button[type=submit]").click()
    page.wait_for_selector(".message.success")
    page.locator("button[value=open]").click()
    page.wait_for_selector(".message.success")
    tool = SessionTool.objects.get()
    assert tool.is_open
    # One participant answers in the browser, in Arabic; five more as the service records them.
    judge = new_page(**TABLET)
    sign_in(judge, participants[0].email)
    judge.goto(f"/ar/tools/practice/{cycle.slug}/")
    judge.locator(f"#tool-{tool.pk} a.button").click()
    judge.wait_for_selector(".aid-progress:not([hidden])")
    assert judge.locator(".vignette-text").is_visible()
    judge.locator("[data-next]").click()
    judge.locator("label[for=f-strangulation-yes]").click()
    for _ in range(5):
        judge.locator("[data-next]").click()
    judge.check("#src-victim_account")
    judge.locator("#to-summary").click()
    judge.locator("label[for=lv-high]").click()
    judge.fill("#id_proportionality", "منع الاتصال متناسب مع الخطر.")
    judge.locator("#save-assessment").click()
    judge.wait_for_selector(".message.success")
    case = services.vignette_case(
        {
            "context": {
                "stage": "investigation",
                "offence": "ma-penal-code:404",
                "relationship": "spouse",
                "children": True,
                "victim_request": False,
            }
        }
    )
    for p in participants[1:]:
        services.answer_exercise(participant=p, tool=tool, round_=a_round(case=case))
    page.goto(f"/ar/tools/exercises/{tool.pk}/results/")
    assert "6" in page.locator("#answer-count").inner_text()
    factors = page.locator("#kappa-factors .num").inner_text()
    level = page.locator("#kappa-level .num").inner_text()
    assert factors != "–" and level.replace("٫", ",") in ("1,00", "1.00", "١٫٠٠")
    assert page.locator("#factor-table tbody tr").count() >= 20
    no_overflow(page)
    assert not serious_violations(page)

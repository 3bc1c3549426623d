"""axe-core on every main page, in French and Arabic: no serious or critical violation.

One long journey per role (signing in once), so the suite loads the demo once and opens few
browser contexts. axe-core comes from the axe-playwright-python package (its bundled
axe.min.js), injected into each page."""

from pathlib import Path

import axe_playwright_python
import pytest
from django.core.management import call_command

from himaya.assessments.models import Survey, Test
from himaya.training.models import Cycle, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
PASSWORD = "himaya-demo-2024"
CYCLE = "casablanca-2024-cycle-1"
TRAINER = "souad.berrada@trainers.himaya.test"


def sign_in(page, email, lang):
    page.goto(f"/{lang}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def audit(page, paths, lang):
    found = {}
    for path in paths:
        # The verification pages are outside the language prefix (printed on certificates).
        response = page.goto(path if path.startswith("/verify/") else f"/{lang}{path}")
        assert response.status < 400, f"{path}: {response.status}"
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    return found


def pages_for(role):
    cycle = Cycle.objects.get(slug=CYCLE)
    session = Session.objects.filter(cycle=cycle, attendance_expected=True).first()
    test = Test.objects.filter(cycle=cycle).first()
    survey = Survey.objects.filter(cycle=cycle).first()
    from himaya.casestudies.models import Case
    from himaya.tools.models import Assessment, SessionTool

    exercise = SessionTool.objects.filter(session__cycle=cycle, kind="vignette").first()
    tools = [f"/tools/practice/{CYCLE}/", f"/tools/exercises/{exercise.pk}/results/"]
    public = [
        "/",
        "/benchbook/",
        "/benchbook/matrix/",
        "/benchbook/concepts/",
        "/verify/",
        "/tools/",
        "/tools/measures/?stage=sentencing&offence=ma-penal-code:404&relationship=spouse&children=1",
        "/tools/checklists/",
        "/tools/checklists/first-hearing/",
    ]
    if role == "coordinator":
        return [
            "/dashboard/",
            f"/cycles/{CYCLE}/",
            f"/cycles/{CYCLE}/edit/",
            f"/cycles/{CYCLE}/agenda/",
            f"/cycles/{CYCLE}/enrolments/",
            f"/cycles/{CYCLE}/participants/",
            f"/cycles/{CYCLE}/participants/import/",
            f"/cycles/{CYCLE}/duplicate/",
            f"/sessions/{session.pk}/edit/",
            f"/sessions/{session.pk}/attendance/",
            f"/cycles/{CYCLE}/results/",
            f"/cycles/{CYCLE}/surveys/",
            f"/surveys/{survey.pk}/results/",
            f"/cycles/{CYCLE}/certificates/",
            f"/cycles/{CYCLE}/report/",
            f"/cycles/{CYCLE}/assessments/tests/",
            f"/cycles/{CYCLE}/assessments/tests/post/",
            f"/cycles/{CYCLE}/assessments/surveys/",
            f"/cycles/{CYCLE}/assessments/surveys/new/",
            f"/cycles/{CYCLE}/certificates/rule/",
            "/new-cycle/",
            "/trainers/",
            "/me/profile/",
            "/tools/figures/",
            *tools,
            "/cases/",
            "/cases/upload/",
            "/cases/documents/",
        ]
    if role == "participant":
        return [
            "/me/",
            "/me/profile/",
            f"/cycles/{CYCLE}/",
            f"/cycles/{CYCLE}/tests/",
            f"/tests/{test.pk}/",
            f"/surveys/{survey.pk}/",
            f"/cycles/{CYCLE}/surveys/",
            "/tools/",
            "/tools/risk/new/",
            "/tools/records/",
            f"/tools/risk/{Assessment.objects.first().pk}/",
            f"/tools/practice/{CYCLE}/",
            "/tools/checklists/urgent-protection/use/",
            "/cases/",
            f"/cases/c/{Case.objects.first().key}/",
        ]
    if role == "trainer":
        taught = Session.objects.filter(cycle=cycle, trainers__email=TRAINER).first()
        return ["/trainer/", f"/sessions/{taught.pk}/attendance/", f"/cycles/{CYCLE}/", *tools]
    return public


@pytest.fixture
def demo(db):
    call_command("load_content", demo=True, verbosity=0)


@pytest.mark.parametrize(
    "role,email,lang,viewport",
    [
        ("public", None, "ar", (390, 844)),
        ("coordinator", "coordination@amj.himaya.test", "ar", (820, 1180)),
        ("coordinator", "coordination@amj.himaya.test", "fr", (1280, 900)),
        ("participant", "fatimazahra.elidrissi@justice.himaya.test", "fr", (390, 844)),
        ("participant", "fatimazahra.elidrissi@justice.himaya.test", "ar", (820, 1180)),
        ("trainer", TRAINER, "fr", (390, 844)),
    ],
)
def test_main_pages_have_no_serious_accessibility_violation(
    new_page, demo, role, email, lang, viewport
):
    # axe is injected by the test, not served by Himaya: the page's CSP would refuse it.
    page = new_page(width=viewport[0], height=viewport[1], bypass_csp=True)
    if email:
        sign_in(page, email, lang)
    found = audit(page, pages_for(role), lang)
    assert not found, "\n".join(f"{path}: {problems}" for path, problems in found.items())

"""The tools' pages as a judge, a trainer and a coordinator use them (test client)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from himaya.core.models import AuditEntry
from himaya.tools import services
from himaya.tools.models import (
    Assessment,
    PracticeAnswer,
    PracticeCompletion,
    SessionTool,
    UsageCount,
)

from .helpers import a_round, aid_post

pytestmark = pytest.mark.django_db


def test_public_pages_in_three_languages(client, tools_content):
    for lang, direction in (("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")):
        for path in (
            "/tools/",
            "/tools/measures/",
            "/tools/checklists/",
            "/tools/checklists/first-hearing/",
        ):
            response = client.get(f"/{lang}{path}")
            assert response.status_code == 200, path
            assert f'dir="{direction}"' in response.content.decode()
    page = client.get(
        "/ar/tools/measures/?stage=sentencing&offence=ma-penal-code:404&relationship=spouse"
    ).content.decode()
    assert 'data-warning="reconciliation_ends_ban"' in page
    assert 'id="comparative"' in page
    bad = client.get("/fr/tools/measures/?stage=appeal&offence=x&relationship=spouse")
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()


def test_private_pages_need_sign_in(client, tools_content):
    response = client.get("/fr/tools/risk/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_judge_assesses_a_file_overrides_the_level_and_prints_it(
    client, tools_content, participant
):
    client.force_login(participant)
    assert client.get("/fr/tools/risk/new/").status_code == 200
    # Step one without a label: the error, and every answer kept.
    response = client.post("/fr/tools/risk/new/", aid_post(label="", yes=["strangulation"]))
    page = response.content.decode()
    assert "aria-invalid" in page
    assert 'value="yes" id="f-strangulation-yes" checked' in page
    # The summary: red flag, unknowns apart, suggestion and its rule.
    post = aid_post(
        yes=["strangulation", "threats_to_kill"], no=["weapon_access"], src=["victim_account"]
    )
    page = client.post("/fr/tools/risk/new/", post).content.decode()
    assert "level-high" in page
    assert 'id="unknowns"' in page
    assert "autonom" in page.lower()  # the warning: the victim's account is the only source
    # A different level without a reason: refused, the choices kept.
    post.update(
        phase="save",
        level="severe",
        measure=["no_contact_during_proceedings"],
        proportionality="Interdiction de contact jusqu’au jugement.",
    )
    page = client.post("/fr/tools/risk/new/", post).content.decode()
    assert 'id="err-level-reason"' in page
    assert 'value="severe" id="lv-severe" checked' in page
    assert Assessment.objects.count() == 0
    post["level_reason"] = "Menaces répétées devant les enfants."
    response = client.post("/fr/tools/risk/new/", post)
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("tools:assessment", args=[assessment.pk])
    stored = assessment.payload["rounds"][0]
    assert stored["suggested"] == "high" and stored["level"] == "severe"
    assert stored["answers"]["weapon_access"] == "no"
    assert stored["answers"]["pregnancy"] == "unknown"
    assert stored["measures"] == ["no_contact_during_proceedings"]
    assert assessment.due_on == assessment.first_assessed_on.replace() + dt.timedelta(
        days=(assessment.due_on - assessment.first_assessed_on).days
    )
    page = client.get(reverse("tools:assessment", args=[assessment.pk])).content.decode()
    assert "Dossier du mardi" in page and "Menaces répétées" in page
    for lang in ("fr", "ar"):
        pdf = client.get(reverse("tools:assessment_pdf", args=[assessment.pk]) + f"?lang={lang}")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Usage counted for the judge's partner: once, the level raised.
    assert UsageCount.objects.get(tool="risk_aid").level_change == "up"


def test_a_measure_not_available_at_the_stage_is_refused(client, tools_content, participant):
    client.force_login(participant)
    post = aid_post(
        phase="save", level="moderate", measure=["no_contact_after_conviction"], proportionality="x"
    )
    page = client.post("/fr/tools/risk/new/", post).content.decode()
    assert Assessment.objects.count() == 0
    assert "errorlist" in page


def test_reassessment_is_due_a_month_later_and_on_a_breach(client, tools_content, participant):
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC), tick=False):
        a = services.create_assessment(author=participant, label="Dossier X", round_=a_round())
    assert a.due_on == dt.date(2026, 4, 10)
    client.force_login(participant)
    with time_machine.travel(dt.datetime(2026, 4, 9, 10, tzinfo=dt.UTC), tick=False):
        client.force_login(participant)
        page = client.get("/fr/tools/").content.decode()
        assert 'id="due-now"' not in page and "due-notice" in page  # due within a week
    with time_machine.travel(dt.datetime(2026, 4, 10, 10, tzinfo=dt.UTC), tick=False):
        client.force_login(participant)  # a month later: the idle timeout signed her out
        assert 'id="due-now"' in client.get("/fr/tools/").content.decode()
        home = client.get(reverse("training:participant_home")).content.decode()
        assert 'id="tools-panel"' in home
        assert (
            reverse("tools:my_records") in home.split('id="tools-panel"')[1].split("</section>")[0]
        )
        page = client.get(reverse("tools:reassess", args=[a.pk])).content.decode()
        assert 'value="one_month" id="rr-one_month" checked' in page
        post = aid_post(
            phase="save",
            label="",
            round_reason="one_month",
            level="high",
            yes=["strangulation"],
            proportionality="Maintien.",
        )
        client.post(reverse("tools:reassess", args=[a.pk]), post)
    a.refresh_from_db()
    assert a.rounds == 2 and a.due_on == dt.date(2026, 6, 10)
    client.post(reverse("tools:assessment_incident", args=[a.pk]), {"kind": "breach"})
    a.refresh_from_db()
    assert a.due_on <= dt.date.today()


@pytest.fixture
def exercise(tools_content, session, trainer):
    return services.add_session_tool(
        actor=trainer, session=session, kind="vignette", key="strangulation-spouse"
    )


def test_a_trainer_runs_a_vignette_and_reads_the_agreement(
    client, exercise, trainer, enrol_many, cycle
):
    people = enrol_many(6)
    client.force_login(trainer)
    page = client.get(reverse("tools:cycle_practice", args=[cycle.slug])).content.decode()
    assert "strangulation" in page or exercise.key in page
    client.post(
        reverse("tools:cycle_practice", args=[cycle.slug]), {"action": "open", "tool": exercise.pk}
    )
    exercise.refresh_from_db()
    assert exercise.is_open
    yes_sets = [["strangulation", "threats_to_kill"]] * 4 + [["strangulation"]] * 2
    for person, yes in zip(people, yes_sets, strict=True):
        client.force_login(person)
        post = aid_post(
            phase="save",
            yes=yes,
            label="",
            level="high",
            measure=["no_contact_during_proceedings"],
            proportionality="Proportionné.",
        )
        response = client.post(reverse("tools:exercise_answer", args=[exercise.pk]), post)
        assert response.status_code == 302
    # Anonymous: answers have no link to people; who answered is apart.
    assert PracticeAnswer.objects.filter(exercise=exercise).count() == 6
    assert PracticeCompletion.objects.filter(exercise=exercise).count() == 6
    fields = {f.name for f in PracticeAnswer._meta.get_fields()}
    assert fields == {"id", "exercise", "data"}  # no person, no time
    assert all(set(a.data) >= {"answers", "level"} for a in PracticeAnswer.objects.all())
    # A second answer is refused.
    client.force_login(people[0])
    client.post(
        reverse("tools:exercise_answer", args=[exercise.pk]),
        aid_post(phase="save", label="", level="high", proportionality="x"),
    )
    assert PracticeAnswer.objects.filter(exercise=exercise).count() == 6
    # Participants cannot read the results; the trainer can.
    assert client.get(reverse("tools:exercise_results", args=[exercise.pk])).status_code == 403
    client.force_login(trainer)
    page = client.get(reverse("tools:exercise_results", args=[exercise.pk])).content.decode()
    assert 'id="kappa-factors"' in page and 'id="kappa-level"' in page
    # Every participant set "high": level kappa 1,00.
    assert "1,00" in page


def test_results_are_hidden_below_five_answers(client, exercise, trainer, enrol_many):
    people = enrol_many(4)
    services.set_exercise_open(actor=trainer, tool=exercise, is_open=True)
    for person in people:
        services.answer_exercise(
            participant=person,
            tool=exercise,
            round_=a_round(
                case=services.vignette_case(
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
            ),
        )
    client.force_login(trainer)
    page = client.get(reverse("tools:exercise_results", args=[exercise.pk])).content.decode()
    assert 'id="kappa-factors"' not in page


def test_only_the_cycles_trainers_and_coordinators_plan_tools(client, exercise, participant, cycle):
    client.force_login(participant)
    response = client.post(
        reverse("tools:cycle_practice", args=[cycle.slug]), {"action": "open", "tool": exercise.pk}
    )
    assert not SessionTool.objects.get(pk=exercise.pk).is_open
    assert response.status_code in (302, 403)


def test_coordinators_see_usage_without_small_groups(
    client, tools_content, coordinator, enrol_many
):
    people = enrol_many(6)
    for i, person in enumerate(people):
        level = "severe" if i < 5 else "moderate"
        services.create_assessment(
            author=person,
            label="x",
            round_=a_round(level=level, level_reason="r" if level != "high" else ""),
        )
    client.force_login(coordinator)
    page = client.get(reverse("tools:usage")).content.decode()
    assert 'id="usage-table"' in page
    assert ">6<" in page  # six uses of the aid this month
    assert "83 %" in page  # raised in 5 of 6
    for person in people:
        client.force_login(person)
        assert client.get(reverse("tools:usage")).status_code == 403
    assert AuditEntry.objects.filter(event="assessment.created").count() == 6


def test_bench_book_and_modules_link_to_the_tools_and_back(client, tools_content):
    from himaya.benchbook.tests.factories import small_corpus

    small_corpus()
    page = client.get("/fr/benchbook/p/ma-penal-code:88-1/").content.decode()
    assert 'id="tool-links"' in page and "/fr/tools/measures/" in page
    # And the selector links to that provision's page.
    page = client.get(
        "/fr/tools/measures/?stage=sentencing&offence=ma-penal-code:404&relationship=spouse"
    ).content.decode()
    assert "/fr/benchbook/p/ma-penal-code:88-1/" in page


def test_an_axis_three_module_links_to_the_tools(client, tools_content, participant, cycle):
    from himaya.training.tests.factories import AxisFactory, ModuleFactory

    module = ModuleFactory(
        key="risk-assessment-and-urgent-measures", axis=AxisFactory(programme=cycle.programme)
    )
    client.force_login(participant)
    page = client.get(reverse("training:module_detail", args=[module.key])).content.decode()
    assert 'id="tool-links"' in page and "/fr/tools/" in page


def test_a_judge_ticks_and_annotates_a_checklist_privately(
    client, tools_content, participant, coordinator
):
    from himaya.tools.models import ChecklistRecord

    client.force_login(participant)
    url = reverse("tools:checklist_new", args=["urgent-protection"])
    assert client.get(url).status_code == 200
    page = client.post(url, {"label": "", "tick": ["x"]}).content.decode()
    assert 'id="err-label"' in page
    response = client.post(url, {"label": "Dossier 12", "tick": ["no_contact_ban"]})
    record = ChecklistRecord.objects.get()
    assert response["Location"] == reverse("tools:checklist_record", args=[record.pk])
    assert record.payload["label"] == "Dossier 12"
    pdf = client.get(reverse("tools:checklist_record", args=[record.pk]) + "?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    client.force_login(coordinator)
    assert client.get(reverse("tools:checklist_record", args=[record.pk])).status_code == 403


def test_the_cycle_agenda_shows_the_sessions_vignettes_and_checklists(
    client, exercise, trainer, session, cycle, coordinator
):
    services.add_session_tool(actor=trainer, session=session, kind="checklist", key="trial")
    client.force_login(coordinator)
    page = client.get(reverse("training:cycle_detail", args=[cycle.slug])).content.decode()
    assert "session-items" in page
    assert reverse("tools:checklist", args=["trial"]) in page
    assert f"#tool-{exercise.pk}" in page
    assert 'id="cycle-practice"' in page


def test_an_exercise_with_answers_cannot_be_removed(client, exercise, trainer, participant, cycle):
    services.set_exercise_open(actor=trainer, tool=exercise, is_open=True)
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
    services.answer_exercise(participant=participant, tool=exercise, round_=a_round(case=case))
    client.force_login(trainer)
    client.post(
        reverse("tools:cycle_practice", args=[cycle.slug]),
        {"action": "remove", "tool": exercise.pk},
    )
    assert SessionTool.objects.filter(pk=exercise.pk).exists()
    assert PracticeAnswer.objects.filter(exercise=exercise).count() == 1

"""The coordinators' screens for tests and surveys: rights, forms that keep what was typed, the
cycle page's links."""

import datetime

import pytest
import time_machine

from himaya.accounts.choices import Role
from himaya.assessments.models import Phase, Survey, Test
from himaya.assessments.tests.factories import at
from himaya.core.models import AuditEntry
from himaya.testing import url
from himaya.training.tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2024, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def pages(cycle, survey=None):
    get = [
        url("assessments:manage_tests", cycle.slug),
        url("assessments:schedule_test", cycle.slug, "pre"),
        url("assessments:manage_surveys", cycle.slug),
        url("assessments:create_survey", cycle.slug),
    ]
    if survey:
        get.append(url("assessments:edit_survey", survey.pk))
    return get


@pytest.fixture
def survey(cycle, agenda, templates, coordinator):
    from himaya.assessments import services

    return services.create_survey(cycle=cycle, template=templates["cycle"], actor=coordinator)


@pytest.mark.parametrize("who", ["other_coordinator", "trainer", "participant", "anonymous"])
def test_only_the_cycles_coordinators_open_the_screens(
    client, cycle, survey, who, trainer, participant
):
    users = {
        "other_coordinator": UserFactory(
            role=Role.COORDINATOR, partner=PartnerFactory(), is_staff=True
        ),
        "trainer": trainer,
        "participant": participant,
    }
    if who != "anonymous":
        client.force_login(users[who])
    expected = 302 if who == "anonymous" else 403
    for path in pages(cycle, survey):
        assert client.get(path).status_code == expected, path
    for path in (
        url("assessments:schedule_test", cycle.slug, "pre"),
        url("assessments:close_survey", survey.pk),
        url("assessments:delete_survey", survey.pk),
        url("assessments:create_survey", cycle.slug),
    ):
        assert client.post(path, {}).status_code == expected, path
    assert Survey.objects.filter(pk=survey.pk).exists()
    assert not Test.objects.exists()


def test_the_coordinator_opens_every_screen_in_three_languages(client, cycle, survey, coordinator):
    client.force_login(coordinator)
    for lang in ("fr", "ar", "en"):
        for path in pages(cycle, survey):
            path = path.replace("/fr/", f"/{lang}/", 1)
            assert client.get(path).status_code == 200, path
    assert client.get(url("assessments:schedule_test", cycle.slug, "middle")).status_code == 404


def test_the_cycle_page_links_to_the_screens(client, cycle, coordinator, trainer, agenda):
    client.force_login(coordinator)
    page = client.get(url("training:cycle_detail", cycle.slug)).content.decode()
    assert url("assessments:manage_tests", cycle.slug) in page
    assert url("assessments:manage_surveys", cycle.slug) in page
    agenda[0].trainers.add(trainer)
    client.force_login(trainer)
    page = client.get(url("training:cycle_detail", cycle.slug)).content.decode()
    assert url("assessments:manage_tests", cycle.slug) not in page


def test_scheduling_errors_are_shown_on_their_field_and_what_was_typed_is_kept(
    client,
    cycle,
    agenda,
    coordinator,
):
    client.force_login(coordinator)
    response = client.post(
        url("assessments:schedule_test", cycle.slug, "pre"),
        {
            "opens_at": "2024-12-05T08:00",
            "closes_at": "2024-12-05T09:15",
            "time_limit_minutes": "30",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["closes_at"]] == ["pre_test_after_start"]
    page = response.content.decode()
    assert 'value="2024-12-05T09:15"' in page and 'value="30"' in page
    assert "doit fermer avant le début de la première séance" in page
    assert not Test.objects.exists()


def test_bad_input_is_a_clear_error_not_a_500(client, cycle, agenda, coordinator):
    client.force_login(coordinator)
    response = client.post(
        url("assessments:schedule_test", cycle.slug, "post"),
        {"opens_at": "demain", "closes_at": "2024-13-45T99:99", "time_limit_minutes": "-3"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"opens_at", "closes_at", "time_limit_minutes"}
    assert 'value="demain"' in response.content.decode()


def test_the_coordinator_schedules_changes_and_deletes_a_test(client, cycle, agenda, coordinator):
    client.force_login(coordinator)
    path = url("assessments:schedule_test", cycle.slug, "post")
    response = client.post(
        path,
        {"opens_at": "2024-12-06T17:15", "closes_at": "2024-12-06T19:00", "time_limit_minutes": ""},
    )
    assert response.status_code == 302
    test = Test.objects.get(phase=Phase.POST)
    assert test.opens_at == at(6, 17, 15) and test.time_limit_minutes is None
    page = client.get(url("assessments:manage_tests", cycle.slug)).content.decode()
    assert "6 décembre 2024 17:15" in page and 'id="test-post"' in page
    page = client.get(path).content.decode()
    assert 'value="2024-12-06T17:15"' in page
    client.post(url("assessments:delete_test", cycle.slug, "post"))
    assert not Test.objects.exists()
    assert AuditEntry.objects.filter(event="test.deleted").exists()


def test_the_coordinator_makes_a_session_survey_from_a_template(
    client,
    cycle,
    agenda,
    templates,
    coordinator,
):
    client.force_login(coordinator)
    first, _last = agenda
    path = url("assessments:create_survey", cycle.slug)
    response = client.post(path, {"template": templates["session"].pk, "session": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["session"]] == ["session_required"]
    assert set(errors) == {"session"}  # not also "no dates": those come from the session
    response = client.post(path, {"template": templates["session"].pk, "session": first.pk})
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.session == first and survey.questions.count() == 2
    page = client.get(url("assessments:manage_surveys", cycle.slug)).content.decode()
    assert "réponses" not in page.split('id="survey-')[1]  # not open yet: no count at all
    assert survey.title in page


def test_the_survey_list_shows_counts_never_names(client, cycle, survey, coordinator, enrol_many):
    from himaya.assessments import services

    people = enrol_many(7)
    for person in people:
        services.record_survey_answers(
            survey=survey, participant=person, answers={"overall": 5}, today=at(7, 9).date()
        )
    with time_machine.travel(at(8, 9), tick=False):
        client.force_login(coordinator)
        page = client.get(url("assessments:manage_surveys", cycle.slug)).content.decode()
    assert "Au moins 5 réponses" in page  # open: rounded down
    for person in people:
        assert person.last_name not in page and person.email not in page
    with time_machine.travel(at(28, 9), tick=False):
        client.force_login(coordinator)
        page = client.get(url("assessments:manage_surveys", cycle.slug)).content.decode()
    assert "7 réponses" in page
    # Answered: no delete button, and the service refuses anyway.
    assert url("assessments:delete_survey", survey.pk) not in page
    client.post(url("assessments:delete_survey", survey.pk))
    assert Survey.objects.filter(pk=survey.pk).exists()


def test_editing_and_closing_a_survey_from_its_screen(client, cycle, survey, coordinator):
    client.force_login(coordinator)
    path = url("assessments:edit_survey", survey.pk)
    response = client.post(path, {"opens_at": "2024-12-06T12:00", "closes_at": "2024-12-20T12:00"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["opens_at"]] == [
        "before_agenda_end"
    ]
    assert 'value="2024-12-06T12:00"' in response.content.decode()
    response = client.post(path, {"opens_at": "2024-12-06T18:00", "closes_at": "2024-12-21T12:00"})
    assert response.status_code == 302
    with time_machine.travel(at(10, 9), tick=False):
        client.force_login(coordinator)
        client.post(url("assessments:close_survey", survey.pk))
    survey.refresh_from_db()
    assert survey.closes_at == at(10, 9)

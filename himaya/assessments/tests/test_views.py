import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from himaya.assessments import services
from himaya.assessments.models import Survey, SurveyCompletion, SurveyQuestion, SurveyResponse
from himaya.assessments.tests.factories import bank, open_tests

pytestmark = pytest.mark.django_db


def url(name, *args, lang="fr"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.fixture
def tests(cycle):
    bank(cycle.programme)
    return open_tests(cycle)


def test_participant_takes_a_test_with_autosave_and_submits(client, tests, participant):
    pre, _post = tests
    client.force_login(participant)
    assert "start-test" in client.get(url("assessments:take_test", pre.pk)).content.decode()
    client.post(url("assessments:take_test", pre.pk))
    page = client.get(url("assessments:take_test", pre.pk)).content.decode()
    assert 'id="test-paper"' in page
    attempt = participant.attempts.get()
    key = f"ax0-01{attempt.form.lower()}"
    response = client.post(
        url("assessments:save_answer", pre.pk),
        json.dumps({"question": key, "selected": ["a"]}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["ok"]
    page = client.get(url("assessments:take_test", pre.pk)).content.decode()
    assert f'name="{key}" value="a" checked' in page
    response = client.post(url("assessments:submit_test", pre.pk), {"confirmed": "1"})
    assert response.status_code == 302
    client.post(url("assessments:submit_test", pre.pk), {"confirmed": "1"})  # twice
    assert participant.attempts.get().submitted_at is not None


def test_bad_autosave_payloads_are_clear_errors(client, tests, participant):
    pre, _post = tests
    client.force_login(participant)
    client.post(url("assessments:take_test", pre.pk))
    for body, status in (
        ("not json", 400),  # unreadable
        (json.dumps([1, 2]), 400),
        (json.dumps({"question": "nope", "selected": ["a"]}), 409),  # readable, refused
    ):
        response = client.post(
            url("assessments:save_answer", pre.pk), body, content_type="application/json"
        )
        assert response.status_code == status, body
        assert response.json()["ok"] is False


def test_a_participant_sees_only_their_own_attempts(client, tests, participant, other_participant):
    pre, _post = tests
    mine = services.submit_attempt(
        attempt=services.start_attempt(test=pre, participant=participant)
    )
    theirs = services.submit_attempt(
        attempt=services.start_attempt(test=pre, participant=other_participant)
    )
    client.force_login(participant)
    assert client.get(url("assessments:attempt_result", mine.pk)).status_code == 200
    assert client.get(url("assessments:attempt_result", theirs.pk)).status_code == 403
    assert client.get(url("assessments:cycle_results", pre.cycle.slug)).status_code == 403


def test_explanations_only_after_the_post_test(client, tests, participant):
    pre, post = tests
    before = services.submit_attempt(
        attempt=services.start_attempt(test=pre, participant=participant)
    )
    after = services.submit_attempt(
        attempt=services.start_attempt(test=post, participant=participant)
    )
    client.force_login(participant)
    with time_machine.travel(post.closes_at + datetime.timedelta(minutes=1), tick=False):
        client.force_login(participant)  # the session of two hours ago has expired
        assert (
            "Parce que."
            not in client.get(url("assessments:attempt_result", before.pk)).content.decode()
        )
        page = client.get(url("assessments:attempt_result", after.pk)).content.decode()
    assert "Parce que." in page


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_results_page_for_coordinator_and_trainer(
    client, tests, coordinator, trainer, session, enrol_many, lang
):
    pre, post = tests
    for person in enrol_many(5):
        for test in (pre, post):
            services.submit_attempt(attempt=services.start_attempt(test=test, participant=person))
    for viewer in (coordinator, trainer):
        client.force_login(viewer)
        response = client.get(url("assessments:cycle_results", pre.cycle.slug, lang=lang))
        assert response.status_code == 200
        assert "<svg" in response.content.decode() and "<rect" in response.content.decode()


# --- anonymous surveys -------------------------------------------------------------------------


@pytest.fixture
def survey(cycle):
    now = timezone.now()
    s = Survey.objects.create(
        cycle=cycle,
        kind="cycle",
        title_fr="Satisfaction",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    SurveyQuestion.objects.create(
        survey=s, key="overall", kind="likert", text_fr="Globalement ?", position=0
    )
    SurveyQuestion.objects.create(
        survey=s, key="comment", kind="text", text_fr="Un commentaire ?", position=1
    )
    return s


def test_survey_answers_are_stored_apart_from_who_answered(client, survey, participant):
    client.force_login(participant)
    response = client.post(
        url("assessments:survey", survey.pk), {"overall": "4", "comment": "Très utile"}
    )
    assert response.status_code == 302
    response_row = SurveyResponse.objects.get()
    assert response_row.answers == {"overall": 4, "comment": "Très utile"}
    field_names = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not field_names & {
        "participant",
        "user",
        "created_at",
        "updated_at",
    }  # nothing points back
    assert SurveyCompletion.objects.filter(participant=participant).count() == 1
    again = client.post(url("assessments:survey", survey.pk), {"overall": "1"})
    assert again.status_code == 200 and SurveyResponse.objects.count() == 1


def test_survey_keeps_what_was_typed_on_error(client, survey, participant):
    client.force_login(participant)
    page = client.post(
        url("assessments:survey", survey.pk), {"overall": "9", "comment": "Mon texte"}
    ).content.decode()
    assert "Mon texte" in page and SurveyResponse.objects.count() == 0


def test_survey_results_hide_small_groups_and_show_totals_from_five(
    client, survey, coordinator, enrol_many
):
    people = enrol_many(5)
    for i, person in enumerate(people[:4]):
        services.answer_survey(
            survey=survey,
            participant=person,
            answers={"overall": str(5 - i % 2), "comment": f"remark-number-{i}"},
        )
    client.force_login(coordinator)
    closed = survey.closes_at + datetime.timedelta(minutes=1)
    with time_machine.travel(closed, tick=False):
        client.force_login(coordinator)
        page = client.get(url("assessments:survey_results", survey.pk)).content.decode()
    # (a distinctive comment: "c0" alone also turns up inside random CSRF tokens)
    assert "remark-number-0" not in page and "<svg" not in page
    services.answer_survey(
        survey=survey, participant=people[4], answers={"overall": "3", "comment": "zz"}
    )
    with time_machine.travel(closed, tick=False):
        client.force_login(coordinator)
        page = client.get(url("assessments:survey_results", survey.pk)).content.decode()
    assert "<svg" in page and "remark-number-0" in page


def test_anonymity_nothing_links_a_person_to_an_answer(client, survey, coordinator, enrol_many):
    """A coordinator who knows who answered (completions) cannot tell who answered what: no
    screen lists responses with names, the comments come sorted, and the stored response has
    no person, no time of day and a random id."""
    people = enrol_many(6)
    distinctive = {}
    for i, person in enumerate(people):
        text = f"comment-{person.last_name}-{i}"
        distinctive[person.pk] = text
        services.answer_survey(
            survey=survey, participant=person, answers={"overall": str(1 + i % 5), "comment": text}
        )
    client.force_login(coordinator)
    with time_machine.travel(survey.closes_at + datetime.timedelta(minutes=1), tick=False):
        client.force_login(coordinator)
        pages = [
            client.get(url("assessments:survey_results", survey.pk)).content.decode(),
            client.get(url("assessments:cycle_surveys", survey.cycle.slug)).content.decode(),
        ]
    assert all(distinctive[people[0].pk] in page for page in pages)
    for page in pages:
        for person in people:
            assert person.last_name not in page.replace(distinctive[person.pk], "")
        # Comments appear in alphabetical order, not in the order people answered.
        positions = [page.index(t) for t in sorted(distinctive.values())]
        assert positions == sorted(positions)
    rows = list(SurveyResponse.objects.values())
    assert all(set(row) == {"id", "survey_id", "submitted_on", "answers"} for row in rows)
    ids = [str(r["id"]) for r in rows]
    assert len(set(ids)) == 6
    admin_page_classes = [f.name for f in SurveyResponse._meta.get_fields()]
    assert "participant" not in admin_page_classes


def test_result_page_names_the_axes_by_their_titles(client, tests, participant):
    pre, _post = tests
    attempt = services.submit_attempt(
        attempt=services.start_attempt(test=pre, participant=participant)
    )
    client.force_login(participant)
    page = client.get(url("assessments:attempt_result", attempt.pk)).content.decode()
    axis = pre.cycle.programme.axes.order_by("order").first()
    assert axis.title in page and f">{axis.key}<" not in page

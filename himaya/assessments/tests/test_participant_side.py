"""The participant's side: the panel of tests and surveys on the home page, surveys that are not
open show no form, submitting asks first with the count of blanks, results tell blank from wrong."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from himaya.assessments import selectors, services
from himaya.assessments.models import Survey, SurveyCompletion, SurveyQuestion, SurveyResponse
from himaya.assessments.tests.factories import bank, open_tests
from himaya.testing import url
from himaya.training.tests.factories import CycleFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def make_survey(cycle, *, opens, closes, title="Satisfaction"):
    survey = Survey.objects.create(
        cycle=cycle, kind="cycle", title_fr=title, opens_at=opens, closes_at=closes
    )
    SurveyQuestion.objects.create(survey=survey, key="overall", kind="likert", text_fr="Note ?")
    SurveyQuestion.objects.create(survey=survey, key="comment", kind="text", text_fr="Un mot ?")
    return survey


@pytest.fixture
def tests(cycle):
    bank(cycle.programme)
    return open_tests(cycle)


def _key(attempt, n):
    """The n-th scored question of the attempt's paper."""
    return selectors.leaf_questions(selectors.paper(attempt))[n].key


# --- the home panel --------------------------------------------------------------------------


def test_the_home_panel_says_what_is_to_do_done_closed_or_not_open_yet(
    client, cycle, tests, participant
):
    pre, post = tests
    now = timezone.now()
    services.submit_attempt(attempt=services.start_attempt(test=pre, participant=participant))
    closed = make_survey(
        cycle,
        opens=now - datetime.timedelta(days=9),
        closes=now - datetime.timedelta(days=2),
        title="Séance passée",
    )
    later = make_survey(
        cycle,
        opens=now + datetime.timedelta(days=90),
        closes=now + datetime.timedelta(days=120),
        title="Suivi",
    )
    answered = make_survey(
        cycle,
        opens=now - datetime.timedelta(hours=1),
        closes=now + datetime.timedelta(days=3),
        title="Répondu",
    )
    services.answer_survey(survey=answered, participant=participant, answers={"overall": "4"})
    items = selectors.participant_assessments(user=participant, cycles=[cycle])[cycle.pk]
    status = {(i["kind"], i["object"].pk): i["status"] for i in items}
    assert status == {
        ("test", pre.pk): selectors.DONE,
        ("test", post.pk): selectors.TO_DO,
        ("survey", closed.pk): selectors.CLOSED,
        ("survey", later.pk): selectors.NOT_OPEN,
        ("survey", answered.pk): selectors.DONE,
    }
    client.force_login(participant)
    page = client.get(url("training:participant_home")).content.decode()
    assert 'id="my-assessments"' in page
    assert page.count('data-status="done"') == 2 and 'data-status="not_open"' in page
    assert "Clos depuis le" in page and "ouvre le" in page
    assert url("assessments:take_test", post.pk) in page  # a button to the open one
    assert url("assessments:survey", later.pk) not in page  # none to a survey not open yet
    assert url("assessments:survey", closed.pk) not in page


def test_the_panel_shows_nothing_of_a_cycle_where_the_person_has_no_seat(
    client, cycle, tests, participant
):
    cycle.enrolments.filter(participant=participant).update(status="withdrawn")
    assert selectors.participant_assessments(user=participant, cycles=[cycle]) == {}


def test_the_panel_reads_the_same_number_of_queries_for_one_cycle_or_four(
    rf, cycle, tests, participant, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from himaya.assessments.ui import my_assessments_panel

    request = rf.get("/")
    request.user = participant
    now = timezone.now()
    make_survey(cycle, opens=now, closes=now + datetime.timedelta(days=2))

    def count(cycles):
        with CaptureQueriesContext(connection) as ctx:
            my_assessments_panel(request, cycles)
        return len(ctx.captured_queries)

    one = count([cycle])
    more = [cycle]
    for _ in range(3):
        other = CycleFactory(programme=cycle.programme)
        EnrolmentFactory(cycle=other, participant=participant)
        open_tests(other)
        now = timezone.now()
        make_survey(other, opens=now, closes=now + datetime.timedelta(days=2))
        more.append(other)
    assert count(more) == one


# --- surveys: a closed one shows no form -----------------------------------------------------


def test_a_closed_survey_says_so_before_anything_can_be_typed(client, cycle, participant):
    now = timezone.now()
    survey = make_survey(
        cycle, opens=now - datetime.timedelta(days=9), closes=now - datetime.timedelta(days=2)
    )
    client.force_login(participant)
    page = client.get(url("assessments:survey", survey.pk)).content.decode()
    assert "Ce questionnaire est clos (depuis le" in page
    assert 'id="survey-form"' not in page and "<textarea" not in page and 'type="radio"' not in page
    response = client.post(url("assessments:survey", survey.pk), {"overall": "5"})
    assert response.status_code == 200 and 'id="survey-form"' not in response.content.decode()
    assert not SurveyResponse.objects.exists() and not SurveyCompletion.objects.exists()


def test_a_survey_not_open_yet_says_when_it_opens(client, cycle, participant):
    now = timezone.now()
    survey = make_survey(
        cycle, opens=now + datetime.timedelta(days=2), closes=now + datetime.timedelta(days=9)
    )
    client.force_login(participant)
    page = client.get(url("assessments:survey", survey.pk)).content.decode()
    assert "Ce questionnaire ouvre le" in page and 'id="survey-form"' not in page


def test_an_open_survey_has_its_form_and_once_answered_it_thanks(client, cycle, participant):
    now = timezone.now()
    survey = make_survey(cycle, opens=now, closes=now + datetime.timedelta(days=9))
    client.force_login(participant)
    assert 'id="survey-form"' in client.get(url("assessments:survey", survey.pk)).content.decode()
    client.post(url("assessments:survey", survey.pk), {"overall": "5", "comment": "Bien"})
    page = client.get(url("assessments:survey", survey.pk)).content.decode()
    assert "Vous avez déjà répondu" in page or "already" in page
    assert 'id="survey-form"' not in page


def test_participants_open_their_cycles_survey_list(client, cycle, participant):
    now = timezone.now()
    survey = make_survey(cycle, opens=now, closes=now + datetime.timedelta(days=9))
    client.force_login(participant)
    response = client.get(url("assessments:cycle_surveys", cycle.slug))
    assert response.status_code == 200
    page = response.content.decode()
    assert url("assessments:survey", survey.pk) in page
    assert "Moyenne" not in page and "respondent" not in page  # their list, not the results
    outsider = EnrolmentFactory(cycle=CycleFactory(programme=cycle.programme)).participant
    client.force_login(outsider)
    assert client.get(url("assessments:cycle_surveys", cycle.slug)).status_code == 403
    assert client.get(url("assessments:survey", survey.pk)).status_code == 403


# --- submitting: a confirmation with the count of blanks ------------------------------------------


def test_submitting_asks_first_with_the_number_of_blank_questions(client, tests, participant):
    pre, _post = tests
    attempt = services.start_attempt(test=pre, participant=participant)
    services.save_answer(attempt=attempt, question_key=_key(attempt, 0), selected=["a"])
    client.force_login(participant)
    response = client.post(url("assessments:submit_test", pre.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vous n’avez pas répondu à 7 des 8 questions." in page
    assert "Envoyer quand même" in page
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    response = client.post(url("assessments:submit_test", pre.pk), {"confirmed": "1"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None


def test_without_javascript_the_answers_sent_with_the_button_are_saved(client, tests, participant):
    pre, _post = tests
    attempt = services.start_attempt(test=pre, participant=participant)
    keys = [_key(attempt, n) for n in range(3)]
    client.force_login(participant)
    response = client.post(
        url("assessments:submit_test", pre.pk),
        {keys[0]: "a", keys[1]: ["a", "b"], keys[2]: "nonsense", "other-key": "a"},
    )
    assert "Vous n’avez pas répondu à 6 des 8 questions." in response.content.decode()
    assert sorted(attempt.answers.values_list("question__key", flat=True)) == sorted(keys[:2])


def test_the_paper_carries_the_in_page_confirmation(client, tests, participant):
    pre, _post = tests
    services.start_attempt(test=pre, participant=participant)
    client.force_login(participant)
    page = client.get(url("assessments:take_test", pre.pk)).content.decode()
    assert 'id="submit-confirm"' in page and 'role="alertdialog"' in page
    assert "Vous n’avez pas répondu à {blank} des {total} questions." in page


def test_after_the_time_is_over_the_submit_button_goes_to_the_results(client, tests, participant):
    pre, _post = tests
    attempt = services.start_attempt(test=pre, participant=participant)
    client.force_login(participant)
    with time_machine.travel(pre.closes_at + datetime.timedelta(minutes=1), tick=False):
        client.force_login(participant)
        response = client.post(url("assessments:submit_test", pre.pk))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None


# --- results: blank is not wrong --------------------------------------------------------------------


def test_results_tell_right_wrong_and_blank_apart(client, tests, participant):
    _pre, post = tests
    attempt = services.start_attempt(test=post, participant=participant)
    services.save_answer(attempt=attempt, question_key=_key(attempt, 0), selected=["a"])  # right
    services.save_answer(attempt=attempt, question_key=_key(attempt, 1), selected=["c"])  # wrong
    services.submit_attempt(attempt=attempt)
    client.force_login(participant)
    page = client.get(url("assessments:attempt_result", attempt.pk)).content.decode()
    assert "1 juste" in page and "1 faux" in page and "6 sans réponse" in page
    assert 'class="answer-status' not in page  # which one is which waits for the answer key
    with time_machine.travel(post.closes_at + datetime.timedelta(minutes=1), tick=False):
        client.force_login(participant)
        page = client.get(url("assessments:attempt_result", attempt.pk)).content.decode()
    assert page.count('class="answer-status status-right"') == 1
    assert page.count('class="answer-status status-wrong"') == 1
    assert page.count('class="answer-status status-blank"') == 6


def test_attempt_breakdown_counts(tests, participant):
    pre, _post = tests
    attempt = services.start_attempt(test=pre, participant=participant)
    services.save_answer(attempt=attempt, question_key=_key(attempt, 0), selected=["b"])
    services.save_answer(attempt=attempt, question_key=_key(attempt, 1), selected=[])
    assert selectors.blank_count(attempt) == (7, 8)
    breakdown = selectors.attempt_breakdown(
        selectors.paper(attempt), selectors.answers_by_question(attempt)
    )
    assert breakdown["totals"] == {"right": 0, "wrong": 1, "blank": 7}


def test_the_test_method_is_translated_on_the_results_page(client, cycle, trainer, coordinator):
    from himaya.assessments.tests.cohort import Cohort

    cohort = Cohort(cycle, trainer=trainer)
    cohort.grow(6)
    with time_machine.travel(cohort.after_close, tick=False):
        client.force_login(coordinator)
        page = client.get(url("assessments:cycle_results", cycle.slug)).content.decode()
    assert "calcul exact" in page or "approximation normale" in page
    assert "(normal)" not in page and "(exact)" not in page

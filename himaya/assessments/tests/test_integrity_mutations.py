"""Assessments: tests written against mutants the rest of the suite let through (survey rows
keeping their keys, a survey answered before it opens, results at the closing instant, a grace
period running past the test's closing time, a test started at its closing instant, a p-value
above 1)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from himaya.assessments import selectors, services, statistics
from himaya.assessments.models import (
    Attempt,
    Survey,
    SurveyCompletion,
    SurveyQuestion,
    SurveyResponse,
)
from himaya.assessments.tests.factories import bank, open_tests

pytestmark = pytest.mark.django_db


def _survey(cycle, *, opens_at, closes_at):
    survey = Survey.objects.create(
        cycle=cycle, kind="cycle", title_fr="Satisfaction", opens_at=opens_at, closes_at=closes_at
    )
    SurveyQuestion.objects.create(
        survey=survey, key="overall", kind="likert", text_fr="Globalement ?", position=0
    )
    return survey


@pytest.fixture
def survey(cycle):
    now = timezone.now()
    return _survey(
        cycle, opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=1)
    )


def _ids(survey):
    return set(SurveyResponse.objects.filter(survey=survey).values_list("id", flat=True))


# --- survey anonymity -------------------------------------------------------------------------


def test_every_answer_gives_every_earlier_response_a_new_key(survey, enrol_many):
    """A response that kept its key would stand out as "older" next to the new ones."""
    people = enrol_many(3)
    services.answer_survey(survey=survey, participant=people[0], answers={"overall": "3"})
    first = _ids(survey)
    services.answer_survey(survey=survey, participant=people[1], answers={"overall": "4"})
    second = _ids(survey)
    assert len(second) == 2 and first.isdisjoint(second)
    services.answer_survey(survey=survey, participant=people[2], answers={"overall": "5"})
    third = _ids(survey)
    assert len(third) == 3 and second.isdisjoint(third)


# --- survey window and results ----------------------------------------------------------------


def test_a_survey_that_has_not_opened_yet_takes_no_answer(cycle, participant):
    now = timezone.now()
    later = _survey(
        cycle,
        opens_at=now + datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as refused:
        services.answer_survey(survey=later, participant=participant, answers={"overall": "4"})
    assert refused.value.code == services.TEST_CLOSED
    assert not SurveyResponse.objects.exists() and not SurveyCompletion.objects.exists()


def test_results_stay_hidden_at_the_closing_instant_itself(survey, enrol_many):
    # At closes_at the survey still takes answers (opens_at <= now <= closes_at): no results yet.
    for person in enrol_many(6):
        services.answer_survey(survey=survey, participant=person, answers={"overall": "4"})
    at_closing = selectors.survey_results(survey, now=survey.closes_at)
    assert not at_closing["closed"] and not at_closing["shown"]
    assert at_closing["respondents"] == 5  # rounded down while open
    just_after = selectors.survey_results(
        survey, now=survey.closes_at + datetime.timedelta(microseconds=1)
    )
    assert just_after["closed"] and just_after["shown"] and just_after["respondents"] == 6


# --- test windows -----------------------------------------------------------------------------


def test_the_grace_after_a_time_limit_never_runs_past_the_tests_closing_time(cycle, participant):
    bank(cycle.programme)
    pre, _post = open_tests(cycle, time_limit=30)
    # Started so that the time limit ends 10 s before the test closes: the 30 s of grace would
    # run 20 s past the closing time.
    start = pre.closes_at - datetime.timedelta(minutes=30, seconds=10)
    attempt = services.start_attempt(test=pre, participant=participant, now=start)
    assert attempt.deadline == pre.closes_at - datetime.timedelta(seconds=10)
    assert selectors.attempt_cutoff(attempt) == pre.closes_at
    key = f"ax0-01{attempt.form.lower()}"
    just_before = pre.closes_at - datetime.timedelta(seconds=1)
    services.save_answer(attempt=attempt, question_key=key, selected=["a"], now=just_before)
    with pytest.raises(ValidationError) as refused:  # the closing instant itself is closed
        services.save_answer(attempt=attempt, question_key=key, selected=["b"], now=pre.closes_at)
    assert refused.value.code == services.TEST_CLOSED


def test_a_test_cannot_be_started_at_its_closing_instant(cycle, participant):
    bank(cycle.programme)
    pre, _post = open_tests(cycle)
    with pytest.raises(ValidationError) as refused:
        services.start_attempt(test=pre, participant=participant, now=pre.closes_at)
    assert refused.value.code == services.TEST_CLOSED
    assert not Attempt.objects.filter(test=pre).exists()
    just_before = pre.closes_at - datetime.timedelta(microseconds=1)
    attempt = services.start_attempt(test=pre, participant=participant, now=just_before)
    assert attempt.started_at == just_before


# --- statistics -------------------------------------------------------------------------------


def test_exact_wilcoxon_p_value_is_capped_at_one():
    # W+ = 1 + 2 = 3 = W−: the two tails overlap and 2 × P(W ≤ 3) = 2 × 5/8 = 1.25.
    result = statistics.wilcoxon_signed_rank([0, 0, 0], [1, 2, -3])
    assert result.method == "exact"
    assert (result.w_plus, result.w_minus, result.statistic) == (3, 3, 3)
    assert result.p_value == 1.0


def test_no_answer_is_accepted_once_the_answer_key_is_released(cycle, participant):
    bank(cycle.programme)
    _pre, post = open_tests(cycle)
    attempt = services.start_attempt(test=post, participant=participant)
    at_closing = post.closes_at
    assert selectors.answers_released(post, now=at_closing)
    with pytest.raises(ValidationError) as refused:
        services.save_answer(
            attempt=attempt,
            question_key=f"ax0-01{attempt.form.lower()}",
            selected=["a"],
            now=at_closing,
        )
    assert refused.value.code == services.TEST_CLOSED

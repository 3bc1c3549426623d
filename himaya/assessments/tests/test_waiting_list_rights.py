"""People on a cycle's waiting list take no test and answer no survey, like the withdrawn."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from himaya.assessments import selectors, services
from himaya.assessments.models import Attempt, Survey, SurveyCompletion
from himaya.assessments.tests.factories import bank, open_tests
from himaya.training.models import EnrolmentStatus
from himaya.training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_waiting_people_neither_take_tests_nor_answer_surveys(cycle):
    bank(cycle.programme)
    pre, _post = open_tests(cycle)
    now = timezone.now()
    survey = Survey.objects.create(
        cycle=cycle,
        kind="cycle",
        title_fr="Satisfaction",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    person = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WAITING).participant
    assert not person.has_perm("assessments.take_test", cycle)
    assert not person.has_perm("assessments.answer_survey", cycle)
    for call in (
        lambda: services.start_attempt(test=pre, participant=person),
        lambda: services.answer_survey(survey=survey, participant=person, answers={}),
    ):
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert excinfo.value.code == services.NOT_ENROLLED
    assert not Attempt.objects.exists() and not SurveyCompletion.objects.exists()
    assert selectors.open_surveys_for(user=person, cycles=[cycle]) == []
    seated = EnrolmentFactory(cycle=cycle).participant
    assert selectors.open_surveys_for(user=seated, cycles=[cycle]) == [survey]

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from himaya.assessments import selectors, services
from himaya.assessments.models import Attempt, FormAssignment
from himaya.assessments.tests.factories import bank, open_tests
from himaya.training.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tests(cycle):
    bank(cycle.programme)
    return open_tests(cycle)


def test_counterbalanced_forms(cycle, tests, enrol_many):
    pre, post = tests
    people = enrol_many(6)
    forms = [services.start_attempt(test=pre, participant=p).form for p in people]
    assert sorted(forms) == ["A", "A", "A", "B", "B", "B"]
    for person, pre_form in zip(people, forms, strict=True):
        post_form = services.start_attempt(test=post, participant=person).form
        assert post_form != pre_form  # nobody sees the same items twice
    assert FormAssignment.objects.filter(cycle=cycle).count() == 6


def test_one_attempt_and_submitting_twice_records_one(tests, participant):
    pre, _post = tests
    first = services.start_attempt(test=pre, participant=participant)
    again = services.start_attempt(test=pre, participant=participant)
    assert first.pk == again.pk
    services.save_answer(attempt=first, question_key=f"ax0-01{first.form.lower()}", selected=["a"])
    done = services.submit_attempt(attempt=first)
    submitted_at = done.submitted_at
    done_again = services.submit_attempt(attempt=first)
    assert done_again.submitted_at == submitted_at
    assert Attempt.objects.filter(participant=participant).count() == 1
    with pytest.raises(ValidationError) as excinfo:
        services.save_answer(
            attempt=first, question_key=f"ax0-01{first.form.lower()}", selected=["b"]
        )
    assert excinfo.value.code == services.ATTEMPT_SUBMITTED


def test_autosave_replaces_the_answer_and_scores_per_axis(tests, participant):
    pre, _post = tests
    attempt = services.start_attempt(test=pre, participant=participant)
    f = attempt.form.lower()
    services.save_answer(attempt=attempt, question_key=f"ax0-01{f}", selected=["b"])
    services.save_answer(
        attempt=attempt, question_key=f"ax0-01{f}", selected=["a"]
    )  # changed her mind
    services.save_answer(attempt=attempt, question_key=f"ax0-02{f}", selected=["a", "b"])
    services.save_answer(attempt=attempt, question_key=f"ax0-03{f}.1", selected=["true"])
    services.save_answer(attempt=attempt, question_key=f"ax0-03{f}.2", selected=["true"])  # wrong
    services.save_answer(
        attempt=attempt, question_key=f"ax1-02{f}", selected=["a"]
    )  # incomplete: wrong
    attempt = services.submit_attempt(attempt=attempt)
    # axis 0: 3 of 4 scored questions right; axis 1: 0 of 4; overall 3 of 8.
    assert attempt.scores["axis0"] == 75.0
    assert attempt.scores["axis1"] == 0.0
    assert attempt.scores["overall"] == 37.5
    assert (attempt.scores["right"], attempt.scores["total"]) == (3, 8)


def test_answers_outside_the_paper_or_the_choices_are_refused(tests, participant):
    pre, _post = tests
    attempt = services.start_attempt(test=pre, participant=participant)
    other_form = "b" if attempt.form == "A" else "a"
    with pytest.raises(ValidationError) as excinfo:
        services.save_answer(attempt=attempt, question_key=f"ax0-01{other_form}", selected=["a"])
    assert excinfo.value.code == services.NOT_IN_PAPER
    with pytest.raises(ValidationError) as excinfo:
        services.save_answer(
            attempt=attempt, question_key=f"ax0-01{attempt.form.lower()}", selected=["a", "b"]
        )
    assert excinfo.value.code == services.INVALID_CHOICE
    with pytest.raises(ValidationError):
        services.save_answer(
            attempt=attempt, question_key=f"ax0-03{attempt.form.lower()}", selected=["a"]
        )  # the vignette itself


def test_time_limit_closes_the_attempt_with_the_saved_answers(cycle, participant):
    bank(cycle.programme)
    pre, _post = open_tests(cycle, time_limit=30)
    start = timezone.now()
    attempt = services.start_attempt(test=pre, participant=participant, now=start)
    assert attempt.deadline == start + datetime.timedelta(minutes=30)
    services.save_answer(
        attempt=attempt, question_key=f"ax0-01{attempt.form.lower()}", selected=["a"], now=start
    )
    later = start + datetime.timedelta(minutes=45)
    with pytest.raises(ValidationError):
        services.save_answer(
            attempt=attempt, question_key=f"ax0-02{attempt.form.lower()}", selected=["a"], now=later
        )
    closed = services.close_if_expired(attempt=attempt, now=later)
    assert closed.submitted_at == attempt.deadline and closed.scores["right"] == 1


def test_closed_or_foreign_tests_cannot_be_started(tests, participant):
    pre, _post = tests
    with pytest.raises(ValidationError) as excinfo:
        services.start_attempt(
            test=pre, participant=participant, now=pre.closes_at + datetime.timedelta(minutes=1)
        )
    assert excinfo.value.code == services.TEST_CLOSED
    with pytest.raises(ValidationError) as excinfo:
        services.start_attempt(test=pre, participant=UserFactory())
    assert excinfo.value.code == services.NOT_ENROLLED


def test_cohort_results_pair_pre_and_post(cycle, tests, enrol_many):
    pre, post = tests
    people = enrol_many(4)
    for i, person in enumerate(people):
        for test, right in ((pre, ["b"]), (post, ["a"])):
            attempt = services.start_attempt(test=test, participant=person)
            if i < 3 or test == pre:  # the fourth person skips the post-test
                services.save_answer(
                    attempt=attempt, question_key=f"ax0-01{attempt.form.lower()}", selected=right
                )
                services.submit_attempt(attempt=attempt)
    results = selectors.cohort_results(cycle)
    overall = next(a for a in results.axes if a.key == "overall")
    assert overall.pairs == 3
    assert overall.pre_mean == 0 and overall.post_mean == 12.5  # 1 of 8 right after
    assert overall.wilcoxon.w_plus == 6 and overall.wilcoxon.w_minus == 0
    assert len(results.participants) == 4 and results.participants[3]["post"] is None
    assert any(row["question"].key.startswith("ax0-01") for row in results.items)

"""The assessments pages make as many queries for fifty people as for five."""

import pytest

from himaya.assessments.tests.cohort import Cohort, count_queries
from himaya.testing import url

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 50


@pytest.fixture
def cohort(cycle, trainer):
    return Cohort(cycle, trainer=trainer)


def _counts(client, cohort, coordinator):
    first = cohort.people[0]
    post_attempt = first.attempts.get(test=cohort.post)
    pages = {
        "cycle_results": (coordinator, url("assessments:cycle_results", cohort.cycle.slug)),
        "survey_results": (coordinator, url("assessments:survey_results", cohort.survey.pk)),
        "cycle_surveys": (coordinator, url("assessments:cycle_surveys", cohort.cycle.slug)),
        "attempt_result": (first, url("assessments:attempt_result", post_attempt.pk)),
        "attempt_result_for_staff": (
            coordinator,
            url("assessments:attempt_result", post_attempt.pk),
        ),
        "my_tests": (first, url("assessments:my_tests", cohort.cycle.slug)),
        "my_surveys": (first, url("assessments:cycle_surveys", cohort.cycle.slug)),
        "manage_tests": (coordinator, url("assessments:manage_tests", cohort.cycle.slug)),
        "manage_surveys": (coordinator, url("assessments:manage_surveys", cohort.cycle.slug)),
        "participant_home": (first, url("training:participant_home")),
    }
    return {
        name: count_queries(client, user, path, at=cohort.after_close)
        for name, (user, path) in pages.items()
    }


def test_assessment_pages_query_counts_do_not_grow_with_people(client, cohort, coordinator):
    cohort.grow(SMALL)
    small = _counts(client, cohort, coordinator)
    # The pages show what they are for, so the counts compare like with like.
    assert b"<svg" in small["cycle_results"][1]
    assert b"commentaire 0" in small["survey_results"][1]
    assert b"Parce que." in small["attempt_result"][1]
    cohort.grow(LARGE - SMALL)
    large = _counts(client, cohort, coordinator)
    assert b"commentaire 49" in large["survey_results"][1]
    assert {k: v[0] for k, v in large.items()} == {k: v[0] for k, v in small.items()}


def test_unsubmitted_attempts_are_scored_in_bulk_as_one_by_one(cohort):
    """The bulk scoring of attempts whose time is over gives each one its own paper's scores."""
    import time_machine

    from himaya.assessments import selectors
    from himaya.assessments.models import Attempt

    cohort.grow(8)
    pending = {a.pk: selectors.score_attempt(a) for a in Attempt.objects.filter(submitted_at=None)}
    forms = {a.form for a in Attempt.objects.filter(pk__in=pending)}
    assert len(pending) == 2 and forms == {"A", "B"}
    with time_machine.travel(cohort.after_close, tick=False):
        results = selectors.cohort_results(cohort.cycle)
    by_person = {row["participant"].pk: row for row in results.participants}
    for pk, scores in pending.items():
        attempt = Attempt.objects.get(pk=pk)
        assert scores["total"] > 0
        assert by_person[attempt.participant_id]["post"] == scores["overall"]

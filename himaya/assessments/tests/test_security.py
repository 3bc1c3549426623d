"""The holes of the learning-evaluation audit, each closed: anonymous storage, results while a
survey is open, the answer key while the post-test is open, closing a test early, who may take
tests and answer surveys, attempts whose time ran out."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from himaya.assessments import selectors, services
from himaya.assessments.models import (
    Attempt,
    Survey,
    SurveyCompletion,
    SurveyQuestion,
    SurveyResponse,
)
from himaya.assessments.tests.factories import bank, open_tests
from himaya.certificates import services as certificate_services
from himaya.core import privacy
from himaya.training.models import Enrolment, EnrolmentStatus
from himaya.training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.fixture
def tests(cycle):
    bank(cycle.programme)
    return open_tests(cycle)


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


def _paper_key(attempt, number="01"):
    return f"ax0-{number}{attempt.form.lower()}"


# --- 1. anonymous storage ----------------------------------------------------------------------

RESPONDENTS = 10  # a shuffle that happens to keep this order has a chance of 1 in 3.6 million


def _raw_responses(survey) -> list[dict]:
    """The response rows as the database stores them, with every storage column it has."""
    table = SurveyResponse._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT ctid::text, xmin::text::bigint, id::text, answers::text "  # noqa: S608
                f"FROM {table} WHERE survey_id = %s",
                [survey.pk],
            )
            return [
                {
                    "ctid": tuple(int(part) for part in ctid.strip("()").split(",")),
                    "xmin": xmin,
                    "id": pk,
                    "comment": json.loads(answers)["comment"],
                }
                for ctid, xmin, pk, answers in cursor.fetchall()
            ]
        assert connection.vendor == "sqlite"
        cursor.execute(
            f"SELECT rowid, id, answers FROM {table} WHERE survey_id = %s",  # noqa: S608
            [survey.pk],
        )
        return [
            {"rowid": rowid, "id": str(pk), "comment": json.loads(answers)["comment"]}
            for rowid, pk, answers in cursor.fetchall()
        ]


def test_raw_tables_cannot_pair_responses_with_completions(survey, enrol_many):
    people = enrol_many(RESPONDENTS)
    for i, person in enumerate(people):
        services.answer_survey(
            survey=survey,
            participant=person,
            answers={"overall": str(1 + i % 5), "comment": f"answer-{i:02d}"},
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT participant_id FROM {SurveyCompletion._meta.db_table} "  # noqa: S608
            "WHERE survey_id = %s ORDER BY id",
            [survey.pk],
        )
        completion_order = [row[0] for row in cursor.fetchall()]
    assert completion_order == [p.pk for p in people]  # who answered when: known, and harmless
    answer_order = [f"answer-{i:02d}" for i in range(RESPONDENTS)]

    rows = _raw_responses(survey)
    assert sorted(r["comment"] for r in rows) == answer_order
    storage_orders = ["ctid", "id"] if connection.vendor == "postgresql" else ["rowid", "id"]
    for column in storage_orders:
        by_storage = [r["comment"] for r in sorted(rows, key=lambda r, c=column: r[c])]
        assert by_storage != answer_order, f"ordering by {column} pairs them"
    if connection.vendor == "postgresql":
        assert len({r["xmin"] for r in rows}) == 1  # one transaction wrote them all
    # No time of day anywhere in the response table.
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(
            cursor, SurveyResponse._meta.db_table
        )
    assert {c.name for c in columns} == {"id", "survey_id", "submitted_on", "answers"}


def test_demo_writes_survey_answers_through_the_unordered_service(monkeypatch):
    calls = []
    real = privacy.add_unordered

    def spy(model, new_rows, **kwargs):
        calls.append(model)
        return real(model, new_rows, **kwargs)

    monkeypatch.setattr(privacy, "add_unordered", spy)
    call_command("load_content", demo=True, verbosity=0)
    responses = SurveyResponse.objects.count()
    assert responses > 0
    assert calls == [SurveyResponse] * responses
    assert SurveyCompletion.objects.count() == responses


# --- 2. survey results only once closed ----------------------------------------------------------


def test_survey_results_appear_only_after_the_survey_closes(
    client, survey, coordinator, enrol_many
):
    people = enrol_many(6)
    client.force_login(coordinator)
    for i, person in enumerate(people):
        services.answer_survey(
            survey=survey, participant=person, answers={"overall": "4", "comment": f"note-{i}"}
        )
        page = client.get(url("assessments:survey_results", survey.pk)).content.decode()
        assert "note-" not in page and "<svg" not in page  # nothing from any answer yet
        assert "Results appear after the survey closes" in page
        if (i + 1) % privacy.MIN_GROUP:
            assert f"{i + 1} respondent" not in page  # never the exact count while open
        if i + 1 < privacy.MIN_GROUP:
            assert "Fewer than 5 respondents so far" in page
        else:
            assert "At least 5 respondents so far" in page
    with time_machine.travel(survey.closes_at + datetime.timedelta(seconds=1), tick=False):
        client.force_login(coordinator)
        page = client.get(url("assessments:survey_results", survey.pk)).content.decode()
    assert "6 respondents" in page and "<svg" in page
    assert all(f"note-{i}" in page for i in range(6))


def test_survey_results_after_closing_need_five_respondents(survey, enrol_many):
    for person in enrol_many(4):
        services.answer_survey(survey=survey, participant=person, answers={"overall": "5"})
    after = survey.closes_at + datetime.timedelta(days=1)
    result = selectors.survey_results(survey, now=after)
    assert result["closed"] and result["respondents"] == 4
    assert not result["shown"] and result["questions"] == []


# --- 3. the answer key only once the post-test has closed ------------------------------------------


def test_post_test_answer_key_waits_until_the_test_closes_for_everyone(
    client, tests, participant, coordinator
):
    _pre, post = tests
    attempt = services.start_attempt(test=post, participant=participant)
    services.save_answer(attempt=attempt, question_key=_paper_key(attempt), selected=["a"])
    client.force_login(participant)
    client.post(url("assessments:submit_test", post.pk), {"confirmed": "1"})
    page = client.get(url("assessments:attempt_result", attempt.pk)).content.decode()
    assert "1 / 8" in page  # the participant's own score
    assert "Parce que." not in page and "right answer" not in page
    assert "will be shown once the post-test has closed for everyone" in page
    # Closed early by the coordinator: the key is shown at once.
    services.close_test(test=post, actor=coordinator)
    page = client.get(url("assessments:attempt_result", attempt.pk)).content.decode()
    assert "Parce que." in page and "right answer" in page


# --- 4. closing a test early stops every attempt ---------------------------------------------------


def test_closing_a_test_early_stops_saves_and_submissions_of_started_attempts(
    client, tests, participant, other_participant, enrol_many, coordinator
):
    pre, _post = tests
    started = services.start_attempt(test=pre, participant=participant)
    services.save_answer(attempt=started, question_key=_paper_key(started), selected=["b"])
    services.close_test(test=pre, actor=coordinator)
    pre.refresh_from_db()
    assert pre.closes_at <= timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        services.save_answer(attempt=started, question_key=_paper_key(started), selected=["a"])
    assert excinfo.value.code == services.TEST_CLOSED
    with pytest.raises(ValidationError) as excinfo:
        services.submit_attempt(attempt=started)
    assert excinfo.value.code == services.TEST_CLOSED
    with pytest.raises(ValidationError) as excinfo:
        services.start_attempt(test=pre, participant=other_participant)
    assert excinfo.value.code == services.TEST_CLOSED
    # Through the page: the autosave is refused, and the attempt is closed with what it had.
    client.force_login(participant)
    response = client.post(
        url("assessments:save_answer", pre.pk),
        json.dumps({"question": _paper_key(started), "selected": ["a"]}),
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == services.TEST_CLOSED
    client.post(url("assessments:submit_test", pre.pk), {"confirmed": "1"})
    started.refresh_from_db()
    assert started.submitted_at is not None and started.scores["right"] == 0


def test_a_closing_time_moved_to_the_past_is_checked_on_every_save(tests, participant):
    """The attempt's stored deadline is the closing time when it started: the save must read the
    test's closing time as it is now."""
    pre, _post = tests
    attempt = services.start_attempt(test=pre, participant=participant)
    type(pre).objects.filter(pk=pre.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.save_answer(attempt=attempt, question_key=_paper_key(attempt), selected=["a"])
    assert excinfo.value.code == services.TEST_CLOSED


def test_only_coordinators_close_a_test(tests, participant):
    from django.core.exceptions import PermissionDenied

    pre, _post = tests
    with pytest.raises(PermissionDenied):
        services.close_test(test=pre, actor=participant)


# --- 5 and 7. only enrolled, not withdrawn participants take tests and answer surveys -------------


@pytest.mark.parametrize("who", ["admin_user", "coordinator", "withdrawn"])
def test_superusers_staff_and_withdrawn_participants_neither_take_tests_nor_answer_surveys(
    request, client, tests, survey, cycle, who
):
    pre, _post = tests
    if who == "withdrawn":
        user = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WITHDRAWN).participant
    else:
        user = request.getfixturevalue(who)
    for call in (
        lambda: services.start_attempt(test=pre, participant=user),
        lambda: services.answer_survey(survey=survey, participant=user, answers={"overall": "5"}),
    ):
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert excinfo.value.code == services.NOT_ENROLLED
    assert not Attempt.objects.exists() and not SurveyCompletion.objects.exists()
    client.force_login(user)
    assert client.get(url("assessments:take_test", pre.pk)).status_code == 403
    assert client.post(url("assessments:take_test", pre.pk)).status_code == 403
    assert client.get(url("assessments:my_tests", cycle.slug)).status_code == 403
    assert client.get(url("assessments:survey", survey.pk)).status_code == 403
    assert client.post(url("assessments:survey", survey.pk), {"overall": "5"}).status_code == 403
    assert not Attempt.objects.exists() and not SurveyResponse.objects.exists()
    assert selectors.open_surveys_for(user=user, cycles=[cycle]) == []


def test_a_participant_who_withdraws_cannot_go_on_with_a_started_test(tests, participant, cycle):
    pre, _post = tests
    attempt = services.start_attempt(test=pre, participant=participant)
    Enrolment.objects.filter(cycle=cycle, participant=participant).update(
        status=EnrolmentStatus.WITHDRAWN
    )
    with pytest.raises(ValidationError) as excinfo:
        services.save_answer(attempt=attempt, question_key=_paper_key(attempt), selected=["a"])
    assert excinfo.value.code == services.NOT_ENROLLED
    with pytest.raises(ValidationError):
        services.submit_attempt(attempt=attempt)


def test_an_enrolled_participant_still_answers(survey, participant):
    services.answer_survey(survey=survey, participant=participant, answers={"overall": "5"})
    assert SurveyResponse.objects.get().answers == {"overall": 5}
    assert selectors.open_surveys_for(user=participant, cycles=[survey.cycle]) == []


# --- 6. attempts whose time ran out -------------------------------------------------------------


def test_submit_expired_attempts_submits_with_the_saved_answers_once(cycle, enrol_many):
    bank(cycle.programme)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        pre, post = open_tests(cycle, time_limit=30)
        timed_out, still_going, submitted = enrol_many(3)
        expired = services.start_attempt(test=pre, participant=timed_out)
        services.save_answer(attempt=expired, question_key=_paper_key(expired), selected=["a"])
        done = services.submit_attempt(
            attempt=services.start_attempt(test=pre, participant=submitted)
        )
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        running = services.start_attempt(test=pre, participant=still_going)
    later = start + datetime.timedelta(minutes=45)
    with time_machine.travel(later, tick=False):
        assert services.submit_expired_attempts() == 1
        assert services.submit_expired_attempts() == 0  # idempotent
    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.submitted_at == start + datetime.timedelta(minutes=30)
    assert expired.scores["right"] == 1
    assert running.submitted_at is None
    assert Attempt.objects.get(pk=done.pk).submitted_at == start
    # When the test closes, the last running attempt goes too.
    with time_machine.travel(pre.closes_at + datetime.timedelta(seconds=1), tick=False):
        assert services.submit_expired_attempts() == 1
    running.refresh_from_db()
    assert running.submitted_at == running.deadline and running.scores["right"] == 0


def test_results_and_eligibility_count_an_attempt_whose_time_ran_out(cycle, participant):
    """Before the background job has run: the participant's saved answers count."""
    bank(cycle.programme)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        pre, post = open_tests(cycle, time_limit=30)
        for test in (pre, post):
            attempt = services.start_attempt(test=test, participant=participant)
            services.save_answer(attempt=attempt, question_key=_paper_key(attempt), selected=["a"])
    with time_machine.travel(start + datetime.timedelta(minutes=45), tick=False):
        results = selectors.cohort_results(cycle)
        eligibility = certificate_services.eligibility(cycle)
    assert (results.pre_count, results.post_count) == (1, 1)
    row = results.participants[0]
    assert row["participant"] == participant and row["post"] == 12.5
    assert [e.post_test for e in eligibility] == [True]
    assert not Attempt.objects.filter(submitted_at__isnull=False).exists()  # a read only


def test_an_attempt_within_its_time_is_not_counted_yet(cycle, participant):
    bank(cycle.programme)
    pre, post = open_tests(cycle, time_limit=30)
    services.start_attempt(test=post, participant=participant)
    assert selectors.cohort_results(cycle).post_count == 0
    assert selectors.post_test_taker_ids(cycle) == set()

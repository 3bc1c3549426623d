"""The window rules of the tests and surveys, and the copy of a cycle's schedule (services)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from himaya.accounts.choices import Role
from himaya.assessments import selectors, services
from himaya.assessments.models import (
    Attempt,
    Phase,
    Survey,
    SurveyCompletion,
    Test,
)
from himaya.assessments.tests.factories import at, bank
from himaya.core.models import AuditEntry
from himaya.training.selectors import local_datetime
from himaya.training.tests.factories import (
    CycleFactory,
    PartnerFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def codes(excinfo, field):
    return [e.code for e in excinfo.value.error_dict[field]]


def schedule(cycle, coordinator, phase, opens, closes, limit=None, **kwargs):
    return services.schedule_test(
        cycle=cycle,
        phase=phase,
        opens_at=opens,
        closes_at=closes,
        time_limit_minutes=limit,
        actor=coordinator,
        **kwargs,
    )


# --- tests: each rule -------------------------------------------------------------------------


def test_a_pre_test_before_the_first_session_and_a_post_test_after_the_last(
    cycle, agenda, coordinator
):
    pre = schedule(cycle, coordinator, Phase.PRE, at(4, 18), at(5, 9), 30)
    post = schedule(cycle, coordinator, Phase.POST, at(6, 17), at(6, 19), 30)
    assert (pre.phase, post.phase) == (Phase.PRE, Phase.POST)
    scheduled = AuditEntry.objects.filter(event="test.scheduled")
    assert set(scheduled.values_list("target_id", flat=True)) == {str(pre.pk), str(post.pk)}


def test_the_closing_time_comes_after_the_opening_time(cycle, agenda, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        schedule(cycle, coordinator, Phase.PRE, at(4, 18), at(4, 17))
    assert codes(excinfo, "closes_at") == ["closes_before_opens"]
    assert not Test.objects.exists()


def test_the_pre_test_closes_before_the_first_session_starts(cycle, agenda, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        schedule(cycle, coordinator, Phase.PRE, at(5, 8), at(5, 9, 1))
    assert codes(excinfo, "closes_at") == ["pre_test_after_start"]
    assert "5 décembre 2024 09:00" in str(excinfo.value) or "December" in str(excinfo.value)


def test_the_post_test_opens_after_the_last_session_ends(cycle, agenda, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        schedule(cycle, coordinator, Phase.POST, at(6, 16, 59), at(6, 19))
    assert codes(excinfo, "opens_at") == ["post_test_before_end"]


def test_pre_and_post_never_overlap(cycle, coordinator):
    """Without an agenda only the order of the two tests is checked."""
    schedule(cycle, coordinator, Phase.PRE, at(4, 8), at(4, 18))
    with pytest.raises(ValidationError) as excinfo:
        schedule(cycle, coordinator, Phase.POST, at(4, 12), at(4, 20))
    assert codes(excinfo, "opens_at") == ["post_overlaps_pre"]
    schedule(cycle, coordinator, Phase.POST, at(4, 18), at(4, 20))
    with pytest.raises(ValidationError) as excinfo:
        schedule(cycle, coordinator, Phase.PRE, at(4, 8), at(4, 19))
    assert codes(excinfo, "closes_at") == ["pre_overlaps_post"]


def test_a_time_limit_fits_in_the_window(cycle, agenda, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        schedule(cycle, coordinator, Phase.PRE, at(5, 8), at(5, 8, 30), 45)
    assert codes(excinfo, "time_limit_minutes") == ["time_limit_too_long"]
    with pytest.raises(ValidationError) as excinfo:
        schedule(cycle, coordinator, Phase.PRE, at(5, 8), at(5, 8, 30), 0)
    assert codes(excinfo, "time_limit_minutes") == ["time_limit_invalid"]


def test_the_agenda_is_read_in_local_time(cycle, agenda):
    first, last = selectors.agenda_bounds(cycle)
    assert first.isoformat() == "2024-12-05T09:00:00+01:00"
    assert last.isoformat() == "2024-12-06T17:00:00+01:00"


# --- tests: once participants have started ------------------------------------------------------


@pytest.fixture
def started(cycle, agenda, coordinator, participant):
    bank(cycle.programme)
    pre = schedule(cycle, coordinator, Phase.PRE, at(4, 8), at(5, 8, 30), 30)
    attempt = services.start_attempt(test=pre, participant=participant, now=at(5, 8, 10))
    return pre, attempt


def test_with_attempts_only_a_later_closing_time_is_allowed(started, cycle, coordinator):
    pre, attempt = started
    now = at(5, 8, 20)
    for opens, closes, limit, field, code in (
        (at(4, 9), at(5, 8, 30), 30, "opens_at", "started_window_fixed"),
        (at(4, 8), at(5, 8, 30), 20, "time_limit_minutes", "started_window_fixed"),
        (at(4, 8), at(5, 8, 25), 30, "closes_at", "started_closes_earlier"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            schedule(cycle, coordinator, Phase.PRE, opens, closes, limit, now=now)
        assert code in codes(excinfo, field)
    schedule(cycle, coordinator, Phase.PRE, at(4, 8), at(5, 8, 55), 30, now=now)
    pre.refresh_from_db()
    assert pre.closes_at == at(5, 8, 55)
    event = AuditEntry.objects.get(event="test.rescheduled")
    assert "closes_at" in event.changes


def test_extending_gives_attempts_in_progress_their_time_up_to_their_limit(
    cycle, agenda, coordinator, participant, other_participant
):
    bank(cycle.programme)
    pre = schedule(cycle, coordinator, Phase.PRE, at(4, 8), at(5, 8, 30))
    attempt = services.start_attempt(test=pre, participant=participant, now=at(5, 8, 10))
    assert attempt.deadline == at(5, 8, 30)  # no time limit: until the closing time
    schedule(cycle, coordinator, Phase.PRE, at(4, 8), at(5, 8, 50), now=at(5, 8, 20))
    attempt.refresh_from_db()
    assert attempt.deadline == at(5, 8, 50)
    assert AuditEntry.objects.get(event="test.rescheduled").extra == {"attempts_extended": 1}


def test_a_closed_test_with_attempts_does_not_reopen(started, cycle, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        schedule(cycle, coordinator, Phase.PRE, at(4, 8), at(5, 8, 55), 30, now=at(5, 8, 40))
    assert codes(excinfo, "closes_at") == ["closed_with_attempts"]


def test_a_test_with_attempts_is_never_deleted(started, coordinator):
    pre, _attempt = started
    with pytest.raises(ValidationError) as excinfo:
        services.delete_test(test=pre, actor=coordinator)
    assert excinfo.value.code == "has_attempts"
    assert Test.objects.filter(pk=pre.pk).exists()


def test_a_test_without_attempts_is_deleted_and_audited(cycle, agenda, coordinator):
    pre = schedule(cycle, coordinator, Phase.PRE, at(4, 8), at(5, 8))
    services.delete_test(test=pre, actor=coordinator)
    assert not Test.objects.exists()
    assert AuditEntry.objects.filter(event="test.deleted", target_id=str(pre.pk)).exists()


@pytest.mark.parametrize("who", ["other_coordinator", "trainer", "participant"])
def test_only_the_cycles_coordinators_schedule(cycle, agenda, who, trainer, participant):
    users = {
        "other_coordinator": UserFactory(role=Role.COORDINATOR, partner=PartnerFactory()),
        "trainer": trainer,
        "participant": participant,
    }
    with pytest.raises(PermissionDenied):
        schedule(cycle, users[who], Phase.PRE, at(4, 8), at(5, 8))


# --- surveys ----------------------------------------------------------------------------------


def test_a_session_survey_opens_when_its_session_ends_by_default(
    cycle, agenda, coordinator, templates
):
    first, _last = agenda
    survey = services.create_survey(
        cycle=cycle, template=templates["session"], session=first, actor=coordinator
    )
    assert survey.opens_at == at(5, 10, 30)
    assert survey.closes_at == at(12, 10, 30)
    assert survey.title_fr == f"Modèle session — {first.title}"
    assert list(survey.questions.values_list("key", flat=True)) == ["overall", "comment"]
    assert AuditEntry.objects.filter(event="survey.created", target_id=str(survey.pk)).exists()


def test_cycle_and_follow_up_surveys_open_after_the_last_session(
    cycle, agenda, coordinator, templates
):
    after = services.create_survey(cycle=cycle, template=templates["cycle"], actor=coordinator)
    assert after.opens_at == at(6, 17) and after.session is None
    follow = services.create_survey(cycle=cycle, template=templates["follow_up"], actor=coordinator)
    assert follow.opens_at.date() == datetime.date(2025, 3, 6)
    assert follow.closes_at - follow.opens_at == datetime.timedelta(days=30)


def test_survey_window_rules(cycle, agenda, coordinator, templates):
    first, _last = agenda
    cases = [
        ({"template": templates["session"]}, "session", "session_required"),
        (
            {"template": templates["session"], "session": first, "opens_at": at(5, 10)},
            "opens_at",
            "before_session_end",
        ),
        ({"template": templates["cycle"], "opens_at": at(6, 12)}, "opens_at", "before_agenda_end"),
        (
            {"template": templates["cycle"], "opens_at": at(7, 12), "closes_at": at(7, 11)},
            "closes_at",
            "closes_before_opens",
        ),
        (
            {
                "template": templates["session"],
                "session": SessionFactory(cycle=CycleFactory(programme=cycle.programme)),
            },
            "session",
            "session_not_in_cycle",
        ),
    ]
    for kwargs, field, code in cases:
        with pytest.raises(ValidationError) as excinfo:
            services.create_survey(cycle=cycle, actor=coordinator, **kwargs)
        assert code in codes(excinfo, field), kwargs
    assert not Survey.objects.exists()


def test_without_agenda_a_survey_needs_its_dates(cycle, coordinator, templates):
    with pytest.raises(ValidationError) as excinfo:
        services.create_survey(cycle=cycle, template=templates["cycle"], actor=coordinator)
    assert codes(excinfo, "opens_at") == ["no_agenda"]
    survey = services.create_survey(
        cycle=cycle,
        template=templates["cycle"],
        actor=coordinator,
        opens_at=at(7, 9),
        closes_at=at(20, 9),
    )
    assert survey.pk


def test_the_same_survey_twice_is_refused(cycle, agenda, coordinator, templates):
    services.create_survey(cycle=cycle, template=templates["cycle"], actor=coordinator)
    with pytest.raises(ValidationError) as excinfo:
        services.create_survey(cycle=cycle, template=templates["cycle"], actor=coordinator)
    assert codes(excinfo, "template") == ["exists"]


@pytest.fixture
def answered(cycle, agenda, coordinator, templates, participant):
    survey = services.create_survey(
        cycle=cycle, template=templates["cycle"], actor=coordinator, closes_at=at(20, 9)
    )
    services.record_survey_answers(
        survey=survey, participant=participant, answers={"overall": 4}, today=at(7, 9).date()
    )
    return survey


def test_an_answered_survey_keeps_its_opening_and_only_closes_later(answered, coordinator):
    now = at(8, 9)
    with pytest.raises(ValidationError) as excinfo:
        services.update_survey(
            survey=answered, opens_at=at(7, 9), closes_at=at(20, 9), actor=coordinator, now=now
        )
    assert codes(excinfo, "opens_at") == ["answered_fixed"]
    with pytest.raises(ValidationError) as excinfo:
        services.update_survey(
            survey=answered,
            opens_at=answered.opens_at,
            closes_at=at(19, 9),
            actor=coordinator,
            now=now,
        )
    assert codes(excinfo, "closes_at") == ["answered_fixed"]
    services.update_survey(
        survey=answered, opens_at=answered.opens_at, closes_at=at(27, 9), actor=coordinator, now=now
    )
    answered.refresh_from_db()
    assert answered.closes_at == at(27, 9)
    assert AuditEntry.objects.filter(event="survey.updated").exists()
    with pytest.raises(ValidationError) as excinfo:
        services.update_survey(
            survey=answered,
            opens_at=answered.opens_at,
            closes_at=at(30, 9),
            actor=coordinator,
            now=at(28, 9),
        )
    assert codes(excinfo, "closes_at") == ["closed_with_answers"]


def test_closing_early_and_deleting_surveys(answered, cycle, coordinator, templates, agenda):
    services.close_survey(survey=answered, actor=coordinator, now=at(8, 9))
    answered.refresh_from_db()
    assert answered.closes_at == at(8, 9)
    assert AuditEntry.objects.filter(event="survey.closed").exists()
    with pytest.raises(ValidationError):
        services.delete_survey(survey=answered, actor=coordinator)
    later = services.create_survey(cycle=cycle, template=templates["follow_up"], actor=coordinator)
    with pytest.raises(ValidationError) as excinfo:
        services.close_survey(survey=later, actor=coordinator, now=at(8, 9))
    assert excinfo.value.code == "not_open"
    services.delete_survey(survey=later, actor=coordinator)
    assert not Survey.objects.filter(pk=later.pk).exists()
    assert AuditEntry.objects.filter(event="survey.deleted").exists()


# --- copying a cycle's schedule ---------------------------------------------------------------


def test_copy_assessment_schedule_shifts_windows_and_copies_questions_not_answers(
    cycle, agenda, coordinator, templates, participant
):
    bank(cycle.programme)
    schedule(cycle, coordinator, Phase.PRE, at(4, 8), at(5, 8, 30), 30)
    pre = Test.objects.get(phase=Phase.PRE)
    schedule(cycle, coordinator, Phase.POST, at(6, 17), at(6, 19), 30)
    services.start_attempt(test=pre, participant=participant, now=at(5, 8))
    first, _last = agenda
    session_survey = services.create_survey(
        cycle=cycle, template=templates["session"], session=first, actor=coordinator
    )
    services.create_survey(cycle=cycle, template=templates["cycle"], actor=coordinator)
    services.record_survey_answers(
        survey=session_survey, participant=participant, answers={}, today=at(5, 12).date()
    )
    target = CycleFactory(
        programme=cycle.programme,
        start_date=datetime.date(2025, 3, 5),
        end_date=datetime.date(2025, 3, 6),
    )
    shift = (target.start_date - cycle.start_date).days
    for s in cycle.sessions.all():
        SessionFactory(
            cycle=target,
            key=s.key,
            date=s.date + datetime.timedelta(days=shift),
            start_time=s.start_time,
            end_time=s.end_time,
        )
    copied = services.copy_assessment_schedule(
        source_cycle=cycle, target_cycle=target, actor=coordinator, shift_days=shift
    )
    assert copied == {"tests": 2, "surveys": 2, "skipped": 0}
    new_pre = Test.objects.get(cycle=target, phase=Phase.PRE)
    # The same local time of day, although Morocco's clocks moved back an hour for Ramadan.
    assert new_pre.opens_at == local_datetime(datetime.date(2025, 3, 4), datetime.time(8, 0))
    assert new_pre.time_limit_minutes == 30
    assert not Attempt.objects.filter(test__cycle=target).exists()
    new_session_survey = Survey.objects.get(cycle=target, kind="session")
    assert new_session_survey.session.cycle_id == target.pk
    assert new_session_survey.session.key == "s1"
    assert new_session_survey.opens_at == selectors.session_end(new_session_survey.session)
    assert list(new_session_survey.questions.values_list("key", flat=True)) == [
        "overall",
        "comment",
    ]
    assert not SurveyCompletion.objects.filter(survey__cycle=target).exists()
    assert not new_session_survey.responses.exists()
    assert AuditEntry.objects.filter(event="assessments.copied", target_id=str(target.pk)).exists()
    # Again: nothing more (the target has them now).
    again = services.copy_assessment_schedule(
        source_cycle=cycle, target_cycle=target, actor=coordinator, shift_days=shift
    )
    assert again == {"tests": 0, "surveys": 0, "skipped": 4}


def test_copy_needs_the_rights_on_both_cycles(cycle, coordinator):
    foreign = CycleFactory()  # another partner's programme
    with pytest.raises(PermissionDenied):
        services.copy_assessment_schedule(
            source_cycle=cycle, target_cycle=foreign, actor=coordinator, shift_days=7
        )


def test_the_overview_counts_each_forms_questions_and_takers(
    cycle, agenda, coordinator, participant, other_participant
):
    bank(cycle.programme)  # per form: 2 axes x (single, multiple, a vignette of 2) = 8 scored
    assert selectors.form_question_counts(cycle.programme_id) == {"A": 8, "B": 8}
    services.assign_form(cycle=cycle, participant=participant)
    services.assign_form(cycle=cycle, participant=other_participant)
    overview = selectors.tests_overview(cycle)
    pre, post = overview["phases"]
    assert [(f["form"], f["questions"], f["participants"]) for f in pre["forms"]] == [
        ("A", 8, 1),
        ("B", 8, 1),
    ]
    assert overview["assigned"] == {"A": 1, "B": 1} and post["test"] is None


def test_a_closed_cycles_tests_and_results_are_locked(cycle, coordinator, participant):
    """Closed: no test rescheduled, no attempt started or answered, until it is reopened."""
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from himaya.assessments import services as assessment_services
    from himaya.assessments.models import Phase, Test

    now = timezone.now()
    test = Test.objects.create(
        cycle=cycle,
        phase=Phase.POST,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    cycle.status = "closed"
    cycle.save()
    with pytest.raises(ValidationError) as refused:
        assessment_services.start_attempt(test=test, participant=participant)
    assert refused.value.code == assessment_services.CYCLE_CLOSED
    with pytest.raises(ValidationError):
        assessment_services.schedule_test(
            cycle=cycle,
            phase=Phase.POST,
            opens_at=test.opens_at,
            closes_at=test.closes_at + datetime.timedelta(days=1),
            actor=coordinator,
        )
    cycle.status = "running"
    cycle.save()
    assert assessment_services.start_attempt(test=test, participant=participant).pk

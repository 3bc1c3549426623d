"""Reminders when a test or a survey opens: once each, to seated participants who have not done
it, in their language."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from himaya.accounts import reminders
from himaya.accounts.models import Reminder
from himaya.assessments.models import Attempt, Phase, Survey, SurveyCompletion, Test
from himaya.training.models import EnrolmentStatus
from himaya.training.tests.factories import CycleFactory, EnrolmentFactory, UserFactory

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def seated(cycle):
    people = {
        "fr": UserFactory(preferred_language="fr"),
        "ar": UserFactory(preferred_language="ar"),
        "en": UserFactory(preferred_language="en"),
    }
    for person in people.values():
        EnrolmentFactory(cycle=cycle, participant=person, status=EnrolmentStatus.CONFIRMED)
    return people


@pytest.fixture
def unseated(cycle):
    withdrawn = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WITHDRAWN).participant
    waiting = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WAITING).participant
    return [withdrawn, waiting]


def _test(cycle, *, phase=Phase.PRE, opens=-HOUR, closes=2 * HOUR):
    now = timezone.now()
    return Test.objects.create(
        cycle=cycle, phase=phase, opens_at=now + opens, closes_at=now + closes
    )


def _run(capture, **kwargs):
    with capture(execute=True):
        return reminders.send_reminders(**kwargs)


def _to(outbox):
    return sorted(m.to[0] for m in outbox)


@pytest.mark.django_db
def test_an_open_test_reminds_each_seated_participant_once_in_their_language(
    cycle, seated, unseated, django_capture_on_commit_callbacks
):
    test = _test(cycle)
    done = UserFactory()
    EnrolmentFactory(cycle=cycle, participant=done)
    Attempt.objects.create(
        test=test,
        participant=done,
        form="A",
        started_at=timezone.now(),
        submitted_at=timezone.now(),
    )
    assert _run(django_capture_on_commit_callbacks) == 3
    assert _to(mail.outbox) == sorted(p.email for p in seated.values())
    by_address = {m.to[0]: m for m in mail.outbox}
    arabic = by_address[seated["ar"].email]
    assert "الاختبار القبلي" in arabic.subject + arabic.body
    assert f"/ar/tests/{test.pk}/" in arabic.body
    assert 'dir="rtl"' in arabic.alternatives[0][0]
    assert "pré-test" in by_address[seated["fr"].email].subject
    assert f"/en/tests/{test.pk}/" in by_address[seated["en"].email].body
    assert set(Reminder.objects.values_list("key", flat=True)) == {f"test:{test.pk}"}

    # Again, and again: nobody gets it twice.
    mail.outbox.clear()
    assert _run(django_capture_on_commit_callbacks) == 0
    call_command("send_reminders")
    assert mail.outbox == []
    assert Reminder.objects.count() == 3


@pytest.mark.django_db
def test_a_started_but_unsubmitted_test_still_gets_its_reminder(
    cycle, seated, django_capture_on_commit_callbacks
):
    test = _test(cycle, phase=Phase.POST)
    Attempt.objects.create(test=test, participant=seated["fr"], form="B", started_at=timezone.now())
    assert _run(django_capture_on_commit_callbacks) == 3
    assert "post-test" in {m.to[0]: m for m in mail.outbox}[seated["fr"].email].subject


@pytest.mark.django_db
def test_tests_not_open_now_remind_nobody(cycle, seated, django_capture_on_commit_callbacks):
    _test(cycle, phase=Phase.PRE, opens=HOUR, closes=3 * HOUR)  # not yet
    _test(cycle, phase=Phase.POST, opens=-3 * HOUR, closes=-HOUR)  # over
    assert _run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    # Once the pre-test opens, it is reminded.
    later = timezone.now() + 2 * HOUR
    assert _run(django_capture_on_commit_callbacks, now=later) == 3


@pytest.mark.django_db
def test_an_open_survey_reminds_those_who_have_not_answered(
    cycle, seated, unseated, django_capture_on_commit_callbacks
):
    now = timezone.now()
    survey = Survey.objects.create(
        cycle=cycle, kind="cycle", title="Satisfaction", opens_at=now - HOUR, closes_at=now + HOUR
    )
    SurveyCompletion.objects.create(
        survey=survey, participant=seated["en"], completed_on=now.date()
    )
    other_cycle_person = EnrolmentFactory(cycle=CycleFactory()).participant
    assert _run(django_capture_on_commit_callbacks) == 2
    assert _to(mail.outbox) == sorted([seated["fr"].email, seated["ar"].email])
    assert other_cycle_person.email not in _to(mail.outbox)
    french = {m.to[0]: m for m in mail.outbox}[seated["fr"].email]
    assert "« Satisfaction »" in french.subject
    assert f"/fr/surveys/{survey.pk}/" in french.body
    assert _run(django_capture_on_commit_callbacks) == 0


@pytest.mark.django_db
def test_people_without_a_password_are_told_how_to_get_in(
    cycle, django_capture_on_commit_callbacks
):
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    EnrolmentFactory(cycle=cycle, participant=person)
    _test(cycle)
    _run(django_capture_on_commit_callbacks)
    assert "Mot de passe oublié" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_database_refuses_the_same_reminder_twice(participant):
    Reminder.objects.create(user=participant, key="test:1")
    with pytest.raises(IntegrityError):
        Reminder.objects.create(user=participant, key="test:1")


@pytest.mark.django_db
def test_the_task_sends_them_too(cycle, seated, django_capture_on_commit_callbacks):
    from himaya.accounts.tasks import send_reminders

    _test(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders.enqueue()
    assert result.return_value == 3
    assert len(mail.outbox) == 3

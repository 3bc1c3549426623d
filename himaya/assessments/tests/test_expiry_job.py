"""An attempt's expiry is handed to the worker when the backend can defer work."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import default_task_backend

from himaya.assessments import selectors, services
from himaya.assessments.tests.factories import bank, open_tests

pytestmark = pytest.mark.django_db


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_starting_an_attempt_schedules_its_submission_at_the_cutoff(
    cycle, participant, django_capture_on_commit_callbacks
):
    bank(cycle.programme)
    pre, _post = open_tests(cycle, time_limit=20)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.start_attempt(test=pre, participant=participant)
    [scheduled] = default_task_backend.results
    assert scheduled.task.name == "submit_expired_attempts"
    assert scheduled.task.run_after == selectors.attempt_cutoff(attempt)
    assert attempt.deadline - attempt.started_at == datetime.timedelta(minutes=20)


def test_the_immediate_backend_schedules_nothing_and_the_command_submits(
    cycle, participant, django_capture_on_commit_callbacks, capsys
):
    import time_machine

    bank(cycle.programme)
    pre, _post = open_tests(cycle, time_limit=20)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.start_attempt(test=pre, participant=participant)
    assert attempt.submitted_at is None
    with time_machine.travel(attempt.deadline + datetime.timedelta(minutes=5)):
        call_command("submit_expired_attempts")
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert "1 attempt(s) submitted." in capsys.readouterr().out

"""Assessment services write typed audit events."""

import datetime

import pytest
from django.utils import timezone

from himaya.assessments import services
from himaya.assessments.tests.factories import bank, open_tests
from himaya.core import audit
from himaya.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_closing_a_test_early_is_a_test_closed_event(cycle, coordinator):
    bank(cycle.programme)
    pre, _post = open_tests(cycle)
    now = timezone.now() + datetime.timedelta(minutes=5)
    services.close_test(test=pre, actor=coordinator, now=now)
    entry = AuditEntry.objects.get(event=audit.TEST_CLOSED)
    assert entry.actor == coordinator and entry.target_id == str(pre.pk)
    assert entry.changes["closes_at"][1].startswith(now.strftime("%Y-%m-%dT%H:%M:%S"))
    services.close_test(test=pre, actor=coordinator, now=now)  # already closed: no new event
    assert AuditEntry.objects.filter(event=audit.TEST_CLOSED).count() == 1


def test_starting_and_submitting_an_attempt_are_events(cycle, participant):
    bank(cycle.programme)
    pre, _post = open_tests(cycle)
    attempt = services.start_attempt(test=pre, participant=participant)
    services.submit_attempt(attempt=attempt)
    assert list(
        AuditEntry.objects.filter(target_id=str(attempt.pk), target_type__model="attempt")
        .order_by("id")
        .values_list("event", "actor")
    ) == [
        (audit.ATTEMPT_STARTED, participant.pk),
        (audit.ATTEMPT_SUBMITTED, participant.pk),
    ]

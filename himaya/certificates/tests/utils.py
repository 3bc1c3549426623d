"""Builders shared by the certificates tests."""

import datetime

from himaya.accounts.choices import Role
from himaya.certificates.models import CompletionRule
from himaya.training import services as training_services
from himaya.training.tests.factories import PartnerFactory, SessionFactory, UserFactory


def agenda(cycle, n=5):
    """`n` sessions with attendance on the cycle's first day, 1 h 30 each, from 8:00."""
    return [
        SessionFactory(
            cycle=cycle,
            start_time=datetime.time(8 + i * 2, 0),
            end_time=datetime.time(9 + i * 2, 30),
        )
        for i in range(n)
    ]


def attend(sessions, person, statuses, *, actor):
    """Record `statuses` (one per session: "present", "excused", …) for `person`."""
    for session, status in zip(sessions, statuses, strict=True):
        training_services.record_attendance(
            session=session, participant=person, status=status, actor=actor
        )


def rule(cycle, *, minimum="0.80", post_test=False, excused="absent"):
    return CompletionRule.objects.update_or_create(
        cycle=cycle,
        defaults={
            "min_attendance": minimum,
            "require_post_test": post_test,
            "excused_absences": excused,
        },
    )[0]


def other_coordinator():
    return UserFactory(
        role=Role.COORDINATOR,
        partner=PartnerFactory(slug="other", name="Other", short_name="O"),
        email="outsider@example.test",
        is_staff=True,
    )

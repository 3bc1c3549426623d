"""Reminders: an e-mail to each participant when their cycle's pre-test, post-test or a survey
opens, until they have done it, and never the same reminder twice.

`send_reminders()` is run by `himaya send_reminders` (from cron) and by the task of the same
name (`himaya.accounts.tasks`); both may run as often as wanted. Each reminder a person gets is
a `Reminder(user, key)` row — `test:<pk>`, `survey:<pk>` — under a unique constraint, written in
the transaction that hands the e-mail over (on commit), so two runs at once cannot both send it.

It reads the assessments' and training's models (above `accounts`) through the app registry
and changes nothing of theirs."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from himaya.core import audit

from . import mail
from .models import Reminder, User


def _seated(cycle_ids) -> dict[int, list[int]]:
    """{cycle pk: [participant pks holding a seat]} for the given cycles, in one query."""
    from himaya.training.models import WITHOUT_SEAT

    enrolment = apps.get_model("training", "Enrolment")
    seated: dict[int, list[int]] = {}
    rows = (
        enrolment.objects.filter(cycle_id__in=cycle_ids)
        .exclude(status__in=WITHOUT_SEAT)
        .values_list("cycle_id", "participant_id")
    )
    for cycle_id, participant_id in rows:
        seated.setdefault(cycle_id, []).append(participant_id)
    return seated


def _remind(*, key: str, people: list[User], build) -> int:
    """Send one reminder `key` to each of `people` who has not had it yet."""
    already = set(
        Reminder.objects.filter(key=key, user__in=people).values_list("user_id", flat=True)
    )
    sent = 0
    for user in people:
        if user.pk in already:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(user=user, key=key)
                audit.on_commit(build(user).send)
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind, once each, every seated participant of a cycle whose pre/post-test or survey is
    open now (opens_at <= now < closes_at) and who has not submitted it / answered it yet.
    Returns the number of e-mails sent."""
    test_model = apps.get_model("assessments", "Test")
    attempt_model = apps.get_model("assessments", "Attempt")
    survey_model = apps.get_model("assessments", "Survey")
    completion_model = apps.get_model("assessments", "SurveyCompletion")
    now = now or timezone.now()

    tests = list(
        test_model.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related("cycle")
    )
    surveys = list(
        survey_model.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related("cycle")
    )
    seated = _seated({item.cycle_id for item in [*tests, *surveys]})
    people = {
        user.pk: user
        for user in User.objects.filter(
            pk__in={pk for pks in seated.values() for pk in pks}, is_active=True
        )
    }

    sent = 0
    for test in tests:
        done = set(
            attempt_model.objects.filter(test=test, submitted_at__isnull=False).values_list(
                "participant_id", flat=True
            )
        )
        sent += _remind(
            key=f"test:{test.pk}",
            people=_to_remind(seated.get(test.cycle_id, []), people, done),
            build=_builder(
                kind=test.phase,
                what="",
                cycle=test.cycle,
                closes_at=test.closes_at,
                url_name="assessments:take_test",
                args=[test.pk],
            ),
        )
    for survey in surveys:
        done = set(
            completion_model.objects.filter(survey=survey).values_list("participant_id", flat=True)
        )
        sent += _remind(
            key=f"survey:{survey.pk}",
            people=_to_remind(seated.get(survey.cycle_id, []), people, done),
            build=_builder(
                kind="survey",
                what=survey.title,
                cycle=survey.cycle,
                closes_at=survey.closes_at,
                url_name="assessments:survey",
                args=[survey.pk],
            ),
        )
    return sent


def _to_remind(seated_pks, people: dict[int, User], done: set[int]) -> list[User]:
    return [people[pk] for pk in sorted(seated_pks) if pk in people and pk not in done]


def _builder(*, kind, what, cycle, closes_at, url_name, args):
    def build(user):
        return mail.build(
            user=user,
            template="reminder",
            context={
                "kind": kind,
                "what": what,
                "cycle": cycle,
                "closes_at": closes_at,
                "link": mail.absolute_url(url_name, args=args, language=mail.language_of(user)),
            },
        )

    return build

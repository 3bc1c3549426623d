"""A small question bank for tests: per axis, one single-choice pair and one vignette pair."""

import datetime

from django.utils import timezone

from himaya.assessments.models import Choice, Phase, Question, Test
from himaya.training.selectors import local_datetime
from himaya.training.tests.factories import AxisFactory


def choice(question, key, correct=False):
    return Choice.objects.create(
        question=question, key=key, text_fr=f"Choix {key}", text_ar=f"اختيار {key}", correct=correct
    )


def bank(programme, axes=2):
    made = []
    for a in range(axes):
        axis = AxisFactory(programme=programme, key=f"axis{a}", order=a)
        for form in ("A", "B"):
            q = Question.objects.create(
                key=f"ax{a}-01{form.lower()}",
                axis=axis,
                pair=f"ax{a}-01",
                form=form,
                kind="single",
                stem_fr="Question ?",
                stem_ar="سؤال؟",
                explanation_fr="Parce que.",
                position=0,
            )
            choice(q, "a", True)
            choice(q, "b")
            m = Question.objects.create(
                key=f"ax{a}-02{form.lower()}",
                axis=axis,
                pair=f"ax{a}-02",
                form=form,
                kind="multiple",
                stem_fr="Plusieurs ?",
                position=1,
            )
            choice(m, "a", True)
            choice(m, "b", True)
            choice(m, "c")
            v = Question.objects.create(
                key=f"ax{a}-03{form.lower()}",
                axis=axis,
                pair=f"ax{a}-03",
                form=form,
                kind="vignette",
                stem_fr="Cas pratique.",
                position=2,
            )
            for i in (1, 2):
                item = Question.objects.create(
                    key=f"ax{a}-03{form.lower()}.{i}",
                    axis=axis,
                    parent=v,
                    kind="true_false",
                    stem_fr=f"Affirmation {i}",
                    position=i,
                )
                choice(item, "true", i == 1)
                choice(item, "false", i == 2)
            made.append(axis)
    return made


def open_tests(cycle, *, time_limit=None):
    now = timezone.now()
    pre = Test.objects.create(
        cycle=cycle,
        phase=Phase.PRE,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=2),
        time_limit_minutes=time_limit,
    )
    post = Test.objects.create(
        cycle=cycle,
        phase=Phase.POST,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=2),
        time_limit_minutes=time_limit,
    )
    return pre, post


def at(day, hour, minute=0):
    """A local (Africa/Casablanca) time in December 2024."""
    return local_datetime(datetime.date(2024, 12, day), datetime.time(hour, minute))

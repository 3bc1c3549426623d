"""Fixtures of the assessments tests: a two-day agenda, and one survey template per kind."""

import datetime

import pytest

from himaya.assessments.models import SurveyKind, SurveyTemplate, SurveyTemplateQuestion
from himaya.training.tests.factories import SessionFactory


@pytest.fixture
def agenda(cycle):
    first = SessionFactory(cycle=cycle, key="s1", date=datetime.date(2024, 12, 5))
    last = SessionFactory(
        cycle=cycle,
        key="s2",
        date=datetime.date(2024, 12, 6),
        start_time=datetime.time(14, 0),
        end_time=datetime.time(17, 0),
    )
    return first, last


@pytest.fixture
def templates(db):
    made = {}
    for position, kind in enumerate(SurveyKind.values):
        template = SurveyTemplate.objects.create(
            key=f"t-{kind}".replace("_", "-"),
            kind=kind,
            title_fr=f"Modèle {kind}",
            title_ar=f"نموذج {kind}",
            title_en=f"Template {kind}",
            position=position,
        )
        SurveyTemplateQuestion.objects.create(
            template=template, key="overall", kind="likert", text_fr="Globalement ?", position=0
        )
        SurveyTemplateQuestion.objects.create(
            template=template, key="comment", kind="text", text_fr="Un commentaire ?", position=1
        )
        made[kind] = template
    return made

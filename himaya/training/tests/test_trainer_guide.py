"""The trainer's guide of each module: complete in three languages, timed to the module's
duration, shown on the module page to trainers and coordinators only."""

import datetime

import pytest
import yaml
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from himaya.core.content import LANGUAGES, ContentErrors
from himaya.training.content import discussion_questions, validate_curriculum
from himaya.training.tests.factories import AxisFactory, ModuleFactory

CONTENT = settings.BASE_DIR / "content"
DEMO_CYCLE = CONTENT / "demo" / "cycle-casablanca-2024.yaml"


@pytest.fixture(scope="module")
def plan():
    errors = ContentErrors(CONTENT)
    result = validate_curriculum(CONTENT, errors)
    assert not errors, "\n".join(errors.messages)
    return result


def test_every_module_has_a_guide_in_three_languages_timed_to_its_duration(plan):
    assert len(plan["modules"]) == 9
    for module in plan["modules"]:
        guide = module["trainer_guide"]
        assert guide["plan"], module["key"]
        assert sum(step["minutes"] for step in guide["plan"]) == module["duration_minutes"]
        for language in LANGUAGES:
            for step in guide["plan"]:
                assert step["title"][language].strip(), (module["key"], language)
                assert step["activity"][language].strip(), (module["key"], language)
            asked = discussion_questions(module["content"][language])
            assert asked and len(guide["answers"]) == asked, (module["key"], language)
            assert all(answer[language].strip() for answer in guide["answers"])
            case = guide["case"]
            assert case["title"][language].strip() and case["scenario"][language].strip()
            assert case["points"][language], (module["key"], language)


def test_a_plan_that_does_not_add_up_is_refused(tmp_path):
    source = CONTENT / "curriculum"
    target = tmp_path / "curriculum"
    (target / "modules").mkdir(parents=True)
    (target / "programme.yaml").write_text((source / "programme.yaml").read_text("utf-8"))
    module = yaml.safe_load((source / "modules" / "trauma-and-testimony.yaml").read_text("utf-8"))
    module["trainer_guide"]["plan"][0]["minutes"] += 5
    del module["trainer_guide"]["answers"][0]["ar"]
    (target / "modules" / "trauma-and-testimony.yaml").write_text(
        yaml.safe_dump(module, allow_unicode=True), "utf-8"
    )
    errors = ContentErrors(tmp_path)
    validate_curriculum(tmp_path, errors)
    text = "\n".join(errors.messages)
    assert "trainer_guide.plan lasts" in text
    assert "lacks its 'ar' version" in text


@pytest.mark.django_db
def test_the_loaded_guide_is_stored_on_the_module_in_each_language(plan):
    from himaya.training.content import apply_curriculum
    from himaya.training.models import Module

    counts = {"created": 0, "updated": 0, "unchanged": 0}
    apply_curriculum(plan, counts)
    apply_curriculum(plan, counts)  # a second load changes nothing
    assert counts["updated"] == 0
    for module in Module.objects.all():
        for language in LANGUAGES:
            guide = module.trainer_guide_in(language)
            assert guide["total_minutes"] == module.duration_minutes
            assert guide["answers"] and guide["case"]["points"]


def _minutes(start: str, end: str) -> int:
    day = datetime.date(2024, 1, 1)
    begin = datetime.datetime.combine(day, datetime.time.fromisoformat(start))
    return int(
        (datetime.datetime.combine(day, datetime.time.fromisoformat(end)) - begin).seconds / 60
    )


def test_module_durations_fill_the_demo_agenda_exactly(plan):
    """Each teaching session of the two-day Casablanca agenda is shared by its modules."""
    durations = {m["key"]: m["duration_minutes"] for m in plan["modules"]}
    sessions = yaml.safe_load(DEMO_CYCLE.read_text("utf-8"))["sessions"]
    teaching = [s for s in sessions if s.get("modules")]
    for session in teaching:
        length = _minutes(session["start"], session["end"])
        assert sum(durations[key] for key in session["modules"]) == length, session["key"]
    assert sum(durations.values()) == 720
    assert {key for s in teaching for key in s["modules"]} == set(durations)


# --- the module page ----------------------------------------------------------------------------

GUIDE = {
    "plan": [
        {
            "minutes": 60,
            "title": {"fr": "Étape unique", "ar": "مرحلة وحيدة", "en": "Only step"},
            "activity": {"fr": "Travail en groupes", "ar": "عمل في مجموعات", "en": "Group work"},
        },
        {
            "minutes": 30,
            "title": {"fr": "Synthèse", "ar": "خلاصة", "en": "Wrap-up"},
            "activity": {"fr": "Mise en commun", "ar": "عرض النتائج", "en": "Reporting back"},
        },
    ],
    "answers": [{"fr": "RÉPONSE-MODÈLE-FR", "ar": "جواب نموذجي", "en": "MODEL-ANSWER-EN"}],
    "case": {
        "title": {"fr": "Cas deux", "ar": "الحالة الثانية", "en": "Case two"},
        "scenario": {"fr": "SCÉNARIO-FR", "ar": "سيناريو", "en": "SCENARIO-EN"},
        "points": {"fr": ["Point A"], "ar": ["النقطة أ"], "en": ["Point A"]},
    },
}


@pytest.fixture
def guided_module(cycle):
    return ModuleFactory(
        axis=AxisFactory(programme=cycle.programme), duration_minutes=90, trainer_guide=GUIDE
    )


def _page(client, module, lang="fr"):
    with translation.override(lang):
        return client.get(reverse("training:module_detail", args=[module.key]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang,answer", [("fr", "RÉPONSE-MODÈLE-FR"), ("ar", "جواب نموذجي"), ("en", "MODEL-ANSWER-EN")]
)
def test_a_trainer_sees_the_guide_on_the_module_page(client, trainer, guided_module, lang, answer):
    client.force_login(trainer)
    response = _page(client, guided_module, lang)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="trainer-guide"' in page and answer in page
    assert response.context["trainer_guide"]["total_minutes"] == 90


@pytest.mark.django_db
def test_a_coordinator_sees_the_guide(client, coordinator, guided_module):
    client.force_login(coordinator)
    page = _page(client, guided_module).content.decode()
    assert 'id="trainer-guide"' in page and "SCÉNARIO-FR" in page


@pytest.mark.django_db
def test_a_participant_reads_the_module_but_not_the_guide(client, participant, guided_module):
    client.force_login(participant)
    response = _page(client, guided_module)
    page = response.content.decode()
    assert response.status_code == 200
    assert guided_module.title in page
    assert 'id="trainer-guide"' not in page
    assert "RÉPONSE-MODÈLE-FR" not in page and "SCÉNARIO-FR" not in page
    assert response.context["trainer_guide"] is None


@pytest.mark.django_db
def test_an_anonymous_visitor_sees_no_guide(client, guided_module):
    response = _page(client, guided_module)
    page = response.content.decode()
    assert response.status_code in (302, 403)
    assert "RÉPONSE-MODÈLE-FR" not in page and "SCÉNARIO-FR" not in page

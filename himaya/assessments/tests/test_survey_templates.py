"""The survey templates are content (content/assessments/surveys/*.yaml) in three languages."""

from pathlib import Path

import pytest
from django.conf import settings

from himaya.assessments.content import apply_survey_templates, validate_survey_templates
from himaya.assessments.models import SurveyKind, SurveyTemplate
from himaya.core.content import ContentErrors

ROOT = Path(settings.BASE_DIR) / "content"


def test_the_three_templates_are_valid_and_complete():
    errors = ContentErrors(root=ROOT)
    templates = validate_survey_templates(ROOT, errors)
    assert not errors, errors.messages
    assert sorted(t["kind"] for t in templates) == sorted(SurveyKind.values)
    for template in templates:
        kinds = [q["kind"] for q in template["questions"]]
        assert kinds.count("likert") >= 3 and "text" in kinds
        for q in template["questions"]:
            assert all(q["text"][lang] for lang in ("fr", "ar", "en")), q["key"]


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_a_removed_template_is_retired():
    errors = ContentErrors(root=ROOT)
    templates = validate_survey_templates(ROOT, errors)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    apply_survey_templates(templates, counts)
    assert SurveyTemplate.objects.filter(active=True).count() == 3
    again = {"created": 0, "updated": 0, "unchanged": 0}
    apply_survey_templates(templates, again)
    assert again["created"] == again["updated"] == 0
    apply_survey_templates(templates[:2], again)
    assert SurveyTemplate.objects.filter(active=True).count() == 2


def test_a_bad_template_is_reported_with_its_file_and_line(tmp_path):
    folder = tmp_path / "assessments" / "surveys"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text(
        "key: bad\nkind: weekly\ntitle: {fr: Mauvais, ar: سيء, en: Bad}\n"
        "questions:\n  - {key: q, kind: stars, text: {fr: Q}}\n",
        encoding="utf-8",
    )
    errors = ContentErrors(root=tmp_path)
    validate_survey_templates(tmp_path, errors)
    text = "\n".join(errors.messages)
    assert "unknown survey kind 'weekly'" in text
    assert "unknown survey question kind 'stars'" in text
    assert "lacks its 'ar' version" in text
    assert "bad.yaml:" in text

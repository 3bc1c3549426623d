"""The platform's languages come from one module; every other list is derived from it."""

from django.conf import settings
from django.utils import translation

from himaya.accounts.models import User
from himaya.core import content, languages
from himaya.core.search import analysis


def test_every_language_list_is_derived_from_the_one_module():
    codes = languages.LANGUAGE_CODES
    assert codes == ("fr", "ar", "en")
    assert settings.LANGUAGE_CODE == languages.DEFAULT_LANGUAGE == "fr"
    assert tuple(code for code, _name in settings.LANGUAGES) == codes
    assert tuple(settings.MODELTRANSLATION_LANGUAGES) == codes
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES == {"default": ("fr", "en", "ar")}
    assert content.LANGUAGES == analysis.LANGUAGES == codes
    field = User._meta.get_field("preferred_language")
    assert field.choices == [("fr", "Français"), ("ar", "العربية"), ("en", "English")]
    assert field.default == "fr"


def test_language_names_in_settings_are_still_translated():
    with translation.override("fr"):
        assert [str(name) for _code, name in settings.LANGUAGES] == ["Français", "Arabe", "Anglais"]


def test_the_languages_module_needs_no_django():
    source = (settings.PACKAGE_DIR / "core" / "languages.py").read_text(encoding="utf-8")
    assert "from django" not in source and "import django" not in source

"""Every UI string exists in French and Arabic: no untranslated and no fuzzy entry."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:5]}"
    assert len(catalogue) > 100


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_placeholders_are_kept(language):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue  # plural forms may drop the number ("one participant")
        assert set(pattern.findall(entry.msgid)) == set(pattern.findall(entry.msgstr)), entry.msgid


def test_catalogue_is_compiled_and_used(client):
    from django.utils import translation

    with translation.override("ar"):
        assert translation.gettext("Sign in") != "Sign in"
    with translation.override("fr"):
        assert translation.gettext("Sign in") != "Sign in"


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["en-US,en", "ar", "fr"])
def test_language_switch_keeps_the_page_whatever_the_browser_language(client, accept):
    response = client.post(
        "/i18n/setlang/",
        {"language": "ar", "next": "/fr/accounts/login/?next=/fr/"},
        HTTP_ACCEPT_LANGUAGE=accept,
    )
    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/login/?next=/fr/"
    assert response.cookies["django_language"].value == "ar"


@pytest.mark.django_db
def test_language_switch_refuses_foreign_redirects(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/fr/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_language_switch_on_a_page_without_prefix_stays_there(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/verify/abc"})
    assert response["Location"] == "/verify/abc"
    assert response.cookies["django_language"].value == "ar"

"""Typography: French signs and quotes, isolation of mixed fragments, law numbers kept whole,
«رمز التحقق» for a certificate's code, and an administration that says it is Himaya's."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils.safestring import mark_safe

from himaya.core.templatetags.himaya import bdi, nobreak, nobreak_numbers, render_markdown
from himaya.core.text import FSI, LRI, PDI, isolate, law_numbers

LOCALE = Path(settings.BASE_DIR) / "locale"
NNBSP = "\u202f"
TAG = re.compile(r"<[^>]*>")
BRACES = re.compile(r"\{[^}]*\}")  # literal examples such as «{fr: [...]}»


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def french_texts():
    for entry in catalogue("fr").translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                yield entry.msgid, BRACES.sub("", TAG.sub("", text))


def french_typography_faults(text: str) -> list[str]:
    faults = []
    if re.search(r"[ \u00a0][:;?!»]", text):
        faults.append("an ordinary space before : ; ? ! or »")
    if re.search(r"(?<=[\w)\]’%])[:;?!](?=\s|$)", text):
        faults.append("no space before : ; ? !")
    if re.search(r"«[ \u00a0]|«(?=\w)", text):
        faults.append("« without a narrow no-break space")
    if re.search(r"[\"“”]", text):
        faults.append("straight or English quotes (use « »)")
    if re.search(r"\w'\w", text):
        faults.append("straight apostrophe (use ’)")
    if re.search(r"\bde (?:AMJ|ARJ|%\(partner\)s)", text):
        faults.append("«de» before a partner's acronym")
    return faults


def test_the_checker_catches_each_fault():
    assert french_typography_faults("Règle : oui") and french_typography_faults("Règle: oui")
    assert french_typography_faults("Vraiment ?") and french_typography_faults('Le "code"')
    assert french_typography_faults("«\u202fx »") and french_typography_faults("l'attestation")
    assert french_typography_faults("“x”") and french_typography_faults("Cycles de AMJ")
    assert not french_typography_faults(
        f"Règle{NNBSP}: «{NNBSP}x{NNBSP}» l’attestation{NNBSP}; 10:30, https://x.test/a?b=1"
    )


def test_the_french_catalogue_follows_french_typography():
    faults = {
        msgid: found for msgid, text in french_texts() if (found := french_typography_faults(text))
    }
    assert not faults, f"{len(faults)} French entries: {list(faults.items())[:5]}"


def test_the_arabic_catalogue_never_calls_a_certificate_code_a_legal_code():
    ar = catalogue("ar")
    wrong = [
        e.msgid
        for e in ar.translated_entries()
        if re.search(r"\bcodes?\b", e.msgid, re.I)
        and "مدونة" in e.msgstr
        # «Code» alone is the kind of a legal instrument (a penal code): «مدونة» is right there.
        and not (e.msgid == "Code" and all("benchbook" in path for path, _ in e.occurrences))
    ]
    assert not wrong, wrong
    assert ar.find("Verification code").msgstr == "رمز التحقق"


@pytest.mark.django_db
def test_the_arabic_verification_pages_say_verification_code(client):
    page = client.get("/verify/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar"' in page and "رمز التحقق" in page and "مدونة" not in page
    unknown = client.get("/verify/ABCDE-FGHJK-LMNPQ", HTTP_ACCEPT_LANGUAGE="ar")
    assert unknown.status_code == 404 and "مدونة" not in unknown.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("fr", "Administration de la plateforme Himaya"),
        ("ar", "إدارة منصة حماية"),
        ("en", "Himaya administration"),
    ],
)
def test_the_administration_is_himayas(client, admin_user, language, name):
    login = client.get(f"/{language}/admin/login/").content.decode()
    assert name in login and "Django" not in login and "جانغو" not in login
    client.force_login(admin_user)
    index = client.get(f"/{language}/admin/").content.decode()
    assert "<title>" in index and name in index and "جانغو" not in index


# --- isolation and numbers ------------------------------------------------------------------


def test_bdi_isolates_names_and_gives_a_direction_to_codes_and_numbers():
    assert bdi("Fatima Zahra <El Idrissi>") == "<bdi>Fatima Zahra &lt;El Idrissi&gt;</bdi>"
    assert bdi("ABCDE-FGHJK", "ltr") == '<bdi dir="ltr">ABCDE-FGHJK</bdi>'
    assert bdi("x", "sideways") == "<bdi>x</bdi>"
    assert bdi("") == "" and bdi(None) == ""


def test_bdi_in_an_arabic_sentence():
    rendered = Template(
        "{% load i18n himaya %}{% blocktranslate with name=person|bdi %}Welcome, {{ name }}{% endblocktranslate %}"
    ).render(Context({"person": "Fatima-Zahra"}))
    assert rendered.endswith("<bdi>Fatima-Zahra</bdi>")


def test_nobreak_keeps_a_law_number_on_one_line_as_typed():
    assert nobreak("82-5-2") == '<bdi class="nobreak" dir="ltr">82-5-2</bdi>'
    assert "\u2011" not in nobreak("503-1-1")  # search and copy find the typed hyphen
    assert nobreak(None) == ""


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("la loi n° 103.13 relative", ["n° 103.13"]),
        ("القانون رقم 103.13 المتعلق", ["رقم 103.13"]),
        ("articles 1-323 et 82-5-2.", ["1-323", "82-5-2"]),
        ("l’article 503-1-1, puis 4-c", ["503-1-1", "4-c"]),
        ("la résolution 65/228 de 2010", ["65/228"]),
        ("en 2024, à 10 h, version 3", []),
        ("COVID-19 et A-1", []),
    ],
)
def test_law_numbers_are_found(text, numbers):
    assert [text[a:b] for a, b in law_numbers(text)] == numbers


def test_nobreak_numbers_escapes_plain_text_and_leaves_tags_alone():
    assert nobreak_numbers("<b>loi 103.13</b>") == (
        '&lt;b&gt;loi <span class="nobreak">103.13</span>&lt;/b&gt;'
    )
    html = mark_safe('<a href="/fr/benchbook/ma-penal-code:503-1-1/">art. 503-1-1</a>')
    assert nobreak_numbers(html) == (
        '<a href="/fr/benchbook/ma-penal-code:503-1-1/"><span class="nobreak">art. 503-1-1</span></a>'
    )
    assert nobreak_numbers(None) == ""


def test_module_texts_keep_law_numbers_whole():
    html = render_markdown("La **loi 103.13** complète l’article 1-323 et l’article 82-5-2.")
    assert html.count('class="nobreak"') == 3 and "<strong>loi " in html


def test_plain_text_isolation_for_emails_and_files():
    assert isolate("Fatima") == f"{FSI}Fatima{PDI}"
    assert isolate("ABCDE-FGHJK", "ltr") == f"{LRI}ABCDE-FGHJK{PDI}"
    assert isolate("") == "" and isolate(None) == ""

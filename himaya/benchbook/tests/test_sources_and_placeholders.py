"""Sources are cited in the reader's language; placeholder provisions (kept for the keys other
content refers to) are hidden from readers: no page, no contents entry, no search result, no
API result, no link."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from himaya.benchbook import search, selectors
from himaya.benchbook.models import CrossReference
from himaya.benchbook.tests.factories import instrument, provision, small_corpus

pytestmark = pytest.mark.django_db

SOURCE = {
    "fr": "Code pénal, art. 1-88, inséré par l’art. 5 de la loi n° 103-13",
    "ar": "مجموعة القانون الجنائي، الفصل 1-88، المضاف بالمادة 5 من القانون رقم 103.13",
    "en": "Penal Code, Art. 88-1, inserted by Art. 5 of Law 103-13",
}


def text_of(response) -> str:
    """The page as read: tags (number spans included) removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def url(name, *args, lang="fr"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.fixture
def corpus(db):
    items = small_corpus()
    p = items["88-1"]
    for lang, text in SOURCE.items():
        setattr(p, f"source_{lang}", text)
    p.save()
    pc = p.instrument
    pc.official_source_fr = "Code pénal (dahir n° 1-59-413 du 26 novembre 1962)"
    pc.official_source_ar = (
        "مجموعة القانون الجنائي (الظهير الشريف رقم 1.59.413 بتاريخ 26 نونبر 1962)"
    )
    pc.official_source_en = "Penal Code (Dahir No. 1-59-413 of 26 November 1962)"
    pc.save()
    # A placeholder between 88-1 and 486, on the same concept as 88-1 and cross-referred.
    items["429"] = provision(
        pc,
        "429",
        title_fr="Menaces",
        fr="Les menaces entre conjoints : placeholder-texte.",
        concepts=[items["88-1"].concepts.first()],
        placeholder=True,
        position=2,
    )
    items["486"].position = 3
    items["486"].save()
    cedaw = instrument(
        "un-cedaw", kind="treaty", jurisdiction="un", title_fr="CEDAW", morocco_status="acceded"
    )
    items["cedaw:2"] = provision(cedaw, "2", title_fr="Obligations des États")
    CrossReference.objects.create(
        national=items["429"], international=items["cedaw:2"], relation="gap", note_fr="Lacune."
    )
    CrossReference.objects.create(
        national=items["88-1"], international=items["cedaw:2"], relation="implements"
    )
    search.reindex()
    return items


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_sources_are_shown_in_the_reader_language(client, corpus, lang):
    page = text_of(client.get(url("benchbook:provision", "ma-penal-code:88-1", lang=lang)))
    assert SOURCE[lang] in page
    assert not any(SOURCE[other] in page for other in SOURCE if other != lang)
    page = text_of(client.get(url("benchbook:instrument", "ma-penal-code", lang=lang)))
    official = {
        "fr": "Code pénal (dahir n° 1-59-413 du 26 novembre 1962)",
        "ar": "مجموعة القانون الجنائي (الظهير الشريف رقم 1.59.413 بتاريخ 26 نونبر 1962)",
        "en": "Penal Code (Dahir No. 1-59-413 of 26 November 1962)",
    }
    assert official[lang] in page
    assert not any(official[other] in page for other in official if other != lang)


def test_the_french_source_label_takes_a_narrow_space(client, corpus):
    page = client.get(url("benchbook:provision", "ma-penal-code:88-1")).content.decode()
    assert "Source&#8239;: Code pénal, " in page


def test_a_placeholder_has_no_page_and_no_place_in_lists(client, corpus):
    assert client.get(url("benchbook:provision", "ma-penal-code:429")).status_code == 404
    contents = client.get(url("benchbook:instrument", "ma-penal-code")).content.decode()
    assert "ma-penal-code:429/" not in contents and "ma-penal-code:486/" in contents
    concept = corpus["88-1"].concepts.first()
    page = client.get(url("benchbook:concept", concept.key)).content.decode()
    assert "ma-penal-code:429/" not in page and "ma-penal-code:88-1/" in page
    home = client.get(url("benchbook:home", lang="en")).content.decode()
    assert "3 entries" in home  # 88-1, 503-1-1 and 486; not the placeholder


def test_nothing_links_to_a_placeholder(client, corpus):
    # The pager of 88-1's neighbour skips it; the other side of a cross-reference is not shown.
    page = client.get(url("benchbook:provision", "ma-penal-code:503-1-1")).content.decode()
    assert "ma-penal-code:429/" not in page
    page = client.get(url("benchbook:provision", "un-cedaw:2")).content.decode()
    assert "ma-penal-code:88-1/" in page and "ma-penal-code:429/" not in page
    matrix = client.get(url("benchbook:matrix")).content.decode()
    assert "ma-penal-code:88-1/" in matrix and "ma-penal-code:429/" not in matrix
    assert selectors.reader_keys(["ma-penal-code:429", "ma-penal-code:88-1", "x:1"]) == {
        "ma-penal-code:88-1"
    }


def test_a_placeholder_is_not_found_by_search_or_the_api(client, corpus):
    from himaya.core import search as core_search

    # The loader removes a placeholder's document after rebuilding the index; do as it does.
    core_search.remove_document(corpus["429"])
    assert not [h for h in search.search("429").hits if h.provision.key == "ma-penal-code:429"]
    page = client.get(url("benchbook:search"), {"q": "429"}).content.decode()
    assert "ma-penal-code:429/" not in page
    body = client.get("/api/v1/benchbook/search", {"q": "429", "lang": "fr"}).json()
    assert "ma-penal-code:429" not in {r["key"] for r in body["results"]}


def test_the_api_hides_a_placeholder_even_if_it_is_still_indexed(client, corpus):
    body = client.get("/api/v1/benchbook/search", {"q": "placeholder-texte", "lang": "fr"}).json()
    assert "ma-penal-code:429" not in {r["key"] for r in body["results"]}
    page = client.get(url("benchbook:search"), {"q": "placeholder-texte"}).content.decode()
    assert "ma-penal-code:429/" not in page


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_the_api_gives_the_source_in_the_language_asked(client, corpus, lang):
    body = client.get("/api/v1/benchbook/search", {"q": "88-1", "lang": lang}).json()
    first = body["results"][0]
    assert first["key"] == "ma-penal-code:88-1" and first["source"] == SOURCE[lang]

import pytest
from django.urls import reverse
from django.utils import translation

from himaya.benchbook.models import Provision
from himaya.benchbook.tests.factories import small_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(db):
    return small_corpus()


def url(name, *args, lang="fr"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.mark.parametrize("lang,direction", [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_public_pages_without_sign_in(client, corpus, lang, direction):
    pages = [
        url("benchbook:home", lang=lang),
        url("benchbook:search", lang=lang) + "?q=harc%C3%A8lement",
        url("benchbook:instrument", "ma-penal-code", lang=lang),
        url("benchbook:provision", "ma-penal-code:88-1", lang=lang),
        url("benchbook:matrix", lang=lang),
        url("benchbook:concepts", lang=lang),
        url("benchbook:concept", "protection-order", lang=lang),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'dir="{direction}"' in response.content.decode()


def test_provision_page_shows_summary_in_the_reader_language_and_links_to_others(client, corpus):
    page = client.get(url("benchbook:provision", "ma-penal-code:88-1", lang="ar")).content.decode()
    assert "لمدة لا تتجاوز خمس سنوات" in page
    assert 'href="/fr/benchbook/p/ma-penal-code:88-1/"' in page
    assert 'href="/en/benchbook/p/ma-penal-code:88-1/"' in page


def test_to_verify_entries_carry_a_visible_warning(client, corpus):
    p = Provision.objects.get(key="ma-penal-code:486")
    p.verification = "to_verify"
    p.verification_note = "Article number recalled."
    p.save()
    page = client.get(url("benchbook:provision", p.key)).content.decode()
    assert "Article number recalled." in page and 'class="notice warning"' in page


def test_a_verified_entry_shows_its_note_plainly_labelled(client, corpus):
    p = Provision.objects.get(key="ma-penal-code:88-1")
    assert p.verification == "verified"
    p.verification_note_fr = (
        "Rédaction modifiée par une réforme ultérieure : vérifier la version en vigueur."
    )
    p.verification_note_ar = "صيغة معدلة بإصلاح لاحق: يتعين التحقق من الصيغة السارية."
    p.save()
    page = client.get(url("benchbook:provision", p.key)).content.decode()
    with translation.override("fr"):
        label = translation.gettext("Please note")  # « À noter »
    assert f'class="notice" role="note"><strong>{label}</strong>&#8239;: Rédaction modifiée' in page
    assert 'class="notice warning"' not in page
    page = client.get(url("benchbook:provision", p.key, lang="ar")).content.decode()
    assert 'dir="rtl"' in page and "صيغة معدلة بإصلاح لاحق" in page and 'role="note"' in page
    # The instrument's contents list shows it too, next to the provision, and the instrument's
    # own note (a verified instrument) heads its page.
    p.instrument.verification_note_fr = "Texte consolidé non officiel."
    p.instrument.save()
    page = client.get(url("benchbook:instrument", "ma-penal-code")).content.decode()
    assert 'class="meta" role="note">' in page and "Rédaction modifiée" in page
    assert f'class="notice" role="note"><strong>{label}</strong>&#8239;: Texte consolidé' in page


def test_an_entry_without_a_note_shows_no_note(client, corpus):
    page = client.get(url("benchbook:provision", "ma-penal-code:486")).content.decode()
    assert 'role="note"' not in page


def test_unknown_keys_are_404(client, corpus):
    assert client.get(url("benchbook:provision", "ma-penal-code:999-9")).status_code == 404
    assert client.get(url("benchbook:instrument", "nothing")).status_code == 404


def test_search_page_partial_for_instant_results(client, corpus):
    response = client.get(url("benchbook:search"), {"q": "88-1", "partial": "1"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="bb-results"')
    assert "ma-penal-code:88-1" in body


def test_matrix_pdf(client, corpus):
    response = client.get(url("benchbook:matrix_pdf", lang="ar"))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"


def test_page_query_counts_are_fixed(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(url("benchbook:provision", "ma-penal-code:88-1"))
    with django_assert_max_num_queries(8):
        client.get(url("benchbook:instrument", "ma-penal-code"))

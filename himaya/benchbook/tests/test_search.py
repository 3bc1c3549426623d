"""The same search tests run on SQLite (FTS5) and on PostgreSQL (tsvector), per DATABASE_URL."""

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from himaya.benchbook import search
from himaya.benchbook.tests.factories import small_corpus

pytestmark = pytest.mark.django_db


def keys(query, **kwargs):
    return [h.provision.key for h in search.search(query, **kwargs).hits]


@pytest.fixture
def corpus(db):
    return small_corpus()


@pytest.mark.parametrize(
    "query", ["503-1-1", "1-1-503", "article 1-1-503", "المادة 1-1-503", "art. 503-1-1"]
)
def test_article_numbers_in_any_written_form(corpus, query):
    assert keys(query)[0] == "ma-penal-code:503-1-1"


def test_french_query_with_another_word_form(corpus):
    assert keys("harceler par messages", language="fr")[0] == "ma-penal-code:503-1-1"


def test_arabic_query_with_diacritics(corpus):
    assert keys("التَّحَرُّش الجِنْسِي", language="ar")[0] == "ma-penal-code:503-1-1"


def test_concept_expansion_crosses_languages(corpus):
    # "restraining order" appears in no provision text, only in the thesaurus.
    assert keys("restraining order", language="en")[0] == "ma-penal-code:88-1"
    assert keys("منع الاتصال بالضحية", language="ar")[0] == "ma-penal-code:88-1"


def test_title_words_rank_above_body_words(corpus):
    assert keys("viol", language="fr")[0] == "ma-penal-code:486"


def test_filters(corpus):
    assert keys("victime", filters={"form": "harassment"}) == []
    assert keys("harcèlement", filters={"form": "harassment"}) == ["ma-penal-code:503-1-1"]
    assert keys("harcèlement", filters={"stage": "sentencing"}) == []
    assert keys("harcèlement", filters={"instrument": "ma-penal-code", "kind": "code"}) == [
        "ma-penal-code:503-1-1"
    ]
    assert keys("harcèlement", filters={"instrument": "no such thing"}) == []


def test_snippet_marks_matches_and_escapes_text(corpus):
    hit = search.search("harcèlement", language="fr").hits[0]
    assert "<mark>harcèle</mark>" in hit.snippet
    assert "<script" not in hit.snippet


def test_count_and_limit(corpus):
    # "sexuel" matches two provisions of the corpus (503-1-1 and 486): the limit cuts the hits,
    # never the count of matches.
    everything = search.search("sexuel", language="fr")
    assert everything.count == 2
    assert sorted(h.provision.key for h in everything.hits) == [
        "ma-penal-code:486",
        "ma-penal-code:503-1-1",
    ]
    limited = search.search("sexuel", language="fr", limit=1)
    assert limited.count == 2
    assert [h.provision.key for h in limited.hits] == [everything.hits[0].provision.key]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '"unbalanced',
        "harcèlement AND OR NOT",
        "NEAR(harcèlement viol)",
        "titles: viol",
        "{numbers titles}: 486",
        "viol*",
        "^viol",
        "'; DROP TABLE benchbook_provision; --",
        "1' OR '1'='1",
        "😀🔥 ⚖️",
        "a" * 10_000,
        "viol " * 2000,
        "\x00\x01\x02",
        "!!! ((( )))",
        "& | ! <-> :*",
    ],
)
def test_hostile_input_never_errors(corpus, query):
    result = search.search(query)
    assert isinstance(result.count, int)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=400), language=st.sampled_from([None, "fr", "ar", "en", "xx"]))
def test_arbitrary_text_never_errors(corpus, text, language):
    result = search.search(text, language=language, limit=5)
    assert result.count >= len(result.hits)


def test_deleting_a_provision_removes_its_search_document(corpus):
    from himaya.core.search.models import SearchDocument

    rape = corpus["486"]
    assert SearchDocument.objects.filter(object_id=rape.pk).exists()
    rape.instrument.provisions.filter(pk=rape.pk).delete()
    assert not SearchDocument.objects.filter(object_id=rape.pk).exists()
    assert search.search("viol", language="fr").count == 0


def test_documents_of_other_clients_stay_out_of_bench_book_results(corpus):
    from django.contrib.auth.models import Group

    from himaya.core import search as core_search

    before = search.search("harcèlement", language="fr")
    other = Group.objects.create(name="a peer exchange post")
    core_search.index_document(other, language="fr", title="Harcèlement harcèlement harcèlement")
    assert core_search.search("harcèlement", language="fr").count == before.count + 1
    after = search.search("harcèlement", language="fr")
    assert after.count == before.count
    assert [h.provision.key for h in after.hits] == [h.provision.key for h in before.hits]


def test_reindex_of_some_provisions_keeps_the_others(corpus):
    assert search.reindex([corpus["486"]]) == 1
    assert keys("viol", language="fr")[0] == "ma-penal-code:486"
    assert keys("503-1-1")[0] == "ma-penal-code:503-1-1"


# --- the real bench book: national provisions first when they apply ---------------------------


@pytest.fixture
def bench_book(db):
    """The bench-book content pack as load_content loads it (alone: no curriculum needed)."""
    from himaya.benchbook import content
    from himaya.core.content import ContentErrors

    root = django_settings.BASE_DIR / "content"
    errors = ContentErrors(root=root)
    plan = content.validate(root, errors)
    assert not errors, errors.messages
    content.apply(plan, {"created": 0, "updated": 0, "unchanged": 0})
    yield
    search.thesaurus_changed()  # the next test's thesaurus is its own


def national_then_international(hits) -> tuple[list[str], list[str]]:
    """The keys before the first non-Moroccan hit, and the keys from it on."""
    keys = [h.provision.key for h in hits]
    moroccan = [h.provision.instrument.jurisdiction == "morocco" for h in hits]
    first = moroccan.index(False) if False in moroccan else len(keys)
    return keys[:first], keys[first:]


@pytest.mark.parametrize(
    "language, query",
    [("fr", "ordonnance de protection"), ("ar", "أمر الحماية"), ("en", "protection order")],
)
def test_protection_order_gives_the_moroccan_measures_before_international_texts(
    bench_book, language, query
):
    hits = search.search(query, language=language, limit=search.LIMIT_MAX).hits
    national, international = national_then_international(hits)
    keys = national + international
    assert "ma-criminal-procedure-code:82-5-2" in keys[:5]
    assert "ma-criminal-procedure-code:82-5-2" in national
    assert "ma-penal-code:88-3" in national
    # The international texts on protection orders follow.
    assert "coe-istanbul-convention:53" in international


@pytest.mark.parametrize(
    "language, query",
    [("fr", "viol conjugal"), ("ar", "الاغتصاب الزوجي"), ("en", "marital rape")],
)
def test_marital_rape_gives_the_rape_article_first(bench_book, language, query):
    hits = search.search(query, language=language, limit=10).hits
    national, international = national_then_international(hits)
    assert national[0] == "ma-penal-code:486"
    # The articles a court has used for it, then the declaration that names marital rape.
    assert {"ma-penal-code:485", "ma-penal-code:400"} <= set(national)
    assert "un-devaw:2" in international


def test_a_long_query_keeps_its_international_answer(bench_book):
    # Words of its own ("ex parte", "immediately"): ranked by score alone, national provisions are
    # not moved first — the same order as with no preference at all (on either database).
    from himaya.benchbook.models import Provision
    from himaya.core import search as core_search

    query = "protection orders available ex parte and immediately"
    keys = [h.provision.key for h in search.search(query, language="en").hits]
    plain = core_search.search(
        query, content_types=[Provision], language="en", limit=10, thesaurus=search.thesaurus()
    )
    by_pk = {p.pk: p.key for p in Provision.objects.filter(pk__in=plain.object_ids())}
    assert keys == [by_pk[pk] for pk in plain.object_ids()]
    assert "coe-istanbul-convention:53" in keys

"""The shared search service on its own, with Django's own models as the indexed objects (core
knows no app above it). Runs on SQLite (FTS5) and PostgreSQL (tsvector), per DATABASE_URL."""

import pytest
from django.contrib.auth.models import Group, Permission
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from himaya.core import search
from himaya.core.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def ids(query, **kwargs):
    return [hit.object_id for hit in search.search(query, **kwargs).hits]


@pytest.fixture
def groups(db):
    names = ["violence", "protection", "family", "numbers", "other"]
    made = {name: Group.objects.create(name=f"search-{name}") for name in names}
    search.index_document(
        made["violence"],
        language="fr",
        title="Violences conjugales",
        body="Les violences au sein du couple sont punies.",
        facets={"kind": "code", "form": ["physical", "psychological"], "court": "محكمة"},
    )
    search.index_document(
        made["protection"],
        language="en",
        title="Protection order",
        body="The court may forbid the offender to contact the victim.",
        tags=["protection-order"],
        facets={"kind": "law", "form": "physical"},
    )
    search.index_document(
        made["family"],
        language="",
        title={"fr": "Code de la famille", "ar": "مدونة الأسرة"},
        body=[{"fr": "Le mariage et le divorce.", "ar": "الزواج والطلاق."}],
        facets={"kind": "code", "form": "family"},
    )
    search.index_document(
        made["numbers"],
        language="fr",
        title="Harcèlement sexuel",
        body="Le harcèlement dans les espaces publics.",
        numbers=["503-1-1"],
        facets={"kind": "code", "form": ["harassment", ""]},
    )
    search.index_document(
        made["other"],
        language="fr",
        title="Autre texte",
        body="Une victime de harcèlement et de violences peut porter plainte.",
        facets={"kind": "law"},
    )
    return {name: group.pk for name, group in made.items()}


def test_finds_object_ids_with_scores_and_a_count(groups):
    result = search.search("violences conjugales", language="fr")
    assert result.hits[0].object_id == groups["violence"]
    assert result.hits[0].content_type_id == search.content_type_of(Group).pk
    assert result.hits[0].score > 0
    assert result.count == len(result.hits) == 2  # the other text has "violences" only
    assert result.object_ids() == [groups["violence"], groups["other"]]


def test_all_words_rank_above_some_words_and_title_above_body(groups):
    assert ids("harcèlement sexuel", language="fr")[0] == groups["numbers"]
    # "harcèlement" is in the title of one and the body of two others.
    assert ids("harcèlement", language="fr")[0] == groups["numbers"]


def test_multilingual_documents_are_analysed_per_language(groups):
    assert ids("divorce", language="fr") == [groups["family"]]
    assert ids("الأسرة") == [groups["family"]]
    assert ids("الزواج") == [groups["family"]]


def test_numbers_in_any_written_order(groups):
    assert ids("1-1-503") == [groups["numbers"]]
    assert ids("article 503.1.1") == [groups["numbers"]]


def test_facets_filter_values_or_and_names_and(groups):
    assert set(ids("violences", facets={"kind": "code"})) == {groups["violence"]}
    assert set(ids("victim violences", facets={"form": "physical"})) == {
        groups["violence"],
        groups["protection"],
    }
    assert set(ids("victim violences", facets={"form": ["family", "physical"]})) == {
        groups["violence"],
        groups["protection"],
    }
    assert ids("violences", facets={"kind": "code", "form": "psychological"}) == [
        groups["violence"]
    ]
    assert ids("violences", facets={"kind": "law", "form": "psychological"}) == []
    assert ids("violences", facets={"kind": "no such kind"}) == []
    # Empty values are no filter; values in Arabic script are facets like any other.
    assert set(ids("violences", facets={"kind": None, "form": ""})) == {
        groups["violence"],
        groups["other"],
    }
    assert ids("violences", facets={"court": "مَحكمة"}) == [groups["violence"]]


def test_facet_names_are_checked():
    with pytest.raises(ValueError):
        search.facet_token("form of violence", "x")
    assert search.facet_token("form", "Forced-Marriage") == "form_forced_marriage"


def test_content_types_filter(groups):
    permission = Permission.objects.first()
    search.index_document(permission, language="fr", title="Violences conjugales")
    both = ids("violences conjugales", language="fr")
    assert permission.pk in both and groups["violence"] in both
    only_groups = search.search("violences conjugales", language="fr", content_types=[Group])
    assert {h.content_type_id for h in only_groups.hits} == {search.content_type_of(Group).pk}
    only_permissions = ids("violences conjugales", language="fr", content_types=["auth.permission"])
    assert only_permissions == [permission.pk]


def test_reindexing_replaces_and_remove_removes(groups):
    group = Group.objects.get(pk=groups["violence"])
    search.index_document(group, language="fr", title="Travail forcé")
    assert SearchDocument.objects.filter(object_id=group.pk).count() == 1
    assert ids("conjugales", language="fr") == []
    assert ids("travail forcé", language="fr") == [group.pk]
    assert search.remove_document(group) == 1
    assert ids("travail forcé", language="fr") == []


def test_a_full_reindex_drops_the_documents_of_objects_that_are_gone(groups):
    kept = Group.objects.get(pk=groups["other"])
    search.index_documents(
        [search.document(kept, language="fr", title="Autre texte")], replace_all_of=Group
    )
    assert list(SearchDocument.objects.values_list("object_id", flat=True)) == [kept.pk]
    assert ids("violences", language="fr") == []


def test_thesaurus_expands_across_languages_and_finds_tags(groups):
    thesaurus = search.thesaurus_entries(
        [
            (
                "protection-order",
                {
                    "fr": ["ordonnance de protection"],
                    "en": ["protection order", "restraining order"],
                },
            )
        ]
    )
    # "restraining" is in no document: the concept's tag and its other terms find it.
    assert ids("restraining order", language="en", thesaurus=thesaurus)[0] == groups["protection"]
    assert (
        ids("ordonnance de protection", language="fr", thesaurus=thesaurus)[0]
        == (groups["protection"])
    )
    assert ids("restraining", language="en") == []


def test_snippet_marks_the_matched_words_and_escapes(groups):
    result = search.search("violences", language="fr")
    text = 'Premier point. Les violences & le "couple" <script>.'
    assert search.snippet(text, result.plan, "fr") == (
        "Les <mark>violences</mark> &amp; le &quot;couple&quot; &lt;script&gt;."
    )


def test_a_text_without_a_language_must_say_its_languages(db):
    group = Group.objects.create(name="search-nolang")
    with pytest.raises(ValueError):
        search.document(group, language="", title="Sans langue")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(max_size=300),
    language=st.sampled_from([None, "fr", "ar", "en", "xx"]),
    facet=st.text(max_size=20),
)
def test_arbitrary_queries_and_facet_values_never_error(groups, text, language, facet):
    result = search.search(text, language=language, facets={"form": facet}, limit=5)
    assert result.count >= len(result.hits)


def test_content_types_filter_when_the_index_holds_one_other_type(groups):
    assert ids("violences", content_types=[Permission]) == []
    assert set(ids("violences", content_types=[Group, Permission])) == {
        groups["violence"],
        groups["other"],
    }


RAPE_THESAURUS = [
    ("rape", {"fr": ["viol"], "en": ["rape"]}),
    ("marital-rape", {"fr": ["viol conjugal"], "en": ["marital rape"]}),
    ("evidence", {"fr": ["preuve", "témoins"], "en": ["evidence", "witnesses"]}),
    ("sexual-history", {"fr": ["passé sexuel"], "en": ["sexual history"]}),
    ("children-witnesses", {"fr": ["enfants témoins"], "en": ["children witnesses"]}),
]


def test_a_query_of_thesaurus_terms_names_concepts_grouped_in_notions():
    thesaurus = search.thesaurus_entries(RAPE_THESAURUS)
    plan = search.plan_query("viol conjugal", "fr", thesaurus)
    assert plan.names_concepts
    assert plan.notions == [["rape", "marital-rape"]]
    assert plan.widest(plan.notions[0]) == ["marital-rape"]
    plan = search.plan_query("preuve : passé sexuel", "fr", thesaurus)
    assert plan.names_concepts and sorted(plan.notions) == [["evidence"], ["sexual-history"]]
    plan = search.plan_query("enfants témoins", "fr", thesaurus)
    assert plan.widest(plan.notions[0]) == ["children-witnesses"]
    # Another word, or an article number, and the query is more than its concepts.
    assert not search.plan_query("viol sur mineure", "fr", thesaurus).names_concepts
    assert not search.plan_query("viol 486", "fr", thesaurus).names_concepts


@pytest.fixture
def rape_texts(db):
    """A foreign text that says "marital rape" often, a national one that only carries the
    concept, and the national article headed "Rape"."""
    names = ["foreign", "national-assault", "national-rape", "foreign-rape"]
    made = {name: Group.objects.create(name=f"search-{name}") for name in names}
    search.index_document(
        made["foreign"],
        language="en",
        title="Marital rape",
        body="Marital rape is rape. Marital rape must be a crime.",
        tags=["marital-rape"],
        facets={"jurisdiction": "un"},
    )
    search.index_document(
        made["national-assault"],
        language="en",
        title="Indecent assault with violence",
        body="A court used this article against a husband.",
        tags=["marital-rape"],
        facets={"jurisdiction": "morocco"},
    )
    search.index_document(
        made["national-rape"],
        language="en",
        title="Rape",
        body="Sexual relations with a woman against her will.",
        tags=["rape"],
        facets={"jurisdiction": "morocco"},
    )
    search.index_document(
        made["foreign-rape"],
        language="en",
        title="Rape",
        body="Rape, in the family and elsewhere.",
        tags=["rape"],
        facets={"jurisdiction": "un"},
    )
    return {name: group.pk for name, group in made.items()}


def test_preferred_documents_carrying_the_query_concepts_come_first(rape_texts):
    thesaurus = search.thesaurus_entries(RAPE_THESAURUS)
    prefer = {"jurisdiction": "morocco"}
    plain = ids("marital rape", language="en", thesaurus=thesaurus)
    assert plain[0] == rape_texts["foreign"]
    preferred = ids("marital rape", language="en", thesaurus=thesaurus, prefer=prefer)
    # The national article headed with what was asked ("Rape", named inside "marital rape"),
    # then the national one carrying the concept, then the others by score.
    assert preferred[:2] == [rape_texts["national-rape"], rape_texts["national-assault"]]
    assert preferred[2:] == [h for h in plain if h in preferred[2:]]
    assert set(preferred) == set(plain) == set(rape_texts.values())
    assert ids("marital rape", language="en", thesaurus=thesaurus, prefer=prefer, limit=1) == [
        rape_texts["national-rape"]
    ]
    # A query with words of its own ranks by score alone.
    assert (
        ids("marital rape crime", language="en", thesaurus=thesaurus, prefer=prefer)[0]
        == (rape_texts["foreign"])
    )


def test_nothing_goes_first_when_no_preferred_document_carries_a_notion(rape_texts):
    thesaurus = search.thesaurus_entries(RAPE_THESAURUS)
    prefer = {"jurisdiction": "morocco"}
    plain = ids("rape sexual history", language="en", thesaurus=thesaurus)
    assert ids("rape sexual history", language="en", thesaurus=thesaurus, prefer=prefer) == plain

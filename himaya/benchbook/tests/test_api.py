import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from himaya.benchbook import search
from himaya.benchbook.tests.factories import small_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(db):
    return small_corpus()


def test_search_api_is_public_and_shaped_as_documented(client, corpus):
    response = client.get(
        "/api/v1/benchbook/search", {"q": "article 88-1", "lang": "fr", "limit": 3}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 1
    first = body["results"][0]
    assert set(first) == {
        "key",
        "instrument",
        "number",
        "title",
        "snippet",
        "score",
        "verification",
        "verification_note",
        "source",
    }
    assert (
        first["key"] == "ma-penal-code:88-1"
        and first["instrument"] == "ma-penal-code"
        and first["number"] == "88-1"
    )


def test_search_api_gives_the_caveat_of_verified_and_to_verify_entries(client, corpus):
    corpus["88-1"].verification_note_fr = "Version modifiée par une réforme ultérieure."
    corpus["88-1"].verification_note_en = "Wording amended by a later reform."
    corpus["88-1"].save()
    first = client.get("/api/v1/benchbook/search", {"q": "88-1", "lang": "en"}).json()["results"][0]
    assert first["verification"] == "verified"
    assert first["verification_note"] == "Wording amended by a later reform."
    first = client.get("/api/v1/benchbook/search", {"q": "88-1", "lang": "fr"}).json()["results"][0]
    assert first["verification_note"] == "Version modifiée par une réforme ultérieure."


def test_search_api_answers_in_the_requested_language(client, corpus):
    body = client.get("/api/v1/benchbook/search", {"q": "88-1", "lang": "ar"}).json()
    assert body["results"][0]["title"] == "منع المحكوم عليه من الاتصال بالضحية"


@pytest.mark.parametrize(
    ("params", "finds", "most"),
    [
        ({}, False, 0),  # no query: nothing, not an error
        ({"q": ""}, False, 0),
        ({"limit": "-5", "q": "viol"}, True, 1),  # the limit is brought up to 1
        ({"limit": "999999", "q": "viol"}, True, 50),  # and down to the maximum
        ({"lang": "zz", "q": "viol"}, True, 50),  # an unknown language searches them all
    ],
)
def test_search_api_odd_parameters(client, corpus, params, finds, most):
    """Odd parameters of this public API are made sensible, never refused."""
    response = client.get("/api/v1/benchbook/search", params)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"] > 0) is finds
    assert len(body["results"]) == min(body["count"], most)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.text(max_size=300),
    lang=st.sampled_from(["fr", "ar", "en", "", "xx"]),
    limit=st.integers(-10, 100),
)
def test_search_api_never_errors(client, corpus, q, lang, limit):
    from himaya.core.middleware import has_control_characters

    response = client.get("/api/v1/benchbook/search", {"q": q, "lang": lang, "limit": limit})
    if has_control_characters(q):
        assert response.status_code == 400  # refused before the search (and the database) sees it
        return
    assert response.status_code == 200
    body = response.json()
    # The corpus has three provisions; the results are cut at the clamped limit, never the count.
    assert len(body["results"]) <= body["count"] <= 3
    assert len(body["results"]) <= max(1, min(limit, search.LIMIT_MAX))

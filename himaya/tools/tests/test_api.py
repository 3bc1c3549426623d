"""GET /api/v1/tools/measures: the measures Moroccan law allows at each stage, 422 on bad input."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/tools/measures"


def get(client, **params):
    return client.get(URL, params)


def keys(response):
    return [m["key"] for m in response.json()["measures"]]


def test_investigation_spouse_lists_the_pretrial_measures_not_the_sentence(client, tools_content):
    r = get(
        client,
        stage="investigation",
        offence="ma-penal-code:404",
        relationship="spouse",
        children="true",
        lang="fr",
    )
    assert r.status_code == 200
    found = keys(r)
    assert "no_contact_during_proceedings" in found
    assert "child_return_with_custodian" in found
    assert "no_contact_after_conviction" not in found
    ban = next(m for m in r.json()["measures"] if m["key"] == "no_contact_during_proceedings")
    assert ban["provision"] == "ma-penal-code:88-3"
    assert ban["breach_provision"] == "ma-penal-code:323-1"
    assert {a["key"] for a in ban["authorities"]} >= {"public_prosecutor", "investigating_judge"}
    assert ban["duration"]


def test_children_false_leaves_out_the_child_measure(client, tools_content):
    found = keys(
        get(
            client,
            stage="investigation",
            offence="ma-penal-code:404",
            relationship="spouse",
            children="false",
        )
    )
    assert "child_return_with_custodian" not in found


def test_trial_closed_hearing_warns_without_the_victims_request(client, tools_content):
    r = get(client, stage="trial", offence="ma-penal-code:486", relationship="none")
    hearing = next(m for m in r.json()["measures"] if m["key"] == "closed_hearing")
    assert hearing["provision"] == "ma-criminal-procedure-code:302"
    assert "needs_victim_request" in [w["key"] for w in hearing["warnings"]]
    r = get(
        client,
        stage="trial",
        offence="ma-penal-code:486",
        relationship="none",
        victim_request="true",
    )
    hearing = next(m for m in r.json()["measures"] if m["key"] == "closed_hearing")
    assert "needs_victim_request" not in [w["key"] for w in hearing["warnings"]]


def test_sentencing_between_spouses_warns_that_reconciliation_ends_the_ban(client, tools_content):
    r = get(
        client, stage="sentencing", offence="ma-penal-code:404", relationship="spouse", lang="en"
    )
    ban = next(m for m in r.json()["measures"] if m["key"] == "no_contact_after_conviction")
    assert ban["provision"] == "ma-penal-code:88-1"
    assert "reconciliation_ends_ban" in [w["key"] for w in ban["warnings"]]
    assert "no_contact_during_proceedings" not in keys(r)
    # Not between a man and a stranger.
    r = get(client, stage="sentencing", offence="ma-penal-code:404", relationship="none")
    ban = next(m for m in r.json()["measures"] if m["key"] == "no_contact_after_conviction")
    assert "reconciliation_ends_ban" not in [w["key"] for w in ban["warnings"]]


def test_comparative_measures_come_apart_and_never_in_the_list(client, tools_content):
    data = get(
        client, stage="investigation", offence="ma-penal-code:404", relationship="spouse"
    ).json()
    comparative = {c["key"] for c in data["comparative"]}
    assert comparative and not comparative & set(keys_of(data))
    for c in data["comparative"]:
        assert c["jurisdiction"] and c["source"]


def keys_of(data):
    return [m["key"] for m in data["measures"]]


@pytest.mark.parametrize("lang,word", [("fr", "é"), ("ar", "ال")])
def test_languages(client, tools_content, lang, word):
    data = get(
        client, stage="investigation", offence="ma-penal-code:404", relationship="spouse", lang=lang
    ).json()
    assert word in data["measures"][0]["title"]


@pytest.mark.parametrize(
    "params,code",
    [
        (
            {"stage": "appeal", "offence": "ma-penal-code:404", "relationship": "spouse"},
            "unknown_stage",
        ),
        ({"stage": "", "offence": "ma-penal-code:404"}, "unknown_stage"),
        (
            {"stage": "trial", "offence": "ma-penal-code:9999", "relationship": "spouse"},
            "unknown_offence",
        ),
        (
            {"stage": "trial", "offence": "ma-penal-code:404", "relationship": "cousin"},
            "unknown_relationship",
        ),
    ],
)
def test_bad_input_is_422_with_a_message(client, tools_content, params, code):
    r = get(client, **params)
    assert r.status_code == 422
    assert r.json()["code"] == code
    assert r.json()["detail"]


def test_the_api_is_public_and_in_the_openapi_schema(client, tools_content):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/tools/measures" in schema["paths"]

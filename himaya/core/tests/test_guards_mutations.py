"""Request guards and start-up refusals: tests written against mutants the rest of the suite let
through (C1 control characters let in, `+json` bodies not inspected, the local key file read
for a PostgreSQL installation)."""

import pytest

from himaya.core.middleware import has_control_characters
from himaya.core.tests.test_deploy import _himaya


@pytest.mark.parametrize("character", ["\x00", "\x08", "\x0b", "\x1f", "\x7f", "\x80", "\x9f"])
def test_c0_del_and_c1_controls_are_refused(character):
    assert has_control_characters(f"a{character}b")


@pytest.mark.parametrize("text", ["tab\there", "line\nfeed", "carriage\rreturn", "é ع \xa0"])
def test_tab_newlines_and_printable_text_pass(text):
    assert not has_control_characters(text)


@pytest.mark.django_db
def test_a_c1_control_in_a_query_string_answers_400(client):
    # U+0085 (NEXT LINE), percent-encoded as UTF-8.
    assert client.get("/fr/benchbook/", {"q": "viol\x85"}).status_code == 400
    assert client.get("/fr/benchbook/", {"q": "viol"}).status_code == 200


@pytest.mark.django_db
def test_control_characters_in_a_json_subtype_body_answer_400(client, participant):
    client.force_login(participant)
    response = client.post(
        "/fr/accounts/password/change/",
        data='{"comment": "bad \\u0001 byte"}',
        content_type="application/merge-patch+json",
    )
    assert response.status_code == 400


def test_a_postgresql_installation_never_uses_the_local_key_file(tmp_path):
    """The key `make run` wrote under var/ belongs to the embedded SQLite installation; with
    DATABASE_URL set (production) and no HIMAYA_SECRET_KEY, nothing starts."""
    (tmp_path / "secret_key").write_text("generated-by-make-run-" + "k" * 40 + "\n")
    result = _himaya(
        ["check"],
        {
            "HIMAYA_SECRET_KEY": None,
            "HIMAYA_DEBUG": "0",
            "HIMAYA_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        },
    )
    assert result.returncode != 0
    assert "HIMAYA_SECRET_KEY is not set" in result.stderr

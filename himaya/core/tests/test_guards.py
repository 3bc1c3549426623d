"""Request guards: control characters answered 400 everywhere, refused requests logged quietly."""

import logging

import pytest
from django.core.exceptions import PermissionDenied

from himaya.core.logging import QuietForbiddenFilter


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/verify/%00",
        "/fr/benchbook/p/%00/",
        "/fr/benchbook/?q=viol%00",
        "/fr/benchbook/search?q=%01abc",
        "/api/v1/benchbook/search?q=%00",
        "/ar/accounts/login/?next=/fr/%00",
    ],
)
def test_control_characters_in_urls_answer_400(client, path):
    response = client.get(path)
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_400_page_is_translated_and_echoes_nothing(client):
    response = client.get("/ar/benchbook/?q=%00")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'dir="rtl"' in body
    assert "\x00" not in body


@pytest.mark.django_db
def test_control_characters_in_forms_and_json_answer_400(client, participant):
    client.force_login(participant)
    form = client.post("/fr/accounts/password/change/", {"old_password": "x\x00y"})
    assert form.status_code == 400
    as_json = client.post(
        "/fr/accounts/password/change/",
        data='{"comment": "bad \\u0000 byte"}',
        content_type="application/json",
    )
    assert as_json.status_code == 400


@pytest.mark.django_db
def test_ordinary_text_with_newlines_and_arabic_passes(client):
    response = client.get("/ar/benchbook/", {"q": "العنف ضد النساء\tviolence"})
    assert response.status_code == 200


def _record(status_code):
    try:
        raise PermissionDenied
    except PermissionDenied:
        import sys

        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Forbidden: /x", (), sys.exc_info()
        )
    record.status_code = status_code
    return record


def test_refused_requests_are_logged_without_a_traceback():
    quiet = QuietForbiddenFilter()
    forbidden = _record(403)
    assert quiet.filter(forbidden) is True
    assert forbidden.exc_info is None
    error = _record(500)
    quiet.filter(error)
    assert error.exc_info is not None  # real errors keep their stack


def test_the_console_handler_uses_the_quiet_filter(settings):
    assert "quiet_forbidden" in settings.LOGGING["handlers"]["console"]["filters"]
    root = logging.getLogger()
    assert any(
        isinstance(f, QuietForbiddenFilter) for handler in root.handlers for f in handler.filters
    )

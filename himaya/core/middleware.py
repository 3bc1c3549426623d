"""Request-level guards shared by every page and API route."""

from __future__ import annotations

import json
import re

from django.shortcuts import render

# C0 controls but tab, line feed and carriage return; DEL; C1 controls. NUL is among them:
# PostgreSQL refuses it in text ("A string literal cannot contain NUL"), and no person types one.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


class _DisplayRequest:
    """What the error page may echo of a refused request: nothing of its path."""

    def __init__(self, request):
        self._request = request

    def get_full_path(self):
        return "/"

    def __getattr__(self, name):
        return getattr(self._request, name)


class RefuseControlCharactersMiddleware:
    """Answer 400 to any request whose path, query string, form fields or JSON body hold a
    control character, before any view or database sees it. Uploaded files are not inspected
    here: their readers refuse such characters row by row, with a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._refused(request):
            return render(
                request,
                "core/error.html",
                {"status": 400, "request": _DisplayRequest(request)},
                status=400,
            )
        return self.get_response(request)

    def _refused(self, request) -> bool:
        if has_control_characters(request.path):
            return True
        if any(
            has_control_characters(k) or has_control_characters(v) for k, v in _items(request.GET)
        ):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return any(
                has_control_characters(k) or has_control_characters(v)
                for k, v in _items(request.POST)
            )
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                data = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return b"\x00" in request.body
            return any(has_control_characters(s) for s in _json_strings(data))
        return False


def _items(querydict):
    for key, values in querydict.lists():
        for value in values:
            yield key, value

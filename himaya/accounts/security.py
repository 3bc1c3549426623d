"""Sign-in protection: who the client is, and how a failed sign-in is counted."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.HIMAYA_TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request) -> str | None:
    """The client's address. `REMOTE_ADDR`, unless it is one of HIMAYA_TRUSTED_PROXIES: then
    the right-most address of X-Forwarded-For that is not itself a trusted proxy. A client
    cannot pose as another by sending its own X-Forwarded-For: only what the trusted proxies
    appended is read, from the right."""
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or not _is_trusted_proxy(remote):
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    for address in reversed(forwarded):
        if not _is_trusted_proxy(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote
    return remote


def axes_username(request, credentials) -> str | None:
    """The account a failure counts against: the e-mail address, case-folded, so that
    `A@x.test` and `a@x.test` share one counter."""
    username = None
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None and request is not None:
        data = getattr(request, "POST", None) or {}
        username = data.get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else username

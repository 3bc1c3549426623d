"""E-mails to one person, in their own language: a subject, a text body and an HTML alternative.

Every message of the platform to a person (invitations, notices, reminders, password resets)
is rendered under that person's `preferred_language`, whoever triggered it and whatever
language the page that triggered it was in; links point to the pages in that language, on
HIMAYA_BASE_URL (an e-mail has no request to take its address from)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from himaya.core import languages


def language_of(user) -> str:
    language = getattr(user, "preferred_language", "") or languages.DEFAULT_LANGUAGE
    return language if language in languages.LANGUAGE_CODES else languages.DEFAULT_LANGUAGE


def absolute_url(name: str, *, args=(), kwargs=None, language: str | None = None) -> str:
    """The full address of a page, in `language` (the active one when None)."""
    with translation.override(language or translation.get_language()):
        path = reverse(name, args=args, kwargs=kwargs)
    return f"{settings.HIMAYA_BASE_URL}{path}"


def build(*, user, template: str, context: dict | None = None) -> EmailMultiAlternatives:
    """The message `accounts/email/<template>{_subject.txt,.txt,.html}` to `user`, rendered in
    their language. The caller sends it (on commit)."""
    language = language_of(user)
    with translation.override(language):
        values = {
            "user": user,
            "language": language,
            "rtl": translation.get_language_bidi(),
            "base_url": settings.HIMAYA_BASE_URL,
            "sign_in_url": absolute_url("accounts:login", language=language),
            **(context or {}),
        }
        subject = render_to_string(f"accounts/email/{template}_subject.txt", values)
        text = render_to_string(f"accounts/email/{template}.txt", values)
        html = render_to_string(f"accounts/email/{template}.html", values)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line: headers cannot hold a newline
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    return message

"""Validators for the text people type about themselves (names, court, e-mail).

Shared by the User model (so forms and the admin refuse the same values) and by the
participant import. Messages are module constants so tests and code share one spelling."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls (tab and newlines included: these fields hold one line), DEL and C1 controls.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
# Bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069) reorder the text
# around them (a certificate printed a name reversed); zero-width characters (U+200B–U+200D,
# U+2060, U+FEFF) make two names that look the same differ.
INVISIBLE_FORMATTING = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]")

CONTROL_CHARACTER_MESSAGE = _(
    "This text contains a control character (%(code)s), which is not allowed here."
)
INVISIBLE_CHARACTER_MESSAGE = _(
    "This text contains an invisible formatting character (%(code)s), which is not allowed "
    "here: retype the text rather than copying it from another document."
)
EMAIL_LOCAL_PART_MESSAGE = _(
    "The part of an e-mail address before the @ has at most 64 characters (this one has %(n)d)."
)
EMAIL_LENGTH_MESSAGE = _("An e-mail address has at most 254 characters (this one has %(n)d).")

EMAIL_MAX_LENGTH = 254
EMAIL_LOCAL_PART_MAX_LENGTH = 64


def _code(character: str) -> str:
    return f"U+{ord(character):04X}"


def validate_single_line(value: str) -> None:
    """Refuse NUL and every other C0/C1 control character."""
    match = CONTROL_CHARACTERS.search(value or "")
    if match:
        raise ValidationError(
            CONTROL_CHARACTER_MESSAGE,
            code="control_character",
            params={"code": _code(match.group())},
        )


def validate_no_invisible_formatting(value: str) -> None:
    """Refuse bidi embedding/override/isolate characters and zero-width characters."""
    match = INVISIBLE_FORMATTING.search(value or "")
    if match:
        raise ValidationError(
            INVISIBLE_CHARACTER_MESSAGE,
            code="invisible_character",
            params={"code": _code(match.group())},
        )


def validate_name(value: str) -> None:
    """A person's name or the name of their court: one line, no hidden formatting."""
    validate_single_line(value)
    validate_no_invisible_formatting(value)


@deconstructible
class EmailLengthValidator:
    """RFC 5321 limits: 64 characters before the @, 254 in all."""

    def __call__(self, value: str) -> None:
        value = value or ""
        local = value.rsplit("@", 1)[0] if "@" in value else value
        if len(local) > EMAIL_LOCAL_PART_MAX_LENGTH:
            raise ValidationError(
                EMAIL_LOCAL_PART_MESSAGE, code="email_local_part_too_long", params={"n": len(local)}
            )
        if len(value) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                EMAIL_LENGTH_MESSAGE, code="email_too_long", params={"n": len(value)}
            )

    def __eq__(self, other):
        return isinstance(other, EmailLengthValidator)


validate_email_length = EmailLengthValidator()

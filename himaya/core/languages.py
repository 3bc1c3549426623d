"""The platform's languages, in one place.

No Django imports: `settings.py` derives LANGUAGES and the modeltranslation settings from this
module, and every other list of languages (the preferred-language choices, the content loaders,
the search analyzer, the certificates) reads it too. Adding a language starts here."""

# The interface, content and certificate languages, French first (the default).
LANGUAGE_CODES: tuple[str, ...] = ("fr", "ar", "en")
DEFAULT_LANGUAGE = LANGUAGE_CODES[0]
# Each language by its own name, as a person choosing their language reads it.
NATIVE_NAMES: dict[str, str] = {"fr": "Français", "ar": "العربية", "en": "English"}
NATIVE_CHOICES: list[tuple[str, str]] = [(code, NATIVE_NAMES[code]) for code in LANGUAGE_CODES]
RTL_LANGUAGES = frozenset({"ar"})


def in_language_label(label, code: str) -> str:
    """A form field's label for the version of a text in one language: «Titre (العربية)»."""
    return f"{label} ({NATIVE_NAMES[code]})"


def text_attrs(code: str) -> dict[str, str]:
    """The lang and dir attributes of a field holding text in that language."""
    return {"lang": code, "dir": "rtl" if code in RTL_LANGUAGES else "ltr"}


def gettext_noop(message: str) -> str:
    """Marks a msgid for extraction (makemessages knows this name) without importing Django."""
    return message


# Each language by its English name, the msgid settings.LANGUAGES translates.
ENGLISH_NAMES: dict[str, str] = {
    "fr": gettext_noop("French"),
    "ar": gettext_noop("Arabic"),
    "en": gettext_noop("English"),
}
# Where translated content falls back when a language's version is empty: fr → en → ar.
CONTENT_FALLBACK: tuple[str, ...] = ("fr", "en", "ar")

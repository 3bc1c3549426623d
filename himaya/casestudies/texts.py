from django.utils import translation


def text(value, language: str | None = None) -> str:
    """A {fr, ar, en} text in the reader's language, falling back fr → en → ar."""
    if not isinstance(value, dict):
        return value or ""
    language = language or translation.get_language() or "fr"
    for code in (language, "fr", "en", "ar"):
        if value.get(code):
            return value[code]
    return ""

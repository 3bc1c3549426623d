import markdown as md
import nh3
from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from himaya.core.text import keep_numbers_together

register = template.Library()

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "a",
}  # fmt: skip


@register.filter(name="markdown")
def render_markdown(text: str) -> str:
    """Markdown to HTML, then sanitised: content is data, and data never brings script."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"])
    return keep_numbers_together(
        mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}))
    )  # noqa: S308


@register.filter
def percent(value) -> str:
    """0.834 -> '83 %' (localised, a narrow no-break space before the sign); None -> an en dash."""
    if value is None:
        return "–"
    return f"{number_format(round(value * 100), 0)}\u202f%"


_DIRECTIONS = {"ltr", "rtl", "auto"}


@register.filter
def bdi(value, direction: str = ""):
    """Isolate a fragment from the sentence around it: ``{{ person.display_name|bdi }}`` inside an
    Arabic sentence, ``{{ cycle.start_date|date:"d/m/Y"|bdi:"ltr" }}`` for dates, e-mails, codes
    and numbers (which have no strong letter to tell their direction). Empty stays empty."""
    if value is None or value == "":
        return ""
    if direction in _DIRECTIONS - {"auto"}:
        return format_html('<bdi dir="{}">{}</bdi>', direction, value)
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def nobreak(value, direction: str = "ltr"):
    """A law or article number, a code, a date: isolated and never broken across two lines
    (``white-space: nowrap``; the characters stay as typed, so search and copy still work)."""
    if value is None or value == "":
        return ""
    direction = direction if direction in _DIRECTIONS else "ltr"
    return format_html('<bdi class="nobreak" dir="{}">{}</bdi>', direction, value)


@register.filter
def nobreak_numbers(text):
    """Every law or article number inside a text (103.13, 1-323, 82-5-2, n° 103.13) kept on one
    line; see himaya.core.text.keep_numbers_together."""
    return keep_numbers_together(text)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def primary_name(person) -> str:
    """The name in the reader's script: Arabic script on Arabic pages when it is known."""
    from django.utils.translation import get_language

    if get_language() == "ar" and getattr(person, "display_name_ar", ""):
        return person.display_name_ar
    return person.display_name


@register.filter
def secondary_name(person) -> str:
    """The same name in the other script, if known."""
    from django.utils.translation import get_language

    if get_language() == "ar" and getattr(person, "display_name_ar", ""):
        return person.display_name
    return getattr(person, "display_name_ar", "")


@register.filter
def mul(value, factor):
    """Multiply (for SVG chart coordinates); empty when the value is missing."""
    try:
        # A string, so that the template engine does not localise it ("200,5" breaks SVG).
        return f"{float(value) * float(factor):.2f}"
    except (TypeError, ValueError):
        return ""

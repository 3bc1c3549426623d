import markdown as md
import nh3
from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "a",
}  # fmt: skip


@register.filter(name="markdown")
def render_markdown(text: str) -> str:
    """Markdown to HTML, then sanitised: content is data, and data never brings script."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"])
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}))  # noqa: S308


@register.filter
def percent(value) -> str:
    """0.834 -> '83 %' (localised); None -> an en dash."""
    if value is None:
        return "–"
    return f"{number_format(round(value * 100), 0)} %"


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

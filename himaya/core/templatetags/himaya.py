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

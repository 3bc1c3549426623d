"""`{{ url|safe_link }}`: the link if it is http(s), mailto or relative, else nothing."""

from django import template

from himaya.training.content import safe_link as _safe_link

register = template.Library()


@register.filter
def safe_link(url) -> str:
    return _safe_link(str(url or ""))

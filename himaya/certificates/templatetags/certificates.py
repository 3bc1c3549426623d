"""Template filters of the certificates screens."""

from django import template

from .. import services

register = template.Library()


@register.filter
def review_text(certificate) -> str:
    """Why a flagged certificate would no longer be granted, in the page's language."""
    return services.review_text(certificate)

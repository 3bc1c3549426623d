from django import template

from himaya.tools import catalogue

register = template.Library()


@register.filter
def tr(value, language=None):
    """A {fr, ar, en} content text in the page's language (or `language`)."""
    return catalogue.text(value, language or None)


@register.filter
def kappa(value):
    """A kappa with two decimals in the reader's locale, or an en dash when undefined."""
    if value is None:
        return "–"
    from django.utils.formats import number_format

    return number_format(value, 2)

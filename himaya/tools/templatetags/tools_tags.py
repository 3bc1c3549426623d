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


@register.simple_tag
def provision_links(keys):
    """[(key, "Code pénal, 1-88", has a page)] for the provision keys of a content item: a
    provision without content yet is named, not linked."""
    from himaya.benchbook.selectors import reader_keys
    from himaya.tools.selection import provision_labels

    labels = provision_labels(keys)
    pages = reader_keys(keys)
    return [(k, labels.get(k, k), k in pages) for k in keys]


@register.simple_tag
def module_links(keys):
    """[(key, title in the reader's language)] for the module keys of a content item."""
    from himaya.training.models import Module

    titles = dict(Module.objects.filter(key__in=set(keys)).values_list("key", "title"))
    return [(k, titles[k]) for k in keys if k in titles]

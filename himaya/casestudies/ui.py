"""Where the case library appears on other pages: the provisions and modules a case applies."""

from django.urls import reverse

from himaya.core import registry

from .models import Case
from .texts import text


def _links(cases):
    links = []
    for case in cases:
        title = case.texts.get("title") or {}
        links.append(
            registry.Link(text(title), reverse("casestudies:case_detail", args=[case.key]))
        )
    return links


def provision_links(user, provision):
    if not getattr(user, "is_authenticated", False):
        return []
    return _links(Case.objects.filter(provisions=provision, document__status="published"))


def module_links(user, module):
    return _links(Case.objects.filter(modules=module, document__status="published"))


def register():
    registry.add_object_links(registry.PROVISION_PAGE, provision_links, order=60)
    registry.add_object_links(registry.MODULE_PAGE, module_links, order=60)

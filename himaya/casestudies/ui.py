"""Where the case library appears on other pages: the provisions and modules a case applies."""

from django.urls import reverse
from django.utils.translation import gettext

from himaya.core import registry
from himaya.core.content import in_language as text

from .models import Case


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


def cycle_links(user, cycles):
    from himaya.core import authz

    links = {}
    for cycle in cycles:
        if authz.allowed(user, "casestudies.plan_cycle_cases", cycle):
            links[cycle.pk] = [
                registry.Link(
                    gettext("Cases for the sessions"),
                    reverse("casestudies:cycle_cases", args=[cycle.slug]),
                    id="cycle-cases",
                )
            ]
    return links


def session_items(user, sessions):
    from .models import SessionCase

    items = {}
    rows = SessionCase.objects.filter(session__in=[s.pk for s in sessions]).select_related("case")
    for row in rows:
        label = gettext("Case: %(title)s") % {"title": text(row.case.texts.get("title"))}
        items.setdefault(row.session_id, []).append(
            registry.Link(label, reverse("casestudies:case_detail", args=[row.case.key]))
        )
    return items


def register():
    registry.add_cycle_links(registry.CYCLE_PAGE, cycle_links, order=45)
    registry.add_session_items(session_items, order=60)
    registry.add_object_links(registry.PROVISION_PAGE, provision_links, order=60)
    registry.add_object_links(registry.MODULE_PAGE, module_links, order=60)

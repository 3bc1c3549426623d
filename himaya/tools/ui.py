"""What the tools add to other apps' pages (see himaya.core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from himaya.core import authz, registry

from . import catalogue, selectors
from .models import SessionTool


def nav(user):
    return [registry.Link(_("Practical tools"), reverse("tools:home"), id="nav-tools")]


def _cycles_with_tools(cycles) -> set[int]:
    return set(
        SessionTool.objects.filter(session__cycle__in=[c.pk for c in cycles]).values_list(
            "session__cycle_id", flat=True
        )
    )


def cycle_page_links(user, cycles):
    with_tools = _cycles_with_tools(cycles)
    links = {}
    for cycle in cycles:
        plans = authz.allowed(user, "tools.plan_cycle_tools", cycle)
        if plans or (
            cycle.pk in with_tools and authz.allowed(user, "training.access_cycle", cycle)
        ):
            links[cycle.pk] = [
                registry.Link(
                    _("Vignettes and checklists"),
                    reverse("tools:cycle_practice", args=[cycle.slug]),
                    id="cycle-practice",
                )
            ]
    return links


def my_cycle_links(user, cycles):
    with_tools = _cycles_with_tools(cycles)
    return {
        cycle.pk: [
            registry.Link(
                _("Practice exercises"), reverse("tools:cycle_practice", args=[cycle.slug])
            )
        ]
        for cycle in cycles
        if cycle.pk in with_tools
    }


def session_items(user, sessions):
    """A session's vignettes and checklists, as badges in its agenda."""
    vignettes = catalogue.by_key(catalogue.vignettes())
    lists = catalogue.by_key(catalogue.checklists())
    items = {}
    for tool in SessionTool.objects.filter(session__in=[s.pk for s in sessions]).select_related(
        "session__cycle"
    ):
        if tool.kind == "vignette" and tool.key in vignettes:
            label = _("Practice vignette: %(title)s") % {
                "title": catalogue.text(vignettes[tool.key]["title"])
            }
            url = (
                reverse("tools:cycle_practice", args=[tool.session.cycle.slug]) + f"#tool-{tool.pk}"
            )
        elif tool.kind == "checklist" and tool.key in lists:
            label = _("Checklist: %(title)s") % {"title": catalogue.text(lists[tool.key]["title"])}
            url = reverse("tools:checklist", args=[tool.key])
        else:
            continue
        items.setdefault(tool.session_id, []).append(registry.Link(label, url))
    return items


def due_panel(request, cycles):
    due = selectors.due_counts(user=request.user)
    return registry.Panel("tools/_due_panel.html", {"due": due})


def provision_links(user, provision):
    """The tools that rest on this provision: measures (their basis or the breach offence) and
    checklist items that cite it."""
    key = provision.key
    links = []
    content = catalogue.measures()
    if content and any(
        key in (m["provision"], m["breach_provision"], *m["related"]) for m in content["measures"]
    ):
        links.append(registry.Link(_("Protection-measure selector"), reverse("tools:measures")))
    for checklist in catalogue.checklists():
        if any(key in item["provisions"] for item in checklist["items"]):
            links.append(
                registry.Link(
                    catalogue.text(checklist["title"]),
                    reverse("tools:checklist", args=[checklist["key"]]),
                )
            )
    return links


def module_links(user, module):
    links = []
    aid = catalogue.risk_aid()
    if aid and any(module.key in f["modules"] for f in catalogue.factors(aid)):
        links.append(registry.Link(_("Risk-assessment aid"), reverse("tools:home")))
    for checklist in catalogue.checklists():
        if any(module.key in item["modules"] for item in checklist["items"]):
            links.append(
                registry.Link(
                    catalogue.text(checklist["title"]),
                    reverse("tools:checklist", args=[checklist["key"]]),
                )
            )
    return links


def register():
    registry.add_nav(nav, order=10)
    registry.add_cycle_links(registry.CYCLE_PAGE, cycle_page_links, order=40)
    registry.add_cycle_links(registry.MY_CYCLE, my_cycle_links, order=40)
    registry.add_panel(registry.PARTICIPANT_HOME, due_panel, order=5)
    registry.add_session_items(session_items)
    registry.add_object_links(registry.PROVISION_PAGE, provision_links)
    registry.add_object_links(registry.MODULE_PAGE, module_links)

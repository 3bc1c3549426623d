"""What the assessments app adds to the training pages (see himaya.core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from himaya.core import authz, registry

from .selectors import participant_assessments


def cycle_page_links(user, cycles):
    links = {}
    for cycle in cycles:
        items = []
        if authz.allowed(user, "training.manage_cycle", cycle):
            items.append(
                registry.Link(
                    _("Schedule the tests"),
                    reverse("assessments:manage_tests", args=[cycle.slug]),
                    id="manage-tests",
                )
            )
            items.append(
                registry.Link(
                    _("Manage the surveys"),
                    reverse("assessments:manage_surveys", args=[cycle.slug]),
                    id="manage-surveys",
                )
            )
        if authz.allowed(user, "assessments.view_results", cycle):
            items.append(
                registry.Link(
                    _("Learning results"), reverse("assessments:cycle_results", args=[cycle.slug])
                )
            )
            items.append(
                registry.Link(_("Surveys"), reverse("assessments:cycle_surveys", args=[cycle.slug]))
            )
        elif authz.allowed(user, "assessments.take_test", cycle):
            items.append(
                registry.Link(
                    _("Pre-test and post-test"), reverse("assessments:my_tests", args=[cycle.slug])
                )
            )
            items.append(
                registry.Link(
                    _("My surveys"), reverse("assessments:cycle_surveys", args=[cycle.slug])
                )
            )
        links[cycle.pk] = items
    return links


def my_cycle_links(user, cycles):
    return {
        cycle.pk: [
            registry.Link(
                _("Pre-test and post-test"), reverse("assessments:my_tests", args=[cycle.slug])
            )
        ]
        for cycle in cycles
        if authz.allowed(user, "assessments.take_test", cycle)
    }


def my_assessments_panel(request, cycles):
    """The participant's tests and surveys, per cycle, with what is to do, done, closed or
    not open yet, and a button to each open one. A fixed number of queries for any number of
    cycles (see selectors.participant_assessments)."""
    cycles = list(cycles)
    by_cycle = participant_assessments(user=request.user, cycles=cycles)
    rows = [(c, by_cycle[c.pk]) for c in cycles if by_cycle.get(c.pk)]
    if not rows:
        return None
    to_do = sum(1 for _c, items in rows for i in items if i["status"] in ("to_do", "in_progress"))
    return registry.Panel("assessments/_my_assessments_panel.html", {"rows": rows, "to_do": to_do})


def register():
    registry.add_cycle_links(registry.CYCLE_PAGE, cycle_page_links, order=20)
    registry.add_cycle_links(registry.MY_CYCLE, my_cycle_links, order=20)
    registry.add_panel(registry.PARTICIPANT_HOME, my_assessments_panel, order=10)

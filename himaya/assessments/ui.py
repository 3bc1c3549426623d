"""What the assessments app adds to the training pages (see himaya.core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from himaya.core import authz, registry

from .selectors import open_surveys_for


def cycle_page_links(user, cycles):
    links = {}
    for cycle in cycles:
        items = []
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


def open_surveys_panel(request, cycles):
    surveys = open_surveys_for(user=request.user, cycles=cycles)
    if not surveys:
        return None
    return registry.Panel("assessments/_open_surveys_panel.html", {"surveys": surveys})


def register():
    registry.add_cycle_links(registry.CYCLE_PAGE, cycle_page_links, order=20)
    registry.add_cycle_links(registry.MY_CYCLE, my_cycle_links, order=20)
    registry.add_panel(registry.PARTICIPANT_HOME, open_surveys_panel, order=10)

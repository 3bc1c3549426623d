"""What the reports app adds to the training pages (see himaya.core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from himaya.core import authz, registry


def cycle_page_links(user, cycles):
    return {
        cycle.pk: [
            registry.Link(_("Partner report"), reverse("reports:cycle_report", args=[cycle.slug]))
        ]
        for cycle in cycles
        if authz.allowed(user, "training.manage_cycle", cycle)
    }


def register():
    registry.add_cycle_links(registry.CYCLE_PAGE, cycle_page_links, order=40)

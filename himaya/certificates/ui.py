"""What the certificates app adds to the training pages (see himaya.core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from himaya.core import authz, registry

from .models import Certificate


def cycle_page_links(user, cycles):
    return {
        cycle.pk: [
            registry.Link(
                _("Certificates"), reverse("certificates:cycle_certificates", args=[cycle.slug])
            )
        ]
        for cycle in cycles
        if authz.allowed(user, "training.manage_cycle", cycle)
    }


def my_cycle_links(user, cycles):
    """The participant's own certificate of each cycle, in one query for all of them."""
    certificates = Certificate.objects.filter(participant=user, cycle__in=cycles)
    links = {}
    for certificate in certificates:
        if certificate.is_valid:
            links[certificate.cycle_id] = [
                registry.Link(
                    _("My certificate (PDF)"),
                    reverse("certificates:pdf", args=[certificate.pk]),
                    style="primary",
                )
            ]
        else:
            links[certificate.cycle_id] = [
                registry.Link(_("Certificate revoked"), "", style="revoked")
            ]
    return links


def register():
    registry.add_cycle_links(registry.CYCLE_PAGE, cycle_page_links, order=30)
    registry.add_cycle_links(registry.MY_CYCLE, my_cycle_links, order=30)
    registry.add_cycle_links(registry.MY_PROFILE, my_cycle_links, order=30)

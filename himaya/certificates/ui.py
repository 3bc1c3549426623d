"""What the certificates app adds to the training pages (see himaya.core.registry)."""

from django.db.models import F
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
    # The valid one last, so that it wins over an older revoked one that it replaces.
    certificates = Certificate.objects.filter(participant=user, cycle__in=cycles).order_by(
        F("revoked_at").desc(nulls_last=True), "pk"
    )
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


def participant_columns(cycle, participant_ids):
    """The certificate of each participant of a cycle's export: its code and state, in one
    query for all of them."""
    wanted = set(participant_ids)
    certificates = Certificate.objects.filter(cycle=cycle).only(
        "participant_id", "code", "revoked_at"
    )
    return registry.Columns(
        header=[_("Certificate code"), _("Certificate")],
        values={
            c.participant_id: [c.code, _("Valid") if c.is_valid else _("Revoked")]
            for c in certificates
            if c.participant_id in wanted
        },
    )


def register():
    registry.add_cycle_links(registry.CYCLE_PAGE, cycle_page_links, order=30)
    registry.add_cycle_links(registry.MY_CYCLE, my_cycle_links, order=30)
    registry.add_participant_columns(participant_columns, order=30)
    registry.add_cycle_links(registry.MY_PROFILE, my_cycle_links, order=30)

"""Who may see and manage certificates."""

import rules

from himaya.training.permissions import coordinates_cycle, is_admin


@rules.predicate
def holds_certificate(user, certificate):
    return (
        certificate is not None and user.is_authenticated and certificate.participant_id == user.pk
    )


@rules.predicate
def is_valid_certificate(user, certificate):
    """A revoked certificate is not handed to its holder any more: a printed copy could be shown
    as valid. Its code still verifies, as revoked, and the coordinators still see it."""
    return certificate is not None and certificate.revoked_at is None


@rules.predicate
def manages_certificate_cycle(user, certificate):
    return certificate is not None and coordinates_cycle(user, certificate.cycle)


rules.add_perm(
    "certificates.view_certificate",
    is_admin | (holds_certificate & is_valid_certificate) | manages_certificate_cycle,
)
rules.add_perm("certificates.manage_certificate", is_admin | manages_certificate_cycle)

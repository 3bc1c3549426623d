"""The certificates page makes as many queries for fifty people as for five."""

import pytest

from himaya.assessments.tests.cohort import Cohort, count_queries
from himaya.testing import url

pytestmark = pytest.mark.django_db


def test_certificates_page_query_count_does_not_grow_with_people(
    client, cycle, trainer, coordinator
):
    cohort = Cohort(cycle, trainer=trainer)
    path = url("certificates:cycle_certificates", cycle.slug)
    cohort.grow(5)
    cohort.issue_certificates()
    small, page = count_queries(client, coordinator, path, at=cohort.after_close)
    assert page.count(b"/revoke/") >= 1  # issued certificates are listed with their actions
    cohort.grow(45)
    cohort.issue_certificates()
    large, page = count_queries(client, coordinator, path, at=cohort.after_close)
    assert page.count(b"/revoke/") >= 10
    assert large == small


def _mark_some(cohort, coordinator):
    """Revoke, re-issue and flag a few of the cohort's certificates (all states on the page)."""
    import time_machine
    from django.utils import timezone

    from himaya.certificates import services
    from himaya.certificates.models import Certificate

    with time_machine.travel(cohort.after_close, tick=False):
        valid = list(Certificate.objects.filter(cycle=cohort.cycle, revoked_at__isnull=True))
        revoked = [c for c in valid if not hasattr(c, "replaced_by")][:3]
        for certificate in revoked:
            services.revoke(certificate=certificate, reason="test", actor=coordinator)
        services.reissue(certificate=revoked[0], actor=coordinator)
        Certificate.objects.filter(
            pk__in=[c.pk for c in valid[3:6]], revoked_at__isnull=True
        ).update(
            review_since=timezone.now(),
            review_reason="rule_changed",
            review_details={"reasons": ["attendance_low"], "attendance": 0.5, "minimum": 0.8},
        )


def test_certificates_page_with_every_state_makes_as_many_queries_for_fifty(
    client, cycle, trainer, coordinator
):
    from himaya.certificates import services

    services.set_signatories(
        cycle=cycle,
        actor=coordinator,
        signatories=[{"name_fr": "A", "title_fr": "B"}, {"name_fr": "C", "title_fr": "D"}],
    )
    cohort = Cohort(cycle, trainer=trainer)
    path = url("certificates:cycle_certificates", cycle.slug, lang="en")
    cohort.grow(9)
    cohort.issue_certificates()
    _mark_some(cohort, coordinator)
    small, page = count_queries(client, coordinator, path, at=cohort.after_close)
    assert page.count(b'class="review-item"') == 3 and b"Earlier, revoked" in page
    cohort.grow(45)
    cohort.issue_certificates()
    _mark_some(cohort, coordinator)
    large, page = count_queries(client, coordinator, path, at=cohort.after_close)
    assert page.count(b'class="review-item"') >= 3 and page.count(b"Earlier, revoked") == 2
    assert large == small


def test_rule_page_query_count_does_not_grow_with_people(client, cycle, trainer, coordinator):
    cohort = Cohort(cycle, trainer=trainer)
    path = url("certificates:rule", cycle.slug)
    cohort.grow(5)
    small, _page = count_queries(client, coordinator, path, at=cohort.after_close)
    cohort.grow(45)
    large, _page = count_queries(client, coordinator, path, at=cohort.after_close)
    assert large == small

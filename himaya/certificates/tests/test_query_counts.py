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

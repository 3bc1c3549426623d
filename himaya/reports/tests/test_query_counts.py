"""The partner report and the programme comparison make as many queries for fifty people as
for five (and the comparison as many for three cycles as for one)."""

import pytest

from himaya.assessments.tests.cohort import Cohort, count_queries
from himaya.testing import url
from himaya.training.tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


def test_partner_report_query_count_does_not_grow_with_people(client, cycle, trainer, coordinator):
    cohort = Cohort(cycle, trainer=trainer)
    pages = [
        url("reports:cycle_report", cycle.slug),
        url("reports:programme_report", cycle.programme.slug),
    ]
    cohort.grow(5)
    cohort.issue_certificates()
    small = [count_queries(client, coordinator, p, at=cohort.after_close)[0] for p in pages]
    cohort.grow(45)
    cohort.issue_certificates()
    large = [count_queries(client, coordinator, p, at=cohort.after_close)[0] for p in pages]
    assert large == small


def test_programme_comparison_query_count_does_not_grow_with_cycles(
    client, cycle, trainer, coordinator
):
    first = Cohort(cycle, trainer=trainer)
    first.grow(5)
    path = url("reports:programme_report", cycle.programme.slug)
    one, page = count_queries(client, coordinator, path, at=first.after_close)
    assert cycle.title.encode() in page
    for i in range(2):
        other = CycleFactory(programme=cycle.programme, slug=f"autre-cycle-{i}")
        Cohort(other, trainer=trainer, with_bank=False).grow(5)
    three, page = count_queries(client, coordinator, path, at=first.after_close)
    assert other.title.encode() in page
    assert three == one


def test_programme_comparison_figures_are_each_cycles_own(cycle, trainer):
    """Read together, each cycle's learning figures are those of `cohort_results` for it alone."""
    import time_machine

    from himaya.assessments import selectors as assessment_selectors
    from himaya.reports import selectors

    first = Cohort(cycle, trainer=trainer)
    first.grow(6)
    other = CycleFactory(programme=cycle.programme, slug="autre-cycle")
    Cohort(other, trainer=trainer, with_bank=False).grow(3)
    with time_machine.travel(first.after_close, tick=False):
        rows = {row["cycle"].pk: row for row in selectors.programme_report(cycle.programme)}
        for each in (cycle, other):
            alone = assessment_selectors.cohort_results(each, with_items=False)
            overall = next(a for a in alone.axes if a.key == "overall")
            assert overall.pairs > 0
            assert (rows[each.pk]["pre"], rows[each.pk]["post"], rows[each.pk]["gain"]) == (
                overall.pre_mean,
                overall.post_mean,
                overall.normalised_gain,
            )
    assert rows[cycle.pk]["pre"] != rows[other.pk]["pre"]

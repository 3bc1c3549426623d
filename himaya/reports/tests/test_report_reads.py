"""The partner report reads the other apps only through their selectors."""

import ast
import datetime

import pytest

from himaya.certificates import selectors as certificate_selectors
from himaya.certificates.models import Certificate
from himaya.reports import selectors as report_selectors
from himaya.training.tests.factories import CycleFactory, EnrolmentFactory


def test_report_selectors_query_no_other_apps_models():
    with open(report_selectors.__file__, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    imported = {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    models = {(module, name) for module, name in imported if module.endswith(".models")}
    assert models == {("himaya.assessments.models", "SurveyKind")}  # a list of choices


@pytest.mark.django_db
def test_certificate_counts_in_one_query(cycle, django_assert_num_queries):
    other = CycleFactory(programme=cycle.programme)
    people = [EnrolmentFactory(cycle=cycle).participant for _ in range(3)]
    today = datetime.date(2024, 12, 6)
    for person in people:
        Certificate.objects.create(cycle=cycle, participant=person, issued_on=today, language="fr")
    Certificate.objects.filter(participant=people[0]).update(
        revoked_at=datetime.datetime(2024, 12, 7, tzinfo=datetime.UTC), revoked_reason="error"
    )
    with django_assert_num_queries(1):
        counts = certificate_selectors.certificate_counts(cycles=[cycle, other])
    assert counts == {cycle.pk: {"valid": 2, "revoked": 1}, other.pk: {"valid": 0, "revoked": 0}}
    data = report_selectors.cycle_report(cycle)
    assert (data["certificates_valid"], data["certificates_revoked"]) == (2, 1)
    assert report_selectors.programme_report(cycle.programme)[0]["certificates"] == 2

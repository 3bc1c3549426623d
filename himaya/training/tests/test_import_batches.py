"""Imports are validated whole, then written in batches, one transaction each; a batch written
twice, or a file imported again after a crash between two batches, creates nothing twice."""

from unittest import mock

import pytest
from django.db import connection, transaction

from himaya.accounts.models import User
from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.training import services
from himaya.training.models import Enrolment
from himaya.training.tests.factories import CycleFactory

HEADER = "email,first_name,last_name,gender,function,court"


def _file(n: int, prefix: str = "b") -> bytes:
    rows = [HEADER] + [f"{prefix}{i}@justice.test,B{i},N{i},F,judge,Cour {i % 7}" for i in range(n)]
    return ("\r\n".join(rows) + "\r\n").encode()


class TransactionCounter:
    """Counts the outermost `transaction.atomic` blocks: the transactions really opened."""

    def __init__(self):
        self.count = 0
        self._atomic = transaction.atomic

    def __call__(self, *args, **kwargs):
        if not connection.in_atomic_block:
            self.count += 1
        return self._atomic(*args, **kwargs)


def _state(cycle):
    users = list(
        User.objects.filter(email__endswith="@justice.test")
        .order_by("email")
        .values_list("email", "first_name", "last_name", "court", "role")
    )
    enrolments = list(
        Enrolment.objects.filter(cycle=cycle)
        .order_by("participant__email")
        .values_list("participant__email", "status")
    )
    events = sorted(
        AuditEntry.objects.filter(event__in=["user.created", audit.ENROLMENT_CREATED]).values_list(
            "event", flat=True
        )
    )
    return users, enrolments, events


@pytest.mark.django_db(transaction=True)
def test_two_thousand_rows_in_batches_of_500_are_four_transactions_and_one_result(cycle):
    cycle.capacity = 1900  # the last 100 rows go on the waiting list
    cycle.save()
    data = _file(2000)
    counter = TransactionCounter()
    with mock.patch.object(transaction, "atomic", counter):
        report = services.import_participants(
            cycle=cycle, data=data, filename="p.csv", actor=None, batch_size=500
        )
    assert report.applied
    assert counter.count == 4
    assert report.as_dict()["created"] == 2000 and report.as_dict()["waiting"] == 100
    batched = _state(cycle)
    applied = AuditEntry.objects.get(event=audit.IMPORT_APPLIED)
    assert applied.extra["enrolled"] == 2000

    # The same file in one batch, into a twin cycle, from scratch: the same result.
    Enrolment.objects.all().delete()
    AuditEntry.objects.all().delete()
    User.objects.filter(email__endswith="@justice.test").delete()
    twin = CycleFactory(programme=cycle.programme, capacity=1900)
    counter = TransactionCounter()
    with mock.patch.object(transaction, "atomic", counter):
        services.import_participants(
            cycle=twin, data=data, filename="p.csv", actor=None, batch_size=10_000
        )
    assert counter.count == 1
    assert _state(twin) == batched


@pytest.mark.django_db(transaction=True)
def test_a_crash_between_batches_is_finished_by_importing_the_file_again(cycle):
    data = _file(30)
    real_batch = services._apply_batch
    calls = {"n": 0}

    def crash_on_the_third_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the machine stopped")
        return real_batch(**kwargs)

    with (
        mock.patch.object(services, "_apply_batch", crash_on_the_third_batch),
        pytest.raises(RuntimeError),
    ):
        services.import_participants(
            cycle=cycle, data=data, filename="p.csv", actor=None, batch_size=10
        )
    assert Enrolment.objects.filter(cycle=cycle).count() == 20  # two batches were committed
    assert not AuditEntry.objects.filter(event=audit.IMPORT_APPLIED).exists()

    report = services.import_participants(
        cycle=cycle, data=data, filename="p.csv", actor=None, batch_size=10
    )
    assert report.as_dict() == {
        "created": 10,
        "updated": 0,
        "unchanged": 20,
        "waiting": 0,
        "errors": [],
    }
    assert Enrolment.objects.filter(cycle=cycle).count() == 30
    assert User.objects.filter(email__endswith="@justice.test").count() == 30


@pytest.mark.django_db
def test_a_batch_written_twice_creates_nothing_twice(cycle):
    """A batch re-reads its accounts and enrolments: rows planned as new but written meanwhile
    (the same batch run again) are upserted, not inserted a second time."""
    data = _file(5)
    plan, cleaned, _users = services.plan_import(cycle=cycle, data=data, filename="p.csv")
    rows = [r for r in plan.rows if r.row in cleaned]
    services._apply_batch(cycle=cycle, rows=rows, cleaned=cleaned, actor=None)
    again = services._apply_batch(cycle=cycle, rows=rows, cleaned=cleaned, actor=None)
    assert again == []
    assert User.objects.filter(email__endswith="@justice.test").count() == 5
    assert Enrolment.objects.filter(cycle=cycle).count() == 5


@pytest.mark.django_db
def test_an_invalid_file_writes_no_batch(cycle):
    rows = _file(1200).decode().splitlines()
    rows[1100] = rows[1100].replace(",F,", ",X,")  # one bad gender far down the file
    report = services.import_participants(
        cycle=cycle, data="\r\n".join(rows).encode(), filename="p.csv", actor=None, batch_size=500
    )
    assert not report.applied
    assert not User.objects.filter(email__endswith="@justice.test").exists()
    assert not Enrolment.objects.filter(cycle=cycle).exists()

import uuid

import pytest
from django.db import models
from django.test.utils import isolate_apps

from himaya.core import privacy
from himaya.core.models import AuditEntry


def test_aggregates_only_from_the_minimum_group():
    assert privacy.MIN_GROUP == 5
    assert [privacy.aggregate_allowed(n) for n in (0, 1, 4, 5, 6, 50)] == [
        False,
        False,
        False,
        True,
        True,
        True,
    ]


def test_rounded_count_never_shows_a_single_new_answer():
    assert [privacy.rounded_count(n) for n in (0, 1, 4, 5, 6, 9, 10, 12)] == [
        0,
        0,
        0,
        5,
        5,
        5,
        10,
        10,
    ]


def test_a_sequence_primary_key_is_refused():
    with pytest.raises(privacy.OrderedStorageError, match="sequence"):
        privacy.add_unordered(AuditEntry, [], scope={})


@isolate_apps("himaya.core")
def test_times_of_day_and_rows_pointing_in_are_refused():
    class Timed(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        at = models.DateTimeField()

    class Pointed(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)

    class Pointer(models.Model):
        target = models.ForeignKey(Pointed, on_delete=models.CASCADE)

    class Fixed(models.Model):
        id = models.UUIDField(primary_key=True)

    class Fine(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        day = models.DateField()

    with pytest.raises(privacy.OrderedStorageError, match="finer than the day"):
        privacy.check_unordered_model(Timed)
    with pytest.raises(privacy.OrderedStorageError, match="point to it"):
        privacy.check_unordered_model(Pointed)
    with pytest.raises(privacy.OrderedStorageError, match="random default"):
        privacy.check_unordered_model(Fixed)
    privacy.check_unordered_model(Fine)  # no error

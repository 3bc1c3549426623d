"""Privacy primitives shared by every app: the small-group rule for aggregates, and storage
that keeps no order where anonymity matters.

Why the second one is needed: an anonymous answer and the record that its author answered are
written at the same moment. Whatever the database remembers about that moment pairs them: an
id sequence, SQLite's hidden ``rowid`` (any table whose primary key is not exactly ``INTEGER
PRIMARY KEY`` keeps one, growing with every insert), the physical place of a row (PostgreSQL's
``ctid``), a time of day, or PostgreSQL's ``xmin`` (the id of the transaction that wrote the row:
two rows written in one transaction share it, and transaction ids grow with time).
:func:`add_unordered` writes a new anonymous row so that none of these tell anything.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import models, transaction

# Aggregates (totals, means, comments) are shown only for groups at least this large, so that
# nobody can be recognised by elimination.
MIN_GROUP = 5


def aggregate_allowed(n: int) -> bool:
    """True when a group of ``n`` people is large enough for its aggregates to be shown."""
    return n >= MIN_GROUP


def rounded_count(n: int) -> int:
    """A count fit to show while a group is still filling: rounded down to a multiple of
    MIN_GROUP (so 0 means "fewer than MIN_GROUP"), so that watching it never reveals one new
    answer."""
    return max(n, 0) - max(n, 0) % MIN_GROUP


class OrderedStorageError(TypeError):
    """The model cannot be stored without order: it would leak what add_unordered hides."""


def check_unordered_model(model: type[models.Model]) -> None:
    """Refuse a model whose rows would carry an order anyway: a primary key from a sequence,
    a date-time or time column, or rows of other tables pointing to it (they would be lost
    when the rows are re-created)."""
    pk = model._meta.pk
    if isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        raise OrderedStorageError(f"{model.__name__}: a sequence primary key numbers the rows")
    if not pk.has_default() or not callable(pk.default):
        raise OrderedStorageError(f"{model.__name__}: the primary key needs a random default")
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField | models.TimeField):
            raise OrderedStorageError(f"{model.__name__}.{field.name} is finer than the day")
    if model._meta.related_objects:
        raise OrderedStorageError(f"{model.__name__}: other rows point to it")


def add_unordered(
    model: type[models.Model],
    new_rows: Iterable[models.Model],
    *,
    scope: dict,
    lock: models.Model | None = None,
) -> list[models.Model]:
    """Add ``new_rows`` to the rows of ``model`` matching ``scope`` (e.g. ``{"survey": s}``) so
    that no storage order tells which rows are new.

    In one transaction, every row of the scope is read, deleted and inserted again, together with
    the new ones, in a random order (``secrets.SystemRandom``) and with fresh random primary keys.
    Afterwards the rowid (SQLite), the physical order (``ctid``, PostgreSQL) and the primary keys
    are a fresh random permutation, and every row of the scope has the same ``xmin``: the one of
    the transaction of the latest answer, which the caller should use to record that someone
    answered, so that this shared ``xmin`` tells nothing either.

    ``lock`` is the row that owns the scope (e.g. the survey): it is locked first
    (``SELECT … FOR UPDATE`` on PostgreSQL) so that two answers arriving together are added one
    after the other instead of each re-creating the rows it read.

    Cost: O(n) reads and writes per new row, O(n²) for a scope of n rows in all. This is meant for
    scopes of tens or a few hundred rows (the respondents of one survey), not for large tables.

    Limits: it hides the order from anyone reading the tables, a dump or a backup taken later. The
    old row versions may stay in free pages (SQLite without ``secure_delete``, the WAL file) or
    as dead tuples until PostgreSQL vacuums them; someone who copies the database file between two
    answers can always tell what changed.
    """
    check_unordered_model(model)
    pk = model._meta.pk
    with transaction.atomic():
        if lock is not None:
            list(
                type(lock)
                ._base_manager.select_for_update()
                .filter(pk=lock.pk)
                .values_list("pk", flat=True)
            )
        queryset = model._base_manager.filter(**scope)
        rows = [*queryset, *new_rows]
        queryset.delete()  # nothing points to these rows (checked above): no cascade to lose
        secrets.SystemRandom().shuffle(rows)
        for row in rows:
            setattr(row, pk.attname, pk.get_default())
            row._state.adding = True
        return model._base_manager.bulk_create(rows)

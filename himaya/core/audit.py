"""The audit log: every create, update and delete of sensitive objects.

Services call `record()` in the transaction of the change. `snapshot()` and `diff()` turn a
model instance into the `changes` mapping `{field: [old, new]}`."""

from __future__ import annotations

import contextlib
import contextvars
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import pre_delete

from .models import AuditAction, AuditEntry

# Never copy secrets into the log, even hashed.
SECRET_FIELDS = {"password"}

# Who is acting, for changes that reach the log through signals (deletions, which cascade).
_current_actor: contextvars.ContextVar = contextvars.ContextVar("himaya_audit_actor", default=None)


def current_actor():
    return _current_actor.get()


@contextlib.contextmanager
def acting_as(user):
    token = _current_actor.set(user)
    try:
        yield
    finally:
        _current_actor.reset(token)


class AuditActorMiddleware:
    """Makes the signed-in user the actor of the changes a request causes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        with acting_as(user if user is not None and user.is_authenticated else None):
            return self.get_response(request)


def _log_deletion(sender, instance, **kwargs):
    record_delete(actor=current_actor(), target=instance)


def audit_deletions(*model_classes) -> None:
    """Log every deletion of these models, cascaded ones included, whoever deletes them."""
    for model_class in model_classes:
        pre_delete.connect(
            _log_deletion,
            sender=model_class,
            dispatch_uid=f"audit-delete-{model_class._meta.label}",
        )


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete field values of an instance, foreign keys as their ids."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        values[field.attname] = field.value_from_object(instance)
    return values


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    before = before or {}
    after = after or {}
    keys = sorted(set(before) | set(after))
    return {
        k: [before.get(k), after.get(k)]
        for k in keys
        if before.get(k) != after.get(k) and k not in {"updated_at", "created_at", "last_login"}
    }


def record(
    *,
    actor,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        changes=changes or {},
    )


def record_create(*, actor, target: models.Model) -> AuditEntry:
    return record(
        actor=actor, action=AuditAction.CREATE, target=target, changes=diff(None, snapshot(target))
    )


def record_update(*, actor, target: models.Model, before: dict[str, Any]) -> AuditEntry | None:
    changes = diff(before, snapshot(target))
    if not changes:
        return None
    return record(actor=actor, action=AuditAction.UPDATE, target=target, changes=changes)


def record_delete(*, actor, target: models.Model) -> AuditEntry:
    return record(
        actor=actor, action=AuditAction.DELETE, target=target, changes=diff(snapshot(target), None)
    )


class AuditedAdminMixin:
    """ModelAdmin mixin: changes made in the Django admin reach the audit log too."""

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            before = snapshot(old) if old else None
        super().save_model(request, obj, form, change)
        if before is None:
            record_create(actor=request.user, target=obj)
        else:
            record_update(actor=request.user, target=obj, before=before)

    # Deletions are logged by the pre_delete signal (see audit_deletions), cascades included.

"""The audit log: one typed event per state change (Zulip's RealmAuditLog, in small).

An event has a dotted name (`cycle.created`, `enrolment.withdrawn`, `login.failed`), an actor,
an optional target, the changed fields `{field: [old, new]}` and a JSON `extra`. Services write
it with `record()` (or `record_create` / `record_update` / `record_delete`, which name the event
`<model>.created|updated|deleted` unless told otherwise) inside the transaction of the change, so
a rolled-back change leaves no event. Side effects (e-mails, tasks, index updates) wait for the
commit: `audit.on_commit(fn)`, never straight from the service.

The one write path for updates is `model_update(instance=..., data=..., fields=...)`: it sets the
named fields, validates, saves only them and returns what changed, which is what the event holds:

    changes = model_update(instance=cycle, data=data, fields=["title", "capacity"])
    if changes:
        audit.record(event=audit.CYCLE_UPDATED, actor=actor, target=cycle, changes=changes)
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import pre_delete

from .models import AuditEntry

# The events the services write. Generic `<model>.created|updated|deleted` events also exist
# (the admin, deletions through signals, accounts made by an import).
CYCLE_CREATED = "cycle.created"
CYCLE_UPDATED = "cycle.updated"
SESSION_CREATED = "session.created"
SESSION_UPDATED = "session.updated"
ENROLMENT_CREATED = "enrolment.created"
ENROLMENT_UPDATED = "enrolment.updated"
ENROLMENT_WITHDRAWN = "enrolment.withdrawn"
ENROLMENT_PROMOTED = "enrolment.promoted"
ATTENDANCE_RECORDED = "attendance.recorded"
IMPORT_APPLIED = "import.applied"
CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE_REVOKED = "certificate.revoked"
ATTEMPT_STARTED = "attempt.started"
ATTEMPT_SUBMITTED = "attempt.submitted"
TEST_CLOSED = "test.closed"
TEST_SCHEDULED = "test.scheduled"
TEST_RESCHEDULED = "test.rescheduled"
TEST_DELETED = "test.deleted"
SURVEY_CREATED = "survey.created"
SURVEY_UPDATED = "survey.updated"
SURVEY_CLOSED = "survey.closed"
SURVEY_DELETED = "survey.deleted"
ASSESSMENTS_COPIED = "assessments.copied"
LOGIN_SUCCEEDED = "login.succeeded"
LOGIN_FAILED = "login.failed"
PASSWORD_CHANGED = "password.changed"
INVITATION_SENT = "invitation.sent"
INVITATION_LINK_COPIED = "invitation.link_copied"
INVITATION_ACCEPTED = "invitation.accepted"
RECORD_READ = "record.read"

# Never copy secrets into the log, even hashed.
SECRET_FIELDS = {"password"}
_NOT_CHANGES = {"updated_at", "created_at", "last_login"}

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


def on_commit(fn: Callable[[], Any]) -> None:
    """Run a side effect of a change once its transaction commits (at once outside one), so an
    e-mail or a task never announces a change that was rolled back."""
    transaction.on_commit(fn)


# --- writing fields ------------------------------------------------------------------------


def _field_value(instance: models.Model, field) -> Any:
    if field.many_to_many:
        if instance.pk is None:
            return []
        return sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return field.value_from_object(instance)


def model_update(
    *, instance: models.Model, data: dict[str, Any], fields: Iterable[str] | None = None
) -> dict[str, list[Any]]:
    """Set the named `fields` of a saved instance from `data` (every key of `data` when
    `fields` is None), validate, and save only what changed. Returns `{field: [old, new]}`
    (foreign keys as ids, many-to-many as sorted id lists); empty when nothing changed, and then
    nothing is written. HackSoft's `model_update`, returning the changes for the audit event."""
    names = list(fields) if fields is not None else list(data)
    opts = instance._meta
    changes: dict[str, list[Any]] = {}
    plain: list[str] = []
    many: dict[str, Any] = {}
    for name in names:
        if name not in data:
            continue
        field = opts.get_field(name)
        old = _field_value(instance, field)
        if field.many_to_many:
            new_objects = list(data[name])
            new = sorted(o.pk if isinstance(o, models.Model) else o for o in new_objects)
            if new != old:
                many[name] = new_objects
                changes[name] = [old, new]
            continue
        setattr(instance, name, data[name])
        new = field.value_from_object(instance)
        if new != old:
            plain.append(field.name)
            changes[name] = [old, new]
    if plain:
        instance.full_clean()
        update_fields = list(plain)
        if any(getattr(f, "auto_now", False) and f.name == "updated_at" for f in opts.fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    for name, objects in many.items():
        getattr(instance, name).set(objects)
    return {k: v for k, v in changes.items() if k not in SECRET_FIELDS}


def model_create(model: type[models.Model], *, data: dict[str, Any]) -> models.Model:
    """Create one validated instance (many-to-many values in `data` are set after the save)."""
    opts = model._meta
    many = {k: v for k, v in data.items() if opts.get_field(k).many_to_many}
    instance = model(**{k: v for k, v in data.items() if k not in many})
    instance.full_clean()
    instance.save()
    for name, objects in many.items():
        getattr(instance, name).set(objects)
    return instance


# --- snapshots -----------------------------------------------------------------------------


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
        if before.get(k) != after.get(k) and k not in _NOT_CHANGES
    }


def event_name(target: models.Model, verb: str) -> str:
    """`cycle.created`, `attendance.deleted`: the generic event of a model."""
    return f"{target._meta.model_name}.{verb}"


# --- recording -----------------------------------------------------------------------------


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def entry(
    *,
    event: str,
    actor=None,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """An unsaved event, for `AuditEntry.objects.bulk_create` (bulk imports)."""
    return AuditEntry(
        event=event,
        actor=_actor(actor),
        target_type=(
            ContentType.objects.get_for_model(target, for_concrete_model=True)
            if target is not None
            else None
        ),
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        changes=changes or {},
        extra=extra or {},
    )


def record(
    *,
    event: str,
    actor=None,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one event, in the caller's transaction."""
    audit_entry = entry(event=event, actor=actor, target=target, changes=changes, extra=extra)
    audit_entry.save()
    return audit_entry


def record_create(
    *, actor, target: models.Model, event: str | None = None, extra: dict | None = None
) -> AuditEntry:
    return record(
        event=event or event_name(target, "created"),
        actor=actor,
        target=target,
        changes=diff(None, snapshot(target)),
        extra=extra,
    )


def record_update(
    *,
    actor,
    target: models.Model,
    before: dict[str, Any],
    event: str | None = None,
    extra: dict | None = None,
) -> AuditEntry | None:
    """The event of a change from the `before` snapshot; none when nothing changed."""
    changes = diff(before, snapshot(target))
    if not changes:
        return None
    return record(
        event=event or event_name(target, "updated"),
        actor=actor,
        target=target,
        changes=changes,
        extra=extra,
    )


def record_delete(*, actor, target: models.Model, event: str | None = None) -> AuditEntry:
    return record(
        event=event or event_name(target, "deleted"),
        actor=actor,
        target=target,
        changes=diff(snapshot(target), None),
    )


def record_read(*, actor, target: models.Model, extra: dict | None = None) -> AuditEntry:
    """A sensitive record was read (privacy: every read of victim-identifying data)."""
    return record(event=RECORD_READ, actor=actor, target=target, extra=extra)


# --- deletions, through signals --------------------------------------------------------------


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


# --- sign-in, through Django's signals ---------------------------------------------------------


def _client_ip(request) -> str | None:
    if request is None:
        return None
    from himaya.accounts.security import client_ip

    return client_ip(request)


def _log_login(sender, request, user, **kwargs):
    record(
        event=LOGIN_SUCCEEDED,
        actor=user,
        target=user,
        extra={"ip": _client_ip(request)},
    )


def _log_login_failure(sender, credentials, request=None, **kwargs):
    """Django passes the credentials with the password already masked; only the e-mail tried
    is kept, never anything else of them."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    tried = (credentials or {}).get(field) or (credentials or {}).get("email") or ""
    tried = str(tried).strip()[:254]
    user_model = get_user_model()
    target = user_model._default_manager.filter(email__iexact=tried).first() if tried else None
    record(
        event=LOGIN_FAILED,
        actor=None,
        target=target,
        extra={"email": tried, "ip": _client_ip(request)},
    )


def audit_sign_in() -> None:
    """Write `login.succeeded` and `login.failed` events (connected once, in accounts' ready())."""
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    user_logged_in.connect(_log_login, dispatch_uid="audit-login-succeeded")
    user_login_failed.connect(_log_login_failure, dispatch_uid="audit-login-failed")


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

"""Read auditing: who looked at which sensitive record, and why.

Selectors that hand sensitive data to a person (an encrypted risk assessment, an uploaded case
file) call :func:`audit_read` for each record they return, so that the audit log answers "who has
seen this?" as well as "who changed this?". It writes the typed `record.read` event
(`himaya.core.audit.RECORD_READ`) in the caller's transaction."""

from __future__ import annotations

from django.db import models

from . import audit


def audit_read(*, actor, target: models.Model, reason: str = ""):
    """Write the `record.read` event for `actor` reading `target` (an anonymous actor is logged
    as nobody). `reason` says why, when the reader had to give one; it is kept in the event's
    `extra` as {"reason": ...}."""
    reason = reason.strip()
    return audit.record_read(
        actor=actor, target=target, extra={"reason": reason} if reason else None
    )

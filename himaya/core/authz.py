"""The one place where pages, API routes and jobs ask "may this person do this?".

Every decision is a named `rules` permission, asked of the rule itself (`rules.has_perm`),
not through `user.has_perm`: Django's ModelBackend answers yes to every question for a
superuser, which would let an administrator take tests or answer anonymous surveys. Where an
administrator may act, the rule says so (`is_admin`)."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def allowed(user, perm: str, obj=None) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and rules.has_perm(perm, user, obj)


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied (403) unless the rule allows."""
    if not allowed(user, perm, obj):
        raise PermissionDenied


def require_actor(actor, perm: str, obj=None) -> None:
    """For services: `actor=None` is the system (content loading, the command line, a job run
    on nobody's behalf), which the rules do not stop; anyone else must be allowed."""
    if actor is not None:
        require(actor, perm, obj)


def fetch(user, queryset, perm: str, **lookup):
    """Fetch one object and check the rule on it: 404 when it does not exist, 403 when it
    exists but the rule refuses. `queryset` may be a model or a queryset (with its
    select_related), so that the check and the page read the same row once."""
    obj = get_object_or_404(queryset, **lookup)
    require(user, perm, obj)
    return obj

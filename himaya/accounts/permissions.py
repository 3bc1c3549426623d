"""Role predicates: who a person is on the platform. Object predicates (whose cycle, whose
attempt) live with their objects' apps and are built on these."""

import rules

from .choices import Role


@rules.predicate
def is_admin(user):
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN)


@rules.predicate
def is_coordinator(user):
    return user.is_authenticated and user.role == Role.COORDINATOR and user.partner_id is not None


@rules.predicate
def is_trainer(user):
    return user.is_authenticated and user.role == Role.TRAINER


@rules.predicate
def is_participant(user):
    return user.is_authenticated and user.role == Role.PARTICIPANT


@rules.predicate
def is_self(user, other):
    return user.is_authenticated and other is not None and user.pk == other.pk

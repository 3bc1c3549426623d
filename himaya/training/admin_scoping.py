"""Partner scoping for the Django admin, from the same predicates as the pages.

A coordinator uses the admin until the coordinator workspace replaces it. Whatever they open,
list, choose in a widget or save is limited to their partner institution: the change lists and
objects (`get_queryset`), every foreign-key and many-to-many choice (so a form cannot create an
enrolment or a session in another partner's cycle, nor enrol an administrator), and changes to
people (only participants of their own cycles, never staff accounts)."""

from __future__ import annotations

from django.db.models import Q

from himaya.accounts.choices import Role
from himaya.accounts.models import User

from . import permissions
from .models import Axis, Cycle, Module, Partner, Programme, Session


def is_admin(user) -> bool:
    return bool(permissions.is_admin(user))


def visible_people(user):
    """The accounts a coordinator may see: participants and trainers of their partner's cycles."""
    if is_admin(user):
        return User.objects.all()
    if not permissions.is_coordinator(user):
        return User.objects.none()
    partner = user.partner_id
    return User.objects.filter(
        Q(enrolments__cycle__programme__partners=partner)
        | Q(sessions_taught__cycle__programme__partners=partner)
    ).distinct()


def choices_for(model, field_name: str, user):
    """The objects a user may pick for a foreign key or many-to-many field of the admin."""
    if is_admin(user):
        return None  # Django's default: everything
    partner = user.partner_id if permissions.is_coordinator(user) else None
    if partner is None:
        return model._default_manager.none()
    if model is Partner:
        return Partner.objects.filter(pk=partner)
    if model is Programme:
        return Programme.objects.filter(partners=partner).distinct()
    if model is Axis:
        return Axis.objects.filter(programme__partners=partner).distinct()
    if model is Module:
        return Module.objects.filter(axis__programme__partners=partner).distinct()
    if model is Cycle:
        return Cycle.objects.filter(programme__partners=partner).distinct()
    if model is Session:
        return Session.objects.filter(cycle__programme__partners=partner).distinct()
    if model is User:
        if field_name == "trainers":
            return User.objects.filter(role=Role.TRAINER, is_active=True)
        # Participants of the partner's own cycles; never a staff or administrator account.
        return visible_people(user).filter(
            role=Role.PARTICIPANT, is_staff=False, is_superuser=False
        )
    return model._default_manager.none()


class PartnerScopedChoicesMixin:
    """ModelAdmin / InlineModelAdmin mixin: every related-object choice is partner-scoped."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = choices_for(db_field.related_model, db_field.name, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = choices_for(db_field.related_model, db_field.name, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def may_change_person(user, person) -> bool:
    """Administrators change anyone; a coordinator only a participant of their own cycles."""
    if is_admin(user):
        return True
    if person is None:
        return permissions.is_coordinator(user)
    return bool(
        permissions.coordinates_participant(user, person)
        and person.role == Role.PARTICIPANT
        and not person.is_staff
        and not person.is_superuser
    )

"""Who may do what: `rules` predicates. Anything not allowed here is denied."""

import rules

from himaya.accounts.choices import Role
from himaya.accounts.permissions import (  # noqa: F401 - re-exported for the apps above
    is_admin,
    is_coordinator,
    is_participant,
    is_self,
    is_trainer,
)

from .models import WITHOUT_SEAT, CycleStatus


@rules.predicate
def coordinates_cycle(user, cycle):
    if not is_coordinator(user) or cycle is None:
        return False
    return cycle.programme.partners.filter(pk=user.partner_id).exists()


@rules.predicate
def teaches_in_cycle(user, cycle):
    return is_trainer(user) and cycle is not None and cycle.sessions.filter(trainers=user).exists()


@rules.predicate
def enrolled_in_cycle(user, cycle):
    """Holds a seat in the cycle: neither withdrawn nor on its waiting list; a draft cycle is
    not shown to its participants yet."""
    return (
        user.is_authenticated
        and cycle is not None
        and cycle.status != CycleStatus.DRAFT
        and cycle.enrolments.filter(participant=user).exclude(status__in=WITHOUT_SEAT).exists()
    )


@rules.predicate
def coordinates_programme(user, programme):
    if not is_coordinator(user) or programme is None:
        return False
    return programme.partners.filter(pk=user.partner_id).exists()


@rules.predicate
def coordinates_session(user, session):
    return session is not None and coordinates_cycle(user, session.cycle)


@rules.predicate
def teaches_session(user, session):
    return is_trainer(user) and session is not None and session.trainers.filter(pk=user.pk).exists()


@rules.predicate
def coordinates_participant(user, participant):
    if not is_coordinator(user) or participant is None:
        return False
    return participant.enrolments.filter(cycle__programme__partners=user.partner_id).exists()


@rules.predicate
def may_read_module(user, module):
    if module is None or not user.is_authenticated:
        return False
    if user.role in (Role.COORDINATOR, Role.TRAINER):
        return True
    return (
        user.enrolments.filter(cycle__programme_id=module.axis.programme_id)
        .exclude(status__in=WITHOUT_SEAT)
        .exists()
    )


rules.add_perm(
    "training.access_cycle", is_admin | coordinates_cycle | teaches_in_cycle | enrolled_in_cycle
)
rules.add_perm("training.manage_cycle", is_admin | coordinates_cycle)
rules.add_perm("training.manage_programme", is_admin | coordinates_programme)
rules.add_perm("training.take_attendance", is_admin | coordinates_session | teaches_session)
rules.add_perm("training.access_participant", is_admin | is_self | coordinates_participant)
rules.add_perm("training.read_module", is_admin | may_read_module)
# The trainer's guide on a module page (timed plan, model answers, second case): for those who
# run the training, never for participants, whose answers it would give away.
rules.add_perm(
    "training.read_trainer_guide", is_admin | ((is_trainer | is_coordinator) & may_read_module)
)
rules.add_perm("training.open_dashboard", is_admin | is_coordinator)
rules.add_perm("training.open_trainer_page", is_admin | is_trainer)
# Everyone signed in keeps their own profile (phone, court, languages): `my_profile`.
rules.add_perm("training.edit_own_profile", rules.is_authenticated)

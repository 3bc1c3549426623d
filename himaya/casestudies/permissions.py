"""Who reads an original decision: its uploader and the reviewers (trainers and coordinators),
nobody else — not the participants, not an administrator who is neither."""

import rules

from himaya.accounts.choices import Role
from himaya.training.permissions import (
    coordinates_cycle,
    coordinates_session,
    is_admin,
    teaches_in_cycle,
    teaches_session,
)


@rules.predicate
def is_reviewer(user):
    return user.is_authenticated and user.role in (Role.TRAINER, Role.COORDINATOR)


@rules.predicate
def is_uploader(user, document):
    return user.is_authenticated and document is not None and document.uploaded_by_id == user.pk


@rules.predicate
def may_upload(user):
    return user.is_authenticated and user.role in (Role.TRAINER, Role.COORDINATOR, Role.PARTICIPANT)


rules.add_perm("casestudies.plan_cycle_cases", is_admin | coordinates_cycle | teaches_in_cycle)
rules.add_perm("casestudies.plan_session_cases", is_admin | coordinates_session | teaches_session)
rules.add_perm("casestudies.upload", may_upload)
rules.add_perm("casestudies.read_original", is_uploader | is_reviewer)
rules.add_perm("casestudies.review", is_reviewer)

"""Getting people in: invitations with a set-password link, and their state.

An imported participant's account has no usable password. An invitation e-mails them, in
their own language, a personal link (`accounts:welcome`) to choose one; it is valid
HIMAYA_INVITATION_DAYS days and dies once used (see `tokens`). A coordinator may also copy
such a link and pass it on another way. People who already have a password get a short notice
instead ("you have been added to cycle X", with the sign-in link), never a token.

Rights are the caller's business, as with every service: the bulk job re-checks its owner's
(`training.manage_cycle` on the cycle, `training.access_participant` on each person) when it
runs, and the pages that call these functions check the same rules first. The cycle and its
enrolments are read through the app registry, since `training` sits above `accounts`."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from himaya.core import audit, jobs

from . import mail
from .models import User
from .tokens import invitation_token

INVITATION_JOB = "accounts.invitations"

# The states of a person's access, as the enrolments page shows them.
ACTIVE = "active"  # has a password
INVITED = "invited"  # a set-password link is out and still valid
EXPIRED = "expired"  # the last link has expired
NOT_INVITED = "not_invited"  # no link was ever given
STATE_LABELS = {
    ACTIVE: gettext_lazy("Active"),
    INVITED: gettext_lazy("Invited"),
    EXPIRED: gettext_lazy("Invitation expired"),
    NOT_INVITED: gettext_lazy("Not invited"),
}

ALREADY_ACTIVE = gettext_lazy(
    "This person has already chosen a password: they sign in with it (or reset it themselves)."
)
ACCOUNT_INACTIVE = gettext_lazy("This account is inactive.")

# Enrolments that receive no invitation for their cycle.
_NOT_INVITED_STATUSES = ("withdrawn",)
_WAITING = "waiting"


@dataclass(frozen=True)
class InvitationState:
    state: str  # ACTIVE, INVITED, EXPIRED or NOT_INVITED
    expires_at: datetime.datetime | None = None  # when INVITED or EXPIRED

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


def validity() -> datetime.timedelta:
    return datetime.timedelta(days=int(settings.HIMAYA_INVITATION_DAYS))


def _has_usable_password(user) -> bool:
    return bool(user.password) and not user.password.startswith(UNUSABLE_PASSWORD_PREFIX)


def invitation_state(user, *, now: datetime.datetime | None = None) -> InvitationState:
    if _has_usable_password(user):
        return InvitationState(ACTIVE)
    if user.invited_at is None:
        return InvitationState(NOT_INVITED)
    expires_at = user.invited_at + validity()
    now = now or timezone.now()
    return InvitationState(INVITED if now < expires_at else EXPIRED, expires_at)


def invitation_states(users: Iterable[User]) -> dict[int, InvitationState]:
    """`{user.pk: InvitationState}` from the users' own fields: no query at all."""
    now = timezone.now()
    return {user.pk: invitation_state(user, now=now) for user in users}


# --- links ---------------------------------------------------------------------------------


def welcome_url(user, *, language: str | None = None) -> str:
    """A new absolute set-password link for `user`, in `language` (theirs by default)."""
    return mail.absolute_url(
        "accounts:welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token.make_token(user),
        },
        language=language or mail.language_of(user),
    )


def _check_invitable(user) -> None:
    if not user.is_active:
        raise ValidationError(ACCOUNT_INACTIVE, code="inactive")
    if _has_usable_password(user):
        raise ValidationError(ALREADY_ACTIVE, code="active")


@transaction.atomic
def invitation_link(*, user: User, actor) -> str:
    """A set-password link the coordinator copies and shares another way (a message, a
    printed sheet). It counts as an invitation: `invited_at` restarts its validity. Refused
    (ValidationError) for people who already have a password: such a link would let whoever
    holds it take over a live account."""
    _check_invitable(user)
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(invited_at=now)
    user.invited_at = now
    link = welcome_url(user)
    audit.record(
        event=audit.INVITATION_LINK_COPIED,
        actor=actor,
        target=user,
        extra={"expires_at": (now + validity()).isoformat()},
    )
    return link


# --- e-mails -------------------------------------------------------------------------------


def _cycle_context(cycle, *, waiting: bool) -> dict:
    if cycle is None:
        return {"cycle": None}
    return {"cycle": cycle, "waiting": waiting}


def _enrolment_statuses(cycle, user_pks: list[int]) -> dict[int, str]:
    if cycle is None or not user_pks:
        return {}
    return dict(
        cycle.enrolments.filter(participant_id__in=user_pks).values_list("participant_id", "status")
    )


def send_invitations(
    *,
    users: Iterable[User],
    actor,
    cycle=None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """E-mail each person, in their language: a set-password link valid
    HIMAYA_INVITATION_DAYS days when they have no password yet (and `invited_at` is set), a
    short notice that they were added to `cycle`, with the sign-in link, when they have one.
    Inactive accounts, people withdrawn from `cycle`, and people with a password when there is
    no cycle to announce are skipped. Each person is one transaction, audited
    (`invitation.sent`); the e-mail leaves once it commits. Returns how many were sent."""
    users = list(users)
    statuses = _enrolment_statuses(cycle, [u.pk for u in users])
    inviter = actor if getattr(actor, "is_authenticated", False) else None
    sent = 0
    for done, user in enumerate(users, start=1):
        status = statuses.get(user.pk)
        if not user.is_active or (cycle is not None and status in _NOT_INVITED_STATUSES):
            pass
        elif _has_usable_password(user):
            if cycle is not None:
                _send_notice(user=user, actor=actor, cycle=cycle, inviter=inviter, status=status)
                sent += 1
        else:
            _send_invitation(user=user, actor=actor, cycle=cycle, inviter=inviter, status=status)
            sent += 1
        if progress is not None:
            progress(done, len(users))
    return sent


@transaction.atomic
def _send_invitation(*, user, actor, cycle, inviter, status) -> None:
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(invited_at=now)
    user.invited_at = now
    expires_at = now + validity()
    message = mail.build(
        user=user,
        template="invitation",
        context={
            **_cycle_context(cycle, waiting=status == _WAITING),
            "inviter": inviter,
            "link": welcome_url(user),
            "expires_at": expires_at,
            "days": int(settings.HIMAYA_INVITATION_DAYS),
        },
    )
    audit.record(
        event=audit.INVITATION_SENT,
        actor=actor,
        target=user,
        extra={
            "kind": "invitation",
            "cycle": cycle.pk if cycle is not None else None,
            "language": mail.language_of(user),
            "expires_at": expires_at.isoformat(),
        },
    )
    audit.on_commit(message.send)


@transaction.atomic
def _send_notice(*, user, actor, cycle, inviter, status) -> None:
    message = mail.build(
        user=user,
        template="added_to_cycle",
        context={**_cycle_context(cycle, waiting=status == _WAITING), "inviter": inviter},
    )
    audit.record(
        event=audit.INVITATION_SENT,
        actor=actor,
        target=user,
        extra={"kind": "notice", "cycle": cycle.pk, "language": mail.language_of(user)},
    )
    audit.on_commit(message.send)


def pending_for_cycle(cycle):
    """People enrolled in `cycle` (not withdrawn) who have no password and were never invited."""
    enrolled = cycle.enrolments.exclude(status__in=_NOT_INVITED_STATUSES).values("participant_id")
    return User.objects.filter(
        pk__in=enrolled,
        is_active=True,
        invited_at__isnull=True,
        password__startswith=UNUSABLE_PASSWORD_PREFIX,
    ).order_by("pk")


def invite_pending(*, cycle, actor) -> int:
    """Invite everyone of `cycle` who still needs an invitation (after an import, and when a
    draft cycle opens for enrolment: nobody is invited to a cycle they cannot see yet)."""
    if cycle.status == "draft":
        return 0
    return send_invitations(users=pending_for_cycle(cycle), actor=actor, cycle=cycle)


# --- the bulk (re)sending job --------------------------------------------------------------


def start_invitation_job(*, owner, users, cycle=None, back_url: str = ""):
    """Queue the (re)sending of invitations to `users` (users or their pks) for `cycle`; the
    view then sends its owner to `jobs.follow(request, job)`."""
    pks = sorted({u if isinstance(u, int) else u.pk for u in users})
    title = (
        _("Invitations: %(cycle)s") % {"cycle": cycle.title}
        if cycle is not None
        else _("Invitations")
    )
    return jobs.start(
        owner=owner,
        kind=INVITATION_JOB,
        title=title,
        params={"users": pks, "cycle": cycle.pk if cycle is not None else None},
        back_url=back_url,
    )


@jobs.register(INVITATION_JOB)
def _invitation_job(job, progress) -> jobs.JobOutput:
    refused = _("Some of these people are no longer available to you. Nothing was sent.")
    cycle = None
    if job.params.get("cycle") is not None:
        cycle_model = apps.get_model("training", "Cycle")
        cycle = (
            cycle_model.objects.select_related("programme").filter(pk=job.params["cycle"]).first()
        )
        if not jobs.owner_may(job, "training.manage_cycle", cycle):
            raise jobs.JobFailed(_("This cycle is no longer available to you."))
    try:
        pks = sorted({int(pk) for pk in job.params.get("users") or []})
    except (TypeError, ValueError) as exc:
        raise jobs.JobFailed(refused) from exc
    users = list(User.objects.filter(pk__in=pks).order_by("last_name", "first_name", "pk"))
    if len(users) != len(pks) or not all(
        jobs.owner_may(job, "training.access_participant", user) for user in users
    ):
        raise jobs.JobFailed(refused)
    progress(0, len(users))
    sent = send_invitations(users=users, actor=job.owner, cycle=cycle, progress=progress)
    return jobs.JobOutput(
        message=ngettext("%(count)d e-mail sent.", "%(count)d e-mails sent.", sent)
        % {"count": sent}
    )

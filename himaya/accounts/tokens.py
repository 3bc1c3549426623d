"""The set-password token of invitations.

Django's password-reset token, under its own salt (a reset link is not an invitation link, nor
the other way round) and with its own lifetime: HIMAYA_INVITATION_DAYS days instead of
PASSWORD_RESET_TIMEOUT. Like Django's, it is derived from the account's password hash and
last sign-in, so it stops working once the person has chosen a password or signed in, and
nothing of it is stored."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


def invitation_timeout_seconds() -> int:
    return int(settings.HIMAYA_INVITATION_DAYS) * 24 * 3600


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "himaya.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        """Django's check, with the invitation's lifetime in place of the reset's."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - ts) <= invitation_timeout_seconds()


invitation_token = InvitationTokenGenerator()

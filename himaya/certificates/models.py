import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from himaya.core.models import TimeStampedModel

# Letters and digits that cannot be mistaken for one another when read from paper or typed:
# no 0/O, 1/I/L, and no case (codes are read in capitals, typed in either).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 5, 5


def new_code() -> str:
    """An unguessable public code, 25 characters of a 31-letter alphabet (about 124 random
    bits), in groups of five: "K7Q2M-…"."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def normalise_code(typed: str) -> str:
    """A code as a person typed or scanned it, as it is stored: capitals, groups of five joined
    by hyphens, spaces and hyphens anywhere ignored. Codes issued before this alphabet
    (URL-safe, case-sensitive) are returned as typed, so they still verify."""
    compact = "".join(ch for ch in typed.strip() if ch not in " -\t")
    upper = compact.upper()
    if len(upper) == CODE_GROUPS * CODE_GROUP_LENGTH and all(c in CODE_ALPHABET for c in upper):
        return "-".join(
            upper[i : i + CODE_GROUP_LENGTH] for i in range(0, len(upper), CODE_GROUP_LENGTH)
        )
    return typed.strip()


class CompletionRule(TimeStampedModel):
    """What a participant must have done to receive the cycle's certificate."""

    cycle = models.OneToOneField(
        "training.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.CASCADE,
        related_name="completion_rule",
    )
    min_attendance = models.DecimalField(
        _("minimum attendance rate"),
        max_digits=3,
        decimal_places=2,
        default=0.80,
        help_text=_("From 0 to 1, e.g. 0.80 for 80 %."),
    )
    require_post_test = models.BooleanField(_("post-test taken"), default=True)

    class Meta:
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_attendance__gte=0, min_attendance__lte=1),
                name="certificates_rule_attendance_range",
            )
        ]

    def __str__(self):
        return f"{self.cycle}: ≥ {self.min_attendance:.0%}"


class Certificate(TimeStampedModel):
    cycle = models.ForeignKey(
        "training.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    code = models.CharField(
        _("verification code"), max_length=32, unique=True, default=new_code, editable=False
    )
    issued_on = models.DateField(_("issued on"))
    language = models.CharField(_("language"), max_length=2)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "participant__last_name"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "participant"], name="certificates_one_per_cycle"
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoked_reason=""),
                name="certificates_revocation_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.participant} — {self.cycle}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

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


class ExcusedAbsences(models.TextChoices):
    """How the completion rule counts an excused absence in the attendance rate."""

    ABSENT = "absent", _("as sessions not attended")
    ATTENDED = "attended", _("as sessions attended")
    EXCLUDED = "excluded", _("not at all (left out of the count)")


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
    excused_absences = models.CharField(
        _("excused absences count"),
        max_length=16,
        choices=ExcusedAbsences.choices,
        default=ExcusedAbsences.ABSENT,
    )

    class Meta:
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_attendance__gte=0, min_attendance__lte=1),
                name="certificates_rule_attendance_range",
            ),
            models.CheckConstraint(
                condition=models.Q(excused_absences__in=ExcusedAbsences.values),
                name="certificates_rule_excused_known",
            ),
        ]

    def __str__(self):
        return f"{self.cycle}: ≥ {self.min_attendance:.0%}"


class ReviewReason(models.TextChoices):
    """Why an issued certificate is flagged for the coordinator's review (never revoked by the
    platform itself)."""

    ATTENDANCE_CHANGED = "attendance_changed", _("attendance changed after issue")
    RULE_CHANGED = "rule_changed", _("completion rule changed after issue")


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    REVIEW = "review", _("Needs review")
    REVOKED = "revoked", _("Revoked")


class Certificate(TimeStampedModel):
    """A participant's certificate of a cycle. A revoked certificate stays (its code still
    verifies, as revoked); a re-issued one is a new certificate with a new code that
    `replaces` it. At most one valid certificate per participant and cycle."""

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
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    # Set when a change after issue (attendance, the rule) means the certificate would no
    # longer be granted: internal to the coordinators, the public page still says valid.
    review_since = models.DateTimeField(_("needs review since"), null=True, blank=True)
    review_reason = models.CharField(
        _("reason for review"), max_length=32, choices=ReviewReason.choices, blank=True
    )
    review_details = models.JSONField(_("review details"), default=dict, blank=True)

    class Meta:
        ordering = ["cycle", "participant__last_name"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "participant"],
                condition=models.Q(revoked_at__isnull=True),
                name="certificates_one_valid_per_cycle",
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

    @property
    def needs_review(self) -> bool:
        return self.revoked_at is None and self.review_since is not None

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return CertificateState.REVOKED
        if self.review_since is not None:
            return CertificateState.REVIEW
        return CertificateState.VALID


class Signatory(TimeStampedModel):
    """A person who signs a cycle's certificates, in the order they appear."""

    cycle = models.ForeignKey(
        "training.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.CASCADE,
        related_name="certificate_signatories",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name_fr = models.CharField(_("name (Latin script)"), max_length=150)
    name_ar = models.CharField(_("name (Arabic script)"), max_length=150, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["cycle", "order", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return f"{self.name_fr} — {self.title_fr}"

    def name_in(self, language: str) -> str:
        return (self.name_ar if language == "ar" else "") or self.name_fr

    def title_in(self, language: str) -> str:
        if language == "ar":
            return self.title_ar or self.title_fr
        if language == "en":
            return self.title_en or self.title_fr
        return self.title_fr

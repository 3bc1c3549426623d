from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import languages

from .choices import Function, Gender, Region, Role
from .validators import validate_email_length, validate_name


class HimayaUserManager(UserManager):
    """Users sign in with their e-mail address; there is no separate user name."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


# The language of a person's certificates: one of the platform's languages, or both French and
# Arabic on one certificate. Empty means "the same as my preferred language".
CERTIFICATE_BILINGUAL_FR_AR = "fr-ar"
CERTIFICATE_LANGUAGE_CHOICES = [
    *languages.NATIVE_CHOICES,
    (CERTIFICATE_BILINGUAL_FR_AR, _("Bilingual French / Arabic")),
]


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True, validators=[validate_email_length])
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_name]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_name]
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT
    )
    partner = models.ForeignKey(
        "training.Partner",
        verbose_name=_("partner institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        help_text=_("For coordinators: the institution whose programmes they manage."),
    )
    first_name_ar = models.CharField(
        _("first name (Arabic script)"), max_length=150, blank=True, validators=[validate_name]
    )
    last_name_ar = models.CharField(
        _("last name (Arabic script)"), max_length=150, blank=True, validators=[validate_name]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    function = models.CharField(_("function"), max_length=32, choices=Function.choices, blank=True)
    court = models.CharField(_("court"), max_length=200, blank=True, validators=[validate_name])
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=languages.NATIVE_CHOICES,
        default=languages.DEFAULT_LANGUAGE,
    )

    certificate_language = models.CharField(
        _("language of my certificates"),
        max_length=5,
        choices=CERTIFICATE_LANGUAGE_CHOICES,
        blank=True,
        help_text=_(
            "Leave empty to receive your certificates in your preferred language. "
            "“Bilingual” puts French and Arabic side by side on one certificate."
        ),
    )
    # When the last invitation (e-mail or copied link) was given: its set-password link is
    # valid HIMAYA_INVITATION_DAYS from then (see himaya.accounts.invitations).
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True, editable=False)

    objects = HimayaUserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(gender__in=[*Gender.values, ""]),
                name="accounts_user_gender_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    certificate_language__in=[c for c, _label in CERTIFICATE_LANGUAGE_CHOICES]
                    + [""]
                ),
                name="accounts_user_certificate_language_valid",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email

    @property
    def display_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}".strip()

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_trainer(self) -> bool:
        return self.role == Role.TRAINER

    @property
    def is_participant(self) -> bool:
        return self.role == Role.PARTICIPANT


class Reminder(models.Model):
    """That one reminder (`test:<pk>`, `survey:<pk>`) went to one person: never sent twice."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="reminders"
    )
    key = models.CharField(_("key"), max_length=64)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="accounts_reminder_once"),
        ]

    def __str__(self):
        return f"{self.key} → {self.user_id}"

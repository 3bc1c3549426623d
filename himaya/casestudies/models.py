"""Decisions uploaded to become training cases. The original text and everything derived from it
before publication (the proposed spans, the doubts, the corrections, the names of the parties)
are encrypted and readable only by the uploader and the reviewers; nothing is published before a
reviewer's approval (two when configured), and the published text is generated from the approved
spans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from himaya.core.crypto import EncryptedJSONField, EncryptedTextField
from himaya.core.models import TimeStampedModel


class Language(models.TextChoices):
    FR = "fr", _("French")
    AR = "ar", _("Arabic")


class Status(models.TextChoices):
    PROCESSING = "processing", _("being pseudonymised")
    FAILED = "failed", _("the engine failed: nothing is published")
    REVIEW = "review", _("waiting for review")
    APPROVED = "approved", _("approved once, waiting for a second reviewer")
    PUBLISHED = "published", _("published")


class CaseDocument(TimeStampedModel):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROCESSING
    )
    original = EncryptedTextField(_("original text"), null=True, blank=True)
    parties = EncryptedJSONField(_("names of the parties"), default=list, blank=True)
    spans = EncryptedJSONField(_("spans"), default=list, blank=True)
    doubts = EncryptedJSONField(_("doubts"), default=list, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    approved_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("approved by")
    )
    published_text = models.TextField(_("published text"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    original_deleted_at = models.DateTimeField(_("original deleted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | ~models.Q(published_text=""),
                name="casestudies_published_has_text",
            ),
        ]

    def __str__(self):
        return f"case document #{self.pk}"


class Correction(models.Model):
    """One reviewer's change to the spans: before and after (offsets, labels, links — no
    text), who and when."""

    document = models.ForeignKey(CaseDocument, on_delete=models.CASCADE, related_name="corrections")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    before = EncryptedJSONField(default=list)
    after = EncryptedJSONField(default=list)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"correction #{self.pk} of document {self.document_id}"


class CourtLevel(models.TextChoices):
    FIRST_INSTANCE = "first_instance", _("first instance")
    APPEAL = "appeal", _("appeal")
    INVESTIGATION = "investigation", _("investigating judge")


class Case(TimeStampedModel):
    """A training case of the library: a published (pseudonymised, reviewed) decision with its
    metadata and training material. Texts are {fr, ar, en}."""

    key = models.SlugField(_("key"), max_length=100, unique=True)
    document = models.OneToOneField(
        CaseDocument, on_delete=models.CASCADE, related_name="case", null=True, blank=True
    )
    court_level = models.CharField(_("court"), max_length=20, choices=CourtLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    provisions = models.ManyToManyField(
        "benchbook.Provision", blank=True, related_name="cases", verbose_name=_("provisions")
    )
    modules = models.ManyToManyField(
        "training.Module", blank=True, related_name="cases", verbose_name=_("modules")
    )
    forms = models.JSONField(_("forms of violence"), default=list, blank=True)
    stage = models.CharField(_("stage"), max_length=30, blank=True)
    texts = models.JSONField(
        _("texts"), default=dict
    )  # title, outcome, summary, discussion, model_answer
    questions = models.JSONField(_("questions"), default=list, blank=True)

    class Meta:
        ordering = ["-year", "key"]

    def __str__(self):
        return self.key


class SessionCase(TimeStampedModel):
    """A case a trainer put into a session's agenda: participants read it for that session."""

    session = models.ForeignKey("training.Session", on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "case"], name="casestudies_session_case_once"
            ),
        ]

    def __str__(self):
        return f"{self.case_id} @ session {self.session_id}"

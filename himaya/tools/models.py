"""The practical tools: their content (loaded from content/tools/), a judge's private records
(risk assessments and checklists, encrypted, readable by their author alone), the practice
exercises of a training session, and usage counters that name nobody."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from himaya.core.crypto import EncryptedJSONField
from himaya.core.models import TimeStampedModel


class ContentKind(models.TextChoices):
    RISK_AID = "risk_aid", _("risk-assessment aid")
    MEASURES = "measures", _("protection measures")
    CHECKLIST = "checklist", _("checklist")
    VIGNETTE = "vignette", _("vignette")


class ToolContent(TimeStampedModel):
    """One validated content document (the risk aid, the measures, one checklist, one
    vignette), as `himaya load_content` read it from content/tools/. Content is data: the code
    reads it from here and never from the files at run time."""

    kind = models.CharField(_("kind"), max_length=20, choices=ContentKind.choices)
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    data = models.JSONField(_("data"))

    class Meta:
        ordering = ["kind", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="tools_content_unique_key"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.key}"


class Assessment(TimeStampedModel):
    """A judge's risk assessment of a real file: private to its author, encrypted.

    Everything about the case (the author's label, every round's answers, sources, levels,
    reasons and measures) is in `payload`, encrypted. In clear are only the dates that the
    reassessment reminders and the retention schedule need, and the author."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    payload = EncryptedJSONField(_("contents"))
    first_assessed_on = models.DateField(_("first assessed on"))
    last_assessed_on = models.DateField(_("last assessed on"))
    due_on = models.DateField(_("reassessment due on"), null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(_("rounds"), default=1)
    kept = models.BooleanField(
        _("kept beyond the retention period"),
        default=False,
        help_text=_("The author asked to keep it: it is not deleted automatically."),
    )

    class Meta:
        ordering = ["-last_assessed_on", "-pk"]
        indexes = [models.Index(fields=["author", "due_on"])]

    def __str__(self):
        # Never the label: it is part of the encrypted contents.
        return f"assessment #{self.pk}"


class ChecklistRecord(TimeStampedModel):
    """A judge's ticks and notes on a stage checklist for one file: private, encrypted."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    checklist = models.SlugField(_("checklist"), max_length=80)
    payload = EncryptedJSONField(_("contents"))
    last_used_on = models.DateField(_("last used on"))
    kept = models.BooleanField(_("kept beyond the retention period"), default=False)

    class Meta:
        ordering = ["-last_used_on", "-pk"]

    def __str__(self):
        return f"checklist record #{self.pk}"


class SessionToolKind(models.TextChoices):
    VIGNETTE = "vignette", _("practice vignette")
    CHECKLIST = "checklist", _("checklist")


class SessionTool(TimeStampedModel):
    """A vignette or a checklist a trainer put into a session's agenda. A vignette is a
    practice exercise: while it is open, each participant of the cycle assesses it once,
    anonymously."""

    session = models.ForeignKey(
        "training.Session",
        on_delete=models.CASCADE,
        related_name="tools",
        verbose_name=_("session"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionToolKind.choices)
    key = models.SlugField(_("key"), max_length=80)
    is_open = models.BooleanField(_("open for answers"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["session__date", "session__start_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "key"], name="tools_session_tool_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind}:{self.key} @ session {self.session_id}"


def _random_id():
    return uuid.uuid4()


class PracticeAnswer(models.Model):
    """One participant's anonymous assessment of a practice vignette. No link to the person,
    no time, a random key, and rows kept in no order (core.privacy.add_unordered): who
    answered is recorded apart, in PracticeCompletion."""

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    exercise = models.ForeignKey(SessionTool, on_delete=models.CASCADE, related_name="answers")
    data = models.JSONField()

    def __str__(self):
        return "practice answer"


class PracticeCompletion(models.Model):
    """That a participant answered an exercise (not what)."""

    exercise = models.ForeignKey(SessionTool, on_delete=models.CASCADE, related_name="completions")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "participant"], name="tools_practice_answer_once"
            ),
        ]

    def __str__(self):
        return f"completion of exercise {self.exercise_id}"


class UsageTool(models.TextChoices):
    RISK_AID = "risk_aid", _("Risk-assessment aid")
    REASSESSMENT = "reassessment", _("Reassessment")
    MEASURES = "measures", _("Measure selector")
    CHECKLIST = "checklist", _("Checklists")


class LevelChange(models.TextChoices):
    NONE = "", _("not applicable")
    KEPT = "kept", _("kept the suggested level")
    UP = "up", _("raised it")
    DOWN = "down", _("lowered it")


class UsageCount(models.Model):
    """How often a tool was used, per partner and month: a counter, not a row per use, so
    nothing pairs a use with a judge or a file."""

    partner = models.ForeignKey("training.Partner", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    tool = models.CharField(max_length=20, choices=UsageTool.choices)
    level_change = models.CharField(max_length=10, choices=LevelChange.choices, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "month", "tool", "level_change"],
                name="tools_usage_count_once",
            ),
        ]

    def __str__(self):
        return f"{self.tool} {self.month:%Y-%m}: {self.count}"

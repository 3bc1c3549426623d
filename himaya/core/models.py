from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One typed event: who did what (`event`, e.g. `cycle.created`, `login.failed`) to which
    object, with the changed fields and a JSON `extra`.

    Rows are written through `himaya.core.audit` by services (and by the admin mixin and the
    deletion signals) inside the same transaction as the change they describe, so the log never
    claims a change that was rolled back. Events about no object (a failed sign-in with an
    unknown e-mail) have no target."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.CharField(_("event"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("target type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    changes = models.JSONField(
        _("changed fields"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    extra = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event} {self.target_repr}"


# Models that live with their machinery, imported here so Django registers them: background
# jobs' records (core.jobs) and the search index (core.search).
from himaya.core.jobs.models import Job, JobStatus  # noqa: E402, F401
from himaya.core.search.models import SearchDocument  # noqa: E402, F401

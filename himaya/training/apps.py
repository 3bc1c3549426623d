from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "himaya.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self):
        from himaya.core import content as packs
        from himaya.core.audit import audit_deletions

        from . import (
            content,
            demo,
            jobs,  # noqa: F401  (registers the background jobs)
            permissions,  # noqa: F401  (registers the rules)
        )
        from .models import Attendance, Cycle, Enrolment, Session

        audit_deletions(Cycle, Session, Enrolment, Attendance)
        packs.register(content.CURRICULUM)
        packs.register(demo.DEMO)

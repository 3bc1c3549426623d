from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "himaya.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from himaya.core import content as packs
        from himaya.training.signals import cycle_duplicated

        from . import (
            content,
            demo,
            permissions,  # noqa: F401  (registers the rules)
            ui,
        )

        ui.register()
        cycle_duplicated.connect(_copy_schedule, dispatch_uid="assessments.copy_schedule")
        packs.register(content.QUESTIONS)
        packs.register(content.SURVEY_TEMPLATES)
        packs.register(demo.DEMO)


def _copy_schedule(sender, *, source, target, actor, shift_days, **kwargs):
    """A duplicated cycle gets the source's tests' and surveys' windows, moved with its agenda."""
    from .services import copy_assessment_schedule

    copy_assessment_schedule(
        source_cycle=source, target_cycle=target, actor=actor, shift_days=shift_days
    )

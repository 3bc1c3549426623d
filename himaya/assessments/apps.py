from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "himaya.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from himaya.core import content as packs

        from . import (
            content,
            demo,
            permissions,  # noqa: F401  (registers the rules)
            ui,
        )

        ui.register()
        packs.register(content.QUESTIONS)
        packs.register(content.SURVEY_TEMPLATES)
        packs.register(demo.DEMO)

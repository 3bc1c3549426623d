from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "himaya.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import (
            content_jobs,  # noqa: F401 - registers the content-reload job
            permissions,  # noqa: F401 - registers the rules
        )

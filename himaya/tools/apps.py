from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolsConfig(AppConfig):
    name = "himaya.tools"
    label = "tools"
    verbose_name = _("Practical tools")

    def ready(self):
        from himaya.core import content as packs

        from . import (
            content,
            demo,
            permissions,  # noqa: F401  (registers the rules)
            ui,
        )

        ui.register()
        packs.register(content.PACK)
        packs.register(demo.DEMO)

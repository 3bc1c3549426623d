from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "himaya.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from himaya.core import content as packs

        from . import (
            demo,
            jobs,  # noqa: F401 - registers this app's background jobs
            permissions,  # noqa: F401 - registers the rules
            ui,
        )

        ui.register()
        packs.register(demo.DEMO)

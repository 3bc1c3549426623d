from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchbookConfig(AppConfig):
    name = "himaya.benchbook"
    label = "benchbook"
    verbose_name = _("Bench book")

    def ready(self):
        from himaya.core import content as packs

        from . import content

        packs.register(content.PACK)

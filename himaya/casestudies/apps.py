from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseStudiesConfig(AppConfig):
    name = "himaya.casestudies"
    label = "casestudies"
    verbose_name = _("Case library")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)

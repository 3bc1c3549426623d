from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "himaya.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "himaya.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from . import jobs  # noqa: F401 - registers this app's background jobs

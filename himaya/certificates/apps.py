from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "himaya.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from himaya.core import content as packs
        from himaya.training.models import Attendance
        from himaya.training.signals import attendance_changed, cycle_duplicated

        from . import (
            demo,
            jobs,  # noqa: F401 - registers this app's background jobs
            permissions,  # noqa: F401 - registers the rules
            services,
            ui,
        )

        ui.register()
        packs.register(demo.DEMO)
        # An attendance record changed after issue: look at the person's certificate again.
        attendance_changed.connect(
            services.on_attendance_changed,
            sender=Attendance,
            dispatch_uid="certificates-reevaluate-on-attendance",
        )
        # A duplicated cycle keeps the source's completion rule and signatories.
        cycle_duplicated.connect(_copy_settings, dispatch_uid="certificates-copy-settings")


def _copy_settings(sender, *, source, target, actor, shift_days, **kwargs):
    from .services import copy_certificate_settings

    copy_certificate_settings(source_cycle=source, target_cycle=target, actor=actor)

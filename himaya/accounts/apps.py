from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "himaya.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from himaya.core.audit import audit_deletions, audit_sign_in

        from . import invitations  # noqa: F401 - registers the invitations' background job
        from .models import User

        audit_deletions(User)
        audit_sign_in()  # login.succeeded / login.failed events

"""The Django admin is for administrators only. Coordinators and trainers run their work in
Himaya's own screens; a coordinator or trainer account marked staff by mistake still gets no
admin page."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class HimayaAdminSite(admin.AdminSite):
    # Its titles are set in core/admin.py.

    def has_permission(self, request):
        user = request.user
        return bool(
            user.is_active and user.is_staff and getattr(user, "is_admin", user.is_superuser)
        )


class HimayaAdminConfig(AdminConfig):
    default_site = "himaya.core.admin_site.HimayaAdminSite"

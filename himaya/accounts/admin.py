from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from himaya.core.audit import AuditedAdminMixin

from .models import User


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "last_name_ar",
        "role",
        "function",
        "region",
        "is_active",
    ]
    list_filter = ["role", "function", "region", "gender", "is_active", "partner"]
    search_fields = ["email", "first_name", "last_name", "first_name_ar", "last_name_ar", "court"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Identity"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "first_name_ar",
                    "last_name_ar",
                    "gender",
                    "preferred_language",
                    "certificate_language",
                )
            },
        ),
        (_("Work"), {"fields": ("function", "court", "region", "phone")}),
        (
            _("Role"),
            {"fields": ("role", "partner", "is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined", "invited_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "role", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined", "invited_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only administrators hand out staff rights.
            fields += ["is_staff", "is_superuser", "groups", "role", "partner"]
        return fields

    # Partner scoping of people (who a coordinator may see and change) is added where
    # partners live: `himaya.training.admin.PartnerScopedUserAdmin` replaces this registration.

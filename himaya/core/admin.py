from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

# The administration is Himaya's, in the reader's language (Django's default says «إدارة جانغو»).
admin.site.site_header = _("Himaya administration")
admin.site.site_title = _("Himaya administration")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only, for administrators: the log cannot be edited, even by them."""

    list_display = ["created_at", "event", "actor", "target_type", "target_repr"]
    list_filter = ["event", "target_type"]
    search_fields = ["event", "target_repr", "actor__email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "actor",
        "event",
        "target_type",
        "target_id",
        "target_repr",
        "changes",
        "extra",
    ]
    list_select_related = ["actor", "target_type"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from .models import Certificate, CompletionRule, Signatory


@admin.register(CompletionRule)
class CompletionRuleAdmin(admin.ModelAdmin):
    list_display = ["cycle", "min_attendance", "require_post_test", "excused_absences"]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["cycle", "order", "name_fr", "title_fr"]
    list_filter = ["cycle"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["participant", "cycle", "issued_on", "code", "revoked_at", "review_since"]
    list_filter = ["cycle"]
    search_fields = ["participant__email", "participant__last_name", "code"]
    readonly_fields = [
        "cycle",
        "participant",
        "code",
        "issued_on",
        "language",
        "revoked_at",
        "revoked_reason",
        "revoked_by",
        "replaces",
        "review_since",
        "review_reason",
        "review_details",
    ]

    def has_add_permission(self, request):
        return False

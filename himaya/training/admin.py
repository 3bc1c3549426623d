"""The Django admin for every training model, usable by a coordinator: a coordinator sees
and edits only the programmes, cycles and sessions of their own partner institution."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from himaya.core.audit import AuditedAdminMixin

from .models import (
    Attendance,
    Axis,
    Cycle,
    Enrolment,
    Module,
    ParticipantImport,
    Partner,
    Programme,
    Session,
)


class PartnerScopedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Limits the change list to the coordinator's partner through `partner_path`."""

    partner_path = ""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser or not self.partner_path:
            return qs
        return qs.filter(**{self.partner_path: request.user.partner_id}).distinct()


@admin.register(Partner)
class PartnerAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ["name", "short_name", "website"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Programme)
class ProgrammeAdmin(PartnerScopedAdmin, TranslationAdmin):
    list_display = ["title", "slug"]
    filter_horizontal = ["partners"]
    partner_path = "partners"


@admin.register(Axis)
class AxisAdmin(PartnerScopedAdmin, TranslationAdmin):
    list_display = ["title", "programme", "order"]
    list_filter = ["programme"]
    partner_path = "programme__partners"


@admin.register(Module)
class ModuleAdmin(PartnerScopedAdmin, TranslationAdmin):
    list_display = ["title", "axis", "order", "duration_minutes"]
    list_filter = ["axis"]
    search_fields = ["title", "key"]
    partner_path = "axis__programme__partners"


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["title", "date", "start_time", "end_time", "room", "attendance_expected"]
    show_change_link = True


@admin.register(Cycle)
class CycleAdmin(PartnerScopedAdmin, TranslationAdmin):
    list_display = ["title", "number", "start_date", "end_date", "city", "capacity", "status"]
    list_filter = ["status", "programme"]
    search_fields = ["title", "slug", "city"]
    inlines = [SessionInline]
    partner_path = "programme__partners"


@admin.register(Session)
class SessionAdmin(PartnerScopedAdmin, TranslationAdmin):
    list_display = ["title", "cycle", "date", "start_time", "end_time", "room"]
    list_filter = ["cycle", "date"]
    filter_horizontal = ["modules", "trainers"]
    partner_path = "cycle__programme__partners"
    list_select_related = ["cycle"]


@admin.register(Enrolment)
class EnrolmentAdmin(PartnerScopedAdmin):
    list_display = ["participant", "cycle", "status"]
    list_filter = ["status", "cycle"]
    search_fields = ["participant__email", "participant__last_name", "participant__last_name_ar"]
    autocomplete_fields = ["participant"]
    partner_path = "cycle__programme__partners"
    list_select_related = ["participant", "cycle"]


@admin.register(Attendance)
class AttendanceAdmin(PartnerScopedAdmin):
    list_display = ["participant", "session", "status", "recorded_by", "recorded_at"]
    list_filter = ["status", "session__cycle"]
    search_fields = ["participant__email", "participant__last_name"]
    autocomplete_fields = ["participant"]
    partner_path = "session__cycle__programme__partners"
    list_select_related = ["participant", "session", "recorded_by"]


@admin.register(ParticipantImport)
class ParticipantImportAdmin(PartnerScopedAdmin):
    list_display = ["filename", "cycle", "uploaded_by", "created_at", "applied_at"]
    readonly_fields = ["filename", "cycle", "uploaded_by", "applied_at"]
    exclude = ["data"]
    partner_path = "cycle__programme__partners"

    def has_add_permission(self, request):
        return False

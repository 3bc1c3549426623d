"""The Django admin for every training model, usable by a coordinator: a coordinator sees
and edits only the programmes, cycles and sessions of their own partner institution."""

from django.contrib import admin
from django.contrib.auth.forms import AdminPasswordChangeForm
from modeltranslation.admin import TranslationAdmin

from himaya.accounts.admin import UserAdmin
from himaya.accounts.models import User
from himaya.core.audit import PASSWORD_CHANGED, AuditedAdminMixin, current_actor, record

from .admin_scoping import PartnerScopedChoicesMixin, is_admin, may_change_person, visible_people
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


class PartnerScopedAdmin(AuditedAdminMixin, PartnerScopedChoicesMixin, admin.ModelAdmin):
    """Limits the change list and objects to the coordinator's partner through `partner_path`,
    and every related-object choice through `PartnerScopedChoicesMixin`."""

    partner_path = ""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if is_admin(request.user):
            return qs
        if not self.partner_path or request.user.partner_id is None:
            return qs.none()
        return qs.filter(**{self.partner_path: request.user.partner_id}).distinct()


@admin.register(Partner)
class PartnerAdmin(PartnerScopedAdmin, TranslationAdmin):
    list_display = ["name", "short_name", "website"]
    prepopulated_fields = {"slug": ["short_name"]}
    partner_path = "pk"


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


class SessionInline(PartnerScopedChoicesMixin, admin.TabularInline):
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


class AuditedAdminPasswordChangeForm(AdminPasswordChangeForm):
    """A password set in the admin reaches the audit log (never the password itself)."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            record(
                actor=current_actor(),
                event=PASSWORD_CHANGED,
                target=user,
                changes={"password": ["", "set in the administration"]},
            )
        return user


admin.site.unregister(User)


@admin.register(User)
class PartnerScopedUserAdmin(PartnerScopedChoicesMixin, UserAdmin):
    """People, as a coordinator may see them: the participants and trainers of their
    partner's cycles; changes only to participants of their own cycles."""

    change_password_form = AuditedAdminPasswordChangeForm

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(pk__in=visible_people(request.user).values("pk"))
        )

    def has_change_permission(self, request, obj=None):
        # The password form (user_change_password) asks this too: a coordinator can never
        # change an administrator's, a trainer's or another partner's participant's account.
        return super().has_change_permission(request, obj) and may_change_person(request.user, obj)

    def has_add_permission(self, request):
        return is_admin(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return is_admin(request.user) and super().has_delete_permission(request, obj)

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from himaya.core.audit import AuditedAdminMixin

from .models import Attempt, Choice, Question, Survey, SurveyQuestion, Test


class ChoiceInline(TranslationTabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(TranslationAdmin):
    list_display = ["key", "axis", "form", "kind", "difficulty", "active"]
    list_filter = ["axis", "form", "kind", "difficulty", "active"]
    search_fields = ["key", "stem"]
    inlines = [ChoiceInline]
    filter_horizontal = ["provisions"]


@admin.register(Test)
class TestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["cycle", "phase", "opens_at", "closes_at", "time_limit_minutes"]
    list_filter = ["phase", "cycle"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(cycle__programme__partners=request.user.partner_id).distinct()


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["participant", "test", "form", "started_at", "submitted_at"]
    list_filter = ["test__cycle", "form"]
    readonly_fields = [
        "test",
        "participant",
        "form",
        "started_at",
        "deadline",
        "submitted_at",
        "scores",
    ]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("participant", "test__cycle")
        if request.user.is_superuser:
            return qs
        return qs.filter(test__cycle__programme__partners=request.user.partner_id).distinct()


class SurveyQuestionInline(TranslationTabularInline):
    model = SurveyQuestion
    extra = 0


@admin.register(Survey)
class SurveyAdmin(TranslationAdmin):
    """Surveys are edited here; their answers are never shown one by one (anonymity)."""

    list_display = ["title", "cycle", "kind", "opens_at", "closes_at"]
    list_filter = ["kind", "cycle"]
    inlines = [SurveyQuestionInline]

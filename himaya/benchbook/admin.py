from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Concept, CrossReference, Instrument, Provision


@admin.register(Instrument)
class InstrumentAdmin(TranslationAdmin):
    list_display = ["key", "title", "kind", "jurisdiction", "morocco_status", "verification"]
    list_filter = ["kind", "jurisdiction", "verification"]
    search_fields = ["key", "title"]


@admin.register(Provision)
class ProvisionAdmin(TranslationAdmin):
    list_display = ["key", "title", "verification", "number_disputed"]
    list_filter = ["instrument", "verification"]
    search_fields = ["key", "title", "number"]
    filter_horizontal = ["concepts", "modules"]
    list_select_related = ["instrument"]


@admin.register(Concept)
class ConceptAdmin(TranslationAdmin):
    list_display = ["key", "label"]
    search_fields = ["key", "label"]


@admin.register(CrossReference)
class CrossReferenceAdmin(TranslationAdmin):
    list_display = ["national", "international", "relation"]
    list_filter = ["relation"]
    raw_id_fields = ["national", "international"]

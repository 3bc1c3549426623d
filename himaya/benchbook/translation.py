from modeltranslation.translator import TranslationOptions, register

from .models import Concept, CrossReference, Instrument, Provision


@register(Instrument)
class InstrumentTranslation(TranslationOptions):
    fields = (
        "title",
        "short_title",
        "morocco_status_note",
        "official_source",
        "verification_note",
    )


@register(Provision)
class ProvisionTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "practical_note",
        "facts",
        "holding",
        "principle",
        "relevance",
        "verification_note",
        "source",
    )


@register(Concept)
class ConceptTranslation(TranslationOptions):
    fields = ("label", "definition")


@register(CrossReference)
class CrossReferenceTranslation(TranslationOptions):
    fields = ("note",)

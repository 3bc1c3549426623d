from modeltranslation.translator import TranslationOptions, register

from .models import Axis, Cycle, Module, Partner, Programme, Session


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name", "short_name", "description")


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Axis)
class AxisTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("title", "summary", "objectives", "content")


@register(Cycle)
class CycleTranslation(TranslationOptions):
    fields = ("title", "venue", "city")


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title",)

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Choice,
    Question,
    Survey,
    SurveyQuestion,
    SurveyTemplate,
    SurveyTemplateQuestion,
)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("stem", "explanation")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text",)


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("title",)


@register(SurveyQuestion)
class SurveyQuestionTranslation(TranslationOptions):
    fields = ("text",)


@register(SurveyTemplate)
class SurveyTemplateTranslation(TranslationOptions):
    fields = ("title", "description")


@register(SurveyTemplateQuestion)
class SurveyTemplateQuestionTranslation(TranslationOptions):
    fields = ("text",)

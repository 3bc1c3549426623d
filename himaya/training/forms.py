from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from himaya.accounts.choices import Function, Gender, Region, region_label

from .models import EnrolmentStatus


def _blank(choices):
    return [("", _("All")), *choices]


def _regions():
    """The regions by their name in the reader's script (read when the form is drawn)."""
    language = translation.get_language()
    return _blank((code, region_label(code, language)) for code in Region.values)


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    function = forms.ChoiceField(
        label=_("Function"), required=False, choices=_blank(Function.choices)
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=_regions)
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=_blank(Gender.choices))
    court = forms.CharField(label=_("Court"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(EnrolmentStatus.choices)
    )


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label=_("Participant file (CSV or XLSX)"),
        help_text=_(
            "CSV separated by commas or semicolons (UTF-8 or Windows), or an Excel .xlsx file. "
            "Headers in French, Arabic or English."
        ),
    )

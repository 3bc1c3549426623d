import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from himaya.accounts.choices import Function, Gender, Region, region_label
from himaya.accounts.models import User

from . import participant_io
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


# Moroccan numbers: 0 then 5 (fixed), 6 or 7 (mobile) or 8, then 8 digits; stored as E.164.
PHONE_SEPARATORS = re.compile(r"[\s.\-/()\u00a0\u202f]+")
MOROCCAN_NATIONAL = re.compile(r"^[5-8][0-9]{8}$")
PHONE_INVALID = _(
    "“%(value)s” is not a Moroccan phone number (06…, 07…, 05… or +212…). Write a foreign "
    "number with its country code, e.g. +33 6 12 34 56 78."
)


def normalise_phone(typed: str) -> str:
    """A phone as people write it (06 12 34 56 78, +212 6 12 34 56 78, 00212…, a foreign number
    with its country code) as E.164, or ValidationError. Uses the import's reader when it has
    one (`participant_io.normalise_phone`), so the profile and the import agree."""
    reader = getattr(participant_io, "normalise_phone", None)
    if reader is not None:
        phone = reader(typed)
        if phone.error:
            raise ValidationError(phone.error, code="invalid_phone")
        return phone.value
    digits = PHONE_SEPARATORS.sub("", typed.strip())
    plus = digits.startswith("+") or digits.startswith("00")
    digits = digits[1:] if digits.startswith("+") else digits[2:] if plus else digits
    national = None
    if plus and digits.startswith("212"):
        national = digits[3:].removeprefix("0")
    elif not plus and len(digits) == 10 and digits.startswith("0"):
        national = digits[1:]
    if national is not None and national.isdigit() and MOROCCAN_NATIONAL.match(national):
        return "+212" + national
    if plus and national is None and digits.isdigit() and 8 <= len(digits) <= 15:
        return "+" + digits
    raise ValidationError(PHONE_INVALID, code="invalid_phone", params={"value": typed})


class MyProfileForm(forms.ModelForm):
    """What a person changes about themselves: how to reach them, their court, their languages.
    Name, function and region stay with the coordinators (they appear on the certificates)."""

    class Meta:
        model = User
        fields = [
            name
            for name in ("phone", "court", "preferred_language", "certificate_language")
            if any(f.name == name for f in User._meta.get_fields())
        ]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = _("For example 06 12 34 56 78 or +212 6 12 34 56 78.")
        self.fields["court"].widget.attrs["autocomplete"] = "organization"
        if "certificate_language" in self.fields:
            self.fields["certificate_language"].help_text = _(
                "The language of your certificates; by default, your preferred language."
            )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""

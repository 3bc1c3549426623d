from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExcusedAbsences

PERCENT_INVALID = "percent_invalid"


class CompletionRuleForm(forms.Form):
    """The completion rule as a coordinator thinks of it: a percentage, not a fraction."""

    min_attendance = forms.CharField(
        label=_("Minimum attendance rate (%)"),
        max_length=8,
        help_text=_("A whole number from 0 to 100, e.g. 80."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    excused_absences = forms.ChoiceField(
        label=_("Excused absences count"),
        choices=ExcusedAbsences.choices,
        widget=forms.RadioSelect,
    )
    require_post_test = forms.BooleanField(label=_("The post-test must be taken"), required=False)

    def clean_min_attendance(self):
        typed = self.cleaned_data["min_attendance"].strip().rstrip("%").strip().replace(",", ".")
        try:
            value = Decimal(typed)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value != value.to_integral_value():
            raise forms.ValidationError(
                _("Enter a whole percentage from 0 to 100."), code=PERCENT_INVALID
            )
        if not 0 <= value <= 100:
            raise forms.ValidationError(
                _("Enter a whole percentage from 0 to 100."), code=PERCENT_INVALID
            )
        return (value / 100).quantize(Decimal("0.01"))

    @classmethod
    def for_rule(cls, rule, data=None):
        initial = {
            "min_attendance": f"{Decimal(str(rule.min_attendance)) * 100:.0f}",
            "excused_absences": rule.excused_absences,
            "require_post_test": rule.require_post_test,
        }
        return cls(data=data, initial=initial)


class SignatoryForm(forms.Form):
    """One signatory of the cycle's certificates (saved by `services.set_signatories`)."""

    name_fr = forms.CharField(label=_("Name (Latin script)"), max_length=150)
    name_ar = forms.CharField(
        label=_("Name (Arabic script)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    title_ar = forms.CharField(
        label=_("Title (Arabic)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)


SignatoryFormSet = forms.formset_factory(
    SignatoryForm, extra=1, can_delete=True, max_num=6, validate_max=True
)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)

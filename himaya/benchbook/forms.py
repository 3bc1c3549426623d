from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Form, Instrument, Kind, Stage


def _instrument_choices():
    return [
        ("", _("All instruments")),
        *((i.key, str(i)) for i in Instrument.objects.order_by("order")),
    ]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the bench book"),
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("e.g. no-contact order, 503-1-1, التحرش الجنسي"),
            }
        ),
    )
    instrument = forms.ChoiceField(
        label=_("Instrument"), required=False, choices=_instrument_choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    form = forms.ChoiceField(
        label=_("Form of violence"), required=False, choices=[("", _("All forms")), *Form.choices]
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )

    def clean_q(self):
        return (self.cleaned_data.get("q") or "").strip()

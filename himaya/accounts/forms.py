from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    shared_computer = forms.BooleanField(
        label=_("This is a shared computer: sign me out when the browser closes"),
        required=False,
    )

    def clean_username(self):
        # Addresses are stored in lower case: "Judge@Court.ma" is the same person.
        return self.cleaned_data["username"].strip().lower()

    error_messages = {
        "invalid_login": _("The e-mail address or the password is wrong."),
        "inactive": _("This account is inactive."),
    }

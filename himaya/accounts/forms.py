import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .mail import language_of
from .models import User


def _same_address(a: str, b: str) -> bool:
    """Case-insensitive, as Django compares reset addresses (ß, dotless i and the like)."""
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


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


class WelcomeForm(SetPasswordForm):
    """The first password of an invited person. What they typed stays in the fields when the
    form is refused (a phone keyboard makes retyping two long passwords painful)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Your password")
        self.fields["new_password2"].label = _("Your password, once more")
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.render_value = True


class HimayaPasswordResetForm(PasswordResetForm):
    """Django's reset form, for every active account, including those that never had a
    password (imported people whose invitation expired); Django's own skips them. The page
    answers the same whatever the address, and the e-mail goes out in the person's language."""

    def get_users(self, email):
        email = email.strip()
        users = User._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if _same_address(email, getattr(user, User.EMAIL_FIELD)))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(language_of(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)

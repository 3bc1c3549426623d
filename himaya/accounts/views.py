from axes.utils import reset as axes_reset
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from himaya.core import audit

from .forms import EmailAuthenticationForm, HimayaPasswordResetForm, WelcomeForm
from .tokens import invitation_token


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("shared_computer"):
            # On a court's shared PC the session must not outlive the browser window.
            self.request.session.set_expiry(0)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = HimayaPasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    html_email_template_name = "accounts/password_reset_email.html"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proves they own the mailbox is no longer locked out of their account.
        axes_reset(username=form.user.email.lower())
        audit.record(
            event=audit.PASSWORD_CHANGED,
            actor=None,
            target=form.user,
            extra={"how": "reset link"},
        )
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            event=audit.PASSWORD_CHANGED,
            actor=self.request.user,
            target=self.request.user,
            extra={"how": "own account"},
        )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@method_decorator(login_not_required, name="dispatch")
class WelcomeView(auth_views.PasswordResetConfirmView):
    """An invitation's link: the invited person chooses their first password and is signed in.

    Django's reset-confirm flow (the token leaves the address bar for the session at once, so
    no Referer carries it), with the invitation's token. A link that expired, was used, or is
    garbled renders the same page with an explanation and a way to get a new link."""

    template_name = "accounts/welcome.html"
    form_class = WelcomeForm
    token_generator = invitation_token
    post_reset_login = True
    # Several backends are configured (django-axes first): name the one that signs in.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("core:home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = getattr(self, "user", None)
        context["account"] = user if context.get("validlink") else None
        # A used link: the person has a password now and only needs to sign in.
        context["already_active"] = (
            not context.get("validlink") and user is not None and user.has_usable_password()
        )
        if not context.get("validlink"):
            context["reset_form"] = HimayaPasswordResetForm()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.email.lower())
        audit.record(event=audit.INVITATION_ACCEPTED, actor=form.user, target=form.user)
        return response

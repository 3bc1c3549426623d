"""Thin forms of the coordinators' screens: they read and type the input; the rules of the
windows are in services (`validate_test_window`, `validate_survey_window`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the browser's picker, in the site's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATETIME_FORMAT, "%Y-%m-%d %H:%M"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a date and time, e.g. 2025-03-14 09:30.")}
        )
        super().__init__(**kwargs)


class TestScheduleForm(forms.Form):
    opens_at = LocalDateTimeField(label=_("Opens at"))
    closes_at = LocalDateTimeField(label=_("Closes at"))
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"),
        required=False,
        min_value=1,
        max_value=600,
        help_text=_("Leave empty for no time limit: the test can then be taken until it closes."),
    )


class SurveyCreateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=None, empty_label=None)
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=None,
        required=False,
        help_text=_("For a session survey only."),
    )
    opens_at = LocalDateTimeField(
        label=_("Opens at"),
        required=False,
        help_text=_(
            "Leave empty: when the session ends (session survey), when the last session ends "
            "(cycle survey), 90 days after it (follow-up)."
        ),
    )
    closes_at = LocalDateTimeField(
        label=_("Closes at"),
        required=False,
        help_text=_("Leave empty: a week after (session), two weeks (cycle), a month (follow-up)."),
    )

    def __init__(self, *args, templates, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["session"].queryset = sessions


class SurveyWindowForm(forms.Form):
    opens_at = LocalDateTimeField(label=_("Opens at"))
    closes_at = LocalDateTimeField(label=_("Closes at"))

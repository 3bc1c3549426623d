"""Forms of the coordinator's workspace: thin, the rules are in `cycles` and the models."""

from django import forms
from django.utils.translation import gettext_lazy as _

from himaya.accounts.choices import Function, Gender
from himaya.accounts.models import User
from himaya.core.languages import LANGUAGE_CODES, in_language_label, text_attrs

from .models import Cycle, CycleStatus, Module, Session

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _language_fields(form, name, label, *, required_first: bool, max_length: int):
    for code in LANGUAGE_CODES:
        form.fields[f"{name}_{code}"] = forms.CharField(
            label=in_language_label(label, code),
            required=required_first and code == LANGUAGE_CODES[0],
            max_length=max_length,
            widget=forms.TextInput(attrs=text_attrs(code)),
        )


class CycleForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)
    slug = forms.SlugField(
        label=_("Key (in the address)"),
        required=False,
        max_length=80,
        help_text=_("Proposed from the title when left empty; letters, digits and hyphens."),
    )

    def __init__(self, *args, programmes, cycle: Cycle | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        if cycle is None:
            self.fields["programme"].queryset = programmes
            if programmes.count() == 1:
                self.fields["programme"].initial = programmes.first()
        _language_fields(self, "title", _("Title"), required_first=True, max_length=250)
        _language_fields(self, "city", _("City"), required_first=True, max_length=100)
        _language_fields(self, "venue", _("Venue"), required_first=False, max_length=200)
        self.order_fields(
            ["programme"]
            + [f"{n}_{c}" for n in ("title", "city", "venue") for c in LANGUAGE_CODES]
            + ["start_date", "end_date", "capacity", "slug"]
        )
        if cycle is not None:
            del self.fields["programme"]
            if cycle.status != CycleStatus.DRAFT:
                # Addresses given to people (calendar links, e-mails) stay as they are.
                del self.fields["slug"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The cycle must end on or after its start date."))
        slug = data.get("slug")
        if slug:
            taken = Cycle.objects.filter(slug=slug)
            if self.cycle is not None:
                taken = taken.exclude(pk=self.cycle.pk)
            if taken.exists():
                self.add_error("slug", _("Another cycle already has this key."))
        return data


class DuplicateCycleForm(forms.Form):
    start_date = forms.DateField(
        label=_("Start date of the new cycle"),
        widget=DATE,
        help_text=_("The agenda moves with it, day for day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _language_fields(self, "title", _("Title"), required_first=True, max_length=250)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CycleStatus.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} — {obj.email}"


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)
    room = forms.CharField(label=_("Room"), required=False, max_length=120)
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trainers = TrainerChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendance_expected = forms.BooleanField(
        label=_("Attendance taken"),
        required=False,
        initial=True,
        help_text=_("Untick for breaks and social moments where no attendance is taken."),
    )

    def __init__(self, *args, cycle: Cycle, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        _language_fields(self, "title", _("Title"), required_first=True, max_length=250)
        self.order_fields(
            [f"title_{c}" for c in LANGUAGE_CODES]
            + ["date", "start_time", "end_time", "room", "modules", "trainers"]
        )
        self.fields["modules"].queryset = Module.objects.filter(
            axis__programme_id=cycle.programme_id
        ).select_related("axis")
        self.fields["trainers"].queryset = trainers
        self.fields["date"].widget.attrs.update(
            min=cycle.start_date.isoformat(), max=cycle.end_date.isoformat()
        )

    def clean(self):
        data = super().clean()
        day = data.get("date")
        if day and not (self.cycle.start_date <= day <= self.cycle.end_date):
            self.add_error(
                "date",
                _("The session must take place within the cycle's dates (%(start)s – %(end)s).")
                % {
                    "start": self.cycle.start_date.isoformat(),
                    "end": self.cycle.end_date.isoformat(),
                },
            )
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
        return data


def session_initial(session: Session) -> dict:
    return {
        **{f"title_{c}": getattr(session, f"title_{c}") for c in LANGUAGE_CODES},
        "date": session.date,
        "start_time": session.start_time,
        "end_time": session.end_time,
        "room": session.room,
        "modules": list(session.modules.all()),
        "trainers": list(session.trainers.all()),
        "attendance_expected": session.attendance_expected,
    }


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    first_name_ar = forms.CharField(
        label=_("First name (Arabic script)"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"lang": "ar", "dir": "rtl"}),
    )
    last_name_ar = forms.CharField(
        label=_("Last name (Arabic script)"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"lang": "ar", "dir": "rtl"}),
    )

    def person_data(self) -> dict:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("email", "send_invitation") and v not in (None, "")
        }


class AddPersonForm(PersonForm):
    function = forms.ChoiceField(
        label=_("Function"), required=False, choices=[("", "—"), *Function.choices]
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—"), *Gender.choices]
    )
    send_invitation = forms.BooleanField(
        label=_("Send the invitation e-mail now"), required=False, initial=True
    )


class InviteTrainerForm(PersonForm):
    pass


BULK_ACTIONS = [
    ("confirm", _("Confirm")),
    ("withdraw", _("Withdraw")),
    ("invite", _("Send the invitation again")),
]


class BulkEnrolmentForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=BULK_ACTIONS)
    reason = forms.CharField(
        label=_("Reason (required to withdraw)"), required=False, max_length=300
    )
    enrolments = forms.ModelMultipleChoiceField(queryset=None)

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = cycle.enrolments.select_related("participant")
        self.fields["enrolments"].error_messages["required"] = _("Select at least one person.")

    def clean(self):
        data = super().clean()
        if data.get("action") == "withdraw" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the withdrawal."))
        return data

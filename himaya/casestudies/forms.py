"""The library entry of an uploaded decision: what reviewers write so that a pseudonymised
decision becomes a training case (metadata, texts in three languages, questions in the question
bank's format). Thin: the rules are in `services.save_entry`."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.benchbook.models import Form as ViolenceForm
from himaya.benchbook.models import Provision, Stage
from himaya.core.languages import LANGUAGE_CODES, in_language_label, text_attrs
from himaya.training.models import Module

from .models import CourtLevel

CHOICES = ("a", "b", "c", "d")
# Texts: (name, label, required in every language, widget rows — 0 for one line).
TEXTS = (
    ("title", _("Title"), True, 0),
    ("outcome", _("Outcome"), True, 3),
    ("summary", _("Summary"), True, 6),
    ("discussion", _("For trainers: points for discussion"), False, 8),
    ("model_answer", _("Model answer"), False, 5),
)


def _widget(code: str, rows: int):
    if rows:
        return forms.Textarea(attrs={**text_attrs(code), "rows": rows})
    return forms.TextInput(attrs=text_attrs(code))


def _provision_choices():
    groups: dict[str, list] = {}
    for p in Provision.objects.for_readers().select_related("instrument"):
        if not p.number:
            continue
        groups.setdefault(str(p.instrument.short_title), []).append(
            (p.key, f"{p.shown_number} — {p.title}")
        )
    return list(groups.items())


class EntryForm(forms.Form):
    court_level = forms.ChoiceField(label=_("Court"), choices=CourtLevel.choices)
    year = forms.IntegerField(label=_("Year of the decision"), min_value=1960)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", "—"), *Stage.choices], required=False)
    forms_of_violence = forms.MultipleChoiceField(
        label=_("Forms of violence"),
        choices=ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    provisions = forms.MultipleChoiceField(
        label=_("Provisions applied (bench book)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules it illustrates"),
        queryset=Module.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].max_value = this_year
        self.fields["year"].validators.append(MaxValueValidator(this_year))
        self.fields["year"].widget.attrs["max"] = this_year
        self.fields["provisions"].choices = _provision_choices()
        self.fields["modules"].queryset = Module.objects.all()
        for name, label, required, rows in TEXTS:
            for code in LANGUAGE_CODES:
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=in_language_label(label, code),
                    required=required,
                    max_length=300 if not rows else 8000,
                    widget=_widget(code, rows),
                )

    def texts(self) -> dict:
        data = self.cleaned_data
        out = {}
        for name, _label, _required, _rows in TEXTS:
            value = {c: data.get(f"{name}_{c}", "").strip() for c in LANGUAGE_CODES}
            if any(value.values()):
                out[name] = value
        return out

    METADATA = ("court_level", "year", "stage", "forms_of_violence", "provisions", "modules")

    def metadata(self):
        return [self[name] for name in self.METADATA]

    def language_groups(self):
        """The text fields grouped by text, for the template."""
        return [
            (label, [self[f"{name}_{code}"] for code in LANGUAGE_CODES])
            for name, label, _required, _rows in TEXTS
        ]


class QuestionForm(forms.Form):
    """One single-choice question: a stem, four choices, the right one, an explanation — each
    in three languages (the question bank's format)."""

    correct = forms.ChoiceField(
        label=_("Right answer"),
        choices=[(k, k) for k in CHOICES],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parts = [("stem", _("Question"), 3)]
        parts += [(f"choice_{k}", _("Choice %(k)s") % {"k": k}, 0) for k in CHOICES]
        parts += [("explanation", _("Explanation"), 3)]
        self.parts = parts
        for name, label, rows in parts:
            for code in LANGUAGE_CODES:
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=in_language_label(label, code),
                    required=False,
                    max_length=2000,
                    widget=_widget(code, rows),
                )

    def is_blank(self) -> bool:
        return not any(
            (self.cleaned_data.get(f"{n}_{c}") or "").strip()
            for n, _l, _r in self.parts
            for c in LANGUAGE_CODES
        )

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        for name, _label, _rows in self.parts:
            for code in LANGUAGE_CODES:
                if not (data.get(f"{name}_{code}") or "").strip():
                    self.add_error(f"{name}_{code}", _("Write it in every language."))
        if not data.get("correct"):
            self.add_error("correct", _("Say which choice is right."))
        return data

    def question(self, number: int) -> dict:
        data = self.cleaned_data

        def tr(name):
            return {c: data[f"{name}_{c}"].strip() for c in LANGUAGE_CODES}

        return {
            "key": f"q{number}",
            "kind": "single",
            "stem": tr("stem"),
            "choices": [
                {"key": k, "text": tr(f"choice_{k}"), "correct": data["correct"] == k}
                for k in CHOICES
            ],
            "explanation": tr("explanation"),
        }

    def rows(self):
        return [
            (label, [self[f"{name}_{c}"] for c in LANGUAGE_CODES]) for name, label, _ in self.parts
        ]


QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, max_num=10, validate_max=True)


def initial_of(case) -> tuple[dict, list[dict]]:
    """The forms' initial values from an existing entry."""
    if case is None:
        return {}, []
    initial = {
        "court_level": case.court_level,
        "year": case.year,
        "stage": case.stage,
        "forms_of_violence": case.forms,
        "provisions": [p.key for p in case.provisions.all()],
        "modules": list(case.modules.all()),
    }
    for name, value in (case.texts or {}).items():
        for code in LANGUAGE_CODES:
            initial[f"{name}_{code}"] = (value or {}).get(code, "")
    questions = []
    for q in case.questions or []:
        item = {}
        for code in LANGUAGE_CODES:
            item[f"stem_{code}"] = q["stem"].get(code, "")
            item[f"explanation_{code}"] = (q.get("explanation") or {}).get(code, "")
            for c in q["choices"][: len(CHOICES)]:
                item[f"choice_{c['key']}_{code}"] = c["text"].get(code, "")
        item["correct"] = next((c["key"] for c in q["choices"] if c["correct"]), "")
        questions.append(item)
    return initial, questions

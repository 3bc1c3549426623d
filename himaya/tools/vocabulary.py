"""The fixed words of the tools: stages, relationships, answers, levels. Content files and the
API use these keys; their labels are translated UI strings."""

from django.utils.translation import gettext_lazy as _

STAGES = ("investigation", "trial", "sentencing")
STAGE_LABELS = {
    "investigation": _("Investigation and prosecution"),
    "trial": _("Trial"),
    "sentencing": _("Sentencing"),
}
RELATIONSHIPS = ("spouse", "former_spouse", "fiance", "family", "other", "none")
RELATIONSHIP_LABELS = {
    "spouse": _("Spouse"),
    "former_spouse": _("Former spouse"),
    "fiance": _("Fiancé"),
    "family": _("Other family member"),
    "other": _("Other relationship (colleague, neighbour…)"),
    "none": _("No relationship (stranger)"),
}
ANSWERS = ("yes", "no", "unknown")
ANSWER_LABELS = {"yes": _("Yes"), "no": _("No"), "unknown": _("Unknown")}
LEVELS = ("moderate", "elevated", "high", "severe")
GROUPS = ("red_flags", "history", "perpetrator", "vulnerability", "children")
SOURCES = (
    "victim_account",
    "police_record",
    "prior_orders",
    "medical_evidence",
    "children_situation",
    "other_agencies",
    "perpetrator_hearing",
    "witnesses",
)
CATEGORIES = ("protection", "treatment", "hearing", "support")
VICTIM_REQUEST = ("optional", "required", "consent")
ROUND_REASONS = ("initial", "one_month", "three_months", "new_incident", "breach", "other")
ROUND_REASON_LABELS = {
    "initial": _("First assessment"),
    "one_month": _("Scheduled reassessment (1 month)"),
    "three_months": _("Scheduled reassessment (3 months)"),
    "new_incident": _("New incident"),
    "breach": _("Breach of a measure"),
    "other": _("Other change in the situation"),
}

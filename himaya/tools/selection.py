"""The protection-measure selector: the measures Moroccan law allows at a stage of the case,
for an offence, a relationship, children and the victim's request. Nothing is chosen for the
judge; comparative measures of other countries come apart, never in the list."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import catalogue
from .vocabulary import RELATIONSHIPS, STAGES

# Measures whose scope follows the offences listed in Penal Code art. 88-1.
SCOPE_88_1_PROVISIONS = ("ma-penal-code:88-1", "ma-penal-code:88-3")

ERROR_STAGE = "unknown_stage"
ERROR_OFFENCE = "unknown_offence"
ERROR_RELATIONSHIP = "unknown_relationship"
ERROR_NO_CONTENT = "no_content"


class SelectionError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Case:
    stage: str
    offence: str
    relationship: str
    children: bool = False
    victim_request: bool = False


def check(case: Case, content: dict | None) -> None:
    """Raise SelectionError (with a translated message) for a case the selector cannot read."""
    if content is None:
        raise SelectionError(ERROR_NO_CONTENT, _("The measures are not loaded yet."))
    if case.stage not in STAGES:
        raise SelectionError(
            ERROR_STAGE,
            _("Unknown stage “%(value)s”: use one of %(allowed)s.")
            % {"value": case.stage, "allowed": ", ".join(STAGES)},
        )
    if case.offence not in {o["key"] for o in content["offences"]}:
        raise SelectionError(
            ERROR_OFFENCE,
            _(
                "Unknown offence “%(value)s”: use the key of a bench-book provision the selector lists."
            )
            % {"value": case.offence},
        )
    if case.relationship not in RELATIONSHIPS:
        raise SelectionError(
            ERROR_RELATIONSHIP,
            _("Unknown relationship “%(value)s”: use one of %(allowed)s.")
            % {"value": case.relationship, "allowed": ", ".join(RELATIONSHIPS)},
        )


def _applies(measure: dict, case: Case) -> bool:
    if case.stage not in measure["stages"]:
        return False
    if measure["relationships"] != "any" and case.relationship not in measure["relationships"]:
        return False
    return not (measure["requires_children"] and not case.children)


def provision_labels(keys) -> dict[str, str]:
    """{provision key: "Penal Code, 88-3"} in the current language, one query."""
    from django.utils.translation import get_language

    from himaya.benchbook.models import Provision

    comma = "،" if get_language() == "ar" else ","  # the Arabic comma in Arabic
    labels = {}
    for p in Provision.objects.filter(key__in=set(keys)).select_related("instrument"):
        short = p.instrument.short_title or p.instrument.title
        labels[p.key] = f"{short}{comma} {p.shown_number}" if p.number else short
    return labels


def with_links(checklist: dict) -> dict:
    """The checklist with, on each item, its provisions as [(key, "Code pénal, 1-88", has a
    page)] (one without content yet is named, not linked) and its modules as [(key, title)]:
    three queries for the whole checklist."""
    from himaya.benchbook.selectors import reader_keys
    from himaya.training.models import Module

    items = checklist["items"]
    keys = [k for item in items for k in item.get("provisions", [])]
    labels, pages = provision_labels(keys), reader_keys(keys)
    wanted = {k for item in items for k in item.get("modules", [])}
    titles = dict(Module.objects.filter(key__in=wanted).values_list("key", "title"))
    return {
        **checklist,
        "items": [
            {
                **item,
                "provision_links": [
                    (k, labels.get(k, k), k in pages) for k in item.get("provisions", [])
                ],
                "module_links": [(k, titles[k]) for k in item.get("modules", []) if k in titles],
            }
            for item in items
        ],
    }


def select(case: Case, *, language: str | None = None) -> dict:
    """{"measures": [...], "comparative": [...]} for the case, texts in `language`."""
    content = catalogue.measures()
    check(case, content)
    t = lambda value: catalogue.text(value, language)  # noqa: E731
    warnings = catalogue.by_key(content["warnings"])
    authorities = catalogue.by_key(content["authorities"])
    offence = catalogue.by_key(content["offences"])[case.offence]
    out = []
    for m in content["measures"]:
        if not _applies(m, case):
            continue
        keys = list(m["warnings"]) + list(m["relationship_warnings"].get(case.relationship, []))
        if m["victim_request"] == "required" and not case.victim_request:
            keys.append("needs_victim_request")
        if m["victim_request"] == "consent":
            keys.append("needs_victim_consent")
        if m["provision"] in SCOPE_88_1_PROVISIONS and offence["scope_88_1"] != "yes":
            keys.append("offence_scope_to_verify")
        shown = []
        for key in dict.fromkeys(keys):  # once each, in order
            if key in warnings:
                shown.append({"key": key, "text": t(warnings[key]["text"])})
        if m["verification"] == "to_verify":
            shown.append({"key": "to_verify", "text": t(m["verification_note"])})
        out.append(
            {
                "key": m["key"],
                "category": m["category"],
                "title": t(m["title"]),
                "provision": m["provision"],
                "related": m["related"],
                "authorities": [
                    {"key": a, "title": t(authorities[a]["title"])} for a in m["authorities"]
                ],
                "duration": t(m["duration"]),
                "conditions": t(m["conditions"]),
                "breach_provision": m["breach_provision"],
                "breach_penalty": t(m["breach_penalty"]),
                "verification": m["verification"],
                "warnings": shown,
            }
        )
    comparative = [
        {
            "key": c["key"],
            "title": t(c["title"]),
            "jurisdiction": t(c["jurisdiction"]),
            "summary": t(c["summary"]),
            "source": t(c["source"]),
        }
        for c in content["comparative"]
    ]
    keys = [k for m in out for k in (m["provision"], m["breach_provision"], *m["related"]) if k]
    from himaya.benchbook.selectors import reader_keys

    labels = provision_labels(keys)
    pages = reader_keys(keys)  # a provision without content yet is named, not linked
    for m in out:
        m["provision_label"] = labels.get(m["provision"], m["provision"])
        m["provision_page"] = m["provision"] in pages
        m["breach_label"] = labels.get(m["breach_provision"], m["breach_provision"] or "")
        m["breach_page"] = m["breach_provision"] in pages
        m["related_labels"] = [(k, labels.get(k, k), k in pages) for k in m["related"]]
    return {"measures": out, "comparative": comparative}


def offences(language: str | None = None) -> list[tuple[str, str]]:
    content = catalogue.measures() or {"offences": []}
    return [(o["key"], catalogue.text(o["title"], language)) for o in content["offences"]]

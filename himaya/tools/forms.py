"""Reading the risk aid's form. The aid is one form over several screens (a screen per group of
factors, shown one at a time by aid.js; all at once without JavaScript), then a summary where the
judge sets the level and chooses measures. Nothing is stored between the two: the answers travel
in the form itself, so a half-done assessment leaves no trace on the server."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import catalogue, risk, selection
from .vocabulary import ANSWERS, LEVELS, RELATIONSHIPS, ROUND_REASONS, SOURCES, STAGES


@dataclass
class AidState:
    label: str = ""
    stage: str = ""
    offence: str = ""
    relationship: str = ""
    children: bool = False
    victim_request: bool = False
    answers: dict = field(default_factory=dict)
    sources: list = field(default_factory=list)
    level: str = ""
    level_reason: str = ""
    measures: list = field(default_factory=list)
    proportionality: str = ""
    round_reason: str = "initial"

    @classmethod
    def from_post(cls, post, aid: dict, *, round_reason_default="initial") -> AidState:
        keys = [f["key"] for f in catalogue.factors(aid)]
        return cls(
            label=post.get("label", "")[:200],
            stage=post.get("stage", ""),
            offence=post.get("offence", ""),
            relationship=post.get("relationship", ""),
            children=post.get("children") == "1",
            victim_request=post.get("victim_request") == "1",
            answers={
                k: post.get(f"f_{k}") if post.get(f"f_{k}") in ANSWERS else "unknown" for k in keys
            },
            sources=[s for s in post.getlist("src") if s in SOURCES],
            level=post.get("level", ""),
            level_reason=post.get("level_reason", ""),
            measures=post.getlist("measure"),
            proportionality=post.get("proportionality", ""),
            round_reason=post.get("round_reason", round_reason_default),
        )

    @classmethod
    def from_round(cls, round_: dict, *, label="") -> AidState:
        case = round_.get("case") or {}
        return cls(
            label=label,
            stage=case.get("stage", ""),
            offence=case.get("offence", ""),
            relationship=case.get("relationship", ""),
            children=bool(case.get("children")),
            victim_request=bool(case.get("victim_request")),
            answers=dict(round_.get("answers", {})),
            sources=list(round_.get("sources", [])),
        )

    def case(self) -> selection.Case:
        return selection.Case(
            stage=self.stage,
            offence=self.offence,
            relationship=self.relationship,
            children=self.children,
            victim_request=self.victim_request,
        )

    def case_errors(self) -> dict:
        """Step one's errors ({field: [message]}), before the summary."""
        from .services import ERROR_LABEL, ERROR_LABEL_LONG, LABEL_MAX

        errors = {}
        if not self.label.strip():
            errors["label"] = [ERROR_LABEL]
        elif len(self.label.strip()) > LABEL_MAX:
            errors["label"] = [ERROR_LABEL_LONG]
        try:
            selection.check(self.case(), catalogue.measures())
        except selection.SelectionError as exc:
            field_name = {
                selection.ERROR_STAGE: "stage",
                selection.ERROR_OFFENCE: "offence",
                selection.ERROR_RELATIONSHIP: "relationship",
            }.get(exc.code, "stage")
            errors[field_name] = [exc.message]
        if self.round_reason not in ROUND_REASONS:
            errors["round_reason"] = [""]
        return errors


def groups_with_answers(aid: dict, answers: dict) -> list[dict]:
    return [
        {
            **g,
            "rows": [
                {"factor": f, "answer": answers.get(f["key"], "unknown")} for f in g["factors"]
            ],
        }
        for g in aid["groups"]
    ]


def summary(aid: dict, state: AidState) -> dict:
    """What the summary screen shows: present red flags one by one, the other factors present,
    the unknowns apart, the suggestion with the rule that produced it, and the warnings."""
    suggestion = risk.suggest(state.answers, aid["groups"])
    factors = catalogue.by_key(catalogue.factors(aid))
    warnings = []
    only_victim = state.sources in ([], ["victim_account"])
    if only_victim:
        warnings.append(aid["warnings"]["victim_account_only"])
    if suggestion.provisional:
        warnings.append(aid["warnings"]["many_unknowns"])
    return {
        "suggestion": suggestion,
        "suggested_level": catalogue.by_key(aid["levels"])[suggestion.level],
        "red_flags": [factors[k] for k in suggestion.red_flags],
        "other_present": [factors[k] for k in suggestion.other_present],
        "unknown_red_flags": [factors[k] for k in suggestion.unknown_red_flags],
        "unknown_other": [factors[k] for k in suggestion.unknown_other],
        "warnings": warnings,
        "no_sources": not state.sources,
        "rule": risk.rule_lines(),
        "levels": aid["levels"],
    }


CHOICES = {"stages": STAGES, "relationships": RELATIONSHIPS, "levels": LEVELS}

"""Loading every content pack in one go: validate all files first, then write all in one
transaction. Each app contributes its own validate/apply functions; this module only orders
them (the bench book needs the curriculum's modules, the questions need both)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from himaya.accounts.models import User
from himaya.assessments import content as assessments_content
from himaya.assessments import demo as assessments_demo
from himaya.benchbook import content as benchbook_content
from himaya.certificates import demo as certificates_demo
from himaya.core.content import ContentErrors, ContentInvalid
from himaya.training import content as training_content
from himaya.training.models import Cycle


@dataclass
class LoadResult:
    counts: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    accounts: list[dict] = field(default_factory=list)


def load(root: Path, *, demo: bool = False) -> LoadResult:
    """Validate every file under `root`; raise ContentInvalid with 'file:line: message' lines
    and write nothing if any is wrong; otherwise upsert everything (idempotent)."""
    errors = ContentErrors(root=root)
    curriculum = training_content.validate_curriculum(root, errors)
    benchbook = benchbook_content.validate(root, errors)
    questions = assessments_content.validate(
        root,
        errors,
        axis_keys={a["key"] for a in ((curriculum or {}).get("programme") or {}).get("axes", [])},
        module_keys={m["key"] for m in (curriculum or {}).get("modules", [])},
        provision_keys=benchbook_content.provision_keys(benchbook),
    )
    demo_plan = training_content.validate_demo(root, errors, curriculum) if demo else None
    evaluation_plan = assessments_demo.validate_demo(root, errors) if demo else None
    if errors:
        raise ContentInvalid(errors.messages)
    result = LoadResult()
    with transaction.atomic():
        training_content.apply_curriculum(curriculum, result.counts)
        benchbook_content.apply(benchbook, result.counts)
        assessments_content.apply(questions, result.counts)
        if demo:
            result.accounts = training_content.apply_demo(demo_plan, result.counts)
            cycle = Cycle.objects.get(slug=demo_plan["cycle"]["slug"])
            emails = [p["email"] for p in demo_plan["participants"]]
            by_email = {u.email: u for u in User.objects.filter(email__in=emails)}
            participants = [by_email[e] for e in emails]
            for apply_demo in (assessments_demo.apply_demo, certificates_demo.apply_demo):
                apply_demo(
                    evaluation_plan, cycle=cycle, participants=participants, counts=result.counts
                )
    return result

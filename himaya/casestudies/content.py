"""The case library's demo content (content/casestudies/cases/*.yaml): fictional decisions with
their metadata and training material. With `load_content --demo`, each decision is uploaded,
run through the engine and approved by two demo reviewers, exactly as a real one would be, so the
library is full at first start."""

from __future__ import annotations

from pathlib import Path

from himaya.core.content import (
    ContentErrors,
    ContentPack,
    line_of,
    read_yaml,
    require_keys,
    translated,
)

from .models import CourtLevel

TEXTS = ("title", "outcome", "summary", "discussion", "model_answer")
FORMS = (
    "physical",
    "sexual",
    "psychological",
    "economic",
    "harassment",
    "forced_marriage",
    "privacy_images",
    "family",
)
REVIEWERS = ("souad.berrada@trainers.himaya.test", "coordination@amj.himaya.test")


def validate(root: Path, errors: ContentErrors, plans: dict) -> list[dict]:
    from himaya.benchbook.content import provision_keys

    folder = root / "casestudies" / "cases"
    if not folder.is_dir():
        return []
    provisions = provision_keys(plans.get("benchbook"))
    modules = {m["key"] for m in (plans.get("curriculum") or {}).get("modules", [])}
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path, errors)
        if data is None or not require_keys(
            data, ["key", "language", "decision", "metadata", "title"], path, errors
        ):
            continue
        if data["key"] != path.stem:
            errors.add(path, line_of(data), f"'key' must be the file's name, '{path.stem}'")
        if data["language"] not in ("fr", "ar"):
            errors.add(path, line_of(data), "'language' must be fr or ar")
        meta = data["metadata"]
        if meta.get("court_level") not in CourtLevel.values:
            errors.add(path, line_of(meta), f"unknown court_level {meta.get('court_level')!r}")
        for key in meta.get("provisions") or []:
            if key not in provisions:
                errors.add(path, line_of(meta), f"unknown bench-book provision '{key}'")
        for key in meta.get("modules") or []:
            if key not in modules:
                errors.add(path, line_of(meta), f"unknown module '{key}'")
        for form in meta.get("forms") or []:
            if form not in FORMS:
                errors.add(path, line_of(meta), f"unknown form '{form}'")
        questions = []
        for q in data.get("questions") or []:
            if not require_keys(q, ["key", "kind", "stem", "choices"], path, errors):
                continue
            right = sum(1 for c in q["choices"] if c.get("correct"))
            if right < 1:
                errors.add(path, line_of(q), "a question needs a right choice")
            questions.append(
                {
                    "key": q["key"],
                    "kind": q["kind"],
                    "stem": translated(q, "stem", path, errors),
                    "choices": [
                        {
                            "key": c["key"],
                            "text": translated(c, "text", path, errors),
                            "correct": bool(c.get("correct")),
                        }
                        for c in q["choices"]
                    ],
                    "explanation": translated(q, "explanation", path, errors),
                }
            )
        cases.append(
            {
                "key": data["key"],
                "language": data["language"],
                "decision": data["decision"],
                "parties": [str(p) for p in data.get("parties") or []],
                "court_level": meta.get("court_level"),
                "year": int(meta.get("year") or 0),
                "provisions": [k for k in meta.get("provisions") or [] if k in provisions],
                "modules": [k for k in meta.get("modules") or [] if k in modules],
                "forms": list(meta.get("forms") or []),
                "stage": meta.get("stage") or "",
                "texts": {
                    name: translated(data, name, path, errors, required=name != "model_answer")
                    for name in TEXTS
                },
                "questions": questions,
            }
        )
    return cases


def apply(cases: list[dict], context) -> None:
    from django.contrib.auth import get_user_model

    from himaya.benchbook.models import Provision
    from himaya.training.models import Module

    from . import services
    from .models import Case, Status
    from .search import index_case

    users = get_user_model().objects
    uploader = users.filter(email=REVIEWERS[0]).first()
    reviewers = [u for u in (users.filter(email=e).first() for e in REVIEWERS) if u]
    if uploader is None or len(reviewers) < 2:
        return
    for item in cases:
        case = Case.objects.filter(key=item["key"]).first()
        values = {
            "court_level": item["court_level"],
            "year": item["year"],
            "forms": item["forms"],
            "stage": item["stage"],
            "texts": item["texts"],
            "questions": item["questions"],
        }
        if case is None:
            document = services.upload(
                actor=uploader,
                language=item["language"],
                text=item["decision"],
                parties=item["parties"],
            )
            document = services.process(document=document)
            if document.status != Status.REVIEW:
                continue  # fail closed: an unprocessed demo decision is not published
            for reviewer in reviewers:
                document = services.approve(document=document, actor=reviewer)
            case = Case.objects.create(key=item["key"], document=document, **values)
            context.counts["created"] += 1
        else:
            changed = [k for k, v in values.items() if getattr(case, k) != v]
            for k in changed:
                setattr(case, k, values[k])
            if changed:
                case.save()
                context.counts["updated"] += 1
            else:
                context.counts["unchanged"] += 1
        case.provisions.set(Provision.objects.for_readers().filter(key__in=item["provisions"]))
        case.modules.set(Module.objects.filter(key__in=item["modules"]))
        index_case(case)


DEMO = ContentPack(
    key="cases-demo",
    validate=validate,
    apply=apply,
    depends_on=("demo", "benchbook", "curriculum"),
    demo=True,
)

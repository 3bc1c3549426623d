"""The question bank content pack (content/assessments/questions/*.yaml)."""

from __future__ import annotations

from pathlib import Path

from himaya.core.content import (
    ContentErrors,
    ContentPack,
    line_of,
    read_yaml,
    require_keys,
    translated,
    translated_values,
    upsert,
)

from .models import Choice, Question, QuestionKind, TestForm


def _validate_choices(node, kind, path, errors) -> list[dict]:
    choices = []
    for position, choice in enumerate(node.get("choices") or []):
        if not require_keys(choice, ["key", "text"], path, errors):
            continue
        choices.append(
            {
                "key": str(choice["key"]),
                "text": translated(choice, "text", path, errors),
                "correct": bool(choice.get("correct")),
                "position": position,
            }
        )
    right = sum(1 for c in choices if c["correct"])
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and right != 1:
        errors.add(
            path, line_of(node), f"a {kind} question needs exactly one right choice (has {right})"
        )
    if kind == QuestionKind.MULTIPLE and right < 1:
        errors.add(
            path, line_of(node), "a multiple-choice question needs at least one right choice"
        )
    if kind == QuestionKind.TRUE_FALSE and len(choices) != 2:
        errors.add(path, line_of(node), "a true/false question has exactly two choices")
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        errors.add(path, line_of(node), "a question needs at least two choices")
    return choices


def _question(node, path, errors, *, top: bool) -> dict | None:
    if not require_keys(node, ["key", "kind", "stem"], path, errors):
        return None
    kind = node["kind"]
    if kind not in QuestionKind.values or (not top and kind == QuestionKind.VIGNETTE):
        errors.add(path, line_of(node), f"unknown or misplaced question kind '{kind}'")
        return None
    question = {
        "key": str(node["key"]),
        "kind": kind,
        "stem": translated(node, "stem", path, errors),
        "explanation": translated(node, "explanation", path, errors, required=top),
        "choices": [],
        "items": [],
    }
    if kind == QuestionKind.VIGNETTE:
        for item in node.get("items") or []:
            sub = _question(item, path, errors, top=False)
            if sub:
                question["items"].append(sub)
        if len(question["items"]) < 1:
            errors.add(path, line_of(node), "a vignette needs its sub-questions ('items')")
    else:
        question["choices"] = _validate_choices(node, kind, path, errors)
    return question


def validate(
    root: Path,
    errors: ContentErrors,
    *,
    axis_keys: set[str],
    module_keys: set[str],
    provision_keys: set[str],
) -> list[dict]:
    questions: list[dict] = []
    seen: set[str] = set()
    for path in sorted((root / "assessments" / "questions").glob("*.yaml")):
        data = read_yaml(path, errors)
        if data is None or not require_keys(data, ["axis", "questions"], path, errors):
            continue
        if data["axis"] not in axis_keys:
            errors.add(path, line_of(data), f"unknown axis '{data['axis']}'")
            continue
        pairs: dict[str, list[dict]] = {}
        for position, node in enumerate(data["questions"] or []):
            question = _question(node, path, errors, top=True)
            if question is None:
                continue
            if question["key"] in seen:
                errors.add(path, line_of(node), f"question key '{question['key']}' is used twice")
            seen.add(question["key"])
            form = node.get("form")
            if form not in TestForm.values:
                errors.add(path, line_of(node), "'form' must be A or B")
            if node.get("module") and node["module"] not in module_keys:
                errors.add(path, line_of(node), f"unknown module '{node['module']}'")
            difficulty = node.get("difficulty", 2)
            if difficulty not in (1, 2, 3):
                errors.add(path, line_of(node), "'difficulty' must be 1, 2 or 3")
            for key in node.get("provisions") or []:
                if key not in provision_keys:
                    errors.add(path, line_of(node), f"unknown bench-book provision '{key}'")
            question.update(
                axis=data["axis"],
                module=node.get("module"),
                form=form,
                pair=str(node.get("pair") or ""),
                difficulty=difficulty,
                position=position,
                provisions=[k for k in node.get("provisions") or [] if k in provision_keys],
            )
            pairs.setdefault(question["pair"], []).append(question)
            questions.append(question)
        for pair, members in pairs.items():
            forms = sorted(m["form"] for m in members)
            if pair and forms != ["A", "B"]:
                errors.add(
                    path,
                    1,
                    f"pair '{pair}' must have one question in form A and one in form B (has {forms})",
                )
            elif pair and len({(m["kind"], m["difficulty"]) for m in members}) != 1:
                errors.add(
                    path, 1, f"the two questions of pair '{pair}' differ in kind or difficulty"
                )
    return questions


def _save_question(
    q: dict, *, axis, module, parent, position: int, counts: dict, extra: dict
) -> Question:
    question = upsert(
        Question,
        {"key": q["key"]},
        {
            "axis": axis,
            "module": module,
            "parent": parent,
            "position": position,
            "kind": q["kind"],
            "active": True,
            **translated_values("stem", q["stem"]),
            **translated_values("explanation", q["explanation"]),
            **extra,
        },
        counts,
        clean=False,
    )
    kept = []
    for c in q["choices"]:
        choice = upsert(
            Choice,
            {"question": question, "key": c["key"]},
            {
                "correct": c["correct"],
                "position": c["position"],
                **translated_values("text", c["text"]),
            },
            counts,
            clean=False,
        )
        kept.append(choice.pk)
    question.choices.exclude(pk__in=kept).delete()
    return question


def apply(questions: list[dict], counts: dict) -> None:
    from himaya.benchbook.models import Provision
    from himaya.training.models import Axis, Module

    axes = {a.key: a for a in Axis.objects.all()}
    modules = {m.key: m for m in Module.objects.all()}
    keep = []
    for q in questions:
        axis = axes[q["axis"]]
        module = modules.get(q["module"])
        question = _save_question(
            q,
            axis=axis,
            module=module,
            parent=None,
            position=q["position"],
            counts=counts,
            extra={"form": q["form"], "pair": q["pair"], "difficulty": q["difficulty"]},
        )
        keep.append(question.pk)
        for position, item in enumerate(q["items"]):
            sub = _save_question(
                {**item, "key": f"{q['key']}.{item['key']}"},
                axis=axis,
                module=module,
                parent=question,
                position=position,
                counts=counts,
                extra={"form": "", "pair": "", "difficulty": q["difficulty"]},
            )
            keep.append(sub.pk)
        wanted = set(Provision.objects.filter(key__in=q["provisions"]).values_list("pk", flat=True))
        if set(question.provisions.values_list("pk", flat=True)) != wanted:
            question.provisions.set(wanted)
    # Questions no longer in the files are retired, not deleted: past answers point to them.
    Question.objects.exclude(pk__in=keep).filter(active=True).update(active=False)


def _validate_pack(root: Path, errors: ContentErrors, plans: dict) -> list[dict]:
    from himaya.benchbook.content import provision_keys

    curriculum = plans.get("curriculum") or {}
    return validate(
        root,
        errors,
        axis_keys={a["key"] for a in (curriculum.get("programme") or {}).get("axes", [])},
        module_keys={m["key"] for m in curriculum.get("modules", [])},
        provision_keys=provision_keys(plans.get("benchbook")),
    )


QUESTIONS = ContentPack(
    key="questions",
    validate=_validate_pack,
    apply=lambda plan, context: apply(plan, context.counts),
    depends_on=("curriculum", "benchbook"),
)


# --- survey templates (content/assessments/surveys/*.yaml) --------------------------------------


def validate_survey_templates(root: Path, errors: ContentErrors, plans=None) -> list[dict]:
    from .models import SurveyKind, SurveyQuestionKind

    templates: list[dict] = []
    seen: set[str] = set()
    for path in sorted((root / "assessments" / "surveys").glob("*.yaml")):
        data = read_yaml(path, errors)
        if data is None or not require_keys(
            data, ["key", "kind", "title", "questions"], path, errors
        ):
            continue
        if data["kind"] not in SurveyKind.values:
            errors.add(path, line_of(data), f"unknown survey kind '{data['kind']}'")
        if data["key"] in seen:
            errors.add(path, line_of(data), f"survey template key '{data['key']}' is used twice")
        seen.add(data["key"])
        questions, keys = [], set()
        for node in data["questions"] or []:
            if not require_keys(node, ["key", "kind", "text"], path, errors):
                continue
            if node["kind"] not in SurveyQuestionKind.values:
                errors.add(path, line_of(node), f"unknown survey question kind '{node['kind']}'")
            if node["key"] in keys:
                errors.add(path, line_of(node), f"question key '{node['key']}' is used twice")
            keys.add(node["key"])
            questions.append(
                {
                    "key": str(node["key"]),
                    "kind": node["kind"],
                    "text": translated(node, "text", path, errors),
                }
            )
        if not questions:
            errors.add(path, line_of(data), "a survey template needs at least one question")
        templates.append(
            {
                "key": str(data["key"]),
                "kind": data["kind"],
                "position": int(data.get("position") or 0),
                "title": translated(data, "title", path, errors),
                "description": translated(data, "description", path, errors, required=False),
                "questions": questions,
            }
        )
    return templates


def apply_survey_templates(templates: list[dict], counts: dict) -> None:
    from .models import SurveyTemplate, SurveyTemplateQuestion

    keep = []
    for t in templates:
        template = upsert(
            SurveyTemplate,
            {"key": t["key"]},
            {
                "kind": t["kind"],
                "position": t["position"],
                "active": True,
                **translated_values("title", t["title"]),
                **translated_values("description", t["description"]),
            },
            counts,
            clean=False,
        )
        keep.append(template.pk)
        kept = []
        for position, q in enumerate(t["questions"]):
            question = upsert(
                SurveyTemplateQuestion,
                {"template": template, "key": q["key"]},
                {"kind": q["kind"], "position": position, **translated_values("text", q["text"])},
                counts,
                clean=False,
            )
            kept.append(question.pk)
        template.questions.exclude(pk__in=kept).delete()
    # Templates no longer in the files are retired: surveys made from them keep their questions.
    SurveyTemplate.objects.exclude(pk__in=keep).filter(active=True).update(active=False)


SURVEY_TEMPLATES = ContentPack(
    key="survey-templates",
    validate=validate_survey_templates,
    apply=lambda plan, context: apply_survey_templates(plan, context.counts),
)

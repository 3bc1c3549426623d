"""Demo data of the assessments (content/demo/assessments.yaml): tests, simulated attempts,
anonymous survey answers, for one demo cycle (its `cycle` key). Loaded by
`himaya load_content --demo`, idempotently (the `assessments-demo` pack)."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from django.utils import timezone

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

from . import selectors
from .models import (
    Answer,
    Attempt,
    Phase,
    QuestionKind,
    Survey,
    SurveyKind,
    SurveyQuestion,
    SurveyQuestionKind,
    Test,
)
from .services import assign_form, record_survey_answers


def _when(value, path, node, errors):
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        errors.add(path, line_of(node), f"'{value}' is not a date and time (YYYY-MM-DDTHH:MM)")
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def validate_demo(root: Path, errors: ContentErrors, plans: dict | None = None) -> dict | None:
    path = root / "demo" / "assessments.yaml"
    data = read_yaml(path, errors)
    if data is None or not require_keys(data, ["cycle", "tests", "simulation"], path, errors):
        return None
    demo = (plans or {}).get("demo")
    if demo is not None and data["cycle"] not in {c["cycle"]["slug"] for c in demo["cycles"]}:
        errors.add(path, line_of(data), f"unknown demo cycle '{data['cycle']}'")
    plan = {
        "cycle": data["cycle"],
        "tests": {},
        "simulation": data["simulation"],
        "surveys": [],
        "completion_rule": data.get("completion_rule") or {},
    }
    plan["issue_certificates"] = bool(data.get("issue_certificates"))
    plan["revoke"] = list(data.get("revoke") or [])
    for phase in (Phase.PRE, Phase.POST):
        node = data["tests"].get(phase)
        if not require_keys(node, ["opens", "closes"], path, errors):
            continue
        plan["tests"][phase] = {
            "opens_at": _when(node["opens"], path, node, errors),
            "closes_at": _when(node["closes"], path, node, errors),
            "time_limit_minutes": node.get("time_limit"),
        }
    for node in data.get("surveys") or []:
        if not require_keys(
            node, ["key", "kind", "opens", "closes", "title", "questions"], path, errors
        ):
            continue
        if node["kind"] not in SurveyKind.values:
            errors.add(path, line_of(node), f"unknown survey kind '{node['kind']}'")
        questions = []
        for q in node["questions"]:
            if q.get("kind") not in SurveyQuestionKind.values:
                errors.add(path, line_of(q), f"unknown survey question kind '{q.get('kind')}'")
            questions.append(
                {
                    "key": q.get("key"),
                    "kind": q.get("kind"),
                    "text": translated(q, "text", path, errors),
                }
            )
        keys = {q["key"] for q in questions}
        for response in node.get("responses") or []:
            if not set(response) <= keys:
                errors.add(
                    path,
                    line_of(response),
                    f"answers to unknown questions: {sorted(set(response) - keys)}",
                )
        plan["surveys"].append(
            {
                "key": node["key"],
                "kind": node["kind"],
                "opens_at": _when(node["opens"], path, node, errors),
                "closes_at": _when(node["closes"], path, node, errors),
                "title": translated(node, "title", path, errors),
                "questions": questions,
                "responses": [dict(r) for r in node.get("responses") or []],
            }
        )
    return plan


def _simulate(attempt: Attempt, chance: float, rng: random.Random) -> None:
    answers = []
    for question in selectors.leaf_questions(selectors.paper(attempt)):
        choices = list(question.choices.all())
        right = [c.key for c in choices if c.correct]
        wrong = [c.key for c in choices if not c.correct]
        if rng.random() < chance or not wrong:
            selected = right
        else:
            selected = [rng.choice(wrong)] if question.kind != QuestionKind.MULTIPLE else right[:1]
        answers.append(
            Answer(
                attempt=attempt, question=question, selected=selected, saved_at=attempt.started_at
            )
        )
    Answer.objects.bulk_create(answers)
    attempt.scores = selectors.score_attempt(attempt)
    attempt.submitted_at = attempt.started_at + datetime.timedelta(minutes=rng.randint(12, 28))
    attempt.save(update_fields=["scores", "submitted_at"])


def apply(plan: dict, context) -> None:
    cycle, participants = context.results["demo"][plan["cycle"]]
    apply_demo(plan, cycle=cycle, participants=participants, counts=context.counts)


def apply_demo(plan: dict, *, cycle, participants: list, counts: dict) -> None:
    tests = {}
    for phase, values in plan["tests"].items():
        tests[phase] = upsert(Test, {"cycle": cycle, "phase": phase}, values, counts, clean=False)
    simulation = plan["simulation"]
    rng = random.Random(simulation.get("seed", 1))  # noqa: S311 - a reproducible simulation, not a secret
    no_post = set(simulation.get("no_post_test") or [])
    perfect = set(simulation.get("perfect_pre_test") or [])
    if not Attempt.objects.filter(test__cycle=cycle).exists():
        for position, person in enumerate(participants, start=1):
            assign_form(cycle=cycle, participant=person)
            pre_chance = 1.0 if position in perfect else rng.uniform(*simulation["pre_right"])
            post_chance = min(
                0.98,
                max(pre_chance, rng.uniform(*simulation["pre_right"]))
                + rng.uniform(*simulation["post_gain"]),
            )
            for phase, chance in ((Phase.PRE, pre_chance), (Phase.POST, post_chance)):
                if phase == Phase.POST and position in no_post:
                    continue
                test = tests[phase]
                form = assign_form(cycle=cycle, participant=person).form_for(phase)
                started = test.opens_at + datetime.timedelta(minutes=rng.randint(0, 10))
                attempt = Attempt.objects.create(
                    test=test,
                    participant=person,
                    form=form,
                    started_at=started,
                    deadline=started + datetime.timedelta(minutes=test.time_limit_minutes or 60),
                )
                _simulate(attempt, chance, rng)
                counts["created"] += 1
    for s in plan["surveys"]:
        survey = upsert(
            Survey,
            {"cycle": cycle, "key": s["key"]},
            {
                "kind": s["kind"],
                "opens_at": s["opens_at"],
                "closes_at": s["closes_at"],
                **translated_values("title", s["title"]),
            },
            counts,
            clean=False,
        )
        for position, q in enumerate(s["questions"]):
            upsert(
                SurveyQuestion,
                {"survey": survey, "key": q["key"]},
                {"kind": q["kind"], "position": position, **translated_values("text", q["text"])},
                counts,
                clean=False,
            )
        if not survey.responses.exists():
            # Through the service, one respondent after the other as in real life, so the demo
            # database keeps no order that pairs a response with a completion either.
            day = s["opens_at"].date()
            for person, answers in zip(participants, s["responses"], strict=False):
                record_survey_answers(survey=survey, participant=person, answers=answers, today=day)
                counts["created"] += 1


DEMO = ContentPack(
    key="assessments-demo",
    validate=validate_demo,
    apply=apply,
    depends_on=("demo", "questions"),
    demo=True,
)

"""Demo data of the tools (content/demo/tools.yaml): a practice vignette and checklists in the
demo cycle's agenda, the vignette's answers simulated reproducibly, and one fictional example
assessment for the demo participant whose reassessment is due. Idempotent (the `tools-demo`
pack)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.utils import timezone

from himaya.core.content import ContentErrors, ContentPack, line_of, read_yaml, require_keys

from . import catalogue, risk, selection, services
from .models import Assessment, SessionTool, SessionToolKind
from .vocabulary import ANSWERS, LEVELS

REASONS = [
    "Le risque retenu justifie une interdiction de contact jusqu’au jugement.",
    "Mesures limitées à ce que le dossier établit ; réévaluation dans un mois.",
    "La strangulation impose une protection immédiate malgré les inconnues.",
    "Orientation vers l’hôpital et interdiction de contact, proportionnées au risque.",
    "Le récit de la victime est corroboré par le certificat médical.",
]


def validate(root: Path, errors: ContentErrors, plans: dict | None = None) -> dict | None:
    path = root / "demo" / "tools.yaml"
    if not path.exists():
        return None
    data = read_yaml(path, errors)
    if data is None or not require_keys(data, ["cycle", "session_tools"], path, errors):
        return None
    tools = (plans or {}).get("tools") or []
    known = {(d["kind"], d["key"]) for d in tools}
    for node in data["session_tools"]:
        if (node.get("kind"), node.get("key")) not in known:
            errors.add(path, line_of(node), f"unknown {node.get('kind')} '{node.get('key')}'")
    return data


def _simulated_round(vignette, rng, sim, aid, case):
    answers = {}
    for factor in catalogue.factors(aid):
        expected = vignette["expected"].get(factor["key"], "unknown")
        if rng.random() < sim.get("factor_agreement", 0.8):
            answers[factor["key"]] = expected
        else:
            answers[factor["key"]] = rng.choice([a for a in ANSWERS if a != expected])
    suggested = risk.suggest(answers, aid["groups"]).level
    if rng.random() < sim.get("level_agreement", 0.6):
        level = vignette["expected_level"]
    else:
        level = rng.choice(
            [lv for lv in LEVELS if abs(LEVELS.index(lv) - LEVELS.index(suggested)) <= 1]
        )
    available = [m["key"] for m in selection.select(case)["measures"]]
    measures = sorted(rng.sample(available, k=min(len(available), rng.randint(1, 3))))
    return services.build_round(
        case=case,
        answers=answers,
        sources=vignette.get("expected_sources", []),
        level=level,
        level_reason="" if level == suggested else rng.choice(REASONS),
        measures=measures,
        proportionality=rng.choice(REASONS),
    )


def apply(plan: dict | None, context) -> None:
    if not plan:
        return
    cycle, participants = context.results["demo"][plan["cycle"]]
    sessions = {s.key: s for s in cycle.sessions.all()}
    aid = catalogue.risk_aid()
    sim = plan.get("simulation") or {}
    for node in plan["session_tools"]:
        session = sessions[node["session"]]
        tool, created = SessionTool.objects.get_or_create(
            session=session, kind=node["kind"], key=node["key"]
        )
        context.counts["created" if created else "unchanged"] += 1
        if (
            node.get("simulate")
            and node["kind"] == SessionToolKind.VIGNETTE
            and not tool.answers.exists()
        ):
            vignette = catalogue.vignette(node["key"])
            case = services.vignette_case(vignette)
            rng = random.Random(sim.get("seed", 0))  # noqa: S311 - reproducible demo data
            tool.is_open = True
            tool.save(update_fields=["is_open"])
            for person in participants:
                services.answer_exercise(
                    participant=person,
                    tool=tool,
                    round_=_simulated_round(vignette, rng, sim, aid, case),
                )
            tool.is_open = False
            tool.save(update_fields=["is_open"])
    example = plan.get("example_assessment")
    if example:
        from django.contrib.auth import get_user_model

        author = get_user_model().objects.filter(email=example["author"]).first()
        if author is not None and not Assessment.objects.filter(author=author).exists():
            vignette = catalogue.vignette(example["vignette"])
            day = timezone.localdate() - dt.timedelta(days=int(example.get("days_ago", 35)))
            round_ = services.build_round(
                case=services.vignette_case(vignette),
                answers=vignette["expected"],
                sources=vignette.get("expected_sources", []),
                level=vignette["expected_level"],
                level_reason="Exemple : niveau fixé par le juge après lecture du dossier fictif.",
                measures=["no_contact_during_proceedings"],
                proportionality="Exemple : interdiction de contact pendant la procédure.",
                today=day,
            )
            services.create_assessment(
                author=author, label=example["label"], round_=round_, today=day
            )


DEMO = ContentPack(
    key="tools-demo",
    validate=validate,
    apply=apply,
    depends_on=("demo", "tools"),
    demo=True,
)

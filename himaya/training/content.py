"""The curriculum content pack (content/curriculum); the demo is in `training.demo`.

`validate_curriculum` reads and checks files, reporting 'file:line: message';
`apply_curriculum` upserts by stable key inside the caller's transaction, so a second load
changes nothing."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from himaya.core.content import (
    LANGUAGES,
    ContentErrors,
    ContentPack,
    line_of,
    read_yaml,
    require_keys,
    translated,
    translated_values,
    upsert,
)

from .models import Axis, Module, Partner, Programme

SAFE_LINK_SCHEMES = ("http", "https", "mailto")
# Browsers drop these before reading a scheme ("java\tscript:" runs), so a link holding them
# is never checked as written: refuse it.
_LINK_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


def safe_link(url: str) -> str:
    """`url` if it is an http(s), mailto or relative link, else "" (javascript:, data:, …).

    Used when a content pack is loaded and again when a page shows the link."""
    url = (url or "").strip()
    if not url or _LINK_FORBIDDEN.search(url):
        return ""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    if scheme and scheme not in SAFE_LINK_SCHEMES:
        return ""
    if not scheme and ":" in url.split("/", 1)[0]:
        return ""  # "javascript&colon;…"-like oddities that some parser might read as a scheme
    return url


# --- curriculum ---------------------------------------------------------------------------


def validate_curriculum(root: Path, errors: ContentErrors) -> dict | None:
    folder = root / "curriculum"
    path = folder / "programme.yaml"
    data = read_yaml(path, errors)
    if data is None:
        return None
    plan: dict = {"partners": [], "programme": None, "modules": []}
    if not require_keys(data, ["partners", "programme"], path, errors):
        return None
    for item in data["partners"] or []:
        if not require_keys(item, ["slug", "name"], path, errors):
            continue
        plan["partners"].append(
            {
                "slug": item["slug"],
                "name": translated(item, "name", path, errors),
                "short_name": translated(item, "short_name", path, errors, required=False),
                "description": translated(item, "description", path, errors, required=False),
                "website": item.get("website", ""),
            }
        )
    partner_slugs = {p["slug"] for p in plan["partners"]}
    prog = data["programme"]
    if require_keys(prog, ["slug", "title", "partners", "axes"], path, errors):
        for slug in prog["partners"]:
            if slug not in partner_slugs:
                errors.add(path, line_of(prog), f"unknown partner '{slug}'")
        axes = []
        for axis in prog["axes"]:
            if require_keys(axis, ["key", "order", "title"], path, errors):
                axes.append(
                    {
                        "key": axis["key"],
                        "order": int(axis["order"]),
                        "title": translated(axis, "title", path, errors),
                        "description": translated(
                            axis, "description", path, errors, required=False
                        ),
                    }
                )
        plan["programme"] = {
            "slug": prog["slug"],
            "title": translated(prog, "title", path, errors),
            "description": translated(prog, "description", path, errors, required=False),
            "partners": list(prog["partners"]),
            "axes": axes,
        }
    axis_keys = {a["key"] for a in (plan["programme"] or {}).get("axes", [])}
    seen_keys: dict[str, Path] = {}
    for module_path in sorted((folder / "modules").glob("*.yaml")):
        module = _validate_module(module_path, errors, axis_keys)
        if module is None:
            continue
        if module["key"] in seen_keys:
            errors.add(
                module_path,
                1,
                f"module key '{module['key']}' also used by {seen_keys[module['key']].name}",
            )
        seen_keys[module["key"]] = module_path
        plan["modules"].append(module)
    return plan


def _validate_module(path: Path, errors: ContentErrors, axis_keys: set[str]) -> dict | None:
    data = read_yaml(path, errors)
    if data is None:
        return None
    if not require_keys(
        data, ["key", "axis", "order", "title", "content", "objectives"], path, errors
    ):
        return None
    if data["key"] != path.stem:
        errors.add(
            path, line_of(data), f"key '{data['key']}' must match the file name '{path.stem}'"
        )
    if data["axis"] not in axis_keys:
        errors.add(
            path,
            line_of(data),
            f"unknown axis '{data['axis']}' (known: {', '.join(sorted(axis_keys))})",
        )
    duration = data.get("duration_minutes", 90)
    if not isinstance(duration, int) or not 1 <= duration <= 600:
        errors.add(path, line_of(data), "'duration_minutes' must be a whole number from 1 to 600")
        duration = 90
    objectives = translated(data, "objectives", path, errors, kind=list)
    for language in LANGUAGES:
        if not all(isinstance(o, str) and o.strip() for o in objectives[language]):
            errors.add(
                path,
                line_of(data.get("objectives")),
                f"objectives.{language} must be a list of sentences",
            )
    resources = data.get("resources") or []
    for resource in resources:
        if not isinstance(resource, dict) or not resource.get("title"):
            errors.add(path, line_of(resource, line_of(data)), "each resource needs a 'title'")
        elif resource.get("url") and not safe_link(str(resource["url"])):
            errors.add(
                path,
                line_of(resource, line_of(data)),
                f"resource '{resource['title']}': the url must be an http(s), mailto or relative "
                f"link (got '{resource['url']}')",
            )
    sources = data.get("sources") or []
    if not sources:
        errors.add(path, line_of(data), "a module cites its sources ('sources' is empty)")
    content = translated(data, "content", path, errors)
    guide = _validate_trainer_guide(data, path, errors, duration, content)
    return {
        "key": data["key"],
        "axis": data["axis"],
        "order": int(data["order"]),
        "duration_minutes": duration,
        "title": translated(data, "title", path, errors),
        "summary": translated(data, "summary", path, errors, required=False),
        "objectives": {k: "\n".join(v) for k, v in objectives.items()},
        "content": content,
        "trainer_guide": guide,
        "resources": [
            {"title": str(r.get("title", "")), "url": str(r.get("url", "") or "")}
            for r in resources
            if isinstance(r, dict)
        ],
        "sources": [str(s) for s in sources],
        "to_verify": [str(s) for s in (data.get("to_verify") or [])],
    }


# The discussion questions close a module's content: a "## Questions…" heading (« ## أسئلة… »
# in Arabic) followed by a numbered list. The guide answers each of them.
_QUESTIONS_HEADING = re.compile(r"^##\s+(Questions|أسئلة)", re.MULTILINE)
_NUMBERED_ITEM = re.compile(r"^\s*\d+\.\s+\S", re.MULTILINE)


def discussion_questions(markdown: str) -> int:
    """How many discussion questions a module's content (one language) asks."""
    match = _QUESTIONS_HEADING.search(markdown or "")
    if not match:
        return 0
    rest = markdown[match.end() :]
    following = re.search(r"^#{1,6}\s", rest, re.MULTILINE)
    section = rest[: following.start()] if following else rest
    return len(_NUMBERED_ITEM.findall(section))


def _validate_trainer_guide(
    data, path: Path, errors: ContentErrors, duration: int, content: dict
) -> dict:
    """The trainer's guide: a timed plan whose minutes add up to the module's duration, a
    model answer to each discussion question and a second case, every text in fr, ar and en.

    Returned as stored on the module: {"plan": [{"minutes", "title", "activity"}],
    "answers": [{fr, ar, en}], "case": {"title", "scenario", "points": {fr: [...], ...}}}."""
    guide = data.get("trainer_guide")
    if guide is None:
        errors.add(path, line_of(data), "missing 'trainer_guide' (plan, answers, case)")
        return {}
    if not require_keys(guide, ["plan", "answers", "case"], path, errors):
        return {}
    line = line_of(guide, line_of(data))
    plan = []
    steps = guide["plan"] if isinstance(guide["plan"], list) else []
    if not steps:
        errors.add(path, line, "trainer_guide.plan must be a list of timed steps")
    for step in steps:
        if not require_keys(step, ["minutes", "title", "activity"], path, errors):
            continue
        minutes = step["minutes"]
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 1:
            errors.add(path, line_of(step), "trainer_guide.plan: 'minutes' must be a whole number")
            minutes = 0
        plan.append(
            {
                "minutes": minutes,
                "title": translated(step, "title", path, errors),
                "activity": translated(step, "activity", path, errors),
            }
        )
    total = sum(step["minutes"] for step in plan)
    if plan and total != duration:
        errors.add(
            path,
            line,
            f"trainer_guide.plan lasts {total} minutes but the module lasts {duration}",
        )
    answers = []
    items = guide["answers"] if isinstance(guide["answers"], list) else []
    for item in items:
        answers.append(translated({"answer": item}, "answer", path, errors))
    for language in LANGUAGES:
        asked = discussion_questions(content.get(language, ""))
        if asked != len(answers):
            errors.add(
                path,
                line,
                f"trainer_guide.answers: {len(answers)} model answer(s) for {asked} "
                f"discussion question(s) in content.{language}",
            )
    case = guide["case"]
    second_case = {"title": {}, "scenario": {}, "points": {}}
    if require_keys(case, ["title", "scenario", "points"], path, errors):
        points = translated(case, "points", path, errors, kind=list)
        for language in LANGUAGES:
            if not all(isinstance(p, str) and p.strip() for p in points[language]):
                errors.add(
                    path,
                    line_of(case),
                    f"trainer_guide.case.points.{language} must be a list of sentences",
                )
        if len({len(points[language]) for language in LANGUAGES}) > 1:
            errors.add(
                path, line_of(case), "trainer_guide.case.points differ in number across languages"
            )
        second_case = {
            "title": translated(case, "title", path, errors),
            "scenario": translated(case, "scenario", path, errors),
            "points": points,
        }
    return {"plan": plan, "answers": answers, "case": second_case}


def upsert_partners(entries: list[dict], counts: dict) -> dict[str, Partner]:
    """Partners by slug, created or brought up to date (curriculum and demo files alike)."""
    return {
        p["slug"]: upsert(
            Partner,
            {"slug": p["slug"]},
            {
                **translated_values("name", p["name"]),
                **translated_values("short_name", p["short_name"]),
                **translated_values("description", p["description"]),
                "website": p["website"],
            },
            counts,
        )
        for p in entries
    }


def upsert_programme(prog: dict, counts: dict) -> Programme:
    return upsert(
        Programme,
        {"slug": prog["slug"]},
        {
            **translated_values("title", prog["title"]),
            **translated_values("description", prog["description"]),
        },
        counts,
    )


def apply_curriculum(plan: dict, counts: dict) -> None:
    partners = upsert_partners(plan["partners"], counts)
    prog = plan["programme"]
    programme = upsert_programme(prog, counts)
    programme.partners.add(*[partners[s] for s in prog["partners"]])
    axes = {}
    for a in prog["axes"]:
        axes[a["key"]] = upsert(
            Axis,
            {"programme": programme, "key": a["key"]},
            {
                "order": a["order"],
                **translated_values("title", a["title"]),
                **translated_values("description", a["description"]),
            },
            counts,
        )
    for m in plan["modules"]:
        upsert(
            Module,
            {"key": m["key"]},
            {
                "axis": axes[m["axis"]],
                "order": m["order"],
                "duration_minutes": m["duration_minutes"],
                **translated_values("title", m["title"]),
                **translated_values("summary", m["summary"]),
                **translated_values("objectives", m["objectives"]),
                **translated_values("content", m["content"]),
                "resources": m["resources"],
                "sources": m["sources"],
                "to_verify": m["to_verify"],
                "trainer_guide": m["trainer_guide"],
            },
            counts,
        )


CURRICULUM = ContentPack(
    key="curriculum",
    validate=lambda root, errors, plans: validate_curriculum(root, errors),
    apply=lambda plan, context: apply_curriculum(plan, context.counts),
)

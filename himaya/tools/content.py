"""The tools' content pack: content/tools/ (risk_aid.yaml, measures.yaml, checklists/*.yaml,
vignettes/*.yaml), validated with file:line messages and stored as one document per file in
ToolContent. Every provision and module a file names must exist in the bench book and the
curriculum; every text exists in French, Arabic and English."""

from __future__ import annotations

from pathlib import Path

from himaya.core.content import (
    ContentErrors,
    ContentPack,
    line_of,
    read_yaml,
    require_keys,
    translated,
    upsert,
)

from .models import ContentKind, ToolContent
from .vocabulary import (
    ANSWERS,
    CATEGORIES,
    GROUPS,
    LEVELS,
    RELATIONSHIPS,
    SOURCES,
    STAGES,
    VICTIM_REQUEST,
)

RISK_AID_KEY = "risk-aid"
MEASURES_KEY = "measures"
REQUIRED_WARNINGS = ("victim_account_only", "many_unknowns", "no_probability", "no_names")
MEASURE_WARNINGS = ("reconciliation_ends_ban", "needs_victim_request", "needs_victim_consent")


class _Reader:
    """Reads one file's nodes, collecting errors against its path."""

    def __init__(self, path: Path, errors: ContentErrors, refs: dict):
        self.path, self.errors, self.refs = path, errors, refs

    def error(self, node, message: str) -> None:
        self.errors.add(self.path, line_of(node), message)

    def has(self, node, keys) -> bool:
        return require_keys(node, keys, self.path, self.errors)

    def text(self, node, key, *, required=True) -> dict:
        return translated(node, key, self.path, self.errors, required=required)

    def one_of(self, node, key, allowed, *, default=None):
        value = node.get(key, default) if isinstance(node, dict) else default
        if value not in allowed:
            self.error(
                node, f"'{key}' must be one of {', '.join(map(str, allowed))} (not {value!r})"
            )
        return value

    def keys_in(self, node, key, known: set[str], what: str) -> list[str]:
        values = node.get(key) or []
        if not isinstance(values, list):
            self.error(node, f"'{key}' must be a list")
            return []
        for value in values:
            if value not in known:
                self.error(node, f"unknown {what} '{value}'")
        return [v for v in values if v in known]

    def provision(self, node, key, *, required=True) -> str | None:
        value = node.get(key)
        if value in (None, ""):
            if required:
                self.error(node, f"missing '{key}'")
            return None
        if value not in self.refs["provisions"]:
            self.error(node, f"unknown bench-book provision '{value}'")
            return None
        return value

    def unique(self, nodes, seen: set, what: str):
        for node in nodes:
            key = node.get("key") if isinstance(node, dict) else None
            if key in seen:
                self.error(node, f"{what} key '{key}' is used twice")
            seen.add(key)


def _validate_risk_aid(path: Path, errors: ContentErrors, refs: dict) -> dict | None:
    data = read_yaml(path, errors)
    r = _Reader(path, errors, refs)
    if data is None or not r.has(data, ["levels", "groups", "sources", "warnings"]):
        return None
    levels = [
        {"key": n.get("key"), "title": r.text(n, "title"), "description": r.text(n, "description")}
        for n in data["levels"]
        if r.has(n, ["key", "title", "description"])
    ]
    if [lv["key"] for lv in levels] != list(LEVELS):
        r.error(data, f"'levels' must be exactly {', '.join(LEVELS)}, in this order")
    groups, factor_keys = [], set()
    for node in data["groups"]:
        if not r.has(node, ["key", "title", "factors"]):
            continue
        factors = []
        r.unique(node["factors"], factor_keys, "factor")
        for f in node["factors"]:
            if not r.has(f, ["key", "title", "explanation", "source"]):
                continue
            red_flag = bool(f.get("red_flag"))
            if red_flag != (node["key"] == "red_flags"):
                r.error(f, "'red_flag: true' belongs to the factors of the red_flags group only")
            factors.append(
                {
                    "key": f["key"],
                    "red_flag": red_flag,
                    "title": r.text(f, "title"),
                    "explanation": r.text(f, "explanation"),
                    "source": r.text(f, "source"),
                    "modules": r.keys_in(f, "modules", refs["modules"], "module"),
                }
            )
        if not factors:
            r.error(node, "a group needs factors")
        groups.append(
            {
                "key": node["key"],
                "title": r.text(node, "title"),
                "intro": r.text(node, "intro"),
                "factors": factors,
            }
        )
    if [g["key"] for g in groups] != list(GROUPS):
        r.error(data, f"'groups' must be exactly {', '.join(GROUPS)}, in this order")
    sources = [
        {"key": n["key"], "title": r.text(n, "title"), "hint": r.text(n, "hint")}
        for n in data["sources"]
        if r.has(n, ["key", "title", "hint"])
    ]
    if [s["key"] for s in sources] != list(SOURCES):
        r.error(data, f"'sources' must be exactly {', '.join(SOURCES)}, in this order")
    warnings = {}
    for key in REQUIRED_WARNINGS:
        warnings[key] = r.text(data["warnings"], key)
    return {"levels": levels, "groups": groups, "sources": sources, "warnings": warnings}


def _validate_measures(path: Path, errors: ContentErrors, refs: dict) -> dict | None:
    data = read_yaml(path, errors)
    r = _Reader(path, errors, refs)
    if data is None or not r.has(
        data, ["authorities", "warnings", "measures", "offences", "comparative"]
    ):
        return None
    authorities = [
        {"key": n["key"], "title": r.text(n, "title")}
        for n in data["authorities"]
        if r.has(n, ["key", "title"])
    ]
    authority_keys = {a["key"] for a in authorities}
    warnings = [
        {"key": n["key"], "text": r.text(n, "text")}
        for n in data["warnings"]
        if r.has(n, ["key", "text"])
    ]
    warning_keys = {w["key"] for w in warnings}
    for key in MEASURE_WARNINGS:
        if key not in warning_keys:
            r.error(data, f"the warning '{key}' is required")
    measures, seen = [], set()
    r.unique(data["measures"], seen, "measure")
    for n in data["measures"]:
        if not r.has(n, ["key", "title", "provision", "stages", "authorities", "verification"]):
            continue
        relationships = n.get("relationships", "any")
        if relationships != "any":
            relationships = r.keys_in(n, "relationships", set(RELATIONSHIPS), "relationship")
        by_relationship = {}
        for rel, keys in (n.get("relationship_warnings") or {}).items():
            if rel not in RELATIONSHIPS:
                r.error(n, f"unknown relationship '{rel}'")
                continue
            by_relationship[rel] = r.keys_in({"w": keys}, "w", warning_keys, "warning")
        verification = r.one_of(n, "verification", ("verified", "to_verify"))
        note = r.text(n, "verification_note", required=verification == "to_verify")
        measures.append(
            {
                "key": n["key"],
                "category": r.one_of(n, "category", CATEGORIES, default="protection"),
                "title": r.text(n, "title"),
                "provision": r.provision(n, "provision"),
                "related": r.keys_in(n, "related", refs["provisions"], "bench-book provision"),
                "stages": r.keys_in(n, "stages", set(STAGES), "stage"),
                "authorities": r.keys_in(n, "authorities", authority_keys, "authority"),
                "duration": r.text(n, "duration"),
                "conditions": r.text(n, "conditions"),
                "breach_provision": r.provision(n, "breach_provision", required=False),
                "breach_penalty": r.text(n, "breach_penalty", required=False),
                "relationships": relationships,
                "requires_children": bool(n.get("requires_children")),
                "victim_request": r.one_of(n, "victim_request", VICTIM_REQUEST, default="optional"),
                "warnings": r.keys_in(n, "warnings", warning_keys, "warning"),
                "relationship_warnings": by_relationship,
                "verification": verification,
                "verification_note": note,
            }
        )
    offences, seen = [], set()
    r.unique(data["offences"], seen, "offence")
    for n in data["offences"]:
        if not r.has(n, ["key", "title"]):
            continue
        if n["key"] not in refs["provisions"]:
            r.error(n, f"unknown bench-book provision '{n['key']}'")
            continue
        scope = n.get("scope_88_1")
        scope = {True: "yes"}.get(scope, scope)  # YAML reads a bare yes as true
        offences.append(
            {
                "key": n["key"],
                "title": r.text(n, "title"),
                "scope_88_1": r.one_of({"scope_88_1": scope}, "scope_88_1", ("yes", "to_verify")),
            }
        )
    comparative = [
        {
            "key": n["key"],
            "title": r.text(n, "title"),
            "jurisdiction": r.text(n, "jurisdiction"),
            "summary": r.text(n, "summary"),
            "source": r.text(n, "source"),
        }
        for n in data["comparative"]
        if r.has(n, ["key", "title", "jurisdiction", "summary", "source"])
    ]
    return {
        "authorities": authorities,
        "warnings": warnings,
        "measures": measures,
        "offences": offences,
        "comparative": comparative,
    }


def _validate_checklist(path: Path, errors: ContentErrors, refs: dict) -> dict | None:
    data = read_yaml(path, errors)
    r = _Reader(path, errors, refs)
    if data is None or not r.has(data, ["key", "title", "items"]):
        return None
    if data["key"] != path.stem:
        r.error(data, f"'key' must be the file's name, '{path.stem}'")
    items, seen = [], set()
    r.unique(data["items"], seen, "item")
    for n in data["items"]:
        if not r.has(n, ["key", "what", "why"]):
            continue
        tool = n.get("tool") or ""
        if tool not in ("", "risk_aid", "measures"):
            r.error(n, f"'tool' must be risk_aid or measures (not {tool!r})")
        verification = r.one_of(n, "verification", ("verified", "to_verify"), default="verified")
        items.append(
            {
                "key": n["key"],
                "what": r.text(n, "what"),
                "why": r.text(n, "why"),
                "provisions": r.keys_in(
                    n, "provisions", refs["provisions"], "bench-book provision"
                ),
                "modules": r.keys_in(n, "modules", refs["modules"], "module"),
                "tool": tool,
                "verification": verification,
                "verification_note": r.text(
                    n, "verification_note", required=verification == "to_verify"
                ),
            }
        )
    return {
        "key": data["key"],
        "order": int(data.get("order") or 0),
        "stage": r.one_of(data, "stage", (*STAGES, "any"), default="any"),
        "title": r.text(data, "title"),
        "intro": r.text(data, "intro"),
        "items": items,
    }


def _answer(value):
    return {True: "yes", False: "no"}.get(value, value)  # bare yes/no in YAML are booleans


def _validate_vignette(path: Path, errors: ContentErrors, refs: dict) -> dict | None:
    data = read_yaml(path, errors)
    r = _Reader(path, errors, refs)
    if data is None or not r.has(
        data, ["key", "title", "text", "context", "expected", "expected_level", "discussion"]
    ):
        return None
    if data["key"] != path.stem:
        r.error(data, f"'key' must be the file's name, '{path.stem}'")
    context = data["context"]
    if r.has(context, ["stage", "offence", "relationship"]):
        r.one_of(context, "stage", STAGES)
        r.one_of(context, "relationship", RELATIONSHIPS)
        if context["offence"] not in refs["offences"]:
            r.error(context, f"the offence '{context['offence']}' is not in measures.yaml")
    expected = {k: _answer(v) for k, v in (data["expected"] or {}).items()}
    for key, value in expected.items():
        if key not in refs["factors"]:
            r.error(data["expected"], f"unknown factor '{key}'")
        if value not in ANSWERS:
            r.error(data["expected"], f"'{key}' must be yes, no or unknown (not {value!r})")
    missing = sorted(refs["factors"] - set(expected))
    if refs["factors"] and missing:
        r.error(data["expected"], f"expected answers are missing for: {', '.join(missing)}")
    return {
        "key": data["key"],
        "order": int(data.get("order") or 0),
        "title": r.text(data, "title"),
        "summary": r.text(data, "summary"),
        "text": r.text(data, "text"),
        "context": {
            "stage": context.get("stage"),
            "offence": context.get("offence"),
            "relationship": context.get("relationship"),
            "children": bool(context.get("children")),
            "victim_request": bool(context.get("victim_request")),
        },
        "expected": expected,
        "expected_sources": r.keys_in(data, "expected_sources", set(SOURCES), "source"),
        "expected_level": r.one_of(data, "expected_level", LEVELS),
        "discussion": r.text(data, "discussion"),
        # The library case it is built on (content/casestudies/cases/<key>.yaml), if any.
        "case": str(data.get("case") or ""),
        "verification": (
            v := r.one_of(data, "verification", ("verified", "to_verify"), default="verified")
        ),
        "verification_note": r.text(data, "verification_note", required=v == "to_verify"),
    }


def validate(root: Path, errors: ContentErrors, plans: dict) -> list[dict] | None:
    from himaya.benchbook.content import provision_keys

    base = root / "tools"
    if not base.is_dir():
        return []
    curriculum = plans.get("curriculum") or {}
    refs = {
        "provisions": provision_keys(plans.get("benchbook")),
        "modules": {m["key"] for m in curriculum.get("modules", [])},
    }
    docs: list[dict] = []
    risk = _validate_risk_aid(base / "risk_aid.yaml", errors, refs)
    refs["factors"] = {f["key"] for g in (risk or {}).get("groups", []) for f in g["factors"]}
    measures = _validate_measures(base / "measures.yaml", errors, refs)
    refs["offences"] = {o["key"] for o in (measures or {}).get("offences", [])}
    if risk:
        docs.append(
            {"kind": ContentKind.RISK_AID, "key": RISK_AID_KEY, "position": 0, "data": risk}
        )
    if measures:
        docs.append(
            {"kind": ContentKind.MEASURES, "key": MEASURES_KEY, "position": 0, "data": measures}
        )
    for kind, folder, reader in (
        (ContentKind.CHECKLIST, "checklists", _validate_checklist),
        (ContentKind.VIGNETTE, "vignettes", _validate_vignette),
    ):
        for path in sorted((base / folder).glob("*.yaml")):
            doc = reader(path, errors, refs)
            case = (doc or {}).get("case")
            if case and not (root / "casestudies" / "cases" / f"{case}.yaml").is_file():
                errors.add(path, 1, f"no library case '{case}' in content/casestudies/cases/")
                doc = None
            if doc:
                docs.append(
                    {"kind": kind, "key": doc["key"], "position": doc["order"], "data": doc}
                )
    return docs


def apply(docs: list[dict], counts: dict) -> None:
    kept = []
    for doc in docs:
        obj = upsert(
            ToolContent,
            {"kind": doc["kind"], "key": doc["key"]},
            {"position": doc["position"], "data": doc["data"]},
            counts,
            clean=False,
        )
        kept.append(obj.pk)
    ToolContent.objects.exclude(pk__in=kept).delete()


PACK = ContentPack(
    key="tools",
    validate=validate,
    apply=lambda plan, context: apply(plan, context.counts),
    depends_on=("curriculum", "benchbook"),
)

"""The bench-book content pack (content/benchbook): instruments, provisions, concepts,
cross-references and the links from training modules. Validated with file:line messages,
then upserted by key; the search index is rebuilt after every load."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

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
from himaya.training.models import Module

from . import search
from .models import (
    Concept,
    CrossReference,
    Form,
    Instrument,
    Jurisdiction,
    Kind,
    MoroccoStatus,
    Provision,
    Relation,
    Stage,
    Verification,
)

NUMBER_FORMAT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-()]*$")
DIGEST_FIELDS = ("facts", "holding", "principle", "relevance")


def _choice(value, choices, path, node, errors, name):
    if value not in choices.values:
        errors.add(
            path, line_of(node), f"{name} '{value}' is not one of {', '.join(choices.values)}"
        )


def _tags(node, name, choices, path, errors) -> list[str]:
    values = node.get(name) or []
    if not isinstance(values, list):
        errors.add(path, line_of(node), f"'{name}' must be a list")
        return []
    for value in values:
        _choice(value, choices, path, node, errors, name[:-1])
    return [v for v in values if v in choices.values]


def _date(value, path, node, errors, name):
    if value in (None, ""):
        return None
    if not isinstance(value, datetime.date):
        errors.add(path, line_of(node), f"'{name}' must be a date written YYYY-MM-DD")
        return None
    return value


def _verification(node, path, errors) -> tuple[str, dict]:
    """The status and its note, the note in fr, ar and en (readers see it in their language)."""
    status = node.get("verification", "")
    _choice(status, Verification, path, node, errors, "verification")
    raw = node.get("verification_note") or ""
    if isinstance(raw, dict):
        note = translated(node, "verification_note", path, errors)
    else:
        if str(raw).strip():
            errors.add(path, line_of(node), "'verification_note' must have fr, ar and en versions")
        note = dict.fromkeys(LANGUAGES, "")
    if status == Verification.TO_VERIFY and not any(note.values()):
        errors.add(
            path,
            line_of(node),
            "a 'to_verify' entry needs a 'verification_note' saying what to check",
        )
    return status, note


def _source(node, key: str, path, errors, *, required: bool) -> dict:
    """A source citation in fr, ar and en (readers see it in their language); when one is
    given, all three are."""
    if node.get(key) in (None, ""):
        if required:
            errors.add(path, line_of(node), f"missing '{key}' (with fr, ar and en)")
        return dict.fromkeys(LANGUAGES, "")
    return translated(node, key, path, errors)


def _placeholder(node, path, errors) -> bool:
    value = node.get("placeholder", False)
    if not isinstance(value, bool):
        errors.add(path, line_of(node), "'placeholder' must be true or false")
        return False
    return value


def _entry(node, path, errors, *, overview: bool, concept_keys: set[str]) -> dict:
    entry = {
        "title": translated(node, "title", path, errors),
        "summary": translated(node, "summary", path, errors),
        "practical_note": translated(node, "practical_note", path, errors, required=False),
        "forms": _tags(node, "forms", Form, path, errors),
        "stages": _tags(node, "stages", Stage, path, errors),
        "concepts": [],
    }
    for key in node.get("concepts") or []:
        if key not in concept_keys:
            errors.add(path, line_of(node), f"unknown concept '{key}'")
        else:
            entry["concepts"].append(key)
    digest = node.get("digest")
    for name in DIGEST_FIELDS:
        entry[name] = (
            translated(digest, name, path, errors) if digest else dict.fromkeys(LANGUAGES, "")
        )
    if not overview:
        number = str(node.get("number", ""))
        if not NUMBER_FORMAT.match(number):
            errors.add(path, line_of(node), f"'{number}' is not a provision number")
        entry["number"] = number
        entry["aliases"] = [str(a) for a in node.get("aliases") or []]
        entry["verification"], entry["verification_note"] = _verification(node, path, errors)
        entry["number_disputed"] = bool(node.get("number_disputed"))
        entry["source"] = _source(node, "source", path, errors, required=True)
        entry["placeholder"] = _placeholder(node, path, errors)
    else:
        # An overview is cited by its instrument's official source unless it names its own.
        entry["source"] = _source(node, "source", path, errors, required=False)
        if "placeholder" in node:
            errors.add(path, line_of(node), "an overview cannot be a 'placeholder'")
    return entry


def validate(root: Path, errors: ContentErrors) -> dict | None:
    folder = root / "benchbook"
    index = read_yaml(folder / "index.yaml", errors)
    concepts_data = read_yaml(folder / "concepts.yaml", errors)
    if index is None or concepts_data is None:
        return None
    plan: dict = {"instruments": [], "concepts": [], "crossrefs": [], "module_links": {}}
    concepts_path = folder / "concepts.yaml"
    for node in concepts_data.get("concepts") or []:
        if not require_keys(node, ["key", "label", "terms"], concepts_path, errors):
            continue
        terms = node["terms"]
        for language in LANGUAGES:
            if not isinstance(terms, dict) or not terms.get(language):
                errors.add(
                    concepts_path, line_of(node), f"concept '{node['key']}' has no {language} terms"
                )
        plan["concepts"].append(
            {
                "key": node["key"],
                "label": translated(node, "label", concepts_path, errors),
                "definition": translated(node, "definition", concepts_path, errors, required=False),
                "terms": {
                    lang: [str(t) for t in (terms or {}).get(lang, [])] for lang in LANGUAGES
                },
            }
        )
    concept_keys = {c["key"] for c in plan["concepts"]}

    provision_keys: set[str] = set()
    for position, key in enumerate(index.get("instruments") or []):
        path = folder / "instruments" / f"{key}.yaml"
        if not path.exists():
            errors.add(
                folder / "index.yaml", line_of(index), f"instrument '{key}' has no file {path.name}"
            )
            continue
        data = read_yaml(path, errors)
        if data is None or not require_keys(
            data,
            ["key", "kind", "jurisdiction", "title", "morocco_status", "verification", "overview"],
            path,
            errors,
        ):
            continue
        if data["key"] != key:
            errors.add(path, line_of(data), f"key '{data['key']}' must be '{key}'")
        _choice(data["kind"], Kind, path, data, errors, "kind")
        _choice(data["jurisdiction"], Jurisdiction, path, data, errors, "jurisdiction")
        _choice(data["morocco_status"], MoroccoStatus, path, data, errors, "morocco_status")
        verification, verification_note = _verification(data, path, errors)
        overview = data.get("overview") or {}
        instrument = {
            "key": key,
            "order": position,
            "kind": data["kind"],
            "jurisdiction": data["jurisdiction"],
            "title": translated(data, "title", path, errors),
            "short_title": translated(data, "short_title", path, errors, required=False),
            "date": _date(data.get("date"), path, data, errors, "date"),
            "dates": [
                {
                    "date": str(d.get("date")),
                    "label": {
                        lang: str((d.get("label") or {}).get(lang, "")) for lang in LANGUAGES
                    },
                }
                for d in data.get("dates") or []
                if isinstance(d, dict)
            ],
            "morocco_status": data["morocco_status"],
            "morocco_status_date": _date(
                data.get("morocco_status_date"), path, data, errors, "morocco_status_date"
            ),
            "morocco_status_note": translated(
                data, "morocco_status_note", path, errors, required=False
            ),
            "official_source": _source(data, "official_source", path, errors, required=True),
            "source_url": str(data.get("source_url") or ""),
            "verification": verification,
            "verification_note": verification_note,
            "overview": _entry(overview, path, errors, overview=True, concept_keys=concept_keys),
            "provisions": [],
        }
        provision_keys.add(key)
        numbers: set[str] = set()
        for node in data.get("provisions") or []:
            entry = _entry(node, path, errors, overview=False, concept_keys=concept_keys)
            if entry["number"] in numbers:
                errors.add(path, line_of(node), f"provision {entry['number']} appears twice")
            numbers.add(entry["number"])
            provision_keys.add(f"{key}:{entry['number']}")
            instrument["provisions"].append(entry)
        plan["instruments"].append(instrument)

    crossrefs_path = folder / "crossrefs.yaml"
    crossrefs = read_yaml(crossrefs_path, errors) if crossrefs_path.exists() else {"crossrefs": []}
    for node in (crossrefs or {}).get("crossrefs") or []:
        if not require_keys(
            node, ["national", "international", "relation"], crossrefs_path, errors
        ):
            continue
        for side in ("national", "international"):
            if node[side] not in provision_keys:
                errors.add(crossrefs_path, line_of(node), f"unknown provision '{node[side]}'")
        _choice(node["relation"], Relation, crossrefs_path, node, errors, "relation")
        plan["crossrefs"].append(
            {
                "national": node["national"],
                "international": node["international"],
                "relation": node["relation"],
                "note": translated(node, "note", crossrefs_path, errors),
            }
        )

    links_path = folder / "module_links.yaml"
    links = read_yaml(links_path, errors) if links_path.exists() else {}
    for module_key, keys in ((links or {}).get("modules") or {}).items():
        for key in keys or []:
            if key not in provision_keys:
                errors.add(
                    links_path,
                    line_of(links),
                    f"module '{module_key}' links to unknown provision '{key}'",
                )
        plan["module_links"][module_key] = list(keys or [])
    return plan


def _provision_values(entry: dict, position: int) -> dict:
    values = {"position": position, "forms": entry["forms"], "stages": entry["stages"]}
    for name in ("title", "summary", "practical_note", *DIGEST_FIELDS):
        values.update(translated_values(name, entry[name]))
    return values


def apply(plan: dict, counts: dict) -> None:
    concepts = {}
    for c in plan["concepts"]:
        concepts[c["key"]] = upsert(
            Concept,
            {"key": c["key"]},
            {
                **translated_values("label", c["label"]),
                **translated_values("definition", c["definition"]),
                "terms": c["terms"],
            },
            counts,
        )
    provisions: dict[str, Provision] = {}
    kept_instruments = []
    for data in plan["instruments"]:
        instrument = upsert(
            Instrument,
            {"key": data["key"]},
            {
                "order": data["order"],
                "kind": data["kind"],
                "jurisdiction": data["jurisdiction"],
                **translated_values("title", data["title"]),
                **translated_values("short_title", data["short_title"]),
                "date": data["date"],
                "dates": data["dates"],
                "morocco_status": data["morocco_status"],
                "morocco_status_date": data["morocco_status_date"],
                **translated_values("morocco_status_note", data["morocco_status_note"]),
                **translated_values("official_source", data["official_source"]),
                "source_url": data["source_url"],
                "verification": data["verification"],
                **translated_values("verification_note", data["verification_note"]),
            },
            counts,
        )
        kept_instruments.append(instrument.pk)
        overview = data["overview"]
        entries = [
            (
                data["key"],
                "",
                overview,
                {
                    "aliases": [],
                    "verification": data["verification"],
                    "verification_note": data["verification_note"],
                    "source": (
                        overview["source"]
                        if any(overview["source"].values())
                        else data["official_source"]
                    ),
                    "placeholder": False,
                },
            )
        ]
        for entry in data["provisions"]:
            entries.append((f"{data['key']}:{entry['number']}", entry["number"], entry, entry))
        kept = []
        for position, (key, number, entry, meta) in enumerate(entries):
            note = meta["verification_note"]
            provision = upsert(
                Provision,
                {"key": key},
                {
                    "instrument": instrument,
                    "number": number,
                    "aliases": meta["aliases"],
                    "verification": meta["verification"],
                    **translated_values("verification_note", note),
                    "number_disputed": bool(meta.get("number_disputed")),
                    **translated_values("source", meta["source"]),
                    "placeholder": meta["placeholder"],
                    **_provision_values(entry, position),
                },
                counts,
            )
            wanted = {concepts[k].pk for k in entry["concepts"]}
            if set(provision.concepts.values_list("pk", flat=True)) != wanted:
                provision.concepts.set(wanted)
            provisions[key] = provision
            kept.append(provision.pk)
        Provision.objects.filter(instrument=instrument).exclude(pk__in=kept).delete()
    Instrument.objects.exclude(pk__in=kept_instruments).delete()

    kept_refs = []
    for position, ref in enumerate(plan["crossrefs"]):
        obj = upsert(
            CrossReference,
            {
                "national": provisions[ref["national"]],
                "international": provisions[ref["international"]],
            },
            {
                "relation": ref["relation"],
                "position": position,
                **translated_values("note", ref["note"]),
            },
            counts,
        )
        kept_refs.append(obj.pk)
    CrossReference.objects.exclude(pk__in=kept_refs).delete()

    # Modules link to pages: a placeholder has none, so no module links to it.
    for module in Module.objects.all():
        wanted = {
            provisions[k].pk
            for k in plan["module_links"].get(module.key, [])
            if k in provisions and not provisions[k].placeholder
        }
        if set(module.provisions.values_list("pk", flat=True)) != wanted:
            module.provisions.set(wanted)

    search.thesaurus_changed()
    search.reindex()


def provision_keys(plan: dict | None) -> set[str]:
    """Every provision key of a validated plan (instrument keys are their overview entries)."""
    keys: set[str] = set()
    for instrument in (plan or {}).get("instruments", []):
        keys.add(instrument["key"])
        keys.update(f"{instrument['key']}:{p['number']}" for p in instrument["provisions"])
    return keys


# The bench book's content pack (registered in BenchbookConfig.ready): it needs the curriculum's
# modules; the question bank needs its provisions.
PACK = ContentPack(
    key="benchbook",
    validate=lambda root, errors, plans: validate(root, errors),
    apply=lambda plan, context: apply(plan, context.counts),
    depends_on=("curriculum",),
)

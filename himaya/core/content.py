"""Content packs: YAML files under content/, validated with file:line messages.

Each app contributes a loader (`validate(root) -> plan`, `apply(plan)`); `load_content`
validates every file of every pack first and writes nothing if any file is invalid."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

LANGUAGES = ("fr", "ar", "en")


class LineDict(dict):
    """A mapping that remembers the line it starts on in its file."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = LineDict(loader.construct_pairs(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class ContentErrors:
    """Problems found while validating content, each as 'path:line: message'."""

    root: Path
    messages: list[str] = field(default_factory=list)

    def add(self, path: Path, line: int, message: str) -> None:
        try:
            shown = path.relative_to(self.root)
        except ValueError:
            shown = path
        self.messages.append(f"{shown}:{line}: {message}")

    def __bool__(self) -> bool:
        return bool(self.messages)


class ContentInvalid(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def read_yaml(path: Path, errors: ContentErrors):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        errors.add(path, line, f"invalid YAML: {exc.problem}")
    except (OSError, UnicodeDecodeError) as exc:
        errors.add(path, 1, f"cannot read the file: {exc}")
    return None


def line_of(value, default: int = 1) -> int:
    return getattr(value, "line", default) or default


def require_keys(data, keys, path: Path, errors: ContentErrors) -> bool:
    if not isinstance(data, dict):
        errors.add(path, line_of(data), "expected a mapping")
        return False
    ok = True
    for key in keys:
        if key not in data or data[key] in (None, ""):
            errors.add(path, line_of(data), f"missing '{key}'")
            ok = False
    return ok


def translated(
    data, key: str, path: Path, errors: ContentErrors, *, required=True, kind=str
) -> dict:
    """Read a {fr, ar, en} field; every language is required when the field is."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        if required:
            errors.add(path, line_of(data), f"missing '{key}' (with fr, ar and en)")
        return dict.fromkeys(LANGUAGES, kind())
    if not isinstance(value, dict):
        errors.add(path, line_of(data), f"'{key}' must have fr, ar and en versions")
        return dict.fromkeys(LANGUAGES, kind())
    out = {}
    for language in LANGUAGES:
        text = value.get(language)
        if text in (None, "", []) and required:
            errors.add(path, line_of(value), f"'{key}' lacks its '{language}' version")
        if text is not None and not isinstance(text, kind):
            errors.add(path, line_of(value), f"'{key}.{language}' must be a {kind.__name__}")
            text = None
        out[language] = text if text is not None else kind()
    return out


def set_translated(instance, field_name: str, values: dict) -> None:
    for language, text in values.items():
        setattr(instance, f"{field_name}_{language}", text)


def upsert(model, lookup: dict, values: dict, counts: dict, *, clean: bool = True):
    """Create or update one object by its stable key; count what happened. Saves only when a
    value changed, so loading the same content twice writes nothing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        if clean:
            obj.full_clean()
        obj.save()
        counts["created"] += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if not changed:
        counts["unchanged"] += 1
        return obj
    for k in changed:
        setattr(obj, k, values[k])
    if clean:
        obj.full_clean()
    obj.save()
    counts["updated"] += 1
    return obj


def translated_values(field_name: str, values: dict) -> dict:
    """{"fr": a, "ar": b} → {"title_fr": a, "title_ar": b, "title_en": ""} for modeltranslation."""
    return {f"{field_name}_{language}": values.get(language) or "" for language in LANGUAGES}

"""Content packs: YAML files under content/, validated with file:line messages.

Each app registers its packs (`register(ContentPack(...))`, in its AppConfig.ready()): a key,
the keys of the packs it needs, a `validate(root, errors, plans) -> plan` step that reports
'file:line: message' and an `apply(plan, context)` step. `load()` validates every file of
every pack first, in dependency order, and writes nothing if any file is invalid; then applies
every pack in one transaction. A demo pack is loaded only with `load_content --demo`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from himaya.core.languages import LANGUAGE_CODES

LANGUAGES = LANGUAGE_CODES


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


def in_language(value, language: str | None = None) -> str:
    """A {fr, ar, en} content text in `language` (default: the active one), falling back as all
    content does (languages.CONTENT_FALLBACK: fr → en → ar); a plain string is returned as is."""
    from django.utils import translation

    from himaya.core.languages import CONTENT_FALLBACK

    if not isinstance(value, dict):
        return value or ""
    language = language or translation.get_language() or CONTENT_FALLBACK[0]
    for code in (language, *CONTENT_FALLBACK):
        if value.get(code):
            return value[code]
    return ""


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


# --- the registry of packs ---------------------------------------------------------------


@dataclass
class LoadContext:
    """What `apply` steps share: the counts shown by the command, the demo accounts to print,
    every pack's validated plan and what each `apply` returned (by pack key)."""

    counts: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    accounts: list[dict] = field(default_factory=list)
    plans: dict[str, Any] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)


LoadResult = LoadContext  # what `load()` returns


@dataclass(frozen=True)
class ContentPack:
    """`validate(root, errors, plans)` gets the plans of `depends_on` (None for an invalid
    one); `apply(plan, context)` runs after the packs it depends on."""

    key: str
    validate: Callable[[Path, ContentErrors, dict[str, Any]], Any]
    apply: Callable[[Any, LoadContext], Any]
    depends_on: tuple[str, ...] = ()
    demo: bool = False


_packs: dict[str, ContentPack] = {}


def register(pack: ContentPack) -> ContentPack:
    """Add a pack (again with the same key: replaced, so a reloaded app does not add twice)."""
    _packs[pack.key] = pack
    return pack


def registered_packs(*, demo: bool = False) -> list[ContentPack]:
    """The packs to load, each after the packs it depends on (then in registration order)."""
    wanted = [p for p in _packs.values() if demo or not p.demo]
    keys = {p.key for p in wanted}
    ordered: list[ContentPack] = []
    done: set[str] = set()

    def visit(pack: ContentPack, path: tuple[str, ...]) -> None:
        if pack.key in done:
            return
        if pack.key in path:
            raise ImproperlyConfigured(f"content packs depend on each other: {path + (pack.key,)}")
        for key in pack.depends_on:
            if key not in keys:
                raise ImproperlyConfigured(
                    f"content pack '{pack.key}' needs '{key}', which is not registered"
                    + ("" if demo or key not in _packs else " without --demo")
                )
            visit(_packs[key], path + (pack.key,))
        done.add(pack.key)
        ordered.append(pack)

    for pack in wanted:
        visit(pack, ())
    return ordered


def load(root: Path, *, demo: bool = False, progress=None) -> LoadContext:
    """Validate every file of every pack under `root`; raise ContentInvalid with
    'file:line: message' lines and write nothing if any is wrong; otherwise apply every pack
    in one transaction (each an idempotent upsert by key). `progress(done, total)`, if given,
    is called after each pack is validated and after each is applied (a job's progress bar)."""
    packs = registered_packs(demo=demo)
    errors = ContentErrors(root=root)
    context = LoadContext()
    total = 2 * len(packs)
    for done, pack in enumerate(packs, start=1):
        needed = {key: context.plans.get(key) for key in pack.depends_on}
        context.plans[pack.key] = pack.validate(root, errors, needed)
        if progress is not None:
            progress(done, total)
    if errors:
        raise ContentInvalid(errors.messages)
    with transaction.atomic():
        for done, pack in enumerate(packs, start=len(packs) + 1):
            context.results[pack.key] = pack.apply(context.plans[pack.key], context)
            if progress is not None:
                progress(done, total)
    return context

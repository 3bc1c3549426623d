"""The pseudonymisation engine: recognizers propose spans, overlaps are settled, every mention of
a name found is masked too, and a checklist of doubts is drawn up for the human reviewer.

Recognizers are plain callables `recognizer(text, lang, parties) -> list[Span]`, registered with
`register()`: the formats, addresses and places, and names of this package are the built-in
ones; a statistical model can be added later the same way, without touching the rest."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import doubts as doubt_rules
from . import formats, names, places
from .spans import Span, resolve, trim

Recognizer = Callable[[str, str, tuple[str, ...]], list[Span]]
_RECOGNIZERS: dict[str, Recognizer] = {}

LANGUAGES = ("fr", "ar")


def register(name: str, recognizer: Recognizer) -> None:
    _RECOGNIZERS[name] = recognizer


def recognizers() -> dict[str, Recognizer]:
    return dict(_RECOGNIZERS)


register("formats", lambda text, lang, parties: formats.find(text, lang))
register("places", lambda text, lang, parties: places.find(text, lang))


def _names(text: str, lang: str, parties) -> list:
    # A decision may quote a name in the other script: «Karim Ouriaghli» or «Claire Fontaine» in an
    # Arabic decision, a message signed «رشيد» in a French one.
    if lang == "ar":
        return names.find_ar(text) + names.find_fr(text) + names.latin_in_arabic(text)
    found = names.find_fr(text)
    if names.AR_WORD.search(text):
        found += names.find_ar(text)
    return found


register("names", _names)
register("parties", lambda text, lang, parties: names.parties(text, parties))


@dataclass
class Result:
    text: str
    lang: str
    spans: list[Span]
    doubts: list[dict] = field(default_factory=list)

    def entities(self) -> list[dict]:
        return [s.as_dict() for s in self.spans]


class EngineError(RuntimeError):
    """The engine could not process a document: the caller must publish nothing."""


def _words(names_given: Iterable[str]) -> set[str]:
    from . import gazetteer as gz

    keys = set()
    for name in names_given:
        for word in re.findall(r"[\w'’-]+", name):
            key = gz.norm(word)
            if len(key) >= 3 and key not in gz.particles() and key != "عبد":
                keys.add(key)
    return keys


def analyse(text: str, lang: str, *, parties: Iterable[str] = ()) -> Result:
    """The spans to mask in `text` (a decision in `lang`, "fr" or "ar") and the doubts;
    `parties` are the names the uploader gave (masked everywhere, each word too)."""
    if lang not in LANGUAGES:
        raise EngineError(f"unsupported language {lang!r}")
    if not isinstance(text, str):
        raise EngineError("the text must be a string")
    parties = tuple(p for p in parties if p and p.strip())
    proposed: list[Span] = []
    for _name, recognizer in _RECOGNIZERS.items():
        proposed.extend(recognizer(text, lang, parties))
    proposed = [t for t in (trim(s, text) for s in proposed) if t is not None]
    settled = resolve(proposed)
    keys = names.name_keys(text, settled) | _words(parties)
    ambiguous = names.ambiguous_keys(text, settled)
    found = names.mentions(text, keys, lang, ambiguous)
    if lang == "ar":
        found = names.outside_places(text, found)
    settled = resolve(settled + found)
    settled = [t for t in (trim(s, text) for s in settled) if t is not None]
    return Result(
        text=text,
        lang=lang,
        spans=settled,
        doubts=doubt_rules.checklist(text, lang, settled, proposed, parties),
    )

"""Word lists shipped with the engine (data/*.txt), read once. Arabic entries are normalised
like the text they are compared with (alef forms, ta marbuta kept, diacritics and tatweel off)."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
AR_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")


def norm_ar(word: str) -> str:
    word = AR_DIACRITICS.sub("", word)
    # Alef forms only: ى and ي stay apart («على» is a preposition, «علي» a name).
    return word.replace("إ", "ا").replace("أ", "ا").replace("آ", "ا")


def norm_lat(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


@functools.lru_cache(maxsize=65536)
def norm(word: str) -> str:
    return norm_ar(word) if any("\u0600" <= c <= "\u06ff" for c in word) else norm_lat(word)


@functools.cache
def words(name: str) -> frozenset[str]:
    path = DATA / f"{name}.txt"
    if not path.exists():
        return frozenset()
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            found.add(norm(line))
    return frozenset(found)


@functools.cache
def first_names() -> frozenset[str]:
    return words("first_names_latin") | words("first_names_arabic")


@functools.cache
def single_word_first_names() -> frozenset[str]:
    return frozenset(w for w in first_names() if " " not in w)


@functools.cache
def multi_word_first_names() -> frozenset[str]:
    return frozenset(w for w in first_names() if " " in w)


@functools.cache
def surnames() -> frozenset[str]:
    return words("surnames_latin") | words("surnames_arabic")


@functools.cache
def ambiguous() -> frozenset[str]:
    return words("ambiguous_first_names")


@functools.cache
def particles() -> frozenset[str]:
    return words("family_name_prefixes") | frozenset(
        norm(w)
        for w in (
            "Ben", "Bent", "Ibn", "Ould", "Mint", "Aït", "Ait", "Ou", "El", "Al", "Bou", "Abou",
            "Sidi", "Moulay", "Lalla", "بن", "بنت", "ابن", "ولد", "آيت", "أيت", "أو", "بو",
            "أبو", "سيدي", "مولاي", "لالة",
        )
    )  # fmt: skip


@functools.cache
def stop_fr() -> frozenset[str]:
    return words("stop_capitalised_fr")


@functools.cache
def stop_ar() -> frozenset[str]:
    return words("stop_words_ar")


@functools.cache
def cities() -> frozenset[str]:
    return words("cities")

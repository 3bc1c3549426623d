"""The one text analyzer of Himaya's search: documents and queries go through the same steps.

normalise (NFKC, case, accents, Arabic letter forms) → tokenise → drop stop words → Snowball stem,
with article numbers turned into order-independent tokens (503-1-1, 1-1-503 → the same two
tokens). The SQLite FTS5 index and the PostgreSQL tsvector both store the analysed tokens, so the
two backends see the same words and user text never reaches a query syntax unanalysed.

Stop words are data files (stopwords/<language>.txt), normalised when loaded like any token."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from himaya.core.languages import LANGUAGE_CODES
from himaya.core.text import normalise

LANGUAGES = LANGUAGE_CODES
STEMMER_NAMES = {"fr": "french", "ar": "arabic", "en": "english"}

_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LATIN_LETTER = re.compile("[a-zA-Z\u00c0-\u024f]")
# An article number: digits joined by hyphens, dots or dashes ("503-1-1", "1-1-503", "82.5.2").
NUMBER = re.compile(r"(?<![\w])([0-9]{1,4}(?:\s?[-‐‑–—./]\s?[0-9]{1,4}){0,3})(?![\w])")
TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
SAFE_TOKEN = re.compile(r"^[a-z0-9_\u0621-\u064a]+$")
MAX_QUERY_CHARS = 500
MAX_QUERY_TOKENS = 24

STOPWORDS_DIR = Path(__file__).resolve().parent / "stopwords"


def load_stopwords(path: Path) -> frozenset[str]:
    """The stop words of one file (one a line, '#' starts a comment), normalised with the very
    normaliser the tokens go through: a list written "إلى", "été" must drop the token "الي",
    "ete" that the text becomes."""
    entries = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            entries.update(TOKEN.findall(normalise(word)))
    return frozenset(entries)


STOPWORDS: dict[str, frozenset[str]] = {
    language: load_stopwords(STOPWORDS_DIR / f"{language}.txt") for language in LANGUAGES
}


@lru_cache(maxsize=8)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMER_NAMES[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)


def script_language(text: str) -> str | None:
    """'ar' when the text is mostly Arabic script, None when it cannot tell fr from en."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if arabic and arabic >= latin:
        return "ar"
    return None


def number_tokens(number: str) -> list[str]:
    """'503-1-1' → ['n503_1_1', 'n1_1_503']: the French order and the common order alike."""
    parts = [p.lstrip("0") or "0" for p in re.split(r"\s?[-‐‑–—./]\s?", number.strip()) if p]
    if not parts or not all(p.isascii() and p.isdigit() for p in parts):
        return []
    forward = "n" + "_".join(parts)
    backward = "n" + "_".join(reversed(parts))
    return [forward] if forward == backward else [forward, backward]


def extract_numbers(text: str) -> list[str]:
    return [m.group(1) for m in NUMBER.finditer(normalise(text))]


# Broken plurals of the pattern تفاعيل (تعاريف, تدابير, تقارير) → singular تفعيل (تعريف, تدبير,
# تقرير), which the Snowball stemmer leaves apart; legal Arabic uses them constantly.
_TAFAIL = re.compile("^(ال)?ت(.)ا(.)ي(.)$")


def arabic_singular(word: str) -> str:
    match = _TAFAIL.match(word)
    if match:
        return f"{match.group(1) or ''}ت{match.group(2)}{match.group(3)}ي{match.group(4)}"
    return word


def words(text: str, language: str) -> list[str]:
    """Stemmed content words of a text in one language (numbers excluded)."""
    text = normalise(text)
    stop = STOPWORDS[language]
    out = []
    for raw in TOKEN.findall(text):
        if raw in stop or len(raw) < 2:
            continue
        if language == "ar" and not _ARABIC_LETTER.search(raw):
            # Latin words inside Arabic text (names, acronyms): keep them unstemmed.
            out.append(raw)
            continue
        if language == "ar":
            raw = arabic_singular(raw)
        out.append(stem(raw, language))
    return [w for w in out if w and SAFE_TOKEN.match(w)]


def document_tokens(texts: dict[str, str]) -> str:
    """Index text: each language's text stemmed with its own stemmer, joined."""
    tokens: list[str] = []
    for language in LANGUAGES:
        if texts.get(language):
            tokens.extend(words(texts[language], language))
    return " ".join(tokens)


def query_languages(query: str, language: str | None) -> tuple[str, ...]:
    detected = script_language(query)
    if detected:
        return (detected,)
    if language in ("fr", "en"):
        return (language,)
    return ("fr", "en")

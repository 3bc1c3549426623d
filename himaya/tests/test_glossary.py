"""One term per concept in each language: content/glossary.yaml names the term the content writes
and the variants it must not use; every text of every content file is checked in its language
(the thesaurus, which keeps the variants people type, and the glossary itself excepted)."""

from __future__ import annotations

import re

import pytest

from himaya.tests.test_content_trust import CONTENT, LANGUAGES, _load, content_files, texts

SKIPPED = {CONTENT / "glossary.yaml", CONTENT / "benchbook" / "concepts.yaml"}


def glossary() -> list[dict]:
    return _load(CONTENT / "glossary.yaml")["terms"]


def _pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])", re.IGNORECASE)


def variant_hits(text: str, language: str, terms: list[dict]) -> list[tuple[str, str]]:
    """[(variant found, term to use)] in one text of one language."""
    found = []
    for term in terms:
        for variant in (term.get("avoid") or {}).get(language, []):
            if _pattern(variant).search(text):
                found.append((variant, term["use"][language]))
    return found


def test_the_glossary_names_a_term_in_every_language():
    terms = glossary()
    assert len(terms) >= 5
    for term in terms:
        assert set(term["use"]) == set(LANGUAGES), term["key"]
        for language, variants in (term.get("avoid") or {}).items():
            assert language in LANGUAGES and term["use"][language] not in variants


@pytest.mark.parametrize(
    "text,language,found",
    [
        ("Les violences familiales sont fréquentes.", "fr", "violences familiales"),
        ("قضايا العنف الأسري", "ar", "العنف الأسري"),
        ("an Article 88-3 no-contact order", "en", "no-contact order"),
    ],
)
def test_the_check_finds_a_variant(text, language, found):
    assert [v for v, _use in variant_hits(text, language, glossary())] == [found]


def test_the_check_spares_the_terms_and_the_other_languages():
    terms = glossary()
    assert variant_hits("La violence domestique et l’interdiction de contact.", "fr", terms) == []
    # an English title quoted in a French text is not French wording
    assert variant_hits("a restraining order", "fr", terms) == []


def test_content_uses_one_term_per_concept():
    terms = glossary()
    failures = []
    for path in content_files():
        if path in SKIPPED:
            continue
        for key_path, language, text in texts(_load(path)):
            for variant, use in variant_hits(text, language, terms):
                failures.append(
                    f"{path.relative_to(CONTENT)} :: {key_path} :: «{variant}» → «{use}»"
                )
    assert not failures, f"{len(failures)} variant(s):\n" + "\n".join(failures)

"""The pseudonymised text: each person gets one letter for all their mentions (linked by the
words of their names), the other identifiers a bracketed category."""

from __future__ import annotations

import re

from . import gazetteer as gz
from .engine import Result

LETTERS_FR = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTERS_AR = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"
PLACEHOLDER = {
    "fr": {
        "ADDRESS": "[adresse]",
        "ID_NUMBER": "[n° d’identité]",
        "PHONE": "[téléphone]",
        "EMAIL": "[courriel]",
        "BIRTH_DATE": "[date de naissance]",
        "BANK_ACCOUNT": "[compte bancaire]",
        "PLATE": "[immatriculation]",
        "ORG_IDENTIFYING": "[établissement]",
    },
    "ar": {
        "ADDRESS": "[العنوان]",
        "ID_NUMBER": "[رقم التعريف]",
        "PHONE": "[الهاتف]",
        "EMAIL": "[البريد الإلكتروني]",
        "BIRTH_DATE": "[تاريخ الازدياد]",
        "BANK_ACCOUNT": "[الحساب البنكي]",
        "PLATE": "[رقم اللوحة]",
        "ORG_IDENTIFYING": "[المؤسسة]",
    },
}


def _words(name: str) -> set[str]:
    return {
        gz.norm(w)
        for w in re.findall(r"[\w'’-]+", name)
        if len(w) >= 3 and gz.norm(w) not in gz.particles() and gz.norm(w) != "عبد"
    }


def people(result: Result) -> list[int]:
    """For each PERSON span (in order), the number of the person it names: two mentions that
    share a word of a name are the same person."""
    clusters: list[set[str]] = []
    numbers = []
    for span in result.spans:
        if span.label != "PERSON":
            numbers.append(-1)
            continue
        words = _words(span.text(result.text)) or {gz.norm(span.text(result.text))}
        for i, cluster in enumerate(clusters):
            if cluster & words:
                cluster |= words
                numbers.append(i)
                break
        else:
            clusters.append(set(words))
            numbers.append(len(clusters) - 1)
    return numbers


def render(result: Result) -> str:
    letters = LETTERS_AR if result.lang == "ar" else LETTERS_FR
    placeholders = PLACEHOLDER["ar" if result.lang == "ar" else "fr"]
    out, position = [], 0
    for span, person in zip(result.spans, people(result), strict=True):
        out.append(result.text[position : span.start])
        if span.label == "PERSON":
            letter = letters[person % len(letters)]
            suffix = str(person // len(letters) + 1) if person >= len(letters) else ""
            out.append(f"{letter}{suffix}.")
        else:
            out.append(placeholders[span.label])
        position = span.end
    out.append(result.text[position:])
    return "".join(out)

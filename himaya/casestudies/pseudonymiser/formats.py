"""Identifiers with a format: e-mail, phone, national ID (CIN), passport, RIB and IBAN (with their
check digits), car plates, and birth dates (a date after a birth cue)."""

from __future__ import annotations

import re

from .spans import Span

AR_LETTER = "\u0621-\u064a"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
FOREIGN_PHONE = re.compile(r"(?<![\w+])\+(?!212)\d{1,3}(?:[\s.-]?\d){7,11}(?!\d)")
# Moroccan numbers: 0 then 5, 6 or 7 and eight digits, or +212 / 00212 without the 0; spaces,
# dots or hyphens anywhere between digits.
PHONE = re.compile(
    r"(?<![\d/])(?:(?:\+|00)\s?212[\s.-]?\(?0?\)?[\s.-]?|0)[5-7](?:[\s.-]?\d){8}(?![\d/])"
)
ID_CUE = re.compile(
    r"(?:C\.?\s?I\.?\s?N\.?|carte (?:nationale|d['’]identité)[^\n,;:]{0,30}?|passeport|"
    r"ب\s?\.\s?ت\s?\.\s?و|البطاقة الوطنية|للبطاقة الوطنية|بطاقة وطنية|بطاقة التعريف(?: الوطنية)?|جواز (?:ال)?سفر(?:ه|ها)?|"
    r"titre de séjour|carte de séjour|carte de résident|بطاقة الإقامة|NIE(?:\s+espagnol)?|"
    r"numéro d['’]identité)"
    r"(?:\s+ال[\u0621-\u064a]+ية)?"  # «بطاقة الإقامة الإسبانية رقم …»
    r"\s*(?:n°|nº|no\.?|numéro|رقم|عدد)?\s*[:.]?\s*",
    re.IGNORECASE,
)
ID_VALUE = re.compile(
    # «T 219 455», «GN 11 74 05»: letters, then digits in groups of two or three
    r"[A-Z]{1,2}\s?\d{1,3}(?:\s\d{2,3}){1,3}(?![\w-])"
    r"|(?=[A-Z0-9 ]{0,3}\d)[A-Z0-9]{1,3}\s?[A-Z0-9]{3,10}(?![\w-])"
)
CIN_ALONE = re.compile(r"(?<![\w/-])[A-Z]{1,2}\d{5,6}(?![\w/-])")
IBAN = re.compile(r"(?<![\w])MA\d{2}(?:\s?\d{4}){5}\s?\d{4}(?!\d)")
RIB = re.compile(r"(?<!\d)\d{3}\s?\d{3}\s?\d{16}\s?\d{2}(?!\d)")
RIB_CUE = re.compile(r"(?:RIB|R\.I\.B|compte|الحساب|رقم الحساب|البنكي)", re.IGNORECASE)
PLATE = re.compile(
    rf"(?<![\w/-])\d{{1,6}}\s?[-|/]\s?(?:[A-Z]|[{AR_LETTER}]{{1,2}}|و|هـ)\s?[-|/]\s?\d{{1,2}}(?![\w/-])"
    r"|(?<![\w-])WW[-\s]?\d{5,6}(?!\d)"
    r"|(?<![\w-])[A-Z]{2}-\d{3}-[A-Z]{2}(?![\w-])"  # France
)
PLATE_CUE = re.compile(
    r"(?:immatricul\w*|plaque|véhicule|voiture|لوحة|الترقيم|السيارة)[^\n.;]{0,40}$", re.I
)
PLATE_LOOSE = re.compile(r"(?<![\w-])\d{4}\s?[A-Z]{3}(?![\w-])")  # Spain, only after a cue
MONTHS_FR = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
    "décembre|decembre"
)
MONTHS_AR = "يناير|فبراير|مارس|أبريل|ابريل|ماي|يونيو|يوليوز|غشت|شتنبر|أكتوبر|اكتوبر|نونبر|دجنبر"
DATE = (
    r"\d{1,2}(?:er)?\s+(?:" + MONTHS_FR + r")\s+\d{4}"
    r"|\d{1,2}\s+(?:" + MONTHS_AR + r")\s+\d{4}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{4}"
)
BIRTH = re.compile(
    r"(?:\bné(?:e)?\s+(?:le|en|au cours de l['’]année)|\bdate de naissance\s*:?|"
    r"المزداد(?:ة)?\s+(?:بتاريخ|في|سنة|عام)|من مواليد(?:\s+سنة)?|تاريخ الازدياد\s*:?)\s*"
    r"(?P<date>" + DATE + r")",
    re.IGNORECASE,
)

# A date of birth in words: «née le douze mars mil neuf cent quatre-vingt-huit à Assa»,
# «المزدادة بتاريخ الخامس من أبريل سنة ألفين وثمانية،»: from the cue to the comma (or «à»).
BIRTH_WORDS = re.compile(
    r"\bné(?:e)?\s+le\s+(?P<fr>[a-zà-ÿ-]+(?:\s+[a-zà-ÿ-]+){0,2}\s+(?:" + MONTHS_FR + r")"
    r"(?:\s+[a-zà-ÿ-]+){1,9}?)(?=\s*(?:[,;.()\n]|\sà\s|$))"
    r"|المزداد(?:ة)?\s+(?:بتاريخ|في|يوم)\s+(?P<ar>[^\s\d،,؛;.\n]+(?:\s+[^\s\d،,؛;.\n]+){0,2}\s+"
    r"(?:من\s+)?(?:شهر\s+)?(?:" + MONTHS_AR + r")(?:\s+[^\s\d،,؛;.\n]+){1,7}?)(?=\s*[،,؛;.\n]|\sب)",
    re.IGNORECASE,
)


def rib_key_ok(digits: str) -> bool:
    """A Moroccan RIB: 3 bank, 3 city, 16 account digits and a 2-digit key, key = 97 − (the
    first 22 digits × 100 mod 97)."""
    if len(digits) != 24 or not digits.isdigit():
        return False
    return 97 - (int(digits[:22]) * 100) % 97 == int(digits[22:])


def iban_ok(text: str) -> bool:
    compact = re.sub(r"\s", "", text)
    moved = compact[4:] + compact[:4]
    numeric = "".join(str(int(c, 36)) for c in moved)
    return int(numeric) % 97 == 1


def find(text: str, lang: str) -> list[Span]:
    spans: list[Span] = []
    for m in EMAIL.finditer(text):
        spans.append(Span(m.start(), m.end(), "EMAIL", "format"))
    for m in IBAN.finditer(text):
        if iban_ok(m.group()):
            spans.append(Span(m.start(), m.end(), "BANK_ACCOUNT", "iban"))
    for m in RIB.finditer(text):
        digits = re.sub(r"\s", "", m.group())
        cue = RIB_CUE.search(text[max(0, m.start() - 40) : m.start()])
        if rib_key_ok(digits) or cue:
            spans.append(
                Span(m.start(), m.end(), "BANK_ACCOUNT", "rib" if cue is None else "rib-cue")
            )
    for m in PHONE.finditer(text):
        spans.append(Span(m.start(), m.end(), "PHONE", "format"))
    for m in FOREIGN_PHONE.finditer(text):
        spans.append(Span(m.start(), m.end(), "PHONE", "foreign"))
    for m in ID_CUE.finditer(text):
        value = ID_VALUE.match(text, m.end())
        if value:
            spans.append(Span(value.start(), value.end(), "ID_NUMBER", "id-cue"))
    for m in CIN_ALONE.finditer(text):
        spans.append(Span(m.start(), m.end(), "ID_NUMBER", "cin"))
    for m in PLATE.finditer(text):
        spans.append(Span(m.start(), m.end(), "PLATE", "format"))
    for m in PLATE_LOOSE.finditer(text):
        if PLATE_CUE.search(text[max(0, m.start() - 60) : m.start()]):
            spans.append(Span(m.start(), m.end(), "PLATE", "plate-cue"))
    for m in BIRTH.finditer(text):
        spans.append(Span(m.start("date"), m.end("date"), "BIRTH_DATE", "birth-cue"))
    taken = [(s.start, s.end) for s in spans if s.label == "BIRTH_DATE"]
    for m in BIRTH_WORDS.finditer(text):
        group = "fr" if m.group("fr") else "ar"
        start, end = m.start(group), m.end(group)
        if not any(a < end and start < b for a, b in taken):
            spans.append(Span(start, end, "BIRTH_DATE", "birth-words"))
    return spans

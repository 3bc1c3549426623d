"""Addresses (street level, or douar and commune) and named places that locate a victim (a
school, a shop, a shelter). A city on its own is left visible."""

from __future__ import annotations

import re

from .spans import Span

# French: "demeurant n° 6, rue Erfoud, quartier Oued Eddahab, Errachidia".
FR_CUE = re.compile(
    r"\b(?:demeurant|domicilié(?:e)?|résidant|habitant|sis(?:e)?|résidence habituelle|"
    r"adresse|logeant)\s+(?:à\s+|au\s+|aux\s+|en\s+|:\s*)?",
    re.IGNORECASE,
)
FR_KEYWORDS = re.compile(
    r"\b(?:n°|nº|no\.|numéro|rue|avenue|av\.|boulevard|bd|impasse|allée|place|route|km|"
    r"quartier|qu\.|hay|derb|zenqa|douar|dchar|ksar|lotissement|lot\.|résidence|immeuble|imm\.|"
    r"appartement|appt|app\.|étage|bloc|secteur|cité|villa|lot|commune|cercle|caïdat|province|"
    r"préfecture|arrondissement|bp|boîte postale|sidi|moulay)\b|\d",
    re.IGNORECASE,
)
FR_STREET = re.compile(
    r"(?:\b(?:n°|nº)\s*\d+[a-zA-Z]?\s*,?\s*)?\b(?:rue|avenue|boulevard|bd|impasse|derb|zenqa|"
    r"lotissement|résidence|immeuble|hay|quartier|douar)\s+[^\n,;.()]{2,60}?(?:,\s*|\s+)"
    r"(?:n°|nº|numéro)\s*\d+[a-zA-Z]?",
    re.IGNORECASE,
)
FR_DOUAR = re.compile(
    r"\b(?:douar|dchar|ksar)\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]*(?:\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]*){0,3}"
    r"(?:\s*,\s*(?:commune(?: rurale)?|caïdat|cercle|province)\s+(?:de\s+|d['’])?[A-ZÀ-Ý][\wÀ-ÿ'’-]*"
    r"(?:\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]*){0,3})*"
)
# Arabic: "الساكنة بدرب الملاح زنقة 4 رقم 11 الصويرة" (the glued ب is not part of it).
AR_CUE = re.compile(
    r"(?:الساكن(?:ة)?|القاطن(?:ة)?|المقيم(?:ة)?|عنوانه(?:ا)?|المستقر(?:ة)?)\s*(?:ب|في\s+|:\s*)"
)
AR_STOP = re.compile(
    r"[،,؛;.\n()]|\s(?:و?(?:ينوب|تنوب|مهنته|مهنتها|الهاتف|بريده|بريدها|ب\.ت\.و|رقم بطاقة))"
)
AR_PLACE = re.compile(
    r"(?:دوار|درب|زنقة|شارع|حي|تجزئة|إقامة|اقامة|عمارة|شقة|زقاق|قصر|مدشر)\s+[^\n،,؛;.()]{2,80}"
)
AR_NUMBERED = re.compile(r"رقم\s*\d+")
AR_DOUAR = re.compile(r"(?:دوار|مدشر|قصر)\s+[^\n،,؛;.()]{2,80}")

ORG_FR = re.compile(
    r"\b(?:lycée|collège|école|groupe scolaire|crèche|garderie|boulangerie|pâtisserie|café|"
    r"pharmacie|épicerie|salon(?: de coiffure)?|hammam|association|centre d['’]accueil|"
    r"centre|foyer|maison d['’]accueil|dar|clinique|cabinet|société|snack|restaurant|magasin|"
    r"boutique|hôtel|usine|atelier|coopérative|cybercafé|librairie|agence)\s+"
    r"(?:(?:de\s+|d['’]|du\s+|des\s+|la\s+|le\s+|l['’])?(?:[A-ZÀ-Ý][\wÀ-ÿ'’-]*|Al|El|Ibn|Ben|Ait|Aït)"
    r"(?:\s+(?:[A-ZÀ-Ý][\wÀ-ÿ'’-]*|Al|El|Ibn|Ben|de|du|des|la))*)"
)
ORG_AR = re.compile(
    r"(?:مدرسة|المدرسة|ثانوية|الثانوية|إعدادية|الإعدادية|روض|مقهى|مخبزة|صيدلية|جمعية|مركز|"
    r"دار|محل|متجر|مصحة|شركة|حمام|مطعم|معمل|ورشة|تعاونية|فندق|مقاولة|وكالة|حضانة)\s+"
    r"[^\s،,؛;.()\n]+(?:\s+[^\s،,؛;.()\n]+){0,3}"
)
ORG_AR_STOP = {
    "في",
    "من",
    "على",
    "إلى",
    "الى",
    "عن",
    "حيث",
    "التي",
    "الذي",
    "بعد",
    "قبل",
    "أمام",
    "امام",
    "لمدة",
    "منذ",
    "مع",
    "وأن",
    "وان",
    "كما",
    "ثم",
    "بتاريخ",
}
ORG_AR_GENERIC = {
    "الشرطة",
    "الدرك",
    "القضائية",
    "الاستقبال",
    "التكفل",
    "الاستشفائي",
    "الجامعي",
    "الصحي",
    "الأمن",
    "الأمنية",
    "الوطنية",
    "الاجتماعية",
    "العمومية",
    "العدل",
}


def _fr_address_after_cue(text: str, start: int) -> tuple[int, int] | None:
    """Comma-separated parts after a residence cue, while they look like an address; the last
    part may be the city."""
    end = start
    pos = start
    parts = 0
    while pos < len(text):
        m = re.match(r"[^,;\n()]*", text[pos:])
        part = m.group()
        if not part.strip():
            break
        if FR_KEYWORDS.search(part) or (
            parts and re.match(r"\s*[A-ZÀ-Ý]", part) and len(part) < 40
        ):
            # "Errachidia" ends it; a lowercase word ("tél.", "assisté", a profession) does not.
            if (
                parts
                and not FR_KEYWORDS.search(part)
                and not re.match(r"\s*[A-ZÀ-Ý][\wÀ-ÿ'’-]*(?:\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]*){0,2}\s*$", part)
            ):
                break
            end = pos + len(part)
            parts += 1
            if not FR_KEYWORDS.search(part):
                break  # a city closes the address
            pos = end
            if text[pos : pos + 1] == ",":
                pos += 1
                continue
        break
    return (start, end) if parts else None


def find(text: str, lang: str) -> list[Span]:
    spans: list[Span] = []
    if lang == "ar":
        for m in AR_CUE.finditer(text):
            stop = AR_STOP.search(text, m.end())
            end = stop.start() if stop else len(text)
            if 2 < end - m.end() <= 120:
                spans.append(Span(m.end(), end, "ADDRESS", "ar-cue"))
        for m in AR_PLACE.finditer(text):
            if AR_NUMBERED.search(m.group()) or m.group().startswith(("دوار", "قصر", "مدشر")):
                stop = AR_STOP.search(text, m.start())
                end = min(stop.start() if stop else len(text), m.end())
                spans.append(Span(m.start(), end, "ADDRESS", "ar-place"))
        for m in ORG_AR.finditer(text):
            words = m.group().split()
            kept = [words[0]]
            for word in words[1:]:
                if word in ORG_AR_STOP or word.startswith("ب") and len(kept) > 1:
                    break
                kept.append(word)
            if len(kept) < 2 or all(w in ORG_AR_GENERIC for w in kept[1:]):
                continue
            length = len(" ".join(kept))
            spans.append(Span(m.start(), m.start() + length, "ORG_IDENTIFYING", "ar-org"))
    else:
        for m in FR_CUE.finditer(text):
            found = _fr_address_after_cue(text, m.end())
            if found:
                spans.append(Span(found[0], found[1], "ADDRESS", "fr-cue"))
        for m in FR_STREET.finditer(text):
            spans.append(Span(m.start(), m.end(), "ADDRESS", "fr-street"))
        for m in FR_DOUAR.finditer(text):
            spans.append(Span(m.start(), m.end(), "ADDRESS", "fr-douar"))
        for m in ORG_FR.finditer(text):
            spans.append(Span(m.start(), m.end(), "ORG_IDENTIFYING", "fr-org"))
    return spans

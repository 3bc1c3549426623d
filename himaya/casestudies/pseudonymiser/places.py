"""Addresses (street level, or douar and commune) and named places that locate a victim (a
school, a shop, a shelter). A city on its own is left visible."""

from __future__ import annotations

import re

from . import gazetteer as gz
from .names import _place_word
from .spans import Span

# French: "demeurant n° 6, rue Erfoud, quartier Oued Eddahab, Errachidia".
FR_CUE = re.compile(
    r"\b(?:demeurant|domicilié(?:e)?|résidant|habitant|sis(?:e)?|résidence habituelle|"
    r"adresse|logeant)\s+(?:à\s+|au\s+|aux\s+|en\s+|:\s*)?",
    re.IGNORECASE,
)
FR_KEYWORDS = re.compile(
    r"\b(?:n°|nº|no\.|numéro|rue|avenue|av\.|boulevard|bd|impasse|allée|place|route|km|"
    r"quartier|qu\.|hay|derb|zenqa|zenkat|zankat|douar|dchar|ksar|lotissement|lot\.|résidence|"
    r"immeuble|imm\.|"
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
FR_NUMBER_FIRST = re.compile(
    r"\b(?:n°|nº)\s*\d+[a-zA-Z]?\s*,\s*(?:rue|avenue|boulevard|bd|impasse|derb|lotissement|"
    r"résidence|hay|quartier|immeuble|cité)\b",
    re.IGNORECASE,
)
FR_DOUAR = re.compile(
    r"\b(?:douar|dchar|ksar)\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]*(?:\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]*){0,3}"
    r"(?:\s*,\s*(?:commune(?: rurale)?|caïdat|cercle|province)\s+(?:de\s+|d['’])?[A-ZÀ-Ý][\wÀ-ÿ'’-]*"
    r"(?:\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]*){0,3})*"
)
# Arabic: "الساكنة بدرب الملاح زنقة 4 رقم 11 الصويرة" (the glued ب is not part of it).
AR_CUE = re.compile(
    r"(?:الساكن(?:ة)?|القاطن(?:ة)?|المقيم(?:ة)?|عنوانه(?:ا)?|المستقر(?:ة)?|الكائن(?:ة)?)"
    r"\s*(?:بـ?|في\s+|:\s*)"
)
AR_STOP = re.compile(
    r"[،,؛;.\n()]|\s(?:و?(?:ينوب|تنوب|مهنته|مهنتها|الهاتف|بريده|بريدها|ب\.ت\.و|رقم بطاقة))"
)
AR_PLACE = re.compile(
    r"(?<![\u0621-\u064a\u0671-\u06d3])(?:[وبل]ـ?)?(?P<place>(?:دوار|درب|زنقة|شارع|حي|تجزئة|إقامة|اقامة|عمارة|شقة|زقاق|قصر|مدشر)\s+[^\n،,؛;.()]{2,80})"
)
AR_NUMBERED = re.compile(r"رقم\s*\d+")

ORG_FR = re.compile(
    r"\b(?:lycée|collège|école(?: primaire| publique| privée| maternelle)?|groupe scolaire|"
    r"station d['’]emballage|station de conditionnement|centre de formation|unité de conditionnement|crèche|garderie|boulangerie|pâtisserie|café|"
    r"pharmacie|épicerie|salon(?: de coiffure)?|hammam|association|centre d['’]accueil|"
    r"centre d['’]hébergement|centre de santé(?: urbain| rural| communal)?|dispensaire|"
    r"centre d['’]appels|call center|coopérative(?: féminine| agricole| artisanale)?|"
    r"centre|foyer|maison d['’]accueil|clinique|cabinet|société|snack|restaurant|magasin|"
    r"boutique|hôtel|usine|atelier|coopérative|cybercafé|librairie|agence|conserverie|riad|"
    r"ferme|entreprise|supérette|teinturerie|menuiserie|garage|internat|maison d['’]hôtes)\s+"
    # «centre d’esthétique Lamis», «salon de thé Nour»: what it does, then its name
    r"(?:(?:de|d['’]|du|des)\s*[a-zà-ÿ]{3,}\s+(?=[A-ZÀ-Ý]))?"
    r"(?:(?:de\s+|d['’]|du\s+|des\s+|la\s+|le\s+|l['’])?(?:[A-ZÀ-Ý][\wÀ-ÿ'’-]*|Al|El|Ibn|Ben|Ait|Aït)"
    r"(?:\s+(?:[A-ZÀ-Ý][\wÀ-ÿ'’-]*|Al|El|Ibn|Ben|de|du|des|la))*)"
)
ORG_AR = re.compile(
    r"(?<![\u0621-\u064a\u0671-\u06d3])(?:[وبل]ـ?)?(?P<org>(?:مجموعة مدارس|مدرسة|المدرسة|ثانوية|الثانوية|إعدادية|الإعدادية|مقهى|صالون|"
    r"مخبزة|صيدلية|جمعية|مركز|المركز|دار|محل|متجر|مصحة|شركة|حمام|مطعم|معمل|ورشة|تعاونية|فندق|"
    r"مقاولة|وكالة|مصنع|ضيعة|رياض|مؤسسة|روض|مدرسة)\s+"
    r"[^\s،,؛;.()\n]+(?:\s+[^\s،,؛;.()\n]+){0,4})"
)
# «بـمركز الإيواء التابع لجمعية تافوكت لمناهضة العنف ضد النساء تطبيقا …»: the association names
# the place; up to the punctuation or the next clause.
AR_SHELTER = re.compile(
    r"(?<![\u0621-\u064a\u0671-\u06d3])(?:[وبل]ـ?)?(?P<org>(?:مركز|المركز|دار|بيت|فضاء)"
    r"(?:\s+[^\s،,؛;.()\n]+){0,3}?\s+التابع(?:ة)?\s+ل(?:جمعية|مؤسسة|منظمة|الجمعية)"
    r"(?:\s+(?!(?:تطبيقا|طبقا|قبل|بعد|حيث|منذ|لمدة|إلى|الى|ثم|حتى|وأن|وان|مع)\b)"
    r"[^\s،,؛;.()\n]+){1,7})"
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
    "الإيواء",
    "الاستماع",
    "الخياطة",
    "التعبئة",
    "الإنتاج",
    "التلفيف",
    "الصيانة",
    "المتهم",
    "المتهمة",
    "الضحية",
    "المشتكية",
    "الضيافة",
    "السكنى",
    "الزوجية",
    "العمل",
    "الإقامة",
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
    "الترابي",
    "المذكورة",
    "المذكور",
    "المعنية",
    "المعني",
    "نفسها",
    "نفسه",
    "ذاتها",
    "الخاص",
    "الخاصة",
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
        if part.rstrip().endswith(".") and not re.search(
            r"\b(?:av|bd|imm|app|lot|qu|no)\.$", part.rstrip()
        ):
            part = part.rstrip()[:-1]  # the sentence's full stop is not part of the address
        if not part.strip():
            break
        if FR_KEYWORDS.search(part) or (
            parts and re.match(r"\s*[A-ZÀ-Ý]", part) and len(part) < 40
        ):
            # "Errachidia" ends it; a lowercase word ("tél.", "assisté", a profession) does not.
            if (
                parts
                and not FR_KEYWORDS.search(part)
                and not re.match(
                    r"\s*[A-ZÀ-Ý][\wÀ-ÿ'’-]*(?:\s+(?:[A-ZÀ-Ý][\wÀ-ÿ'’-]*|du|de|des|el))"
                    r"{0,3}\s*$",
                    part,
                )
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


AR_ADDRESS_PART = re.compile(
    r"\s*(?:رقم\s*\d+|حي|زنقة|شارع|درب|تجزئة|إقامة|اقامة|عمارة|شقة|الشقة|زقاق|دوار|جماعة|إقليم|"
    r"عمالة|الطابق|مكرر|بلوك|المجموعة|الزنقة|الشارع|العمارة|الإقامة|التجزئة|قطاع|القطاع|"
    r"المدينة العتيقة|الحي|ملحقة)"
)


def _ar_address_tail(text: str, end: int) -> int:
    """«الساكنة بحي …، رقم 112، مراكش»: the parts after a comma that still belong to the
    address (a number, a street word), and the city that closes it."""
    for _ in range(8):
        if text[end : end + 1] not in ("،", ","):
            break
        rest = text[end + 1 :]
        stop = AR_STOP.search(rest)
        part_end = stop.start() if stop else len(rest)
        part = rest[:part_end]
        city = gz.norm(part.strip()) in gz.cities()
        if not city:
            # «…، تاونات والسيارة التي …»: the city that closes it, then the sentence goes on
            first = part.split()[:1]
            if first and gz.norm(first[0]) in gz.cities() and not AR_ADDRESS_PART.match(part):
                end = end + 1 + (len(part) - len(part.lstrip())) + len(first[0])
                break
        if not (AR_ADDRESS_PART.match(part) or city) or len(part) > 60:
            break
        end = end + 1 + part_end
        if city:
            break
    return end


def _overlapping(pattern: re.Pattern, text: str):
    """Every match, also those starting inside an earlier one («ورشة الخياطة بشركة نسيج …»)."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


def find(text: str, lang: str) -> list[Span]:
    spans: list[Span] = []
    if lang == "ar":
        for m in AR_CUE.finditer(text):
            stop = AR_STOP.search(text, m.end())
            end = stop.start() if stop else len(text)
            place = re.sub(r"^(?:مدينة|بمدينة)\s+", "", text[m.end() : end].strip())
            if gz.norm(place) in gz.cities() or place.startswith(("نفس ", "ذات ")):
                continue  # «الساكن بمدينة أرفود», «الساكن بنفس الدوار»: no address of its own
            if 2 < end - m.end() <= 120:
                spans.append(Span(m.end(), _ar_address_tail(text, end), "ADDRESS", "ar-cue"))
        for m in AR_PLACE.finditer(text):
            place = m.group("place")
            if AR_NUMBERED.search(place) or place.startswith(("دوار", "قصر", "مدشر")):
                following = place.split()[1] if len(place.split()) > 1 else ""
                if gz.norm(following) in gz.stop_ar() or following in ORG_AR_STOP:
                    continue
                if following.endswith(("ها", "ه", "هما")) and not AR_NUMBERED.search(place):
                    continue  # «بدوار والدها»: her father's douar, not named
                stop = AR_STOP.search(text, m.start("place"))
                end = min(stop.start() if stop else len(text), m.end())
                end = _ar_address_tail(text, end)
                spans.append(Span(m.start("place"), end, "ADDRESS", "ar-place"))
        for m in AR_SHELTER.finditer(text):
            spans.append(Span(m.start("org"), m.end("org"), "ORG_IDENTIFYING", "ar-shelter"))
        for m in _overlapping(ORG_AR, text):
            # "بائعة بـمخبزة تيفاوين،", "تلميذة بـالثانوية الإعدادية ابن زيدون،": where she works
            # or studies, named up to the comma.
            clitic = text[m.start() : m.start("org")]
            if clitic.startswith("ب"):
                stop = re.search(
                    r"[،,؛;.\n()]|\sالكائن(?:ة)?\b|\sب(?:حي|مدينة|شارع|زنقة)\b"
                    r"|\s(?:لدى|حيث|منذ|بتاريخ|من أجل)(?![\u0621-\u064a])",
                    text[m.start("org") :],
                )
                end = m.start("org") + (stop.start() if stop else len(text) - m.start("org"))
                words = text[m.start("org") : end].split()
                if (
                    1 < len(words) <= 8
                    and not words[1].startswith(("بال", "لل", "ل", "في"))
                    and not _place_word(words[1])
                    and not all(w in ORG_AR_GENERIC for w in words[1:])
                ):
                    spans.append(
                        Span(m.start("org"), end, "ORG_IDENTIFYING", "ar-org-place-of-work")
                    )
                    continue
            words = m.group("org").split()
            if words[:2] == ["مجموعة", "مدارس"]:
                words = ["مجموعة مدارس", *words[2:]]
            kept = [words[0]]
            if (
                len(words) > 1
                and not words[1].startswith(("ال", "«"))
                and gz.norm(words[1]) not in gz.stop_ar()
                and words[1] not in ORG_AR_STOP
                and not words[1].endswith(("ه", "ها", "هم", "هما"))
                and len(gz.norm(words[1])) >= 3
            ):
                # «محل أوبوهو لمواد البناء», «صالون تازيري للحلاقة والتجميل»: its own name, then
                # what it does
                kept.append(words[1])
                complement = False
                for word in words[2:7]:
                    if word.startswith(("ل", "و")) and gz.norm(word) not in gz.stop_ar():
                        complement = True  # «لمواد», «للحلاقة», «لمناهضة», «والتجميل»
                    elif not (complement and (word.startswith("ال") or word == "ضد")):
                        break  # after «لمناهضة»: «العنف ضد النساء»
                    kept.append(word)
                length = len(" ".join(kept))
                start = m.start("org")
                spans.append(Span(start, start + length, "ORG_IDENTIFYING", "ar-org-named"))
                continue
            for word in words[1:]:
                key = gz.norm(word)
                named = (
                    word.startswith(("ال", "«")) or key in gz.first_names() or key in gz.surnames()
                )
                if (
                    word in ORG_AR_STOP
                    or key in gz.stop_ar()
                    or not (
                        named
                        or (len(kept) == 1 and word in ("ابن", "بن"))
                        or kept[-1] in ("ابن", "بن")
                    )
                ):
                    break
                kept.append(word)
            if (
                len(kept) < 2
                or all(w in ORG_AR_GENERIC for w in kept[1:])
                or kept[1] in ORG_AR_GENERIC
            ):
                continue
            length = len(" ".join(kept))
            start = m.start("org")
            spans.append(Span(start, start + length, "ORG_IDENTIFYING", "ar-org"))
    else:
        for m in FR_CUE.finditer(text):
            found = _fr_address_after_cue(text, m.end())
            if found:
                spans.append(Span(found[0], found[1], "ADDRESS", "fr-cue"))
        for m in FR_NUMBER_FIRST.finditer(text):
            found = _fr_address_after_cue(text, m.start())
            if found:
                spans.append(Span(found[0], found[1], "ADDRESS", "fr-number-first"))
        for m in FR_STREET.finditer(text):
            spans.append(Span(m.start(), m.end(), "ADDRESS", "fr-street"))
        for m in FR_DOUAR.finditer(text):
            spans.append(Span(m.start(), m.end(), "ADDRESS", "fr-douar"))
        for m in ORG_FR.finditer(text):
            spans.append(Span(m.start(), m.end(), "ORG_IDENTIFYING", "fr-org"))
    return spans

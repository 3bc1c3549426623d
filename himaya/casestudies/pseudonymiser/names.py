"""People: names after a cue (a title, a role), names from the gazetteers, names given by the
uploader, and every later mention of a name already found. Titles, role words and clitics glued to
an Arabic name (و، ب، ل، ف، ك) stay outside the span."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from . import gazetteer as gz
from .spans import Span

# --- French --------------------------------------------------------------------------------

FR_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*")
FR_ROLES = {
    "victim": r"la victime|victime\s*:|partie civile\s*:|plaignante\s*:|demanderesse\s*:|l['’]épouse|"
    r"la plaignante|la mineure|intimée\s*:",
    "accused": r"le prévenu|la prévenue|prévenu\s*:|prévenue\s*:|l['’]accusé|accusé\s*:|inculpé\s*:|"
    r"le mis en cause|défendeur\s*:|appelant\s*:|son époux|son mari|son ex-mari|l['’]époux",
}
FR_CUES = re.compile(
    r"(?P<cue>\b(?:M\.|MM\.|Mme|Mmes|Mlle|Me|Maître|Maitre|Dr|Docteur|Pr|Professeur|Monsieur|"
    r"Madame|Mademoiselle|nommée?|dénommée?|prénommée?|surnommée?|dite?|alias|veuve|"
    r"fils\s+de|fille\s+de|la mineure|le mineur|la fillette|"
    r"l['’]enfant|l['’]élève|la jeune|le jeune|l['’]expert|le docteur|le témoin|"
    r"la témoin|témoins?|le greffier|la greffière|l['’]agent|le brigadier|l['’]inspecteur|"
    r"le lieutenant|le commissaire|l['’]officier|l['’]adjudant|le gendarme|"
    r"(?:les?\s+|la\s+)?gardien(?:ne)?s?\s+de\s+la\s+paix|le capitaine|le commandant|"
    r"le sergent|l['’]adjudant-chef|le brigadier-chef|la brigadière|l['’]officière|les agents|l['’]agente|la vendeuse|le vendeur|"
    r"la gérante|le gérant|la directrice|le directeur|l['’]institutrice|l['’]instituteur|"
    r"l['’]interprète|la traductrice|le traducteur|"
    r"la victime|victime\s*:|partie civile\s*:|plaignante\s*:|demanderesse\s*:|demandeur\s*:|"
    r"défendeur\s*:|défenderesse\s*:|appelante?\s*:|intimée?\s*:|prévenue?\s*:|le prévenu|"
    r"la prévenue|l['’]accusée?|accusée?\s*:|inculpée?\s*:|le mis en cause|la mise en cause|"
    r"(?:son|sa|ses|leurs?|le|la|les)\s+(?:époux|épouse|mari|ex-mari|ex-épouse|fils|fille|frère|"
    r"sœur|soeur|père|mère|amie?|voisine?|collègue|cousine?|oncle|tante|beau-père|belle-mère|"
    r"beau-frère|belle-sœur|enfants?|employeur|patron|cheffe?|fiancée?|ex-fiancée?|neveu|nièce|"
    r"grand-mère|grand-père|tuteur|tutrice|conducteur|chauffeur|passagère|passager|"
    r"assistante sociale|assistant social|médecin|gynécologue|psychologue|psychiatre|huissier|"
    r"notaire|adoul|moqaddem|caïd)(?:\s+(?:aînée?|ainée?|cadette?|benjamine?|aîné|cadet))?))(?![A-Za-zÀ-ÖØ-öø-ÿ])\s*[,:]?\s*(?:(?:M\.|Mme|Mlle|Me|Maître|Dr)\s+)?",
    re.IGNORECASE,
)
FR_COORD = re.compile(r"\s*(?:,\s*(?:et\s+)?|\s+et\s+)")


# «Khadijatou», «Fatimetou», «Aminatou»: the Hassani and West African diminutive of a first name.
HASSANI_FIRST_NAME = re.compile(r"[A-Z][a-zà-ÿ]{3,}(?:atou|etou|itou)")
FR_NICKNAME = re.compile(r"\b(?:dite?|surnommée?|alias)\s*«\s*([^»\n]{2,40}?)\s*»", re.IGNORECASE)
FR_FILIATION = {gz.norm(w) for w in ("Ben", "Bent", "Ibn", "Ould", "Mint")}
FR_GIVEN_PARTICLES = {gz.norm(w) for w in ("Sidi", "Moulay", "Lalla")}


def _is_name_token(word: str) -> bool:
    key = gz.norm(word)
    if key in gz.stop_fr():
        return False
    if key in gz.particles():
        return True
    return word[:1].isupper() and len(word) > 1


def _fr_name_at(text: str, pos: int, *, cued: bool) -> tuple[int, int] | None:
    """The name starting at `pos`: capitalised or upper-case words and particles, at most 5,
    separated by one space or a hyphen; it cannot end on a particle."""
    tokens = []
    cursor = pos
    while len(tokens) < 5:
        m = FR_WORD.match(text, cursor)
        if not m or not _is_name_token(m.group()):
            break
        tokens.append((m.start(), m.end(), m.group()))
        cursor = m.end()
        gap = re.match(r" (?=\S)", text[cursor:])
        if not gap:
            break
        cursor += 1
    while tokens and gz.norm(tokens[-1][2]) in gz.particles():
        if (
            len(tokens) >= 3
            and gz.norm(tokens[-1][2]) in FR_GIVEN_PARTICLES
            and gz.norm(tokens[-2][2]) in FR_FILIATION
        ):
            break  # «Mbarka Mint Sidi», «Mohamed Ould Sidi»: Sidi is the father's name here
        tokens.pop()
    if not tokens:
        return None
    start, end = tokens[0][0], tokens[-1][1]
    phrase = gz.norm(text[start:end])
    if phrase in gz.cities() or phrase in gz.stop_fr():
        return None
    if not cued:
        keys = [gz.norm(t[2]) for t in tokens]
        if not any(k in gz.single_word_first_names() and k not in gz.ambiguous() for k in keys):
            # An upper-case surname with a capitalised first name ("KHARBOUCH Abdelouafi").
            upper = [t for t in tokens if t[2].isupper() and len(t[2]) >= 3]
            if not (upper and len(tokens) >= 2):
                return None
    return start, end


def _role(cue: str) -> str:
    for role, pattern in FR_ROLES.items():
        if re.fullmatch(rf"(?:{pattern})\s*[,:]?\s*(?:\S+\s+)?", cue.strip().lower() + " ", re.I):
            return role
        if re.match(pattern, cue.strip(), re.I):
            return role
    return ""


# A place word, then up to three capitalised words (case-sensitive: «la garde de Mahfouda» is
# not a place).
PLACE_BEFORE = re.compile(
    r"(?i:\b(?:hôpital|hopital|avenue|av\.|rue|boulevard|bd|place|quartier|hay|lycée|école|"
    r"collège|mosquée|jardin|hôtel|prison|stade|aéroport|gare|centre|lotissement|résidence|douar|"
    r"arrondissement|district|commissariat|prison|commune|province|caïdat|cercle|ksar|derb|"
    r"zenkat|la|le|les|du|de la|au))\s+"
    r"(?:[A-ZÀ-Ý][\wÀ-ÿ'’-]*\s+){0,3}$"
)
UPPER_PAIR = re.compile(
    r"\b(?:[A-ZÀ-Ý]{3,}(?:[- ][A-ZÀ-Ý]{2,})? [A-ZÀ-Ý][a-zà-ÿ'’-]{2,}"
    r"|[A-ZÀ-Ý][a-zà-ÿ'’-]{2,}(?:[- ][A-ZÀ-Ý][a-zà-ÿ'’-]{2,})? [A-ZÀ-Ý]{3,}(?:[- ][A-ZÀ-Ý]{2,})?)\b"
)
TITLES_FR = {gz.norm(t) for t in ("M", "Mme", "Mlle", "Me", "Maître", "Maitre", "Dr", "Docteur",
             "Monsieur", "Madame", "Mademoiselle", "Pr", "Professeur", "MM", "Mmes")}  # fmt: skip


def find_fr(text: str) -> list[Span]:
    spans: list[Span] = []
    # "LAMHAMDI Abdelkrim", "Yassir OUBELLA": a word in capitals beside a capitalised one.
    for m in UPPER_PAIR.finditer(text):
        words = m.group().replace("-", " ").split()
        start = m.start()
        if gz.norm(words[0]) in TITLES_FR:
            start += len(m.group().split()[0]) + 1
            words = words[1:]
        if len(words) < 2 or any(
            gz.norm(w) in gz.stop_fr() or gz.norm(w) in gz.cities() or gz.norm(w) in TITLES_FR
            for w in words
        ):
            continue
        spans.append(Span(start, m.end(), "PERSON", "fr-upper-pair"))
    for m in FR_NICKNAME.finditer(text):
        spans.append(Span(m.start(1), m.end(1), "PERSON", "fr-nickname"))
    for m in FR_CUES.finditer(text):
        found = _fr_name_at(text, m.end(), cued=True)
        if found:
            spans.append(Span(*found, "PERSON", "fr-cue", _role(m.group("cue"))))
            _fr_coordinated(text, found[1], spans)
    for m in FR_WORD.finditer(text):
        key = gz.norm(m.group())
        if (
            (key in gz.single_word_first_names() or HASSANI_FIRST_NAME.fullmatch(m.group()))
            and key not in gz.ambiguous()
            and m.group()[0].isupper()
        ) or (m.group().isupper() and len(m.group()) >= 3 and key in gz.surnames()):
            start = m.start()
            # A surname written first: "OUHSSAINE Soufiane".
            before = re.search(r"([A-ZÀ-Ý][A-ZÀ-Ý'’-]{2,}) $", text[max(0, start - 40) : start])
            if before and gz.norm(before.group(1)) not in gz.stop_fr():
                start -= len(before.group(1)) + 1
            if PLACE_BEFORE.search(text[max(0, start - 60) : start]):
                continue  # "hôpital Lalla Meryem", "la Fatiha", "avenue Hassan II"
            honorific = re.search(
                r"\b(Moulay|Sidi|Lalla|Moulaye) $", text[max(0, start - 10) : start]
            )
            if honorific:
                start -= len(honorific.group(1)) + 1
            found = _fr_name_at(text, start, cued=True)
            if found:
                spans.append(Span(*found, "PERSON", "fr-gazetteer"))
    return spans


LATIN_SEQUENCE = re.compile(
    r"(?<![A-Za-zÀ-ÿ0-9-])[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]+(?:[ -][A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]+){1,3}(?![\w-])"
)


def latin_in_arabic(text: str) -> list[Span]:
    """In an Arabic decision, two to four capitalised Latin words in a row are a name
    («Claire Fontaine»), unless they are a city, a title or known words."""
    spans = []
    for m in LATIN_SEQUENCE.finditer(text):
        words = m.group().replace("-", " ").split()
        keys = [gz.norm(w) for w in words]
        if (
            any(k in gz.stop_fr() or k in TITLES_FR for k in keys)
            or gz.norm(m.group()) in gz.cities()
        ):
            continue
        if any(k in gz.cities() for k in keys) and not any(k in gz.first_names() for k in keys):
            continue
        spans.append(Span(m.start(), m.end(), "PERSON", "latin-in-arabic"))
    return spans


def _fr_coordinated(text: str, end: int, spans: list[Span]) -> None:
    """ "leurs enfants Sami, né le …, et Douae": first names joined to a cued one."""
    tail = text[end : end + 80]
    for m in re.finditer(r"(?:,|\bet)(?:\s+de|\s+d['’])?\s*([A-ZÀ-Ý][\wÀ-ÿ'’-]+)", tail):
        key = gz.norm(m.group(1))
        if key in TITLES_FR or m.group(1).isupper():
            continue
        if key in gz.single_word_first_names() or (
            key not in gz.stop_fr() and key not in gz.cities() and len(key) >= 3
        ):
            start = end + m.start(1)
            found = _fr_name_at(text, start, cued=True)
            if found:
                spans.append(Span(*found, "PERSON", "fr-coordinated"))


# --- Arabic ----------------------------------------------------------------------------------

AR_WORD = re.compile(r"[\u0621-\u064a\u0670\u0640\u064b-\u0652\u0671-\u06d3]+")
CLITICS = ("و", "ب", "ل", "ف", "ك")
AR_ROLE_VICTIM = ("الضحية", "المشتكية", "المطالبة بالحق المدني", "المطالب بالحق المدني", "المدعية")
AR_ROLE_ACCUSED = ("المتهم", "المتهمة", "المشتكى به", "المشتكى بها", "المدعى عليه", "الظنين")
# Titles: whatever follows is a name. Roles: it is a name only when the first word is a known
# name, or after a colon ("المتهم: …").
AR_TITLES = (
    "السيد",
    "السيدة",
    "الآنسة",
    "الأستاذ",
    "الأستاذة",
    "الاستاذ",
    "الاستاذة",
    "الدكتور",
    "الدكتورة",
    "المسمى",
    "المسماة",
    "المدعو",
    "المدعوة",
    "المسميين",
    "السيدين",
    "السيدتين",
    "الحاج",
    "الحاجة",
    "ذ.",
    "د.",
)
# Roles before a name: the parties, witnesses, professionals, officers.
AR_PARTY_ROLES = (
    "الطبيب", "الطبيبة", "الخبير", "الخبيرة", "المهندس", "المهندسة", "المتهم", "المتهمة", "الضحية",
    "المشتكية", "المشتكي", "المشتكى به", "المشتكى بها", "المطالبة بالحق المدني", "المطالب بالحق المدني",
    "المدعية", "المدعي", "المدعى عليه", "المدعى عليها", "الشاهد", "الشاهدة", "الشاهدين", "الجار",
    "الجارة", "الطفل", "الطفلة", "القاصر", "القاصرة", "الضابط", "مفتش الشرطة",
    "ضابط الشرطة القضائية", "الدركي", "الرقيب", "العون", "كاتب الضبط", "كاتبة الضبط", "الموظف",
    "الموظفة", "المشغل", "مشغلها", "الظنين", "المساعدة الاجتماعية", "المساعد الاجتماعي",
    "الممرضة", "الممرض", "المفوض القضائي", "المعتدي", "المشتكى بهما", "المتهمين", "الطفلين",
)  # fmt: skip
# Family roles: a first name that is also a word («رحمة», «حنان», «نور») is a name after them
# («خالتها رحمة», «أخت المتهم حنان»).
AR_KIN = (
    "شقيق", "شقيقة", "شقيقها", "شقيقه", "شقيقتها", "أخيها", "أخوها", "أخته", "أخاها", "والدها",
    "والدتها", "والده", "والدته", "زوجها", "زوجته", "طليقها", "طليقته", "خطيبها", "خطيبته", "ابنها",
    "ابنتها", "ابنه", "ابنته", "طفليهما", "طفلتها", "طفلها", "أطفالهما", "عمها", "خالها", "جدها",
    "جدتها", "عمتها", "خالتها", "صديقتها", "صديقها", "زميلتها", "زميلها", "ابنتيها", "ابنيها",
    "طفليها", "طفلتيها", "ابنتيه", "ابنيه", "ابنتهما", "ابنهما", "طفلتهما", "طفلهما", "ابنيهما",
    "أبنائها", "بناتها", "أبنائه", "بناته", "الخالة", "العمة", "الجدة", "الأخت", "الأخ", "الابن",
    "الابنة", "الزوجة", "الطليقة", "الطليق",
) + tuple(
    f"{kin} {party}"
    for kin in ("أخت", "أخو", "أخ", "ابنة", "ابن", "زوجة", "والدة", "والد", "خالة", "عمة", "خال",
                "عم", "جدة", "طليقة", "صديقة", "زميلة", "جارة", "جار")
    for party in ("المتهم", "المتهمة", "الضحية", "المشتكية", "المشتكي")
)  # fmt: skip
# A nickname follows: «الملقب بـ«ولد الحاجة»».
AR_NICKNAME = ("الملقب", "الملقبة", "المعروف", "المعروفة", "المكنى", "المكناة")
# «نحن أحمد بابا بوسحاب، قاضي التحقيق»: the judge speaking.
AR_ROLES = AR_PARTY_ROLES + AR_KIN + AR_NICKNAME + ("نحن",)


AR_COMMON_AFTER = {gz.norm(w) for w in ("النية", "السيرة", "السلوك", "الخلق", "الطوية")}
AR_FUNCTION_WORDS = {
    gz.norm(w)
    for w in ("مستشار", "مستشارا", "مستشارة", "مستشارين", "مستشارتين", "رئيس", "رئيسا", "رئيسة",
              "قاض", "قاضيا", "قاضية", "محام", "محاميا", "محامية", "ممثلا", "ممثلة", "كاتب",
              "كاتبا", "كاتبة", "مقرر", "مقررا", "مقررة", "عضوا", "عضوة", "نائبا", "نائبة")
}  # fmt: skip
AR_SAID_OR_LISTED = re.compile(
    r"(?:(?<![\u0621-\u064a])و?(?:صرح|صرحت|أفاد|أفادت|أكد|أكدت|شهد|شهدت|أضاف|أضافت|نفى|نفت|"
    r"اعترف|اعترفت)\s+|(?:^|\n|؛\s*|;\s*)\s*\d{1,2}\s*[-–.)]\s*)"
    r"(?P<name>[\u0621-\u064a]{3,})(?=[\s،,])"
)
AR_BORN = {gz.norm(w) for w in ("المزداد", "المزدادة", "البالغ", "البالغة", "المولود", "المولودة")}
AR_KIN_ADJECTIVES = {
    gz.norm(w)
    for w in ("الصغير", "الصغيرة", "الأصغر", "الصغرى", "الكبير", "الكبيرة", "الأكبر", "الكبرى",
              "البكر", "القاصر", "القاصرة", "الوحيد", "الوحيدة")
}  # fmt: skip
AR_NATIONALITIES = {
    gz.norm(f"{stem}{end}")
    for stem in ("الإسباني", "الفرنسي", "الإيطالي", "البلجيكي", "الهولندي", "الألماني",
                 "الجزائري", "التونسي", "الموريتاني", "السنغالي", "الكونغولي", "الإيفواري",
                 "المالي", "النيجيري", "الأمريكي", "البريطاني", "السوري", "المصري", "الكاميروني",
                 "الغيني", "الليبي", "البرتغالي", "السويسري", "الكندي")
    for end in ("", "ة")
}  # fmt: skip


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_AR_CUE_WORDS = frozenset(gz.norm(w) for w in AR_TITLES + AR_ROLES if " " not in w)
AR_CUES = re.compile(
    rf"(?<![\u0621-\u064a\u0671-\u06d3])(?P<clitic>[وبل])?(?P<cue>{_alternation(AR_TITLES + AR_ROLES)})"
    r"(?![\u0621-\u064a\u0671-\u06d3])\s*(?P<colon>:)?\s*"
)
AR_FILIATION = {"بن", "بنت", "ابن", "ولد", "ايت", "اولاد", "ال", "ابو"}  # «ال» is «آل» normalised
AR_PREPOSITIONS = {
    "في",
    "من",
    "على",
    "الى",
    "عن",
    "مع",
    "حتى",
    "منذ",
    "لدى",
    "عند",
    "بعد",
    "قبل",
    "ان",
    "التي",
    "الذي",
}
AR_HONORIFICS = {"مولاي", "سيدي", "لالة", "للا"}
# "محمد الخامس", "الحسن الثاني": kings' names are streets, hospitals and schools here.
AR_REGNAL = {"الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس"}


def _glued(word: str, known) -> int:
    """How many clitic letters are glued before a known name: «وسلوى» 1, «وبالدكالي» 2; 0 when
    the word is not a name with clitics."""
    for n in (1, 2):
        if (
            len(word) - n >= 3
            and all(c in CLITICS for c in word[:n])
            and gz.norm(word[n:]) in known
        ):
            return n
    return 0


def _strip_clitic(word: str, known: frozenset[str]) -> tuple[int, str]:
    """(length of the glued clitics, the word without them) when the rest is a known name."""
    if gz.norm(word) in known:
        return 0, word
    n = _glued(word, known)
    return n, word[n:]


def _ar_tokens(text: str, pos: int) -> list[tuple[int, int, str]]:
    """The Arabic words from `pos` up to the next punctuation mark or line end."""
    stop = re.search(r"[،,؛;:.\n()«»\"]|\d", text[pos:])
    segment_end = pos + (stop.start() if stop else len(text) - pos)
    return [
        (pos + m.start(), pos + m.end(), m.group()) for m in AR_WORD.finditer(text[pos:segment_end])
    ]


def _looks_amazigh_surname(word: str) -> bool:
    """أكنوش، أوعسو، أقشار، أزواغ: a family name beginning with a hamza on alef, not a verb with
    a pronoun (أخرجها)."""
    return (
        word.startswith("أ")
        and len(word) >= 4
        and not word.endswith(("ها", "هم", "ته", "وا", "نا", "كم"))
        and gz.norm(word) not in gz.stop_ar()
    )


AR_NOT_NAMES = {"رفقة", "اجل", "سعيدة", "حسن", "عادل", "امين", "جميل", "جميلة", "سالم", "كريم"}
AR_PLACE_BEFORE = {
    "قبيلة", "جماعة", "دوار", "حي", "شارع", "زنقة", "مستشفى", "المستشفى", "مدرسة", "اقليم", "مدينة",
    "اولاد", "لاولاد", "باولاد", "ساحة", "مسجد", "ثانوية", "اعدادية", "تجزئة", "اقامة", "قصر",
}  # fmt: skip


def _surname_like(word: str) -> bool:
    """A family name by its shape: a known one, a nisba (البقالي، بلقاسمي), a Moroccan prefix
    (بو، بن، بل، لم), or an Amazigh one (أكنوش)."""
    key = gz.norm(word)
    if key in gz.stop_ar() or len(key) < 3:
        return False
    return (
        key in gz.surnames()
        or (key.startswith("ال") and key.endswith("ي") and len(key) >= 5)
        or key.startswith(("بو", "بن", "بل", "لم"))
        and len(key) >= 5
        or (key.endswith("ي") and len(key) >= 5 and not key.startswith(("ي", "ت", "ن")))
        or _looks_amazigh_surname(word)
    )


def _ar_name(
    tokens: list[tuple[int, int, str]], *, cued: bool, kin: bool = False, party: bool = False
) -> tuple[int, int] | None:
    """The name at the start of `tokens`. `cued`: a title stands before it, so the first word
    may be unknown; otherwise it must be a known first or family name. `kin`: a family role
    stands before it, so a first name that is also a word is a name."""
    names = gz.first_names() | gz.surnames()
    stop = gz.stop_ar() | _AR_CUE_WORDS
    taken: list[tuple[int, int, str]] = []
    after_filiation = False
    for s, e, w in tokens[:6]:
        key = gz.norm(w)
        if key in AR_FUNCTION_WORDS:
            break  # «يوسف بن الطيبي مستشارا»: his function, not his name
        if (
            taken
            and key.startswith("و")
            and key[1:] in gz.single_word_first_names()
            and not any(gz.norm(t[2]) in {"بن", "بنت", "ابن"} for t in taken[-3:])
        ):
            break  # «سعيد آل الحاج ويوسف …»: the next person (but «بن محمد وزهرة»: his mother)
        previous = gz.norm(taken[-1][2]) if taken else ""
        if key in stop and not (previous in AR_FILIATION and key not in AR_PREPOSITIONS):
            break  # but «آيت القاضي» is a family name
        if not taken:
            known = key in gz.single_word_first_names() or key in gz.surnames() or key == "عبد"
            ambiguous = key in gz.ambiguous() or key in AR_NOT_NAMES
            nxt = tokens[1][2] if len(tokens) > 1 else ""
            person_role = party and (
                (gz.norm(nxt).startswith("ال") and gz.norm(nxt) not in AR_COMMON_AFTER)
                or gz.norm(nxt) in AR_FILIATION
            )
            if ambiguous and not (cued or kin or person_role) and not _surname_like(nxt):
                break  # «حياة كريمة», «حسن النية»: words, unless a family name follows
            if not (cued or known):
                break
            taken.append((s, e, w))
            continue
        if previous in AR_FILIATION:
            after_filiation = True
        mother = (
            w.startswith("و")
            and (gz.norm(w[1:]) in gz.first_names() or gz.norm(w[3:]) in gz.first_names())
            and any(gz.norm(t[2]) in {"بن", "بنت", "ابن"} for t in taken[-3:])
        )
        if mother:
            taken.append((s, e, w))  # «بنت المحجوب والعالية الرحالي»: her mother's name
            continue
        if w.startswith(("بال", "لل", "وال", "فال", "كال")) and len(w) > 4:
            break  # «بالعيون», «للمرأة»: a preposition and a noun, not a family name
        if (
            previous in AR_FILIATION
            or previous == "عبد"
            or key in names
            or key in AR_FILIATION
            or (
                key.startswith("ال")
                and len(key) >= 4
                and len(taken) <= 3
                # after a first name («محمد الأمين»), not after a family name («الخراز النشر»)
                and (previous in gz.first_names() or previous in AR_FILIATION or previous == "عبد")
            )
            or _looks_amazigh_surname(w)
            or _surname_like(w)
            # a short family name after a known first name: «فاطوماتا كوني»
            or (
                len(taken) == 1
                and gz.norm(taken[0][2]) in gz.single_word_first_names()
                and key.endswith("ي")
                and len(key) >= 4
            )
            or (after_filiation and len(taken) <= 4)  # "بنت الصديق بلعيد": the family name
            # «السيد يوسف بناني سميرس»: after a title, a double family name
            or (
                cued
                and len(taken) == 2
                and _surname_like(taken[1][2])
                and len(key) >= 4
                and not key.startswith(("ب", "ل", "ف", "ك", "و", "ي", "ت", "ن"))
                and not key.endswith(("ها", "هم", "هما", "ه", "وا"))
            )
        ):
            taken.append((s, e, w))
            continue
        break
    while taken and gz.norm(taken[-1][2]) in AR_FILIATION | {"عبد"}:
        taken.pop()
    if not taken:
        return None
    if any(gz.norm(t[2]) in AR_REGNAL for t in taken):
        return None
    phrase = gz.norm(" ".join(t[2] for t in taken))
    if phrase in gz.cities() or any(gz.norm(t[2]) in gz.cities() for t in taken[:1]):
        return None
    return taken[0][0], taken[-1][1]


def _ar_role(cue: str) -> str:
    cue = cue.strip(" :")
    if any(cue.endswith(r) for r in AR_ROLE_VICTIM):
        return "victim"
    if any(cue.endswith(r) for r in AR_ROLE_ACCUSED):
        return "accused"
    return ""


def find_ar(text: str) -> list[Span]:
    spans: list[Span] = []
    for m in AR_CUES.finditer(text):
        strong = m.group("cue") in AR_TITLES or bool(m.group("colon"))
        kin = m.group("cue") in AR_KIN
        tokens = _ar_tokens(text, m.end())
        if tokens and gz.norm(tokens[0][2]) in AR_KIN_ADJECTIVES:
            tokens = tokens[1:]  # «أخيها الصغير يونس»
        elif tokens and gz.norm(tokens[0][2]) in AR_NATIONALITIES:
            # «زميلتها الإسبانية لوسيا فرنانديث،»: a foreign name, up to three words before the
            # comma, whatever they are (no gazetteer knows them).
            words = []
            for token in tokens[1:4]:
                if gz.norm(token[2]) in gz.stop_ar() | _AR_CUE_WORDS | AR_PREPOSITIONS:
                    break
                words.append(token)
            if words and len(words) < len(tokens):
                spans.append(Span(words[0][0], words[-1][1], "PERSON", "ar-foreign"))
                continue
            tokens, strong = tokens[1:], True
        if m.group("cue") in AR_NICKNAME:
            quoted = re.match(r"\s*(?:ب|بـ)?\s*«([^»\n]{2,40})»", text[m.end() :])
            # or unquoted, glued to «ب»: «الملقب بالشيباني،» (one or two words to the comma)
            bare = re.match(
                r"\s*بـ?([\u0621-\u064a]{3,}(?:\s[\u0621-\u064a]{3,})?)(?=\s*[،,؛;.\n])",
                text[m.end() :],
            )
            found = quoted or bare
            if found:
                start = m.end() + found.start(1)
                spans.append(Span(start, start + len(found.group(1)), "PERSON", "ar-nickname"))
                continue
        party = bool(_ar_role(m.group("cue"))) or m.group("cue").startswith("الشاهد")
        found = _ar_name(tokens, cued=strong, kin=kin, party=party)
        if found:
            spans.append(Span(*found, "PERSON", "ar-cue", _ar_role(m.group("cue"))))
            _ar_coordinated(text, found[1], spans)
    # «وصرح صالح بأن …», «4- صالح، عم الزوج»: a first name that is also a word, after a verb of
    # saying or as an item of a numbered list of people.
    for m in AR_SAID_OR_LISTED.finditer(text):
        word = m.group("name")
        if gz.norm(word) in gz.single_word_first_names():
            found = _ar_name(_ar_tokens(text, m.start("name")), cued=True)
            if found:
                spans.append(Span(*found, "PERSON", "ar-said"))
    known = gz.single_word_first_names()
    for m in AR_WORD.finditer(text):
        glued, word = _strip_clitic(m.group(), known)
        key = gz.norm(word)
        nxt = [w.group() for w in AR_WORD.finditer(text[m.end() : m.end() + 30])][:1]
        ambiguous = key in gz.ambiguous() or key in AR_NOT_NAMES
        born = bool(nxt) and gz.norm(nxt[0]) in AR_BORN  # «وجميلة المزدادة بتاريخ …»
        filiation = bool(nxt) and gz.norm(nxt[0]) in AR_FILIATION  # «سعيد آل الحاج»
        if key in known and (not ambiguous or born or filiation or (nxt and _surname_like(nxt[0]))):
            start = m.start() + glued
            before = text[max(0, start - 20) : start].split()
            if before and _place_word(before[-1]):
                continue  # «قبيلة آيت يحيى», «بشارع محمد الخامس»
            found = _ar_name(_ar_tokens(text, start), cued=True)
            if found:
                spans.append(Span(*found, "PERSON", "ar-gazetteer"))
        elif gz.norm(m.group()[_glued(m.group(), {"عبد"}) :]) == "عبد":
            start = m.start() + _glued(m.group(), {"عبد"})
            found = _ar_name(_ar_tokens(text, start), cued=False)
            if found and found[1] > m.end():
                following = gz.norm(text[m.end() : found[1]].split()[0])
                if following in gz.stop_ar():
                    continue
                spans.append(Span(*found, "PERSON", "ar-abd"))
    spans = [_with_honorific(text, _with_nationality(text, s)) for s in spans]
    cities = _ranges(text, "cities")
    spans = [s for s in spans if s.source == "ar-cue" or not _ar_place_context(text, s, cities)]
    for start, end in _ranges(text, "names"):
        # The compound first name as one token («أحمد بابا»), then what follows it.
        tokens = _ar_tokens(text, start)
        n = sum(1 for t in tokens if t[1] <= end) or 1
        merged = [(tokens[0][0], tokens[n - 1][1], " ".join(t[2] for t in tokens[:n]))]
        found = _ar_name(merged + tokens[n:], cued=True) if tokens else None
        if found:
            spans.append(Span(*found, "PERSON", "ar-compound"))
    return spans


def _with_nationality(text: str, span: Span) -> Span:
    """«مامادو ديالو، السنغالي الجنسية»: the word before «، … الجنسية» still belongs to the
    name, whatever it is."""
    after = re.match(
        r"\s([\u0621-\u064a]{3,})\s*،\s*[\u0621-\u064a]+\s+الجنسية", text[span.end : span.end + 60]
    )
    if after and gz.norm(after.group(1)) not in gz.stop_ar():
        return Span(span.start, span.end + after.end(1), span.label, span.source, span.role)
    return span


def _with_honorific(text: str, span: Span) -> Span:
    """«مولاي عبد السلام العمراوي»: an honorific just before a name belongs to it."""
    before = list(AR_WORD.finditer(text[max(0, span.start - 12) : span.start]))
    if before and gz.norm(before[-1].group()) in AR_HONORIFICS:
        gap = text[max(0, span.start - 12) + before[-1].end() : span.start]
        if gap.strip() == "":
            start = max(0, span.start - 12) + before[-1].start()
            return Span(start, span.end, span.label, span.source, span.role)
    return span


@functools.cache
def _phrases_pattern(kind: str) -> re.Pattern | None:
    """One regex for every multi-word Arabic city, or every multi-word Arabic first name, of the
    gazetteers (on the normalised text)."""
    source = gz.cities() if kind == "cities" else gz.multi_word_first_names()
    phrases = [p for p in source if " " in p and any("\u0600" <= c <= "\u06ff" for c in p)]
    if not phrases:
        return None
    return re.compile(
        rf"(?<![\u0621-\u064a\u0671-\u06d3])(?:[وبلف](?=سيدي|مولاي|لالة|عين|بني|دار|سوق|قصر))?"
        rf"(?P<p>{_alternation(phrases)})(?![\u0621-\u064a\u0671-\u06d3])"
    )


def _ranges(text: str, kind: str) -> list[tuple[int, int]]:
    pattern = _phrases_pattern(kind)
    if pattern is None:
        return []
    # Normalised character by character, with each kept character's place in `text`: removing
    # diacritics and tatweel («لـ») must not shift the offsets.
    kept = [i for i, c in enumerate(text) if not gz.AR_DIACRITICS.match(c)]
    normalised = gz.norm_ar("".join(text[i] for i in kept))
    return [(kept[m.start("p")], kept[m.end("p") - 1] + 1) for m in pattern.finditer(normalised)]


def _ar_place_context(text: str, span: Span, cities: list[tuple[int, int]]) -> bool:
    """A name-like word that is a place: a city («سيدي قاسم»), or after «قبيلة», «مستشفى» …"""
    if gz.norm(span.text(text)) in gz.cities():
        return True
    before = text[max(0, span.start - 20) : span.start].split()
    if before and _place_word(before[-1]):
        return True
    return any(a < span.end and span.start < b for a, b in cities)


def _place_word(word: str) -> bool:
    """«شارع», «بشارع», «وبمستشفى»: a place word, with or without glued clitics."""
    key = gz.norm(word)
    return any(
        key[n:] in AR_PLACE_BEFORE for n in (0, 1, 2) if n == 0 or key[:n].strip("وبلف") == ""
    )


def _ar_coordinated(text: str, end: int, spans: list[Span]) -> None:
    """ "طفليهما زياد وسلوى": a first name glued to و right after a cued one."""
    m = re.match(r"\s*(?:،\s*)?و([\u0621-\u064a\u0671-\u06d3]+)", text[end : end + 40])
    if m and gz.norm(m.group(1)) in gz.single_word_first_names():
        start = end + m.start(1)
        found = _ar_name(_ar_tokens(text, start), cued=True)
        if found:
            spans.append(Span(*found, "PERSON", "ar-coordinated"))


# --- every mention of a name already found, and names given at upload -----------------------


AR_COMMON_BEFORE = {"كل", "بكل", "بلا", "دون", "بدون", "اي", "حياة", "عيش", "من", "في", "مع", "على"}


def ambiguous_keys(text: str, spans: Iterable[Span]) -> set[str]:
    """Ambiguous first names (أمل، نور، رحمة) that this document uses as a person's name: they
    are masked where they stand alone too, unless the words around make them a common word."""
    keys = set()
    for span in spans:
        if span.label != "PERSON":
            continue
        for word in re.findall(r"[\w'’-]+", span.text(text)):
            key = gz.norm(word)
            if key in gz.ambiguous() or key in AR_NOT_NAMES:
                keys.add(key)
    return keys


def name_keys(text: str, spans: Iterable[Span]) -> set[str]:
    """The words of the names found that can stand alone (not particles, not 'عبد X' halves,
    not stop words), normalised."""
    keys = set()
    for span in spans:
        if span.label != "PERSON":
            continue
        words = re.findall(r"[\w'’-]+", span.text(text))
        for i, word in enumerate(words):
            key = gz.norm(word)
            if len(key) < 3 or key in gz.particles() or key in gz.stop_fr() or key in gz.stop_ar():
                continue
            if i > 0 and gz.norm(words[i - 1]) == "عبد":
                continue  # "الحق" of "عبد الحق" is not a name on its own (بالحق المدني)
            if key == "عبد" or key in gz.cities() or key in gz.ambiguous():
                continue
            keys.add(key)
    return keys


def mentions(
    text: str, keys: set[str], lang: str, ambiguous: set[str] | frozenset = frozenset()
) -> list[Span]:
    """Every word of `text` equal to a name word (an Arabic one also with a glued clitic); an
    ambiguous name only where it does not read as a common word («فقدت كل أمل», «حسن النية»)."""
    spans = []
    if lang == "ar" and ambiguous:
        for m in AR_WORD.finditer(text):
            key = gz.norm(m.group())
            if key not in ambiguous:
                continue
            before = text[max(0, m.start() - 15) : m.start()].split()
            after = text[m.end() : m.end() + 15].split()
            previous = gz.norm(before[-1]) if before else ""
            if previous[:1] in CLITICS and previous[1:] in AR_COMMON_BEFORE:
                previous = previous[1:]  # «لأي حياة»
            nxt = gz.norm(after[0]) if after else ""
            if (
                previous in AR_COMMON_BEFORE
                or (nxt.startswith("ال") and not _surname_like(after[0]))
                # «حياة زوجية», «أمل كبير»: an adjective, not a family name
                or (nxt.endswith("ة") and nxt not in gz.first_names() and nxt not in gz.surnames())
            ):
                continue
            spans.append(Span(m.start(), m.end(), "PERSON", "mention"))
    if lang != "ar" and ambiguous:
        # «Hiba», «Rahma» found in a name: capitalised inside a sentence, it is her again.
        for m in FR_WORD.finditer(text):
            if gz.norm(m.group()) not in ambiguous or not m.group()[0].isupper():
                continue
            before = text[max(0, m.start() - 3) : m.start()].rstrip()
            if not before or before[-1] in '.!?:;\n«"':
                continue
            if PLACE_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
                continue
            spans.append(Span(m.start(), m.end(), "PERSON", "mention"))
    pattern = AR_WORD if lang == "ar" else FR_WORD
    for m in pattern.finditer(text):
        word = m.group()
        key = gz.norm(word)
        if lang == "ar":
            after = text[m.end() : m.end() + 12].split()
            if after and gz.norm(after[0]) in AR_REGNAL:
                continue
        elif key in keys and (
            re.match(r"\s+[IVX]{1,4}\b", text[m.end() : m.end() + 6])
            or PLACE_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
        ):
            continue  # «boulevard Mohammed V», «lycée Ibn Khaldoun»: a place, not the person
        if lang != "ar" and key not in keys:
            # «El Hassani» for «ELHASSANI», «Elhassani» for «El Hassani»
            particle = re.search(
                r"\b(El|Al|Ben|Bel|Ibn|Ait|Aït|Bou|Abou)[ -]$",
                text[max(0, m.start() - 5) : m.start()],
            )
            if particle and gz.norm(particle.group(1) + word) in keys:
                spans.append(Span(m.start() - len(particle.group(0)), m.end(), "PERSON", "mention"))
                continue
            glued = re.match(r"(El|Al|Ben|Bel|Ibn|Bou)(?=[A-Za-zÀ-ÿ])", word, re.IGNORECASE)
            if glued and gz.norm(word[len(glued.group(1)) :]) in keys and len(word) > 6:
                spans.append(Span(m.start(), m.end(), "PERSON", "mention"))
                continue
        if key in keys:
            start = m.start()
            before = re.search(r"(?:^|\s)(\S+) $", text[max(0, start - 12) : start])
            if before and gz.norm(before.group(1)) in gz.particles() | {"mint", "ould"}:
                start -= len(before.group(1)) + 1
            spans.append(Span(start, m.end(), "PERSON", "mention"))
        elif lang == "ar" and (glued := _glued(word, keys)):
            spans.append(Span(m.start() + glued, m.end(), "PERSON", "mention"))
        elif lang != "ar" and ("'" in word or "’" in word):
            # "d'Ouhssaine": the elided article is not part of the name.
            head, _sep, rest = word.replace("’", "'").partition("'")
            if len(head) <= 2 and gz.norm(rest) in keys:
                spans.append(Span(m.start() + len(head) + 1, m.end(), "PERSON", "mention"))
    return spans


def parties(text: str, names: Iterable[str]) -> list[Span]:
    """The names given at upload, masked everywhere: whole names in any case, accents or
    spacing, and each of their words on its own."""
    spans = []
    folded = _fold(text)
    for name in names:
        name = name.strip()
        if not name:
            continue
        target = _fold(name)
        for m in re.finditer(rf"(?<!\w){re.escape(target)}(?!\w)", folded):
            spans.append(Span(m.start(), m.end(), "PERSON", "party"))
    return spans


def _fold(text: str) -> str:
    """Case, accents and Arabic letter forms folded, one character for one, so offsets hold."""
    out = []
    for c in text:
        f = gz.norm(c)
        out.append(f if len(f) == 1 else c.lower())
    return "".join(out)


def outside_places(text: str, spans: list[Span]) -> list[Span]:
    """The spans that are not a place's name («سيدي قاسم», «قبيلة آيت يحيى»)."""
    cities = _ranges(text, "cities")
    return [s for s in spans if not _ar_place_context(text, s, cities)]

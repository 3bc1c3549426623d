"""Text normalisation shared by the imports (tolerant matching of spellings) and the bench-book
search analyzer, so that both treat accents, Arabic letter forms and digits alike."""

import re
import unicodedata

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_FORMS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_SPACES = re.compile(r"[\s\-_'’.]+")


def normalise(text: str) -> str:
    """Unicode NFKC, lower case, Arabic diacritics and tatweel removed, alef/ya/ta marbuta forms
    unified, Arabic-Indic digits made ASCII, Latin accents removed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(_DIGITS).lower()
    text = _ARABIC_MARKS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_ARABIC_FORMS)
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(
        c for c in decomposed if not (unicodedata.category(c) == "Mn" and ord(c) < 0x0600)
    )
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """normalise(), then spaces, hyphens, dots and apostrophes collapsed into one space:
    'Fès-Meknès' and 'fes meknes' fold alike."""
    return _SPACES.sub(" ", normalise(str(text))).strip()


# Bidirectional isolation in plain text (e-mails, file names, spreadsheet cells), where no <bdi>
# exists: FIRST STRONG / LEFT-TO-RIGHT / RIGHT-TO-LEFT ISOLATE ... POP DIRECTIONAL ISOLATE.
FSI, LRI, RLI, PDI = "\u2068", "\u2066", "\u2067", "\u2069"
_ISOLATES = {"auto": FSI, "ltr": LRI, "rtl": RLI}

# Law, article and resolution numbers: 103.13, 1-323, 82-5-2, 503-1-1, 4-c, 65/228, with the
# sign that introduces them (n° 103.13, art. 12, رقم 103.13), so a line never breaks inside one.
LAW_NUMBER = re.compile(
    r"(?<![\w.\-/])(?:(?:n°|N°|art\.|Art\.|رقم)[ \u00a0\u202f])?"
    r"(?:\d+(?:[.\-/]\d+)+(?:-[a-z](?![\w]))?|\d+-[a-z](?![\w]))(?![\w\-/]|\.\d)"
)


def isolate(text, direction: str = "auto") -> str:
    """The text wrapped in Unicode isolates, for plain text where a Latin name, an e-mail or a
    number sits inside an Arabic sentence (or the other way round). HTML uses <bdi> instead."""
    text = "" if text is None else str(text)
    if not text:
        return text
    return f"{_ISOLATES[direction]}{text}{PDI}"


def law_numbers(text: str) -> list[tuple[int, int]]:
    """(start, end) of every law or article number in a text."""
    return [m.span() for m in LAW_NUMBER.finditer(text or "")]


_TAG = re.compile(r"(<[^>]*>)")


def keep_numbers_together(text):
    """HTML in which every law or article number sits in ``<span class="nobreak">`` (CSS
    ``white-space: nowrap``): a line never breaks inside «103.13» or «82-5-2», and the characters
    stay as typed (no U+2011 hyphen), so search and copy still find them. Plain text is escaped
    first; in safe HTML only the text between the tags is touched."""
    if text is None:
        return mark_safe("")
    html = str(text) if isinstance(text, SafeString) else str(conditional_escape(text))
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):  # even parts are text, odd parts are tags
        parts[i] = LAW_NUMBER.sub(r'<span class="nobreak">\g<0></span>', parts[i])
    return mark_safe("".join(parts))  # noqa: S308 - the text was escaped, the tags were safe


# The Arabic month names used in Morocco (and by its courts), January to December. Django's
# Arabic catalogue has the Mashriqi names (ديسمبر، أغسطس…); himaya/core/locale_months overrides
# every form Django formats dates with (F, M, N, E, b).
MOROCCAN_MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
)

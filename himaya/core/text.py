"""Text normalisation shared by the imports (tolerant matching of spellings) and the bench-book
search analyzer, so that both treat accents, Arabic letter forms and digits alike."""

import re
import unicodedata

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

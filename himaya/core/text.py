"""Text helpers shared by imports and search: folding for tolerant matching."""

import re
import unicodedata

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_SPACES = re.compile(r"[\s\-_'’.]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and Arabic diacritics/tatweel, unify alef forms, collapse
    spaces, hyphens and apostrophes. 'Fès-Meknès' and 'fes meknes' fold alike."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    text = _ARABIC_DIACRITICS.sub("", text)
    text = text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ٱ", "ا")
    text = text.replace("ى", "ي").replace("ة", "ه")
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", text).strip()

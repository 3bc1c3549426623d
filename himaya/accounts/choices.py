"""Closed vocabularies of the participant profile, with every spelling the import accepts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    TRAINER = "trainer", _("Trainer")
    PARTICIPANT = "participant", _("Participant")


class Gender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Function(models.TextChoices):
    JUDGE = "judge", _("Judge")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    INVESTIGATING_JUDGE = "investigating_judge", _("Investigating judge")
    JUVENILE_JUDGE = "juvenile_judge", _("Juvenile judge")
    CLERK = "clerk", _("Court clerk")
    SOCIAL_WORKER = "social_worker", _("Social worker of a court unit")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    """The 12 regions of Morocco (2015 division); labels are the official French names."""

    TANGER_TETOUAN_AL_HOCEIMA = "tanger-tetouan-al-hoceima", "Tanger-Tétouan-Al Hoceïma"
    ORIENTAL = "oriental", "L'Oriental"
    FES_MEKNES = "fes-meknes", "Fès-Meknès"
    RABAT_SALE_KENITRA = "rabat-sale-kenitra", "Rabat-Salé-Kénitra"
    BENI_MELLAL_KHENIFRA = "beni-mellal-khenifra", "Béni Mellal-Khénifra"
    CASABLANCA_SETTAT = "casablanca-settat", "Casablanca-Settat"
    MARRAKECH_SAFI = "marrakech-safi", "Marrakech-Safi"
    DRAA_TAFILALET = "draa-tafilalet", "Drâa-Tafilalet"
    SOUSS_MASSA = "souss-massa", "Souss-Massa"
    GUELMIM_OUED_NOUN = "guelmim-oued-noun", "Guelmim-Oued Noun"
    LAAYOUNE_SAKIA_EL_HAMRA = "laayoune-sakia-el-hamra", "Laâyoune-Sakia El Hamra"
    DAKHLA_OUED_ED_DAHAB = "dakhla-oued-ed-dahab", "Dakhla-Oued Ed-Dahab"


REGION_NAMES_AR = {
    Region.TANGER_TETOUAN_AL_HOCEIMA: "طنجة تطوان الحسيمة",
    Region.ORIENTAL: "الشرق",
    Region.FES_MEKNES: "فاس مكناس",
    Region.RABAT_SALE_KENITRA: "الرباط سلا القنيطرة",
    Region.BENI_MELLAL_KHENIFRA: "بني ملال خنيفرة",
    Region.CASABLANCA_SETTAT: "الدار البيضاء سطات",
    Region.MARRAKECH_SAFI: "مراكش آسفي",
    Region.DRAA_TAFILALET: "درعة تافيلالت",
    Region.SOUSS_MASSA: "سوس ماسة",
    Region.GUELMIM_OUED_NOUN: "كلميم واد نون",
    Region.LAAYOUNE_SAKIA_EL_HAMRA: "العيون الساقية الحمراء",
    Region.DAKHLA_OUED_ED_DAHAB: "الداخلة وادي الذهب",
}


def region_label(code: str, language: str) -> str:
    """A region's official name in the reader's script: Arabic for ar, French otherwise."""
    if not code:
        return ""
    if language == "ar":
        return REGION_NAMES_AR.get(code, code)
    try:
        return Region(code).label
    except ValueError:
        return code


# Feminine forms of the functions, for the lists and exports (a woman judge reads «قاضية»).
FEMININE_FUNCTION_LABELS = {
    Function.JUDGE: _("Judge (woman)"),
    Function.PROSECUTOR: _("Prosecutor (woman)"),
    Function.INVESTIGATING_JUDGE: _("Investigating judge (woman)"),
    Function.JUVENILE_JUDGE: _("Juvenile judge (woman)"),
    Function.CLERK: _("Court clerk (woman)"),
    Function.SOCIAL_WORKER: _("Social worker of a court unit (woman)"),
}


def function_label(code: str, gender: str = "") -> str:
    """A function in the active language, in its feminine form for a woman where the
    language has one (Greffière, قاضية); "" for no function."""
    if not code:
        return ""
    if gender == Gender.FEMALE and code in FEMININE_FUNCTION_LABELS:
        return str(FEMININE_FUNCTION_LABELS[code])
    try:
        return str(Function(code).label)
    except ValueError:
        return code


def gender_label(code: str) -> str:
    try:
        return str(Gender(code).label) if code else ""
    except ValueError:
        return code


# Extra spellings accepted on import, compared after core.text.fold (case, accents, Arabic
# letter forms, tatweel and diacritics do not matter; an Arabic word is also accepted with
# the article ال). The choice labels in fr, ar and en are accepted as well.
GENDER_ALIASES = {
    Gender.FEMALE: [
        "f",
        "female",
        "woman",
        "femme",
        "feminin",
        "féminin",
        "feminine",
        "madame",
        "mme",
        "أنثى",
        "انثى",
        "امرأة",
        "سيدة",
    ],
    Gender.MALE: [
        "m",
        "h",  # French sheets write F/H
        "male",
        "man",
        "homme",
        "masculin",
        "masculine",
        "monsieur",
        "mr",
        "ذكر",
        "رجل",
        "سيد",
    ],
}
# Masculine or epicene spellings: they say nothing about the person's gender.
FUNCTION_ALIASES = {
    Function.JUDGE: [
        "judge",
        "juge",
        "magistrat",
        "magistrat du siège",
        "juge du siège",
        "قاض",
        "قاضي",
        "قاضي الحكم",
    ],
    Function.PROSECUTOR: [
        "prosecutor",
        "public prosecutor",
        "deputy prosecutor",
        "procureur",
        "procureur du roi",
        "substitut",
        "substitut du procureur",
        "substitut du procureur du roi",
        "substitut(e) du procureur",
        "substitut(e) du procureur du roi",
        "magistrat du parquet",
        "parquet",
        "ministère public",
        "وكيل الملك",
        "نائب وكيل الملك",
        "الوكيل العام للملك",
        "نائب الوكيل العام للملك",
        "النيابة العامة",
        "قاضي النيابة العامة",
        "عضو النيابة العامة",
    ],
    Function.INVESTIGATING_JUDGE: [
        "investigating judge",
        "examining magistrate",
        "juge d'instruction",
        "magistrat instructeur",
        "قاضي التحقيق",
        "قاض التحقيق",
    ],
    Function.JUVENILE_JUDGE: [
        "juvenile judge",
        "juge des mineurs",
        "juge des enfants",
        "juge pour enfants",
        "قاضي الأحداث",
        "قاضي القاصرين",
    ],
    Function.CLERK: [
        "clerk",
        "court clerk",
        "greffier",
        "greffier en chef",
        "secrétaire greffier",
        "كاتب الضبط",
        "كاتب ضبط",
        "رئيس كتابة الضبط",
    ],
    Function.SOCIAL_WORKER: [
        "social worker",
        "social worker of a court unit",
        "assistant social",
        "assistant(e) social(e)",
        "مساعد اجتماعي",
        "مساعد(ة) اجتماعي(ة)",
    ],
    Function.OTHER: ["other", "autre", "autres", "أخرى", "آخر"],
}
# Feminine spellings: the function, and the person is a woman (the import may fill an empty
# gender from them).
FUNCTION_FEMININE_ALIASES = {
    Function.JUDGE: [
        "woman judge",
        "magistrate du siège",
        "قاضية",
        "قاضية الحكم",
    ],
    Function.PROSECUTOR: [
        "procureure",
        "procureure du roi",
        "substitute du procureur",
        "substitute du procureur du roi",
        "magistrate du parquet",
        "وكيلة الملك",
        "نائبة وكيل الملك",
        "الوكيلة العامة للملك",
        "نائبة الوكيل العام للملك",
        "قاضية النيابة العامة",
        "عضوة النيابة العامة",
    ],
    Function.INVESTIGATING_JUDGE: ["magistrate instructrice", "قاضية التحقيق"],
    Function.JUVENILE_JUDGE: ["قاضية الأحداث", "قاضية القاصرين"],
    Function.CLERK: [
        "greffière",
        "greffière en chef",
        "secrétaire greffière",
        "كاتبة الضبط",
        "كاتبة ضبط",
        "رئيسة كتابة الضبط",
    ],
    Function.SOCIAL_WORKER: [
        "assistante sociale",
        "مساعدة اجتماعية",
    ],
}
# Other ways of writing a region's name (the French and Arabic official names, the code, and
# "Région de …" / "جهة …" prefixes are accepted anyway).
REGION_ALIASES = {
    Region.ORIENTAL: ["oriental", "région orientale", "الجهة الشرقية", "جهة الشرق"],
    Region.DAKHLA_OUED_ED_DAHAB: ["dakhla oued eddahab", "dakhla oued dahab", "الداخلة واد الذهب"],
    Region.GUELMIM_OUED_NOUN: ["guelmim oued noun", "كلميم وادي نون"],
    Region.LAAYOUNE_SAKIA_EL_HAMRA: ["laayoune sakia al hamra", "layoune sakia el hamra"],
    Region.TANGER_TETOUAN_AL_HOCEIMA: ["tanger tetouan alhoceima", "tangier tetouan al hoceima"],
    Region.DRAA_TAFILALET: ["draa tafilalt"],
}
LANGUAGE_ALIASES = {
    "fr": ["fr", "french", "français", "francais", "الفرنسية", "فرنسية"],
    "ar": ["ar", "arabic", "arabe", "العربية", "عربية"],
    "en": ["en", "english", "anglais", "الإنجليزية", "الانجليزية", "إنجليزية"],
}

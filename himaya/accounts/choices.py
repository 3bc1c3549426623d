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


# Extra spellings accepted on import (folded with core.text.fold before comparison).
GENDER_ALIASES = {
    Gender.FEMALE: ["f", "female", "woman", "femme", "feminin", "féminin", "أنثى", "انثى", "امرأة"],
    Gender.MALE: ["m", "male", "man", "homme", "masculin", "ذكر", "رجل"],
}
FUNCTION_ALIASES = {
    Function.JUDGE: ["judge", "juge", "magistrat du siège", "قاض", "قاضي", "القاضي"],
    Function.PROSECUTOR: [
        "prosecutor",
        "public prosecutor",
        "procureur",
        "substitut du procureur",
        "magistrat du parquet",
        "parquet",
        "وكيل الملك",
        "نائب وكيل الملك",
        "النيابة العامة",
        "قاضي النيابة العامة",
    ],
    Function.INVESTIGATING_JUDGE: [
        "investigating judge",
        "juge d'instruction",
        "قاضي التحقيق",
    ],
    Function.JUVENILE_JUDGE: [
        "juvenile judge",
        "juge des mineurs",
        "juge des enfants",
        "قاضي الأحداث",
        "قاضي القاصرين",
    ],
    Function.CLERK: ["clerk", "court clerk", "greffier", "greffière", "كاتب الضبط", "كاتبة الضبط"],
    Function.SOCIAL_WORKER: [
        "social worker",
        "social worker of a court unit",
        "assistant social",
        "assistante sociale",
        "assistant(e) social(e)",
        "مساعد اجتماعي",
        "مساعدة اجتماعية",
        "المساعد الاجتماعي",
        "المساعدة الاجتماعية",
    ],
    Function.OTHER: ["other", "autre", "autres", "أخرى", "اخرى", "آخر"],
}
LANGUAGE_ALIASES = {
    "fr": ["fr", "french", "français", "francais", "الفرنسية", "فرنسية"],
    "ar": ["ar", "arabic", "arabe", "العربية", "عربية"],
    "en": ["en", "english", "anglais", "الإنجليزية", "الانجليزية", "إنجليزية"],
}

"""Builders of a small bench book for tests (the full corpus is tested through load_content)."""

from himaya.benchbook import search
from himaya.benchbook.models import Concept, Instrument, Provision


def instrument(key="ma-penal-code", **kwargs):
    values = {
        "kind": "code",
        "jurisdiction": "morocco",
        "title_fr": "Code pénal",
        "title_ar": "مجموعة القانون الجنائي",
        "title_en": "Penal Code",
        "short_title_fr": "Code pénal",
        "morocco_status": "national",
        "verification": "verified",
        **kwargs,
    }
    return Instrument.objects.create(key=key, **values)


def provision(
    inst,
    number,
    *,
    fr="",
    ar="",
    en="",
    title_fr="",
    title_ar="",
    title_en="",
    aliases=(),
    concepts=(),
    **kwargs,
):
    p = Provision.objects.create(
        key=f"{inst.key}:{number}" if number else inst.key,
        instrument=inst,
        number=number,
        aliases=list(aliases),
        title_fr=title_fr or f"Article {number}",
        title_ar=title_ar,
        title_en=title_en,
        summary_fr=fr,
        summary_ar=ar,
        summary_en=en,
        verification=kwargs.pop("verification", "verified"),
        **kwargs,
    )
    if concepts:
        p.concepts.set(concepts)
    return p


def concept(key, fr, ar, en, label=None):
    c = Concept.objects.create(
        key=key, label_fr=label or fr[0], terms={"fr": fr, "ar": ar, "en": en}
    )
    search.thesaurus_changed()
    return c


def small_corpus():
    pc = instrument()
    protection = concept(
        "protection-order",
        ["ordonnance de protection", "interdiction de contact", "mesure d'éloignement"],
        ["أمر الحماية", "منع الاتصال بالضحية"],
        ["protection order", "restraining order", "no-contact order"],
    )
    harassment = concept(
        "sexual-harassment",
        ["harcèlement sexuel", "harceler"],
        ["التحرش الجنسي", "تحرش"],
        ["sexual harassment", "harass"],
    )
    items = {
        "88-1": provision(
            pc,
            "88-1",
            aliases=["1-88"],
            title_fr="Interdiction de contacter la victime après condamnation",
            title_ar="منع المحكوم عليه من الاتصال بالضحية",
            title_en="Ban on contacting the victim after conviction",
            fr="La juridiction peut interdire au condamné de contacter ou d'approcher la victime pendant cinq ans au plus.",
            ar="يمكن للمحكمة أن تمنع المحكوم عليه من الاتصال بالضحية أو الاقتراب منها لمدة لا تتجاوز خمس سنوات.",
            en="The court may ban the convicted person from contacting or approaching the victim for up to five years.",
            concepts=[protection],
            forms=["physical", "psychological"],
            stages=["sentencing"],
        ),
        "503-1-1": provision(
            pc,
            "503-1-1",
            aliases=["1-1-503"],
            title_fr="Harcèlement sexuel dans l'espace public",
            title_ar="التحرش الجنسي في الفضاءات العمومية",
            title_en="Sexual harassment in public spaces",
            fr="Est puni celui qui harcèle autrui par des actes, paroles ou messages électroniques à caractère sexuel.",
            ar="يعاقب من أمعن في مضايقة الغير بأفعال أو أقوال أو رسائل إلكترونية ذات طبيعة جنسية.",
            en="Persistently harassing someone with sexual acts, words or electronic messages is punished.",
            concepts=[harassment],
            forms=["harassment", "sexual"],
            stages=["trial_evidence"],
        ),
        "486": provision(
            pc,
            "486",
            title_fr="Viol",
            title_ar="الاغتصاب",
            title_en="Rape",
            fr="Le viol est l'acte par lequel un homme a des relations sexuelles avec une femme contre son gré.",
            ar="الاغتصاب هو مواقعة رجل لامرأة بدون رضاها.",
            en="Rape is a man having sexual relations with a woman against her will.",
            forms=["sexual"],
            stages=["trial_evidence"],
        ),
    }
    search.reindex()
    return items

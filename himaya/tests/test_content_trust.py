"""Reader trust in the content files: no research marks, one article numbering per language.

Judges and prosecutors read every text under content/ (bench book, curriculum, questions, case
studies, tools). These tests read the YAML files directly (no database):

- no internal label or research mark ("[verified]", "AR text", "Reference §3.8", "our reference",
  "the reference gives no further detail", document-sharing websites…) in any text;
- articles added to the codes (Penal Code 88-1, CPP 82-5-2…) are written the official way in
  French and Arabic, suffix first (« article 1-88 », « الفصل 1-88 », « المادة 2-5-82 »), and in the
  English order in English ("Article 88-1", "82-5-2"). The added numbers are those of the bench
  book's provisions (`number:` with a dash); law numbers (103-13), decrees (2-18-856), dates and
  file numbers are not article numbers and are left alone.

Each failure names the file, the key path of the text and the offending words. The checks are
tested first on hand-written strings (the `test_*_finds` / `test_*_spares` cases below)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "content"
LANGUAGES = ("fr", "ar", "en")

# --- research marks ---------------------------------------------------------------------------

_APOS = "['’]"
LABELS: list[tuple[str, re.Pattern]] = [
    (
        "research mark",
        re.compile(
            r"\[\s*(?:(?:partly\s+)?verified|unverified|recalled|to\s+verify|doubtful)[^\]]*\]",
            re.I,
        ),
    ),
    ("research mark", re.compile(r"\b(?:as recalled|from memory)\b", re.I)),
    ("research mark", re.compile(r"\b(?:de mémoire|selon notre souvenir)\b", re.I)),
    ("research mark", re.compile(r"من الذاكرة|ما نتذكره")),
    ("internal label", re.compile(r"\b(?:AR|FR|EN) text\b")),
    ("internal label", re.compile(r"\br[ée]f[ée]rence\s*§", re.I)),
    ("internal label", re.compile(r"\bno source\b", re.I)),
    ("internal label", re.compile(r"risk-and-benchbooks|legal-frameworks\.md", re.I)),
    # Our own documents, in English…
    ("our reference", re.compile(r"\bour\s+(?:reference|sources?|notes|research)\b", re.I)),
    (
        "our reference",
        re.compile(
            r"\bthe reference\b(?=\s*(?:[§(),.;:!?]|$)|\s+(?:gives?|does|did|says|states|notes|"
            r"marks|records|recalls|cites|mentions|lists|only|has|had|shows|provides|describes|"
            r"contains|omits|leaves|table|document|file)\b)",
            re.I,
        ),
    ),
    # … in French (« la référence du dahir », « la référence au BO », « devenue la référence »
    # are ordinary French and are spared) …
    (
        "our reference",
        re.compile(r"\b(?:notre|nos)\s+(?:document\s+de\s+)?(?:références?|sources?)\b", re.I),
    ),
    (
        "our reference",
        re.compile(
            rf"\b(?:selon|par|dans|d{_APOS}après|de)\s+la\s+référence\b"
            rf"(?!\s+(?:du|au|aux|des|à|de|d{_APOS}|la plus|en)\b)",
            re.I,
        ),
    ),
    (
        "our reference",
        re.compile(
            rf"\bla\s+référence\s+(?:ne|n{_APOS}|donne|indique|signale|mentionne|cite|précise|"
            r"rappelle|marque|dit|décrit|détaille|se borne|retient)",
            re.I,
        ),
    ),
    # … and in Arabic (« المرجعي », « المرجع الأشمل » are ordinary Arabic and are spared).
    ("our reference", re.compile(r"مرجعنا|مصادرنا|وثيقتنا المرجعية")),
    ("our reference", re.compile(r"(?:^|\s|\()(?:حسب|بحسب|وفق|في|من)\s+المرجع(?!\w)")),
    ("our reference", re.compile(r"(?:^|\s)(?:لا|ولا|لم|ولم)\s+\w+\s+المرجع(?!\w)")),
    # Document-sharing and blog websites are not sources a court can cite.
    (
        "research website",
        re.compile(
            r"scribd|slideshare|slideshowes|1library|doczz|yumpu|vdocuments|fdocuments|studylib|"
            r"docslib|zbook\.org|blogspot|wordpress\.com|wikimili|jurisays|bloggersteam",
            re.I,
        ),
    ),
]


def label_hits(text: str) -> list[str]:
    """The internal labels and research marks in one text, as 'kind «words»'."""
    hits = []
    for kind, pattern in LABELS:
        hits.extend(f"{kind} «{m.group(0).strip()}»" for m in pattern.finditer(text))
    return hits


# --- article numbering --------------------------------------------------------------------------

ADDED_NUMBER = re.compile(r"^\d+(?:-\d+)+$")


def official(number: str) -> str:
    """The French and Arabic form of an added article: '82-5-2' → '2-5-82'."""
    return "-".join(reversed(number.split("-")))


def _token(number: str) -> re.Pattern:
    # A whole number: not inside 103-13.2, 2-18-856, 1893/2103/2023, 2018-09-13 or 82-5-2.
    return re.compile(rf"(?<![\d./\-]){re.escape(number)}(?![\d]|[\-./]\d)")


class Numbering:
    """The added-article numbers (English order) and the wrong form of each in each language."""

    def __init__(self, numbers):
        english = {n for n in numbers if ADDED_NUMBER.match(n)}
        suffix_first = {official(n) for n in english}
        # fr/ar: the English order is wrong, unless it is also the official form of another number.
        self.wrong_fr_ar = {n: _token(n) for n in english if n not in suffix_first}
        # en: the suffix-first form is wrong, unless it is also another number in English order.
        self.wrong_en = {official(n): _token(official(n)) for n in english}
        self.wrong_en = {k: v for k, v in self.wrong_en.items() if k not in english}

    def hits(self, text: str, language: str) -> list[str]:
        if language in ("fr", "ar"):
            return [
                f"«{n}» should be «{official(n)}» in {language}"
                for n, pattern in self.wrong_fr_ar.items()
                if pattern.search(text)
            ]
        if language == "en":
            return [
                f"«{n}» should be «{official(n)}» in en"
                for n, pattern in self.wrong_en.items()
                if pattern.search(text)
            ]
        return []


# --- walking the files ------------------------------------------------------------------------


def content_files() -> list[Path]:
    return sorted(p for p in CONTENT.rglob("*") if p.suffix in (".yaml", ".yml"))


# Keys whose values are identifiers (keys of provisions, modules, concepts, tags…), not text.
ID_KEYS = {
    "key", "kind", "jurisdiction", "number", "aliases", "verification", "relation", "national",
    "international", "provision", "provisions", "breach_provision", "module", "modules",
    "concepts", "forms", "form", "stages", "stage", "instruments", "related", "axis", "slug",
    "tool", "language", "preferred_language", "status", "court_level", "category",
}  # fmt: skip


def _identifiers(value) -> bool:
    """A bare value or a list of bare values (not mappings holding texts)."""
    values = value if isinstance(value, list) else [value]
    return not any(isinstance(v, (dict, list)) for v in values)


def texts(node, path: str = "", language: str | None = None) -> Iterator[tuple[str, str, str]]:
    """(key path, language or '', text) for every text of a YAML document, identifiers left out.
    The language is the nearest fr/ar/en key above the text, else the `language:` of the nearest
    mapping above."""
    if isinstance(node, dict):
        if node.get("language") in LANGUAGES and not language:
            language = node["language"]
        for key, value in node.items():
            if key in ID_KEYS and _identifiers(value):
                continue
            child = f"{path}.{key}" if path else str(key)
            yield from texts(value, child, key if key in LANGUAGES else language)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from texts(value, f"{path}[{index}]", language)
    elif isinstance(node, str):
        yield path, language or "", node


def _load(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def added_numbers() -> set[str]:
    numbers = set()
    for path in sorted((CONTENT / "benchbook" / "instruments").glob("*.yaml")):
        for provision in (_load(path) or {}).get("provisions") or []:
            numbers.add(str(provision.get("number", "")))
    return {n for n in numbers if ADDED_NUMBER.match(n)}


def _report(failures: list[tuple[Path, str, str]]) -> str:
    counts: dict[str, int] = {}
    for path, _, _ in failures:
        counts[str(path)] = counts.get(str(path), 0) + 1
    lines = [f"{len(failures)} problem(s):"]
    lines += [f"  {path}: {count}" for path, count in sorted(counts.items())]
    lines += [f"{path} :: {key} :: {hit}" for path, key, hit in failures]
    return "\n".join(lines)


# --- the checks on hand-written strings --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "bailii.org [2009] ECHR 870 — [verified]",
        "case [verified]; number, date and the articles breached [recalled]",
        "date [partly verified] (same session)",
        "Check it [to verify].",
        "[unverified/doubtful]",
        "PC 88-1: AR text 103.13 (Art. 5)",
        "Reference §3.8 table (articles paraphrased)",
        "No source cited by the reference (§3.3, Art. 3)",
        "Our reference gives no further detail of the facts: read the judgment.",
        "Our source only records that GR 33 relies on Art. 3.",
        "our sources do not address that question",
        "the reference gives no further detail",
        "The gist is recalled in the reference; check CETS No. 210.",
        "§4 of the reference (due diligence)",
        "as recalled, breaches of Arts. 2(a), (b) and (e)",
        "facts and principles: risk-and-benchbooks §1.7",
        "Notre référence ne détaille pas davantage les faits.",
        "rappelés de mémoire dans notre document de référence",
        "La référence ne donne pas la peine de l'article 321.",
        "La référence n'en détaille pas le contenu.",
        "incapacité de plus de 20 jours, selon la référence",
        "(date et BO non cités par la référence)",
        "ولا يفصّل مرجعنا الوقائع أكثر من ذلك",
        "ولا يفصل المرجع مضمون هذه التدابير.",
        "لا يذكر المرجع المادة 53 إلا باعتبارها القاعدة",
        "عجز تتجاوز مدته عشرين يوما، حسب المرجع",
        "مستحضرة من الذاكرة فقط",
        "opcedaw.wordpress.com (2012/02/13); scribd summary",
        "IWRAW OP-CEDAW paper (slideshare)",
        "doczz.com.br (text of the views); 1library.co (case list)",
    ],
)
def test_label_check_finds(text):
    assert label_hits(text), text


@pytest.mark.parametrize(
    "text",
    [
        "ECtHR, Opuz v. Turkey, Application No. 33401/02, judgment of 9 June 2009; HUDOC",
        "CEDAW Committee, Communication No. 5/2005, CEDAW/C/39/D/5/2005 (UN Treaty Body Database)",
        "DEVAW gives the reference international definition of violence against women.",
        "check its location at para. 124 and the reference to training of judicial personnel",
        "Check the references to the BO in the official text.",
        "This Grand Chamber judgment is the most complete reference on risk assessment.",
        "cet arrêt de Grande Chambre est la référence la plus complète sur l'évaluation du risque",
        "elle a posé une méthode devenue la référence : évaluer le risque",
        "confirmer la date et relever la référence du dahir et du BO dans le texte officiel",
        "ni la référence au BO : vérifier l'un et l'autre au BO",
        "Vérifier le texte officiel (STCE n° 210) avant de citer l'article.",
        "المعايير الدولية ودستور 2011: الأساس المرجعي لقضايا العنف ضد النساء",
        "يُعدّ القانون رقم 103.13 النص الوطني المرجعي",
        "يُعد المرجع الأشمل في تقييم الخطر",
        "المرجع الرئيسي لتعليل مقرر في ضوء المعايير الدولية",
        "The Court verified the facts and recalled its case law.",
        "La Cour a rappelé sa jurisprudence ; à vérifier dans le texte officiel.",
    ],
)
def test_label_check_spares(text):
    assert not label_hits(text), label_hits(text)


NUMBERS = Numbering({"88-1", "88-3", "82-5", "82-5-2", "323-1", "503-1", "503-1-1", "448-3"})


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("l'interdiction de contact de l'article 88-3 du Code pénal", "fr"),
        ("les mesures de l'article 82-5-2 du CPP", "fr"),
        ("articles 323-1 et 503-1-1 du Code pénal", "fr"),
        ("طبقا للفصل 88-3 من مجموعة القانون الجنائي", "ar"),
        ("المادة 82-5-2 من قانون المسطرة الجنائية", "ar"),
        ("(الفصل 448-3)", "ar"),
        ("the no-contact ban of Penal Code Art. 1-88", "en"),
        ("CPP Art. 2-5-82, including placement in a shelter", "en"),
        ("Articles 1-323 and 1-1-503", "en"),
    ],
)
def test_numbering_check_finds(text, language):
    assert NUMBERS.hits(text, language), text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("l'article 1-88 et l'article 3-88 du Code pénal", "fr"),
        ("les mesures de l'article 2-5-82 du CPP (loi n° 103-13)", "fr"),
        ("articles 1-323 et 1-1-503 ; article 5-82", "fr"),
        ("الفصل 1-88 والمادة 2-5-82 من القانون رقم 103.13", "ar"),
        ("القانون رقم 27.14 والمرسوم رقم 2.18.856", "ar"),
        ("loi n° 27-14, loi n° 09-08, décret n° 2-18-856", "fr"),
        ("Jugement n° 2417 – Dossier n° 1893/2103/2023, le 13-09-2018", "fr"),
        ("Penal Code Arts. 88-1 and 88-3, CPP Art. 82-5-2, Law 103-13", "en"),
        ("Articles 323-1, 503-1 and 503-1-1; Decree 2-18-856 of 2018-09-13", "en"),
        ("Law 27-14 and Law 09-08", "en"),
        ("article 88-1", ""),  # a text whose language is not known is not judged
    ],
)
def test_numbering_check_spares(text, language):
    assert not NUMBERS.hits(text, language), NUMBERS.hits(text, language)


def test_a_number_that_is_both_forms_is_not_judged():
    both = Numbering({"1-2", "2-1"})
    assert not both.hits("article 1-2 et article 2-1", "fr")
    assert not both.hits("Articles 1-2 and 2-1", "en")


def test_texts_know_their_language():
    document = {
        "title": {"fr": "Titre", "ar": "عنوان", "en": "Title"},
        "provisions": [{"number": "88-1", "summary": {"en": "Summary"}, "source": "Source"}],
        "cases": [{"language": "ar", "decision": "نص", "metadata": {"provisions": ["a:88-1"]}}],
    }
    assert list(texts(document)) == [
        ("title.fr", "fr", "Titre"),
        ("title.ar", "ar", "عنوان"),
        ("title.en", "en", "Title"),
        ("provisions[0].summary.en", "en", "Summary"),
        ("provisions[0].source", "", "Source"),
        ("cases[0].decision", "ar", "نص"),
    ]


# --- the checks on the content files ----------------------------------------------------------


def test_the_content_has_files_and_added_articles():
    assert len(content_files()) > 20
    assert {"88-1", "82-5-2", "503-1-1"} <= added_numbers()


def test_no_internal_label_or_research_mark_in_content():
    failures = []
    for path in content_files():
        for key, _, text in texts(_load(path)):
            for hit in label_hits(text):
                failures.append((path.relative_to(CONTENT.parent), key, hit))
    assert not failures, _report(failures)


def test_one_article_numbering_per_language_in_content():
    numbering = Numbering(added_numbers())
    failures = []
    for path in content_files():
        for key, language, text in texts(_load(path)):
            for hit in numbering.hits(text, language):
                failures.append((path.relative_to(CONTENT.parent), key, hit))
    assert not failures, _report(failures)

"""Reading and writing participant lists (CSV or XLSX) as people really write them.

`read_rows` turns file bytes into rows of cells; `read_header` says which column holds which
field; `validate_rows` checks every row and says what importing it would do, field by field,
without writing. Writing is `services.import_participants`.

What a file changes for a person already registered (matched by e-mail):
- a column missing from the file leaves that field as it is (a French-only list keeps the
  Arabic names, which signature sheets and certificates print);
- an empty cell leaves the field as it is too: an import never erases. A value is removed on
  the person's record, not by an import (the template's help sheet says so).

Headers are read in French, Arabic or English as the application labels its fields («Adresse
e-mail», «البريد الإلكتروني», "E-mail address"), as the column keys (`email`, …) or as common
spellings. Function, gender, region and language words are read in the three languages, in
feminine and masculine forms, whatever their case, accents, Arabic letter variants, tatweel
or diacritics (`core.text.fold`). A feminine function word («قاضية», «Greffière») fills an
empty gender when the file gives none.

Phones are stored in one form, E.164: `+212` and the nine digits of a Moroccan number
(`+212612345678`), or `+` and the digits of a foreign number written with its country code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from himaya.accounts.choices import (
    FUNCTION_ALIASES,
    FUNCTION_FEMININE_ALIASES,
    GENDER_ALIASES,
    LANGUAGE_ALIASES,
    REGION_ALIASES,
    REGION_NAMES_AR,
    Function,
    Gender,
    Region,
    Role,
    function_label,
    gender_label,
    region_label,
)
from himaya.accounts.models import User
from himaya.accounts.validators import validate_email_length, validate_name
from himaya.core import spreadsheets
from himaya.core.languages import DEFAULT_LANGUAGE, ENGLISH_NAMES, LANGUAGE_CODES, NATIVE_NAMES
from himaya.core.text import fold, normalise

COLUMNS = [
    "email",
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "gender",
    "function",
    "court",
    "region",
    "phone",
    "preferred_language",
]
# Required for a new participant (a person already registered needs only the e-mail).
REQUIRED = ["email", "first_name", "last_name", "gender", "function"]
PROFILE_FIELDS = [c for c in COLUMNS if c != "email"]
MAX_LENGTHS = {
    "first_name": 150,
    "last_name": 150,
    "first_name_ar": 150,
    "last_name_ar": 150,
    "court": 200,
    "phone": 32,
}
# Header spellings people use, besides the column keys and the application's own labels of
# the fields in fr, ar and en (compared folded, see core.text.fold).
HEADER_ALIASES = {
    "email": [
        "e-mail",
        "email address",
        "courriel",
        "mail",
        "adresse mail",
        "adresse email",
        "adresse électronique",
        "البريد الالكتروني",
        "البريد",
        "الايميل",
    ],
    "first_name": ["prenom", "first name", "given name"],
    "last_name": ["nom", "nom de famille", "last name", "surname", "family name"],
    "first_name_ar": [
        "prénom en arabe",
        "prénom (arabe)",
        "prénom arabe",
        "first name (arabic)",
        "first name in arabic",
        "الاسم الشخصي بالعربية",
        "الاسم الشخصي بالحروف العربية",
    ],
    "last_name_ar": [
        "nom en arabe",
        "nom (arabe)",
        "nom arabe",
        "last name (arabic)",
        "last name in arabic",
        "الاسم العائلي بالعربية",
        "الاسم العائلي بالحروف العربية",
    ],
    "gender": ["genre", "sexe", "sex", "الجنس", "النوع"],
    "function": ["fonction", "poste", "الوظيفة", "الصفة", "المهمة"],
    "court": ["juridiction", "tribunal", "المحكمة"],
    "region": ["région", "الجهة"],
    "phone": [
        "telephone",
        "téléphone",
        "tel",
        "tél",
        "gsm",
        "portable",
        "mobile",
        "phone number",
        "الهاتف",
        "رقم الهاتف",
    ],
    "preferred_language": ["langue", "language", "اللغة", "اللغة المفضلة"],
}

ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
# What may stand between a phone's digits: spaces, dots, dashes, slashes, brackets.
PHONE_SEPARATORS = re.compile(r"[\s.\-/()\u00a0\u202f]+")
# Moroccan numbers: 0 then 5 (fixed), 6 or 7 (mobile) or 8 (non-geographic), then 8 digits.
MOROCCAN_NATIONAL = re.compile(r"^[5-8][0-9]{8}$")
# The most rows the preview page shows at once (it pages through the rest), and the most
# rows of each kind (changed, with errors, with warnings) a stored preview details.
PREVIEW_PAGE_SIZE = 100
PREVIEW_MAX_ROWS = 1000


# The file as a whole cannot be read; the message is translated and shown as is.
ImportFileError = spreadsheets.SpreadsheetError


def column_label(name: str) -> str:
    """A column's name in the active language, as the application labels the field."""
    if name not in COLUMNS:
        return name
    return capfirst(str(User._meta.get_field(name).verbose_name))


def join_words(items) -> str:
    """Items of a list in a sentence of the active language (Arabic uses «،»)."""
    separator = "، " if translation.get_language() == "ar" else ", "
    return separator.join(str(i) for i in items)


@dataclass
class RowError:
    """A problem of one row (an error blocks the import; a warning does not)."""

    row: int
    field: str  # the column key ("" for the whole row); the CLI's JSON prints it
    message: str  # in the language of the person importing, naming columns by their label

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}

    @property
    def label(self) -> str:
        return column_label(self.field) if self.field else ""


@dataclass
class ImportRow:
    row: int
    values: dict[str, str]  # the cells of the file's columns, as typed
    outcome: str = ""  # created / updated / unchanged / error
    errors: list[RowError] = field(default_factory=list)
    # Beyond the cycle's capacity: enrolled on the waiting list (outcome created or updated).
    waiting: bool = False
    warnings: list[RowError] = field(default_factory=list)
    # What importing changes: field -> [stored value before, after] ("" before for a new person).
    changes: dict[str, list[str]] = field(default_factory=dict)
    # The text typed, for the fields where it differs from the value stored («قاضية» -> judge).
    typed: dict[str, str] = field(default_factory=dict)
    # Fields filled from another column (the gender from a feminine function word).
    inferred: list[str] = field(default_factory=list)
    # A person already registered, enrolled in this cycle by the import.
    joins: bool = False
    # Who the row is about, for the preview: the file's values, else the stored ones.
    email: str = ""
    name: str = ""
    name_ar: str = ""
    gender: str = ""  # after the import: the function reads in its feminine form for a woman


@dataclass
class ImportPlan:
    rows: list[ImportRow]
    # The file's header cells and the column each is read as ("" for a column not read).
    columns: list[list[str]] = field(default_factory=list)
    # A stored preview keeps some rows only (see `preview_rows`) and the totals of all.
    totals: dict[str, int] | None = None

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def warnings(self) -> list[RowError]:
        return [w for r in self.rows for w in r.warnings]

    @property
    def error_total(self) -> int:
        return self.totals["errors"] if self.totals else len(self.errors)

    @property
    def warning_total(self) -> int:
        return self.totals["warnings"] if self.totals else len(self.warnings)

    def count(self, outcome: str) -> int:
        """Rows with this outcome. A plan with any error imports nothing, so its created,
        updated and unchanged counts are all 0 (only "error" rows are counted). "waiting"
        counts the rows enrolled on the waiting list, which are also created or updated."""
        if self.totals is not None:
            return self.totals[outcome]
        if outcome != "error" and self.errors:
            return 0
        if outcome == "waiting":
            return sum(1 for r in self.rows if r.waiting)
        return sum(1 for r in self.rows if r.outcome == outcome)

    def _totals(self) -> dict[str, int]:
        return {
            **{k: self.count(k) for k in ("created", "updated", "unchanged", "error", "waiting")},
            "changed": sum(1 for r in self.rows if r.outcome in ("created", "updated")),
            "unchanged_rows": sum(1 for r in self.rows if r.outcome == "unchanged"),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    @property
    def waiting_count(self) -> int:
        return self.count("waiting")

    @property
    def is_valid(self) -> bool:
        if self.totals is not None:
            return not self.totals["errors"]
        return bool(self.rows) and not self.errors

    def preview_rows(self) -> list[ImportRow]:
        """The rows a stored preview keeps, so that it stays small for a 20,000-row file: the
        first PREVIEW_MAX_ROWS new or updated rows and rows with errors or warnings, and a
        page of unchanged ones (the preview shows the totals of all)."""
        kept, taken = [], {"changed": 0, "error": 0, "warned": 0, "unchanged": 0}
        limits = {
            "changed": PREVIEW_MAX_ROWS,
            "error": PREVIEW_MAX_ROWS,
            "warned": PREVIEW_MAX_ROWS,
        }
        limits["unchanged"] = PREVIEW_PAGE_SIZE
        for r in self.rows:
            kinds = [
                "error" if r.outcome == "error" else "",
                "changed" if r.outcome in ("created", "updated") else "",
                "unchanged" if r.outcome == "unchanged" else "",
                "warned" if r.warnings else "",
            ]
            wanted = [k for k in kinds if k and taken[k] < limits[k]]
            if wanted:
                kept.append(r)
            for k in kinds:
                if k:
                    taken[k] += 1
        return kept

    def preview_json(self) -> dict:
        """What a staged import keeps of its plan (see `from_json`)."""
        return {
            "plan": self.to_json(self.preview_rows()),
            "totals": self._totals(),
            "columns": self.columns,
        }

    def to_json(self, rows: list[ImportRow] | None = None) -> list[dict]:
        """The plan's rows (or the given ones) as stored with a staged import, so its preview
        is computed once. Compact: empty parts are left out, and an unchanged row holds only
        who it is about."""
        stored = []
        for r in self.rows if rows is None else rows:
            item = {"row": r.row, "outcome": r.outcome, "email": r.email, "name": r.name}
            optional = {
                "name_ar": r.name_ar,
                "gender": r.gender,
                "errors": [e.as_dict() for e in r.errors],
                "warnings": [w.as_dict() for w in r.warnings],
                "waiting": r.waiting,
                "changes": r.changes,
                "typed": r.typed,
                "inferred": r.inferred,
                "joins": r.joins,
            }
            item.update({k: v for k, v in optional.items() if v})
            stored.append(item)
        return stored

    @classmethod
    def from_json(
        cls, data: list[dict], columns: list | None = None, totals: dict | None = None
    ) -> ImportPlan:
        return cls(
            columns=columns or [],
            totals=totals,
            rows=[
                ImportRow(
                    row=r["row"],
                    values=r.get("values", {}),  # previews stored before this shape
                    outcome=r["outcome"],
                    errors=[RowError(**e) for e in r.get("errors", [])],
                    waiting=r.get("waiting", False),
                    warnings=[RowError(**w) for w in r.get("warnings", [])],
                    changes=r.get("changes", {}),
                    typed=r.get("typed", {}),
                    inferred=r.get("inferred", []),
                    joins=r.get("joins", False),
                    email=r.get("email", r.get("values", {}).get("email", "")),
                    name=r.get("name", ""),
                    name_ar=r.get("name_ar", ""),
                    gender=r.get("gender", ""),
                )
                for r in data
            ],
        )


@dataclass
class ImportScope:
    """What the person importing may change, decided by the caller from the permission rules.

    `protected_ids`: existing accounts this person may neither change nor enrol (people enrolled
    only in other partners' cycles). `capacity` and `seats_taken`: the cycle's places and the
    current enrolments that hold one; `already_waiting`: the people on its waiting list, who
    keep their turn. Rows that need a new place beyond them go on the waiting list."""

    protected_ids: set[int] = field(default_factory=set)
    capacity: int | None = None
    seats_taken: int = 0
    already_waiting: int = 0

    def has_seat(self, seats_needed: int) -> bool:
        """Whether the `seats_needed`-th new enrolment of the file still gets a place."""
        if self.capacity is None:
            return True
        return self.seats_taken + self.already_waiting + seats_needed <= self.capacity


# --- reading -----------------------------------------------------------------------------


def read_rows(data: bytes, filename: str = "") -> list[list[str]]:
    """All rows of the file's first sheet, the header first, as lists of strings.

    At most IMPORT_MAX_ROWS rows past the header (the reader stops there); cells that the
    export neutralised against formulas are read back as they were."""
    return [
        [spreadsheets.unneutralise(cell) for cell in row]
        for row in spreadsheets.read_rows(data, filename)
    ]


def _header_lookup() -> dict[str, str]:
    """Folded header text -> column key: keys, labels in fr/ar/en, then the aliases."""
    lookup: dict[str, str] = {}
    for key in COLUMNS:
        lookup[fold(key.replace("_", " "))] = key
    for language in LANGUAGE_CODES:
        with translation.override(language):
            for key in COLUMNS:
                lookup.setdefault(fold(column_label(key)), key)
    for key, spellings in HEADER_ALIASES.items():
        for spelling in spellings:
            lookup.setdefault(fold(spelling), key)
    return lookup


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _is_arabic_script(value: str) -> bool:
    return bool(ARABIC_LETTER.search(value)) and not LATIN_LETTER.search(value)


@dataclass
class Header:
    """Which column of the file holds which field; `keys[i]` is "" for a column not read."""

    cells: list[str]
    keys: list[str]

    @property
    def present(self) -> set[str]:
        return {k for k in self.keys if k}

    def position(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None

    def as_json(self) -> list[list[str]]:
        return [[cell, key] for cell, key in zip(self.cells, self.keys, strict=True)]


def read_header(rows: list[list[str]]) -> Header:
    """Read the header row. An Arabic header that the application uses for the Latin-script
    name («الاسم الشخصي») over a column of names in Arabic script is read as the Arabic-script
    name, unless the file has that column too. Raises ImportFileError when two columns would
    fill the same field."""
    if not rows:
        raise ImportFileError(_("The file is empty."))
    lookup = _header_lookup()
    cells = [c.replace("\ufeff", "").strip() for c in rows[0]]
    keys = []
    for cell in cells:
        folded = fold(cell)
        keys.append(lookup.get(folded) or lookup.get(folded.replace("_", " "), ""))
    for index, key in enumerate(keys):
        if key in ("first_name", "last_name") and ARABIC_LETTER.search(cells[index]):
            column = [r[index].strip() for r in rows[1:] if index < len(r) and r[index].strip()]
            if column and all(_is_arabic_script(v) for v in column) and f"{key}_ar" not in keys:
                keys[index] = f"{key}_ar"
    seen: dict[str, int] = {}
    for index, key in enumerate(keys):
        if not key:
            continue
        if key in seen:
            raise ImportFileError(
                _(
                    "Columns %(first)s («%(a)s») and %(second)s («%(b)s») are both read as "
                    "«%(field)s»: keep only one of them."
                )
                % {
                    "first": _column_letter(seen[key]),
                    "a": cells[seen[key]],
                    "second": _column_letter(index),
                    "b": cells[index],
                    "field": column_label(key),
                }
            )
        seen[key] = index
    return Header(cells=cells, keys=keys)


# --- phones ------------------------------------------------------------------------------


@dataclass
class Phone:
    value: str = ""  # E.164, "" when refused
    warning: str = ""
    error: str = ""


def normalise_phone(typed: str) -> Phone:
    """Read a phone as people write it: Moroccan numbers (06 12 34 56 78, 05.22.12.34.56,
    +212 6 12 34 56 78, 00212 612-345-678, +212 (0)6…) and foreign ones with their country
    code (+33 6 12 34 56 78, 0033…). Stored as E.164 (+212612345678). A nine-digit Moroccan
    number that lost its leading 0 in Excel, or a 212… number that lost its +, is read with
    it and flagged by a warning."""
    text = normalise(typed).strip()  # Arabic-Indic digits become ASCII
    digits = PHONE_SEPARATORS.sub("", text)
    plus = digits.startswith("+")
    if plus:
        digits = digits[1:]
    elif digits.startswith("00"):
        digits, plus = digits[2:], True
    refused = Phone(
        error=_(
            "“%(value)s” is not a Moroccan phone number (06…, 07…, 05… or +212…). Write a "
            "foreign number with its country code, e.g. +33 6 12 34 56 78."
        )
        % {"value": typed}
    )
    if not digits.isdigit():
        return refused
    if plus:
        national = digits[3:].removeprefix("0") if digits.startswith("212") else None
        if national is not None:
            return Phone("+212" + national) if MOROCCAN_NATIONAL.match(national) else refused
        # A foreign number: E.164 allows up to 15 digits, country code included.
        return Phone("+" + digits) if 8 <= len(digits) <= 15 else refused
    if len(digits) == 10 and digits[0] == "0" and MOROCCAN_NATIONAL.match(digits[1:]):
        return Phone("+212" + digits[1:])
    if MOROCCAN_NATIONAL.match(digits):
        value = "+212" + digits
        return Phone(
            value,
            warning=_(
                "“%(value)s” has only 9 digits: read as %(phone)s, the 0 that Excel removes "
                "from numbers put back. Check it."
            )
            % {"value": typed, "phone": _isolated(format_phone("0" + digits))},
        )
    if len(digits) == 12 and digits.startswith("212") and MOROCCAN_NATIONAL.match(digits[3:]):
        value = "+" + digits
        return Phone(
            value,
            warning=_(
                "“%(value)s” has no + sign: read as %(phone)s, the + that Excel removes from "
                "numbers put back. Check it."
            )
            % {"value": typed, "phone": _isolated(format_phone(value))},
        )
    return refused


def _isolated(text: str) -> str:
    """Text read left to right wherever it stands (a phone inside an Arabic sentence)."""
    return f"\u2066{text}\u2069"


def format_phone(value: str) -> str:
    """A stored phone as people read it: +212 6 12 34 56 78 (a Moroccan number in any form,
    also 0612345678), or as stored (a foreign number)."""
    digits = PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("0") and MOROCCAN_NATIONAL.match(digits[1:]):
        digits = "+212" + digits[1:]
    if digits.startswith("+212") and MOROCCAN_NATIONAL.match(digits[4:]):
        rest = digits[5:]
        return f"+212 {digits[4]} " + " ".join(rest[i : i + 2] for i in range(0, 8, 2))
    return value or ""


def national_phone(value: str) -> str:
    """A Moroccan phone as written in Morocco (06 12 34 56 78), which spreadsheets keep as text
    and never as a number or a formula; other phones as stored."""
    if value.startswith("+212") and MOROCCAN_NATIONAL.match(value[4:]):
        digits = "0" + value[4:]
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return value


# --- validating --------------------------------------------------------------------------


def _words(words) -> list[str]:
    """Each word, and an Arabic word also with the article ال."""
    out = []
    for word in words:
        out.append(word)
        if ARABIC_LETTER.search(word) and not normalise(word).startswith("ال"):
            out.append("ال" + word)
    return out


def _function_lookup() -> dict[str, tuple[str, str]]:
    """Folded spelling -> (function code, the gender the word implies or "")."""
    lookup: dict[str, tuple[str, str]] = {}
    for code, words in FUNCTION_ALIASES.items():
        lookup[fold(code)] = (str(code), "")
        for word in _words(words):
            lookup[fold(word)] = (str(code), "")
    for language in LANGUAGE_CODES:
        with translation.override(language):
            for code in Function.values:
                lookup.setdefault(fold(function_label(code)), (code, ""))
    # Feminine forms last: a word that is also a masculine or epicene form ("Juge", or the
    # English labels) implies nothing.
    for code, words in FUNCTION_FEMININE_ALIASES.items():
        for word in _words(words):
            lookup.setdefault(fold(word), (str(code), Gender.FEMALE))
    for language in LANGUAGE_CODES:
        with translation.override(language):
            for code in Function.values:
                lookup.setdefault(fold(function_label(code, Gender.FEMALE)), (code, Gender.FEMALE))
    return lookup


def _gender_lookup() -> dict[str, str]:
    lookup = {}
    for code, words in GENDER_ALIASES.items():
        for word in _words(words):
            lookup[fold(word)] = str(code)
    for language in LANGUAGE_CODES:
        with translation.override(language):
            for code in Gender.values:
                lookup.setdefault(fold(gender_label(code)), code)
    return lookup


def _region_lookup() -> dict[str, str]:
    lookup = {}
    for code, label in Region.choices:
        lookup[fold(code)] = code
        lookup[fold(label)] = code
        lookup[fold(REGION_NAMES_AR[code])] = code
        lookup[fold(label.removeprefix("L'"))] = code
    for code, words in REGION_ALIASES.items():
        for word in words:
            lookup.setdefault(fold(word), str(code))
    return lookup


# "Région de …", "Region of …", "جهة …", "… Region" are read without these words.
_REGION_PREFIX = re.compile(r"^(la |l )?(region|جهه|الجهه)( (de la|du|des|de|d|of))? ")
_REGION_SUFFIX = re.compile(r" (region|جهه)$")


def _language_lookup() -> dict[str, str]:
    lookup = {}
    for code, words in LANGUAGE_ALIASES.items():
        for word in words:
            lookup[fold(word)] = code
        lookup.setdefault(fold(NATIVE_NAMES[code]), code)
        for language in LANGUAGE_CODES:
            with translation.override(language):
                lookup.setdefault(fold(_(ENGLISH_NAMES[code])), code)
    return lookup


def language_label(code: str) -> str:
    return NATIVE_NAMES.get(code, code)


def display_value(name: str, value: str, *, gender: str = "") -> str:
    """A stored value as the reader reads it, in the active language."""
    if not value:
        return ""
    if name == "function":
        return function_label(value, gender)
    if name == "gender":
        return gender_label(value)
    if name == "region":
        return region_label(value, translation.get_language() or DEFAULT_LANGUAGE)
    if name == "preferred_language":
        return language_label(value)
    if name == "phone":
        return format_phone(value)
    return value


class RowValidator:
    def __init__(self):
        self.genders = _gender_lookup()
        self.functions = _function_lookup()
        self.regions = _region_lookup()
        self.languages = _language_lookup()

    def region(self, typed: str) -> str | None:
        folded = fold(typed)
        code = self.regions.get(folded)
        if code is None:
            stripped = _REGION_SUFFIX.sub("", _REGION_PREFIX.sub("", folded))
            code = self.regions.get(stripped)
        return code

    def clean(self, row: ImportRow) -> tuple[dict[str, str], str]:
        """The row's values as they would be stored, for its non-empty cells only, and the
        gender its function word implies ("" if none). Errors and warnings go on the row."""
        v = dict(row.values)
        out: dict[str, str] = {}
        implied_gender = ""

        def error(field_name: str, message: str):
            row.errors.append(RowError(row.row, field_name, message))

        def typed(field_name: str, text: str):
            if text != out.get(field_name):
                row.typed[field_name] = text

        # Every column holds one line of visible text: no control characters (a NUL breaks
        # the XLSX export), no bidi or zero-width characters (they reorder or disguise names).
        for name in list(v):
            try:
                validate_name(v[name].strip())
            except ValidationError as exc:
                error(name, exc.messages[0])
                v[name] = ""
        v = {name: value.strip() for name, value in v.items() if value.strip()}
        email = v.get("email", "").lower()
        if email:
            try:
                validate_email(email)
                validate_email_length(email)
                out["email"] = email
            except ValidationError as exc:
                if exc.code in ("email_local_part_too_long", "email_too_long"):
                    error("email", exc.messages[0])
                else:
                    error(
                        "email",
                        _("“%(value)s” is not a valid e-mail address.") % {"value": email},
                    )
        for name, limit in MAX_LENGTHS.items():
            value = v.get(name, "")
            if len(value) > limit:
                error(
                    name,
                    _("At most %(limit)d characters (this one has %(n)d).")
                    % {"limit": limit, "n": len(value)},
                )
            elif value:
                out[name] = value
        for name in ("first_name_ar", "last_name_ar"):
            value = out.get(name, "")
            if value and not _is_arabic_script(value):
                error(name, _("This name must be written in Arabic script."))
        if gender := v.get("gender"):
            if code := self.genders.get(fold(gender)):
                out["gender"] = code
                typed("gender", gender)
            else:
                error(
                    "gender",
                    _("“%(value)s” is not a gender: use %(choices)s.")
                    % {
                        "value": gender,
                        "choices": join_words(f"{gender_label(c)} ({c})" for c in Gender.values),
                    },
                )
        if function := v.get("function"):
            if found := self.functions.get(fold(function)):
                out["function"], implied_gender = found
                typed("function", function)
            else:
                error(
                    "function",
                    _("“%(value)s” is not a known function: use one of %(choices)s.")
                    % {
                        "value": function,
                        "choices": join_words(function_label(c) for c in Function),
                    },
                )
        if region := v.get("region"):
            if code := self.region(region):
                out["region"] = code
                typed("region", region)
            else:
                error(
                    "region",
                    _("“%(value)s” is not one of the 12 regions of Morocco.") % {"value": region},
                )
        if out.get("phone"):
            phone = normalise_phone(out["phone"])
            if phone.error:
                error("phone", phone.error)
                del out["phone"]
            else:
                out["phone"] = phone.value
                typed("phone", v["phone"])
                if phone.warning:
                    row.warnings.append(RowError(row.row, "phone", phone.warning))
        if language := v.get("preferred_language"):
            if code := self.languages.get(fold(language)):
                out["preferred_language"] = code
                typed("preferred_language", language)
            else:
                error(
                    "preferred_language",
                    _("“%(value)s” is not a language of the platform: use %(choices)s.")
                    % {"value": language, "choices": join_words(NATIVE_NAMES.values())},
                )
        if implied_gender and out.get("gender", implied_gender) != implied_gender:
            row.warnings.append(
                RowError(
                    row.row,
                    "gender",
                    _("“%(function)s” is a feminine form, but the gender is “%(gender)s”.")
                    % {"function": function, "gender": gender},
                )
            )
        return out, implied_gender


def validate_rows(
    rows: list[list[str]],
    *,
    existing_users: dict,
    enrolled_ids: set,
    scope: ImportScope | None = None,
    header: Header | None = None,
) -> tuple[ImportPlan, dict]:
    """Check every data row and decide its outcome against the accounts that already exist.

    `existing_users` maps lower-case e-mails to users; `enrolled_ids` holds the ids of users
    already enrolled in the cycle. Returns the plan and, by row number, what to write: every
    field for a new person, only the changed fields (and the e-mail) for a registered one."""
    header = header or read_header(rows)
    if "email" not in header.present:
        raise ImportFileError(
            _(
                "The header row (row 1) has no «%(column)s» column: it is how people are "
                "recognised. Expected columns: %(expected)s."
            )
            % {"column": column_label("email"), "expected": join_words(map(column_label, COLUMNS))}
        )
    scope = scope or ImportScope()
    seats_needed = 0
    validator = RowValidator()
    plan_rows: list[ImportRow] = []
    cleaned: dict[int, dict[str, str]] = {}
    seen: dict[str, int] = {}
    width = len(header.keys)
    for index, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {
            key: (cells[i] if i < len(cells) else "") for i, key in enumerate(header.keys) if key
        }
        row = ImportRow(row=index, values=values)
        if any(c.strip() for c in cells[width:]):
            row.errors.append(
                RowError(index, "", _("This row has more cells than the header row has columns."))
            )
        data, implied_gender = validator.clean(row)
        email = data.get("email")
        user = existing_users.get(email) if email else None
        row.email = email or values.get("email", "").strip()
        if email:
            if email in seen:
                row.errors.append(
                    RowError(
                        index,
                        "email",
                        _("This e-mail address already appears on row %(row)d.")
                        % {"row": seen[email]},
                    )
                )
            else:
                seen[email] = index
            if user is not None and user.role != Role.PARTICIPANT:
                row.errors.append(
                    RowError(
                        index,
                        "email",
                        _("This e-mail address belongs to a staff account, not a participant."),
                    )
                )
            elif user is not None and user.pk in scope.protected_ids:
                row.errors.append(
                    RowError(
                        index,
                        "email",
                        _(
                            "This person takes part only in other partners' cycles: you may "
                            "not change their account or enrol them here. Ask an administrator."
                        ),
                    )
                )
            if seen[email] == index and (user is None or user.pk not in enrolled_ids):
                seats_needed += 1
                row.waiting = not scope.has_seat(seats_needed)
        # A feminine function word fills a gender that neither the file nor the record gives.
        if implied_gender and "gender" not in data and not (user is not None and user.gender):
            data["gender"] = implied_gender
            row.inferred.append("gender")
        if user is None:
            for name in REQUIRED:
                if data.get(name) or any(e.field == name for e in row.errors):
                    continue
                if name in header.present:
                    message = _("This field is required.")
                else:
                    message = _(
                        "Required for a new participant: the file has no «%(column)s» column."
                    ) % {"column": column_label(name)}
                row.errors.append(RowError(index, name, message))
        _describe(row, data, user)
        if row.errors:
            row.outcome = "error"
        elif user is None:
            row.outcome = "created"
            data.setdefault("preferred_language", DEFAULT_LANGUAGE)
            cleaned[index] = {name: data.get(name, "") for name in COLUMNS}
        else:
            row.joins = user.pk not in enrolled_ids
            row.outcome = "updated" if row.changes or row.joins else "unchanged"
            cleaned[index] = {"email": email, **{k: data[k] for k in row.changes}}
        plan_rows.append(row)
    if not plan_rows:
        raise ImportFileError(_("The file has a header row but no participant rows."))
    return ImportPlan(rows=plan_rows, columns=header.as_json()), cleaned


def _describe(row: ImportRow, data: dict[str, str], user) -> None:
    """Fill what the preview shows of a row: who, and each field's value before and after."""
    before = {name: getattr(user, name) for name in PROFILE_FIELDS} if user else {}
    after = {**before, **{k: v for k, v in data.items() if k != "email"}}
    row.name = f"{after.get('first_name', '')} {after.get('last_name', '')}".strip()
    row.name_ar = f"{after.get('first_name_ar', '')} {after.get('last_name_ar', '')}".strip()
    row.gender = after.get("gender", "")
    row.changes = {
        name: [before.get(name, ""), data[name]]
        for name in PROFILE_FIELDS
        if name in data and data[name] != before.get(name, "")
    }
    # The text typed matters only where a value changes.
    row.typed = {k: v for k, v in row.typed.items() if k in row.changes}


# --- the preview, as its reader reads it -------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    typed: str = ""  # the text of the file, when it reads differently from `new`
    inferred: bool = False
    ltr: bool = False  # a phone: read left to right in Arabic pages too


def row_changes(row: ImportRow) -> list[FieldChange]:
    """A row's changes in the active language: «قاضية» -> "Judge (woman)", 0612345678 ->
    "+212 6 12 34 56 78"."""
    out = []
    for name in PROFILE_FIELDS:
        if name not in row.changes:
            continue
        old, new = row.changes[name]
        shown = display_value(name, new, gender=row.gender)
        typed = row.typed.get(name, "")
        out.append(
            FieldChange(
                label=column_label(name),
                old=display_value(name, old, gender=row.gender),
                new=shown,
                typed=typed if typed and fold(typed) != fold(shown) else "",
                inferred=name in row.inferred,
                ltr=name == "phone",
            )
        )
    return out


# --- writing -----------------------------------------------------------------------------


@dataclass
class ExportPerson:
    """One person of an export, with what the cycle knows of them."""

    user: User
    status: str = ""  # the enrolment's status, in the reader's language
    attendance: float | None = None  # 0..1, None when no attendance was counted
    extra: list = field(default_factory=list)  # the columns other apps add (certificate)


def participant_row(user) -> list[str]:
    """A person in the import's own columns, as codes (the command line's format)."""
    return [
        user.email,
        user.first_name,
        user.last_name,
        user.first_name_ar,
        user.last_name_ar,
        user.gender,
        user.function,
        user.court,
        Region(user.region).label if user.region else "",
        user.phone,
        user.preferred_language,
    ]


def readable_row(user) -> list[str]:
    """A person in the import's columns as the reader reads them (and the import reads back):
    function, gender and region in the active language, a Moroccan phone as 06 12 34 56 78."""
    return [
        user.email,
        user.first_name,
        user.last_name,
        user.first_name_ar,
        user.last_name_ar,
        gender_label(user.gender),
        function_label(user.function, user.gender),
        user.court,
        display_value("region", user.region),
        national_phone(user.phone),
        language_label(user.preferred_language),
    ]


def readable_header() -> list[str]:
    return [column_label(name) for name in COLUMNS]


def write_csv(users) -> bytes:
    """The command line's format: the column keys, codes, comma-separated."""
    return spreadsheets.write_csv(COLUMNS, (participant_row(user) for user in users))


def write_xlsx(users) -> bytes:
    writer = spreadsheets.XlsxWriter()
    sheet = writer.sheet("participants", header=COLUMNS)
    for user in users:
        sheet.append(participant_row(user))
    sheet.set_widths([32, 16, 18, 16, 18, 8, 20, 36, 24, 16, 10])
    return writer.to_bytes()


def write_export(people: list[ExportPerson], *, file_format: str, extra_header=()) -> bytes:
    """People as the reader reads them, in the active language: the import's columns (so the
    file can be imported back unchanged), then the enrolment status, the attendance rate and
    what other apps add (`extra_header`, one value per person in `ExportPerson.extra`). CSV is
    semicolon-separated UTF-8 with a BOM, as French Excel opens it; Arabic XLSX reads right to
    left."""
    header = [*readable_header(), _("Status"), _("Attendance rate (%)"), *extra_header]

    def cells(person: ExportPerson) -> list:
        rate = person.attendance
        return [
            *readable_row(person.user),
            person.status,
            "" if rate is None else round(rate * 100),
            *person.extra,
        ]

    if file_format == "xlsx":
        writer = spreadsheets.XlsxWriter()
        sheet = writer.sheet(_("Participants"), header=header)
        for person in people:
            sheet.append(cells(person))
        sheet.set_widths([32, 16, 18, 18, 18, 10, 24, 36, 24, 18, 12, 14, 12, 32, 12])
        return writer.to_bytes()
    return spreadsheets.write_csv(header, (cells(p) for p in people), delimiter=";")


def _accepted_words() -> list[tuple[str, str, str]]:
    """(column, value, the words read as it) for the help sheet of the template."""

    def spellings(words) -> str:
        return join_words(sorted(dict.fromkeys(str(w) for w in words), key=str.casefold))

    rows = []
    for code in Gender.values:
        words = [*GENDER_ALIASES[code]]
        for language in LANGUAGE_CODES:
            with translation.override(language):
                words.append(gender_label(code))
        rows.append((column_label("gender"), gender_label(code), spellings(words)))
    for code in Function.values:
        words = [*FUNCTION_ALIASES.get(code, []), *FUNCTION_FEMININE_ALIASES.get(code, [])]
        for language in LANGUAGE_CODES:
            with translation.override(language):
                words += [function_label(code), function_label(code, Gender.FEMALE)]
        rows.append((column_label("function"), function_label(code), spellings(words)))
    for code, label in Region.choices:
        words = [label, REGION_NAMES_AR[code], code, *REGION_ALIASES.get(code, [])]
        rows.append((column_label("region"), display_value("region", code), spellings(words)))
    for code in LANGUAGE_CODES:
        words = [NATIVE_NAMES[code], *LANGUAGE_ALIASES[code]]
        rows.append((column_label("preferred_language"), language_label(code), spellings(words)))
    return rows


def _column_help() -> dict[str, str]:
    return {
        "email": _("How people are recognised: a person already registered is updated."),
        "first_name_ar": _("Arabic script only; printed on signature sheets and certificates."),
        "last_name_ar": _("Arabic script only; printed on signature sheets and certificates."),
        "gender": _("Filled from a feminine function word (Greffière, قاضية) when empty."),
        "function": _("In French, Arabic or English, feminine or masculine: see the list below."),
        "phone": _(
            "Moroccan (06…, 07…, 05…, +212…, 00212…) or foreign with its country code "
            "(+33…). Stored as +212612345678. A 9-digit number (Excel removes the leading 0) "
            "is read with its 0 and flagged."
        ),
        "preferred_language": _("Français, العربية or English (default: Français)."),
    }


def write_template(file_format: str) -> bytes:
    """An empty participant list with the headers in the reader's language; the XLSX has a
    help sheet: the columns, which are required, and the words each column accepts."""
    header = readable_header()
    if file_format != "xlsx":
        return spreadsheets.write_csv(header, [], delimiter=";")
    writer = spreadsheets.XlsxWriter()
    sheet = writer.sheet(_("Participants"), header=header)
    sheet.set_widths([32, 16, 18, 18, 18, 10, 24, 36, 24, 18, 12])
    help_sheet = writer.sheet(_("Help"), header=[_("Column"), _("Required"), _("What to write")])
    notes = _column_help()
    for name in COLUMNS:
        required = (
            _("yes")
            if name == "email"
            else (_("for a new participant") if name in REQUIRED else _("no"))
        )
        help_sheet.append([column_label(name), required, notes.get(name, "")])
    help_sheet.append([])
    help_sheet.append(
        [
            _(
                "An empty cell, or a column left out, never erases: it leaves the value of a "
                "person already registered as it is. To remove a value, change it on the "
                "person's record."
            )
        ]
    )
    help_sheet.append(
        [
            _(
                "Headers may be written in French, Arabic or English; letter case, accents and "
                "the forms of Arabic letters do not matter."
            )
        ]
    )
    help_sheet.append([])
    help_sheet.append([_("Column"), _("Value"), _("Accepted words")], bold=True)
    for row in _accepted_words():
        help_sheet.append(list(row))
    help_sheet.set_widths([24, 30, 100])
    return writer.to_bytes()

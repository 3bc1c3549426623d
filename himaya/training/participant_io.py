"""Reading and writing participant lists (CSV or XLSX) in the columns of DESIGN.md §6.

`read_rows` turns file bytes into rows of cells; `validate_rows` checks every row and says
what importing it would do, without writing. Writing is `services.import_participants`."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from himaya.accounts.choices import (
    FUNCTION_ALIASES,
    GENDER_ALIASES,
    LANGUAGE_ALIASES,
    REGION_NAMES_AR,
    Function,
    Region,
    Role,
)
from himaya.core.text import fold

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
# Header spellings people use in French and Arabic spreadsheets.
HEADER_ALIASES = {
    "e-mail": "email",
    "courriel": "email",
    "mail": "email",
    "البريد الالكتروني": "email",
    "prenom": "first_name",
    "nom": "last_name",
    "الاسم الشخصي": "first_name_ar",
    "الاسم العائلي": "last_name_ar",
    "genre": "gender",
    "sexe": "gender",
    "fonction": "function",
    "juridiction": "court",
    "tribunal": "court",
    "telephone": "phone",
    "langue": "preferred_language",
}

ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
PHONE = re.compile(r"^\+?[0-9 ().\-]{6,31}$")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is translated and shown as is."""


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class ImportRow:
    row: int
    values: dict[str, str]
    outcome: str = ""  # created / updated / unchanged / error
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[ImportRow]

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors


# --- reading -----------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This file is not a CSV or XLSX spreadsheet."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("This file's text encoding is not recognised: save it as CSV UTF-8 or as XLSX.")
    )


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFileError(_("This CSV file is malformed: %(error)s") % {"error": exc}) from exc


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise ImportFileError(
            _("This XLSX file could not be read: it may be damaged or truncated.")
        ) from exc
    return rows


def read_rows(data: bytes, filename: str = "") -> list[list[str]]:
    """All rows of the file's first sheet, the header first, as lists of strings."""
    if not data or not data.strip():
        raise ImportFileError(_("The file is empty."))
    name = filename.lower()
    if data[:4] == b"\xd0\xcf\x11\xe0" or name.endswith(".xls"):
        raise ImportFileError(
            _("The old Excel format (.xls) is not supported: save the file as .xlsx or CSV.")
        )
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ImportFileError(
                _("This XLSX file could not be read: it may be damaged or truncated.")
            )
        return _read_xlsx(data)
    return _read_csv(data)


def _header_key(cell: str) -> str:
    key = fold(cell.replace("\ufeff", "")).replace(" ", "_")
    if key in COLUMNS:
        return key
    return HEADER_ALIASES.get(fold(cell.replace("\ufeff", "")), key)


# --- validating --------------------------------------------------------------------------


def _choice_lookup(aliases: dict, labelled_choices) -> dict[str, str]:
    """Folded spelling -> code, from the aliases and from the choice labels in fr, ar and en."""
    lookup = {}
    for code, words in aliases.items():
        lookup[fold(code)] = str(code)
        for word in words:
            lookup[fold(word)] = str(code)
    if labelled_choices is not None:
        for language in ("fr", "ar", "en"):
            with translation.override(language):
                for code, label in labelled_choices.choices:
                    lookup.setdefault(fold(str(label)), code)
    return lookup


def _region_lookup() -> dict[str, str]:
    lookup = {}
    for code, label in Region.choices:
        lookup[fold(code)] = code
        lookup[fold(label)] = code
        lookup[fold(REGION_NAMES_AR[code])] = code
        # "L'Oriental" is often written "Oriental"; "Région de …" prefixes are common.
        lookup[fold(label.removeprefix("L'"))] = code
    return lookup


class RowValidator:
    def __init__(self):
        self.genders = _choice_lookup(GENDER_ALIASES, None)
        self.functions = _choice_lookup(FUNCTION_ALIASES, Function)
        self.regions = _region_lookup()
        self.languages = _choice_lookup(LANGUAGE_ALIASES, None)

    def clean(self, row: ImportRow) -> dict[str, str]:
        v = row.values
        out: dict[str, str] = {}

        def error(field_name: str, message: str):
            row.errors.append(RowError(row.row, field_name, message))

        for name in REQUIRED:
            if not v.get(name, "").strip():
                error(name, _("This field is required."))
        email = v.get("email", "").strip().lower()
        if email:
            try:
                validate_email(email)
                out["email"] = email
            except ValidationError:
                error("email", _("“%(value)s” is not a valid e-mail address.") % {"value": email})
        for name, limit in MAX_LENGTHS.items():
            value = v.get(name, "").strip()
            if len(value) > limit:
                error(
                    name,
                    _("At most %(limit)d characters (this one has %(n)d).")
                    % {"limit": limit, "n": len(value)},
                )
            else:
                out[name] = value
        for name in ("first_name_ar", "last_name_ar"):
            value = out.get(name, "")
            if value and (LATIN_LETTER.search(value) or not ARABIC_LETTER.search(value)):
                error(name, _("This name must be written in Arabic script."))
        gender = v.get("gender", "").strip()
        if gender:
            code = self.genders.get(fold(gender))
            if code:
                out["gender"] = code
            else:
                error("gender", _("“%(value)s” is not a gender: use F or M.") % {"value": gender})
        function = v.get("function", "").strip()
        if function:
            code = self.functions.get(fold(function))
            if code:
                out["function"] = code
            else:
                error(
                    "function",
                    _("“%(value)s” is not a known function: use one of %(choices)s.")
                    % {"value": function, "choices": ", ".join(Function.values)},
                )
        region = v.get("region", "").strip()
        out["region"] = ""
        if region:
            code = self.regions.get(fold(region)) or self.regions.get(
                fold(re.sub(r"^(region|région|جهة)\s+(de\s+|d')?", "", region, flags=re.I))
            )
            if code:
                out["region"] = code
            else:
                error(
                    "region",
                    _("“%(value)s” is not one of the 12 regions of Morocco.") % {"value": region},
                )
        phone = out.get("phone", "")
        if phone and not PHONE.match(phone):
            error("phone", _("“%(value)s” is not a phone number.") % {"value": phone})
        language = v.get("preferred_language", "").strip()
        out["preferred_language"] = "fr"
        if language:
            code = self.languages.get(fold(language))
            if code:
                out["preferred_language"] = code
            else:
                error(
                    "preferred_language",
                    _("“%(value)s” is not a language of the platform: use fr, ar or en.")
                    % {"value": language},
                )
        return out


def validate_rows(
    rows: list[list[str]], *, existing_users: dict, enrolled_ids: set
) -> tuple[ImportPlan, dict]:
    """Check every data row and decide its outcome against the accounts that already exist.

    `existing_users` maps lower-case e-mails to users; `enrolled_ids` holds the ids of users
    already enrolled in the cycle. Returns the plan and the cleaned values by row number."""
    if not rows:
        raise ImportFileError(_("The file is empty."))
    header = [_header_key(c) for c in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _(
                "The header row (row 1) lacks the required columns: %(columns)s. "
                "Expected columns: %(expected)s."
            )
            % {"columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    validator = RowValidator()
    plan_rows: list[ImportRow] = []
    cleaned: dict[int, dict[str, str]] = {}
    seen: dict[str, int] = {}
    for index, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {
            name: (cells[i] if i < len(cells) else "")
            for i, name in enumerate(header)
            if name in COLUMNS
        }
        row = ImportRow(row=index, values={k: values.get(k, "") for k in COLUMNS})
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            row.errors.append(
                RowError(index, "", _("This row has more cells than the header row has columns."))
            )
        data = validator.clean(row)
        email = data.get("email")
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
            user = existing_users.get(email)
            if user is not None and user.role != Role.PARTICIPANT:
                row.errors.append(
                    RowError(
                        index,
                        "email",
                        _("This e-mail address belongs to a staff account, not a participant."),
                    )
                )
        if row.errors:
            row.outcome = "error"
        else:
            user = existing_users.get(email)
            if user is None:
                row.outcome = "created"
            elif (
                any(getattr(user, f) != data[f] for f in PROFILE_FIELDS)
                or user.pk not in enrolled_ids
            ):
                row.outcome = "updated"
            else:
                row.outcome = "unchanged"
            cleaned[index] = data
        plan_rows.append(row)
    if not plan_rows:
        raise ImportFileError(_("The file has a header row but no participant rows."))
    return ImportPlan(rows=plan_rows), cleaned


# --- writing -----------------------------------------------------------------------------


def participant_row(user) -> list[str]:
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


def write_csv(users) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for user in users:
        writer.writerow(participant_row(user))
    # A BOM so that Excel opens UTF-8 (Arabic, accents) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(users, *, help_sheet: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "participants"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for user in users:
        sheet.append(participant_row(user))
    for column, width in zip(
        "ABCDEFGHIJK", [32, 16, 18, 16, 18, 8, 20, 36, 24, 16, 10], strict=True
    ):
        sheet.column_dimensions[column].width = width
    if help_sheet:
        help_ws = workbook.create_sheet("help")
        help_ws.append([_("Column"), _("Required"), _("Accepted values")])
        accepted = {
            "gender": "F, M",
            "function": ", ".join(Function.values),
            "region": "; ".join(label for _code, label in Region.choices),
            "preferred_language": "fr, ar, en",
        }
        for column in COLUMNS:
            help_ws.append(
                [column, _("yes") if column in REQUIRED else _("no"), accepted.get(column, "")]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Reading and writing participant lists (CSV or XLSX) in the columns of DESIGN.md §6.

`read_rows` turns file bytes into rows of cells; `validate_rows` checks every row and says
what importing it would do, without writing. Writing is `services.import_participants`."""

from __future__ import annotations

import re
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
from himaya.accounts.validators import validate_email_length, validate_name
from himaya.core import spreadsheets
from himaya.core.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
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


# The file as a whole cannot be read; the message is translated and shown as is.
ImportFileError = spreadsheets.SpreadsheetError


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
    # Beyond the cycle's capacity: enrolled on the waiting list (outcome created or updated).
    waiting: bool = False


@dataclass
class ImportPlan:
    rows: list[ImportRow]

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    def count(self, outcome: str) -> int:
        """Rows with this outcome. A plan with any error imports nothing, so its created,
        updated and unchanged counts are all 0 (only "error" rows are counted). "waiting"
        counts the rows enrolled on the waiting list, which are also created or updated."""
        if outcome != "error" and self.errors:
            return 0
        if outcome == "waiting":
            return sum(1 for r in self.rows if r.waiting)
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def waiting_count(self) -> int:
        return self.count("waiting")

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors

    def to_json(self) -> list[dict]:
        """The plan as stored with a staged import, so its preview is computed once."""
        return [
            {
                "row": r.row,
                "values": r.values,
                "outcome": r.outcome,
                "errors": [e.as_dict() for e in r.errors],
                "waiting": r.waiting,
            }
            for r in self.rows
        ]

    @classmethod
    def from_json(cls, data: list[dict]) -> ImportPlan:
        return cls(
            rows=[
                ImportRow(
                    row=r["row"],
                    values=r["values"],
                    outcome=r["outcome"],
                    errors=[RowError(**e) for e in r["errors"]],
                    waiting=r.get("waiting", False),  # previews stored before the waiting list
                )
                for r in data
            ]
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
        for language in LANGUAGE_CODES:
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
        v = dict(row.values)
        out: dict[str, str] = {}

        def error(field_name: str, message: str):
            row.errors.append(RowError(row.row, field_name, message))

        # Every column holds one line of visible text: no control characters (a NUL breaks
        # the XLSX export), no bidi or zero-width characters (they reorder or disguise names).
        refused = set()
        for name in COLUMNS:
            try:
                validate_name(v.get(name, "").strip())
            except ValidationError as exc:
                error(name, exc.messages[0])
                refused.add(name)
                v[name] = ""
        for name in REQUIRED:
            if name not in refused and not v.get(name, "").strip():
                error(name, _("This field is required."))
        email = v.get("email", "").strip().lower()
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
        out["preferred_language"] = DEFAULT_LANGUAGE
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
    rows: list[list[str]],
    *,
    existing_users: dict,
    enrolled_ids: set,
    scope: ImportScope | None = None,
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
    scope = scope or ImportScope()
    seats_needed = 0
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
    return spreadsheets.write_csv(COLUMNS, (participant_row(user) for user in users))


def write_xlsx(users, *, help_sheet: bool = False) -> bytes:
    writer = spreadsheets.XlsxWriter()
    sheet = writer.sheet("participants", header=COLUMNS)
    for user in users:
        sheet.append(participant_row(user))
    sheet.set_widths([32, 16, 18, 16, 18, 8, 20, 36, 24, 16, 10])
    if help_sheet:
        help_ws = writer.sheet("help", header=[_("Column"), _("Required"), _("Accepted values")])
        accepted = {
            "gender": "F, M",
            "function": ", ".join(Function.values),
            "region": "; ".join(label for _code, label in Region.choices),
            "preferred_language": ", ".join(LANGUAGE_CODES),
        }
        for column in COLUMNS:
            help_ws.append(
                [column, _("yes") if column in REQUIRED else _("no"), accepted.get(column, "")]
            )
    return writer.to_bytes()

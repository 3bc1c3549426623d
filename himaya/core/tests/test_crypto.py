"""Encrypted fields: the database holds only ciphertext, keys rotate, failures are loud.

The model under test lives in a registry of its own (never in the project's app registry, so no
migration sees it); its table is created once, outside any transaction, by a schema editor, which
works on SQLite and PostgreSQL alike."""

import datetime
import io

import pytest
from django.apps.registry import Apps
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, models

from himaya.core import crypto

KEY_A = "4Lgcv3zQLSsAGiUkam3ZbysIM3CYYuersIkoU-6yVwE="
KEY_B = "ROauuIHHrO6pmqlij5ZKjb0yEtfLiuid9f537kO197M="

# A registry of its own that knows only the core app, so get_models() lists this model alone.
test_apps = Apps(["himaya.core"])


class Assessment(models.Model):
    label = models.CharField(max_length=40)
    notes = crypto.EncryptedTextField(blank=True, null=True)
    answers = crypto.EncryptedJSONField(default=dict)

    class Meta:
        apps = test_apps
        app_label = "core"
        db_table = "crypto_tests_assessment"

    def __str__(self):
        return self.label


@pytest.fixture(scope="module")
def assessment_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Assessment)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Assessment)


@pytest.fixture
def keys(settings):
    settings.ENCRYPTION_KEYS = [KEY_A]
    return settings


@pytest.fixture
def table(assessment_table, db, keys):
    return Assessment


def raw_columns(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes, answers FROM crypto_tests_assessment WHERE id = %s", [pk])
        return cursor.fetchone()


def test_the_database_holds_no_plaintext_and_reads_back_the_values(table):
    row = Assessment.objects.create(
        label="a",
        notes="Risque élevé : menaces répétées — خطر مرتفع",
        answers={"weapon": True, "seen_on": datetime.date(2024, 5, 3), "score": 7},
    )
    notes, answers = raw_columns(row.pk)
    assert notes.startswith(f"enc1:{crypto.key_id(crypto._b64decode(KEY_A))}:")
    assert "menaces" not in notes and "خطر" not in notes
    assert "weapon" not in answers and "2024" not in answers
    again = Assessment.objects.get(pk=row.pk)
    assert again.notes == "Risque élevé : menaces répétées — خطر مرتفع"
    assert again.answers == {"weapon": True, "seen_on": "2024-05-03", "score": 7}
    assert list(Assessment.objects.values_list("notes", flat=True)) == [again.notes]


def test_same_text_encrypts_differently_and_lengths_are_padded(table):
    first = Assessment.objects.create(label="a", notes="low")
    second = Assessment.objects.create(label="b", notes="low")
    third = Assessment.objects.create(label="c", notes="high")
    low_a, low_b, high = (raw_columns(r.pk)[0] for r in (first, second, third))
    assert low_a != low_b
    assert len(low_a) == len(high)


def test_none_stays_null_and_updates_are_encrypted(table):
    row = Assessment.objects.create(label="a", notes=None)
    assert raw_columns(row.pk)[0] is None
    assert Assessment.objects.filter(notes__isnull=True).count() == 1
    Assessment.objects.filter(pk=row.pk).update(notes="mise à jour")
    assert "mise" not in raw_columns(row.pk)[0]
    assert Assessment.objects.get(pk=row.pk).notes == "mise à jour"


def test_encrypted_values_cannot_be_searched(table):
    with pytest.raises(FieldError):
        Assessment.objects.filter(notes="x").count()
    with pytest.raises(FieldError):
        Assessment.objects.filter(notes__icontains="x").count()
    with pytest.raises(FieldError):
        Assessment.objects.filter(answers__weapon=True).count()


def test_no_key_is_a_clear_configuration_error_when_a_field_is_used(table, settings):
    settings.ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="HIMAYA_ENCRYPTION_KEYS"):
        Assessment.objects.create(label="a", notes="secret")
    del settings.ENCRYPTION_KEYS
    with pytest.raises(ImproperlyConfigured, match="HIMAYA_ENCRYPTION_KEYS"):
        crypto.encrypt("secret")


def test_a_malformed_key_is_refused_without_echoing_it(settings):
    settings.ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="key 1 is not") as error:
        crypto.encrypt("x")
    assert "not-a-key" not in str(error.value)


def test_a_corrupt_or_foreign_value_raises_never_shows_text(table):
    row = Assessment.objects.create(label="a", notes="secret")
    token = raw_columns(row.pk)[0]
    head, body = token.rsplit(":", 1)
    flipped = body[:-3] + ("A" if body[-3] != "A" else "B") + body[-2:]
    for stored in (f"{head}:{flipped}", "plain text written behind Django's back", token[:-20]):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE crypto_tests_assessment SET notes = %s WHERE id = %s", [stored, row.pk]
            )
        with pytest.raises(crypto.DecryptionError):
            Assessment.objects.get(pk=row.pk)


def test_a_value_moved_to_another_key_id_fails_authentication(table, settings):
    settings.ENCRYPTION_KEYS = [KEY_A, KEY_B]
    token = crypto.encrypt("secret")
    kid_b = crypto.key_id(crypto._b64decode(KEY_B))
    forged = token.replace(token.split(":")[1], kid_b, 1)
    with pytest.raises(crypto.DecryptionError, match="altered"):
        crypto.decrypt(forged)


def test_old_keys_still_decrypt_and_a_removed_key_fails_closed(table, settings):
    row = Assessment.objects.create(label="a", notes="written with A")
    settings.ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert Assessment.objects.get(pk=row.pk).notes == "written with A"
    settings.ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(crypto.DecryptionError, match="not in HIMAYA_ENCRYPTION_KEYS"):
        Assessment.objects.get(pk=row.pk)


def test_rotation_re_encrypts_every_row_with_the_first_key_in_batches(
    table, settings, django_assert_max_num_queries
):
    rows = [
        Assessment.objects.create(label=str(i), notes=f"note {i}", answers={"i": i})
        for i in range(7)
    ]
    Assessment.objects.filter(pk=rows[3].pk).update(notes=None)
    settings.ENCRYPTION_KEYS = [KEY_B, KEY_A]
    kid_b = crypto.key_id(crypto._b64decode(KEY_B))
    # Rows already on the new key are left alone (a re-run after an interruption).
    Assessment.objects.filter(pk=rows[0].pk).update(notes="already B", answers={"i": 0})
    assert crypto.rotate_model(Assessment, crypto.encrypted_fields(Assessment), batch_size=3) == 6
    for row in rows:
        notes, answers = raw_columns(row.pk)
        assert answers.startswith(f"enc1:{kid_b}:")
        assert notes is None if row.pk == rows[3].pk else notes.startswith(f"enc1:{kid_b}:")
    settings.ENCRYPTION_KEYS = [KEY_B]
    values = dict(Assessment.objects.values_list("label", "notes"))
    assert values["0"] == "already B" and values["3"] is None and values["6"] == "note 6"
    assert Assessment.objects.get(label="5").answers == {"i": 5}
    assert crypto.rotate_model(Assessment, crypto.encrypted_fields(Assessment)) == 0


def test_rotate_all_finds_models_through_the_app_registry(table, settings):
    Assessment.objects.create(label="a", notes="x")
    settings.ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert crypto.rotate_all(app_registry=test_apps) == {"core.Assessment": 1}


def test_rotate_command_reports_every_model(table, settings, monkeypatch):
    Assessment.objects.create(label="a", notes="x")
    Assessment.objects.create(label="b", notes="y")
    settings.ENCRYPTION_KEYS = [KEY_B, KEY_A]
    real = crypto.models_with_encrypted_fields
    monkeypatch.setattr(
        crypto, "models_with_encrypted_fields", lambda app_registry=None: real(test_apps)
    )
    out = io.StringIO()
    call_command("rotate_encryption_key", "--batch-size", "1", stdout=out)
    assert "core.Assessment: 2 row(s) re-encrypted." in out.getvalue()
    settings.ENCRYPTION_KEYS = [KEY_B]
    assert sorted(Assessment.objects.values_list("notes", flat=True)) == ["x", "y"]


def test_rotate_command_stops_on_an_unreadable_value(table, settings, monkeypatch):
    from django.core.management.base import CommandError

    row = Assessment.objects.create(label="a", notes="x")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE crypto_tests_assessment SET notes = 'plain' WHERE id = %s", [row.pk])
    real = crypto.models_with_encrypted_fields
    monkeypatch.setattr(
        crypto, "models_with_encrypted_fields", lambda app_registry=None: real(test_apps)
    )
    with pytest.raises(CommandError, match="core.Assessment"):
        call_command("rotate_encryption_key", stdout=io.StringIO())


def test_the_project_registry_is_scanned_without_error(keys, db):
    # The tools' private records are the project's encrypted models; the command runs on the
    # real registry and finds them.
    out = io.StringIO()
    call_command("rotate_encryption_key", stdout=out)
    assert "model(s) with encrypted fields" in out.getvalue()
    found = {model._meta.label for model, _fields in crypto.models_with_encrypted_fields()}
    assert {"tools.Assessment", "tools.ChecklistRecord"} <= found


def test_encrypted_fields_refuse_indexes_and_uniqueness():
    isolated = Apps()

    class Bad(models.Model):
        secret = crypto.EncryptedTextField(unique=True)
        other = crypto.EncryptedTextField(db_index=True)

        class Meta:
            apps = isolated
            app_label = "crypto_tests"

    ids = [e.id for e in Bad.check()]
    assert ids.count("himaya.E101") == 2


def test_fields_deconstruct_for_migrations():
    name, path, args, kwargs = Assessment._meta.get_field("answers").deconstruct()
    assert path == "himaya.core.crypto.EncryptedJSONField"
    assert kwargs == {"default": dict}


def test_deploy_check_needs_a_key_only_where_fields_are_encrypted(settings, monkeypatch):
    settings.ENCRYPTION_KEYS = []
    # The project has encrypted fields (the tools' private records): no key, no start.
    assert [e.id for e in crypto.check_keys_for_encrypted_fields()] == ["himaya.E102"]
    monkeypatch.setattr(crypto, "models_with_encrypted_fields", lambda app_registry=None: [])
    assert crypto.check_keys_for_encrypted_fields() == []
    monkeypatch.undo()
    real = crypto.models_with_encrypted_fields
    monkeypatch.setattr(
        crypto, "models_with_encrypted_fields", lambda app_registry=None: real(test_apps)
    )
    assert [e.id for e in crypto.check_keys_for_encrypted_fields()] == ["himaya.E102"]
    settings.ENCRYPTION_KEYS = [KEY_A]
    assert crypto.check_keys_for_encrypted_fields() == []

"""An assessment is its author's alone, encrypted, audited without its content, and deleted on
schedule; the author can export and delete everything."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.urls import reverse

from himaya.accounts.choices import Role
from himaya.core.models import AuditEntry
from himaya.tools import services
from himaya.tools.models import Assessment, ChecklistRecord
from himaya.training.tests.factories import UserFactory

from .helpers import a_round

pytestmark = pytest.mark.django_db

SECRET_LABEL = "Affaire-Zineb-Douar-Ouled-Tayeb"
SECRET_REASON = "Il a menacé de la tuer devant l'école Al Amal"


@pytest.fixture
def judge(participant):
    return participant


@pytest.fixture
def assessment(tools_content, judge):
    return services.create_assessment(
        author=judge,
        label=SECRET_LABEL,
        round_=a_round(level="severe", level_reason=SECRET_REASON),
    )


def _raw_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        return [" ".join(str(v) for v in row) for row in cursor.fetchall()]


def test_the_raw_database_holds_no_plaintext_of_an_assessment(assessment):
    rows = _raw_rows(Assessment._meta.db_table)
    assert len(rows) == 1
    for needle in (SECRET_LABEL, "Zineb", SECRET_REASON, "strangulation", "severe", "404"):
        assert needle not in rows[0]
    assert "enc1:" in rows[0]
    # Nor does the audit log: events name the record, never its contents.
    for row in _raw_rows(AuditEntry._meta.db_table):
        assert "Zineb" not in row and "menacé" not in row and "strangulation" not in row
    # And Python reads it back.
    assert Assessment.objects.get().payload["label"] == SECRET_LABEL


@pytest.mark.parametrize("who", ["coordinator", "trainer", "admin_user", "other_participant"])
def test_nobody_but_the_author_reads_an_assessment(client, assessment, who, request):
    other = request.getfixturevalue(who)
    client.force_login(other)
    for name in ("tools:assessment", "tools:assessment_pdf", "tools:reassess"):
        response = client.get(reverse(name, args=[assessment.pk]))
        assert response.status_code == 403, (who, name)
        assert SECRET_LABEL not in response.content.decode(errors="ignore")
    response = client.post(reverse("tools:record_delete", args=["assessment", assessment.pk]))
    assert response.status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    # Their own list and export hold nothing of it.
    page = client.get(reverse("tools:my_records")).content.decode()
    assert SECRET_LABEL not in page
    export = client.get(reverse("tools:export_records")).content.decode()
    assert SECRET_LABEL not in export


def test_a_superuser_is_refused_too_and_the_admin_does_not_list_assessments(
    client, assessment, admin_user
):
    assert admin_user.is_superuser
    client.force_login(admin_user)
    assert client.get(reverse("tools:assessment", args=[assessment.pk])).status_code == 403
    assert client.get("/fr/admin/tools/assessment/").status_code == 404


def test_every_read_and_change_is_an_audit_event_without_content(client, assessment, judge):
    client.force_login(judge)
    before = AuditEntry.objects.count()
    assert client.get(reverse("tools:assessment", args=[assessment.pk])).status_code == 200
    reads = AuditEntry.objects.filter(event="record.read", target_id=str(assessment.pk))
    assert reads.count() == 1 and reads.get().actor == judge
    client.post(reverse("tools:assessment_incident", args=[assessment.pk]), {"kind": "breach"})
    events = list(AuditEntry.objects.order_by("pk").values_list("event", flat=True)[before:])
    assert "assessment.incident_reported" in events
    for entry in AuditEntry.objects.filter(target_id=str(assessment.pk)):
        assert SECRET_LABEL not in json.dumps(entry.changes) + json.dumps(entry.extra)
        assert SECRET_LABEL not in entry.target_repr


def test_deleted_180_days_after_the_last_reassessment_unless_kept(tools_content, judge):
    services.create_assessment(author=judge, label="A", round_=a_round(), today=dt.date(2026, 1, 1))
    kept = services.create_assessment(
        author=judge, label="B", round_=a_round(), today=dt.date(2026, 1, 1)
    )
    services.set_kept(record=kept, actor=judge, kept=True)
    reassessed = services.create_assessment(
        author=judge, label="C", round_=a_round(), today=dt.date(2026, 1, 1)
    )
    services.reassess(
        assessment=reassessed,
        actor=judge,
        round_=a_round(reason="one_month"),
        today=dt.date(2026, 2, 1),
    )
    # 180 days after 1 January is 30 June: on 30 June nothing is due for deletion yet.
    assert services.purge_expired(today=dt.date(2026, 6, 30))["assessments"] == 0
    assert services.purge_expired(today=dt.date(2026, 7, 1))["assessments"] == 1
    assert set(Assessment.objects.values_list("pk", flat=True)) == {kept.pk, reassessed.pk}
    assert services.purge_expired(today=dt.date(2026, 8, 1))["assessments"] == 1
    assert list(Assessment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert AuditEntry.objects.filter(event="tools.records_purged").count() == 2


def test_the_retention_period_is_configurable(tools_content, judge, settings):
    settings.TOOLS_RETENTION_DAYS = 30
    services.create_assessment(author=judge, label="A", round_=a_round(), today=dt.date(2026, 1, 1))
    assert services.purge_expired(today=dt.date(2026, 2, 1))["assessments"] == 1


def test_the_author_exports_and_deletes_everything(client, assessment, judge):
    services.save_checklist_record(
        author=judge, checklist_key="first-hearing", label="Dossier 2", ticks=[], notes={}
    )
    other = UserFactory(role=Role.PARTICIPANT)
    services.create_assessment(author=other, label="Not mine", round_=a_round())
    client.force_login(judge)
    response = client.get(reverse("tools:export_records"))
    data = json.loads(response.content)
    assert [a["label"] for a in data["assessments"]] == [SECRET_LABEL]
    assert data["assessments"][0]["rounds"][0]["level_reason"] == SECRET_REASON
    assert [c["label"] for c in data["checklists"]] == ["Dossier 2"]
    assert response["Cache-Control"] == "no-store"
    # Delete all needs the box ticked.
    client.post(reverse("tools:delete_all"), {})
    assert Assessment.objects.filter(author=judge).exists()
    client.post(reverse("tools:delete_all"), {"confirm": "1"})
    assert not Assessment.objects.filter(author=judge).exists()
    assert not ChecklistRecord.objects.filter(author=judge).exists()
    assert Assessment.objects.filter(author=other).count() == 1


def test_the_purge_command_runs_the_schedule(tools_content, judge):
    import io

    from django.core.management import call_command

    services.create_assessment(author=judge, label="A", round_=a_round(), today=dt.date(2020, 1, 1))
    out = io.StringIO()
    call_command("purge_tool_records", stdout=out)
    assert "1 assessment(s)" in out.getvalue()
    assert not Assessment.objects.exists()


def test_uses_count_for_the_partners_of_the_judges_own_cycles_only(tools_content, judge, cycle):
    from himaya.tools.models import UsageCount
    from himaya.training.models import EnrolmentStatus
    from himaya.training.tests.factories import (
        CycleFactory,
        EnrolmentFactory,
        PartnerFactory,
        ProgrammeFactory,
    )

    other_partner = PartnerFactory(slug="other")
    other_cycle = CycleFactory(programme=ProgrammeFactory(partners=[other_partner]))
    # Somebody else waits in the other partner's cycle; the judge withdrew from it.
    EnrolmentFactory(cycle=other_cycle, status=EnrolmentStatus.WAITING)
    EnrolmentFactory(cycle=other_cycle, participant=judge, status=EnrolmentStatus.WITHDRAWN)
    services.create_assessment(author=judge, label="x", round_=a_round())
    assert list(UsageCount.objects.values_list("partner__slug", "count")) == [
        (cycle.programme.partners.get().slug, 1)
    ]


def test_a_record_past_its_period_is_never_shown_even_before_the_daily_purge(
    client, tools_content, judge
):
    old = services.create_assessment(
        author=judge, label="Ancien", round_=a_round(), today=dt.date(2020, 1, 1)
    )
    client.force_login(judge)
    assert "Ancien" not in client.get(reverse("tools:my_records")).content.decode()
    assert client.get(reverse("tools:assessment", args=[old.pk])).status_code == 404
    assert not Assessment.objects.filter(pk=old.pk).exists()

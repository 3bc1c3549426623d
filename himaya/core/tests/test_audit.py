import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from himaya.core import audit
from himaya.core.models import AuditAction, AuditEntry
from himaya.training import services
from himaya.training.models import Cycle

pytestmark = pytest.mark.django_db


def test_deleting_a_cycle_logs_the_cascade_with_the_actor(
    cycle, session, participant, trainer, admin_user
):
    services.record_attendance(
        session=session, participant=participant, status="present", actor=trainer
    )
    with audit.acting_as(admin_user):
        cycle.delete()
    deleted = AuditEntry.objects.filter(action=AuditAction.DELETE)
    labels = {e.target_type.model for e in deleted}
    assert {"cycle", "session", "enrolment", "attendance"} <= labels
    assert all(e.actor == admin_user for e in deleted)
    cycle_entry = deleted.get(target_type__model="cycle")
    assert cycle_entry.changes["slug"] == ["casablanca-2024-cycle-1", None]


def test_admin_edit_of_a_cycle_is_logged_with_changed_fields(client, admin_user, cycle):
    client.force_login(admin_user)
    url = reverse("admin:training_cycle_change", args=[cycle.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "programme": cycle.programme_id,
            "capacity": 40,
            "start_date": "2024-12-05",
            "end_date": "2024-12-06",
            "sessions-TOTAL_FORMS": 0,
            "sessions-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="cycle")
    assert entry.changes["capacity"] == [30, 40]
    assert entry.actor == admin_user


def test_user_deletion_is_logged_without_the_password(participant, admin_user):
    with audit.acting_as(admin_user):
        participant.delete()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, target_type__model="user")
    assert "password" not in entry.changes
    assert entry.changes["email"][0] == "p1@example.test"


def test_audit_log_is_read_only_and_for_administrators_only(client, admin_user, coordinator):
    model_admin = site._registry[AuditEntry]
    client.force_login(coordinator)
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    request = type("R", (), {"user": admin_user})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_coordinator_admin_sees_only_their_partners_cycles(client, coordinator, cycle):
    from django.contrib.auth.models import Group, Permission

    from himaya.training.tests.factories import CycleFactory

    group = Group.objects.create(name="Coordinators")
    group.permissions.set(Permission.objects.filter(content_type__app_label="training"))
    coordinator.groups.add(group)
    foreign = CycleFactory(title="Foreign cycle")
    client.force_login(coordinator)
    page = client.get(reverse("admin:training_cycle_changelist")).content.decode()
    assert cycle.title in page and "Foreign cycle" not in page
    assert client.get(reverse("admin:training_cycle_change", args=[foreign.pk])).status_code in (
        302,
        404,
    )
    assert Cycle.objects.count() == 2


def test_admin_pages_load_no_third_party_script(client, admin_user, cycle, module, session):
    import re

    client.force_login(admin_user)
    for name, args in [
        ("admin:training_cycle_change", [cycle.pk]),
        ("admin:training_module_change", [module.pk]),
        ("admin:training_session_change", [session.pk]),
        ("admin:training_partner_add", []),
    ]:
        page = client.get(reverse(name, args=args)).content.decode()
        assert not re.search(r'<script[^>]+src="(https?:)?//', page), name
        assert 'name="title_ar"' in page or 'name="name_ar"' in page, name

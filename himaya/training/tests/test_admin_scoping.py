"""The Django admin is for administrators: coordinators and trainers never reach it."""

import pytest
from django.urls import reverse

from himaya.accounts.choices import Role
from himaya.core.models import AuditEntry
from himaya.training.tests.factories import (
    CycleFactory,
    EnrolmentFactory,
    PartnerFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cycle, admin_user):
    """Partner A owns `cycle`; partner B has its own programme, cycle and coordinator."""
    partner_b = PartnerFactory(slug="b", name="Partner B", short_name="B")
    cycle_b = CycleFactory(programme=ProgrammeFactory(partners=[partner_b]), slug="b-cycle")
    coordinator_b = UserFactory(
        role=Role.COORDINATOR, partner=partner_b, email="coord.b@example.test", is_staff=True
    )
    participant_a = EnrolmentFactory(
        cycle=cycle, participant__email="only.a@example.test"
    ).participant
    participant_b = EnrolmentFactory(
        cycle=cycle_b, participant__email="only.b@example.test"
    ).participant
    return {
        "cycle_a": cycle,
        "cycle_b": cycle_b,
        "coordinator_b": coordinator_b,
        "participant_a": participant_a,
        "participant_b": participant_b,
        "admin": admin_user,
    }


ADMIN_PAGES = [
    ("admin:index", []),
    ("admin:training_cycle_changelist", []),
    ("admin:training_enrolment_add", []),
    ("admin:training_session_add", []),
    ("admin:accounts_user_changelist", []),
]


@pytest.mark.parametrize("name,args", ADMIN_PAGES)
def test_the_admin_is_for_administrators_only_even_for_a_staff_coordinator(
    client, world, trainer, name, args
):
    """Coordinators and trainers work in Himaya's own screens: even marked staff by mistake,
    they get no admin page (the admin sends them to its sign-in page), nor any model right."""
    trainer.is_staff = True
    trainer.save()
    for person in (world["coordinator_b"], trainer):
        client.force_login(person)
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
        assert not person.has_perm("training.change_cycle")
    client.force_login(world["admin"])
    assert client.get(reverse(name, args=args)).status_code == 200


def test_the_admin_says_himaya(client, world):
    client.force_login(world["admin"])
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Django" not in page.split("<body")[1].split("</header>")[0]


def test_coordinators_are_not_offered_the_admin_link(client, world):
    client.force_login(world["coordinator_b"])
    page = client.get(reverse("training:dashboard")).content.decode()
    assert reverse("admin:index") not in page


def test_admin_password_change_is_audited(client, world):
    client.force_login(world["admin"])
    target = world["participant_b"]
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = client.post(
        url,
        {
            "password1": "new-passphrase-2026!",
            "password2": "new-passphrase-2026!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(target_type__model="user", target_id=str(target.pk)).latest(
        "id"
    )
    assert entry.actor == world["admin"]
    assert "password" in entry.changes
    assert "new-passphrase" not in str(entry.changes)

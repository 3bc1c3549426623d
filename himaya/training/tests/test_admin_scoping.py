"""The admin, as a coordinator of partner B uses it: nothing of partner A's, no staff account."""

import pytest
from django.urls import reverse

from himaya.accounts.choices import Role
from himaya.core.models import AuditEntry
from himaya.training.models import Enrolment, Session
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


def test_coordinator_needs_no_group_to_use_their_admin(client, world):
    client.force_login(world["coordinator_b"])
    assert client.get(reverse("admin:training_cycle_changelist")).status_code == 200
    page = client.get(reverse("admin:training_cycle_changelist")).content.decode()
    assert world["cycle_b"].title in page
    assert world["cycle_a"].title not in page


def test_coordinator_cannot_enrol_anyone_in_another_partners_cycle(client, world):
    client.force_login(world["coordinator_b"])
    response = client.post(
        reverse("admin:training_enrolment_add"),
        {
            "cycle": world["cycle_a"].pk,
            "participant": world["participant_b"].pk,
            "status": "invited",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "cycle" in response.context["adminform"].form.errors
    assert not Enrolment.objects.filter(
        cycle=world["cycle_a"], participant=world["participant_b"]
    ).exists()


def test_coordinator_cannot_enrol_the_administrator(client, world):
    client.force_login(world["coordinator_b"])
    response = client.post(
        reverse("admin:training_enrolment_add"),
        {"cycle": world["cycle_b"].pk, "participant": world["admin"].pk, "status": "invited"},
    )
    assert "participant" in response.context["adminform"].form.errors
    assert not Enrolment.objects.filter(participant=world["admin"]).exists()


def test_coordinator_cannot_add_a_session_to_another_partners_cycle(client, world):
    client.force_login(world["coordinator_b"])
    cycle_a = world["cycle_a"]
    response = client.post(
        reverse("admin:training_session_add"),
        {
            "cycle": cycle_a.pk,
            "key": "intrusion",
            "title_fr": "Intrusion",
            "date": cycle_a.start_date.isoformat(),
            "start_time": "09:00",
            "end_time": "10:00",
        },
    )
    assert response.status_code == 200
    assert "cycle" in response.context["adminform"].form.errors
    assert not Session.objects.filter(key="intrusion").exists()


def test_coordinator_cannot_change_a_staff_account_even_if_enrolled(client, world):
    # Suppose the administrator were enrolled in B's cycle (an older hole let B do this).
    EnrolmentFactory(cycle=world["cycle_b"], participant=world["admin"])
    client.force_login(world["coordinator_b"])
    admin_pk = world["admin"].pk
    password_url = reverse("admin:auth_user_password_change", args=[admin_pk])
    assert client.get(password_url).status_code == 403
    response = client.post(
        password_url, {"password1": "taken-over-2026!", "password2": "taken-over-2026!"}
    )
    assert response.status_code == 403
    world["admin"].refresh_from_db()
    assert not world["admin"].check_password("taken-over-2026!")
    change = client.post(
        reverse("admin:accounts_user_change", args=[admin_pk]), {"email": "attacker@example.test"}
    )
    assert change.status_code == 403
    world["admin"].refresh_from_db()
    assert world["admin"].email == "admin@example.test"


def test_coordinator_sees_only_people_of_their_partners_cycles(client, world):
    client.force_login(world["coordinator_b"])
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "only.b@example.test" in page
    assert "only.a@example.test" not in page
    url = reverse("admin:accounts_user_change", args=[world["participant_a"].pk])
    assert client.get(url).status_code == 302  # "does not exist" redirect to the admin index
    # The enrolment form offers no one from partner A.
    form = client.get(reverse("admin:training_enrolment_add")).context["adminform"].form
    offered = set(form.fields["participant"].queryset.values_list("email", flat=True))
    assert offered == {"only.b@example.test"}
    assert set(form.fields["cycle"].queryset) == {world["cycle_b"]}


def test_session_trainer_widget_lists_trainers_only(client, world, trainer):
    client.force_login(world["coordinator_b"])
    form = client.get(reverse("admin:training_session_add")).context["adminform"].form
    trainers = set(form.fields["trainers"].queryset)
    assert trainer in trainers
    assert world["participant_a"] not in trainers and world["admin"] not in trainers


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

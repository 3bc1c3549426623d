"""Partner scoping and withdrawn participants: tests written against mutants that the rest of
the suite let through (a dropped partner filter, a dropped "not withdrawn", a dropped role or
superuser check). Each one fails when its guard is removed."""

import pytest
import rules
from django.core.exceptions import ValidationError

from himaya.accounts.choices import Role
from himaya.accounts.models import User
from himaya.testing import url
from himaya.training import admin_scoping, selectors, services
from himaya.training.models import Attendance, EnrolmentStatus
from himaya.training.tests.factories import (
    CycleFactory,
    EnrolmentFactory,
    PartnerFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_b():
    return PartnerFactory(slug="b", name="Partner B", short_name="B")


@pytest.fixture
def cycle_b(partner_b):
    return CycleFactory(programme=ProgrammeFactory(partners=[partner_b]), slug="b-cycle")


@pytest.fixture
def coordinator_b(partner_b):
    return UserFactory(
        role=Role.COORDINATOR, partner=partner_b, email="coord.b@example.test", is_staff=True
    )


@pytest.fixture
def withdrawn(cycle):
    return EnrolmentFactory(
        cycle=cycle, participant__email="gone@example.test", status=EnrolmentStatus.WITHDRAWN
    ).participant


# --- partner scoping ------------------------------------------------------------------------


def test_coordinator_may_access_only_participants_of_their_partners_cycles(
    coordinator_b, cycle_b, participant
):
    ours = EnrolmentFactory(cycle=cycle_b, participant__email="ours@example.test").participant
    assert rules.has_perm("training.access_participant", coordinator_b, ours)
    # `participant` is enrolled, but only in partner A's cycle.
    assert not rules.has_perm("training.access_participant", coordinator_b, participant)
    assert not coordinator_b.has_perm("training.access_participant", participant)


def test_coordinator_without_partner_sees_no_cycle_not_even_one_without_partner(db):
    orphan = ProgrammeFactory()
    orphan.partners.clear()  # the factory gives every programme a partner of its own
    CycleFactory(programme=orphan, slug="orphan-cycle")
    lost = UserFactory(role=Role.COORDINATOR, partner=None, email="lost@example.test")
    assert list(selectors.cycles_for_user(user=lost)) == []


def test_coordinator_may_not_change_a_trainer_enrolled_in_their_cycle(coordinator_b, cycle_b):
    # A non-staff trainer account that is also enrolled in B's cycle: still not B's to change.
    trainer = UserFactory(role=Role.TRAINER, email="t.enrolled@example.test", is_staff=False)
    EnrolmentFactory(cycle=cycle_b, participant=trainer)
    learner = EnrolmentFactory(cycle=cycle_b, participant__email="l@example.test").participant
    assert admin_scoping.may_change_person(coordinator_b, learner)
    assert not admin_scoping.may_change_person(coordinator_b, trainer)


def test_admin_participant_choices_never_offer_a_superuser(coordinator_b, cycle_b):
    # A superuser whose role says participant and who is not staff, enrolled in B's cycle.
    root = User.objects.create_user(
        email="root@example.test", password="pass-word-123", is_superuser=True
    )
    EnrolmentFactory(cycle=cycle_b, participant=root)
    learner = EnrolmentFactory(cycle=cycle_b, participant__email="l@example.test").participant
    offered = set(admin_scoping.choices_for(User, "participant", coordinator_b))
    assert offered == {learner}


# --- withdrawn participants -------------------------------------------------------------------


def test_withdrawn_participant_no_longer_sees_the_cycle(cycle, participant, withdrawn):
    assert list(selectors.cycles_for_user(user=participant)) == [cycle]
    assert list(selectors.cycles_for_user(user=withdrawn)) == []


def test_withdrawn_participant_may_not_read_the_programmes_modules(client, module, withdrawn):
    client.force_login(withdrawn)
    assert client.get(url("training:module_detail", module.key)).status_code == 403
    assert not rules.has_perm("training.read_module", withdrawn, module)


def test_enrolled_participant_reads_the_programmes_modules(client, module, participant):
    client.force_login(participant)
    assert client.get(url("training:module_detail", module.key)).status_code == 200


def test_no_attendance_tap_for_a_withdrawn_participant(session, trainer, withdrawn):
    with pytest.raises(ValidationError) as refused:
        services.record_attendance(
            session=session, participant=withdrawn, status="present", actor=trainer
        )
    assert refused.value.code == services.NOT_ENROLLED
    assert not Attendance.objects.exists()

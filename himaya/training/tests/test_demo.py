"""`himaya load_content --demo`: through the services, idempotent, two unrelated partners."""

import shutil

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from himaya.accounts.choices import Role
from himaya.accounts.models import User
from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.training.models import Attendance, Cycle, Enrolment, Session

B_COORDINATOR = "coordinator.b@demo.himaya.test"
B_CYCLE = "demo-b-2025-cycle-1"
A_CYCLE = "casablanca-2024-cycle-1"


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_content", demo=True, verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def loaded(_loaded_once, db):
    return None


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_loading_the_demo_again_changes_nothing_and_writes_no_event(loaded, capsys):
    before = row_counts()
    events = list(AuditEntry.objects.values_list("id", flat=True))
    capsys.readouterr()
    call_command("load_content", demo=True)
    out = capsys.readouterr().out
    assert " 0 created, 0 updated" in out
    assert B_COORDINATOR in out  # printed with the other demo accounts
    assert row_counts() == before
    assert list(AuditEntry.objects.values_list("id", flat=True)) == events


def test_the_demo_is_written_through_the_services(loaded):
    for slug in (A_CYCLE, B_CYCLE):
        cycle = Cycle.objects.get(slug=slug)
        assert AuditEntry.objects.filter(
            event=audit.CYCLE_CREATED, target_id=str(cycle.pk)
        ).exists()
    assert AuditEntry.objects.filter(event=audit.SESSION_CREATED).count() == Session.objects.count()
    assert (
        AuditEntry.objects.filter(event=audit.ENROLMENT_CREATED).count()
        == Enrolment.objects.count()
    )
    assert (
        AuditEntry.objects.filter(event=audit.ATTENDANCE_RECORDED).count()
        == Attendance.objects.count()
    )
    assert AuditEntry.objects.filter(event=audit.CERTIFICATE_REVOKED).count() == 1


def test_the_second_partner_is_separate_from_the_first(loaded):
    coordinator_b = User.objects.get(email=B_COORDINATOR)
    assert coordinator_b.role == Role.COORDINATOR
    assert coordinator_b.check_password("himaya-demo-2024")
    cycle_b = Cycle.objects.get(slug=B_CYCLE)
    cycle_a = Cycle.objects.get(slug=A_CYCLE)
    assert list(cycle_b.programme.partners.all()) == [coordinator_b.partner]
    assert coordinator_b.partner not in cycle_a.programme.partners.all()
    assert cycle_b.programme != cycle_a.programme
    assert cycle_b.start_date.year == 2025 and cycle_b.sessions.count() >= 3

    people_b = set(cycle_b.enrolments.values_list("participant_id", flat=True))
    people_a = set(cycle_a.enrolments.values_list("participant_id", flat=True))
    assert 5 <= len(people_b) <= 8 and not people_a & people_b
    assert all(u.first_name_ar and u.last_name_ar for u in User.objects.filter(pk__in=people_b))
    trainers_b = set(User.objects.filter(sessions_taught__cycle=cycle_b))
    assert trainers_b and not trainers_b & set(User.objects.filter(sessions_taught__cycle=cycle_a))

    coordinator_a = User.objects.get(email="coordination@amj.himaya.test")
    assert coordinator_b.has_perm("training.manage_cycle", cycle_b)
    assert not coordinator_b.has_perm("training.manage_cycle", cycle_a)
    assert not coordinator_a.has_perm("training.manage_cycle", cycle_b)
    assert Attendance.objects.filter(session__cycle=cycle_b).count() == (
        len(people_b) * cycle_b.sessions.filter(attendance_expected=True).count()
    )


def test_demo_coordinators_work_without_the_admin(loaded):
    from django.contrib.auth.models import Group

    assert not Group.objects.filter(name="Coordinators").exists()
    coordinator_b = User.objects.get(email=B_COORDINATOR)
    # Their screens are Himaya's own: no staff flag, no admin model right.
    assert not coordinator_b.is_staff
    assert not coordinator_b.has_perm("training.view_cycle")


def test_an_invalid_demo_file_loads_nothing_and_names_its_line(loaded, tmp_path, settings, capsys):
    root = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", root)
    path = root / "demo" / "cycle-fes-2025.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "{participant: 5, session: s4" in line)
    lines[index] = lines[index].replace("status: absent", "status: asleep")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    Cycle.objects.filter(slug=B_CYCLE).delete()
    before = row_counts()
    capsys.readouterr()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", demo=True, path=str(root), verbosity=0)
    assert (
        f"demo/cycle-fes-2025.yaml:{index + 1}: unknown status 'asleep'" in capsys.readouterr().err
    )
    assert row_counts() == before
    assert not Cycle.objects.filter(slug=B_CYCLE).exists()

"""The coordinator's workspace without the admin: cycles, their status, duplication, the agenda."""

import datetime

import pytest
import time_machine

from himaya.accounts.choices import Role
from himaya.accounts.models import User
from himaya.core.models import AuditEntry
from himaya.testing import url
from himaya.training import cycles
from himaya.training.models import (
    Attendance,
    AttendanceStatus,
    Cycle,
    CycleStatus,
    EnrolmentStatus,
    Session,
)
from himaya.training.tests.factories import (
    CycleFactory,
    EnrolmentFactory,
    PartnerFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW_CYCLE = {
    "start_date": "2027-02-10",
    "end_date": "2027-02-11",
    "capacity": "25",
    "title_fr": "Cycle de Marrakech",
    "title_ar": "دورة مراكش",
    "title_en": "",
    "city_fr": "Marrakech",
    "city_ar": "مراكش",
    "city_en": "",
    "venue_fr": "",
    "venue_ar": "",
    "venue_en": "",
    "slug": "",
}


@pytest.fixture
def outsider(db):
    return UserFactory(role=Role.COORDINATOR, partner=PartnerFactory(), email="b@example.test")


def test_a_coordinator_creates_a_draft_cycle_with_a_proposed_key(client, coordinator, cycle):
    client.force_login(coordinator)
    response = client.post(
        url("training:cycle_create"), {**NEW_CYCLE, "programme": cycle.programme.pk}
    )
    created = Cycle.objects.get(title_fr="Cycle de Marrakech")
    assert response.status_code == 302
    assert response["Location"] == url("training:agenda", created.slug)
    assert created.slug == "cycle-de-marrakech-2027"
    assert created.status == CycleStatus.DRAFT
    assert created.title_ar == "دورة مراكش"
    assert created.number == cycle.number + 1
    assert AuditEntry.objects.filter(event="cycle.created", actor=coordinator).exists()


def test_a_second_cycle_with_the_same_title_gets_the_next_free_key(coordinator, cycle):
    data = {k: v for k, v in NEW_CYCLE.items() if k != "slug"}
    data.update(start_date=datetime.date(2027, 2, 10), end_date=datetime.date(2027, 2, 11))
    data["capacity"] = 20
    first = cycles.create_cycle(programme=cycle.programme, data=dict(data), actor=coordinator)
    second = cycles.create_cycle(programme=cycle.programme, data=dict(data), actor=coordinator)
    assert (first.slug, second.slug) == ("cycle-de-marrakech-2027", "cycle-de-marrakech-2027-2")


def test_an_invalid_cycle_form_keeps_what_was_typed_and_says_why(client, coordinator, cycle):
    client.force_login(coordinator)
    bad = {**NEW_CYCLE, "programme": cycle.programme.pk, "end_date": "2027-02-01"}
    response = client.post(url("training:cycle_create", lang="ar"), bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "دورة مراكش" in page and 'value="2027-02-01"' in page
    assert "errorlist" in page
    assert not Cycle.objects.filter(title_fr="Cycle de Marrakech").exists()


def test_a_coordinator_cannot_create_a_cycle_in_another_partners_programme(client, outsider, cycle):
    client.force_login(outsider)
    response = client.post(
        url("training:cycle_create"), {**NEW_CYCLE, "programme": cycle.programme.pk}
    )
    assert response.status_code == 200  # the programme is not among their choices
    assert not Cycle.objects.filter(title_fr="Cycle de Marrakech").exists()


@pytest.mark.parametrize(
    "name", ["training:cycle_edit", "training:agenda", "training:cycle_duplicate"]
)
def test_other_people_cannot_open_a_cycles_workspace(
    client, cycle, outsider, trainer, participant, session, name
):
    for person in (outsider, trainer, participant):
        client.force_login(person)
        assert client.get(url(name, cycle.slug)).status_code == 403
    client.logout()
    assert client.get(url(name, cycle.slug)).status_code == 302  # to the sign-in page


def test_participants_and_trainers_cannot_create_cycles_or_invite_trainers(
    client, trainer, participant
):
    for person in (trainer, participant):
        client.force_login(person)
        assert client.get(url("training:cycle_create")).status_code == 403
        assert client.get(url("training:trainers")).status_code == 403


def test_editing_a_cycle_records_the_changes(client, coordinator, cycle):
    client.force_login(coordinator)
    data = {
        **NEW_CYCLE,
        "start_date": cycle.start_date.isoformat(),
        "end_date": cycle.end_date.isoformat(),
        "capacity": "40",
        "title_fr": "Nouveau titre",
    }
    data.pop("slug")
    response = client.post(url("training:cycle_edit", cycle.slug), data)
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.capacity, cycle.title_fr) == (40, "Nouveau titre")
    entry = AuditEntry.objects.filter(event="cycle.updated").latest("id")
    assert entry.changes["capacity"] == [30, 40]


def test_moving_the_dates_away_from_the_sessions_is_refused(client, coordinator, session):
    cycle = session.cycle
    client.force_login(coordinator)
    data = {**NEW_CYCLE, "start_date": "2030-01-01", "end_date": "2030-01-02"}
    data.pop("slug")
    response = client.post(url("training:cycle_edit", cycle.slug), data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.start_date == datetime.date(2024, 12, 5)


# --- status --------------------------------------------------------------------------------


def test_a_draft_without_sessions_cannot_open(coordinator, cycle):
    cycle.status = CycleStatus.DRAFT
    cycle.save()
    assert cycles.transition_errors(cycle, CycleStatus.OPEN)
    with pytest.raises(cycles.ValidationError):
        cycles.change_status(cycle=cycle, status=CycleStatus.OPEN, actor=coordinator)
    SessionFactory(cycle=cycle)
    cycles.change_status(cycle=cycle, status=CycleStatus.OPEN, actor=coordinator)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN


def test_a_cycle_runs_from_its_first_day_and_closes_after_its_last_session(coordinator, session):
    cycle = session.cycle  # 5–6 December 2024, open
    with time_machine.travel(datetime.datetime(2024, 12, 4, 12, tzinfo=datetime.UTC)):
        assert cycles.transition_errors(cycle, CycleStatus.RUNNING)
    with time_machine.travel(datetime.datetime(2024, 12, 5, 8, tzinfo=datetime.UTC)):
        cycles.change_status(cycle=cycle, status=CycleStatus.RUNNING, actor=coordinator)
        cycle.refresh_from_db()
        assert cycles.transition_errors(cycle, CycleStatus.CLOSED)  # the session is not over
    with time_machine.travel(datetime.datetime(2024, 12, 7, 8, tzinfo=datetime.UTC)):
        cycles.change_status(cycle=cycle, status=CycleStatus.CLOSED, actor=coordinator)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED


def test_reopening_a_closed_cycle_needs_a_reason_and_is_audited(client, coordinator, cycle):
    cycle.status = CycleStatus.CLOSED
    cycle.save()
    client.force_login(coordinator)
    client.post(url("training:cycle_status", cycle.slug), {"status": "running", "reason": " "})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    client.post(
        url("training:cycle_status", cycle.slug),
        {"status": "running", "reason": "Une présence mal saisie"},
    )
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.RUNNING
    entry = AuditEntry.objects.get(event="cycle.status_changed")
    assert entry.extra == {"reason": "Une présence mal saisie"}
    assert entry.changes == {"status": ["closed", "running"]}


def test_a_cycle_with_people_cannot_go_back_to_draft(coordinator, cycle, participant):
    assert cycles.transition_errors(cycle, CycleStatus.DRAFT)


def test_a_skipped_step_is_refused(coordinator, cycle):
    cycle.status = CycleStatus.DRAFT
    cycle.save()
    assert cycles.transition_errors(cycle, CycleStatus.CLOSED)


# --- duplication ---------------------------------------------------------------------------


def test_duplicating_moves_the_agenda_and_copies_no_people(
    client, coordinator, session, participant, module, trainer
):
    source = session.cycle
    client.force_login(coordinator)
    response = client.post(
        url("training:cycle_duplicate", source.slug),
        {"start_date": "2025-03-05", "title_fr": "Cycle 2", "title_ar": "", "title_en": ""},
    )
    target = Cycle.objects.get(title_fr="Cycle 2")
    assert response.status_code == 302
    assert target.status == CycleStatus.DRAFT
    assert (target.start_date, target.end_date) == (
        datetime.date(2025, 3, 5),
        datetime.date(2025, 3, 6),
    )
    copy = target.sessions.get()
    assert copy.date == session.date + (target.start_date - source.start_date)
    assert list(copy.modules.all()) == [module] and list(copy.trainers.all()) == [trainer]
    assert not target.enrolments.exists()
    assert AuditEntry.objects.filter(event="cycle.duplicated").exists()


# --- agenda --------------------------------------------------------------------------------


def _session_post(cycle, **overrides):
    data = {
        "title_fr": "Cadre juridique",
        "title_ar": "الإطار القانوني",
        "title_en": "Legal framework",
        "date": cycle.start_date.isoformat(),
        "start_time": "09:00",
        "end_time": "12:30",
        "room": "Salle A",
        "attendance_expected": "on",
    }
    data.update(overrides)
    return data


def test_the_agenda_adds_a_session_with_three_titles_and_a_trainer(
    client, coordinator, cycle, trainer, module
):
    client.force_login(coordinator)
    response = client.post(
        url("training:agenda", cycle.slug),
        _session_post(cycle, trainers=[trainer.pk], modules=[module.pk]),
    )
    assert response.status_code == 302
    session = cycle.sessions.get()
    assert (session.title_ar, session.title_en) == ("الإطار القانوني", "Legal framework")
    assert list(session.trainers.all()) == [trainer]


def test_the_trainer_choice_lists_trainers_only_with_their_email(client, coordinator, cycle):
    namesake_1 = UserFactory(role=Role.TRAINER, first_name="Nadia", last_name="Alaoui")
    namesake_2 = UserFactory(role=Role.TRAINER, first_name="Nadia", last_name="Alaoui")
    client.force_login(coordinator)
    page = client.get(url("training:agenda", cycle.slug)).content.decode()
    assert f"Nadia Alaoui — {namesake_1.email}" in page
    assert f"Nadia Alaoui — {namesake_2.email}" in page
    assert coordinator.email not in page.split('id="add-session"')[1]


def test_a_session_outside_the_cycle_is_refused_and_the_form_kept(client, coordinator, cycle):
    client.force_login(coordinator)
    response = client.post(
        url("training:agenda", cycle.slug), _session_post(cycle, date="2031-01-01")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page and "الإطار القانوني" in page
    assert not cycle.sessions.exists()


def test_a_session_is_edited_duplicated_and_removed(client, coordinator, session):
    client.force_login(coordinator)
    response = client.post(
        url("training:session_edit", session.pk),
        _session_post(
            session.cycle,
            date=session.cycle.end_date.isoformat(),
            start_time="14:00",
            end_time="17:00",
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == session.cycle.end_date
    client.post(url("training:session_duplicate", session.pk))
    assert session.cycle.sessions.count() == 2
    copy = session.cycle.sessions.exclude(pk=session.pk).get()
    client.post(url("training:session_delete", copy.pk))
    assert not Session.objects.filter(pk=copy.pk).exists()


def test_a_session_with_attendance_cannot_be_removed(client, coordinator, session, participant):
    Attendance.objects.create(
        session=session,
        participant=participant,
        status=AttendanceStatus.PRESENT,
        recorded_at=datetime.datetime(2024, 12, 5, 9, tzinfo=datetime.UTC),
    )
    client.force_login(coordinator)
    client.post(url("training:session_delete", session.pk))
    assert Session.objects.filter(pk=session.pk).exists()


def test_another_partners_coordinator_cannot_touch_a_session(client, outsider, session):
    client.force_login(outsider)
    assert client.get(url("training:session_edit", session.pk)).status_code == 403
    assert client.post(url("training:session_delete", session.pk)).status_code == 403
    assert Session.objects.filter(pk=session.pk).exists()


# --- enrolment services (the page is tested with the invitations) ---------------------------


def test_adding_people_beyond_capacity_puts_them_on_the_waiting_list(coordinator, cycle):
    cycle.capacity = 1
    cycle.save()
    first, created = cycles.add_person(
        cycle=cycle, email="New.Person@Example.test", data={"first_name": "Amal"}, actor=coordinator
    )
    second, _ = cycles.add_person(
        cycle=cycle, email="second@example.test", data={}, actor=coordinator
    )
    assert created and first.participant.email == "new.person@example.test"
    assert not first.participant.has_usable_password()
    assert (first.status, second.status) == (EnrolmentStatus.INVITED, EnrolmentStatus.WAITING)


def test_staff_accounts_cannot_be_enrolled(coordinator, cycle, admin_user):
    with pytest.raises(cycles.ValidationError):
        cycles.add_person(cycle=cycle, email=admin_user.email, data={}, actor=coordinator)


def test_withdrawing_needs_a_reason_and_frees_a_seat_for_the_waiting_list(coordinator, cycle):
    cycle.capacity = 1
    cycle.save()
    seated = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.CONFIRMED)
    waiting = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WAITING)
    with pytest.raises(cycles.ValidationError):
        cycles.change_enrolments(
            cycle=cycle, enrolments=[seated], status="withdrawn", actor=coordinator
        )
    cycles.change_enrolments(
        cycle=cycle, enrolments=[seated], status="withdrawn", reason="Mutation", actor=coordinator
    )
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.status, seated.status_reason) == ("withdrawn", "Mutation")
    assert waiting.status == EnrolmentStatus.INVITED


def test_a_closed_cycles_enrolments_do_not_change(coordinator, cycle, participant):
    cycle.status = CycleStatus.CLOSED
    cycle.save()
    with pytest.raises(cycles.ValidationError):
        cycles.change_enrolments(
            cycle=cycle,
            enrolments=list(cycle.enrolments.all()),
            status="confirmed",
            actor=coordinator,
        )


def test_a_coordinator_cannot_enrol_into_another_partners_cycle(outsider, cycle):
    with pytest.raises(cycles.PermissionDenied):
        cycles.add_person(cycle=cycle, email="x@example.test", data={}, actor=outsider)


def test_inviting_a_trainer_creates_a_trainer_account_without_password(coordinator, participant):
    trainer, created = cycles.invite_trainer(
        email="Formatrice@Example.test", data={"first_name": "Salma"}, actor=coordinator
    )
    assert created and trainer.role == Role.TRAINER and not trainer.has_usable_password()
    with pytest.raises(cycles.ValidationError):  # a participant's account stays theirs
        cycles.invite_trainer(email=participant.email, data={}, actor=coordinator)


def test_another_partner_is_not_offered_in_the_programme_choice(client, outsider, cycle):
    other = ProgrammeFactory(partners=[outsider.partner])
    CycleFactory(programme=other)
    client.force_login(outsider)
    form = client.get(url("training:cycle_create")).context["form"]
    assert list(form.fields["programme"].queryset) == [other]


# --- the enrolments page, with the invitations ----------------------------------------------


def test_adding_a_new_person_on_the_page_enrols_and_invites_them(
    client, coordinator, cycle, mailoutbox
):
    client.force_login(coordinator)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url("training:enrolments", cycle.slug),
            {
                "add-email": "salma.idrissi@justice.test",
                "add-first_name": "Salma",
                "add-last_name": "Idrissi",
                "add-first_name_ar": "سلمى",
                "add-last_name_ar": "الإدريسي",
                "add-send_invitation": "on",
            },
        )
    assert response.status_code == 302
    enrolment = cycle.enrolments.get(participant__email="salma.idrissi@justice.test")
    assert enrolment.participant.last_name_ar == "الإدريسي"
    assert enrolment.participant.invited_at is not None
    assert [m.to for m in mailoutbox] == [["salma.idrissi@justice.test"]]
    page = client.get(url("training:enrolments", cycle.slug)).content.decode()
    assert "Salma" in page and "lien valable jusqu’au" in page  # the invitation state


def test_a_bad_address_keeps_what_was_typed(client, coordinator, cycle):
    client.force_login(coordinator)
    response = client.post(
        url("training:enrolments", cycle.slug, lang="ar"),
        {"add-email": "pas-une-adresse", "add-first_name_ar": "سلمى"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="pas-une-adresse"' in page and "سلمى" in page and "errorlist" in page


def test_bulk_withdrawal_needs_a_reason(client, coordinator, cycle, participant, other_participant):
    client.force_login(coordinator)
    ids = list(cycle.enrolments.values_list("pk", flat=True))
    response = client.post(
        url("training:enrolments", cycle.slug),
        {"bulk-action": "withdraw", "bulk-reason": "", "bulk-enrolments": ids},
    )
    assert response.status_code == 200
    assert not cycle.enrolments.filter(status="withdrawn").exists()
    client.post(
        url("training:enrolments", cycle.slug),
        {"bulk-action": "withdraw", "bulk-reason": "Affectation", "bulk-enrolments": ids},
    )
    assert cycle.enrolments.filter(status="withdrawn", status_reason="Affectation").count() == 2


def test_bulk_resend_runs_as_a_job_and_mails_everyone_without_password(
    client, coordinator, cycle, participant, other_participant, mailoutbox
):
    from himaya.testing import run_job

    client.force_login(coordinator)
    ids = list(cycle.enrolments.values_list("pk", flat=True))
    page, _download = run_job(
        client,
        url("training:enrolments", cycle.slug),
        {"bulk-action": "invite", "bulk-enrolments": ids},
    )
    assert page.status_code == 200
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [participant.email, other_participant.email]
    )


def test_the_copied_link_is_shown_once_and_lets_the_person_in(
    client, coordinator, cycle, participant
):
    participant.set_unusable_password()
    participant.save()
    enrolment = cycle.enrolments.get(participant=participant)
    client.force_login(coordinator)
    response = client.post(url("training:invitation_link", cycle.slug, enrolment.pk), follow=True)
    text = response.content.decode()
    assert "/accounts/welcome/" in text
    assert AuditEntry.objects.filter(event="invitation.link_copied").exists()


def test_another_partner_cannot_get_a_link(client, outsider, cycle, participant):
    enrolment = cycle.enrolments.get(participant=participant)
    client.force_login(outsider)
    assert client.post(url("training:invitation_link", cycle.slug, enrolment.pk)).status_code == 403
    assert client.get(url("training:enrolments", cycle.slug)).status_code == 403


def test_the_trainers_page_invites_a_trainer(client, coordinator, mailoutbox):
    from django.test import TestCase

    client.force_login(coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            url("training:trainers"),
            {"email": "nadia.alaoui2@example.test", "first_name": "Nadia", "last_name": "Alaoui"},
        )
    trainer = User.objects.get(email="nadia.alaoui2@example.test")
    assert trainer.role == Role.TRAINER
    assert [m.to for m in mailoutbox] == [["nadia.alaoui2@example.test"]]
    page = client.get(url("training:trainers")).content.decode()
    assert "nadia.alaoui2@example.test" in page


def test_a_draft_is_hidden_from_its_participants_who_are_invited_when_it_opens(
    client, coordinator, cycle, participant, mailoutbox
):
    from django.test import TestCase

    from himaya.training import selectors

    cycle.status = CycleStatus.DRAFT
    cycle.save()
    SessionFactory(cycle=cycle)
    participant.set_unusable_password()
    participant.save()
    client.force_login(participant)
    assert client.get(url("training:cycle_detail", cycle.slug)).status_code == 403
    assert cycle not in selectors.cycles_for_user(user=participant)
    client.force_login(coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url("training:cycle_status", cycle.slug), {"status": "open"})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    assert [m.to for m in mailoutbox] == [[participant.email]]
    client.force_login(participant)
    assert client.get(url("training:cycle_detail", cycle.slug)).status_code == 200


def test_duplicating_copies_the_tests_and_surveys_windows_moved_with_the_agenda(
    coordinator, session
):
    from himaya.assessments.models import Phase, Survey, SurveyKind, Test

    source = session.cycle
    opens = datetime.datetime(2024, 12, 1, 9, tzinfo=datetime.UTC)
    Test.objects.create(
        cycle=source, phase=Phase.PRE, opens_at=opens, closes_at=opens + datetime.timedelta(days=3)
    )
    Survey.objects.create(
        cycle=source,
        kind=SurveyKind.CYCLE,
        title="Satisfaction",
        key="satisfaction",
        opens_at=datetime.datetime(2024, 12, 6, 18, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2024, 12, 20, 18, tzinfo=datetime.UTC),
    )
    target = cycles.duplicate_cycle(
        source=source,
        start_date=source.start_date + datetime.timedelta(days=91),
        data={"title_fr": "Copie"},
        actor=coordinator,
    )
    test = Test.objects.get(cycle=target)
    assert test.opens_at.date() == (opens + datetime.timedelta(days=91)).date()
    assert Survey.objects.get(cycle=target).key == "satisfaction"


def test_duplicating_keeps_the_completion_rule(coordinator, session):
    from himaya.certificates.models import CompletionRule

    source = session.cycle
    CompletionRule.objects.create(cycle=source, min_attendance="0.90", require_post_test=False)
    target = cycles.duplicate_cycle(
        source=source, start_date=datetime.date(2025, 5, 1), data={}, actor=coordinator
    )
    rule = CompletionRule.objects.get(cycle=target)
    assert (float(rule.min_attendance), rule.require_post_test) == (0.9, False)


def test_raising_the_capacity_gives_the_new_seats_to_the_waiting_list(client, coordinator, cycle):
    cycle.capacity = 1
    cycle.save()
    EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.CONFIRMED)
    first = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WAITING)
    second = EnrolmentFactory(cycle=cycle, status=EnrolmentStatus.WAITING)
    client.force_login(coordinator)
    data = {
        **NEW_CYCLE,
        "start_date": cycle.start_date.isoformat(),
        "end_date": cycle.end_date.isoformat(),
        "capacity": "2",
        "title_fr": cycle.title_fr or "Cycle",
    }
    data.pop("slug")
    response = client.post(url("training:cycle_edit", cycle.slug), data, follow=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (EnrolmentStatus.INVITED, EnrolmentStatus.WAITING)
    assert "liste d’attente" in response.content.decode()
    entry = AuditEntry.objects.filter(event="enrolment.promoted").latest("id")
    assert entry.extra == {"capacity": 2}


def test_a_saved_edit_says_saved_and_not_nothing_changed(client, coordinator, cycle):
    client.force_login(coordinator)
    data = {
        **NEW_CYCLE,
        "start_date": cycle.start_date.isoformat(),
        "end_date": cycle.end_date.isoformat(),
        "capacity": str(cycle.capacity + 5),
        "title_fr": cycle.title_fr or "Cycle",
    }
    data.pop("slug")
    page = client.post(url("training:cycle_edit", cycle.slug), data, follow=True).content.decode()
    assert "Le cycle a été enregistré." in page
    assert "Rien n’a été modifié." not in page

"""The permission matrix: every role against every object of partner A, through the pages,
the API and the rules, and the visibility querysets checked against the same rules.

Partner B's coordinator, trainer and participant must reach nothing of partner A's; a
withdrawn participant keeps nothing of the cycle; a participant sees only their own attempt
and certificate."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from himaya.accounts.choices import Role
from himaya.assessments import services as assessment_services
from himaya.assessments.models import Survey
from himaya.assessments.tests.factories import bank, open_tests
from himaya.certificates.models import Certificate
from himaya.training import selectors as training_selectors
from himaya.training.models import EnrolmentStatus
from himaya.training.tests.factories import (
    CycleFactory,
    EnrolmentFactory,
    ModuleFactory,
    PartnerFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
)

ROLES = [
    "anonymous",
    "admin",
    "coordinator_a",
    "coordinator_b",
    "trainer_a",
    "trainer_b",
    "participant_a",
    "withdrawn_a",
    "participant_b",
]


def _side(letter, day):
    partner = PartnerFactory(slug=f"partner-{letter}", short_name=letter.upper())
    programme = ProgrammeFactory(partners=[partner], slug=f"programme-{letter}")
    cycle = CycleFactory(
        programme=programme,
        slug=f"cycle-{letter}",
        start_date=day,
        end_date=day + datetime.timedelta(days=1),
    )
    session = SessionFactory(cycle=cycle, date=day)
    trainer = UserFactory(role=Role.TRAINER, email=f"trainer.{letter}@example.test")
    session.trainers.add(trainer)
    coordinator = UserFactory(
        role=Role.COORDINATOR, partner=partner, email=f"coordinator.{letter}@example.test"
    )
    participant = EnrolmentFactory(
        cycle=cycle, participant__email=f"participant.{letter}@example.test"
    ).participant
    return partner, programme, cycle, session, trainer, coordinator, participant


@pytest.fixture
def world(db):
    today = timezone.localdate()
    _pa, programme_a, cycle_a, session_a, trainer_a, coordinator_a, participant_a = _side(
        "a", today
    )
    _pb, _programme_b, _cycle_b, _session_b, trainer_b, coordinator_b, participant_b = _side(
        "b", today
    )
    module_a = ModuleFactory(axis__programme=programme_a, key="module-a")
    withdrawn_a = EnrolmentFactory(
        cycle=cycle_a,
        participant__email="withdrawn.a@example.test",
        status=EnrolmentStatus.WITHDRAWN,
    ).participant
    bank(programme_a)
    pre, post = open_tests(cycle_a)
    attempt = assessment_services.start_attempt(test=pre, participant=participant_a)
    attempt = assessment_services.submit_attempt(attempt=attempt)
    survey = Survey.objects.create(
        cycle=cycle_a,
        kind="cycle",
        title_fr="Satisfaction",
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    certificate = Certificate.objects.create(
        cycle=cycle_a, participant=participant_a, language="fr", issued_on=timezone.localdate()
    )
    people = {
        "admin": UserFactory(
            role=Role.ADMIN, is_staff=True, is_superuser=True, email="admin@example.test"
        ),
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "trainer_a": trainer_a,
        "trainer_b": trainer_b,
        "participant_a": participant_a,
        "withdrawn_a": withdrawn_a,
        "participant_b": participant_b,
    }
    objects = {
        "cycle": cycle_a,
        "session": session_a,
        "programme": programme_a,
        "module": module_a,
        "attempt": attempt,
        "test": post,
        "survey": survey,
        "certificate": certificate,
        "participant": participant_a,
    }
    return people, objects


MANAGERS = {"admin", "coordinator_a"}
RUNNERS = MANAGERS | {"trainer_a"}
MEMBERS = RUNNERS | {"participant_a"}

# (url name, object used for its argument, who gets the page; everyone else is refused)
PAGES = [
    ("training:cycle_detail", "cycle", MEMBERS),
    ("training:participants", "cycle", MANAGERS),
    ("training:import_upload", "cycle", MANAGERS),
    ("training:attendance_sheet", "session", RUNNERS),
    ("training:signature_sheet", "session", RUNNERS),
    ("training:participant_profile", "participant", MANAGERS | {"participant_a"}),
    ("assessments:cycle_results", "cycle", RUNNERS),
    ("assessments:my_tests", "cycle", {"participant_a"}),
    ("assessments:take_test", "test", {"participant_a"}),
    ("assessments:attempt_result", "attempt", RUNNERS | {"participant_a"}),
    # The people who run the cycle see the results; its participants their list of surveys.
    ("assessments:cycle_surveys", "cycle", MEMBERS),
    ("assessments:manage_tests", "cycle", MANAGERS),
    ("assessments:manage_surveys", "cycle", MANAGERS),
    ("assessments:create_survey", "cycle", MANAGERS),
    ("assessments:edit_survey", "survey", MANAGERS),
    ("assessments:survey", "survey", {"participant_a"}),
    ("assessments:survey_results", "survey", RUNNERS),
    ("certificates:cycle_certificates", "cycle", MANAGERS),
    ("certificates:pdf", "certificate", MANAGERS | {"participant_a"}),
    ("reports:cycle_report", "cycle", MANAGERS),
    ("reports:programme_report", "programme", MANAGERS),
]


def _arg(name, obj):
    if name in {"cycle", "programme"}:
        return obj.slug
    return obj.pk


def _client(people, role):
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


@pytest.mark.django_db
def test_every_role_against_every_page_of_partner_a(world):
    people, objects = world
    clients = {role: _client(people, role) for role in ROLES}
    problems = []
    for url_name, obj_name, allowed in PAGES:
        url = reverse(url_name, args=[_arg(obj_name, objects[obj_name])])
        for role in ROLES:
            status = clients[role].get(url).status_code
            if role == "anonymous":
                expected = 302  # to the sign-in page
            elif role in allowed:
                expected = 200
            else:
                expected = 403
            if status != expected:
                problems.append(f"{url_name} as {role}: {status}, expected {expected}")
    assert problems == [], "\n".join(problems)


POSTS = [
    # (url name, object, form data, who may do it)
    ("certificates:issue", "cycle", {}, MANAGERS),
    ("certificates:zip", "cycle", {}, MANAGERS),
    ("certificates:revoke", "certificate", {"reason": "test"}, MANAGERS),
    ("reports:cycle_report_file", "cycle", None, MANAGERS),
]


@pytest.mark.django_db
def test_nobody_outside_partner_a_can_act_on_its_objects(world):
    people, objects = world
    for url_name, obj_name, data, allowed in POSTS:
        args = [_arg(obj_name, objects[obj_name])]
        if url_name == "reports:cycle_report_file":
            args.append("pdf")
        url = reverse(url_name, args=args)
        for role in ROLES:
            if role in allowed or role == "anonymous":
                continue
            response = _client(people, role).post(url, data or {})
            assert response.status_code == 403, f"{url_name} as {role}: {response.status_code}"
    assert Certificate.objects.get(pk=objects["certificate"].pk).revoked_at is None


@pytest.mark.django_db
def test_attendance_taps_only_by_the_cycle_runners(world):
    people, objects = world
    url = reverse("training:attendance_sheet", args=[objects["session"].pk])
    target = objects["participant"]
    for role in ("coordinator_b", "trainer_b", "participant_a", "participant_b", "withdrawn_a"):
        response = _client(people, role).post(url, {"participant": target.pk, "status": "present"})
        assert response.status_code == 403, role
    assert not target.attendances.exists()


@pytest.mark.django_db
def test_the_api_lists_and_opens_only_visible_cycles(world):
    people, objects = world
    cycle = objects["cycle"]
    for role in ROLES:
        client = _client(people, role)
        listing = client.get("/api/v1/cycles")
        sessions = client.get(f"/api/v1/cycles/{cycle.slug}/sessions")
        if role == "anonymous":
            assert listing.status_code == sessions.status_code == 401
            continue
        slugs = {c["slug"] for c in listing.json()}
        visible = role in MEMBERS
        assert ("cycle-a" in slugs) is visible, role
        # Not visible is not found: the API does not confirm that a cycle exists.
        assert sessions.status_code == (200 if visible else 404), role


@pytest.mark.django_db
def test_visibility_querysets_agree_with_the_rules(world):
    """`cycles_for_user` is what lists show; `training.access_cycle` is what pages check."""
    people, objects = world
    from himaya.training.models import Cycle

    for role, person in people.items():
        listed = set(training_selectors.cycles_for_user(user=person))
        for cycle in Cycle.objects.all():
            assert (cycle in listed) is person.has_perm("training.access_cycle", cycle), (
                role,
                cycle.slug,
            )

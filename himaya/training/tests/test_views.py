"""Pages: who may open what, in three languages, with a query count that does not grow."""

import pytest
from django.urls import reverse
from django.utils import translation

from himaya.accounts.choices import Role
from himaya.testing import post_running_jobs
from himaya.training import services
from himaya.training.models import Attendance
from himaya.training.tests.factories import CycleFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args, lang="fr"):
    with translation.override(lang):
        return reverse(name, args=args)


# --- anonymous ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("core:home", ()),
        ("training:dashboard", ()),
        ("training:participant_home", ()),
        ("training:trainer_home", ()),
        ("training:cycle_detail", ("casablanca-2024-cycle-1",)),
        ("training:participants", ("casablanca-2024-cycle-1",)),
        ("training:import_upload", ("casablanca-2024-cycle-1",)),
    ],
)
def test_anonymous_users_get_the_sign_in_page(client, cycle, name, args):
    response = client.get(url(name, *args))
    assert response.status_code == 302
    assert response.url.startswith(url("accounts:login"))


def test_anonymous_attendance_and_profile_redirect_to_sign_in(client, session, participant):
    for target in (
        url("training:attendance_sheet", session.pk),
        url("training:participant_profile", participant.pk),
    ):
        response = client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_anonymous_api_gets_401_json(client):
    response = client.get("/api/v1/cycles")
    assert response.status_code == 401


def test_openapi_schema_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/cycles" in response.json()["paths"]


# --- participants -----------------------------------------------------------------------------


def test_participant_cannot_open_another_participants_profile(
    client, participant, other_participant
):
    client.force_login(participant)
    assert client.get(url("training:participant_profile", other_participant.pk)).status_code == 403
    assert client.get(url("training:participant_profile", participant.pk)).status_code == 200


def test_participant_cannot_see_others_attendance(
    client, session, participant, other_participant, trainer
):
    services.record_attendance(
        session=session, participant=other_participant, status="absent", actor=trainer
    )
    client.force_login(participant)
    assert client.get(url("training:attendance_sheet", session.pk)).status_code == 403
    page = client.get(url("training:cycle_detail", session.cycle.slug))
    assert page.status_code == 200
    assert other_participant.last_name not in page.content.decode()
    assert client.get(url("training:participants", session.cycle.slug)).status_code == 403
    response = client.post(
        url("training:attendance_sheet", session.pk),
        {"participant": other_participant.pk, "status": "present"},
    )
    assert response.status_code == 403
    assert Attendance.objects.get(participant=other_participant).status == "absent"


def test_participant_home_lists_cycle_agenda_and_modules(client, session, participant, module):
    client.force_login(participant)
    page = client.get(url("training:participant_home")).content.decode()
    assert session.cycle.title in page and session.title in page and module.title in page
    response = client.get(url("training:module_detail", module.key))
    assert response.status_code == 200
    assert "<h2>Contenu</h2>" in response.content.decode()


def test_module_of_another_programme_is_not_readable_by_a_participant(client, participant):
    from himaya.training.tests.factories import ModuleFactory

    foreign = ModuleFactory()
    client.force_login(participant)
    assert client.get(url("training:module_detail", foreign.key)).status_code == 403


# --- trainers ---------------------------------------------------------------------------------


def test_trainer_cannot_take_attendance_for_a_session_they_do_not_teach(
    client, cycle, session, trainer, participant
):
    # The trainer teaches `session` in this same cycle: the refusal is per session, not per
    # cycle, and the participant is enrolled, so only the trainer's right stops the tap.
    other_session = SessionFactory(cycle=cycle)
    client.force_login(trainer)
    assert client.get(url("training:attendance_sheet", session.pk)).status_code == 200
    assert client.get(url("training:attendance_sheet", other_session.pk)).status_code == 403
    response = client.post(
        url("training:attendance_sheet", other_session.pk),
        {"participant": participant.pk, "status": "present"},
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_trainer_takes_attendance_for_their_session_with_json(
    client, session, trainer, participant
):
    client.force_login(trainer)
    response = client.post(
        url("training:attendance_sheet", session.pk),
        data={"participant": participant.pk, "status": "late"},
        content_type="application/json",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "late"
    assert Attendance.objects.get(participant=participant, session=session).recorded_by == trainer


def test_attendance_tap_for_a_stranger_is_a_clear_400(client, session, trainer):
    client.force_login(trainer)
    stranger = UserFactory()
    response = client.post(
        url("training:attendance_sheet", session.pk),
        data={"participant": stranger.pk, "status": "present"},
        content_type="application/json",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400 and response.json()["ok"] is False
    response = client.post(
        url("training:attendance_sheet", session.pk),
        data="not json",
        content_type="application/json",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400


def test_trainer_page_lists_only_their_sessions(client, session, trainer, cycle):
    SessionFactory(cycle=cycle, title="Someone else's session")
    client.force_login(trainer)
    page = client.get(url("training:trainer_home")).content.decode()
    assert session.title in page and "Someone else&#x27;s session" not in page


def test_trainer_cannot_open_dashboard_or_participant_list(client, trainer, cycle):
    client.force_login(trainer)
    assert client.get(url("training:dashboard")).status_code == 403
    assert client.get(url("training:participants", cycle.slug)).status_code == 403


# --- coordinators -------------------------------------------------------------------------------


def test_coordinator_sees_only_their_partners_cycles(client, coordinator, cycle):
    foreign = CycleFactory(title="Foreign cycle")
    client.force_login(coordinator)
    page = client.get(url("training:dashboard")).content.decode()
    assert cycle.title in page and "Foreign cycle" not in page
    assert client.get(url("training:cycle_detail", foreign.slug)).status_code == 403
    assert client.get(url("training:participants", foreign.slug)).status_code == 403


def test_participants_filters_and_exports(client, coordinator, cycle, enrol_many):
    people = enrol_many(3)
    people[0].function = "clerk"
    people[0].save()
    client.force_login(coordinator)
    page = client.get(
        url("training:participants", cycle.slug), {"function": "clerk"}
    ).content.decode()
    assert people[0].email in page and people[1].email not in page
    csv_response = client.get(
        url("training:participants", cycle.slug), {"function": "clerk", "export": "csv"}
    )
    assert csv_response["Content-Type"].startswith("text/csv")
    body = csv_response.content.decode("utf-8-sig")
    # The people's format: French Excel's separator, headers in the reader's language.
    assert body.splitlines()[0].startswith("Adresse e-mail;Prénom;Nom;")
    assert people[0].email in body and people[1].email not in body
    xlsx = client.get(url("training:participants", cycle.slug), {"export": "xlsx"})
    assert xlsx.content[:2] == b"PK"


@pytest.mark.django_db(transaction=True)  # jobs run on commit, as in production
def test_import_through_the_ui_preview_then_confirm(client, coordinator, cycle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    bad = b"email,first_name,last_name,gender,function\nx@j.test,X,,F,judge\n"
    response = post_running_jobs(
        client,
        url("training:import_upload", cycle.slug),
        {"file": SimpleUploadedFile("p.csv", bad)},
        follow=True,
    )
    page = response.content.decode()
    assert 'id="import-errors"' in page and 'id="confirm-import"' not in page
    good = b"email,first_name,last_name,gender,function\nx@j.test,X,Y,F,judge\n"
    response = post_running_jobs(
        client,
        url("training:import_upload", cycle.slug),
        {"file": SimpleUploadedFile("p.csv", good)},
        follow=True,
    )
    assert 'id="confirm-import"' in response.content.decode()
    assert not cycle.enrolments.exists()
    response = post_running_jobs(client, response.redirect_chain[-1][0], follow=True)
    assert cycle.enrolments.filter(participant__email="x@j.test").exists()


@pytest.mark.django_db(transaction=True)  # jobs run on commit, as in production
def test_import_of_a_garbage_file_shows_an_error_not_a_500(client, coordinator, cycle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    response = post_running_jobs(
        client,
        url("training:import_upload", cycle.slug),
        {"file": SimpleUploadedFile("p.xlsx", b"PK\x03\x04broken")},
        follow=True,
    )
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()


def test_signature_sheet_is_a_pdf(client, coordinator, session, participant):
    client.force_login(coordinator)
    response = client.get(url("training:signature_sheet", session.pk))
    assert response.status_code == 200
    assert response.content[:5] == b"%PDF-"


def test_calendar_subscription_works_without_a_session_cookie(client, coordinator, session):
    client.force_login(coordinator)
    page = client.get(url("training:cycle_detail", session.cycle.slug)).content.decode()
    ics_url = page.split('href="http://testserver', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    client.logout()
    response = client.get(ics_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and session.title in body
    assert "TZID=Africa/Casablanca" in body
    # A calendar app cannot follow a sign-in redirect: a forged token is refused outright.
    assert client.get(ics_url.split("?")[0] + "?token=forged").status_code == 403


# --- languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang,direction", [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_every_page_renders_in_each_language(
    client, lang, direction, coordinator, session, participant, module
):
    client.force_login(coordinator)
    pages = [
        url("training:dashboard", lang=lang),
        url("training:cycle_detail", session.cycle.slug, lang=lang),
        url("training:participants", session.cycle.slug, lang=lang),
        url("training:import_upload", session.cycle.slug, lang=lang),
        url("training:attendance_sheet", session.pk, lang=lang),
        url("training:participant_profile", participant.pk, lang=lang),
        url("training:module_detail", module.key, lang=lang),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{lang}" dir="{direction}">' in response.content.decode()


def test_security_headers(client, coordinator):
    client.force_login(coordinator)
    response = client.get(url("training:dashboard"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


def test_login_is_throttled_after_repeated_failures(client, coordinator):
    for _ in range(5):
        client.post(url("accounts:login"), {"username": coordinator.email, "password": "wrong"})
    response = client.post(
        url("accounts:login"), {"username": coordinator.email, "password": "pass-word-123"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_in_with_email_and_password(client, coordinator):
    response = client.post(
        url("accounts:login"), {"username": coordinator.email, "password": "pass-word-123"}
    )
    assert response.status_code == 302
    assert client.get(response.url, follow=True).status_code == 200


def test_password_reset_sends_an_email(client, participant, mailoutbox):
    client.post(url("accounts:password_reset"), {"email": participant.email})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/" in mailoutbox[0].body


# --- query counts ---------------------------------------------------------------------------------


def _count_queries(django_assert_max_num_queries, client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_page_query_counts_do_not_grow_with_participants(
    client, coordinator, session, enrol_many, trainer, django_assert_max_num_queries
):
    cycle = session.cycle
    client.force_login(coordinator)
    pages = [
        url("training:dashboard"),
        url("training:cycle_detail", cycle.slug),
        url("training:participants", cycle.slug),
        url("training:attendance_sheet", session.pk),
    ]
    people = enrol_many(10)
    for p in people:
        services.record_attendance(session=session, participant=p, status="present", actor=trainer)
    at_10 = [_count_queries(django_assert_max_num_queries, client, p) for p in pages]
    people = enrol_many(190)
    for p in people:
        services.record_attendance(session=session, participant=p, status="late", actor=trainer)
    at_200 = [_count_queries(django_assert_max_num_queries, client, p) for p in pages]
    assert at_200 == at_10, dict(zip(pages, zip(at_10, at_200, strict=True), strict=True))


def test_trainer_and_participant_pages_query_counts_do_not_grow(
    client, session, trainer, enrol_many
):
    first = enrol_many(1)[0]
    client.force_login(trainer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    before = count(url("training:trainer_home"))
    enrol_many(50)
    assert count(url("training:trainer_home")) == before
    client.force_login(first)
    before = count(url("training:participant_home"))
    enrol_many(50)
    assert count(url("training:participant_home")) == before


def test_role_of_new_user_defaults_to_participant(db):
    # Not through UserFactory, which sets the role itself: the model's own default.
    from himaya.accounts.models import User

    user = User.objects.create_user(email="new.person@example.test", password="pass-word-123")
    user.refresh_from_db()
    assert user.role == Role.PARTICIPANT
    assert not user.is_staff and not user.is_superuser


def test_attendance_without_javascript_posts_the_tap_and_comes_back(
    client, coordinator, session, participant
):
    client.force_login(coordinator)
    response = client.post(
        url("training:attendance_sheet", session.pk), {"tap": f"{participant.pk}:excused"}
    )
    assert response.status_code == 302 and response.url.endswith(f"#p{participant.pk}")
    assert Attendance.objects.get(participant=participant, session=session).status == "excused"
    page = client.get(url("training:attendance_sheet", session.pk)).content.decode()
    assert f'value="{participant.pk}:excused" class="excused" aria-pressed="true"' in page

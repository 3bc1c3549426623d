"""Invitations: the e-mail in each person's language, its set-password link (valid N days,
once), the notice for people who already have a password, copied links and the states."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from himaya.accounts import invitations
from himaya.core.models import AuditEntry
from himaya.testing import url
from himaya.training.models import EnrolmentStatus
from himaya.training.tests.factories import EnrolmentFactory, UserFactory

NEW_PASSWORD = "une-phrase-de-passe-longue-2025"


def _never_had_password(**kwargs):
    user = UserFactory(**kwargs)
    user.set_unusable_password()
    user.save()
    return user


def _send(capture, **kwargs):
    with capture(execute=True):
        return invitations.send_invitations(**kwargs)


def _link_path(message) -> str:
    link = re.search(r"https?://\S+/accounts/welcome/\S+/", message.body).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _html(message) -> str:
    (html, content_type) = message.alternatives[0]
    assert content_type == "text/html"
    return html


EXPECTED = {
    # language: (subject words, body words, html direction)
    "fr": ("votre invitation", "choisissez votre mot de passe", 'dir="ltr"'),
    "ar": ("دعوتكم", "كلمة المرور", 'dir="rtl"'),
    "en": ("your invitation", "choose your password", 'dir="ltr"'),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_invitation_is_in_the_persons_language_names_the_cycle_and_its_link_works(
    client, cycle, coordinator, language, django_capture_on_commit_callbacks
):
    person = _never_had_password(preferred_language=language, first_name="Salma")
    EnrolmentFactory(cycle=cycle, participant=person)
    coordinator.first_name, coordinator.last_name = "Nadia", "Coordinatrice"
    coordinator.first_name_ar, coordinator.last_name_ar = "نادية", "المنسقة"
    coordinator.save()
    # Names in the reader's script: Arabic script in an Arabic e-mail.
    inviter = "نادية المنسقة" if language == "ar" else "Nadia Coordinatrice"

    assert _send(django_capture_on_commit_callbacks, users=[person], actor=coordinator, cycle=cycle)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    subject_words, body_words, direction = EXPECTED[language]
    assert message.to == [person.email]
    assert subject_words in message.subject.lower()
    assert cycle.title in message.subject
    assert body_words in message.body.lower()
    assert "Casablanca" in message.body and inviter in message.body
    html = _html(message)
    assert f'lang="{language}"' in html and direction in html
    assert f"<bdi>{inviter}</bdi>" in html
    path = _link_path(message)
    assert path.startswith(f"/{language}/accounts/welcome/")
    assert message.body.count("http://127.0.0.1:8000/") >= 1  # HIMAYA_BASE_URL

    person.refresh_from_db()
    assert person.invited_at is not None
    event = AuditEntry.objects.get(event="invitation.sent", target_id=str(person.pk))
    assert event.actor == coordinator
    assert event.extra["kind"] == "invitation" and event.extra["cycle"] == cycle.pk
    assert event.extra["language"] == language

    page = client.get(path, follow=True)
    assert page.status_code == 200 and page.context["validlink"]
    assert person.email in page.content.decode()  # the page says whose account it is
    assert path not in page.redirect_chain[-1][0]  # the token left the address bar
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == url("core:home", lang=language)
    assert client.session["_auth_user_id"] == str(person.pk)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(event="invitation.accepted", actor=person).exists()
    assert AuditEntry.objects.filter(event="login.succeeded", actor=person).exists()


@pytest.mark.django_db
def test_a_used_link_is_refused_and_says_to_sign_in(
    client, cycle, coordinator, django_capture_on_commit_callbacks
):
    person = _never_had_password()
    EnrolmentFactory(cycle=cycle, participant=person)
    _send(django_capture_on_commit_callbacks, users=[person], actor=coordinator, cycle=cycle)
    path = _link_path(mail.outbox[0])
    page = client.get(path, follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    client.logout()

    again = client.get(path, follow=True)
    assert again.status_code == 200
    assert not again.context["validlink"] and again.context["already_active"]
    assert url("accounts:login") in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


@pytest.mark.django_db
def test_the_link_expires_after_the_configured_days(
    client, cycle, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.HIMAYA_INVITATION_DAYS = 3
    person = _never_had_password()
    start = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        _send(django_capture_on_commit_callbacks, users=[person], actor=coordinator, cycle=None)
    path = _link_path(mail.outbox[0])
    assert "4 mars 2025" in mail.outbox[0].body  # valid until, in French (the default)

    with time_machine.travel(start + datetime.timedelta(days=3) - datetime.timedelta(minutes=1)):
        assert client.get(path, follow=True).context["validlink"]
        person.refresh_from_db()
        assert invitations.invitation_states([person])[person.pk].state == invitations.INVITED
    with time_machine.travel(start + datetime.timedelta(days=3, minutes=1)):
        page = client.get(path, follow=True)
        assert page.status_code == 200 and not page.context["validlink"]
        assert not page.context["already_active"]
        body = page.content.decode()
        # A way to get a new link at once: the reset form, posting to the reset page.
        assert f'action="{url("accounts:password_reset")}"' in body and 'name="email"' in body
        assert invitations.invitation_states([person])[person.pk].state == invitations.EXPIRED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/fr/accounts/welcome/zzz/abc-def/",
        "/fr/accounts/welcome/MQ/not-a-token/",
        "/ar/accounts/welcome/OTk5OTk5/1-2/",
        "/fr/accounts/welcome/%C3%A9/set-password/",
    ],
)
def test_a_garbled_link_gets_the_explanation_never_an_error(client, path):
    UserFactory()
    page = client.get(path, follow=True)
    assert page.status_code == 200
    assert not page.context["validlink"]


@pytest.mark.django_db
def test_a_refused_password_keeps_what_was_typed(client, coordinator):
    person = _never_had_password(email="salma@example.test")
    path = invitations.invitation_link(user=person, actor=coordinator).split("8000", 1)[1]
    page = client.get(path, follow=True)
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "short-one-typed", "new_password2": "different-typed"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="short-one-typed"' in body and 'value="different-typed"' in body
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_people_with_a_password_get_a_notice_without_any_token(
    cycle, coordinator, django_capture_on_commit_callbacks
):
    active = UserFactory(preferred_language="en")
    EnrolmentFactory(cycle=cycle, participant=active)
    sent = _send(django_capture_on_commit_callbacks, users=[active], actor=coordinator, cycle=cycle)
    assert sent == 1
    (message,) = mail.outbox
    assert "added to" in message.subject and cycle.title in message.subject
    assert "/en/accounts/login/" in message.body and "/welcome/" not in message.body
    assert "/welcome/" not in _html(message)
    active.refresh_from_db()
    assert active.invited_at is None
    event = AuditEntry.objects.get(event="invitation.sent", target_id=str(active.pk))
    assert event.extra["kind"] == "notice"


@pytest.mark.django_db
def test_skipped_people_inactive_withdrawn_or_active_without_a_cycle(
    cycle, coordinator, django_capture_on_commit_callbacks
):
    inactive = _never_had_password(is_active=False)
    withdrawn = _never_had_password()
    EnrolmentFactory(cycle=cycle, participant=withdrawn, status=EnrolmentStatus.WITHDRAWN)
    active = UserFactory()
    assert (
        _send(
            django_capture_on_commit_callbacks,
            users=[inactive, withdrawn],
            actor=coordinator,
            cycle=cycle,
        )
        == 0
    )
    assert _send(django_capture_on_commit_callbacks, users=[active], actor=None) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_waiting_list_is_told_so(cycle, coordinator, django_capture_on_commit_callbacks):
    waiting = _never_had_password()
    EnrolmentFactory(cycle=cycle, participant=waiting, status=EnrolmentStatus.WAITING)
    _send(django_capture_on_commit_callbacks, users=[waiting], actor=coordinator, cycle=cycle)
    assert "liste d’attente" in mail.outbox[0].body


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(cycle, coordinator):
    from django.db import transaction

    person = _never_had_password()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        invitations.send_invitations(users=[person], actor=coordinator)
        raise Boom
    assert mail.outbox == []
    person.refresh_from_db()
    assert person.invited_at is None


@pytest.mark.django_db
def test_a_copied_link_is_absolute_audited_and_refused_for_live_accounts(
    client, coordinator, settings
):
    settings.HIMAYA_BASE_URL = "https://himaya.example.org"
    person = _never_had_password(preferred_language="ar")
    link = invitations.invitation_link(user=person, actor=coordinator)
    assert link.startswith("https://himaya.example.org/ar/accounts/welcome/")
    event = AuditEntry.objects.get(event="invitation.link_copied")
    assert event.actor == coordinator and event.target_id == str(person.pk)
    person.refresh_from_db()
    assert invitations.invitation_states([person])[person.pk].state == invitations.INVITED
    assert mail.outbox == []
    page = client.get(link.removeprefix("https://himaya.example.org"), follow=True)
    assert page.context["validlink"]

    live = UserFactory()
    with pytest.raises(ValidationError):
        invitations.invitation_link(user=live, actor=coordinator)
    with pytest.raises(ValidationError):
        invitations.invitation_link(user=_never_had_password(is_active=False), actor=coordinator)
    assert AuditEntry.objects.filter(event="invitation.link_copied").count() == 1


@pytest.mark.django_db
def test_states_are_read_from_the_users_without_any_query(django_assert_num_queries, settings):
    settings.HIMAYA_INVITATION_DAYS = 14
    now = timezone.now()
    active = UserFactory()
    never = _never_had_password()
    invited = _never_had_password()
    expired = _never_had_password()
    invited.invited_at = now - datetime.timedelta(days=2)
    expired.invited_at = now - datetime.timedelta(days=15)
    for user in (invited, expired):
        user.save()
    users = list(type(active).objects.filter(pk__in=[active.pk, never.pk, invited.pk, expired.pk]))
    with django_assert_num_queries(0):
        states = invitations.invitation_states(users)
        labels = [state.label for state in states.values()]
    assert states[active.pk].state == invitations.ACTIVE and states[active.pk].expires_at is None
    assert states[never.pk].state == invitations.NOT_INVITED
    assert states[invited.pk].state == invitations.INVITED
    assert states[invited.pk].expires_at == invited.invited_at + datetime.timedelta(days=14)
    assert states[expired.pk].state == invitations.EXPIRED
    assert all(labels)


@pytest.mark.django_db
def test_invite_pending_invites_only_those_who_need_it(
    cycle, coordinator, django_capture_on_commit_callbacks
):
    pending = [_never_had_password() for _ in range(3)]
    for person in pending:
        EnrolmentFactory(cycle=cycle, participant=person)
    already = _never_had_password()
    already.invited_at = timezone.now()
    already.save()
    EnrolmentFactory(cycle=cycle, participant=already)
    withdrawn = _never_had_password()
    EnrolmentFactory(cycle=cycle, participant=withdrawn, status=EnrolmentStatus.WITHDRAWN)
    EnrolmentFactory(cycle=cycle)  # has a password
    elsewhere = _never_had_password()
    EnrolmentFactory(participant=elsewhere)  # another cycle

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.invite_pending(cycle=cycle, actor=coordinator) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in pending)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.invite_pending(cycle=cycle, actor=coordinator) == 0
    assert len(mail.outbox) == 3

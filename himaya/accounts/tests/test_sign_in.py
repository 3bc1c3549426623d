"""Sign-in: throttling per account and per client address, the trusted proxy, sessions that
end, password reset that unlocks."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from himaya.training.tests.factories import UserFactory

PASSWORD = "a-correct-horse-battery"


@pytest.fixture
def login_url():
    return reverse("accounts:login")


def _attempt(client, url, email, password, ip, **extra):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip, **extra)


def _user(email):
    user = UserFactory(email=email)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.django_db
def test_good_password_signs_in_and_wrong_one_is_refused(client, login_url):
    _user("judge@example.test")
    bad = _attempt(client, login_url, "judge@example.test", "wrong", "10.0.0.1")
    assert bad.status_code == 200
    assert "_auth_user_id" not in client.session
    good = _attempt(client, login_url, "JUDGE@example.test", PASSWORD, "10.0.0.1")
    assert good.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_one_address_cannot_spray_guesses_at_many_accounts(client, login_url, settings):
    victims = [_user(f"judge{i}@example.test") for i in range(6)]
    for victim in victims[:4]:  # one guess at each of four accounts, from one address
        assert _attempt(client, login_url, victim.email, "guess", "203.0.113.9").status_code == 200
    # The fifth failure from that address, on yet another account, locks the address.
    assert _attempt(client, login_url, victims[4].email, "guess", "203.0.113.9").status_code == 429
    # The address is now locked, even for an account it never tried and the right password.
    locked = _attempt(client, login_url, victims[5].email, PASSWORD, "203.0.113.9")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert (
        _attempt(client, login_url, victims[5].email, PASSWORD, "198.51.100.7").status_code == 302
    )


@pytest.mark.django_db
def test_many_addresses_cannot_hammer_one_account(client, login_url):
    victim = _user("prosecutor@example.test")
    for i in range(5):
        _attempt(client, login_url, victim.email, f"guess{i}", f"192.0.2.{i + 1}")
    locked = _attempt(client, login_url, victim.email.upper(), PASSWORD, "192.0.2.77")
    assert locked.status_code == 429


@pytest.mark.django_db
@override_settings(HIMAYA_TRUSTED_PROXIES=["10.9.0.0/16"])
def test_behind_the_trusted_proxy_each_client_is_counted_apart(client, login_url):
    """Five strangers' failures through the proxy lock neither the proxy nor a sixth client."""
    users = [_user(f"clerk{i}@example.test") for i in range(6)]
    for i, user in enumerate(users[:5]):
        _attempt(
            client,
            login_url,
            user.email,
            "guess",
            "10.9.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}",
        )
    ok = _attempt(
        client,
        login_url,
        users[5].email,
        PASSWORD,
        "10.9.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.50",
    )
    assert ok.status_code == 302


@pytest.mark.django_db
def test_x_forwarded_for_is_ignored_from_an_untrusted_peer(client, login_url):
    """Without a trusted proxy, a client that rotates X-Forwarded-For is still one address."""
    users = [_user(f"court{i}@example.test") for i in range(6)]
    for i, user in enumerate(users[:5]):
        _attempt(
            client, login_url, user.email, "guess", "203.0.113.5", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}"
        )
    locked = _attempt(
        client, login_url, users[5].email, PASSWORD, "203.0.113.5", HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    assert locked.status_code == 429


def test_client_ip_reads_only_what_trusted_proxies_appended(rf, settings):
    from himaya.accounts.security import client_ip

    settings.HIMAYA_TRUSTED_PROXIES = ["10.9.0.2", "10.9.0.3"]
    # The client forged the left-most entry; the proxies appended the real one on the right.
    request = rf.get(
        "/", REMOTE_ADDR="10.9.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4, 10.9.0.3"
    )
    assert client_ip(request) == "198.51.100.4"
    assert (
        client_ip(rf.get("/", REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="6.6.6.6"))
        == "203.0.113.1"
    )
    assert (
        client_ip(rf.get("/", REMOTE_ADDR="10.9.0.2", HTTP_X_FORWARDED_FOR="not-an-ip"))
        == "10.9.0.2"
    )


@pytest.mark.django_db
def test_password_reset_unlocks_a_locked_account(client, login_url):
    victim = _user("locked@example.test")
    for i in range(5):
        _attempt(client, login_url, victim.email, f"guess{i}", f"192.0.2.{i + 1}")
    assert _attempt(client, login_url, victim.email, PASSWORD, "192.0.2.99").status_code == 429

    client.post(reverse("accounts:password_reset"), {"email": victim.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/password/reset/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    new_password = "another-long-passphrase-2026"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert _attempt(client, login_url, victim.email, new_password, "192.0.2.99").status_code == 302
    from himaya.core.models import AuditEntry

    changed = AuditEntry.objects.get(event="password.changed", target_id=str(victim.pk))
    assert changed.extra == {"how": "reset link"}
    assert new_password not in str(changed.changes) + str(changed.extra)


@pytest.mark.django_db
def test_sessions_end_when_idle_and_at_browser_close_on_request(client, login_url, settings):
    _user("shared@example.test")
    response = client.post(
        login_url,
        {"username": "shared@example.test", "password": PASSWORD, "shared_computer": "on"},
        REMOTE_ADDR="10.0.0.5",
    )
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close() is True

    other = client_class_login(settings, login_url)
    assert other.session.get_expire_at_browser_close() is False
    assert other.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600  # hours, not the 14 days Django defaults to
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # idle time, renewed by each request


def client_class_login(settings, login_url):
    from django.test import Client

    _user("own@example.test")
    other = Client()
    other.post(
        login_url, {"username": "own@example.test", "password": PASSWORD}, REMOTE_ADDR="10.0.0.6"
    )
    return other

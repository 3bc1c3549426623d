"""Password reset for accounts that never had a password (imported people), in their language,
without telling anyone whether an address has an account."""

import re

import pytest
from django.core import mail

from himaya.testing import url
from himaya.training.tests.factories import UserFactory

NEW_PASSWORD = "une-autre-phrase-longue-2025"


def _never_had_password(**kwargs):
    user = UserFactory(**kwargs)
    user.set_unusable_password()
    user.save()
    return user


def _main(page) -> str:
    """The page's own content (the header holds a per-request CSRF token)."""
    body = page.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def _reset_link(message) -> str:
    link = re.search(r"https?://\S+/password/reset/\S+/", message.body).group(0)
    return link.split("testserver", 1)[1]


@pytest.mark.django_db
def test_an_account_that_never_had_a_password_gets_a_link_in_its_language(client):
    person = _never_had_password(email="imported@example.test", preferred_language="ar")
    response = client.post(url("accounts:password_reset"), {"email": "Imported@Example.test"})
    assert response.status_code == 302
    assert response["Location"] == url("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert "حماية" in message.subject  # Arabic, although the page was French
    assert "لاختيار كلمة المرور" in message.body  # "choose your password", not "reset"
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    path = _reset_link(message)
    assert path.startswith("/ar/accounts/password/reset/")

    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_an_account_with_a_password_gets_the_usual_reset_mail(client):
    UserFactory(email="judge@example.test", preferred_language="en")
    client.post(url("accounts:password_reset", lang="fr"), {"email": "judge@example.test"})
    (message,) = mail.outbox
    assert "reset the password" in message.body
    assert "/en/accounts/password/reset/" in message.body


@pytest.mark.django_db
def test_unknown_and_inactive_addresses_get_the_same_page_and_no_mail(client):
    _never_had_password(email="known@example.test")
    _never_had_password(email="inactive@example.test", is_active=False)
    known = client.post(
        url("accounts:password_reset"), {"email": "known@example.test"}, follow=True
    )
    mail.outbox.clear()
    pages = [
        client.post(url("accounts:password_reset"), {"email": address}, follow=True)
        for address in ("nobody@example.test", "inactive@example.test")
    ]
    assert mail.outbox == []
    for page in pages:
        assert page.redirect_chain == known.redirect_chain
        assert _main(page) == _main(known)


@pytest.mark.django_db
def test_a_bad_address_is_refused_on_the_page_and_kept(client):
    response = client.post(url("accounts:password_reset"), {"email": "not an address"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'value="not an address"' in response.content.decode()
    assert mail.outbox == []

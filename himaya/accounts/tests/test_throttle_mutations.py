"""Login throttling: a test written against a mutant the rest of the suite let through (the
failure counter keyed on the e-mail address as typed instead of case-folded).

The site's own sign-in form lower-cases the address before authenticating; the admin's sign-in
form does not. Both must count against one account."""

import pytest
from django.urls import reverse

from himaya.accounts.security import axes_username
from himaya.training.tests.factories import UserFactory

PASSWORD = "a-correct-horse-battery"


def test_the_failure_counter_key_is_the_case_folded_address(rf):
    request = rf.post("/", {"username": " Judge@Example.TEST "})
    assert axes_username(request, {"username": "Judge@Example.TEST"}) == "judge@example.test"
    assert axes_username(request, None) == "judge@example.test"


@pytest.mark.django_db
def test_failures_in_any_letter_case_through_the_admin_lock_the_one_account(client):
    victim = UserFactory(email="judge@example.test")
    victim.set_password(PASSWORD)
    victim.save()
    spellings = [
        "JUDGE@example.test",
        "Judge@example.test",
        "jUdge@example.test",
        "juDge@EXAMPLE.test",
        "judGE@example.TEST",
    ]
    for i, spelling in enumerate(spellings):  # five addresses: no address reaches the limit
        client.post(
            reverse("admin:login"),
            {"username": spelling, "password": "guess"},
            REMOTE_ADDR=f"192.0.2.{i + 1}",
        )
    locked = client.post(
        reverse("accounts:login"),
        {"username": victim.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

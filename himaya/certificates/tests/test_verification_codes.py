"""Certificate codes people can read and type: no look-alike characters, any case, spaces and
hyphens ignored; a page to type one; a clear page (still a 404) when none matches."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from himaya.certificates.models import CODE_ALPHABET, Certificate, new_code, normalise_code


def test_new_codes_have_no_look_alike_characters_and_enough_randomness():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert re.fullmatch(r"([2-9A-HJKMNP-Z]{5}-){4}[2-9A-HJKMNP-Z]{5}", code), code
    assert not set("01ILO") & set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) ** 25 > 2**120


def test_a_code_is_read_whatever_its_case_spaces_and_hyphens():
    code = "K7Q2M-ABCDE-23456-FGHJK-MNPQR"
    assert normalise_code("k7q2m abcde 23456 fghjk mnpqr") == code
    assert normalise_code(" K7Q2MABCDE23456FGHJKMNPQR ") == code
    assert normalise_code("k7q2m-abcde-23456-fghjk-mnpqr") == code
    old = "Ab3_x-Yz9Qw8Rt7Uv6Sp5"  # a URL-safe code issued before: kept as it is
    assert normalise_code(old) == old


@pytest.mark.django_db
def test_anyone_types_a_code_and_finds_the_certificate(client, participant, cycle):
    certificate = Certificate.objects.create(
        cycle=cycle, participant=participant, language="fr", issued_on=timezone.localdate()
    )
    form = client.get(reverse("verify_form"))
    assert form.status_code == 200 and 'id="verify-code"' in form.content.decode()
    typed = certificate.code.lower().replace("-", " ")
    found = client.get(reverse("verify_form"), {"code": typed}, follow=True)
    assert found.redirect_chain[-1][0] == reverse("verify", args=[certificate.code])
    assert "badge verified" in found.content.decode()
    # The address itself forgives case too (a code read aloud and typed in the browser).
    lower = client.get(reverse("verify", args=[certificate.code.lower()]), follow=True)
    assert "badge verified" in lower.content.decode()


@pytest.mark.django_db
def test_an_unknown_code_says_so_clearly_and_is_still_a_404(client):
    response = client.get(reverse("verify", args=["ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"]))
    assert response.status_code == 404
    body = response.content.decode()
    assert 'id="certificate-status"' in body and "ZZZZZ-ZZZZZ" in body
    assert reverse("verify_form") in body
    odd = client.get(reverse("verify_form"), {"code": "abc/def?x"})
    assert odd.status_code == 404

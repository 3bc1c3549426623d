"""Names, courts and e-mail addresses: one line of visible text, within RFC limits."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from himaya.accounts import validators
from himaya.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value",
    ["Na\x00ima", "Na\x1fima", "Na\x7fima", "Na\x9bima", "Line\nbreak", "Tab\tbed"],
)
def test_control_characters_are_refused(value):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_name(value)
    assert excinfo.value.code == "control_character"


@pytest.mark.parametrize("code", [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])  # fmt: skip
def test_bidi_and_zero_width_characters_are_refused(code):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_name(f"Naïma{chr(code)} Aït")
    assert excinfo.value.code == "invisible_character"
    assert f"U+{code:04X}" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    "value", ["Naïma", "آيت بنحدو", "Cour d'appel de Fès", "O'Neill-Smith", ""]
)
def test_ordinary_names_pass(value):
    validators.validate_name(value)


def test_email_length_limits():
    validators.validate_email_length("a" * 64 + "@justice.test")
    with pytest.raises(ValidationError, match="64"):
        validators.validate_email_length("a" * 65 + "@justice.test")
    with pytest.raises(ValidationError, match="254"):
        validators.validate_email_length("a@" + "d" * 250 + ".ma")


@pytest.mark.parametrize(
    "field_name", ["first_name", "last_name", "first_name_ar", "last_name_ar", "court"]
)
def test_the_user_model_refuses_them_so_forms_and_the_admin_do(field_name):
    user = User(email="naima@justice.test", **{field_name: "نعيمة\u202e"})
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean(exclude=["password"])
    assert list(excinfo.value.message_dict) == [field_name]
    form = forms.modelform_factory(User, fields=[field_name])(data={field_name: "Na\x07ima"})
    assert not form.is_valid() and list(form.errors) == [field_name]


def test_the_user_model_refuses_a_long_local_part():
    user = User(email="a" * 300 + "@justice.test")
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean(exclude=["password"])
    assert "email" in excinfo.value.message_dict


def test_the_admin_change_form_refuses_a_bidi_override(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[admin_user.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(first_name="Admin\u202e", email=admin_user.email, role=admin_user.role)
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert "first_name" in response.context["adminform"].form.errors
    admin_user.refresh_from_db()
    assert "\u202e" not in admin_user.first_name

"""A person's own profile (`training:my_profile`): what they may change, how it is checked,
audited and applied (the language of the pages), and what it links to."""

import pytest

from himaya.accounts.choices import Role
from himaya.accounts.models import User
from himaya.core.models import AuditEntry
from himaya.testing import url
from himaya.training import forms, services
from himaya.training.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HAS_CERTIFICATE_LANGUAGE = any(f.name == "certificate_language" for f in User._meta.fields)


def post(client, data, lang="fr"):
    values = {"phone": "", "court": "", "preferred_language": "fr", **data}
    return client.post(url("training:my_profile", lang=lang), values)


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("06 12 34 56 78", "+212612345678"),
        ("0612345678", "+212612345678"),
        ("05.22.12.34.56", "+212522123456"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("00212 612-345-678", "+212612345678"),
        ("+212 (0)6 12 34 56 78", "+212612345678"),
        ("07 01 02 03 04", "+212701020304"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_phones_are_read_as_people_write_them(typed, stored):
    assert forms.normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "06 12 34", "call me", "+212 9 12 34 56 78", "0012"])
def test_other_phones_are_refused(typed):
    with pytest.raises(forms.ValidationError):
        forms.normalise_phone(typed)


def test_a_participant_changes_phone_and_court_with_an_audit_entry(client, participant):
    client.force_login(participant)
    response = post(client, {"phone": "06 61 48 20 35", "court": "Tribunal de première instance"})
    assert response.status_code == 302 and response.url == url("training:my_profile")
    participant.refresh_from_db()
    assert participant.phone == "+212661482035"
    assert participant.court == "Tribunal de première instance"
    entry = AuditEntry.objects.get(event=services.PROFILE_UPDATED, target_id=str(participant.pk))
    assert entry.actor == participant and entry.extra == {"by": "self"}
    assert entry.changes["phone"][1] == "+212661482035"
    page = client.get(response.url).content.decode()
    assert "Votre profil est enregistré." in page
    assert 'value="+212661482035"' in page


def test_saving_without_change_writes_nothing(client, participant):
    client.force_login(participant)
    values = {"phone": participant.phone, "court": participant.court, "preferred_language": "fr"}
    if HAS_CERTIFICATE_LANGUAGE:
        values["certificate_language"] = participant.certificate_language
    post(client, values)
    assert not AuditEntry.objects.filter(event=services.PROFILE_UPDATED).exists()


def test_a_bad_phone_is_refused_and_keeps_what_was_typed(client, participant):
    client.force_login(participant)
    response = post(client, {"phone": "06 12 34", "court": "Cour d’appel de Fès"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "n’est pas un numéro de téléphone marocain" in page
    assert 'value="06 12 34"' in page and "Cour d’appel de Fès" in page
    participant.refresh_from_db()
    assert participant.court != "Cour d’appel de Fès"


@pytest.mark.parametrize("court", ["Cour\u202eلا", "x" * 201])
def test_a_bad_court_is_refused_without_a_500(client, participant, court):
    client.force_login(participant)
    response = post(client, {"court": court})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_an_unknown_language_is_refused(client, participant):
    client.force_login(participant)
    response = post(client, {"preferred_language": "de"})
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.preferred_language == "fr"


def test_choosing_arabic_switches_the_pages_to_arabic(client, participant):
    client.force_login(participant)
    response = post(client, {"preferred_language": "ar"})
    assert response.status_code == 302
    assert response.url == url("training:my_profile", lang="ar")
    assert response.cookies["django_language"].value == "ar"
    page = client.get(response.url).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "تم حفظ ملفك الشخصي." in page


def test_name_function_region_and_email_cannot_be_changed_here(client, participant):
    client.force_login(participant)
    before = User.objects.values("first_name", "last_name", "email", "function", "region", "role")
    before = before.get(pk=participant.pk)
    post(
        client,
        {
            "first_name": "Autre",
            "email": "autre@example.test",
            "function": "prosecutor",
            "role": Role.ADMIN,
            "region": "fes-meknes",
        },
    )
    after = User.objects.values(*before).get(pk=participant.pk)
    assert after == before


@pytest.mark.skipif(not HAS_CERTIFICATE_LANGUAGE, reason="accounts has no certificate_language")
def test_the_certificate_language_is_chosen_here(client, participant):
    client.force_login(participant)
    post(client, {"certificate_language": "fr-ar"})
    participant.refresh_from_db()
    assert participant.certificate_language == "fr-ar"


def test_the_form_offers_the_certificate_language_only_when_accounts_has_it():
    assert ("certificate_language" in forms.MyProfileForm().fields) is HAS_CERTIFICATE_LANGUAGE


def test_the_service_refuses_someone_elses_profile(participant, coordinator):
    with pytest.raises(services.PermissionDenied):
        services.update_own_profile(user=participant, data={"phone": ""}, actor=coordinator)


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(url("training:my_profile"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    response = client.post(url("training:my_profile"), {"phone": "0612345678"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("role", [Role.TRAINER, Role.COORDINATOR])
def test_staff_keep_their_own_profile_too(client, role, partner):
    person = UserFactory(role=role, partner=partner if role == Role.COORDINATOR else None)
    client.force_login(person)
    assert client.get(url("training:my_profile")).status_code == 200
    post(client, {"phone": "0522123456"})
    person.refresh_from_db()
    assert person.phone == "+212522123456"


def test_a_coordinator_sees_a_participants_profile_without_editing_it(
    client, coordinator, participant
):
    client.force_login(coordinator)
    target = url("training:participant_profile", participant.pk)
    page = client.get(target).content.decode()
    assert "<form method" not in page.split("<main", 1)[1]
    assert url("training:my_profile") not in page.split("<main", 1)[1]
    assert client.post(target, {"phone": "0612345678"}).status_code == 405


def test_the_profile_lists_cycles_with_a_calendar_address_and_a_copy_button(
    client, participant, cycle
):
    client.force_login(participant)
    page = client.get(url("training:my_profile")).content.decode()
    assert cycle.title in page
    assert f"/fr/cycles/{cycle.slug}/calendar.ics?token=" in page
    assert f'data-copy="ics-{cycle.pk}"' in page and 'data-copied="Copié"' in page
    assert "js/copy-link.js" in page


def test_the_profile_shows_the_certificate_links_registered_by_other_apps(
    client, participant, cycle
):
    from himaya.core import registry

    def provider(user, cycles):
        return {
            c.pk: [registry.Link("Mon certificat (PDF)", "/fr/certificates/1.pdf")] for c in cycles
        }

    registry.add_cycle_links(registry.MY_PROFILE, provider, order=99)
    try:
        client.force_login(participant)
        page = client.get(url("training:my_profile")).content.decode()
    finally:
        registry._LINKS[registry.MY_PROFILE].remove((99, provider))
    assert "Mon certificat (PDF)" in page and "/fr/certificates/1.pdf" in page


def test_the_participant_home_links_the_profile_and_each_cycles_calendar(
    client, participant, cycle
):
    client.force_login(participant)
    page = client.get(url("training:participant_home")).content.decode()
    assert f'href="{url("training:my_profile")}"' in page
    assert f"/fr/cycles/{cycle.slug}/calendar.ics?token=" in page
    assert 'class="badge status-open">Inscriptions ouvertes<' in page
    assert "Mon inscription" in page


def test_the_own_public_profile_page_links_the_edit_page(client, participant):
    client.force_login(participant)
    page = client.get(url("training:participant_profile", participant.pk)).content.decode()
    assert f'href="{url("training:my_profile")}"' in page


@pytest.mark.parametrize("lang,direction", [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_the_profile_renders_in_each_language(client, participant, lang, direction):
    client.force_login(participant)
    response = client.get(url("training:my_profile", lang=lang))
    assert f'<html lang="{lang}" dir="{direction}">' in response.content.decode()

"""What the certificate says: hours of training, signatories (or the partners), the language
its holder chose (read at download time), and the bilingual French–Arabic page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from himaya.certificates import documents, selectors, services
from himaya.certificates.models import Certificate, CompletionRule, Signatory
from himaya.core.models import AuditEntry
from himaya.testing import url
from himaya.training.tests.factories import CycleFactory, SessionFactory

from .utils import attend, other_coordinator, rule

pytestmark = pytest.mark.django_db

SIGNATORIES = [
    {
        "name_fr": "Amina Benali",
        "name_ar": "أمينة بنعلي",
        "title_fr": "Présidente de l’AMJ",
        "title_ar": "رئيسة الجمعية المغربية للقضاة",
        "title_en": "President of the AMJ",
    },
    {
        "name_fr": "Jean Dupont",
        "name_ar": "",
        "title_fr": "Directeur du programme",
        "title_ar": "مدير البرنامج",
        "title_en": "",
    },
]


def _session(cycle, start, end, expected=True):
    return SessionFactory(
        cycle=cycle,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        attendance_expected=expected,
    )


@pytest.fixture
def certificate(cycle, participant, trainer, coordinator):
    """Sessions of 1 h 30, 3 h 15 and 3 h with attendance, and a 1 h 30 lunch without: 7.75 h."""
    sessions = [
        _session(cycle, (9, 0), (10, 30)),
        _session(cycle, (10, 45), (14, 0)),
        _session(cycle, (14, 0), (15, 30), expected=False),
        _session(cycle, (15, 30), (18, 30)),
    ]
    attend(
        [s for s in sessions if s.attendance_expected],
        participant,
        ["present"] * 3,
        actor=trainer,
    )
    rule(cycle, minimum="0.50")
    partner = cycle.programme.partners.get()
    partner.name_ar = "الجمعية المغربية للقضاة"
    partner.save()
    participant.first_name_ar, participant.last_name_ar = "فاطمة الزهراء", "الإدريسي"
    participant.save()
    services.issue_certificates(cycle=cycle, actor=coordinator)
    return Certificate.objects.select_related("participant", "cycle__programme").get()


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_hours_are_the_sessions_with_attendance(cycle, certificate):
    assert selectors.training_hours(cycle=cycle) == Decimal("7.75")
    whole = CycleFactory()
    for start in (9, 11, 14, 16):
        _session(whole, (start, 0), (start + 2, 0))
    _session(whole, (13, 0), (14, 0), expected=False)
    assert selectors.training_hours(cycle=whole) == 8
    assert selectors.training_hours(cycle=CycleFactory()) == 0


def test_the_certificate_states_the_hours_in_its_language(cycle, certificate):
    text = _text(documents.certificate_pdf(base_url="http://x/", certificate=certificate))
    assert "7,75\u00a0heures" in text or "7,75 heures" in text
    english = _text(
        documents.certificate_pdf(base_url="http://x/", certificate=certificate, language="en")
    )
    assert "Length of the training: 7.75 hours" in english
    html = documents.certificate_html(base_url="http://x/", certificate=certificate, language="ar")
    assert "ساعات" in html or "ساعة" in html


def test_twelve_hours_read_as_the_brief_says(cycle, participant, coordinator):
    for start in (8, 11, 14, 17):
        _session(cycle, (start, 0), (start + 3, 0))
    cert = Certificate.objects.create(
        cycle=cycle, participant=participant, issued_on=datetime.date(2024, 12, 6), language="fr"
    )
    fr = documents.certificate_html(base_url="http://x/", certificate=cert, language="fr")
    ar = documents.certificate_html(base_url="http://x/", certificate=cert, language="ar")
    assert "12 heures" in fr and "12 ساعة" in ar


def test_signatories_are_on_the_certificate_else_the_partners(cycle, certificate, coordinator):
    bare = documents.certificate_html(base_url="http://x/", certificate=certificate)
    name = cycle.programme.partners.get().name
    assert f'<div class="name">{name}</div>' in bare  # signed by the partners
    services.set_signatories(cycle=cycle, actor=coordinator, signatories=SIGNATORIES)
    text = _text(documents.certificate_pdf(base_url="http://x/", certificate=certificate))
    for expected in (
        "Amina Benali",
        "Présidente de l’AMJ",
        "Jean Dupont",
        "Directeur du programme",
    ):
        assert expected in text
    english = _text(
        documents.certificate_pdf(base_url="http://x/", certificate=certificate, language="en")
    )
    assert "President of the AMJ" in english and "Directeur du programme" in english
    arabic = documents.certificate_html(
        base_url="http://x/", certificate=certificate, language="ar"
    )
    assert "أمينة بنعلي" in arabic and "مدير البرنامج" in arabic and "Jean Dupont" in arabic
    assert arabic.index("أمينة بنعلي") < arabic.index("Jean Dupont")  # in their order


def test_the_bilingual_certificate_has_french_and_arabic_on_one_page(certificate):
    pdf = documents.certificate_pdf(base_url="http://x/", certificate=certificate, language="fr-ar")
    text = _text(pdf)  # one page
    assert "Attestation de formation" in text and certificate.code in text
    html = documents.certificate_html(
        base_url="http://x/", certificate=certificate, language="fr-ar"
    )
    french, arabic = html.index('lang="fr" dir="ltr"'), html.index('lang="ar" dir="rtl"')
    assert french < arabic  # French on the left, Arabic on the right
    assert "شهادة إتمام التكوين" in html and "Attestation de formation" in html
    assert html.count(f'class="code">{certificate.code}<') == 2  # once per language
    assert html.count(f"/verify/{certificate.code}") == 2
    assert html.count('class="qr"') == 1


def test_the_language_is_the_holders_choice_at_download_time(client, certificate):
    holder = certificate.participant
    holder.preferred_language = "fr"
    holder.save()
    client.force_login(holder)
    pdf_url = reverse("certificates:pdf", args=[certificate.pk])
    assert "Attestation de formation" in _text(client.get(pdf_url).content)
    holder.preferred_language = "en"  # changed after issue: the next download follows
    holder.save()
    assert "Certificate of completion" in _text(client.get(pdf_url).content)
    certificate.refresh_from_db()
    assert certificate.language == "fr"  # what was stored at issue is not what decides
    # `certificate_language` (the holder's choice, blank for the preferred language) wins.
    holder.certificate_language = "fr-ar"
    assert documents.certificate_language(holder) == "fr-ar"
    holder.certificate_language = "ar"
    assert documents.certificate_language(holder) == "ar"
    holder.certificate_language = ""
    assert documents.certificate_language(holder) == "en"
    holder.certificate_language = "xx"
    assert documents.certificate_language(holder) == "en"
    # Anyone who may see it can ask for another language; nonsense falls back to the choice.
    assert "Attestation de formation" in _text(client.get(pdf_url, {"lang": "fr"}).content)
    assert "Certificate of completion" in _text(client.get(pdf_url, {"lang": "../x"}).content)


def test_the_code_and_qr_do_not_change_with_the_language(certificate):
    pages = {
        lang: documents.certificate_html(
            base_url="http://x/", certificate=certificate, language=lang
        )
        for lang in ("fr", "ar", "en")
    }
    qr = documents.qr_svg_data_uri(documents.verify_url("http://x/", certificate))
    assert all(qr in page and certificate.code in page for page in pages.values())


def test_signatories_on_the_screen_are_saved_audited_and_typed_values_kept(
    client, cycle, coordinator, trainer
):
    path = url("certificates:signatories", cycle.slug, lang="en")
    data = {"signatories-TOTAL_FORMS": "3", "signatories-INITIAL_FORMS": "0"}
    for i, item in enumerate(SIGNATORIES):
        data.update({f"signatories-{i}-{k}": v for k, v in item.items()})
    for outsider in (other_coordinator(), trainer):
        client.force_login(outsider)
        assert client.post(path, data).status_code == 403
    client.force_login(coordinator)
    assert client.post(path, data).status_code == 302
    assert [s.name_fr for s in Signatory.objects.filter(cycle=cycle)] == [
        "Amina Benali",
        "Jean Dupont",
    ]
    assert AuditEntry.objects.get(event=services.SIGNATORIES_UPDATED).actor == coordinator
    screen = client.get(url("certificates:cycle_certificates", cycle.slug)).content.decode()
    assert 'value="Amina Benali"' in screen and 'value="رئيسة الجمعية المغربية للقضاة"' in screen
    # Remove the first, leave out a title in a new one: refused, and nothing typed is lost.
    data = {"signatories-TOTAL_FORMS": "3", "signatories-INITIAL_FORMS": "2"}
    for i, item in enumerate(SIGNATORIES):
        data.update({f"signatories-{i}-{k}": v for k, v in item.items()})
    data["signatories-0-DELETE"] = "on"
    data["signatories-2-name_fr"] = "Nadia Alaoui"
    refused = client.post(path, data)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'value="Nadia Alaoui"' in body and 'class="errorlist"' in body
    assert Signatory.objects.filter(cycle=cycle).count() == 2
    data["signatories-2-title_fr"] = "Procureure du Roi"
    assert client.post(path, data).status_code == 302
    assert [s.name_fr for s in Signatory.objects.filter(cycle=cycle).order_by("order")] == [
        "Jean Dupont",
        "Nadia Alaoui",
    ]
    broken = client.post(path, {"signatories-TOTAL_FORMS": "x"})
    assert broken.status_code == 400


def test_copy_certificate_settings_for_a_duplicated_cycle(cycle, coordinator):
    rule(cycle, minimum="0.70", excused="excluded", post_test=True)
    services.set_signatories(cycle=cycle, actor=coordinator, signatories=SIGNATORIES)
    target = CycleFactory(programme=cycle.programme)
    services.copy_certificate_settings(source_cycle=cycle, target_cycle=target, actor=coordinator)
    copied = CompletionRule.objects.get(cycle=target)
    assert (copied.min_attendance, copied.excused_absences, copied.require_post_test) == (
        Decimal("0.70"),
        "excluded",
        True,
    )
    assert [s.title_ar for s in Signatory.objects.filter(cycle=target).order_by("order")] == [
        "رئيسة الجمعية المغربية للقضاة",
        "مدير البرنامج",
    ]
    assert AuditEntry.objects.filter(event=services.SETTINGS_COPIED).count() == 1
    other = CycleFactory()  # another partner's programme
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.copy_certificate_settings(
            source_cycle=cycle, target_cycle=other, actor=coordinator
        )


def test_the_rule_summary_is_translated(client, cycle, coordinator):
    CompletionRule.objects.create(cycle=cycle, excused_absences="attended")
    client.force_login(coordinator)
    with translation.override("ar"):
        body = client.get(url("certificates:cycle_certificates", cycle.slug, lang="ar")).content
    assert "يُحتسب الغياب المبرر كجلسات تم حضورها." in body.decode()

"""The case library's pages, as an uploader and two reviewers use them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from himaya.accounts.choices import Role
from himaya.casestudies.models import CaseDocument, Correction, Status
from himaya.training.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AR = (
    "المحكمة الابتدائية بتطوان. المطالبة بالحق المدني: زليخة بنت الصديق بلعيد، الساكنة بدرب "
    "الملاح زنقة 4 رقم 11 تطوان. المتهم: عبد الغفور أكنوش. وحيث اعترف المتهم أكنوش، وطبقا "
    "للفصل 404 من القانون الجنائي."
)


@pytest.fixture
def reviewer2(db):
    return UserFactory(role=Role.COORDINATOR, email="second@example.test")


def test_upload_review_correct_link_and_publish(
    client, trainer, reviewer2, participant, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):  # the job runs when the upload commits
        response = client.post(
            reverse("casestudies:upload"), {"language": "ar", "text": AR, "parties": "زليخة بلعيد"}
        )
    job_page = client.get(response["Location"]).content.decode()  # the job's page: finished
    document = CaseDocument.objects.get()
    review_url = reverse("casestudies:review", args=[document.pk])
    assert review_url in job_page
    page = client.get(review_url).content.decode()
    assert 'dir="rtl"' in page and "label-PERSON" in page
    # Add a span by typing its text; remove one; link two mentions.
    client.post(review_url, {"action": "add", "needle": "تطوان", "label": "ADDRESS"})
    document.refresh_from_db()
    assert sum(1 for s in document.spans if AR[s["start"] : s["end"]] == "تطوان") >= 1
    index = next(i for i, s in enumerate(document.spans) if AR[s["start"] : s["end"]] == "أكنوش")
    client.post(review_url, {"action": "link", "index": index, "person": "1"})
    document.refresh_from_db()
    assert document.spans[index]["person"] == 1
    assert Correction.objects.filter(document=document).count() == 2
    client.post(review_url, {"action": "approve"})
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    # A participant reads neither the original nor the review screen.
    client.force_login(participant)
    assert client.get(review_url).status_code == 403
    client.force_login(reviewer2)
    response2 = client.post(review_url, {"action": "approve"})
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED and document.original is None
    assert response2["Location"] == reverse("casestudies:case", args=[document.pk])
    client.force_login(participant)
    page = client.get(reverse("casestudies:case", args=[document.pk])).content.decode()
    assert "أكنوش" not in page and "404" in page
    assert "بلعيد" not in page
    assert (
        reverse("casestudies:case", args=[document.pk])
        in client.get(reverse("casestudies:library")).content.decode()
    )


def test_upload_errors_keep_what_was_typed(client, trainer):
    client.force_login(trainer)
    page = client.post(
        reverse("casestudies:upload"), {"language": "", "text": "Un texte", "parties": "X"}
    ).content.decode()
    assert 'role="alert"' in page and "Un texte" in page
    bad = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 not really", content_type="application/pdf")
    page = client.post(
        reverse("casestudies:upload"), {"language": "fr", "file": bad, "parties": ""}
    ).content.decode()
    assert 'role="alert"' in page
    assert not CaseDocument.objects.exists()


def test_a_docx_upload(client, trainer, django_capture_on_commit_callbacks):
    import zipfile

    buffer = io.BytesIO()
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Partie civile : Mme Kenza AARAB, CIN n° UA48213.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", body)
    upload = SimpleUploadedFile("decision.docx", buffer.getvalue())
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("casestudies:upload"), {"language": "fr", "file": upload, "parties": ""}
        )
    document = CaseDocument.objects.get()
    assert "Kenza AARAB" in document.original
    assert {document.original[s["start"] : s["end"]] for s in document.spans} >= {
        "Kenza AARAB",
        "UA48213",
    }


def test_a_trainer_puts_a_case_into_a_session_and_its_agenda_shows_it(
    client, trainer, session, cycle, participant, reviewer2, settings
):
    from himaya.casestudies import services
    from himaya.casestudies.models import Case

    settings.CASES_REVIEWERS_REQUIRED = 1
    document = services.process(document=services.upload(actor=trainer, language="ar", text=AR))
    services.approve(document=document, actor=reviewer2)
    case = Case.objects.create(
        key="ar-test",
        document=document,
        court_level="first_instance",
        year=2024,
        texts={"title": {"fr": "Un cas", "ar": "قضية", "en": "A case"}},
    )
    client.force_login(trainer)
    url = reverse("casestudies:cycle_cases", args=[cycle.slug])
    assert (
        'id="cycle-cases"'
        in client.get(reverse("training:cycle_detail", args=[cycle.slug])).content.decode()
    )
    client.post(url, {"action": "add", "session": session.pk, "case": case.key})
    page = client.get(reverse("training:cycle_detail", args=[cycle.slug])).content.decode()
    assert reverse("casestudies:case_detail", args=[case.key]) in page
    client.force_login(participant)
    assert client.get(url).status_code == 403
    page = client.get(reverse("casestudies:case_detail", args=[case.key])).content.decode()
    assert "أكنوش" not in page and 'id="published"' in page


def test_an_engine_failure_during_the_upload_job_publishes_nothing_and_says_so(
    client, trainer, monkeypatch, django_capture_on_commit_callbacks
):
    from himaya.casestudies import services
    from himaya.core.jobs.models import Job

    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(services, "analyse", broken)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("casestudies:upload"), {"language": "ar", "text": AR, "parties": ""}
        )
    response = client.get(response["Location"], follow=True)
    document = CaseDocument.objects.get()
    assert document.status == Status.FAILED and document.published_text == ""
    job = Job.objects.get(kind="casestudies.process")
    assert job.status == "failed" and job.message == document.message
    assert "أكنوش" not in response.content.decode()


def test_the_review_screen_names_categories_and_doubts_in_the_readers_language(client, trainer):
    from django.utils import translation

    from himaya.casestudies import services

    document = services.process(
        document=services.upload(actor=trainer, language="ar", text=AR, parties=["نادية التازي"])
    )
    client.force_login(trainer)
    for lang in ("ar", "fr"):
        page = client.get(f"/{lang}/cases/documents/{document.pk}/").content.decode()
        with translation.override(lang):
            person = translation.gettext("person")
            not_found = translation.gettext("party's name found nowhere")
        assert person != "person" and f'title="{person}"' in page
        assert not_found != "party's name found nowhere" and not_found in page
        assert "party_not_found" not in page

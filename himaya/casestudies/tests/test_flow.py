"""Upload → engine → review → two approvals → publication, failing closed on the way."""

import concurrent.futures

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from himaya.accounts.choices import Role
from himaya.casestudies import selectors, services
from himaya.casestudies.models import CaseDocument, Correction, Status
from himaya.core.models import AuditEntry
from himaya.training.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Tribunal de première instance de Fès. Partie civile : Mme Kenza AARAB, née le 2 mai 2005, "
    "CIN n° UA48213. Prévenu : M. Soufiane OUHSSAINE, tél. 06 96 27 15 04. Attendu que "
    "Ouhssaine conteste les faits de l'article 1-323 du Code pénal."
)


@pytest.fixture
def reviewers(db):
    return (
        UserFactory(role=Role.TRAINER, email="r1@example.test"),
        UserFactory(role=Role.COORDINATOR, email="r2@example.test"),
    )


@pytest.fixture
def document(trainer):
    document = services.upload(actor=trainer, language="fr", text=TEXT, parties=["Kenza Aarab"])
    return services.process(document=document)


def _raw(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        return " ".join(" ".join(str(v) for v in row) for row in cursor.fetchall())


def test_the_engine_proposes_and_the_original_is_encrypted(document):
    assert document.status == Status.REVIEW
    assert {document.original[s["start"] : s["end"]] for s in document.spans} >= {
        "Kenza AARAB",
        "UA48213",
        "Soufiane OUHSSAINE",
    }
    raw = _raw(CaseDocument._meta.db_table)
    assert "Kenza" not in raw and "OUHSSAINE" not in raw and "UA48213" not in raw


@pytest.mark.parametrize(
    "failure",
    [RuntimeError("boom"), concurrent.futures.TimeoutError()],
    ids=["engine error", "timeout"],
)
def test_an_engine_failure_or_timeout_publishes_nothing(trainer, failure):
    document = services.upload(actor=trainer, language="fr", text=TEXT)

    def failing(*args):
        raise failure

    document = services.process(document=document, engine=failing)
    assert document.status == Status.FAILED
    assert document.message and "Kenza" not in document.message
    assert document.spans == [] and document.published_text == ""
    assert AuditEntry.objects.filter(event="case.processing_failed").count() == 1


def test_the_timeout_is_real(trainer, settings):
    settings.CASES_ENGINE_TIMEOUT = 0.05
    import time

    def slow(text, language, parties=()):
        time.sleep(0.5)

    document = services.upload(actor=trainer, language="fr", text=TEXT)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(services, "analyse", slow)
        document = services.process(document=document)
    assert document.status == Status.FAILED


def test_a_correction_is_kept_as_a_diff_and_asks_for_the_approvals_again(document, reviewers):
    first, second = reviewers
    services.approve(document=document, actor=first)
    spans = [s for s in document.spans if document.original[s["start"] : s["end"]] != "UA48213"]
    start = TEXT.index("Fès")
    spans.append({"start": start, "end": start + 3, "label": "ADDRESS", "person": None})
    correction = services.correct(document=document, actor=second, spans=spans)
    assert isinstance(correction, Correction) and correction.actor == second
    assert [TEXT[s["start"] : s["end"]] for s in correction.before] == ["UA48213"]
    assert [TEXT[s["start"] : s["end"]] for s in correction.after] == ["Fès"]
    document.refresh_from_db()
    assert document.status == Status.REVIEW and not document.approved_by.exists()
    with pytest.raises(ValidationError):
        services.correct(
            document=document, actor=second, spans=[{"start": 0, "end": 9999, "label": "PERSON"}]
        )


def test_two_reviewers_publish_and_the_original_is_deleted(document, reviewers):
    first, second = reviewers
    services.approve(document=document, actor=first)
    with pytest.raises(ValidationError):
        services.approve(document=document, actor=first)
    document.refresh_from_db()
    assert document.status == Status.APPROVED and document.published_text == ""
    document = services.approve(document=document, actor=second)
    assert document.status == Status.PUBLISHED
    assert "Kenza" not in document.published_text and "OUHSSAINE" not in document.published_text
    assert (
        "1-323" in document.published_text
        and "Tribunal de première instance de Fès" in document.published_text
    )
    document.refresh_from_db()
    assert document.original is None and document.parties == []
    raw = _raw(CaseDocument._meta.db_table) + _raw(Correction._meta.db_table)
    for secret in ("Kenza", "AARAB", "OUHSSAINE", "UA48213", "06 96 27 15 04"):
        assert secret not in raw


def test_one_reviewer_is_enough_when_configured(document, reviewers, settings):
    settings.CASES_REVIEWERS_REQUIRED = 1
    assert services.approve(document=document, actor=reviewers[0]).status == Status.PUBLISHED


def test_only_the_uploader_and_the_reviewers_read_an_original(
    document, trainer, reviewers, participant, admin_user
):
    assert selectors.read_original(user=trainer, pk=document.pk).original == TEXT
    assert selectors.read_original(user=reviewers[1], pk=document.pk).original == TEXT
    for other in (participant, admin_user):
        with pytest.raises(PermissionDenied):
            selectors.read_original(user=other, pk=document.pk)
    assert AuditEntry.objects.filter(event="record.read", target_id=str(document.pk)).count() == 2
    with pytest.raises(PermissionDenied):
        services.approve(document=document, actor=participant)


def test_bad_uploads_are_refused_with_a_message(trainer):
    for kwargs in ({"language": "es", "text": TEXT}, {"language": "fr", "text": "   "}):
        with pytest.raises(ValidationError):
            services.upload(actor=trainer, **kwargs)
    assert not CaseDocument.objects.exists()

"""The library entry of an uploaded decision: reviewers write its metadata, its texts in three
languages and its questions; the case enters the library (and its search) once the decision is
published; participants read it with its exercises."""

import pytest
from django.urls import reverse

from himaya.accounts.choices import Role
from himaya.benchbook.tests import factories as bb
from himaya.casestudies import services
from himaya.casestudies.models import Case, Status
from himaya.core.models import AuditEntry
from himaya.training.tests.factories import ModuleFactory, UserFactory

pytestmark = pytest.mark.django_db

FR = (
    "Tribunal de première instance de Taza. Partie civile : Mme Leila BENNANI, demeurant rue "
    "Allal, n° 4, Taza. Prévenu : M. Karim ZNIBER. Attendu que Zniber a expulsé son épouse du "
    "domicile conjugal ; faits prévus par l'article 480-1 du Code pénal."
)


def _texts(**override):
    data = {}
    for name, words in {
        "title": "Expulsion du domicile",
        "outcome": "Condamnation",
        "summary": "Un mari expulse son épouse.",
        "discussion": "- Le retour au domicile.",
        "model_answer": "",
    }.items():
        for code in ("fr", "ar", "en"):
            data[f"{name}_{code}"] = f"{words} [{code}]" if words else ""
    data.update(override)
    return data


def _question(prefix="q-0", **override):
    data = {f"{prefix}-correct": "c"}
    for code in ("fr", "ar", "en"):
        data[f"{prefix}-stem_{code}"] = f"Quel article ? [{code}]"
        data[f"{prefix}-explanation_{code}"] = f"Parce que. [{code}]"
        for k in "abcd":
            data[f"{prefix}-choice_{k}_{code}"] = f"Choix {k} [{code}]"
    data.update(override)
    return data


def management(total=1, initial=0):
    return {
        "q-TOTAL_FORMS": str(total),
        "q-INITIAL_FORMS": str(initial),
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "10",
    }


@pytest.fixture
def document(trainer):
    d = services.upload(actor=trainer, language="fr", text=FR, parties=["Leila BENNANI"])
    return services.process(document=d)


@pytest.fixture
def law(db):
    return bb.provision(bb.instrument(), "480-1", title_fr="Expulsion du domicile conjugal")


def test_reviewer_writes_the_entry_and_the_case_enters_the_library_when_published(
    client, trainer, participant, document, law
):
    module = ModuleFactory()
    url = reverse("casestudies:entry", args=[document.pk])
    client.force_login(trainer)
    page = client.get(url).content.decode()
    assert 'name="summary_ar"' in page and 'dir="rtl"' in page and law.key in page
    data = {
        "court_level": "first_instance",
        "year": "2023",
        "stage": "trial_evidence",
        "forms_of_violence": ["economic", "psychological"],
        "provisions": [law.key],
        "modules": [str(module.pk)],
        **_texts(),
        **management(),
        **_question(),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    case = Case.objects.get(document=document)
    assert case.key == f"doc-{document.pk}"
    assert case.court_level == "first_instance" and case.year == 2023
    assert sorted(case.forms) == ["economic", "psychological"]
    assert list(case.provisions.all()) == [law] and list(case.modules.all()) == [module]
    assert case.texts["summary"] == {
        "fr": "Un mari expulse son épouse. [fr]",
        "ar": "Un mari expulse son épouse. [ar]",
        "en": "Un mari expulse son épouse. [en]",
    }
    assert "model_answer" not in case.texts  # left empty in every language
    [question] = case.questions
    assert question["kind"] == "single" and question["stem"]["ar"] == "Quel article ? [ar]"
    assert [c["correct"] for c in question["choices"]] == [False, False, True, False]
    assert AuditEntry.objects.filter(event="case.entry_saved").count() == 1
    # Not published yet: not in the library, not readable.
    client.force_login(participant)
    assert (
        "Expulsion du domicile [fr]"
        not in client.get(reverse("casestudies:library")).content.decode()
    )
    assert client.get(reverse("casestudies:case_detail", args=[case.key])).status_code == 404
    # Two approvals publish it: the library lists it, its search finds it, the participant reads
    # it with its question.
    second = UserFactory(role=Role.COORDINATOR)
    services.approve(document=document, actor=trainer)
    services.approve(document=document, actor=second)
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED
    library = client.get(reverse("casestudies:library")).content.decode()
    assert "Expulsion du domicile [fr]" in library
    found = client.get(reverse("casestudies:library"), {"q": "expulse"}).content.decode()
    assert reverse("casestudies:case_detail", args=[case.key]) in found
    response = client.get(reverse("casestudies:case", args=[document.pk]))
    assert response["Location"] == reverse("casestudies:case_detail", args=[case.key])
    page = client.get(response["Location"]).content.decode()
    assert "Quel article ? [fr]" in page and "Choix c [fr]" in page
    assert "BENNANI" not in page and "ZNIBER" not in page
    assert "Le retour au domicile" not in page  # discussion points are for trainers


def test_missing_texts_keep_what_was_typed_and_save_nothing(client, trainer, document):
    client.force_login(trainer)
    url = reverse("casestudies:entry", args=[document.pk])
    data = {
        "court_level": "appeal",
        "year": "2022",
        **_texts(summary_ar="", title_en=""),
        **management(),
        **_question(**{"q-0-choice_b_ar": "", "q-0-correct": ""}),
    }
    page = client.post(url, data).content.decode()
    assert not Case.objects.exists()
    assert page.count('role="alert"') >= 4  # the message, two texts, the question's parts
    assert "Un mari expulse son épouse. [fr]" in page  # kept as typed
    assert "Choix a [ar]" in page
    # A blank question is dropped, not an error.
    data = {"court_level": "appeal", "year": "2022", **_texts(), **management()}
    data.update({f"q-0-{k}": "" for k in ("correct",)})
    assert client.post(url, data).status_code == 302
    assert Case.objects.get().questions == []


def test_only_reviewers_write_an_entry_and_never_for_a_content_case(
    client, participant, trainer, document
):
    url = reverse("casestudies:entry", args=[document.pk])
    client.force_login(participant)
    assert client.get(url).status_code == 403
    assert client.post(url, {"court_level": "appeal"}).status_code == 403
    Case.objects.create(key="fr-99-from-files", document=document, court_level="appeal", year=2020)
    client.force_login(trainer)
    page = client.get(url).content.decode()
    assert "content/casestudies/" in page and 'id="entry-form"' not in page
    client.post(url, {"court_level": "first_instance", "year": "2021", **_texts(), **management()})
    assert Case.objects.get().court_level == "appeal"  # unchanged

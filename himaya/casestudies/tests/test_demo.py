"""The demo fills the library the way a real decision gets there: upload, engine, two reviewers."""

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from himaya.casestudies.models import Case, CaseDocument, Status
from himaya.core.models import AuditEntry

pytestmark = pytest.mark.django_db

FOLDER = settings.BASE_DIR / "content" / "casestudies" / "cases"


def test_every_demo_case_is_published_through_the_engine_and_two_reviewers(client):
    call_command("load_content", demo=True, verbosity=0)
    files = sorted(FOLDER.glob("*.yaml"))
    assert Case.objects.count() == len(files) >= 6
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        case = Case.objects.get(key=data["key"])
        assert case.document.status == Status.PUBLISHED
        assert case.document.approved_by.count() == 2
        assert case.document.original is None  # deleted on publication
        for party in data["parties"]:
            for word in party.split():
                if len(word) > 3:
                    assert word not in case.document.published_text, (data["key"], word)
    assert AuditEntry.objects.filter(event="case.published").count() == len(files)
    call_command("load_content", demo=True, verbosity=0)  # idempotent
    assert CaseDocument.objects.count() == len(files)
    from himaya.training.tests.factories import UserFactory

    client.force_login(UserFactory())
    case = Case.objects.first()
    page = client.get(f"/fr/cases/c/{case.key}/").content.decode()
    assert 'id="published"' in page and "Questions" in page
    assert case.key in client.get("/fr/cases/").content.decode()


def test_the_library_is_searched_with_the_bench_books_analyzer(client):
    call_command("load_content", demo=True, verbosity=0)
    from himaya.training.tests.factories import UserFactory

    client.force_login(UserFactory())
    strangulation = Case.objects.get(key="fr-01-strangulation-meknes")
    # French words, an Arabic query through the thesaurus, and an article number in either order.
    for query in ("strangulation", "1-88", "88-1"):
        page = client.get("/fr/cases/", {"q": query}).content.decode()
        assert f'id="case-{strangulation.key}"' in page, query
    page = client.get("/fr/cases/", {"q": "mariage forcé"}).content.decode()
    assert 'id="case-fr-04-mariage-force-mineure-beni-mellal"' in page
    assert 'id="case-fr-01-strangulation-meknes"' not in page

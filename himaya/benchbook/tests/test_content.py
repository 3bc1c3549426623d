"""The real bench-book corpus loads, completely and idempotently."""

import pytest
from django.core.management import call_command

from himaya.benchbook import search
from himaya.benchbook.models import (
    Concept,
    CrossReference,
    Instrument,
    Kind,
    Provision,
    Verification,
)

pytestmark = pytest.mark.django_db

INSTRUMENTS = [
    "ma-constitution-2011",
    "ma-law-103-13",
    "ma-penal-code",
    "ma-criminal-procedure-code",
    "ma-family-code",
    "ma-law-27-14",
    "ma-law-09-08",
    "ma-decree-2-18-856",
    "un-cedaw",
    "un-cedaw-gr-19",
    "un-cedaw-gr-33",
    "un-cedaw-gr-35",
    "un-devaw",
    "un-beijing-platform",
    "un-model-strategies-2010",
    "coe-istanbul-convention",
]
CASES = [
    "cedaw-at-v-hungary", "cedaw-goekce-v-austria", "cedaw-yildirim-v-austria", "cedaw-vertido-v-philippines",
    "cedaw-gonzalez-carreno-v-spain", "echr-opuz-v-turkey", "echr-talpis-v-italy", "echr-volodina-v-russia",
    "echr-kurt-v-austria", "echr-tunikova-v-russia",
]  # fmt: skip


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    """Load the real corpus once for this module (about two seconds), then empty the database."""
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def loaded(_loaded_once, db):
    return None


def test_every_instrument_and_case_with_its_overview_entry(loaded):
    assert set(Instrument.objects.values_list("key", flat=True)) == set(INSTRUMENTS + CASES)
    for key in INSTRUMENTS + CASES:
        overview = Provision.objects.get(key=key)
        assert (
            overview.number == "" and overview.title_fr and overview.title_ar and overview.title_en
        )
    for key in CASES:
        digest = Provision.objects.get(key=key)
        assert digest.instrument.kind == Kind.CASE
        assert all(
            getattr(digest, f"{f}_{lang}")
            for f in ("facts", "holding", "principle", "relevance")
            for lang in ("fr", "ar", "en")
        )


@pytest.mark.parametrize(
    "key",
    [
        "ma-penal-code:88-1", "ma-penal-code:503-1-1", "ma-penal-code:503-1-2", "ma-penal-code:503-2-1",
        "ma-penal-code:480-1", "ma-penal-code:447-1", "ma-penal-code:404", "ma-penal-code:486", "ma-penal-code:485",
        "ma-penal-code:323-1", "ma-penal-code:61", "ma-criminal-procedure-code:82-5-2", "ma-law-103-13:1",
        "ma-law-103-13:13", "ma-law-103-13:15", "ma-constitution-2011:22", "ma-family-code:98", "ma-family-code:99",
        "un-cedaw:1", "un-cedaw:5", "un-devaw:4", "coe-istanbul-convention:53", "coe-istanbul-convention:54",
        "coe-istanbul-convention:55",
    ],
)  # fmt: skip
def test_key_provisions_exist_in_three_languages(loaded, key):
    p = Provision.objects.get(key=key)
    assert p.summary_fr and p.summary_ar and p.summary_en
    assert p.source_fr and p.source_ar and p.source_en


def test_uncertain_entries_are_marked_and_explained(loaded):
    to_verify = Provision.objects.filter(verification=Verification.TO_VERIFY)
    assert to_verify.exists()
    assert not to_verify.filter(verification_note="").exists()
    # The Arabic text of Law 103.13 settles it: 323-1 (« 1-323 »), not 321-1.
    assert not Provision.objects.get(key="ma-penal-code:323-1").number_disputed


def test_every_source_is_cited_in_the_three_languages(loaded):
    for instrument in Instrument.objects.all():
        assert instrument.official_source_fr, instrument.key
        assert instrument.official_source_ar and instrument.official_source_en, instrument.key
    for p in Provision.objects.all():
        assert p.source_fr and p.source_ar and p.source_en, p.key
    p = Provision.objects.get(key="ma-penal-code:88-1")
    assert p.source_fr.startswith("Code pénal, art. 1-88, inséré par l’art. 5 de la loi n° 103-13")
    assert p.source_ar.startswith(
        "مجموعة القانون الجنائي، الفصل 1-88، المضاف بالمادة 5 من القانون رقم 103.13"
    )
    assert p.source_en.startswith(
        "Penal Code, Art. 88-1, inserted by Art. 5 of Law 103-13 (Official Bulletin No. 6655, 12 March 2018)"
    )
    # French typography: a narrow no-break space before the semicolon.
    assert "2018)\u202f; tribunal d’Oujda" in p.source_fr
    cedaw = Provision.objects.get(key="un-cedaw:1")
    assert cedaw.source_ar.startswith("اتفاقية القضاء على جميع أشكال التمييز ضد المرأة")
    # An overview is cited by its instrument's official source.
    assert (
        Provision.objects.get(key="ma-penal-code").source_ar
        == Instrument.objects.get(key="ma-penal-code").official_source_ar
    )


PLACEHOLDERS = {
    "ma-penal-code:425", "ma-penal-code:426", "ma-penal-code:427", "ma-penal-code:429",
    "ma-penal-code:436", "ma-penal-code:479", "ma-penal-code:480",
    "ma-criminal-procedure-code:82-4", "ma-criminal-procedure-code:82-5",
    "ma-criminal-procedure-code:82-5-1",
}  # fmt: skip


def test_placeholders_are_loaded_but_hidden_from_readers(loaded, client):
    from himaya.benchbook import selectors

    assert set(Provision.objects.filter(placeholder=True).values_list("key", flat=True)) == (
        PLACEHOLDERS
    )
    visible = Provision.objects.for_readers()
    assert not visible.filter(key__in=PLACEHOLDERS).exists()
    assert selectors.reader_keys([*PLACEHOLDERS, "ma-penal-code:429-1"]) == {"ma-penal-code:429-1"}
    for key in PLACEHOLDERS:
        assert client.get(f"/fr/benchbook/p/{key}/").status_code == 404, key
    page = client.get("/fr/benchbook/i/ma-penal-code/").content.decode()
    assert "/benchbook/p/ma-penal-code:429-1/" in page
    assert "/benchbook/p/ma-penal-code:429/" not in page
    assert "/benchbook/p/ma-penal-code:480/" not in page
    # Nothing links to them: no cross-reference, no module, no search result.
    assert not CrossReference.objects.filter(national__placeholder=True).exists()
    assert not CrossReference.objects.filter(international__placeholder=True).exists()
    assert not Provision.objects.filter(placeholder=True, modules__isnull=False).exists()
    for query in ("429", "436", "82-4", "abandon de famille"):
        keys = {hit.provision.key for hit in search.search(query, limit=50).hits}
        assert not keys & PLACEHOLDERS, query


def test_thesaurus_and_cross_references(loaded):
    assert Concept.objects.count() >= 30
    assert CrossReference.objects.filter(relation="gap").exists()
    assert CrossReference.objects.count() >= 15


def test_second_load_changes_nothing(loaded, capsys):
    capsys.readouterr()
    call_command("load_content")
    out = capsys.readouterr().out
    assert " 0 created, 0 updated" in out


def test_every_provision_readers_may_see_is_indexed(loaded):
    from himaya.core.search.models import SearchDocument

    assert SearchDocument.objects.count() == Provision.objects.for_readers().count()
    assert search.search("88-1").hits[0].provision.key == "ma-penal-code:88-1"


def test_an_invalid_file_is_reported_with_its_line_and_nothing_is_loaded(db, tmp_path, settings):
    import shutil

    from django.core.management.base import CommandError

    root = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", root)
    path = root / "benchbook" / "instruments" / "ma-penal-code.yaml"
    text = path.read_text(encoding="utf-8").replace("kind: code", "kind: novel", 1)
    path.write_text(text, encoding="utf-8")
    Instrument.objects.all().delete()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_content", path=str(root), verbosity=0)
    assert "nothing was loaded" in str(excinfo.value)
    assert Instrument.objects.count() == 0 and Provision.objects.count() == 0


def test_error_messages_name_file_and_line(db, tmp_path, settings, capsys):
    import shutil

    from django.core.management.base import CommandError

    root = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", root)
    path = root / "benchbook" / "crossrefs.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "national:" in line)
    lines[index] = lines[index].split("national:")[0] + "national: ma-penal-code:999-9"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_content", path=str(root), verbosity=0)
    err = capsys.readouterr().err
    assert f"benchbook/crossrefs.yaml:{index + 1}: unknown provision 'ma-penal-code:999-9'" in err


def _load_with(tmp_path, settings, edit):
    import shutil

    root = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", root)
    path = root / "benchbook" / "instruments" / "ma-penal-code.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = edit(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root, index


def test_a_source_in_one_language_only_is_refused(db, tmp_path, settings, capsys):
    from django.core.management.base import CommandError

    def edit(lines):
        index = next(i for i, line in enumerate(lines) if line.strip() == "source:")
        indent = lines[index].split("source:")[0]
        lines[index : index + 4] = [f'{indent}source: "Code pénal, art. 61"']
        return index

    root, index = _load_with(tmp_path, settings, edit)
    with pytest.raises(CommandError):
        call_command("load_content", path=str(root), verbosity=0)
    err = capsys.readouterr().err
    assert "ma-penal-code.yaml:" in err and "'source' must have fr, ar and en versions" in err


def test_a_source_lacking_a_language_is_refused(db, tmp_path, settings, capsys):
    from django.core.management.base import CommandError

    def edit(lines):
        index = next(i for i, line in enumerate(lines) if line.strip() == "source:")
        del lines[index + 2]  # its "ar:" line
        return index

    root, index = _load_with(tmp_path, settings, edit)
    with pytest.raises(CommandError):
        call_command("load_content", path=str(root), verbosity=0)
    assert "'source' lacks its 'ar' version" in capsys.readouterr().err

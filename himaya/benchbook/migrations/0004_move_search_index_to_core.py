"""The bench book's search documents move to the shared index (core.SearchDocument).

Data-preserving: the analysed documents already built are copied into the new table (its FTS5
triggers or PostgreSQL generated columns index them), so search keeps working between `migrate`
and the next `load_content`, which rebuilds them with the current analyzer. Then the
provision-specific structures go: the benchbook_fts FTS5 table and its triggers (SQLite), the
generated tsvector columns and their GIN indexes (PostgreSQL), and benchbook_searchdocument."""

import re

from django.db import migrations

from himaya.core.migration_utils import run_by_vendor

CONTENT_TYPE_TOKEN = "ct_benchbook_provision"
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")


def _facet_token(name, value):
    # As core.search.documents.facet_token() writes it for ASCII values (keys and choices), frozen.
    return f"{name}_{_NOT_ASCII_WORD.sub('_', str(value).lower()).strip('_')}"


def copy_documents(apps, schema_editor):
    Old = apps.get_model("benchbook", "SearchDocument")
    if not Old.objects.exists():
        return
    New = apps.get_model("core", "SearchDocument")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="benchbook", model="provision"
    )
    documents = []
    for old in Old.objects.select_related("provision__instrument").order_by("provision_id"):
        provision = old.provision
        instrument = provision.instrument
        facets = {
            "instrument": [instrument.key],
            "kind": [instrument.kind],
            "jurisdiction": [instrument.jurisdiction],
            "form": list(provision.forms or []),
            "stage": list(provision.stages or []),
        }
        facets = {name: values for name, values in facets.items() if values}
        tokens = [CONTENT_TYPE_TOKEN]
        tokens += [_facet_token(name, v) for name, values in facets.items() for v in values]
        documents.append(
            New(
                content_type=content_type,
                object_id=provision.pk,
                language="",
                numbers=old.numbers,
                title=old.titles,
                body=old.body,
                tags=old.concepts,
                facet_tokens=" ".join(dict.fromkeys(tokens)),
                facets=facets,
            )
        )
    New.objects.filter(content_type=content_type).delete()
    New.objects.bulk_create(documents, batch_size=1000)


SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS benchbook_fts_insert;",
    "DROP TRIGGER IF EXISTS benchbook_fts_delete;",
    "DROP TRIGGER IF EXISTS benchbook_fts_update;",
    "DROP TABLE IF EXISTS benchbook_fts;",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS benchbook_searchdocument_facets;",
    "DROP INDEX IF EXISTS benchbook_searchdocument_vector;",
    "ALTER TABLE benchbook_searchdocument DROP COLUMN IF EXISTS facet_vector;",
    "ALTER TABLE benchbook_searchdocument DROP COLUMN IF EXISTS vector;",
]
# Backwards: the structures of 0002_search_index, over an empty benchbook_searchdocument that
# `load_content` (of the code of that time) fills again.
SQLITE_RESTORE = [
    """
    CREATE VIRTUAL TABLE benchbook_fts USING fts5(
        numbers, titles, body, concepts, facets,
        content='benchbook_searchdocument', content_rowid='provision_id',
        tokenize="unicode61 remove_diacritics 0 tokenchars '_'"
    );
    """,
    """
    CREATE TRIGGER benchbook_fts_insert AFTER INSERT ON benchbook_searchdocument BEGIN
      INSERT INTO benchbook_fts(rowid, numbers, titles, body, concepts, facets)
      VALUES (new.provision_id, new.numbers, new.titles, new.body, new.concepts, new.facets);
    END;
    """,
    """
    CREATE TRIGGER benchbook_fts_delete AFTER DELETE ON benchbook_searchdocument BEGIN
      INSERT INTO benchbook_fts(benchbook_fts, rowid, numbers, titles, body, concepts, facets)
      VALUES ('delete', old.provision_id, old.numbers, old.titles, old.body, old.concepts, old.facets);
    END;
    """,
    """
    CREATE TRIGGER benchbook_fts_update AFTER UPDATE ON benchbook_searchdocument BEGIN
      INSERT INTO benchbook_fts(benchbook_fts, rowid, numbers, titles, body, concepts, facets)
      VALUES ('delete', old.provision_id, old.numbers, old.titles, old.body, old.concepts, old.facets);
      INSERT INTO benchbook_fts(rowid, numbers, titles, body, concepts, facets)
      VALUES (new.provision_id, new.numbers, new.titles, new.body, new.concepts, new.facets);
    END;
    """,
]
POSTGRES_RESTORE = [
    """
    ALTER TABLE benchbook_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', numbers), 'A') ||
        setweight(to_tsvector('simple', titles), 'B') ||
        setweight(to_tsvector('simple', concepts), 'C') ||
        setweight(to_tsvector('simple', body), 'D')
    ) STORED;
    """,
    "CREATE INDEX benchbook_searchdocument_vector ON benchbook_searchdocument USING GIN (vector);",
    """
    ALTER TABLE benchbook_searchdocument ADD COLUMN facet_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', facets)) STORED;
    """,
    "CREATE INDEX benchbook_searchdocument_facets ON benchbook_searchdocument USING GIN (facet_vector);",
]


class Migration(migrations.Migration):
    dependencies = [
        ("benchbook", "0003_instrument_verification_note_ar_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_search_full_text"),
    ]

    operations = [
        migrations.RunPython(copy_documents, migrations.RunPython.noop),
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
            run_by_vendor({"sqlite": SQLITE_RESTORE, "postgresql": POSTGRES_RESTORE}),
        ),
        migrations.DeleteModel(
            name="SearchDocument",
        ),
    ]

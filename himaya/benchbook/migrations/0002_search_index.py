"""Full-text index of the bench book on each database.

SQLite: an FTS5 table over benchbook_searchdocument (external content, kept in step by triggers),
ranked with bm25(). PostgreSQL: generated tsvector columns with GIN indexes, ranked with
ts_rank_cd(). Both index the tokens written by benchbook.analysis, never raw user text."""

from django.db import migrations

from himaya.core.migration_utils import run_by_vendor

SQLITE_FORWARD = [
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
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS benchbook_fts_insert;",
    "DROP TRIGGER IF EXISTS benchbook_fts_delete;",
    "DROP TRIGGER IF EXISTS benchbook_fts_update;",
    "DROP TABLE IF EXISTS benchbook_fts;",
]
POSTGRES_FORWARD = [
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
POSTGRES_BACKWARD = [
    "ALTER TABLE benchbook_searchdocument DROP COLUMN IF EXISTS facet_vector;",
    "ALTER TABLE benchbook_searchdocument DROP COLUMN IF EXISTS vector;",
]


class Migration(migrations.Migration):
    dependencies = [("benchbook", "0001_initial")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]

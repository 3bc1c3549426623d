"""Full-text index over core_searchdocument on each database.

SQLite: an FTS5 table over core_searchdocument (external content, kept in step by triggers),
ranked with bm25(). PostgreSQL: generated tsvector columns with GIN indexes, ranked with
ts_rank_cd(). Both index the tokens written by core.search.analysis, never raw user text.

On SQLite, a later migration that makes Django rebuild core_searchdocument (most AlterField and
RemoveField operations copy the table) drops these triggers with the old table: such a migration
must run SQLITE_TRIGGERS again and rebuild the FTS table ('rebuild')."""

from django.db import migrations

from himaya.core.migration_utils import run_by_vendor

COLUMNS = "numbers, title, body, tags, facet_tokens"
NEW = "new.numbers, new.title, new.body, new.tags, new.facet_tokens"
OLD = "old.numbers, old.title, old.body, old.tags, old.facet_tokens"

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER core_search_fts_insert AFTER INSERT ON core_searchdocument BEGIN
      INSERT INTO core_search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END;
    """,
    f"""
    CREATE TRIGGER core_search_fts_delete AFTER DELETE ON core_searchdocument BEGIN
      INSERT INTO core_search_fts(core_search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
    END;
    """,
    f"""
    CREATE TRIGGER core_search_fts_update AFTER UPDATE ON core_searchdocument BEGIN
      INSERT INTO core_search_fts(core_search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
      INSERT INTO core_search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END;
    """,
]
SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE core_search_fts USING fts5(
        {COLUMNS},
        content='core_searchdocument', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0 tokenchars '_'"
    );
    """,
    *SQLITE_TRIGGERS,
    "INSERT INTO core_search_fts(core_search_fts) VALUES ('rebuild');",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_search_fts_insert;",
    "DROP TRIGGER IF EXISTS core_search_fts_delete;",
    "DROP TRIGGER IF EXISTS core_search_fts_update;",
    "DROP TABLE IF EXISTS core_search_fts;",
]
POSTGRES_FORWARD = [
    """
    ALTER TABLE core_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', numbers), 'A') ||
        setweight(to_tsvector('simple', title), 'B') ||
        setweight(to_tsvector('simple', tags), 'C') ||
        setweight(to_tsvector('simple', body), 'D')
    ) STORED;
    """,
    "CREATE INDEX core_searchdocument_vector ON core_searchdocument USING GIN (vector);",
    """
    ALTER TABLE core_searchdocument ADD COLUMN facet_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', facet_tokens)) STORED;
    """,
    "CREATE INDEX core_searchdocument_facets ON core_searchdocument USING GIN (facet_vector);",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS facet_vector;",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS vector;",
]


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search_document")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]

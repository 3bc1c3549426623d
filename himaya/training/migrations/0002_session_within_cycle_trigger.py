"""A session must take place within its cycle's dates.

The rule spans two tables, which a CHECK constraint cannot express, so it is enforced by
triggers on both tables (SQLite and PostgreSQL). Services and forms check it first with a
translated message (Session.clean); the triggers are the last line that nothing bypasses.
Note: on SQLite, a later migration that rebuilds either table drops these triggers; the
test `test_session_outside_cycle_is_refused_by_the_database` catches that."""

from django.db import migrations

from himaya.core.migration_utils import run_by_vendor

SQLITE_FORWARD = [
    """
    CREATE TRIGGER training_session_within_cycle_insert
    BEFORE INSERT ON training_session FOR EACH ROW
    WHEN NEW.date < (SELECT start_date FROM training_cycle WHERE id = NEW.cycle_id)
      OR NEW.date > (SELECT end_date FROM training_cycle WHERE id = NEW.cycle_id)
    BEGIN SELECT RAISE(ABORT, 'training_session_within_cycle'); END;
    """,
    """
    CREATE TRIGGER training_session_within_cycle_update
    BEFORE UPDATE OF date, cycle_id ON training_session FOR EACH ROW
    WHEN NEW.date < (SELECT start_date FROM training_cycle WHERE id = NEW.cycle_id)
      OR NEW.date > (SELECT end_date FROM training_cycle WHERE id = NEW.cycle_id)
    BEGIN SELECT RAISE(ABORT, 'training_session_within_cycle'); END;
    """,
    """
    CREATE TRIGGER training_cycle_contains_sessions
    BEFORE UPDATE OF start_date, end_date ON training_cycle FOR EACH ROW
    WHEN EXISTS (SELECT 1 FROM training_session WHERE cycle_id = NEW.id
                 AND (date < NEW.start_date OR date > NEW.end_date))
    BEGIN SELECT RAISE(ABORT, 'training_session_within_cycle'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS training_session_within_cycle_insert;",
    "DROP TRIGGER IF EXISTS training_session_within_cycle_update;",
    "DROP TRIGGER IF EXISTS training_cycle_contains_sessions;",
]
POSTGRES_FORWARD = [
    """
    CREATE FUNCTION training_session_within_cycle() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM training_cycle c WHERE c.id = NEW.cycle_id
                 AND (NEW.date < c.start_date OR NEW.date > c.end_date)) THEN
        RAISE EXCEPTION 'training_session_within_cycle' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER training_session_within_cycle
    BEFORE INSERT OR UPDATE OF date, cycle_id ON training_session
    FOR EACH ROW EXECUTE FUNCTION training_session_within_cycle();
    """,
    """
    CREATE FUNCTION training_cycle_contains_sessions() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM training_session s WHERE s.cycle_id = NEW.id
                 AND (s.date < NEW.start_date OR s.date > NEW.end_date)) THEN
        RAISE EXCEPTION 'training_session_within_cycle' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER training_cycle_contains_sessions
    BEFORE UPDATE OF start_date, end_date ON training_cycle
    FOR EACH ROW EXECUTE FUNCTION training_cycle_contains_sessions();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS training_session_within_cycle ON training_session;",
    "DROP FUNCTION IF EXISTS training_session_within_cycle();",
    "DROP TRIGGER IF EXISTS training_cycle_contains_sessions ON training_cycle;",
    "DROP FUNCTION IF EXISTS training_cycle_contains_sessions();",
]


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]

"""Helpers for migrations that need SQL specific to one database (triggers, full-text indexes)."""


def run_by_vendor(statements_by_vendor: dict[str, list[str]]):
    """A RunPython function that executes the statements written for the current database."""

    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run

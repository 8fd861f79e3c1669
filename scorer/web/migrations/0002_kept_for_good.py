"""The database itself refuses to change or remove the log, the versions handed in and the adjustments: a trigger
on each table aborts any UPDATE or DELETE, whichever program sends it (SQLite and PostgreSQL)."""

from typing import Any

from django.db import migrations

KEPT = ("scoreweb_event", "scoreweb_submission", "scoreweb_adjustment")


def _sqlite(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_kept_{verb} BEFORE {verb.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is kept for good: no {verb}'); END"
        for verb in ("update", "delete")
    ]


_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION scoreweb_kept_for_good() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION '% is kept for good: no %', TG_TABLE_NAME, lower(TG_OP); END $$"
)


def _postgresql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_kept BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION scoreweb_kept_for_good()",
        f"CREATE TRIGGER {table}_kept_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION scoreweb_kept_for_good()",
    ]


def guard(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements: list[str] = []
    if vendor == "sqlite":
        statements = [s for table in KEPT for s in _sqlite(table)]
    elif vendor == "postgresql":
        statements = [_PG_FUNCTION, *(s for table in KEPT for s in _postgresql(table))]
    for statement in statements:
        schema_editor.execute(statement, None)  # no parameters: "%" is plpgsql's, not a placeholder


class Migration(migrations.Migration):
    dependencies = [("scoreweb", "0001_initial")]
    operations = [migrations.RunPython(guard, migrations.RunPython.noop)]

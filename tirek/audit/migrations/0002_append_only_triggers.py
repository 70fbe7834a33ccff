"""The database itself refuses to change or remove audit rows.

PostgreSQL: a row trigger rejects UPDATE and DELETE on both tables. TRUNCATE
is left alone because Django's test flush uses it; the production role must
not hold the TRUNCATE privilege (docs/security.md: INSERT and SELECT only).

SQLite: a trigger rejects UPDATE. DELETE stays possible because Django's
test flush deletes rows one table at a time there.

Tests that tamper on purpose first disable these (see tests/tampering.py).
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditcheckpoint")

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(POSTGRESQL_FUNCTION, None)  # None: its % are PL/pgSQL, not placeholders
        for table in TABLES:
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
            )
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
            )


def drop_triggers(apps, schema_editor):
    run = schema_editor.execute
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            run(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif schema_editor.connection.vendor == "sqlite":
            run(f"DROP TRIGGER IF EXISTS {table}_append_only")
    if schema_editor.connection.vendor == "postgresql":
        run("DROP FUNCTION IF EXISTS audit_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]

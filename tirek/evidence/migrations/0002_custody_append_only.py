"""The chain of custody and the status history are append-only in the
database too, with the audit trail's own refusal function
(tirek/audit/migrations/0002): UPDATE and DELETE on PostgreSQL, UPDATE on
SQLite (whose test flush deletes rows)."""

from django.db import migrations

TABLES = ("evidence_custodyevent", "evidence_evidencestatuschange")


def create_triggers(apps, schema_editor):
    run = schema_editor.execute
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
            )
        elif schema_editor.connection.vendor == "sqlite":
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'the chain of custody is append-only'); END"
            )


def drop_triggers(apps, schema_editor):
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"
                              if schema_editor.connection.vendor == "postgresql"
                              else f"DROP TRIGGER IF EXISTS {table}_append_only")


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("audit", "0002_append_only_triggers"),
    ]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]

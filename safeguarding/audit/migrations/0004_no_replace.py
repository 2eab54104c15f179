"""SQLite: refuse INSERT OR REPLACE / REPLACE INTO over an existing audit row (see append_only)."""

from django.db import migrations

from safeguarding.audit import append_only


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for sql in append_only.SQLITE_NO_REPLACE:
                cursor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {append_only.TABLE}_no_replace")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

"""The audit table becomes append-only: database triggers refuse UPDATE, DELETE and TRUNCATE."""

from django.db import migrations

from safeguarding.audit import append_only


def forwards(apps, schema_editor):
    append_only.install(schema_editor.connection)


def backwards(apps, schema_editor):
    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_more_actions")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

"""Full-text search over findings: an FTS5 table with triggers on SQLite, a GIN index on
PostgreSQL (see safeguarding/learning/search.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from safeguarding.learning.search import search_index_install

    search_index_install(schema_editor, rebuild=True)


def uninstall(apps, schema_editor):
    from safeguarding.learning.search import search_index_uninstall

    search_index_uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]

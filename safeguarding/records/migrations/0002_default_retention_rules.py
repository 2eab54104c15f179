"""Give every existing partnership the default retention schedule (new ones get it on creation)."""

from django.db import migrations

# Frozen here: a later change of the defaults must not rewrite this migration's effect.
DEFAULT_YEARS = {
    "case": 15,
    "incident": 7,
    "evidence_file": 6,
    "import_log": 2,
    "report_file": 2,
}


def install(apps, schema_editor):
    Partnership = apps.get_model("accounts", "Partnership")
    RetentionRule = apps.get_model("records", "RetentionRule")
    for partnership in Partnership.objects.all():
        have = set(
            RetentionRule.objects.filter(partnership=partnership).values_list(
                "record_type", flat=True
            )
        )
        RetentionRule.objects.bulk_create(
            RetentionRule(partnership=partnership, record_type=kind, years=years)
            for kind, years in DEFAULT_YEARS.items()
            if kind not in have
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

"""Give every partnership that exists already the action clock rule (new partnerships get it
from the post_save signal in signals.py)."""

from django.db import migrations

from safeguarding.actionplans import defaults


def install(apps, schema_editor):
    Partnership = apps.get_model("accounts", "Partnership")
    ClockRule = apps.get_model("core", "ClockRule")
    for partnership in Partnership.objects.all():
        ClockRule.objects.get_or_create(
            partnership=partnership,
            key="action",
            defaults={
                "name": defaults.RULE_NAME,
                "start_event": "action_agreed",
                "length": defaults.RULE_LENGTH,
                "unit": defaults.RULE_UNIT,
                "due_soon_working_days": defaults.RULE_DUE_SOON,
                "guidance": defaults.RULE_GUIDANCE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0001_initial"),
        ("core", "0003_clock_key_action"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

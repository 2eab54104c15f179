"""Give every partnership that exists already the default stages and the stage clock rule
(new partnerships get them from the post_save signal in signals.py)."""

from django.db import migrations

from safeguarding.escalations import defaults


def install(apps, schema_editor):
    Partnership = apps.get_model("accounts", "Partnership")
    ClockRule = apps.get_model("core", "ClockRule")
    EscalationStage = apps.get_model("escalations", "EscalationStage")
    for partnership in Partnership.objects.all():
        ClockRule.objects.get_or_create(
            partnership=partnership,
            key="escalation_stage",
            defaults={
                "name": defaults.STAGE_RULE_NAME,
                "start_event": "stage_entered",
                "length": defaults.STAGE_RULE_LENGTH,
                "unit": "working_days",
                "due_soon_working_days": defaults.STAGE_RULE_DUE_SOON,
                "guidance": defaults.STAGE_RULE_GUIDANCE,
            },
        )
        if not EscalationStage.objects.filter(partnership=partnership).exists():
            for number, (name, days, description) in enumerate(defaults.DEFAULT_STAGES, start=1):
                EscalationStage.objects.create(
                    partnership=partnership,
                    number=number,
                    name=name,
                    working_days=days,
                    description=description,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("escalations", "0001_initial"),
        ("core", "0002_clock_key_escalation_stage"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

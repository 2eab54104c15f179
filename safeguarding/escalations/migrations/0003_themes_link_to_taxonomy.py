"""Escalations link to the partnership's themes instead of holding their names as text.

Each name in the old comma-separated `theme_names` is matched, ignoring case, to a theme of the
escalation's own partnership (an active theme first). A name that matches no theme is not lost:
it is added to the end of the escalation's summary, saying so. Going back writes the names of
the linked themes into `theme_names` again.
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


UNMATCHED = "Themes recorded before themes were linked to the taxonomy, not found in it: "


def link_themes(apps, schema_editor):
    Escalation = apps.get_model("escalations", "Escalation")
    Theme = apps.get_model("learning", "Theme")
    for escalation in Escalation.objects.exclude(theme_names=""):
        names = [n.strip() for n in escalation.theme_names.split(",") if n.strip()]
        unmatched = []
        for name in names:
            theme = (
                Theme.objects.filter(partnership_id=escalation.partnership_id, name__iexact=name)
                .order_by(models.Case(models.When(status="active", then=0), default=1), "pk")
                .first()
            )
            if theme is None:
                unmatched.append(name)
            else:
                escalation.themes.add(theme)
        if unmatched:
            note = UNMATCHED + ", ".join(unmatched) + "."
            escalation.summary = f"{escalation.summary}\n\n{note}".strip()
            escalation.save(update_fields=["summary"])


def names_back(apps, schema_editor):
    Escalation = apps.get_model("escalations", "Escalation")
    for escalation in Escalation.objects.all():
        names = sorted(escalation.themes.values_list("name", flat=True))
        if names:
            escalation.theme_names = ", ".join(names)[:300]
            escalation.save(update_fields=["theme_names"])


class Migration(migrations.Migration):

    dependencies = [
        ('escalations', '0002_install_defaults'),
        ('learning', '0003_seed_existing_partnerships'),
    ]

    operations = [
        migrations.AddField(
            model_name='escalation',
            name='themes',
            field=models.ManyToManyField(blank=True, help_text="Themes of the partnership's taxonomy this escalation bears on.", related_name='escalations', to='learning.theme'),
        ),
        migrations.CreateModel(
            name='HistoricalEscalation_themes',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('escalation', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='escalations.escalation')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='escalations.historicalescalation')),
                ('theme', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='learning.theme')),
            ],
            options={
                'verbose_name': 'HistoricalEscalation_themes',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(link_themes, names_back),
        migrations.RemoveField(
            model_name='escalation',
            name='theme_names',
        ),
        migrations.RemoveField(
            model_name='historicalescalation',
            name='theme_names',
        ),
    ]

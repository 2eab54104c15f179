"""Partnerships created before this app get the standard themes, as new ones do."""

from django.db import migrations


def seed(apps, schema_editor):
    from safeguarding.learning.taxonomy_defaults import DEFAULT_THEMES

    Partnership = apps.get_model("accounts", "Partnership")
    Theme = apps.get_model("learning", "Theme")
    ThemeRevision = apps.get_model("learning", "ThemeRevision")
    TaxonomyVersion = apps.get_model("learning", "TaxonomyVersion")
    LearningSettings = apps.get_model("learning", "LearningSettings")
    for partnership in Partnership.objects.all():
        LearningSettings.objects.get_or_create(partnership=partnership)
        if Theme.objects.filter(partnership=partnership).exists():
            continue
        version = TaxonomyVersion.objects.create(
            partnership=partnership, number=1, summary="Installed the standard themes"
        )
        for name, (definition, keywords) in DEFAULT_THEMES.items():
            theme = Theme.objects.create(
                partnership=partnership, name=name, definition=definition, keywords=keywords
            )
            revision = ThemeRevision.objects.create(
                theme=theme,
                version=version,
                name=name,
                definition=definition,
                keywords=keywords,
                status="active",
            )
            Theme.objects.filter(pk=theme.pk).update(current_revision=revision)


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_search_index"), ("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

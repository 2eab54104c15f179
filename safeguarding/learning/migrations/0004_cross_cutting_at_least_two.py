"""Cross-cutting needs at least 2 reviews: a stored 1 becomes 2, then the check constraint."""

import django.core.validators
from django.db import migrations, models


def at_least_two(apps, schema_editor):
    settings = apps.get_model("learning", "LearningSettings")
    settings.objects.filter(cross_cutting_min_reviews__lt=2).update(cross_cutting_min_reviews=2)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_enrolment_link"),
        ("learning", "0003_seed_existing_partnerships"),
    ]

    operations = [
        migrations.RunPython(at_least_two, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicallearningsettings",
            name="cross_cutting_min_reviews",
            field=models.PositiveSmallIntegerField(
                default=2,
                help_text="A theme found in at least this many reviews of a period is cross-cutting (2 or more).",
                validators=[
                    django.core.validators.MinValueValidator(
                        2,
                        message="Enter 2 or more: a theme found in one review is that review's theme, not a cross-cutting one",
                    )
                ],
                verbose_name="reviews needed for a cross-cutting theme",
            ),
        ),
        migrations.AlterField(
            model_name="learningsettings",
            name="cross_cutting_min_reviews",
            field=models.PositiveSmallIntegerField(
                default=2,
                help_text="A theme found in at least this many reviews of a period is cross-cutting (2 or more).",
                validators=[
                    django.core.validators.MinValueValidator(
                        2,
                        message="Enter 2 or more: a theme found in one review is that review's theme, not a cross-cutting one",
                    )
                ],
                verbose_name="reviews needed for a cross-cutting theme",
            ),
        ),
        migrations.AddConstraint(
            model_name="learningsettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("cross_cutting_min_reviews__gte", 2)),
                name="learning_settings_cross_cutting_at_least_2",
            ),
        ),
    ]

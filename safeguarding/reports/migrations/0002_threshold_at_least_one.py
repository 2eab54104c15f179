"""Partnerships created before the small-number threshold had a default of 5 hold 0 (no page
set it, so suppression was off). 0 was never chosen by anyone: raise it to the default, so
that published reports suppress from the next version on. (Kept in the reports app: the
accounts app's migrations are the coordinator's.)"""

from django.db import migrations

DEFAULT = 5


def raise_threshold(apps, schema_editor):
    Partnership = apps.get_model("accounts", "Partnership")
    Partnership.objects.filter(small_number_threshold__lt=1).update(small_number_threshold=DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_small_number_threshold"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(raise_threshold, migrations.RunPython.noop)]

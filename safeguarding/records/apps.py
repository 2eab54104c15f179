from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Records management: retention schedule, legal holds, disposal, backup and restore."""

    name = "safeguarding.records"
    label = "records"
    verbose_name = "Records management"

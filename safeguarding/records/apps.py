from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


class RecordsConfig(AppConfig):
    """Records management: retention schedule, legal holds, disposal, backup and restore."""

    name = "safeguarding.records"
    label = "records"
    verbose_name = "Records management"

    def ready(self) -> None:
        from safeguarding.accounts.models import Partnership

        post_save.connect(_install_retention_defaults, sender=Partnership, dispatch_uid="records")


def _install_retention_defaults(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    # A new partnership starts with the default retention schedule, as it does with clocks.
    if created and not kwargs.get("raw"):
        from safeguarding.records.services import retention_rules_install_defaults

        retention_rules_install_defaults(partnership=instance)

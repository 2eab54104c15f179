from django.apps import AppConfig


class Config(AppConfig):
    name = "safeguarding.actionplans"
    label = "actionplans"
    verbose_name = "Recommendations and actions"

    def ready(self) -> None:
        # New partnerships get the action clock rule (see signals.py for why this is a signal).
        from safeguarding.actionplans import signals  # noqa: F401

from django.apps import AppConfig


class Config(AppConfig):
    name = "safeguarding.escalations"
    label = "escalations"

    def ready(self) -> None:
        # New partnerships get the default stages; closure days and clock rule changes
        # recompute the stage clocks (see signals.py for why these are signals).
        from safeguarding.escalations import signals  # noqa: F401

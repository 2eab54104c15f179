from django.apps import AppConfig


class Config(AppConfig):
    name = "safeguarding.learning"
    label = "learning"
    verbose_name = "Learning and cross-cutting themes"

    def ready(self) -> None:
        from safeguarding.learning import signals  # noqa: F401

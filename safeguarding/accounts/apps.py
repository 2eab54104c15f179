from django.apps import AppConfig


class Config(AppConfig):
    name = "safeguarding.accounts"
    label = "accounts"

    def ready(self) -> None:
        from safeguarding.accounts import signals  # noqa: F401

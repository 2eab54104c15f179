from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguarding.api"
    verbose_name = "REST API"

    def ready(self) -> None:
        # The receivers, and the session scheme for drf-spectacular.
        from safeguarding.api import authentication, signals  # noqa: F401

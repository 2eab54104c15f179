from django.apps import AppConfig


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguarding.imports"
    label = "record_imports"
    verbose_name = "Spreadsheet imports"

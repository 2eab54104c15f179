from django.apps import AppConfig


class Config(AppConfig):
    name = "safeguarding.audit"
    label = "audit"

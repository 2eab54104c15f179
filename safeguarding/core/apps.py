from django.apps import AppConfig


class Config(AppConfig):
    name = "safeguarding.core"
    label = "core"

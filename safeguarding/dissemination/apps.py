from django.apps import AppConfig


class Config(AppConfig):
    name = "safeguarding.dissemination"
    label = "dissemination"
    verbose_name = "Learning into practice"

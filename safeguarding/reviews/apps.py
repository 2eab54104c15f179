from django.apps import AppConfig


class Config(AppConfig):
    name = "safeguarding.reviews"
    label = "reviews"

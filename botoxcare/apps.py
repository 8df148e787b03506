from django.apps import AppConfig


class BotoxcareConfig(AppConfig):
    name = "botoxcare"
    verbose_name = "Clinic"

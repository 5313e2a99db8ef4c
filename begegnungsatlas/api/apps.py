from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "begegnungsatlas.api"
    label = "api"
    verbose_name = "API"

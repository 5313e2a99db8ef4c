from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "begegnungsatlas.web"
    label = "web"
    verbose_name = _("Website")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SozialraumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "begegnungsatlas.sozialraum"
    label = "sozialraum"
    verbose_name = _("Sozialräume")

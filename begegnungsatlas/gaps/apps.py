from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GapsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "begegnungsatlas.gaps"
    label = "gaps"
    verbose_name = _("Versorgung")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)

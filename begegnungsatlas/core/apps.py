from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "begegnungsatlas.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks of the installation settings

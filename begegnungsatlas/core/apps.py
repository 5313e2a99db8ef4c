from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "begegnungsatlas.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        # Every app's permissions module registers its rules (core.permissions.rule) when it is imported; importing
        # them all here makes the registry complete before the first request, like the admin's autodiscovery.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("permissions")
        from . import (
            checks,  # noqa: F401 - registers the system checks of the installation settings
            jobs,  # noqa: F401  (registers core.view_job beside the job model it guards)
        )

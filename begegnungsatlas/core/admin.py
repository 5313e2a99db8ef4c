"""Admin for users (with role, Kommune, organisation) and the read-only audit trail.

``PlannerAccessMixin`` lets district planners (role ``planner``) work in the admin without per-model Django
permissions; they still need ``is_staff`` to enter ``/verwaltung/`` at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Role, User
from .permissions import has_role
from .typing import ModelAdmin

if TYPE_CHECKING:
    _DjangoUserAdmin = DjangoUserAdmin[User]
else:  # Django's UserAdmin is not subscriptable at run time (see core/typing.py)
    _DjangoUserAdmin = DjangoUserAdmin


class PlannerAccessMixin:
    """Grant the admin permissions to planners (role-based), on top of Django's model permissions."""

    def _planner(self, request: HttpRequest) -> bool:
        return has_role(request.user, Role.PLANNER)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._planner(request) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._planner(request) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._planner(request) or super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._planner(request) or super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._planner(request) or super().has_delete_permission(request, obj)  # type: ignore[misc]


class ReadOnlyAdminMixin:
    """For models whose app has its own editing pages with services and audit: the admin only shows them."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def municipalities() -> Any:
    from begegnungsatlas.atlas.models import Area

    return Area.objects.filter(level__is_municipality=True).only("id", "name").order_by("name")


@admin.register(User)
class UserAdmin(PlannerAccessMixin, _DjangoUserAdmin):
    list_display = ("username", "email", "role", "kommune", "organisation", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff")
    list_select_related = ("organisation",)
    search_fields = ("username", "email", "first_name", "last_name", "organisation__name")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Rolle im Begegnungsatlas"), {"fields": ("role", "kommune", "organisation")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Rolle im Begegnungsatlas"), {"fields": ("role", "kommune", "organisation")}),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("kommune").defer(
            "kommune__geometry", "kommune__geometry_web")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "kommune":
            kwargs["queryset"] = municipalities()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # People appear in the audit trail: deactivate them instead of deleting.
        return bool(request.user.is_superuser)


@admin.register(AuditEvent)
class AuditEventAdmin(PlannerAccessMixin, ModelAdmin[AuditEvent]):
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "object_label")
    list_filter = ("action", "object_type")
    search_fields = ("object_label", "actor_label", "object_id", "note")
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "actor_label", "action", "object_type", "object_id", "object_label",
                       "changes", "note")

    # Append-only: nobody adds, changes or deletes events here.
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_role(request.user, Role.PLANNER, Role.AUDITOR) or super().has_view_permission(request, obj)

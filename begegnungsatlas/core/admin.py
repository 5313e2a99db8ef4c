"""Admin for users (with role, Kommune, organisation) and the read-only audit trail.

``PlannerAccessMixin`` lets district planners (role ``planner``) work in the admin without per-model Django
permissions; they still need ``is_staff`` to enter ``/verwaltung/`` at all. Accounts are the exception: planners
may only look at them; creating and changing accounts, roles, rights and passwords is for administrators
(``core.permissions.can_manage_users``) and goes through ``core.services.user_save`` / ``user_set_password``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Role, User
from .permissions import can_manage_users, has_role
from .services import user_delete, user_save, user_set_password
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
    # What a person may do follows from the role; Django's groups and per-model permissions are not used.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persönliche Angaben"), {"fields": ("first_name", "last_name", "email")}),
        (_("Rechte"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Rolle im Begegnungsatlas"), {"fields": ("role", "kommune", "organisation")}),
        (_("Wichtige Daten"), {"fields": ("last_login", "date_joined")}),
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

    # Planners may look at accounts; only administrators create or change them (four-eyes rule).
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(can_manage_users(request.user))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(can_manage_users(request.user))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # People appear in the audit trail: deactivate them instead of deleting.
        return bool(can_manage_users(request.user))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user_save(actor=request.user, user=obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        user_delete(actor=request.user, user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            user_delete(actor=request.user, user=user)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """A valid new password goes through the service (audited); everything else is Django's own view."""
        user = self.get_object(request, unquote(id))
        can_manage_users(request.user).enforce()
        if request.method == "POST" and user is not None:
            form = self.change_password_form(user, request.POST)
            if form.is_valid():
                usable = form.cleaned_data.get("set_usable_password", True)
                user_set_password(actor=request.user, user=user,
                                  raw_password=form.cleaned_data["password1"] if usable else None)
                messages.success(request, _("Das Passwort wurde geändert."))
                if user.pk == getattr(request.user, "pk", None):
                    update_session_auth_hash(request, user)
                return HttpResponseRedirect(reverse(
                    f"{self.admin_site.name}:{user._meta.app_label}_{user._meta.model_name}_change", args=(user.pk,)))
        return super().user_change_password(request, id, form_url)


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

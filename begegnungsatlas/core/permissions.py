"""Permission decisions: every check returns a decision with a reason.

Domain modules (``places/permissions.py``, ``funding/permissions.py`` …) build on these helpers so that
views, API endpoints and services ask the same question the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import Role


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self) -> None:
        """Raise ``PermissionDenied`` (HTTP 403) with the reason when not allowed."""
        if not self.allowed:
            raise PermissionDenied(self.reason)


def allow(reason: Any = "") -> Decision:
    return Decision(True, str(reason))


def deny(reason: Any) -> Decision:
    return Decision(False, str(reason))


def is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def has_role(user: Any, *roles: str) -> bool:
    if not is_authenticated(user):
        return False
    if user.is_superuser:
        return True
    return user.role in roles


def require_role(user: Any, *roles: str) -> Decision:
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    if has_role(user, *roles):
        return allow()
    return deny(_("Ihre Rolle erlaubt diese Aktion nicht."))


def is_planner(user: Any) -> bool:
    return has_role(user, Role.PLANNER)


def is_administrator(user: Any) -> bool:
    """Administrators are active superusers; no role (not even planner) makes somebody one."""
    return is_authenticated(user) and bool(user.is_superuser)


def can_manage_users(user: Any) -> Decision:
    """Accounts, roles, rights and other people's passwords: administrators only (four-eyes rule)."""
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    if is_administrator(user):
        return allow()
    return deny(_("Nur Administrator:innen verwalten Benutzerkonten, Rollen und Passwörter."))

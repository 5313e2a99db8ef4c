"""Permission decisions and the one registry of permission rules.

Every rule is one function ``rule(actor, obj=None, ...) -> Decision`` in its app's ``permissions.py``, registered
under a dotted name with :func:`rule` (``@rule("places.edit_place")``). Views and API endpoints call the function (or
:func:`check` with the name), selectors filter with a query that is tested against the same rule
(``tests/core/test_permission_registry.py``), and templates ask the rule with the ``{% can %}`` tag
(``core/templatetags/permissions.py``) instead of re-encoding roles. ``CoreConfig.ready`` imports every app's
``permissions`` module, so :func:`registered_rules` lists all of them.

An :data:`Actor` is whoever makes the request: a signed-in ``User``, Django's ``AnonymousUser`` or ``None`` (a
service called without a person, e.g. from the command line). :func:`signed_in` narrows it to an active ``User``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import Role, User

Actor: TypeAlias = User | AnonymousUser | None
RuleFunction = TypeVar("RuleFunction", bound=Callable[..., "Decision"])

_RULES: dict[str, Callable[..., Decision]] = {}


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


def rule(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as the permission rule ``name`` (``"<app>.<verb>_<object>"``)."""

    def register(function: RuleFunction) -> RuleFunction:
        known = _RULES.get(name)
        if known is not None and known.__qualname__ != function.__qualname__:
            raise ImproperlyConfigured(f"Permission rule {name!r} is registered twice ({known!r}, {function!r}).")
        _RULES[name] = function
        return function

    return register


def check(name: str, actor: Actor, *args: Any, **kwargs: Any) -> Decision:
    """Ask the registered rule ``name``; an unknown name is a programming error (``LookupError``)."""
    try:
        function = _RULES[name]
    except KeyError:
        raise LookupError(f"No permission rule {name!r}; known: {', '.join(sorted(_RULES))}") from None
    decision = function(actor, *args, **kwargs)
    if not isinstance(decision, Decision):
        raise TypeError(f"Permission rule {name!r} returned {type(decision).__name__}, not a Decision.")
    return decision


def registered_rules() -> dict[str, Callable[..., Decision]]:
    """All registered rules by name (a copy)."""
    return dict(_RULES)


def signed_in(actor: Actor) -> User | None:
    """The actor as an active, signed-in ``User``, else ``None``."""
    if isinstance(actor, User) and actor.is_authenticated and actor.is_active:
        return actor
    return None


def require_user(actor: Actor) -> User:
    """The signed-in person a write is recorded for (``created_by``, ``moderated_by`` …). Services call it after their
    rule allowed the action, so it only refuses what the rule let through by mistake."""
    u = signed_in(actor)
    if u is None:
        raise PermissionDenied(str(_("Bitte melden Sie sich an.")))
    return u


def is_authenticated(user: Actor) -> bool:
    return signed_in(user) is not None


def has_role(user: Actor, *roles: str) -> bool:
    u = signed_in(user)
    if u is None:
        return False
    if u.is_superuser:
        return True
    return u.role in roles


def require_login(user: Actor) -> Decision:
    """Signed in at all (pages whose content the selectors then narrow to what the person may see)."""
    if signed_in(user) is None:
        return deny(_("Bitte melden Sie sich an."))
    return allow()


def require_role(user: Actor, *roles: str) -> Decision:
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    if has_role(user, *roles):
        return allow()
    return deny(_("Ihre Rolle erlaubt diese Aktion nicht."))


def is_planner(user: Actor) -> bool:
    return has_role(user, Role.PLANNER)


def is_administrator(user: Actor) -> bool:
    """Administrators are active superusers; no role (not even planner) makes somebody one."""
    u = signed_in(user)
    return u is not None and bool(u.is_superuser)


@rule("core.manage_users")
def can_manage_users(user: Actor) -> Decision:
    """Accounts, roles, rights and other people's passwords: administrators only (four-eyes rule)."""
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    if is_administrator(user):
        return allow()
    return deny(_("Nur Administrator:innen verwalten Benutzerkonten, Rollen und Passwörter."))

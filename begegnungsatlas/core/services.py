"""Writes owned by core: the audit trail and user accounts (roles, rights, passwords)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from .models import AuditEvent, User
from .permissions import can_manage_users, signed_in

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor



def _actor_fields(actor: Actor, anonymous_label: str) -> dict[str, Any]:
    person = signed_in(actor)
    return {
        "actor": person,
        "actor_label": (person.get_username() if person is not None else anonymous_label)[:200],
    }


def _object_fields(obj: Any) -> dict[str, Any]:
    return {"object_type": obj._meta.label_lower, "object_id": str(obj.pk), "object_label": str(obj)[:300]}


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: Any | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_label: str | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    anonymous_label: str = "anonym",
) -> AuditEvent:
    """Append one audit event. Call it inside the service's transaction."""
    if obj is not None:
        defaults = _object_fields(obj)
        object_type = object_type or defaults["object_type"]
        object_id = object_id if object_id is not None else defaults["object_id"]
        object_label = object_label if object_label is not None else defaults["object_label"]
    return AuditEvent.objects.create(
        **_actor_fields(actor, anonymous_label),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_label=object_label or "",
        changes=changes or {},
        note=note,
    )


def audit_record_many(
    *,
    actor: Actor,
    action: str,
    items: Iterable[tuple[Any, dict[str, Any]]],
    note: str = "",
    anonymous_label: str = "anonym",
    batch_size: int = 500,
) -> list[AuditEvent]:
    """Append one audit event per ``(object, changes)`` in bulk (imports); same fields as ``audit_record``."""
    who = _actor_fields(actor, anonymous_label)
    events = [
        AuditEvent(**who, action=action, **_object_fields(obj), changes=changes or {}, note=note)
        for obj, changes in items
    ]
    return AuditEvent.objects.bulk_create(events, batch_size=batch_size)


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


# Fields of an account whose changes are audited (the password only as "changed", never its hash).
USER_AUDITED_FIELDS = ("username", "email", "first_name", "last_name", "role", "kommune_id", "organisation_id",
                       "is_active", "is_staff", "is_superuser")


def _user_state(user: User) -> dict[str, Any]:
    return {field: getattr(user, field) for field in USER_AUDITED_FIELDS}


@transaction.atomic
def user_save(*, actor: Actor, user: User) -> User:
    """Create or change an account (the admin hands over the edited, unsaved instance).

    Only administrators may do this (``core.permissions.can_manage_users``); every change of role, rights or
    password is written to the audit trail. Raises ``PermissionDenied`` for anybody else.
    """
    can_manage_users(actor).enforce()
    created = user.pk is None
    before = ({} if created else _user_state(User.objects.select_for_update().get(pk=user.pk)))
    old_password = "" if created else User.objects.filter(pk=user.pk).values_list("password", flat=True).get()
    user.save()
    changes: dict[str, Any] = diff_fields(before, _user_state(user))
    if user.password != old_password:
        changes["password"] = ["…", "geändert"]
    if created or changes:
        audit_record(actor=actor, action="user.create" if created else "user.change", obj=user, changes=changes)
    return user


@transaction.atomic
def user_delete(*, actor: Actor, user: User) -> None:
    """Delete an account (administrators only); the audit trail keeps who it was (deactivating is the rule)."""
    can_manage_users(actor).enforce()
    audit_record(actor=actor, action="user.delete", obj=user, changes={"role": [user.role, None]})
    user.delete()


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, raw_password: str | None, via_reset_link: bool = False) -> User:
    """Set a password (``None``: no password sign-in any more) and record it in the audit trail.

    Allowed for administrators, for the person themself (the view has checked the old password) and through a
    valid reset link sent to the account's e-mail address (``via_reset_link``, the view has checked the token).
    """
    person = signed_in(actor)
    own = person is not None and person.pk == user.pk
    if not (own or via_reset_link):
        can_manage_users(actor).enforce()
    if raw_password is None:
        user.set_unusable_password()
    else:
        user.set_password(raw_password)
    user.save(update_fields=["password"])
    action = "user.password_reset" if via_reset_link else ("user.password_change" if own else "user.password_set")
    audit_record(actor=actor if not via_reset_link else None, action=action, obj=user,
                 anonymous_label="Link per E-Mail")
    return user

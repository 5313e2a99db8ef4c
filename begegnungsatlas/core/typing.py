"""Typing helpers shared by the apps (no behaviour beyond ``signed_in_user``'s assertion).

* ``AuthenticatedHttpRequest``: the request of a view behind ``login_required`` (``request.user`` is a ``User``,
  never ``AnonymousUser``). Annotation only; Django passes its ordinary ``HttpRequest``.
* ``signed_in_user(request)``: ``request.user`` as a ``User``, for code that runs only after a permission check
  that requires a signed-in user (asserts it).
* ``ModelAdmin``, ``TabularInline``, ``StackedInline``, ``ModelForm``: Django's classes, generic in the model for
  mypy (``ModelAdmin[Place]``). Django's own classes are not subscriptable at run time (that needs
  ``django_stubs_ext.monkeypatch()``, and django-stubs-ext is a development dependency only), so at run time
  ``X[Model]`` simply returns Django's class ``X`` unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin as ModelAdmin
    from django.contrib.admin import StackedInline as StackedInline
    from django.contrib.admin import TabularInline as TabularInline
    from django.forms import ModelForm as ModelForm

    from .models import User

    class AuthenticatedHttpRequest(HttpRequest):
        user: User

else:
    from django import forms
    from django.contrib import admin

    class _RuntimeGeneric:
        """``_RuntimeGeneric(cls)[anything]`` is ``cls`` itself: the type argument exists for mypy only."""

        def __init__(self, cls: type) -> None:
            self._cls = cls

        def __getitem__(self, _params: Any) -> type:
            return self._cls

        def __repr__(self) -> str:
            return f"{self._cls.__module__}.{self._cls.__qualname__}[…]"

    ModelAdmin = _RuntimeGeneric(admin.ModelAdmin)
    StackedInline = _RuntimeGeneric(admin.StackedInline)
    TabularInline = _RuntimeGeneric(admin.TabularInline)
    ModelForm = _RuntimeGeneric(forms.ModelForm)

    AuthenticatedHttpRequest = HttpRequest


def signed_in_user(request: HttpRequest) -> User:
    """``request.user`` narrowed to ``User``; only call it after a check that lets no anonymous user through."""
    from .models import User

    user = request.user
    assert isinstance(user, User), "signed_in_user() needs a prior permission check"
    return user

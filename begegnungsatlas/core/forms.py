"""Password forms whose ``save()`` goes through the audited account service instead of saving directly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from .models import User
from .services import user_set_password

if TYPE_CHECKING:
    _SetPasswordForm = SetPasswordForm[User]
else:  # Django's form is not subscriptable at run time (see core/typing.py)
    _SetPasswordForm = SetPasswordForm


class OwnPasswordChangeForm(PasswordChangeForm):
    """Every signed-in person changes their own password (the old one is checked by the form)."""

    def save(self, commit: bool = True) -> Any:
        return user_set_password(actor=self.user, user=self.user, raw_password=self.cleaned_data["new_password1"])


class ResetPasswordForm(_SetPasswordForm):
    """A new password through the link sent by e-mail (the token is checked by Django's view)."""

    def save(self, commit: bool = True) -> Any:
        return user_set_password(actor=None, user=self.user, raw_password=self.cleaned_data["new_password1"],
                                 via_reset_link=True)

"""Health check; sign-in, sign-out and passwords (Django's auth views with German templates and audited forms)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import OwnPasswordChangeForm, ResetPasswordForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("anmelden/", auth_views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/passwort/", auth_views.PasswordChangeView.as_view(form_class=OwnPasswordChangeForm),
         name="password_change"),
    path("konto/passwort/geaendert/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("passwort-vergessen/", auth_views.PasswordResetView.as_view(
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
    ), name="password_reset"),
    path("passwort-vergessen/gesendet/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("passwort-neu/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        form_class=ResetPasswordForm, success_url=reverse_lazy("password_reset_complete"),
    ), name="password_reset_confirm"),
    path("passwort-neu/fertig/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

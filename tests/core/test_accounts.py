"""Accounts: only administrators manage users, roles and passwords (audited); throttled sign-in; own passwords."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from begegnungsatlas.core.models import AuditEvent, User
from begegnungsatlas.core.services import user_save, user_set_password

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Test-12345"


@pytest.fixture
def staff_planner(make_user):
    return make_user("planner", username="planerin", is_staff=True)


@pytest.fixture
def admin_user(make_user):
    return make_user("none", username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def editor(make_user):
    return make_user("kommune_editor", username="redaktion", email="redaktion@example.org")


def change_form_data(user: User, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "role": user.role, "kommune": "", "organisation": "",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Denials -------------------------------------------------------------------------------------------------

def test_a_planner_sees_accounts_but_cannot_change_them(client, staff_planner, editor):
    client.force_login(staff_planner)
    assert client.get("/verwaltung/core/user/").status_code == 200
    page = client.get(f"/verwaltung/core/user/{editor.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page  # read-only view
    response = client.post(f"/verwaltung/core/user/{editor.pk}/change/",
                           change_form_data(editor, role="planner", is_superuser="on", is_staff="on"))
    assert response.status_code == 403
    editor.refresh_from_db()
    assert (editor.role, editor.is_superuser, editor.is_staff) == ("kommune_editor", False, False)


def test_a_planner_cannot_make_themself_superuser(client, staff_planner):
    client.force_login(staff_planner)
    response = client.post(f"/verwaltung/core/user/{staff_planner.pk}/change/",
                           change_form_data(staff_planner, is_superuser="on", is_staff="on"))
    assert response.status_code == 403
    staff_planner.refresh_from_db()
    assert not staff_planner.is_superuser


def test_a_planner_cannot_reset_somebody_elses_password(client, staff_planner, editor):
    client.force_login(staff_planner)
    url = f"/verwaltung/core/user/{editor.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "Neu-Passwort-987", "password2": "Neu-Passwort-987",
                                 "usable_password": "true"})
    assert response.status_code == 403
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_a_planner_cannot_add_accounts(client, staff_planner):
    client.force_login(staff_planner)
    response = client.post("/verwaltung/core/user/add/", {
        "username": "neu", "usable_password": "true", "password1": "Neu-Passwort-987",
        "password2": "Neu-Passwort-987", "role": "planner"})
    assert response.status_code == 403
    assert not User.objects.filter(username="neu").exists()


def test_the_services_refuse_non_administrators(staff_planner, editor):
    editor.role = "planner"
    with pytest.raises(PermissionDenied, match="Nur Administrator:innen"):
        user_save(actor=staff_planner, user=editor)
    with pytest.raises(PermissionDenied, match="Nur Administrator:innen"):
        user_set_password(actor=staff_planner, user=editor, raw_password="Neu-Passwort-987")
    editor.refresh_from_db()
    assert editor.role == "kommune_editor"
    assert editor.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()


# --- Administrators, audited -----------------------------------------------------------------------------------

def test_an_administrator_changes_a_role_and_it_is_audited(client, admin_user, editor):
    client.force_login(admin_user)
    response = client.post(f"/verwaltung/core/user/{editor.pk}/change/",
                           change_form_data(editor, role="planner", is_staff="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    editor.refresh_from_db()
    assert (editor.role, editor.is_staff) == ("planner", True)
    event = AuditEvent.objects.get(action="user.change", object_id=str(editor.pk))
    assert event.actor == admin_user
    assert event.changes["role"] == ["kommune_editor", "planner"]
    assert event.changes["is_staff"] == [False, True]


def test_an_administrator_sets_a_password_and_it_is_audited_without_the_hash(client, admin_user, editor):
    client.force_login(admin_user)
    response = client.post(f"/verwaltung/core/user/{editor.pk}/password/", {
        "password1": "Neu-Passwort-987", "password2": "Neu-Passwort-987", "usable_password": "true"})
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("Neu-Passwort-987")
    event = AuditEvent.objects.get(action="user.password_set", object_id=str(editor.pk))
    assert event.actor == admin_user
    assert editor.password not in str(event.changes)


def test_an_administrator_adds_an_account_and_it_is_audited(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/verwaltung/core/user/add/", {
        "username": "neu", "usable_password": "true", "password1": "Neu-Passwort-987",
        "password2": "Neu-Passwort-987", "role": "reviewer", "kommune": "", "organisation": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="neu")
    assert user.role == "reviewer"
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.changes["role"] == [None, "reviewer"]
    assert event.changes["password"] == ["…", "geändert"]


# --- Own password, reset by e-mail ---------------------------------------------------------------------------

def test_everybody_signed_in_can_change_their_own_password(client, editor):
    assert "/anmelden/" in client.get("/konto/passwort/")["Location"]
    client.force_login(editor)
    page = client.get("/konto/passwort/").content.decode()
    assert "Passwort ändern" in page
    wrong = client.post("/konto/passwort/", {"old_password": "falsch", "new_password1": "Neu-Passwort-987",
                                             "new_password2": "Neu-Passwort-987"})
    assert wrong.status_code == 200
    assert "Das alte Passwort war falsch" in wrong.content.decode()
    response = client.post("/konto/passwort/", {"old_password": PASSWORD, "new_password1": "Neu-Passwort-987",
                                                "new_password2": "Neu-Passwort-987"})
    assert response["Location"] == "/konto/passwort/geaendert/"
    editor.refresh_from_db()
    assert editor.check_password("Neu-Passwort-987")
    assert AuditEvent.objects.get(action="user.password_change").actor == editor
    assert client.get("/konto/").status_code == 200  # still signed in


def test_password_reset_by_e_mail(client, editor):
    page = client.get("/anmelden/").content.decode()
    assert 'href="/passwort-vergessen/"' in page
    client.post("/passwort-vergessen/", {"email": "niemand@example.org"})
    assert mail.outbox == []
    response = client.post("/passwort-vergessen/", {"email": "redaktion@example.org"})
    assert response["Location"] == "/passwort-vergessen/gesendet/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["redaktion@example.org"]
    assert message.subject.startswith("Neues Passwort für")
    assert "redaktion" in message.body
    link = re.search(r"http://testserver(/passwort-neu/\S+/)", message.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Neues Passwort setzen" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Neu-Passwort-987",
                                                         "new_password2": "Neu-Passwort-987"})
    assert done["Location"] == "/passwort-neu/fertig/"
    editor.refresh_from_db()
    assert editor.check_password("Neu-Passwort-987")
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.actor is None
    assert event.actor_label == "Link per E-Mail"
    # The link works once.
    again = client.get(link.group(1), follow=True).content.decode()
    assert "ungültig oder wurde schon benutzt" in again


# --- Throttling ------------------------------------------------------------------------------------------------

def sign_in(client, username: str, password: str, address: str):
    return client.post("/anmelden/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_too_many_failures_for_one_account_lock_it_from_every_address(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        sign_in(client, "redaktion", "falsch", f"198.51.100.{n}")
    locked = sign_in(client, "redaktion", PASSWORD, "203.0.113.50")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in body
    assert "15 Minuten" in body
    assert "_auth_user_id" not in client.session


def test_too_many_failures_from_one_address_lock_that_address(client, editor, make_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_user("none", username="andere")
    for n in range(3):
        sign_in(client, f"geraten-{n}", "falsch", "198.51.100.7")
    assert sign_in(client, "andere", PASSWORD, "198.51.100.7").status_code == 429
    # The same account from another address still signs in: the lock is per address here.
    assert sign_in(client, "andere", PASSWORD, "198.51.100.8").status_code == 302


def test_the_throttle_is_kept_in_the_database(client, editor, settings):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 3
    sign_in(client, "redaktion", "falsch", "198.51.100.1")
    assert AccessAttempt.objects.filter(username="redaktion").exists()


def test_deleting_an_account_is_for_administrators_and_audited(client, staff_planner, admin_user, make_user):
    victim = make_user("reviewer", username="weg")
    client.force_login(staff_planner)
    assert client.post(f"/verwaltung/core/user/{victim.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=victim.pk).exists()
    client.force_login(admin_user)
    assert client.post(f"/verwaltung/core/user/{victim.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=victim.pk).exists()
    event = AuditEvent.objects.get(action="user.delete")
    assert (event.actor, event.object_label) == (admin_user, "weg")

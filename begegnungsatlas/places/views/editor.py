"""The editor area for planners, municipal editors and operators: my places, create/edit/delete, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.typing import signed_in_user

from ..errors import PlaceError
from ..forms import ActorFormSet, OfferFormSet, PlaceForm, actors_from_formset, offers_from_formset
from ..models import Place
from ..permissions import (
    can_create_place,
    can_delete_place,
    can_edit_place,
    can_manage_places,
    can_view_history,
)
from ..selectors.editor import place_history, places_editable_by
from ..services.places import place_delete, place_save


def my_places(request: HttpRequest) -> HttpResponse:
    can_manage_places(request.user).enforce()
    return render(request, "places/mine.html", {
        "places": places_editable_by(request.user),
        "can_create": can_create_place(request.user).allowed,
    })


def _editor(request: HttpRequest, place: Place | None) -> HttpResponse:
    user = signed_in_user(request)  # the create and edit views checked the rule before
    instance = place or Place()
    post = request.POST if request.method == "POST" else None
    form = PlaceForm(post, instance=instance, user=user)
    offers = OfferFormSet(post, instance=instance, prefix="angebote")
    actors = ActorFormSet(post, instance=instance, prefix="akteure")
    status = 200
    if post is not None:
        if form.is_valid() and offers.is_valid() and actors.is_valid():
            try:
                with transaction.atomic():
                    saved = place_save(
                        actor=user, place=place, data=form.service_data(),
                        target_groups=form.cleaned_data["target_groups"], qualities=form.cleaned_data["qualities"],
                        actors=actors_from_formset(actors), offers=offers_from_formset(offers),
                    )
            except PlaceError as exc:
                form.add_error(None, str(exc))
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("Keine Berechtigung."))
            else:
                messages.success(request, _("„%(name)s“ wurde gespeichert.") % {"name": saved.name})
                return redirect("places:detail", pk=saved.pk)
        status = 400
    return render(request, "places/place_form.html", {
        "form": form, "offers": offers, "actors": actors, "place": place,
        "own_kommune": user.kommune if user.role == Role.KOMMUNE_EDITOR else None,
        "own_organisation": user.organisation if user.role == Role.OPERATOR else None,
        "can_delete": place is not None and can_delete_place(user, place).allowed,
    }, status=status)


@require_http_methods(["GET", "POST"])
def place_create_view(request: HttpRequest) -> HttpResponse:
    can_create_place(request.user).enforce()
    return _editor(request, None)


@require_http_methods(["GET", "POST"])
def place_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place.objects.select_related("kommune").defer("kommune__geometry", "kommune__geometry_web"), pk=pk)
    can_edit_place(request.user, place).enforce()
    return _editor(request, place)


@require_http_methods(["GET", "POST"])
def place_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    can_delete_place(request.user, place).enforce()
    if request.method == "POST":
        name = place.name
        place_delete(actor=request.user, place=place)
        messages.success(request, _("„%(name)s“ wurde gelöscht.") % {"name": name})
        return redirect("places:mine")
    return render(request, "places/place_confirm_delete.html", {"place": place})


def place_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place.objects.select_related("kommune").defer("kommune__geometry", "kommune__geometry_web"), pk=pk)
    can_view_history(request.user, place).enforce()
    events = []
    for event in place_history(place_id=place.pk):
        events.append({"event": event, "rows": _change_rows(event.changes)})
    return render(request, "places/history.html", {"place": place, "events": events})


def _change_rows(changes: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Turn the stored diff into (field, old, new) rows; snapshots of creation/deletion become (field, '', value)."""
    rows: list[tuple[str, Any, Any]] = []
    for key, value in (changes or {}).items():
        if key in {"new", "old"} and isinstance(value, dict):
            for field, v in value.items():
                rows.append((_label(field), v if key == "old" else "", v if key == "new" else ""))
        elif isinstance(value, list) and len(value) == 2:
            rows.append((_label(key), value[0], value[1]))
        else:
            rows.append((_label(key), "", value))
    return rows


def _label(field: str) -> str:
    extra = {"angebot": _("Angebot"), "actors": _("Akteure"), "place": _("Ort")}
    if field in extra:
        return str(extra[field])
    try:
        return str(getattr(Place._meta.get_field(field), "verbose_name", field))
    except Exception:  # noqa: BLE001 - unknown keys are shown as they are
        return field

"""Citizens' suggestions and the moderation queue."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from begegnungsatlas.core.http import client_address

from ..errors import PlaceError
from ..forms import (
    ModerationAcceptForm,
    ModerationActionForm,
    ModerationRejectForm,
    PlaceRefForm,
    SuggestionForm,
)
from ..models import Place, Suggestion, SuggestionKind, SuggestionStatus
from ..permissions import can_moderate
from ..selectors.editor import suggestions_pending, suggestions_recently_moderated
from ..services.suggestions import SuggestionRateLimited, client_hash, suggestion_accept, suggestion_reject
from ..services.suggestions import suggestion_submit as submit


@require_http_methods(["GET", "POST"])
def suggestion_create(request: HttpRequest) -> HttpResponse:
    place = None
    ref = PlaceRefForm(request.GET if "ort" in request.GET else request.POST)
    if not ref.is_valid():
        raise Http404
    if ref.cleaned_data["ort"]:
        place = get_object_or_404(Place.objects.filter(is_published=True), pk=ref.cleaned_data["ort"])
    form = SuggestionForm(request.POST or None, correction=place is not None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"target_groups", "homepage"}}
        try:
            submit(data=data, target_groups=form.cleaned_data.get("target_groups") or [],
                   client=client_hash(client_address(request)), honeypot=form.cleaned_data.get("homepage") or "",
                   place=place)
        except SuggestionRateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except PlaceError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            return redirect("places:suggest_thanks")
    elif request.method == "POST":
        status = 400
    return render(request, "places/suggest.html", {"form": form, "place": place}, status=status)


def suggestion_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "places/suggest_thanks.html")


def moderation_queue(request: HttpRequest) -> HttpResponse:
    can_moderate(request.user).enforce()
    return render(request, "places/moderation_list.html", {
        "pending": suggestions_pending(), "recent": suggestions_recently_moderated(),
    })


@require_http_methods(["GET", "POST"])
def moderation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    can_moderate(request.user).enforce()
    suggestion = get_object_or_404(Suggestion.objects.select_related("place"), pk=pk)
    initial = {
        "name": suggestion.name, "description": suggestion.description, "street": suggestion.street,
        "postcode": suggestion.postcode, "city": suggestion.city, "lon": suggestion.lon, "lat": suggestion.lat,
        "target_groups": list(suggestion.target_groups.all()),
    }
    chosen = ModerationActionForm(request.POST)
    action = chosen.cleaned_data["action"] if chosen.is_valid() else ""
    accept_form = ModerationAcceptForm(request.POST if action == "accept" else None, initial=initial)
    reject_form = ModerationRejectForm(request.POST if action == "reject" else None)
    status = 200
    if request.method == "POST" and suggestion.status == SuggestionStatus.PENDING:
        try:
            if action == "accept" and suggestion.kind == SuggestionKind.CORRECTION:
                suggestion_accept(actor=request.user, suggestion=suggestion, note=chosen.cleaned_data["note"])
                messages.success(request, _("Die Korrektur wurde angenommen; bitte im Editor übernehmen."))
                return redirect("places:moderation")
            if action == "accept" and accept_form.is_valid():
                data = {k: v for k, v in accept_form.cleaned_data.items() if k not in {"target_groups", "note"}}
                suggestion_accept(actor=request.user, suggestion=suggestion, data=data,
                                  target_groups=accept_form.cleaned_data["target_groups"],
                                  note=accept_form.cleaned_data.get("note") or "")
                messages.success(request, _("Der Vorschlag wurde angenommen."))
                return redirect("places:moderation")
            if action == "reject" and reject_form.is_valid():
                suggestion_reject(actor=request.user, suggestion=suggestion, reason=reject_form.cleaned_data["reason"])
                messages.success(request, _("Der Vorschlag wurde abgelehnt."))
                return redirect("places:moderation")
            status = 400
        except PlaceError as exc:
            (accept_form if action == "accept" else reject_form).add_error(None, str(exc))
            status = 400
    return render(request, "places/moderation_detail.html", {
        "suggestion": suggestion, "accept_form": accept_form, "reject_form": reject_form,
    }, status=status)

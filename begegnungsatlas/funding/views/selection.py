"""Selection: pure ranking and the spatial spread rule side by side; the decision with reasons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import selectors
from ..errors import FundingError
from ..forms import DecisionForm, SelectionParamsForm
from ..models import Call
from ..permissions import can_manage, can_read_all
from ..services.selection import selection_decide
from ._common import form_errors


def selection(request: HttpRequest, pk: int) -> HttpResponse:
    can_read_all(request.user).enforce()
    call = get_object_or_404(Call, pk=pk)
    params = SelectionParamsForm(request.GET or None)
    penalty, radius, one = 0.5, 20.0, True
    if request.GET and params.is_valid():
        penalty = float(params.cleaned_data["penalty"])
        radius = float(params.cleaned_data["radius_km"])
        one = params.cleaned_data["one_per_kommune"]
    elif request.GET:
        messages.error(request, _("Ungültige Parameter; es gelten die Voreinstellungen."))
        params = SelectionParamsForm()
    result = selectors.selection(call, penalty=penalty, radius_km=radius, one_per_kommune=one)
    confirm_checked = False
    if request.method == "POST":
        can_manage(request.user).enforce()
        decision = DecisionForm(request.POST, applications=[s.application for s in result["ranking"]]
                                + list(result["unscored"]))
        valid = decision.is_valid()
        selected = decision.cleaned_data.get("selected", []) if valid else []
        deferred = decision.cleaned_data.get("deferred", []) if valid else []
        reasons = decision.reasons() if valid else {}
        confirm_checked = valid and decision.cleaned_data["confirm"]
        try:
            if not valid:
                raise FundingError(form_errors(decision))
            if not confirm_checked:
                raise FundingError(_("Bitte bestätigen Sie, dass die Entscheidung endgültig ist und die Bescheide "
                                     "versandt werden. Es wurde nichts gespeichert."))
            selection_decide(actor=request.user, call=call, selected=selected, reasons=reasons, deferred=deferred,
                             note=_("Abzug %(p)s Punkte, Radius %(r)s km, eine je Kommune: %(o)s")
                             % {"p": penalty, "r": radius, "o": _("ja") if one else _("nein")})
        except FundingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Entscheidung gespeichert; die Bescheide wurden versandt."))
            return redirect("funding:call", pk=call.pk)
        # Keep what the planner typed and ticked: the form is shown again with the posted values.
        rows = _decision_rows(result, selected=set(selected), deferred=set(deferred), reasons=reasons)
    else:
        rows = _decision_rows(result, selected=set(result["spread_ids"]),
                              deferred={a.pk for a in result["unscored"]}, reasons={})
    return render(request, "funding/selection.html", {
        "call": call, "params": params, "result": result, "penalty": penalty, "radius": radius, "one": one,
        "may_manage": bool(can_manage(request.user)), "rows": rows,
        "confirm_checked": confirm_checked,
    })


def _decision_rows(result: dict[str, Any], *, selected: set[int], deferred: set[int],
                   reasons: dict[int, str]) -> list[dict[str, Any]]:
    """One row per application in review for the decision form: scored ones first (by rank), then unscored."""
    rows = [{"application": s.application, "total": s.total, "scored": True,
             "selected": s.application.pk in selected, "deferred": s.application.pk in deferred,
             "reason": reasons.get(s.application.pk, "")} for s in result["ranking"]]
    rows += [{"application": a, "total": None, "scored": False, "selected": False, "deferred": a.pk in deferred,
              "reason": reasons.get(a.pk, "")} for a in result["unscored"]]
    return rows

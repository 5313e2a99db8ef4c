"""The decision: which applications in review are selected, each with a reason; notices go out after it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.core.services import audit_record

from .. import letters, selectors
from ..errors import FundingError
from ..models import Application, Call, Decision
from ..permissions import can_manage
from ..workflow import State
from .applications import application_transition

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor



def selection_decide(*, actor: Actor, call: Call, selected: list[int], reasons: dict[int, str], note: str = "",
                     deferred: list[int] | None = None, now: datetime | None = None) -> list[Application]:
    """Decide the applications of ``call`` that are in review: ``selected`` get the grants, the others not.

    Applications in ``deferred`` stay in review (typically those still without a submitted review) and are
    decided in a later round; an application without a submitted review can be rejected, never selected.
    """
    can_manage(actor).enforce()
    deferred_ids = set(deferred or [])
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        in_review = list(Application.objects.select_for_update().filter(call=call, state=State.IN_REVIEW)
                         .order_by("reference"))
        if not in_review:
            raise FundingError(_("Es gibt keine Bewerbungen in der Begutachtung."))
        ids = {a.pk for a in in_review}
        unknown = (set(selected) | deferred_ids) - ids
        if unknown:
            raise FundingError(_("Ausgewählt werden können nur Bewerbungen in der Begutachtung."))
        both = [a.reference for a in in_review if a.pk in deferred_ids and a.pk in selected]
        if both:
            raise FundingError(_("Zurückgestellt und zugleich ausgewählt: %(refs)s.") % {"refs": ", ".join(both)})
        to_decide = [a for a in in_review if a.pk not in deferred_ids]
        if not to_decide:
            raise FundingError(_("Alle Bewerbungen sind zurückgestellt; es gibt nichts zu entscheiden."))
        already = Application.objects.filter(call=call, decision=Decision.SELECTED).count()
        if len(set(selected)) + already > call.number_of_grants:
            raise FundingError(_("Der Aufruf vergibt %(n)s Förderungen; ausgewählt wären %(m)s.")
                               % {"n": call.number_of_grants, "m": len(set(selected)) + already})
        scores = selectors.scores_for_call(call)
        missing = [a.reference for a in to_decide if not (reasons.get(a.pk) or "").strip()]
        if missing:
            raise FundingError(_("Bitte begründen Sie die Entscheidung für: %(refs)s.") % {"refs": ", ".join(missing)})
        unscored = [a.reference for a in in_review if a.pk in selected and scores[a.pk].total is None]
        if unscored:
            raise FundingError(_("Noch nicht begutachtet: %(refs)s. Ohne abgegebene Bewertung kann eine Bewerbung "
                                 "nur zurückgestellt oder abgelehnt werden.") % {"refs": ", ".join(unscored)})
        decided = []
        for application in to_decide:
            application.decision = Decision.SELECTED if application.pk in selected else Decision.REJECTED
            application.decision_reason = reasons[application.pk].strip()
            application.save(update_fields=["decision", "decision_reason", "updated_at"])
            audit_record(actor=actor, action="funding.application.decision", obj=application,
                         changes={"decision": [None, application.decision],
                                  "score": str(scores[application.pk].total)}, note=note)
            decided.append(application_transition(actor=actor, application=application, to=State.DECIDED,
                                                   note=application.decision_reason, now=now, notify=False))
    for application in decided:
        letters.send_notice(application)
    return decided

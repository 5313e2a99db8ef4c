"""Reads for the funding workflow; each selector owns its query shape."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext

from begegnungsatlas.atlas.models import Region
from begegnungsatlas.core import installation
from begegnungsatlas.core.models import AuditEvent, Role
from begegnungsatlas.core.permissions import signed_in

from . import spread
from .models import Application, Call, CallStatus, Grant, ReviewAssignment, Score, Voucher
from .permissions import can_read_all, can_see_history_event, can_see_reviewer_identity
from .workflow import State

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor

TWO = Decimal("0.01")


def calls_visible(user: Actor) -> QuerySet[Call]:
    qs = Call.objects.annotate(n_applications=Count("applications", filter=~Q(applications__state=State.DRAFT)))
    if can_read_all(user):
        return qs
    return qs.filter(status__in=[CallStatus.PUBLISHED, CallStatus.CLOSED])


def call_detail(pk: int) -> Call:
    return (Call.objects.prefetch_related("budget_lines__cost_types", "cost_types", "criteria", "attachments",
                                          "extensions__kommune")
            .get(pk=pk))


def planning_regions() -> QuerySet[Region]:
    """Regions a call can cover: the installation's own, not the reference regions kept for comparison."""
    return Region.objects.filter(is_reference=False).order_by("name")


def default_call_region(*, template: Call | None = None) -> Region | None:
    """The region a new call covers unless the planner picks another.

    The template call's region; else the configured one (``BEGEGNUNGSATLAS_REGION``, a region slug); else the
    installation's only planning region. ``None`` when that leaves a choice (the planner must pick).
    """
    if template is not None and template.region_id:
        return template.region
    slug = installation.current().region
    if slug and (region := planning_regions().filter(slug=slug).first()) is not None:
        return region
    regions = list(planning_regions()[:2])
    return regions[0] if len(regions) == 1 else None


def applications_base() -> QuerySet[Application]:
    return Application.objects.select_related("call", "kommune", "partner", "created_by", "place")


def applications_for_applicant(user: Actor) -> QuerySet[Application]:
    """Applications of the person's Kommune or partner organisation (``permissions.is_applicant_for`` as a query)."""
    u = signed_in(user)
    q = Q(pk__in=[])
    if u is None:
        pass
    elif u.role == Role.KOMMUNE_EDITOR and u.kommune_id:
        q = Q(kommune_id=u.kommune_id)
    elif u.role == Role.OPERATOR and u.organisation_id:
        q = Q(partner_id=u.organisation_id)
    return applications_base().filter(q).order_by("-created_at")


def applications_all(*, call: Call | None = None, state: str | None = None) -> QuerySet[Application]:
    qs = applications_base().annotate(
        n_reviewers=Count("assignments", filter=Q(assignments__conflict_declared=False), distinct=True),
        n_reviews=Count("assignments", filter=Q(assignments__submitted_at__isnull=False,
                                                assignments__conflict_declared=False), distinct=True),
    )
    if call is not None:
        qs = qs.filter(call=call)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("call", "reference")


def state_counts(call: Call | None = None) -> list[tuple[str, str | Promise, int]]:
    qs = Application.objects.all() if call is None else Application.objects.filter(call=call)
    counts = dict(qs.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in State.choices]


def assignments_for_reviewer(user: Actor) -> QuerySet[ReviewAssignment]:
    u = signed_in(user)
    return (ReviewAssignment.objects.filter(reviewer=u.pk if u is not None else None)
            .select_related("application__call", "application__kommune")
            .order_by("submitted_at", "application__reference"))


def weighted_total(scores: list[Score], weights: dict[int, int]) -> Decimal | None:
    """Σ weight × points / Σ weight over the scored criteria, rounded to two places."""
    total_w = sum(weights.get(s.criterion_id, 0) for s in scores)
    if not scores or total_w == 0:
        return None
    value = Decimal(sum(weights.get(s.criterion_id, 0) * s.points for s in scores)) / Decimal(total_w)
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass
class ApplicationScore:
    application: Application
    total: Decimal | None
    reviews: list[tuple[ReviewAssignment, Decimal | None]]


def scores_for_call(call: Call) -> dict[int, ApplicationScore]:
    """Per application: the weighted total of each submitted review and their mean."""
    weights = {c.pk: c.weight for c in call.criteria.all()}
    apps = (applications_base().filter(call=call)
            .prefetch_related(Prefetch("assignments", queryset=ReviewAssignment.objects.select_related("reviewer")
                                       .prefetch_related("scores"))))
    result: dict[int, ApplicationScore] = {}
    for app in apps:
        reviews = []
        for a in app.assignments.all():
            if a.submitted_at and not a.conflict_declared:
                reviews.append((a, weighted_total(list(a.scores.all()), weights)))
        totals = [t for _a, t in reviews if t is not None]
        mean = (sum(totals, Decimal(0)) / len(totals)).quantize(TWO, rounding=ROUND_HALF_UP) if totals else None
        result[app.pk] = ApplicationScore(app, mean, reviews)
    return result


@dataclass
class VisibleReview:
    """A submitted review as one viewer may see it: ``label`` is the reviewer's name or a neutral number."""

    assignment: ReviewAssignment
    label: str

    @property
    def scores(self) -> Any:
        return self.assignment.scores


def visible_reviews(user: Actor, application: Application) -> list[VisibleReview]:
    """Reviews the user may read: office/auditor all; a reviewer only after submitting their own.

    Names follow ``permissions.can_see_reviewer_identity``: another reviewer sees "Gutachten 2", not who wrote it.
    """
    qs = (application.assignments.select_related("reviewer").prefetch_related("scores__criterion")
          .filter(submitted_at__isnull=False, conflict_declared=False).order_by("submitted_at", "id"))
    if not can_read_all(user):
        u = signed_in(user)
        if u is None or u.role != Role.REVIEWER:
            return []
        own = application.assignments.filter(reviewer=u).first()
        if own is None or own.conflict_declared or own.submitted_at is None:
            return []
    result = []
    for number, assignment in enumerate(qs, start=1):
        if can_see_reviewer_identity(user, assignment):
            label = assignment.reviewer.get_full_name() or assignment.reviewer.get_username()
        else:
            label = gettext("Gutachten %(n)s") % {"n": number}
        result.append(VisibleReview(assignment, label))
    return result


def selection(call: Call, *, penalty: float, radius_km: float, one_per_kommune: bool = True) -> dict[str, Any]:
    """Pure ranking and the spread rule side by side for the applications in review."""
    scores = scores_for_call(call)
    rows = [s for s in scores.values() if s.application.state == State.IN_REVIEW]
    scored = [s for s in rows if s.total is not None]
    unscored = [s.application for s in rows if s.total is None]
    cands = [spread.Candidate(s.application.pk, s.application.kommune_id, float(cast(Decimal, s.total)),  # scored
                              s.application.kommune.centroid_lon, s.application.kommune.centroid_lat)
             for s in sorted(scored, key=lambda s: s.application.reference)]
    result = spread.select(cands, n=call.number_of_grants, penalty=penalty, radius_km=radius_km,
                           one_per_group=one_per_kommune)
    by_id: dict[Hashable, ApplicationScore] = {s.application.pk: s for s in scored}
    ranking = sorted(scored, key=lambda s: (-s.total, s.application.reference))  # type: ignore[operator]
    return {
        "ranking": ranking,
        "pure_ids": [c.key for c in result.pure],
        "spread": [{"score": by_id[st.candidate.key], "adjusted": round(st.adjusted, 2),
                    "penalty": round(st.penalty, 2),
                    "nearest_km": None if st.nearest_km is None else round(st.nearest_km, 1)}
                   for st in result.spread],
        "spread_ids": [st.candidate.key for st in result.spread],
        "cost": round(result.cost, 2),
        "unscored": unscored,
        "skipped": [c.key for c in result.skipped_same_group],
    }


def grant_detail(pk: int) -> Grant:
    return (Grant.objects.select_related("application__call", "application__kommune")
            .prefetch_related("lines", "contract__parties",
                              Prefetch("vouchers", queryset=Voucher.objects.select_related(
                                  "line", "cost_type", "document", "uploaded_by", "checked_by", "approved_by")))
            .get(pk=pk))


def grants_visible(user: Actor) -> QuerySet[Grant]:
    qs = Grant.objects.select_related("application__kommune", "application__call").prefetch_related("lines")
    if can_read_all(user):
        return qs
    return qs.filter(application__in=applications_for_applicant(user))


def audit_events(*, limit: int = 500) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(action__startswith="funding.").select_related("actor")[:limit]


def audit_for(obj: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("at", "id")


def application_history(user: Actor, application: Application) -> list[AuditEvent]:
    """The application's history as ``user`` may see it (``permissions.can_see_history_event``)."""
    return [e for e in audit_for(application) if can_see_history_event(user, e)]

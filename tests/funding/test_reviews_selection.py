"""Review and selection (issue points 3, 4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from begegnungsatlas.funding import selectors
from begegnungsatlas.funding.errors import FundingError
from begegnungsatlas.funding.models import Application, Decision
from begegnungsatlas.funding.permissions import can_view_application
from begegnungsatlas.funding.services.applications import (
    application_create,
    application_screen,
    application_transition,
)
from begegnungsatlas.funding.services.reviews import conflict_declare, review_save, reviewer_assign
from begegnungsatlas.funding.services.selection import selection_decide
from begegnungsatlas.funding.spread import Candidate, select
from begegnungsatlas.funding.workflow import State

from .conftest import fill


def in_review(call, applicant, office):
    application = fill(applicant, application_create(actor=applicant, call=call))
    application_transition(actor=applicant, application=application, to=State.SUBMITTED)
    application_transition(actor=office, application=application, to=State.SCREENING)
    application_screen(actor=office, application=application, complete=True, eligible=True)
    return application_transition(actor=office, application=application, to=State.IN_REVIEW)


def score_all(reviewer, assignment, points, submit=True):
    criteria = assignment.application.call.criteria.all()
    return review_save(actor=reviewer, assignment=assignment, submit=submit,
                       scores={c.pk: (points[i] if isinstance(points, list) else points, "weil …")
                               for i, c in enumerate(criteria)})


@pytest.fixture
def reviewed(open_call, applicant, office, reviewer):
    application = in_review(open_call, applicant, office)
    return reviewer_assign(actor=office, application=application, reviewer=reviewer)


def test_weighted_total(open_call, reviewed, reviewer):
    criteria = list(open_call.criteria.all())
    criteria[0].weight = 3
    criteria[0].save()
    score_all(reviewer, reviewed, [5, 1, 1, 1, 1, 1])
    total = selectors.scores_for_call(open_call)[reviewed.application_id].total
    assert total == Decimal("2.50")  # (3*5 + 5*1) / 8


def test_review_needs_points_and_reason_per_criterion(reviewed, reviewer):
    criteria = list(reviewed.application.call.criteria.all())
    with pytest.raises(FundingError, match="Punkte und Begründung fehlen"):
        review_save(actor=reviewer, assignment=reviewed, submit=True,
                    scores={c.pk: (3, "") for c in criteria})
    with pytest.raises(FundingError, match="Punkte von 0 bis 5"):
        review_save(actor=reviewer, assignment=reviewed, scores={criteria[0].pk: (9, "x")})
    score_all(reviewer, reviewed, 3)
    with pytest.raises(FundingError, match="bereits abgegeben"):
        score_all(reviewer, reviewed, 4)


def test_reviewer_sees_only_assigned_and_not_others_scores_before_own(open_call, reviewed, reviewer, reviewer2,
                                                                      office, applicant_juelich):
    other = in_review(open_call, applicant_juelich, office)
    assert not can_view_application(reviewer, other)
    assert can_view_application(reviewer, reviewed.application)
    second = reviewer_assign(actor=office, application=reviewed.application, reviewer=reviewer2)
    score_all(reviewer2, second, 4)
    assert selectors.visible_reviews(reviewer, reviewed.application) == []
    score_all(reviewer, reviewed, 3)
    assert len(selectors.visible_reviews(reviewer, reviewed.application)) == 2
    with pytest.raises(PermissionDenied):
        score_all(reviewer, second, 1)


def test_conflict_of_interest_blocks_the_reviewer(reviewed, reviewer):
    with pytest.raises(FundingError, match="Grund"):
        conflict_declare(actor=reviewer, assignment=reviewed, note="")
    conflict_declare(actor=reviewer, assignment=reviewed, note="Vorsitz im beteiligten Verein")
    assert not can_view_application(reviewer, reviewed.application)
    reviewed.refresh_from_db()
    with pytest.raises(PermissionDenied, match="befangen"):
        score_all(reviewer, reviewed, 3)


def test_only_reviewers_can_be_assigned(reviewed, office, applicant):
    with pytest.raises(FundingError, match="nicht als Gutachter"):
        reviewer_assign(actor=office, application=reviewed.application, reviewer=applicant)
    with pytest.raises(PermissionDenied):
        reviewer_assign(actor=applicant, application=reviewed.application, reviewer=applicant)


def test_spread_rule_trades_score_for_distance():
    # A and B are neighbours; C is far away but scores a little lower.
    cands = [Candidate("A", 1, 4.6, 6.48, 50.80), Candidate("B", 2, 4.5, 6.50, 50.81),
             Candidate("C", 3, 4.3, 6.44, 50.58)]
    pure = select(cands, n=2, penalty=0.0, radius_km=20)
    assert [s.candidate.key for s in pure.spread] == ["A", "B"]
    assert pure.cost == 0
    spread = select(cands, n=2, penalty=0.5, radius_km=20)
    assert [s.candidate.key for s in spread.spread] == ["A", "C"]
    assert [c.key for c in spread.pure] == ["A", "B"]
    assert round(spread.cost, 2) == 0.2
    assert spread.spread[1].nearest_km > 20
    assert spread.spread[1].penalty == 0


def test_one_grant_per_kommune_by_default():
    cands = [Candidate("A", 1, 5.0, 6.4, 50.8), Candidate("A2", 1, 4.9, 6.4, 50.8), Candidate("B", 2, 3.0, 6.4, 50.9)]
    assert [s.candidate.key for s in select(cands, n=2, penalty=0).spread] == ["A", "B"]
    assert [s.candidate.key for s in select(cands, n=2, penalty=0, one_per_group=False).spread] == ["A", "A2"]


def test_decision_with_reasons_sends_notices_with_pdf(open_call, applicant, applicant_juelich, office, reviewer,
                                                      make_user):
    a = in_review(open_call, applicant, office)
    b = in_review(open_call, applicant_juelich, office)
    third_user = make_user("kommune_editor", kommune_code="053580012012", email="heimbach@example.org")
    c = in_review(open_call, third_user, office)
    for app, pts in ((a, 5), (b, 4), (c, 2)):
        score_all(reviewer, reviewer_assign(actor=office, application=app, reviewer=reviewer), pts)
    result = selectors.selection(open_call, penalty=0.5, radius_km=20)
    assert [s.application.pk for s in result["ranking"]] == [a.pk, b.pk, c.pk]
    with pytest.raises(FundingError, match="vergibt 2 Förderungen"):
        selection_decide(actor=office, call=open_call, selected=[a.pk, b.pk, c.pk],
                         reasons={x.pk: "r" for x in (a, b, c)})
    with pytest.raises(FundingError, match="begründen"):
        selection_decide(actor=office, call=open_call, selected=[a.pk, b.pk], reasons={a.pk: "r"})
    assert Application.objects.get(pk=a.pk).state == State.IN_REVIEW
    mail.outbox.clear()
    selection_decide(actor=office, call=open_call, selected=[a.pk, b.pk],
                     reasons={a.pk: "beste Note", b.pk: "zweitbeste Note", c.pk: "niedrigere Note"})
    assert {x.decision for x in Application.objects.filter(pk__in=[a.pk, b.pk])} == {Decision.SELECTED}
    assert Application.objects.get(pk=c.pk).decision == Decision.REJECTED
    assert len(mail.outbox) == 3
    assert all(m.attachments[0][2] == "application/pdf" for m in mail.outbox)
    granted = application_transition(actor=office, application=a, to=State.GRANTED)
    assert granted.grant.lines.count() == 2
    with pytest.raises(FundingError, match="Nur ausgewählte"):
        application_transition(actor=office, application=c, to=State.GRANTED)

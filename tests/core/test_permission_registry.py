"""The one permission registry: every app's rules are registered under a name, templates ask them with
``{% can %}``, and the selectors that filter lists give exactly what the rule allows for every kind of actor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

from begegnungsatlas.core.permissions import Decision, allow, check, registered_rules, rule, signed_in

APPS = ("atlas", "core", "funding", "gaps", "measures", "participation", "places", "sozialraum")


def test_every_app_registers_its_rules_and_each_returns_a_decision() -> None:
    rules = registered_rules()
    assert {name.split(".", 1)[0] for name in rules} >= set(APPS)
    for name, function in rules.items():
        app = name.split(".", 1)[0]
        assert function.__module__.startswith(f"begegnungsatlas.{app}."), (name, function.__module__)
    assert rules["places.edit_place"].__name__ == "can_edit_place"
    assert rules["atlas.import"] is not rules["places.import"]  # two rules, two names: no ambiguous "can_import"


def test_unknown_rule_and_double_registration_are_programming_errors() -> None:
    with pytest.raises(LookupError, match="places.edti_place"):
        check("places.edti_place", None)

    @rule("tests.example")
    def first(actor: Any) -> Decision:
        return allow()

    with pytest.raises(ImproperlyConfigured):

        @rule("tests.example")
        def second(actor: Any) -> Decision:
            return allow()


def test_a_rule_must_return_a_decision() -> None:
    @rule("tests.boolean")
    def boolean(actor: Any) -> Any:
        return True

    with pytest.raises(TypeError, match="not a Decision"):
        check("tests.boolean", None)


@pytest.mark.django_db
def test_signed_in_narrows_only_active_users(make_user: Callable[..., Any]) -> None:
    active = make_user("planner")
    inactive = make_user("planner", is_active=False)
    assert signed_in(active) == active
    assert signed_in(inactive) is None
    assert signed_in(AnonymousUser()) is None
    assert signed_in(None) is None
    assert not check("atlas.import", inactive)


@pytest.mark.django_db
def test_template_tag_asks_the_rule(make_user: Callable[..., Any]) -> None:
    template = Template('{% load permissions %}{% can "participation.manage" as ok %}'
                        '{% if ok %}ja{% else %}nein: {{ ok.reason }}{% endif %}')
    request = RequestFactory().get("/")
    request.user = make_user("planner")
    assert template.render(Context({"request": request})) == "ja"
    request.user = make_user("kommune_editor", kommune_code="053580008008")
    assert template.render(Context({"request": request})) == "nein: Umfragen pflegt nur die Sozialplanung."
    request.user = AnonymousUser()
    assert template.render(Context({"request": request})) == "nein: Bitte melden Sie sich an."


# --- selectors against rules ------------------------------------------------------------------------------------


@pytest.fixture
def actors(make_user: Callable[..., Any]) -> list[Any]:
    from begegnungsatlas.core.models import User
    from begegnungsatlas.places.models import Organisation

    organisation = Organisation.objects.create(name="Träger für Regeltest")
    made = [
        make_user("planner"), make_user("auditor"), make_user("reviewer"), make_user("moderator"), make_user("none"),
        make_user("kommune_editor", kommune_code="053580008008"),
        make_user("kommune_editor", kommune_code="059130000000"),
        make_user("operator", organisation=organisation),
        make_user("operator"),
        make_user("planner", is_active=False),
        make_user("none", is_superuser=True),
    ]
    # The demo loaders' own accounts (applicants, reviewers of real applications) join in.
    demo_users = [u for u in User.objects.exclude(pk__in=[m.pk for m in made])]
    return [*made, *demo_users, AnonymousUser(), None]


def _same(actors: Iterable[Any], everything: Iterable[Any], selector: Callable[[Any], Iterable[Any]],
          rule_name: str, *, at_least_one_denied: bool = True) -> None:
    objects = list(everything)
    assert objects, f"no objects to test {rule_name} with"
    denied_somewhere = False
    for actor in actors:
        selected = {o.pk for o in selector(actor)}
        allowed = {o.pk for o in objects if check(rule_name, actor, o)}
        assert selected == allowed, (rule_name, actor, sorted(selected ^ allowed))
        denied_somewhere |= len(allowed) < len(objects)
    assert denied_somewhere or not at_least_one_denied, f"{rule_name}: no actor was denied anything"


@pytest.mark.django_db
def test_funding_selectors_follow_the_rules(actors: list[Any]) -> None:
    from begegnungsatlas.funding import demo
    from begegnungsatlas.funding.models import Call, CallStatus, Grant
    from begegnungsatlas.funding.selectors import calls_visible, grants_visible

    demo.load(out=lambda *_a: None)
    if not Call.objects.filter(status=CallStatus.DRAFT).exists():  # a draft: only office and auditor see it
        Call.objects.filter(pk=Call.objects.order_by("pk").values("pk")[:1]).update(status=CallStatus.DRAFT)
    everyone = actors + [u for u in _users() if u not in actors]
    _same(everyone, Call.objects.all(), calls_visible, "funding.view_call")
    _same(everyone, Grant.objects.all(), grants_visible, "funding.view_grant")


def _users() -> list[Any]:
    from begegnungsatlas.core.models import User

    return list(User.objects.all())


@pytest.mark.django_db
def test_measures_and_atlas_selectors_follow_the_rules(actors: list[Any]) -> None:
    from begegnungsatlas.atlas import demo as atlas_demo
    from begegnungsatlas.atlas.models import Indicator
    from begegnungsatlas.atlas.selectors.values import visible_indicators
    from begegnungsatlas.measures import demo
    from begegnungsatlas.measures.models import Measure
    from begegnungsatlas.measures.selectors import visible_measures

    demo.load(out=lambda *_a: None)
    Measure.objects.filter(pk=Measure.objects.order_by("pk").values("pk")[:1]).update(is_published=False)
    everyone = actors + [u for u in _users() if u not in actors]
    _same(everyone, Measure.objects.all(), visible_measures, "measures.view_measure")

    atlas_demo.indicators_dortmund(out=lambda *_a: None)
    Indicator.objects.filter(pk=Indicator.objects.order_by("pk").values("pk")[:1]).update(is_internal=True)
    _same(actors, Indicator.objects.all(), visible_indicators, "atlas.view_indicator")


@pytest.mark.django_db
def test_place_editor_selector_follows_the_rule(actors: list[Any], planner: Any) -> None:
    from begegnungsatlas.places.models import ActorRole, Organisation, Place
    from begegnungsatlas.places.selectors.editor import places_editable_by
    from begegnungsatlas.places.services.places import place_create

    organisation = Organisation.objects.get(name="Träger für Regeltest")
    place_create(actor=planner, data={"name": "Treff Düren", "lon": 6.4830, "lat": 50.8035})
    place_create(actor=planner, data={"name": "Treff Dortmund", "lon": 7.4653, "lat": 51.5136})
    place_create(actor=planner, data={"name": "Treff des Trägers", "lon": 7.4700, "lat": 51.5100},
                 actors=[(organisation, ActorRole.RUNS)])
    place_create(actor=planner, data={"name": "Nur gefördert", "lon": 7.4600, "lat": 51.5200},
                 actors=[(organisation, ActorRole.FUNDS)])  # funding a place does not make it editable
    _same(actors, Place.objects.all(), places_editable_by, "places.edit_place")


@pytest.mark.django_db
def test_sozialraum_and_gaps_selectors_follow_the_rules(actors: list[Any], planner: Any) -> None:
    from begegnungsatlas.atlas import demo as atlas_demo
    from begegnungsatlas.sozialraum.demo import load as sozialraum_load
    from begegnungsatlas.sozialraum.models import SozialraumLevel
    from begegnungsatlas.sozialraum.selectors import sozialraum_levels_visible

    atlas_demo.indicators_kreis_dueren(out=lambda *_a: None)
    sozialraum_load(out=lambda *_a: None)
    assert SozialraumLevel.objects.filter(status="draft").exists()
    _same(actors, SozialraumLevel.objects.all(), sozialraum_levels_visible, "sozialraum.view_sozialraum",
          at_least_one_denied=SozialraumLevel.objects.filter(status="draft").exists())

    from begegnungsatlas.atlas.models import AreaLevel, Region
    from begegnungsatlas.gaps.models import Scenario
    from begegnungsatlas.gaps.selectors import scenarios_visible_to
    from begegnungsatlas.gaps.services.analysis import GapInputs
    from begegnungsatlas.gaps.services.population import zensus2011_import
    from begegnungsatlas.gaps.services.scenarios import scenario_save
    from begegnungsatlas.places.services.places import place_create

    place_create(actor=planner, data={"name": "Seniorentreff Düren", "lon": 6.4830, "lat": 50.8035},
                 target_groups=["senioren"])
    grid = zensus2011_import(region=Region.objects.get(slug="kreis-dueren")).grid
    inputs = GapInputs(grid=grid, group="ab65", method="coverage", radius=2000.0,
                       level=AreaLevel.objects.get(region=grid.region, slug="kommune"), place_groups=("senioren",))
    scenario_save(name="intern", actor=planner, inputs=inputs)
    published = scenario_save(name="öffentlich", actor=planner, inputs=inputs)
    Scenario.objects.filter(pk=published.pk).update(is_published=True)
    _same(actors, Scenario.objects.all(), scenarios_visible_to, "gaps.view_scenario")

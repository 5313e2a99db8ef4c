"""A small register for the API tests: published places in Düren and Dortmund, one unpublished, offers, actors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class Register:
    dueren: Any  # published, with offers, actors, contact, opening hours
    dortmund: Any  # published, no offers
    virtual: Any  # published, virtual, no coordinates
    hidden: Any  # unpublished
    hidden_offer: Any
    offer: Any
    awo: Any
    verein: Any
    suggestion: Any


def make_register() -> Register:
    from begegnungsatlas.atlas.models import Area
    from begegnungsatlas.places.models import (
        ActorRole,
        Offer,
        Organisation,
        Place,
        PlaceActor,
        Suggestion,
        TargetGroup,
    )

    groups = {}
    for i, (slug, de) in enumerate([("kinder", "Kinder"), ("senioren", "Seniorinnen und Senioren"),
                                    ("familien", "Familien"), ("neuzugewanderte", "Neuzugewanderte")]):
        groups[slug], _ = TargetGroup.objects.get_or_create(slug=slug, defaults={"name_de": de, "name_en": slug,
                                                                                 "sort": i})
    dueren_k = Area.objects.get(level__is_municipality=True, code="053580008008")
    dortmund_k = Area.objects.get(level__is_municipality=True, code="059130000000")
    awo = Organisation.objects.create(name="AWO Kreisverband Düren (Testdaten)", kind="wohlfahrtsverband",
                                      email="info@awo.example", website="https://awo.example")
    verein = Organisation.objects.create(name="Nachbarschaftsverein Test", kind="verein")
    secret_org = Organisation.objects.create(name="Nur am unveröffentlichten Ort", kind="initiative",
                                             email="geheim@example.org")
    dueren = Place.objects.create(
        name="Begegnungscafé Test Düren", description="Offenes Café im Quartier.", street="Markt 1",
        postcode="52349", city="Düren", lon=6.4830, lat=50.8040, kommune=dueren_k, status="existing",
        contact_name="Erika Muster", contact_email="erika@cafe.example", contact_phone="02421 123",
        opening_hours="Mo-Fr 09:00-12:00; We 14:00-18:00; PH off", website="https://cafe.example",
        open_for_groups=True, wheelchair="yes",
    )
    dueren.target_groups.set([groups["senioren"], groups["familien"]])
    PlaceActor.objects.create(place=dueren, organisation=awo, role=ActorRole.RUNS)
    PlaceActor.objects.create(place=dueren, organisation=verein, role=ActorRole.PROVIDES)
    offer = Offer.objects.create(place=dueren, title="Sprachcafé", description="Deutsch üben bei Kaffee.",
                                 schedule="Th 15:00-17:00", is_free=True, organisation=verein)
    offer.target_groups.set([groups["neuzugewanderte"]])
    Offer.objects.create(place=dueren, title="Schuldnerberatung", schedule="Jan-Mar Mo 10:00-12:00",
                         is_free=False, cost_note="5 € pro Termin")
    dortmund = Place.objects.create(
        name="Nachbarschaftstreff Test Dortmund", street="Hansastraße 3", postcode="44137", city="Dortmund",
        lon=7.4650, lat=51.5140, kommune=dortmund_k, status="planned", opening_hours="Mo-Su 00:00-24:00",
    )
    dortmund.target_groups.set([groups["kinder"]])
    virtual = Place.objects.create(name="Digitaler Stammtisch Test", kind="virtual",
                                   virtual_url="https://meet.example/stammtisch", opening_hours="Mo-Su off")
    hidden = Place.objects.create(name="Unveröffentlichter Ort Test", lon=6.4800, lat=50.8000, kommune=dueren_k,
                                  is_published=False, contact_email="privat@example.org")
    hidden.target_groups.set([groups["senioren"]])
    PlaceActor.objects.create(place=hidden, organisation=secret_org, role=ActorRole.RUNS)
    hidden_offer = Offer.objects.create(place=hidden, title="Verstecktes Angebot")
    suggestion = Suggestion.objects.create(kind="new_place", name="Vorgeschlagener Ort Test", lon=6.48, lat=50.80,
                                           submitter_email="buerger@example.org", submitter_name="Max Bürger")
    from begegnungsatlas.api.services import place_features_refresh

    place_features_refresh()  # raw model writes above: the OGC feature text by hand
    return Register(dueren=dueren, dortmund=dortmund, virtual=virtual, hidden=hidden, hidden_offer=hidden_offer,
                    offer=offer, awo=awo, verein=verein, suggestion=suggestion)


@pytest.fixture
def register(db: Any) -> Register:
    return make_register()


@pytest.fixture
def live_register(transactional_db: Any, regions: Any) -> Register:
    """For ``live_server`` tests (the database is flushed afterwards)."""
    return make_register()

"""HSDS 3.0: real responses validated against the official schemas (tests/api/hsds_schemas/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from begegnungsatlas.api.ids import hsds_id
from begegnungsatlas.api.schedules import hsds_schedules

SCHEMA_DIR = Path(__file__).parent / "hsds_schemas"
BASE = "https://hsds.test/schema/"


def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        resources.append((BASE + path.name, Resource.from_contents(json.loads(path.read_text()))))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(entity: str, instance: Any) -> None:
    schema = REGISTRY.contents(BASE + f"{entity}.json")
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_schema_validator_rejects_bad_service() -> None:
    with pytest.raises(AssertionError, match="status"):
        validate("service", {"id": hsds_id("offer", 1), "name": "x", "status": "open"})
    with pytest.raises(AssertionError, match="uuid"):
        validate("service", {"id": "42", "name": "x", "status": "active"})


def test_root_declares_version_and_profile(client: Any) -> None:
    doc = client.get("/api/hsds/").json()
    assert doc["version"] == "3.0"
    assert doc["profile"].startswith("https://")
    assert doc["openapi_url"].endswith("/api/openapi.json")


def test_services_list_paginated_and_valid(client: Any, register: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(12):
        doc = client.get("/api/hsds/services", {"per_page": 2, "full": "true"}).json()
    # dueren: general + 2 offers; dortmund: general; virtual: general = 5 services (hidden place excluded)
    assert doc["total_items"] == 5
    assert (doc["total_pages"], doc["page_number"], doc["size"]) == (3, 1, 2)
    assert doc["first_page"]
    assert not doc["last_page"]
    assert not doc["empty"]
    for item in doc["contents"]:
        validate("service", item)
    last = client.get("/api/hsds/services", {"per_page": 2, "page": 3}).json()
    assert last["last_page"]
    assert last["size"] == 1
    names = set()
    for page in (1, 2, 3):
        for item in client.get("/api/hsds/services", {"per_page": 2, "page": page}).json()["contents"]:
            validate("service", item)
            names.add(item["name"])
    assert names == {"Begegnungscafé Test Düren", "Sprachcafé", "Schuldnerberatung",
                     "Nachbarschaftstreff Test Dortmund", "Digitaler Stammtisch Test"}


def test_place_without_offers_gets_general_service(client: Any, register: Any) -> None:
    sid = hsds_id("place_service", register.dortmund.pk)
    doc = client.get(f"/api/hsds/services/{sid}").json()
    validate("service", doc)
    assert doc["status"] == "inactive"  # planned place
    sal = doc["service_at_locations"][0]
    assert sal["location"]["latitude"] == pytest.approx(51.514)
    assert sal["location"]["addresses"][0]["state_province"] == "Nordrhein-Westfalen"
    assert doc["attributes"][0]["taxonomy_term"]["code"] == "kinder"


def test_offer_service_fully_nested(client: Any, register: Any) -> None:
    doc = client.get(f"/api/hsds/services/{hsds_id('offer', register.offer.pk)}").json()
    validate("service", doc)
    assert doc["name"] == "Sprachcafé"
    assert doc["organization"]["name"] == "Nachbarschaftsverein Test"
    assert doc["schedules"] == [{
        "id": hsds_id("offer_schedule", register.offer.pk, 0), "service_id": doc["id"], "freq": "WEEKLY",
        "wkst": "MON", "byday": "TH", "opens_at": "15:00", "closes_at": "17:00", "description": "Th 15:00-17:00",
        "notes": "Zeiten in Ortszeit Europe/Berlin; Feiertagsregeln stehen in der Beschreibung.",
    }]
    assert [a["value"] for a in doc["attributes"]] == ["neuzugewanderte"]
    contact = doc["contacts"][0]
    assert (contact["name"], contact["email"]) == ("Erika Muster", "erika@cafe.example")
    validate("contact", contact)


def test_general_service_schedule_translation(client: Any, register: Any) -> None:
    doc = client.get(f"/api/hsds/services/{hsds_id('place_service', register.dueren.pk)}").json()
    validate("service", doc)
    got = {(s["byday"], s["opens_at"], s["closes_at"]) for s in doc["schedules"]}
    # "Mo-Fr 09:00-12:00; We 14:00-18:00": the later rule replaces Wednesday.
    assert got == {("MO,TU,TH,FR", "09:00", "12:00"), ("WE", "14:00", "18:00")}
    assert all(s["description"] == register.dueren.opening_hours for s in doc["schedules"])
    assert doc["service_at_locations"][0]["location"]["schedules"]


def test_untranslatable_schedule_keeps_only_description(client: Any, register: Any) -> None:
    offer = register.dueren.offers.get(title="Schuldnerberatung")
    doc = client.get(f"/api/hsds/services/{hsds_id('offer', offer.pk)}").json()
    validate("service", doc)
    (schedule,) = doc["schedules"]
    assert schedule["description"] == "Jan-Mar Mo 10:00-12:00"
    assert "freq" not in schedule
    assert "opens_at" not in schedule
    assert doc["fees_description"] == "5 € pro Termin"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo,We,Fr 10:00-12:00,14:00-16:00", {("MO,WE,FR", "10:00", "12:00"), ("MO,WE,FR", "14:00", "16:00")}),
        ("Sa-Mo 10:00-12:00", {("MO,SA,SU", "10:00", "12:00")}),
        ("Mo-Fr 08:00-16:00; Fr off", {("MO,TU,WE,TH", "08:00", "16:00")}),
        ("Mo 20:00-02:00", None),
        ("24/7", None),
        ('Mo 10:00-12:00 "nach Vereinbarung"', None),
    ],
)
def test_schedule_rules(text: str, expected: set | None) -> None:
    out = hsds_schedules(text, make_id=lambda n: hsds_id("offer_schedule", 1, n), link={"service_id": "x"})
    for item in out:
        validate("schedule", item)
    if expected is None:
        assert len(out) == 1
        assert set(out[0]) == {"id", "service_id", "description"}
    else:
        assert {(s["byday"], s["opens_at"], s["closes_at"]) for s in out} == expected


def test_service_filters(client: Any, register: Any) -> None:
    def names(**params: Any) -> set[str]:
        return {s["name"] for s in client.get("/api/hsds/services", params).json()["contents"]}

    term = hsds_id("taxonomy_term", register.offer.target_groups.get().pk)
    assert names(taxonomy_term_id=term) == {"Sprachcafé"}
    assert names(search="café") == {"Begegnungscafé Test Düren", "Sprachcafé"}
    assert names(organization_id=hsds_id("organization", register.verein.pk)) == {
        "Begegnungscafé Test Düren", "Sprachcafé", "Schuldnerberatung"}
    assert names(taxonomy_id=hsds_id("taxonomy", 99)) == set()
    assert names(modified_after="2999-01-01") == set()
    assert len(names(modified_after="2000-01-01T00:00:00Z")) == 5
    minimal = client.get("/api/hsds/services", {"minimal": "true"}).json()["contents"]
    assert all(set(s) == {"id", "name", "status"} for s in minimal)
    assert client.get("/api/hsds/services", {"format": "csv"}).status_code == 400
    assert client.get("/api/hsds/services", {"page": "x"}).status_code == 400


def test_organizations_and_taxonomy(client: Any, register: Any) -> None:
    orgs = client.get("/api/hsds/organizations").json()
    assert {o["name"] for o in orgs["contents"]} == {"AWO Kreisverband Düren (Testdaten)", "Nachbarschaftsverein Test"}
    for org in orgs["contents"]:
        validate("organization", org)
    one = client.get(f"/api/hsds/organizations/{hsds_id('organization', register.awo.pk)}").json()
    validate("organization", one)
    assert [loc["name"] for loc in one["locations"]] == ["Begegnungscafé Test Düren"]
    taxonomies = client.get("/api/hsds/taxonomies").json()
    validate("taxonomy", taxonomies["contents"][0])
    terms = client.get("/api/hsds/taxonomy_terms", {"per_page": 100}).json()
    assert {"kinder", "senioren"} <= {t["code"] for t in terms["contents"]}
    for t in terms["contents"]:
        validate("taxonomy_term", t)
    tid = terms["contents"][0]["id"]
    validate("taxonomy_term", client.get(f"/api/hsds/taxonomy_terms/{tid}").json())
    validate("taxonomy", client.get(f"/api/hsds/taxonomies/{taxonomies['contents'][0]['id']}").json())


def test_hsds_exposes_nothing_unpublished(client: Any, register: Any) -> None:
    assert client.get(f"/api/hsds/services/{hsds_id('place_service', register.hidden.pk)}").status_code == 404
    assert client.get(f"/api/hsds/services/{hsds_id('offer', register.hidden_offer.pk)}").status_code == 404
    assert client.get("/api/hsds/services/not-a-uuid").status_code == 404
    hidden_org = register.hidden.place_actors.get().organisation
    assert client.get(f"/api/hsds/organizations/{hsds_id('organization', hidden_org.pk)}").status_code == 404
    body = b"".join(client.get(u, {"full": "true", "per_page": 100}).content
                    for u in ("/api/hsds/services", "/api/hsds/organizations"))
    for secret in (b"privat@example.org", b"geheim@example.org", b"buerger@example.org", "Unveröffentlicht".encode(),
                   b"Verstecktes Angebot", b"Vorgeschlagener Ort"):
        assert secret not in body

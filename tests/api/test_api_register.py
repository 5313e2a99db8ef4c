"""The register's JSON list/detail (public list filters), areas, and the N+1 guard."""

from __future__ import annotations

from typing import Any

from begegnungsatlas.places.models import Place


def names(client: Any, **params: Any) -> list[str]:
    return [p["name"] for p in client.get("/api/places", params).json()["results"]]


def test_list_uses_public_list_filters(client: Any, register: Any) -> None:
    assert names(client) == ["Begegnungscafé Test Düren", "Digitaler Stammtisch Test",
                             "Nachbarschaftstreff Test Dortmund"]
    assert names(client, zielgruppe="kinder") == ["Nachbarschaftstreff Test Dortmund"]
    assert names(client, kommune="053580008008") == ["Begegnungscafé Test Düren"]
    assert names(client, q="sprachcafé") == ["Begegnungscafé Test Düren"]  # offer title
    assert names(client, status="planned") == ["Nachbarschaftstreff Test Dortmund"]
    assert names(client, art="virtual") == ["Digitaler Stammtisch Test"]
    assert names(client, angebote="1") == ["Begegnungscafé Test Düren"]
    assert names(client, gruppen="1") == ["Begegnungscafé Test Düren"]
    assert names(client, bbox="7,51,8,52") == ["Nachbarschaftstreff Test Dortmund"]
    # "open now": Dortmund is open around the clock, the virtual place never, Düren only at times.
    open_now = names(client, jetzt_offen="1")
    assert "Nachbarschaftstreff Test Dortmund" in open_now
    assert "Digitaler Stammtisch Test" not in open_now


def test_list_pagination(client: Any, register: Any) -> None:
    doc = client.get("/api/places", {"limit": 2}).json()
    assert (doc["count"], len(doc["results"])) == (3, 2)
    assert doc["next"]
    assert doc["previous"] is None
    doc2 = client.get(doc["next"].replace("http://testserver", "")).json()
    assert [p["name"] for p in doc2["results"]] == ["Nachbarschaftstreff Test Dortmund"]
    assert doc2["next"] is None
    assert doc2["previous"]


def test_list_has_no_n_plus_one(client: Any, register: Any, django_assert_max_num_queries: Any) -> None:
    Place.objects.bulk_create([Place(name=f"Synthetischer Ort {i}", lon=6.5, lat=50.8) for i in range(60)])
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/places", {"limit": 60}).json()["results"]) == 60
    with django_assert_max_num_queries(4):
        client.get("/api/places", {"limit": 60, "jetzt_offen": "1"})


def test_detail_and_unpublished(client: Any, register: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(8):
        doc = client.get(f"/api/places/{register.dueren.pk}").json()
    assert doc["contact"] == {"name": "Erika Muster", "email": "erika@cafe.example", "phone": "02421 123"}
    assert {a["role"] for a in doc["actors"]} == {"runs", "provides"}
    assert {o["title"] for o in doc["offers"]} == {"Sprachcafé", "Schuldnerberatung"}
    r = client.get(f"/api/places/{register.hidden.pk}")
    assert r.status_code == 404
    body = client.get("/api/places", {"limit": 1000}).content
    for secret in (b"privat@example.org", "Unveröffentlicht".encode(), b"buerger@example.org", b"Vorgeschlagener"):
        assert secret not in body


def test_areas(client: Any, regions: Any) -> None:
    doc = client.get("/api/areas", {"region": "kreis-dueren", "level": "kommune"}).json()
    assert doc["count"] == 15
    one = doc["results"][0]
    feat = client.get(f"/api/areas/{one['id']}").json()
    assert feat["type"] == "Feature"
    assert feat["properties"]["code"] == one["code"]
    assert client.get("/api/areas/999999").status_code == 404

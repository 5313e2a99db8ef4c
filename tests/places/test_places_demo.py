"""The places demo: Dortmund's real facilities and context layers, the labelled Kreis Düren examples."""

from __future__ import annotations

import pytest

from begegnungsatlas.places import demo
from begegnungsatlas.places.models import ContextFeature, Offer, Place

pytestmark = pytest.mark.django_db


def test_demo_loads_real_dortmund_places_layers_and_duren_examples() -> None:
    lines: list[str] = []
    demo.load(out=lines.append)

    dortmund = Place.objects.filter(source=demo.OPEN_DATA_DORTMUND)
    assert dortmund.count() == 53 + 83 + 16 + 14
    assert not dortmund.filter(is_example=True).exists()
    assert not dortmund.exclude(opening_hours="").exists()  # the files have none: none invented
    assert not Offer.objects.filter(place__in=dortmund).exists()
    assert dortmund.exclude(kommune__code="059130000000").count() == 0
    assert dortmund.exclude(area__level__slug="unterbezirk").count() == 0
    assert dortmund.filter(target_groups__slug="senioren").distinct().count() == 53 + 14
    assert dortmund.filter(target_groups__slug="jugendliche").distinct().count() == 83 + 2  # + 2 youth libraries

    sölde = Place.objects.get(name="AWO Begegnungsstätte Sölde")
    assert sölde.street == "Sölder Straße 148"
    assert sölde.city == "Dortmund"
    assert sölde.website == "http://www.awo-dortmund.de/begegnungsstaetten"
    assert sölde.place_actors.get().organisation.name == "AWO Dortmund"
    assert sölde.area.code == "442"
    assert Place.objects.get(name="Städtisches Begegnungszentrum Eving").place_actors.get().organisation.name \
        == "Stadt Dortmund"
    assert Place.objects.get(name="Stadtteilbibliothek Huckarde").place_actors.get().organisation.kind == "kommune"
    hombruch = Place.objects.get(name="Seniorenbüro Dortmund Hombruch")
    assert hombruch.source_id == "66d5ce03-4c21-4e63-a487-15000b552e87"
    assert hombruch.shared_building == "town_hall"
    assert not Place.objects.filter(name__icontains="Universitätsbibliothek").exists()  # not objektart Bibliothek

    layers = {
        layer: ContextFeature.objects.filter(layer=layer).count()
        for layer in ["kitas", "schulen", "tagespflege", "betreutes-wohnen", "spielplaetze", "wochenmaerkte",
                      "baeder", "gesundheit"]
    }
    assert layers == {"kitas": 333, "schulen": 183, "tagespflege": 26, "betreutes-wohnen": 31, "spielplaetze": 366,
                      "wochenmaerkte": 14, "baeder": 17, "gesundheit": 591}
    dorney = ContextFeature.objects.get(layer="schulen", name="Grundschule Am Dorney")
    assert dorney.area.code == "720"
    assert dorney.area.level.slug == "unterbezirk"
    assert dorney.kind == "Grundschule"
    assert dorney.street == "Kleybredde 38"
    assert ContextFeature.objects.filter(layer="gesundheit", kind="pharmacy").first().name == "Apotheke"

    examples = Place.objects.filter(is_example=True)
    assert 5 <= examples.count() <= 8
    assert all(p.name.startswith("Beispiel:") for p in examples)
    assert examples.filter(kommune__region__slug="kreis-dueren").count() == examples.count()
    assert examples.filter(status="potential").exists()
    assert examples.filter(status="planned").exists()
    assert examples.exclude(opening_hours="").exists()
    assert Offer.objects.filter(place__in=examples, title="Sprachcafé").exists()
    assert Offer.objects.filter(place__in=examples, title="Familienbüro").exists()
    assert all(pa.organisation.is_example for p in examples for pa in p.place_actors.all())
    assert any("Beispielorte Kreis Düren (CSV): 8 neu" in line for line in lines)

    # Loading again (``demo --reset``) finds every place as a duplicate and replaces the layers.
    total = Place.objects.count()
    demo.load(out=lines.append)
    assert Place.objects.count() == total
    assert ContextFeature.objects.filter(layer="kitas").count() == 333

"""The installation as data: name, letterhead, regions and map view come from settings, not from code."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import run_checks
from django.http import QueryDict
from django.test import override_settings
from django.urls import reverse

from begegnungsatlas.core import installation
from begegnungsatlas.core.checks import check_installation


def test_defaults_are_the_first_installation() -> None:
    now = installation.current()
    assert (now.name, now.letter_place, now.atlas_region) == ("Kreis Düren", "Düren", "dortmund")
    assert now.letterhead.startswith("Kreis Düren – ")
    assert now.default_map_view == installation.MapView(lat=51.1, lon=6.9, zoom=8)


@override_settings(BEGEGNUNGSATLAS_INSTALLATION_NAME="Kreis Euskirchen", BEGEGNUNGSATLAS_LETTERHEAD="Kreis Euskirchen – Sozialamt",
                   BEGEGNUNGSATLAS_LETTER_PLACE="Euskirchen", BEGEGNUNGSATLAS_REGION="kreis-euskirchen",
                   BEGEGNUNGSATLAS_ATLAS_REGION="kreis-euskirchen", BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW="50.66, 6.79, 10")
def test_another_kreis_is_a_matter_of_settings() -> None:
    now = installation.current()
    assert (now.name, now.letterhead, now.letter_place) == ("Kreis Euskirchen", "Kreis Euskirchen – Sozialamt",
                                                            "Euskirchen")
    assert (now.region, now.atlas_region) == ("kreis-euskirchen", "kreis-euskirchen")
    assert str(now.default_map_view) == "50.66,6.79,10"


@pytest.mark.parametrize("value", ["6.9,51.1", "51.1,6.9,8,1", "a,b,c", "95,6.9,8", "51.1,6.9,8.5", "51.1,6.9,25", ""])
def test_check_reports_a_malformed_map_view(value: str) -> None:
    with override_settings(BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW=value):
        errors = check_installation()
        assert [e.id for e in errors] == ["begegnungsatlas.E001"]
        assert "BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW" in errors[0].msg
        assert errors[0] in run_checks()  # registered with Django's system checks
        # the pages keep working with the built-in view
        assert installation.current().default_map_view == installation.MapView(51.1, 6.9, 8)


def test_check_is_quiet_for_good_settings() -> None:
    assert check_installation() == []
    with override_settings(BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW="50.8,6.48,10"):
        assert check_installation() == []


@override_settings(BEGEGNUNGSATLAS_LETTER_PLACE=" ")
def test_check_reports_an_empty_letter_place() -> None:
    assert [e.id for e in check_installation()] == ["begegnungsatlas.E002"]


@pytest.mark.django_db
def test_pages_carry_the_configured_map_view(client: Any) -> None:
    with override_settings(BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW="50.66,6.79,10"):
        page = client.get(reverse("places:map")).content.decode()
    assert 'data-map-view="50.66,6.79,10"' in page


@pytest.mark.django_db
def test_atlas_opens_with_the_configured_region(regions: Any) -> None:
    from begegnungsatlas.atlas.views.params import map_query

    assert map_query(QueryDict(""), None).region.slug == "dortmund"
    with override_settings(BEGEGNUNGSATLAS_ATLAS_REGION="kreis-dueren"):
        assert map_query(QueryDict(""), None).region.slug == "kreis-dueren"

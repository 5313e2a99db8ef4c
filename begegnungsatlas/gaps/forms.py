"""Forms of the gap analysis page; choices come from the database so every value is checked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.atlas.models import AreaLevel
from begegnungsatlas.places.models import TargetGroup

from .groups import group_choices
from .models import OSM_ATTRIBUTION, GridKind, NetworkStatus, PopulationGrid, WalkingNetwork

METHOD_CHOICES = [
    ("nearest", _("Entfernung zum nächsten Ort")),
    ("coverage", _("Versorgungsgrad im Umkreis")),
    ("2sfca", _("2SFCA (Angebot je Person, mit Konkurrenz)")),
    ("e2sfca", _("E2SFCA (wie 2SFCA, Entfernung abgestuft)")),
]


class NetworkChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _("Fußweg (Wegenetz): %(name)s – %(region)s") % {"name": obj.name, "region": obj.region.name}


def network_field(*, help_text: Any) -> NetworkChoiceField:
    """How distances are measured: straight line (empty) or one of the READY walking networks.

    The choice lists the networks of every region; each form checks in ``clean`` that the chosen one belongs to
    its region (the analysis and the bundling page share this field)."""
    return NetworkChoiceField(
        WalkingNetwork.objects.filter(status=NetworkStatus.READY).select_related("region"), required=False,
        empty_label=_("Luftlinie"), label=_("Entfernung messen als"), help_text=help_text,
    )


class GapForm(forms.Form):
    grid = forms.ModelChoiceField(PopulationGrid.objects.select_related("region"), label=_("Bevölkerungsraster"))
    group = forms.ChoiceField(choices=group_choices, label=_("Zielgruppe"))
    place_groups = forms.ModelMultipleChoiceField(
        TargetGroup.objects.order_by("sort"), to_field_name="slug", required=False,
        label=_("Orte für (Zielgruppen der Orte)"),
        help_text=_("Leer lassen: die zur Zielgruppe passenden Orte."),
        widget=forms.CheckboxSelectMultiple,
    )
    open_at = forms.DateTimeField(
        required=False, label=_("nur Orte, die dann geöffnet sind"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    method = forms.ChoiceField(choices=METHOD_CHOICES, label=_("Methode"), initial="coverage")
    radius = forms.IntegerField(min_value=100, max_value=20_000, initial=1000, label=_("Entfernung (m)"))
    network = network_field(
        help_text=_("Fußweg: kürzester Weg im importierten OSM-Wegenetz. Zellen und Orte außerhalb des Wegenetzes "
                    "werden nicht bewertet und gezählt."),
    )
    level = forms.ModelChoiceField(AreaLevel.objects.filter(rank__gt=0, grid_size_m__isnull=True),
                                   label=_("Gebiete"))
    siting_p = forms.TypedChoiceField(
        choices=[("", _("keine")), ("1", "1"), ("2", "2"), ("3", "3")], coerce=int, required=False,
        empty_value=None, label=_("Wohin sollen neue Orte? Anzahl"),
    )
    siting_method = forms.ChoiceField(
        choices=[("mclp", _("MCLP: die meisten Personen im Umkreis erreichen")),
                 ("pmedian", _("p-Median: mittlere Entfernung am stärksten verkürzen")),
                 ("lscp", _("LSCP: wie viele neue Orte mindestens, damit alle im Umkreis sind?"))],
        initial="mclp", required=False, label=_("Verfahren der Standortwahl"),
        help_text=_("Bestehende Orte bleiben fest. LSCP nutzt die Entfernung oben als Versorgungsstandard und "
                    "braucht keine Anzahl."),
    )
    candidates = forms.FileField(
        required=False, label=_("eigene Standortkandidaten (CSV mit name, lon, lat)"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        grid, level = data.get("grid"), data.get("level")
        if grid and level and level.region_id != grid.region_id:
            self.add_error("level", _("Die Gebietsebene gehört nicht zur Region des Rasters."))
        network = data.get("network")
        if grid and network and network.region_id != grid.region_id:
            self.add_error("network", _("Das Wegenetz gehört nicht zur Region des Rasters."))
        data["siting_method"] = data.get("siting_method") or "mclp"
        return data

    @property
    def wants_siting(self) -> bool:
        return bool(self.cleaned_data.get("siting_p")) or self.cleaned_data.get("siting_method") == "lscp"


class ScenarioNameForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name des Szenarios"))


class GridUploadForm(forms.Form):
    region: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Region"))
    name = forms.CharField(max_length=200, label=_("Name"))
    data_year = forms.IntegerField(min_value=1950, max_value=2100, label=_("Datenjahr"))
    source = forms.CharField(max_length=300, label=_("Quelle"))
    licence = forms.CharField(max_length=300, required=False, label=_("Lizenz"))
    file = forms.FileField(label=_("Datei (CSV, XLSX oder GeoJSON mit INSPIRE-Zellen-ID)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from begegnungsatlas.atlas.models import Region

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(is_reference=False)  # type: ignore[attr-defined]


class AreaTableUploadForm(forms.Form):
    """A table of counts per area (e.g. persons 65+ per Kommune) as need; spread onto cells on import."""

    region: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Region"))
    level = forms.ModelChoiceField(AreaLevel.objects.filter(rank__gt=0, grid_size_m__isnull=True)
                                   .select_related("region"), label=_("Gebietsebene der Tabelle"))
    name = forms.CharField(max_length=200, label=_("Name"))
    data_year = forms.IntegerField(min_value=1950, max_value=2100, label=_("Datenjahr"))
    source = forms.CharField(max_length=300, label=_("Quelle"))
    licence = forms.CharField(max_length=300, required=False, label=_("Lizenz"))
    key_column = forms.CharField(max_length=100, required=False, label=_("Schlüsselspalte"),
                                 help_text=_("Leer lassen: ars, ags, code, unbeznr oder name wird erkannt."))
    columns = forms.CharField(
        max_length=500, required=False, label=_("Zahlenspalten"),
        help_text=_("z. B. „Einwohner=insgesamt; ab65“ (Tabellenspalte=Spalte der Zielgruppe). Leer lassen: alle "
                    "übrigen Spalten. Spalten der Zielgruppen: insgesamt, ab65, unter18, eu27_land, "
                    "sonstiges_europa, sonstige_welt."),
    )
    weight_grid = forms.ModelChoiceField(
        PopulationGrid.objects.filter(kind=GridKind.GRID).select_related("region"), required=False,
        empty_label=_("keines: gleichmäßig in der Fläche"), label=_("Verteilen nach Bevölkerungsraster"),
        help_text=_("Die Zahlen eines Gebiets werden auf seine Rasterzellen verteilt, im Verhältnis zu deren "
                    "Einwohnern (Spalte insgesamt); Gebiete ohne Einwohner im Raster gleichmäßig in der Fläche."),
    )
    skip_outside = forms.BooleanField(
        required=False, label=_("Zeilen zu Gebieten außerhalb der Region überspringen"),
        help_text=_("z. B. eine bundesweite Tabelle je Gemeinde; sonst wird jede unbekannte Zeile als Fehler "
                    "gemeldet."),
    )
    file = forms.FileField(label=_("Datei (CSV, XLSX oder GeoJSON, eine Zeile je Gebiet)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from begegnungsatlas.atlas.models import Region

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(is_reference=False)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region, level, grid = data.get("region"), data.get("level"), data.get("weight_grid")
        if region and level and level.region_id != region.pk:
            self.add_error("level", _("Die Gebietsebene gehört nicht zur gewählten Region."))
        if region and grid and grid.region_id != region.pk:
            self.add_error("weight_grid", _("Das Raster gehört nicht zur gewählten Region."))
        return data


class BundlingForm(forms.Form):
    region: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Region"))
    group = forms.ModelChoiceField(TargetGroup.objects.order_by("sort"), required=False, label=_("Zielgruppe"),
                                   empty_label=_("alle Zielgruppen"))
    radius = forms.IntegerField(min_value=100, max_value=5000, initial=800, label=_("Gehentfernung (m)"))
    network = network_field(
        help_text=_("Fußweg: kürzester Weg im importierten OSM-Wegenetz. Orte außerhalb des Wegenetzes werden "
                    "nicht berücksichtigt und unter dem Ergebnis genannt."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from begegnungsatlas.atlas.models import Region

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(is_reference=False)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region, network = data.get("region"), data.get("network")
        if region and network and network.region_id != region.pk:
            self.add_error("network", _("Das Wegenetz gehört nicht zur gewählten Region."))
        return data


class NetworkUploadForm(forms.Form):
    region: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Region"))
    name = forms.CharField(max_length=200, label=_("Name"))
    source = forms.CharField(max_length=300, label=_("Quelle"), help_text=_("z. B. Geofabrik-Auszug, Overpass-Abfrage"))
    data_date = forms.CharField(max_length=60, required=False, label=_("Datenstand"))
    licence = forms.CharField(max_length=300, initial=OSM_ATTRIBUTION, label=_("Lizenz / Namensnennung"))
    file = forms.FileField(label=_("OpenStreetMap-Auszug (.osm, .osm.gz oder .osm.pbf)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from begegnungsatlas.atlas.models import Region

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(is_reference=False)  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    """Publish (``1``) or withdraw (``0``) a saved scenario."""

    published = forms.TypedChoiceField(choices=[("0", "0"), ("1", "1")], coerce=lambda v: v == "1")

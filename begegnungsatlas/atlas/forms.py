"""Forms of the atlas import dialog: they parse and check what the planner sent; services do the work.

The templates keep their own markup (the mapping table is built from the file's columns), so the forms serve as the
one parser of the POST data: ``form.is_valid()`` and ``cleaned_data``, never ``request.POST.get`` in the views.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.http import error_messages

from .models import AreaLevel, Indicator, IndicatorKind, Region
from .services.tables import Table
from .services.values_import import Mapping, genesis_mapping

ENCODINGS = [("auto", _("automatisch (UTF-8 oder Windows-1252)")), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
LEVEL_REQUIRED = _("Bitte eine Gebietsebene wählen.")


def form_error_text(form: forms.Form) -> str:
    """All errors of a form as one German sentence list (for the pages that show one error box)."""
    return " ".join(error_messages(form))


class _Encoding(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ENCODINGS, required=False, **kwargs)

    def clean(self, value: Any) -> str:
        return str(super().clean(value) or "auto")


class UploadForm(forms.Form):
    art = forms.ChoiceField(choices=[("werte", _("Indikatorwerte")), ("grenzen", _("Gebietsgrenzen"))], required=False)
    datei = forms.FileField(error_messages={"required": _("Bitte eine Datei auswählen.")})
    kodierung = _Encoding()

    def clean_art(self) -> str:
        return str(self.cleaned_data.get("art") or "werte")

    def clean_datei(self) -> Any:
        f = self.cleaned_data["datei"]
        limit = int(getattr(settings, "BEGEGNUNGSATLAS_MAX_IMPORT_BYTES", 50 * 1024 * 1024))
        if (f.size or 0) > limit:
            raise forms.ValidationError(_("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": limit // (1024 * 1024)})
        return f


class EncodingForm(forms.Form):
    """The encoding chosen at upload, carried through the later steps (query string or hidden field)."""

    kodierung = _Encoding()


class ValuesMappingForm(forms.Form):
    """How the columns of a values file map onto areas, indicators and periods."""

    ebene = forms.ModelChoiceField(queryset=AreaLevel.objects.all(), error_messages={
        "required": LEVEL_REQUIRED, "invalid_choice": LEVEL_REQUIRED})
    layout = forms.ChoiceField(choices=[("long", "long"), ("wide", "wide"), ("genesis", "genesis")], required=False)
    indikator = forms.CharField(required=False)
    gebietsspalte = forms.CharField(required=False)
    zuordnung = forms.ChoiceField(choices=[("code", _("Schlüssel")), ("name", _("Name"))], required=False)
    dezimal = forms.ChoiceField(choices=[("de", "1.234,5"), ("en", "1,234.5")], required=False)
    wertspalte = forms.CharField(required=False)
    indikatorspalte = forms.CharField(required=False)
    indikatorwert = forms.CharField(required=False)
    zeichenspalte = forms.CharField(required=False)
    zeitspalte = forms.CharField(required=False)
    zeitpunkt = forms.CharField(required=False)
    ueberspringen = forms.BooleanField(required=False)
    andere_ignorieren = forms.BooleanField(required=False)
    ersetzen = forms.BooleanField(required=False)
    bestaetigung = forms.CharField(required=False)

    def __init__(self, *args: Any, table: Table, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        for i, _col in enumerate(table.header):
            self.fields[f"spalte_{i}"] = forms.CharField(required=False)

    def mapping(self, indicators: dict[str, Indicator]) -> Mapping:
        """The mapping for ``values_import``; call after ``is_valid()``."""
        d = self.cleaned_data
        level: AreaLevel = d["ebene"]
        layout = d["layout"] or "long"
        fixed = indicators.get(d["indikator"])
        if layout == "genesis":
            return genesis_mapping(self.table, level=level, indicator=fixed, skip_unmatched=d["ueberspringen"])
        value_columns = {}
        if layout == "wide":
            for i, col in enumerate(self.table.header):
                slug = d.get(f"spalte_{i}", "")
                if slug and slug in indicators:
                    value_columns[col] = indicators[slug]
        indicator_value = d["indikatorwert"].strip()
        return Mapping(
            level=level, area_column=d["gebietsspalte"], layout=layout, match_by=d["zuordnung"] or "code",
            decimal=d["dezimal"] or "de", value_column=d["wertspalte"], indicator_column=d["indikatorspalte"],
            indicator=fixed if not d["indikatorspalte"] or indicator_value else None,
            flag_column=d["zeichenspalte"], value_columns=value_columns, period_column=d["zeitspalte"],
            period=d["zeitpunkt"], skip_unmatched=d["ueberspringen"], indicator_value=indicator_value,
            ignore_other_indicators=d["andere_ignorieren"],
        )


class IndicatorCreateForm(forms.Form):
    """A new indicator created from the import dialog (``services.catalogue.indicator_create`` checks the rest)."""

    neu_titel = forms.CharField(required=False)
    neu_einheit = forms.CharField(required=False)
    neu_art = forms.ChoiceField(choices=IndicatorKind.choices, required=False)
    neu_quelle = forms.CharField(required=False)
    neu_lizenz = forms.CharField(required=False)

    def create_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"title": d["neu_titel"], "unit": d["neu_einheit"], "kind": d["neu_art"] or IndicatorKind.VALUE,
                "source": d["neu_quelle"], "licence": d["neu_lizenz"]}


class BoundariesMappingForm(forms.Form):
    """Which fields of a boundary file hold the key, the name and the parent, and from when the areas are valid."""

    ebene = forms.ModelChoiceField(queryset=AreaLevel.objects.all(), error_messages={
        "required": LEVEL_REQUIRED, "invalid_choice": LEVEL_REQUIRED})
    gueltig_ab = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d.%m.%Y"],
                                 error_messages={"invalid": _("„Gültig ab“ ist kein Datum (JJJJ-MM-TT).")})
    schluessel = forms.CharField(required=False)
    name = forms.CharField(required=False)
    schluessel_wert = forms.CharField(required=False)
    name_wert = forms.CharField(required=False)
    oberes = forms.CharField(required=False)
    quelle = forms.CharField(required=False)

    def valid_from(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["gueltig_ab"]
        return value


class AreaLevelCreateForm(forms.Form):
    """A new area level (and, if needed, region) created from the boundaries import dialog."""

    neu_ebene = forms.CharField(required=False)
    neu_ebene_mehrzahl = forms.CharField(required=False)
    neu_region = forms.ModelChoiceField(queryset=Region.objects.all(), required=False)
    neu_region_name = forms.CharField(required=False)


class DialogActionForm(forms.Form):
    """Which button of the import dialog was pressed: create an indicator or an area level first, or import."""

    aktion = forms.ChoiceField(choices=[("", ""), ("indikator_anlegen", _("Indikator anlegen")),
                                        ("ebene_anlegen", _("Gebietsebene anlegen"))], required=False)

    @classmethod
    def chosen(cls, request_post: Any) -> str:
        form = cls(request_post)
        return str(form.cleaned_data["aktion"]) if form.is_valid() else ""

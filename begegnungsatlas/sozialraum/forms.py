"""Forms of the Sozialraum pages; choices come from the database so every value is checked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.atlas.models import AreaLevel, Indicator

from .models import Method


class ProposeForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name des Vorschlags"))
    base_level = forms.ModelChoiceField(
        AreaLevel.objects.filter(composed_of__isnull=True, rank__gt=0, region__is_reference=False)
        .select_related("region").order_by("region__name", "rank"),
        label=_("Bausteine (Gebietsebene)"),
    )
    indicators = forms.ModelMultipleChoiceField(
        Indicator.objects.filter(is_internal=False).order_by("sort", "title"), to_field_name="slug",
        label=_("Indikatoren, in denen Sozialräume ähnlich sein sollen"),
    )
    weights = forms.CharField(
        required=False, max_length=500, label=_("Gewichte (optional)"),
        help_text=_("z. B. „kinderarmut=2; altersarmut=1“; nicht genannte Indikatoren zählen 1."),
    )
    period = forms.CharField(max_length=20, label=_("Zeitpunkt"), help_text=_("z. B. 2024 oder 2022-05-15"))
    method = forms.ChoiceField(choices=Method.choices, label=_("Verfahren"), initial=Method.MAXP)
    population_indicator = forms.ModelChoiceField(
        Indicator.objects.filter(kind="count").order_by("sort", "title"), required=False, to_field_name="slug",
        label=_("Einwohnerindikator (für die Mindestgröße)"),
    )
    min_population = forms.IntegerField(required=False, min_value=1, label=_("Mindestzahl Einwohner je Sozialraum"))
    min_units = forms.IntegerField(required=False, min_value=1, label=_("oder: Mindestzahl Bausteine je Sozialraum"))
    n_regions = forms.IntegerField(required=False, min_value=1, max_value=5000,
                                   label=_("Zahl der Sozialräume (SKATER, Ward)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weights: dict[str, float] = {}
        for part in (data.get("weights") or "").replace(",", ";").split(";"):
            if not part.strip():
                continue
            slug, _sep, raw = part.partition("=")
            try:
                weights[slug.strip()] = float(raw.strip())
            except ValueError:
                self.add_error("weights", _("„%(part)s“ ist kein Gewicht (Form: kürzel=2).") % {"part": part.strip()})
        data["weight_map"] = weights
        return data


class SeriesForm(forms.Form):
    series = forms.CharField(max_length=100, label=_("Name der Sozialraumgliederung"))


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("beschlossen am"), widget=forms.DateInput(attrs={"type": "date"}))


class MoveForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.CharField(max_length=32, label=_("verschieben nach"))


class MergeForm(forms.Form):
    code = forms.CharField(max_length=32, label=_("Sozialraum"))
    other = forms.CharField(max_length=32, label=_("zusammenfassen mit"))


class SplitForm(forms.Form):
    code = forms.CharField(max_length=32, label=_("Sozialraum"))
    units = forms.TypedMultipleChoiceField(coerce=int, label=_("Bausteine für den neuen Sozialraum"))
    new_name = forms.CharField(max_length=200, label=_("Name des neuen Sozialraums"))

    def __init__(self, *args: Any, unit_choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = unit_choices or []  # type: ignore[attr-defined]


class RenameForm(forms.Form):
    code = forms.CharField(max_length=32, widget=forms.HiddenInput)
    name = forms.CharField(max_length=200, label=_("neuer Name"))


class ReportForm(forms.Form):
    kind = forms.ChoiceField(choices=[("sozialraumbericht", _("Sozialraumbericht")), ("datencheck", _("Datencheck"))],
                             label=_("Bericht"),
                             help_text=_("Der Datencheck zeigt die Altersstruktur aus einem eingespielten "
                                         "Bevölkerungsraster mit Altersklassen (Lückenanalyse, z. B. Zensus 2011)."))
    title = forms.CharField(max_length=200, label=_("Titel"))
    indicators = forms.ModelMultipleChoiceField(
        Indicator.objects.filter(is_internal=False).order_by("sort", "title"), to_field_name="slug",
        label=_("Indikatoren"),
    )
    period_from = forms.CharField(max_length=20, label=_("Zeitraum von"))
    period_to = forms.CharField(max_length=20, label=_("bis"))


class EditCheckForm(forms.Form):
    """``check=1`` (htmx): only say whether the hand edit would pass the checks; nothing is saved."""

    check = forms.BooleanField(required=False)

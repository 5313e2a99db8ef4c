"""Forms of the Werkzeugkatalog; views never read POST data by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.atlas.models import Area, Indicator
from begegnungsatlas.core.typing import ModelForm
from begegnungsatlas.funding.models import Call
from begegnungsatlas.places.models import Organisation, Place, TargetGroup

from .models import CostKind, Handlungsfeld, Measure, MeasureKind, SheetStatus


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Suche"), required=False, max_length=200)
    feld = forms.ModelChoiceField(label=_("Handlungsfeld"), queryset=Handlungsfeld.objects.all(), required=False,
                                  to_field_name="slug", empty_label=_("alle"))
    art = forms.ChoiceField(label=_("Art"), required=False, choices=[("", _("alle")), *MeasureKind.choices])
    zielgruppe = forms.ModelChoiceField(label=_("Zielgruppe"), queryset=TargetGroup.objects.all(), required=False,
                                        to_field_name="slug", empty_label=_("alle"))
    gebiet = forms.ModelChoiceField(label=_("Gebiet"), required=False, empty_label=_("alle"),
                                    queryset=Area.objects.filter(level__rank__lte=1, region__is_reference=False)
                                    .select_related("level"))


class HandlungsfeldForm(ModelForm[Handlungsfeld]):
    class Meta:
        model = Handlungsfeld
        fields = ["name", "slug", "zukunftsbild", "sort"]
        widgets = {"zukunftsbild": forms.Textarea(attrs={"rows": 6})}

    def _post_clean(self) -> None:  # the service validates and saves
        return None


class MeasureForm(ModelForm[Measure]):
    class Meta:
        model = Measure
        fields = ["handlungsfeld", "number", "title", "kind", "description", "target_groups", "areas", "places",
                  "responsible_office", "partner_kommunen", "partner_organisations", "funding_calls", "is_published"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "target_groups": forms.CheckboxSelectMultiple,
            "partner_kommunen": forms.CheckboxSelectMultiple,
            "areas": forms.SelectMultiple(attrs={"size": 8}),
            "places": forms.SelectMultiple(attrs={"size": 8}),
            "partner_organisations": forms.SelectMultiple(attrs={"size": 6}),
            "funding_calls": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["target_groups"].queryset = TargetGroup.objects.all()
        fields["areas"].queryset = Area.objects.filter(level__rank__in=[1, 2], region__is_reference=False) \
            .select_related("level").order_by("level__rank", "name")
        fields["places"].queryset = Place.objects.filter(is_published=True).order_by("name")
        fields["partner_kommunen"].queryset = Area.objects.filter(level__is_municipality=True,
                                                                 region__is_reference=False).order_by("name")
        fields["partner_organisations"].queryset = Organisation.objects.order_by("name")
        fields["funding_calls"].queryset = Call.objects.order_by("-opens_at", "title")

    def _post_clean(self) -> None:  # the service validates and saves
        return None


class LinkForm(forms.Form):
    title = forms.CharField(label=_("Bezeichnung"), required=False, max_length=200)
    url = forms.URLField(label=_("Adresse"), required=False, assume_scheme="https")


LinkFormSet = forms.formset_factory(LinkForm, extra=2, can_delete=True, max_num=20, validate_max=True)


class SheetForm(forms.Form):
    goals = forms.CharField(label=_("Ziele"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    resources = forms.CharField(label=_("Ressourcen"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=SheetStatus.choices)


class CostLineForm(forms.Form):
    item = forms.CharField(label=_("Posten"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=CostKind.choices, initial=CostKind.OTHER)
    amount = forms.DecimalField(label=_("Betrag (Euro)"), min_value=Decimal(0), max_digits=12, decimal_places=2,
                                localize=True)
    note = forms.CharField(label=_("Anmerkung"), required=False, max_length=300)


class StepForm(forms.Form):
    title = forms.CharField(label=_("Schritt"), max_length=300)
    owner = forms.CharField(label=_("verantwortlich"), required=False, max_length=200)
    start = forms.DateField(label=_("Beginn"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Ende"), widget=forms.DateInput(attrs={"type": "date"}))
    is_done = forms.BooleanField(label=_("erledigt"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("Das Ende liegt vor dem Beginn."))
        return cleaned


class SuccessIndicatorForm(forms.Form):
    description = forms.CharField(label=_("Erfolgsindikator"), max_length=300)
    indicator = forms.ModelChoiceField(label=_("Indikator im Atlas"), required=False,
                                       queryset=Indicator.objects.filter(is_internal=False))
    target = forms.CharField(label=_("Zielwert"), required=False, max_length=100)


CostLineFormSet = forms.formset_factory(CostLineForm, extra=2, can_delete=True, max_num=50, validate_max=True)
StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True, max_num=100, validate_max=True)
SuccessIndicatorFormSet = forms.formset_factory(SuccessIndicatorForm, extra=1, can_delete=True, max_num=30,
                                                validate_max=True)


def formset_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled, not deleted rows of a valid formset."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class StepAddForm(StepForm):
    """Partners add a step (without marking it done)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["is_done"]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Fortschrittsnotiz"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class StepDoneForm(forms.Form):
    step = forms.IntegerField(widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)

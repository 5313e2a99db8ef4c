"""Forms: the public filter, the suggestion form, the editor's place form with offer and actor formsets."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.atlas.selectors.areas import kommunen
from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import Actor, has_role
from begegnungsatlas.core.typing import ModelForm

from . import opening_hours
from .models import (
    Offer,
    Place,
    PlaceActor,
    PlaceKind,
    PlaceStatus,
    Quality,
    Suggestion,
    SuggestionKind,
    TargetGroup,
    Wheelchair,
)


def https_urls(field: Any, **kwargs: Any) -> Any:
    from django.db import models

    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


LON_HELP = _("Dezimalgrad (WGS 84) östlicher Länge, mit Punkt, z. B. 6.4836")
LAT_HELP = _("Dezimalgrad (WGS 84) nördlicher Breite, mit Punkt, z. B. 50.8048")


class PlaceFilterForm(forms.Form):
    """Only renders the controls; the query itself is parsed by ``PlaceFilter.from_params``."""

    q = forms.CharField(label=_("Suche"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, Ort, Angebot …")}))
    kommune = forms.ChoiceField(label=_("Kommune"), required=False)
    zielgruppe = forms.MultipleChoiceField(label=_("Zielgruppen"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    art = forms.ChoiceField(label=_("Art"), required=False,
                            choices=[("", _("alle"))] + list(PlaceKind.choices))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("alle"))] + list(PlaceStatus.choices))
    rollstuhl = forms.ChoiceField(label=_("Rollstuhl"), required=False,
                                  choices=[("", _("egal"))] + [c for c in Wheelchair.choices if c[0] != "unknown"])
    jetzt_offen = forms.BooleanField(label=_("jetzt geöffnet"), required=False)
    angebote = forms.BooleanField(label=_("mit Angeboten"), required=False)
    gruppen = forms.BooleanField(label=_("Raum für freie Gruppen"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kommune"]).choices = (
            [("", _("alle Kommunen"))] + [(k.code, k.name) for k in kommunen()])
        cast(forms.MultipleChoiceField, self.fields["zielgruppe"]).choices = [
            (t.slug, str(t)) for t in TargetGroup.objects.all()]


def _validate_hours(value: str) -> str:
    try:
        return opening_hours.validate(value or "")
    except opening_hours.OpeningHoursError as exc:
        raise forms.ValidationError(str(exc)) from exc


class _PointMixin:
    def _clean_point(self, cleaned: dict[str, Any]) -> None:
        lon, lat = cleaned.get("lon"), cleaned.get("lat")
        if (lon is None) != (lat is None):
            self.add_error("lat" if lat is None else "lon",  # type: ignore[attr-defined]
                           _("Bitte geben Sie Längen- und Breitengrad gemeinsam an."))


class PlaceForm(_PointMixin, ModelForm[Place]):
    class Meta:
        model = Place
        formfield_callback = https_urls
        fields = [
            "name", "description", "kind", "status", "street", "postcode", "city", "lon", "lat", "virtual_url",
            "shared_building", "shared_building_note", "contact_name", "contact_email", "contact_phone",
            "target_groups", "qualities", "opening_hours", "wheelchair", "wheelchair_description",
            "open_for_groups", "website", "capacity", "is_published", "is_example",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "target_groups": forms.CheckboxSelectMultiple,
            "qualities": forms.CheckboxSelectMultiple,
            "lon": forms.NumberInput(attrs={"step": "0.000001", "min": "-180", "max": "180"}),
            "lat": forms.NumberInput(attrs={"step": "0.000001", "min": "-90", "max": "90"}),
        }
        help_texts = {"lon": LON_HELP, "lat": LAT_HELP}

    def __init__(self, *args: Any, user: Actor = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target_groups = cast("forms.ModelMultipleChoiceField[TargetGroup]", self.fields["target_groups"])
        target_groups.queryset = TargetGroup.objects.all()
        qualities = cast("forms.ModelMultipleChoiceField[Quality]", self.fields["qualities"])
        qualities.queryset = Quality.objects.all()
        # Only the district planners decide what is published and what is example data.
        if not has_role(user, Role.PLANNER):
            del self.fields["is_published"]
            del self.fields["is_example"]

    def clean_opening_hours(self) -> str:
        return _validate_hours(self.cleaned_data.get("opening_hours", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_point(cleaned)
        return cleaned

    def _post_clean(self) -> None:
        # The service validates and writes; the model instance is not touched here.
        return None

    def service_data(self) -> dict[str, Any]:
        skip = {"target_groups", "qualities"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class OfferForm(ModelForm[Offer]):
    class Meta:
        model = Offer
        fields = ["title", "category", "description", "schedule", "target_groups", "is_free", "cost_note",
                  "organisation"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "target_groups": forms.CheckboxSelectMultiple,
        }

    def has_changed(self) -> bool:
        # A new, untitled row is the empty "add another" row even if a checkbox was toggled: skip it.
        if self.instance.pk is None and not (self.data.get(self.add_prefix("title")) or "").strip():
            return False
        return super().has_changed()

    def clean_schedule(self) -> str:
        return _validate_hours(self.cleaned_data.get("schedule", ""))

    def _post_clean(self) -> None:
        return None


class ActorForm(ModelForm[PlaceActor]):
    class Meta:
        model = PlaceActor
        fields = ["organisation", "role"]

    def _post_clean(self) -> None:
        return None


OfferFormSet = inlineformset_factory(Place, Offer, form=OfferForm, extra=1, can_delete=True)
ActorFormSet = inlineformset_factory(Place, PlaceActor, form=ActorForm, extra=1, can_delete=True)


def offers_from_formset(formset: Any) -> list[dict[str, Any]]:
    items = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        data = form.cleaned_data
        if not data:
            continue
        items.append({
            "id": form.instance.pk,
            "delete": bool(data.get("DELETE")),
            "data": {k: data.get(k) for k in ("title", "category", "description", "schedule", "is_free",
                                               "cost_note")},
            "target_groups": list(data.get("target_groups") or []),
            "organisation": data.get("organisation"),
        })
    return items


def actors_from_formset(formset: Any) -> list[tuple[Any, str]]:
    out = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or not data.get("organisation") or not data.get("role"):
            continue
        out.append((data["organisation"], data["role"]))
    return out


class SuggestionForm(_PointMixin, ModelForm[Suggestion]):
    # Honeypot: hidden from people (CSS and aria-hidden), bots fill it in.
    homepage = forms.CharField(label=_("Bitte leer lassen"), required=False)

    class Meta:
        model = Suggestion
        fields = ["kind", "name", "description", "street", "postcode", "city", "lon", "lat", "target_groups",
                  "submitter_name", "submitter_email"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
            "target_groups": forms.CheckboxSelectMultiple,
            "lon": forms.NumberInput(attrs={"step": "0.000001"}),
            "lat": forms.NumberInput(attrs={"step": "0.000001"}),
        }
        help_texts = {"lon": LON_HELP, "lat": LAT_HELP}

    def __init__(self, *args: Any, correction: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target_groups = cast("forms.ModelMultipleChoiceField[TargetGroup]", self.fields["target_groups"])
        target_groups.queryset = TargetGroup.objects.all()
        kind = cast(forms.ChoiceField, self.fields["kind"])
        if correction:
            kind.choices = [(SuggestionKind.CORRECTION, SuggestionKind.CORRECTION.label)]
            self.fields["kind"].initial = SuggestionKind.CORRECTION
            self.fields["description"].label = _("Was ist zu korrigieren?")
        else:
            kind.choices = [c for c in SuggestionKind.choices if c[0] != SuggestionKind.CORRECTION]
            self.fields["kind"].initial = SuggestionKind.NEW_PLACE
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_point(cleaned)
        return cleaned

    def _post_clean(self) -> None:
        return None


class ModerationAcceptForm(_PointMixin, forms.Form):
    """What the moderator may change before accepting."""

    name = forms.CharField(label=_("Name des Ortes"), max_length=300)
    description = forms.CharField(label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    street = forms.CharField(label=_("Straße und Hausnummer"), required=False, max_length=200)
    postcode = forms.CharField(label=_("PLZ"), required=False, max_length=10)
    city = forms.CharField(label=_("Ort"), required=False, max_length=100)
    lon = forms.FloatField(label=_("Längengrad"), required=False, help_text=LON_HELP)
    lat = forms.FloatField(label=_("Breitengrad"), required=False, help_text=LAT_HELP)
    kind = forms.ChoiceField(label=_("Art"), choices=PlaceKind.choices, initial=PlaceKind.PHYSICAL)
    target_groups = forms.ModelMultipleChoiceField(label=_("Zielgruppen"), required=False,
                                                   queryset=TargetGroup.objects.all(),
                                                   widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Notiz zur Moderation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_point(cleaned)
        return cleaned


class ModerationRejectForm(forms.Form):
    reason = forms.CharField(label=_("Begründung der Ablehnung"), widget=forms.Textarea(attrs={"rows": 3}))


class PlaceRefForm(forms.Form):
    """``ort``: the published place a correction suggestion is about (query string or form field)."""

    ort = forms.IntegerField(min_value=1, required=False)


class ModerationActionForm(forms.Form):
    """Which decision a moderator took (the button), and the note for accepting a correction."""

    action = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")], required=False)
    note = forms.CharField(required=False)

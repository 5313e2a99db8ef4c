"""Forms of participation: the survey builder, the dynamic answer form, reports and moderation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.atlas.models import Area, AreaLevel
from begegnungsatlas.core.typing import ModelForm
from begegnungsatlas.places.forms import LAT_HELP, LON_HELP

from .models import Question, QuestionKind, Report, ReportCategory, ReportKind, ReportStatus, Survey

HONEYPOT_LABEL = _("Bitte leer lassen")


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(label=_("Einleitung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    area_level = forms.ModelChoiceField(label=_("Gebietsebene der Auswertung"),
                                        queryset=AreaLevel.objects.filter(region__is_reference=False, rank__gt=0))
    results_public = forms.BooleanField(label=_("Ergebnisse öffentlich zeigen"), required=False)


class QuestionForm(forms.Form):
    """One question; a row without question text is ignored (so changing only the kind of an empty row is fine)."""

    text = forms.CharField(label=_("Frage"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Art"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("Pflichtfrage"), required=False)
    choices = forms.CharField(label=_("Antwortmöglichkeiten (eine je Zeile)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    scale_min = forms.IntegerField(label=_("Skala von"), initial=1, required=False)
    scale_max = forms.IntegerField(label=_("Skala bis"), initial=5, required=False)

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("choices") or "").splitlines() if line.strip()]


QuestionFormSet = forms.formset_factory(QuestionForm, extra=3, can_delete=True, max_num=50, validate_max=True)


class PublishForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("offen ab"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("offen bis"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class ResultToAtlasForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    option = forms.IntegerField(label=_("Antwort"), min_value=0)
    slug = forms.SlugField(label=_("Kürzel des Indikators"), max_length=80)


class AnswerForm(forms.Form):
    """One field per question; location questions get a lat and a lon field (typed or set on the map)."""

    website = forms.CharField(label=HONEYPOT_LABEL, required=False)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for q in self.questions:
            name, req = f"q{q.pk}", q.required
            options = [(str(i), label) for i, label in enumerate(q.options)]
            if q.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
                self.fields[name] = forms.ChoiceField(label=q.text, required=req, choices=options,
                                                      widget=forms.RadioSelect)
            elif q.kind == QuestionKind.MULTIPLE:
                self.fields[name] = forms.MultipleChoiceField(label=q.text, required=req, choices=options,
                                                              widget=forms.CheckboxSelectMultiple)
            elif q.kind == QuestionKind.NUMBER:
                self.fields[name] = forms.FloatField(label=q.text, required=req, localize=True)
            elif q.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(label=q.text, required=req, max_length=5000,
                                                    widget=forms.Textarea(attrs={"rows": 3}))
            elif q.kind == QuestionKind.AREA:
                self.fields[name] = forms.ModelChoiceField(
                    label=q.text, required=req, queryset=Area.objects.filter(level=survey.area_level_id))
            elif q.kind == QuestionKind.LOCATION:
                self.fields[f"{name}_lat"] = forms.FloatField(label=_("Breitengrad"), required=req,
                                                             min_value=-90, max_value=90, help_text=LAT_HELP)
                self.fields[f"{name}_lon"] = forms.FloatField(label=_("Längengrad"), required=req,
                                                             min_value=-180, max_value=180, help_text=LON_HELP)

    def location_fields(self, question: Question) -> tuple[Any, Any]:
        return self[f"q{question.pk}_lat"], self[f"q{question.pk}_lon"]

    def answers(self) -> dict[int, Any]:
        data, out = self.cleaned_data, {}
        for q in self.questions:
            if q.kind == QuestionKind.LOCATION:
                lat, lon = data.get(f"q{q.pk}_lat"), data.get(f"q{q.pk}_lon")
                out[q.pk] = (lon, lat) if lat is not None and lon is not None else None
            else:
                out[q.pk] = data.get(f"q{q.pk}")
        return out


class ReportForm(ModelForm[Report]):
    website = forms.CharField(label=HONEYPOT_LABEL, required=False)
    photo_upload = forms.FileField(label=_("Foto (freiwillig, JPEG/PNG/WebP)"), required=False,
                                   widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))

    class Meta:
        model = Report
        fields = ["kind", "category", "title", "description", "lat", "lon", "reporter_email"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4}),
                   "lat": forms.NumberInput(attrs={"step": "0.000001"}),
                   "lon": forms.NumberInput(attrs={"step": "0.000001"})}
        help_texts = {"lat": LAT_HELP, "lon": LON_HELP,
                      "reporter_email": _("Nur für Rückmeldungen zum Stand; wird nicht veröffentlicht und nach "
                                          "der Aufbewahrungsfrist gelöscht.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["category"].queryset = ReportCategory.objects.all()
        fields["kind"].choices = ReportKind.choices
        fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_photo_upload(self) -> Any:
        f = self.cleaned_data.get("photo_upload")
        if f and f.size > settings.BEGEGNUNGSATLAS_MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("Das Foto ist zu groß."))
        return f

    def _post_clean(self) -> None:  # the service validates and saves
        return None


class ModerationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReportStatus.choices)
    public_answer = forms.CharField(label=_("öffentliche Antwort"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    publish = forms.BooleanField(label=_("veröffentlichen"), required=False, initial=True)

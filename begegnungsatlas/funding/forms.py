"""Forms: parse and validate input; all writes go through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.places.models import TargetGroup

from .errors import FundingError
from .models import Application, PlaceMode, SignatureStatus, VoucherKind
from .money import cents_input, parse_eur

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"]


class EuroField(forms.CharField):
    """A German euro amount → integer cents ("1.500,00", "1500,50"); ambiguous input is refused."""

    def __init__(self, *args: Any, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        kwargs.setdefault("help_text", _("z. B. 1.500,00"))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return cents_input(value) if isinstance(value, int) else value

    def clean(self, value: Any) -> int | None:
        value = super().clean(value)
        if value in (None, "") and not self.required:
            return None
        try:
            return parse_eur(value, field=str(self.label), allow_zero=self.allow_zero)
        except FundingError as exc:
            raise forms.ValidationError(str(exc)) from exc


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S")
    input_formats = DT_FORMATS


class CallForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    text = forms.CharField(label=_("Aufruftext"), widget=forms.Textarea(attrs={"rows": 8}))
    eligibility = forms.CharField(label=_("Wer kann sich bewerben?"), widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = LocalDateTimeField(label=_("Bewerbung ab (Ortszeit)"))
    deadline = LocalDateTimeField(label=_("Bewerbungsfrist (Ortszeit, letzter zulässiger Zeitpunkt)"))
    number_of_grants = forms.IntegerField(label=_("Zahl der Förderungen"), min_value=1, max_value=50)
    scale_max = forms.IntegerField(label=_("Bewertungsskala 0 bis"), min_value=1, max_value=10)


class ExtensionForm(forms.Form):
    kommune = forms.ModelChoiceField(label=_("Kommune"), queryset=None)  # type: ignore[arg-type]
    until = LocalDateTimeField(label=_("verlängert bis (Ortszeit)"))
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, kommunen: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = kommunen


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Name des Ortes der Begegnung"), max_length=300, required=False)
    place_mode = forms.ChoiceField(label=_("Der geplante Ort ist"), choices=PlaceMode.choices,
                                   widget=forms.RadioSelect)
    place = forms.ModelChoiceField(label=_("Ort oder Potenzialraum aus dem Register"), queryset=None,  # type: ignore[arg-type]
                                   required=False)
    location = forms.CharField(label=_("Lage und Adresse"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    concept = forms.CharField(label=_("Konzept"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("Was soll am Ort geschehen, für wen, mit wem, ab wann?"))
    target_groups = forms.ModelMultipleChoiceField(label=_("Zielgruppen"), queryset=TargetGroup.objects.all(),
                                                   required=False, widget=forms.CheckboxSelectMultiple)
    target_groups_note = forms.CharField(label=_("Zielgruppen – Erläuterung"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    staff_hours_per_week = forms.IntegerField(label=_("Personaleinsatz (Stunden pro Woche)"), min_value=0,
                                              max_value=1000, required=False)
    own_funds_cents = EuroField(label=_("Eigener Finanzeinsatz (freiwillig)"), required=False, allow_zero=True)
    volunteers = forms.IntegerField(label=_("Zahl der ehrenamtlich Engagierten"), min_value=0, max_value=100000,
                                    required=False)
    organisation_note = forms.CharField(label=_("Organisation – Erläuterung"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("Feste Ansprechperson"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-Mail der Ansprechperson"), required=False)
    contact_phone = forms.CharField(label=_("Telefon der Ansprechperson"), max_length=64, required=False)

    def __init__(self, *args: Any, places: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places

    @staticmethod
    def initial_for(application: Application) -> dict[str, Any]:
        fields = ["title", "place_mode", "location", "concept", "target_groups_note", "staff_hours_per_week",
                  "own_funds_cents", "volunteers", "organisation_note", "contact_name", "contact_email",
                  "contact_phone"]
        initial = {f: getattr(application, f) for f in fields}
        initial["place"] = application.place_id
        initial["target_groups"] = list(application.target_groups.all())
        return initial


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Bezeichnung"), max_length=300, required=False)
    file = forms.FileField(label=_("Datei (PDF, PNG oder JPEG)"))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Begründung / Vermerk"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScreeningForm(forms.Form):
    complete = forms.TypedChoiceField(label=_("Vollständig?"), coerce=lambda v: v == "1",
                                      choices=[("1", _("ja")), ("0", _("nein"))], widget=forms.RadioSelect)
    eligible = forms.TypedChoiceField(label=_("Förderfähig nach dem Aufruf?"), coerce=lambda v: v == "1",
                                      choices=[("1", _("ja")), ("0", _("nein"))], widget=forms.RadioSelect)
    note = forms.CharField(label=_("Vermerk"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Gutachter:in"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, reviewers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class SelectionParamsForm(forms.Form):
    penalty = forms.DecimalField(label=_("Abzug für Nähe (Punkte)"), min_value=0, max_value=10, decimal_places=2,
                                 initial=0.5, localize=True)
    radius_km = forms.DecimalField(label=_("Nähe-Radius (km)"), min_value=1, max_value=200, decimal_places=1,
                                   initial=20, localize=True)
    one_per_kommune = forms.BooleanField(label=_("höchstens eine Förderung je Kommune"), required=False,
                                         initial=True)


class VoucherForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=VoucherKind.choices)
    line = forms.ModelChoiceField(label=_("Haushaltsposition"), queryset=None)  # type: ignore[arg-type]
    cost_type = forms.ModelChoiceField(label=_("Kostenart"), queryset=None)  # type: ignore[arg-type]
    supplier = forms.CharField(label=_("Lieferant / Auftragnehmer"), max_length=300)
    amount = EuroField(label=_("Betrag brutto"))
    date = forms.DateField(label=_("Datum des Belegs"), widget=forms.DateInput(attrs={"type": "date"}),
                           input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    description = forms.CharField(label=_("Leistung"), max_length=500, required=False)
    quote = forms.ModelChoiceField(label=_("zugehöriges Angebot"), queryset=None, required=False)  # type: ignore[arg-type]
    file = forms.FileField(label=_("Beleg (PDF, PNG oder JPEG)"))

    def __init__(self, *args: Any, grant: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = grant.lines.all()
        self.fields["cost_type"].queryset = grant.application.call.cost_types.all()
        self.fields["quote"].queryset = grant.vouchers.filter(kind=VoucherKind.QUOTE)


class PayForm(forms.Form):
    payee = forms.CharField(label=_("Zahlungsempfänger"), max_length=300)
    paid_on = forms.DateField(label=_("bezahlt am"), widget=forms.DateInput(attrs={"type": "date"}),
                              input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    reference = forms.CharField(label=_("Buchungszeichen"), max_length=100, required=False)


class ContractForm(forms.Form):
    subject = forms.CharField(label=_("Gegenstand"), widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("Laufzeit von"), widget=forms.DateInput(attrs={"type": "date"}),
                                input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    ends_on = forms.DateField(label=_("Laufzeit bis"), widget=forms.DateInput(attrs={"type": "date"}),
                              input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    signature_status = forms.ChoiceField(label=_("Unterschriften"), choices=SignatureStatus.choices)

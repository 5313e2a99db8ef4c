"""Forms: parse and validate input; all writes go through the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.atlas.models import Area, Region
from begegnungsatlas.core.models import User
from begegnungsatlas.places.models import Place, TargetGroup

from .errors import FundingError
from .models import Application, BudgetLine, CostType, PlaceMode, SignatureStatus, Voucher, VoucherKind
from .money import cents_input, parse_eur
from .selectors import planning_regions

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


class IsoDateInput(forms.DateInput):
    """``<input type=date>`` takes and shows only ISO dates (2025-01-10); Django's localized default (10.01.2025)
    would leave the field empty in the browser, so a value entered or stored would seem lost."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def format_value(self, value: Any) -> str | None:
        # Typed German dates (10.01.2025) come back as text after an error: show them as ISO too.
        if isinstance(value, str):
            try:
                return datetime.strptime(value.strip(), "%d.%m.%Y").date().isoformat()  # noqa: DTZ007 - a date
            except ValueError:
                return value
        return super().format_value(value)


class IsoDateField(forms.DateField):
    widget = IsoDateInput
    input_formats = ["%Y-%m-%d", "%d.%m.%Y"]


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
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Gebiet des Aufrufs"), queryset=Region.objects.none(),
        help_text=_("Bewerben können sich die Kommunen dieses Gebiets."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Region]", self.fields["region"]).queryset = planning_regions()


class CallCreateForm(CallForm):
    start_empty = forms.BooleanField(
        label=_("ohne Vorlage beginnen"), required=False,
        help_text=_("Sonst werden Haushaltspositionen, Kostenarten und Kriterien vom letzten historischen Aufruf "
                    "übernommen; sie lassen sich danach unter „Mittel und Kriterien“ ändern."))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class BudgetLineForm(forms.Form):
    """One row of the budget-line formset; ``id`` is the existing line (empty for a new one)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Haushaltsposition"), max_length=200)
    amount = EuroField(label=_("Betrag je Förderung"))
    cost_types = forms.CharField(label=_("förderfähige Kostenarten (eine je Zeile)"),
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def clean_cost_types(self) -> list[str]:
        return _lines(self.cleaned_data["cost_types"])


class CriterionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Kriterium"), max_length=300)
    description = forms.CharField(label=_("Erläuterung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.IntegerField(label=_("Gewicht"), min_value=1, max_value=100, initial=1,
                                help_text=_("ganze Zahl von 1 bis 100"))
    is_spatial = forms.BooleanField(label=_("räumliches Kriterium"), required=False,
                                    help_text=_("wird bei der Auswahl auch über die räumliche Verteilung "
                                                "berücksichtigt"))


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, can_delete=True, can_order=True)
CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True, can_order=True)


class CallSetupForm(forms.Form):
    ineligible = forms.CharField(label=_("nicht förderfähige Kostenarten (eine je Zeile)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("z. B. Bauleistungen, Ausstattung, Einrichtung"))
    scale_max = forms.IntegerField(label=_("Bewertungsskala: Punkte je Kriterium von 0 bis"), min_value=1,
                                   max_value=10)

    def clean_ineligible(self) -> list[str]:
        return _lines(self.cleaned_data["ineligible"])


class CallAttachmentForm(forms.Form):
    title = forms.CharField(label=_("Bezeichnung"), max_length=300, required=False)
    file = forms.FileField(label=_("Datei (nur PDF)"))


class ExtensionForm(forms.Form):
    kommune: forms.ModelChoiceField[Area] = forms.ModelChoiceField(label=_("Kommune"), queryset=None)
    until = LocalDateTimeField(label=_("verlängert bis (Ortszeit)"))
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, kommunen: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Area]", self.fields["kommune"]).queryset = kommunen


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Name des Ortes der Begegnung"), max_length=300, required=False)
    place_mode = forms.ChoiceField(label=_("Der geplante Ort ist"), choices=PlaceMode.choices,
                                   widget=forms.RadioSelect)
    place: forms.ModelChoiceField[Place] = forms.ModelChoiceField(
        label=_("Ort oder Potenzialraum aus dem Register"), queryset=None, required=False)
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
        cast("forms.ModelChoiceField[Place]", self.fields["place"]).queryset = places

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
    reviewer: forms.ModelChoiceField[User] = forms.ModelChoiceField(label=_("Gutachter:in"), queryset=None)

    def __init__(self, *args: Any, reviewers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["reviewer"]).queryset = reviewers


class SelectionParamsForm(forms.Form):
    penalty = forms.DecimalField(label=_("Abzug für Nähe (Punkte)"), min_value=0, max_value=10, decimal_places=2,
                                 initial=0.5, localize=True)
    radius_km = forms.DecimalField(label=_("Nähe-Radius (km)"), min_value=1, max_value=200, decimal_places=1,
                                   initial=20, localize=True)
    one_per_kommune = forms.BooleanField(label=_("höchstens eine Förderung je Kommune"), required=False,
                                         initial=True)


class VoucherForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=VoucherKind.choices)
    line: forms.ModelChoiceField[BudgetLine] = forms.ModelChoiceField(label=_("Haushaltsposition"), queryset=None)
    cost_type: forms.ModelChoiceField[CostType] = forms.ModelChoiceField(label=_("Kostenart"), queryset=None)
    supplier = forms.CharField(label=_("Lieferant / Auftragnehmer"), max_length=300)
    amount = EuroField(label=_("Betrag brutto"))
    date = IsoDateField(label=_("Datum des Belegs"))
    description = forms.CharField(label=_("Leistung"), max_length=500, required=False)
    quote: forms.ModelChoiceField[Voucher] = forms.ModelChoiceField(label=_("zugehöriges Angebot"), queryset=None,
                                                                    required=False)
    file = forms.FileField(label=_("Beleg (PDF, PNG oder JPEG)"))

    def __init__(self, *args: Any, grant: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[BudgetLine]", self.fields["line"]).queryset = grant.lines.all()
        cast("forms.ModelChoiceField[CostType]", self.fields["cost_type"]).queryset = (
            grant.application.call.cost_types.all())
        cast("forms.ModelChoiceField[Voucher]", self.fields["quote"]).queryset = (
            grant.vouchers.filter(kind=VoucherKind.QUOTE))


class PayForm(forms.Form):
    payee = forms.CharField(label=_("Zahlungsempfänger"), max_length=300)
    paid_on = IsoDateField(label=_("bezahlt am"))
    reference = forms.CharField(label=_("Buchungszeichen"), max_length=100, required=False)


class ContractForm(forms.Form):
    subject = forms.CharField(label=_("Gegenstand"), widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = IsoDateField(label=_("Laufzeit von"))
    ends_on = IsoDateField(label=_("Laufzeit bis"))
    signature_status = forms.ChoiceField(label=_("Unterschriften"), choices=SignatureStatus.choices)


# --- rows, scores and decisions (no hand-parsed POST in the views) ------------------------------------------------


class ActorRowForm(forms.Form):
    """One row of the actors table of an application (``application_update`` checks kinds and statuses)."""

    name = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    status = forms.CharField(required=False)
    role = forms.CharField(required=False)


ActorFormSet = forms.formset_factory(ActorRowForm, extra=0, max_num=60, absolute_max=60)


class PartyRowForm(forms.Form):
    """One party of a cooperation contract."""

    name = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    responsibilities = forms.CharField(required=False)
    tasks = forms.CharField(required=False)
    duties = forms.CharField(required=False)
    signed_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d.%m.%Y"],
                                error_messages={"invalid": _("Unterschriftsdatum bitte als Datum angeben.")})


PartyFormSet = forms.formset_factory(PartyRowForm, extra=0, max_num=30, absolute_max=30)


def formset_rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    """The rows of a valid formset, every field present (an untouched extra row gives empty values)."""
    names = list(formset.form.base_fields)
    return [{k: form.cleaned_data.get(k, None if k == "signed_on" else "") for k in names} for form in formset.forms]


class ReviewForm(forms.Form):
    """Points and reasons per criterion; ``submit`` hands the review in (after the confirmation step)."""

    submit = forms.TypedChoiceField(choices=[("0", "0"), ("1", "1")], coerce=lambda v: v == "1", required=False)

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            message = _("„%(c)s“: Punkte als ganze Zahl.") % {"c": c.name}
            self.fields[f"points-{c.pk}"] = forms.IntegerField(
                required=False, min_value=0, label="", error_messages={"invalid": message, "min_value": message})
            self.fields[f"reason-{c.pk}"] = forms.CharField(required=False, strip=False)

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {c.pk: (self.cleaned_data[f"points-{c.pk}"], self.cleaned_data[f"reason-{c.pk}"]) for c in self.criteria}


class DecisionForm(forms.Form):
    """The selection decision: which applications are funded, which deferred, the reasons, and the confirmation."""

    selected = forms.TypedMultipleChoiceField(coerce=int, required=False)
    deferred = forms.TypedMultipleChoiceField(coerce=int, required=False)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, applications: list[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applications = applications
        choices = [(str(a.pk), a.reference) for a in applications]
        for name in ("selected", "deferred"):
            cast(forms.TypedMultipleChoiceField, self.fields[name]).choices = choices
        for a in applications:
            self.fields[f"reason-{a.pk}"] = forms.CharField(required=False)

    def reasons(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data.get(f"reason-{a.pk}", "") for a in self.applications}


class TransitionForm(NoteForm):
    to = forms.CharField()


class CallStatusForm(forms.Form):
    status = forms.CharField(required=False)


class ApplyForm(forms.Form):
    """An operator applies on behalf of a Kommune (Kommune editors apply for their own)."""

    kommune: forms.ModelChoiceField[Area] = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args: Any, kommunen: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Area]", self.fields["kommune"]).queryset = kommunen


class SaveThenForm(forms.Form):
    """Which button of the application form was pressed: only save, or save and go on to submitting."""

    then = forms.ChoiceField(choices=[("save", "save"), ("submit", "submit")], required=False)

    def go_submit(self) -> bool:
        return self.is_valid() and self.cleaned_data["then"] == "submit"

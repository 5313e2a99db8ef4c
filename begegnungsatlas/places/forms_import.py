"""Forms of the web import: upload, column mapping, confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services.imports import CONTEXT_FIELDS, PLACE_FIELDS, ImportFileError, SourceTable, detect_format
from .services.imports.readers import check_size


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Datei"),
                           help_text=gettext_lazy("GeoJSON, CSV, XLSX oder OpenStreetMap (.osm, .osm.pbf, .osm.gz)"))
    target = forms.ChoiceField(
        label=gettext_lazy("Importieren als"), initial="places",
        choices=[("places", gettext_lazy("Orte der Begegnung")), ("context", gettext_lazy("Kontextebene"))],
    )
    layer = forms.CharField(label=gettext_lazy("Kürzel der Kontextebene"), required=False, max_length=50,
                            help_text=gettext_lazy("nur für Kontextebenen, z. B. „kitas“"))
    layer_name = forms.CharField(label=gettext_lazy("Name der Kontextebene"), required=False, max_length=100)
    source = forms.CharField(label=gettext_lazy("Quelle"), required=False, max_length=200,
                             help_text=gettext_lazy("z. B. „Open Data Dortmund“"))
    delimiter = forms.ChoiceField(
        label=gettext_lazy("CSV-Trennzeichen"), required=False,
        choices=[("", gettext_lazy("automatisch erkennen")), (";", gettext_lazy("Semikolon ;")),
                 (",", gettext_lazy("Komma ,")), ("tab", gettext_lazy("Tabulator"))],
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("CSV-Zeichenkodierung"), required=False,
        choices=[("", gettext_lazy("automatisch erkennen")), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252")],
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
            head = upload.read(4096)
            upload.seek(0)
            self.detected_format = detect_format(head)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns self.cleaned_data
        if data.get("target") == "context":
            layer = slugify(data.get("layer") or "")
            if not layer:
                self.add_error("layer", _("Bitte geben Sie ein Kürzel für die Kontextebene an."))
            data["layer"] = layer
        return data


class MappingForm(forms.Form):
    """One select per target field; the choices are the file's columns."""

    def __init__(self, *args: Any, table: SourceTable, target: str, initial_mapping: dict[str, str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = CONTEXT_FIELDS if target == "context" else PLACE_FIELDS
        choices = [("", _("– nicht übernehmen –"))] + [(c, c) for c in table.columns]
        for name, label in fields.items():
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False,
                                                  initial=initial_mapping.get(name, ""))
        self.table = table

    def mapping(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns self.cleaned_data
        if not data.get("name"):
            self.add_error("name", _("Bitte ordnen Sie dem Feld „Name“ eine Spalte zu."))
        return data


class ConfirmForm(forms.Form):
    strict = forms.BooleanField(
        label=gettext_lazy("Alles oder nichts: bei einer fehlerhaften Zeile nichts importieren"), required=False)
    duplicate_action = forms.ChoiceField(
        label=gettext_lazy("Mit Dubletten"), initial="skip",
        choices=[("skip", gettext_lazy("überspringen")), ("update", gettext_lazy("vorhandenen Ort aktualisieren"))],
    )

"""Upload → preview with column mapping → import (planner only). The upload is kept in private storage under a
random token between the steps; services do the work, all or nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from begegnungsatlas.core.typing import signed_in_user
from begegnungsatlas.core.uploads import UploadError, upload_delete, upload_open, upload_store

from ..errors import AtlasError, ImportRejected
from ..forms import (
    AreaLevelCreateForm,
    BoundariesMappingForm,
    DialogActionForm,
    EncodingForm,
    IndicatorCreateForm,
    UploadForm,
    ValuesMappingForm,
    form_error_text,
)
from ..models import AreaLevel, Indicator, IndicatorKind, Region
from ..permissions import can_import
from ..selectors.imports import value_imports_recent
from ..selectors.payload import invalidate
from ..services.boundaries import boundaries_import, boundary_file_named, read_boundaries
from ..services.catalogue import area_level_create, indicator_create
from ..services.tables import Table, read_table
from ..services.values_copy import values_import_csv
from ..services.values_history import ReplaceNotConfirmed, value_import_undo

UPLOADS = "atlas-import"  # the purpose in core.uploads


def _keep(request: HttpRequest, data: bytes, name: str) -> str:
    return upload_store(purpose=UPLOADS, chunks=[data], user_id=signed_in_user(request).pk, meta={"name": name[:200]})


def _open(request: HttpRequest, token: str) -> tuple[bytes, str]:
    """The kept file and its original name; ``UploadError`` (a domain error) when the token is not valid."""
    path, meta = upload_open(token, purpose=UPLOADS, user_id=signed_in_user(request).pk)
    return path.read_bytes(), str(meta.get("name", ""))


def _drop(request: HttpRequest, token: str) -> None:
    upload_delete(token, purpose=UPLOADS, user_id=signed_in_user(request).pk)


def _encoding(request: HttpRequest) -> str:
    form = EncodingForm(request.GET if "kodierung" in request.GET else request.POST)
    return str(form.cleaned_data["kodierung"]) if form.is_valid() else "auto"


def _levels() -> list[AreaLevel]:
    return list(AreaLevel.objects.select_related("region").order_by("region__name", "rank"))


def _upload_page(request: HttpRequest, error: str) -> HttpResponse:
    return render(request, "atlas/import_upload.html", {"error": error}, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    can_import(request.user).enforce()
    if request.method != "POST":
        return _upload_page(request, "")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form_error_text(form))
    f, enc = form.cleaned_data["datei"], form.cleaned_data["kodierung"]
    data: bytes = f.read()
    try:
        if form.cleaned_data["art"] == "grenzen":
            read_boundaries(data, encoding=enc)
            target = "atlas:import_boundaries"
        else:
            read_table(data, encoding=enc)
            target = "atlas:import_values"
    except AtlasError as exc:
        return _upload_page(request, str(exc))
    token = _keep(request, data, str(f.name or ""))
    return redirect(reverse(target, args=[token]) + "?" + urlencode({"kodierung": enc}))


def _wide_columns(form: ValuesMappingForm | None, table: Table) -> list[tuple[int, str, str]]:
    """(index, column, chosen indicator) for the wide layout: the choice survives a rejected try."""
    data = form.data if form is not None else {}
    return [(i, col, str(data.get(f"spalte_{i}", ""))) for i, col in enumerate(table.header)]


@require_http_methods(["GET", "POST"])
def import_values(request: HttpRequest, token: str) -> HttpResponse:
    can_import(request.user).enforce()
    encoding = _encoding(request)
    try:
        raw, file_name = _open(request, token)
        table = read_table(raw, encoding=encoding)
    except (AtlasError, UploadError) as exc:
        return _upload_page(request, str(exc))
    indicators = {i.slug: i for i in Indicator.objects.filter(derivation="").order_by("title")}
    form = ValuesMappingForm(request.POST, table=table) if request.method == "POST" else None
    ctx: dict[str, Any] = {
        "token": token, "table": table, "preview": table.rows[:10], "n_rows": len(table.rows),
        "levels": _levels(), "indicators": list(indicators.values()), "encoding": encoding,
        "kinds": IndicatorKind.choices,
        "post": request.POST if request.method == "POST" else {
            "layout": table.layout, "dezimal": "de" if table.delimiter != "," else "en",
        },
        "error": "", "problems": [], "result": None, "plan": None,
        "wide_columns": _wide_columns(form, table),
    }
    if request.method == "POST" and DialogActionForm.chosen(request.POST) == "indikator_anlegen":
        # Create the indicator, then show the same mapping again with it chosen (nothing is imported yet).
        create = IndicatorCreateForm(request.POST)
        try:
            if not create.is_valid():
                raise AtlasError(form_error_text(create))
            new = indicator_create(actor=request.user, **create.create_kwargs())
        except AtlasError as exc:
            ctx["error"] = str(exc)
        else:
            ctx["indicators"] = list(Indicator.objects.filter(derivation="").order_by("title"))
            post = request.POST.copy()
            post["indikator"] = new.slug
            ctx["post"] = post
            ctx["created"] = new
        return render(request, "atlas/import_values.html", ctx, status=400 if ctx["error"] else 200)
    if form is not None:
        try:
            if not form.is_valid():
                raise AtlasError(form_error_text(form))
            mapping = form.mapping(indicators)
            # Large CSV files take the PostgreSQL COPY path; everything else (and every rejection) the Python one.
            ctx["result"] = values_import_csv(
                data=raw, mapping=mapping, encoding=encoding, actor=request.user,
                replace_all=form.cleaned_data["ersetzen"], confirm=form.cleaned_data["bestaetigung"],
                file_name=file_name,
            )
            ctx["level_plural"] = mapping.level.name_plural or mapping.level.name
            _drop(request, token)
        except ReplaceNotConfirmed as exc:
            # Not an error: the planner sees the list and confirms (or goes back). Nothing was changed.
            ctx["plan"] = exc.plan
            return render(request, "atlas/import_values.html", ctx, status=200)
        except ImportRejected as exc:
            ctx["error"], ctx["problems"] = str(exc), exc.problems
        except AtlasError as exc:
            ctx["error"] = str(exc)
    status = 400 if ctx["error"] else 200
    return render(request, "atlas/import_values.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
def import_boundaries(request: HttpRequest, token: str) -> HttpResponse:
    can_import(request.user).enforce()
    try:
        encoding = _encoding(request)
        raw, _file_name = _open(request, token)
        bf = read_boundaries(raw, encoding=encoding)
    except (AtlasError, UploadError) as exc:
        return _upload_page(request, str(exc))
    ctx: dict[str, Any] = {
        "token": token, "bf": bf, "fields": bf.fields, "levels": _levels(), "error": "", "problems": [],
        "regions": Region.objects.order_by("name"), "kinds": IndicatorKind.choices,
        "report": None, "post": request.POST, "n": len(bf.features),
        "sample": [p for p, _g in bf.features[:5]]}
    if request.method == "POST" and DialogActionForm.chosen(request.POST) == "ebene_anlegen":
        create = AreaLevelCreateForm(request.POST)
        try:
            if not create.is_valid():
                raise AtlasError(form_error_text(create))
            d = create.cleaned_data
            new_level = area_level_create(actor=request.user, name=d["neu_ebene"], name_plural=d["neu_ebene_mehrzahl"],
                                          region=d["neu_region"], region_name=d["neu_region_name"])
        except AtlasError as exc:
            ctx["error"] = str(exc)
        else:
            ctx["levels"] = _levels()
            post = request.POST.copy()
            post["ebene"] = str(new_level.pk)
            ctx["post"] = post
            ctx["created"] = new_level
        return render(request, "atlas/import_boundaries.html", ctx, status=400 if ctx["error"] else 200)
    if request.method == "POST":
        form = BoundariesMappingForm(request.POST)
        try:
            if not form.is_valid():
                raise AtlasError(form_error_text(form))
            d = form.cleaned_data
            level: AreaLevel = d["ebene"]
            code_field, name_field = d["schluessel"], d["name"]
            if not bf.fields and len(bf.features) == 1:
                bf = boundary_file_named(bf, code=d["schluessel_wert"], name=d["name_wert"])
                code_field, name_field = "Schlüssel", "Name"
            ctx["report"] = boundaries_import(
                level=level, boundary_file=bf, code_field=code_field, name_field=name_field,
                parent_field=d["oberes"], valid_from=form.valid_from(), source=d["quelle"], actor=request.user,
            )
            invalidate(level.id)
            _drop(request, token)
        except ImportRejected as exc:
            ctx["error"], ctx["problems"] = str(exc), exc.problems
        except AtlasError as exc:
            ctx["error"] = str(exc)
    return render(request, "atlas/import_boundaries.html", ctx, status=400 if ctx["error"] else 200)


@require_http_methods(["GET"])
def import_history(request: HttpRequest) -> HttpResponse:
    can_import(request.user).enforce()
    return render(request, "atlas/import_history.html", {"imports": value_imports_recent(), "error": ""})


@require_POST
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    can_import(request.user).enforce()
    try:
        record = value_import_undo(actor=request.user, record_id=pk)
    except AtlasError as exc:
        return render(request, "atlas/import_history.html", {"imports": value_imports_recent(), "error": str(exc)},
                      status=400)
    invalidate(record.level_id)
    messages.success(request, _("Der Import „%(file)s“ wurde rückgängig gemacht.") % {"file": record.file_name or "–"})
    return redirect(reverse("atlas:import_history"))

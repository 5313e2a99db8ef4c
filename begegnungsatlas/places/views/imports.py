"""Web import for planners: upload → column mapping → dry-run preview → confirm."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from begegnungsatlas.core.typing import signed_in_user
from begegnungsatlas.core.uploads import UploadError, upload_delete, upload_open, upload_store, upload_update

from ..forms_import import ConfirmForm, MappingForm, UploadForm
from ..permissions import can_import
from ..services.imports import (
    CONTEXT_FIELDS,
    FORMAT_LABELS,
    PLACE_FIELDS,
    ImportAborted,
    ImportFileError,
    ImportResult,
    context_features_import,
    default_mapping,
    places_import,
    read_source,
)

PREVIEW_ROWS = 500
UPLOADS = "places-import"  # the purpose in core.uploads


def _load(request: HttpRequest, token: str) -> tuple[Any, dict[str, Any]]:
    path, meta = upload_open(token, purpose=UPLOADS, user_id=signed_in_user(request).pk)
    table = read_source(path, format=meta.get("format"), delimiter=meta.get("delimiter") or None,
                        encoding=meta.get("encoding") or None)
    return table, meta


def _run(request: HttpRequest, table: Any, meta: dict[str, Any], *, dry_run: bool,
         strict: bool = False, duplicate_action: str = "skip") -> ImportResult:
    common = {"actor": request.user, "table": table, "mapping": meta.get("mapping"), "source": meta.get("source", ""),
              "dry_run": dry_run, "strict": strict}
    if meta.get("target") == "context":
        return context_features_import(layer=meta["layer"], layer_name=meta.get("layer_name", ""), **common)
    return places_import(duplicate_action=duplicate_action, **common)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    can_import(request.user).enforce()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        delimiter = {"tab": "\t"}.get(data["delimiter"], data["delimiter"])
        meta = {"name": data["file"].name[:200], "format": form.detected_format, "target": data["target"],
                "layer": data.get("layer", ""), "layer_name": data.get("layer_name", ""),
                "source": data.get("source", ""), "delimiter": delimiter, "encoding": data["encoding"]}
        token = upload_store(purpose=UPLOADS, chunks=data["file"].chunks(), user_id=signed_in_user(request).pk, meta=meta)
        try:
            table, _meta = _load(request, token)
        except (ImportFileError, UploadError) as exc:
            upload_delete(token, purpose=UPLOADS, user_id=signed_in_user(request).pk)
            form.add_error("file", str(exc))
        else:
            upload_update(token, purpose=UPLOADS, user_id=signed_in_user(request).pk,
                          mapping=default_mapping(table, target=data["target"]))
            return redirect("places_import:mapping", token=token)
    return render(request, "places/import/upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, token: str) -> HttpResponse:
    can_import(request.user).enforce()
    try:
        table, meta = _load(request, token)
    except (ImportFileError, UploadError) as exc:
        messages.error(request, str(exc))
        return redirect("places_import:upload")
    form = MappingForm(request.POST or None, table=table, target=meta.get("target", "places"),
                       initial_mapping=meta.get("mapping") or {})
    if request.method == "POST" and form.is_valid():
        upload_update(token, purpose=UPLOADS, user_id=signed_in_user(request).pk, mapping=form.mapping())
        return redirect("places_import:preview", token=token)
    fields = CONTEXT_FIELDS if meta.get("target") == "context" else PLACE_FIELDS
    rows = [(form[name], table.sample(meta.get("mapping", {}).get(name, "") or "")) for name in fields]
    columns = [(c, ", ".join(table.sample(c))) for c in table.columns]
    return render(request, "places/import/mapping.html", {
        "form": form, "rows": rows, "columns": columns, "table": table, "meta": meta, "token": token,
        "format_label": FORMAT_LABELS.get(table.format, table.format)})


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    can_import(request.user).enforce()
    try:
        table, meta = _load(request, token)
    except (ImportFileError, UploadError) as exc:
        messages.error(request, str(exc))
        return redirect("places_import:upload")
    form = ConfirmForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = _run(request, table, meta, dry_run=False, strict=form.cleaned_data["strict"],
                          duplicate_action=form.cleaned_data["duplicate_action"])
        except ImportAborted as exc:
            error, result = str(exc), exc.result
        except (ImportFileError, UploadError) as exc:
            error = str(exc)
            result = None
        else:
            upload_delete(token, purpose=UPLOADS, user_id=signed_in_user(request).pk)
            return render(request, "places/import/done.html", {"result": result, "meta": meta})
    else:
        try:
            result = _run(request, table, meta, dry_run=True,
                          duplicate_action=request.GET.get("duplicates", "skip") if request.GET.get(
                              "duplicates") in {"skip", "update"} else "skip")
        except (ImportFileError, UploadError) as exc:
            messages.error(request, str(exc))
            return redirect("places_import:mapping", token=token)
    return render(request, "places/import/preview.html", {
        "form": form, "result": result, "meta": meta, "token": token, "error": error,
        "rows": result.rows[:PREVIEW_ROWS] if result else [], "truncated": bool(result and len(result.rows) > PREVIEW_ROWS),
        "preview_limit": PREVIEW_ROWS})


@require_POST
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    can_import(request.user).enforce()
    upload_delete(token, purpose=UPLOADS, user_id=signed_in_user(request).pk)
    messages.info(request, _("Der Import wurde abgebrochen; die hochgeladene Datei ist gelöscht."))
    return redirect(reverse("places_import:upload"))


__all__ = ["import_cancel", "import_mapping", "import_preview", "import_upload"]

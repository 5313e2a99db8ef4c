"""Upload → preview with column mapping → import (planner only). The upload is kept in private storage under a
random token between the steps; services do the work, all or nothing."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..errors import AtlasError, ImportRejected
from ..models import AreaLevel, Indicator, IndicatorKind, Region
from ..permissions import can_import
from ..selectors.imports import value_imports_recent
from ..selectors.payload import invalidate
from ..services.boundaries import boundaries_import, boundary_file_named, read_boundaries
from ..services.catalogue import area_level_create, indicator_create
from ..services.tables import Table, read_table
from ..services.values_copy import values_import_csv
from ..services.values_history import ReplaceNotConfirmed, value_import_undo
from ..services.values_import import Mapping, genesis_mapping

TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _dir() -> Path:
    d = Path(settings.PRIVATE_MEDIA_ROOT) / "atlas-import"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _save(data: bytes, name: str = "") -> str:
    token = uuid.uuid4().hex
    (_dir() / token).write_bytes(data)
    (_dir() / f"{token}.name").write_text(name[:200], encoding="utf-8")
    return token


def _name(token: str) -> str:
    path = _dir() / f"{token}.name"
    return path.read_text(encoding="utf-8") if TOKEN.match(token) and path.exists() else ""


def _drop(token: str) -> None:
    (_dir() / token).unlink(missing_ok=True)
    (_dir() / f"{token}.name").unlink(missing_ok=True)


def _load(token: str) -> bytes:
    if not TOKEN.match(token) or not (_dir() / token).exists():
        raise Http404(_("Die hochgeladene Datei ist nicht mehr vorhanden. Bitte erneut hochladen."))
    return (_dir() / token).read_bytes()


def _upload(request: HttpRequest) -> tuple[bytes, str]:
    f = request.FILES.get("datei")
    if f is None:
        raise AtlasError(_("Bitte eine Datei auswählen."))
    limit = int(getattr(settings, "BEGEGNUNGSATLAS_MAX_IMPORT_BYTES", 50 * 1024 * 1024))
    if (f.size or 0) > limit:
        raise AtlasError(_("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": limit // (1024 * 1024)})
    data: bytes = f.read()
    return data, str(f.name or "")


def _levels() -> list[AreaLevel]:
    return list(AreaLevel.objects.select_related("region").order_by("region__name", "rank"))


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    can_import(request.user).enforce()
    error = ""
    if request.method == "POST":
        kind = request.POST.get("art", "werte")
        try:
            data, name = _upload(request)
            if kind == "grenzen":
                enc = request.POST.get("kodierung", "auto")
                read_boundaries(data, encoding=enc)
                return redirect(reverse("atlas:import_boundaries", args=[_save(data, name)]) + "?kodierung=" + enc)
            read_table(data, encoding=request.POST.get("kodierung", "auto"))
            token = _save(data, name)
            return redirect(reverse("atlas:import_values", args=[token]) + "?kodierung=" + request.POST.get("kodierung", "auto"))
        except AtlasError as exc:
            error = str(exc)
    return render(request, "atlas/import_upload.html", {"error": error}, status=400 if error else 200)


def _wide_columns(post: QueryDict, table: Table) -> list[tuple[int, str, str]]:
    """(index, column, chosen indicator) for the wide layout: the choice survives a rejected try."""
    return [(i, col, post.get(f"spalte_{i}", "")) for i, col in enumerate(table.header)]


def _mapping_from_post(post: QueryDict, table: Table, indicators: dict[str, Indicator]) -> Mapping:
    try:
        level = AreaLevel.objects.get(pk=int(post.get("ebene", "0")))
    except (AreaLevel.DoesNotExist, ValueError) as exc:
        raise AtlasError(_("Bitte eine Gebietsebene wählen.")) from exc
    layout = post.get("layout", "long")
    fixed = indicators.get(post.get("indikator", ""))
    if layout == "genesis":
        m = genesis_mapping(table, level=level, indicator=fixed, skip_unmatched=bool(post.get("ueberspringen")))
        return m
    value_columns = {}
    if layout == "wide":
        for i, col in enumerate(table.header):
            slug = post.get(f"spalte_{i}", "")
            if slug and slug in indicators:
                value_columns[col] = indicators[slug]
    return Mapping(
        level=level, area_column=post.get("gebietsspalte", ""), layout=layout,
        match_by=post.get("zuordnung", "code"), decimal=post.get("dezimal", "de"),
        value_column=post.get("wertspalte", ""), indicator_column=post.get("indikatorspalte", ""),
        indicator=fixed if not post.get("indikatorspalte") or post.get("indikatorwert") else None,
        flag_column=post.get("zeichenspalte", ""),
        value_columns=value_columns, period_column=post.get("zeitspalte", ""), period=post.get("zeitpunkt", ""),
        skip_unmatched=bool(post.get("ueberspringen")), indicator_value=post.get("indikatorwert", "").strip(),
        ignore_other_indicators=bool(post.get("andere_ignorieren")),
    )


@require_http_methods(["GET", "POST"])
def import_values(request: HttpRequest, token: str) -> HttpResponse:
    can_import(request.user).enforce()
    encoding = request.GET.get("kodierung") or request.POST.get("kodierung") or "auto"
    try:
        raw = _load(token)
        table = read_table(raw, encoding=encoding)
    except AtlasError as exc:
        return render(request, "atlas/import_upload.html", {"error": str(exc)}, status=400)
    indicators = {i.slug: i for i in Indicator.objects.filter(derivation="").order_by("title")}
    ctx = {
        "token": token, "table": table, "preview": table.rows[:10], "n_rows": len(table.rows),
        "levels": _levels(), "indicators": list(indicators.values()), "encoding": encoding,
        "kinds": IndicatorKind.choices,
        "post": request.POST if request.method == "POST" else {
            "layout": table.layout, "dezimal": "de" if table.delimiter != "," else "en",
        },
        "error": "", "problems": [], "result": None, "plan": None,
        "wide_columns": _wide_columns(request.POST if request.method == "POST" else QueryDict(), table),
    }
    if request.method == "POST" and request.POST.get("aktion") == "indikator_anlegen":
        # Create the indicator, then show the same mapping again with it chosen (nothing is imported yet).
        try:
            new = indicator_create(actor=request.user, title=request.POST.get("neu_titel", ""),
                                   unit=request.POST.get("neu_einheit", ""),
                                   kind=request.POST.get("neu_art", IndicatorKind.VALUE),
                                   source=request.POST.get("neu_quelle", ""), licence=request.POST.get("neu_lizenz", ""))
        except AtlasError as exc:
            ctx["error"] = str(exc)
        else:
            ctx["indicators"] = list(Indicator.objects.filter(derivation="").order_by("title"))
            post = request.POST.copy()
            post["indikator"] = new.slug
            ctx["post"] = post
            ctx["created"] = new
        return render(request, "atlas/import_values.html", ctx, status=400 if ctx["error"] else 200)
    if request.method == "POST":
        try:
            mapping = _mapping_from_post(request.POST, table, indicators)
            # Large CSV files take the PostgreSQL COPY path; everything else (and every rejection) the Python one.
            ctx["result"] = values_import_csv(
                data=raw, mapping=mapping, encoding=encoding, actor=request.user,
                replace_all=bool(request.POST.get("ersetzen")), confirm=request.POST.get("bestaetigung", ""),
                file_name=_name(token),
            )
            ctx["level_plural"] = mapping.level.name_plural or mapping.level.name
            _drop(token)
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
        encoding = request.GET.get("kodierung") or request.POST.get("kodierung") or "auto"
        bf = read_boundaries(_load(token), encoding=encoding)
    except AtlasError as exc:
        return render(request, "atlas/import_upload.html", {"error": str(exc)}, status=400)
    ctx = {"token": token, "bf": bf, "fields": bf.fields, "levels": _levels(), "error": "", "problems": [],
           "regions": Region.objects.order_by("name"), "kinds": IndicatorKind.choices,
           "report": None, "post": request.POST, "n": len(bf.features),
           "sample": [p for p, _g in bf.features[:5]]}
    if request.method == "POST" and request.POST.get("aktion") == "ebene_anlegen":
        try:
            region = Region.objects.filter(pk=request.POST.get("neu_region") or 0).first()
            new_level = area_level_create(actor=request.user, name=request.POST.get("neu_ebene", ""),
                                          name_plural=request.POST.get("neu_ebene_mehrzahl", ""), region=region,
                                          region_name=request.POST.get("neu_region_name", ""))
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
        try:
            level = AreaLevel.objects.get(pk=int(request.POST.get("ebene", "0")))
            raw = request.POST.get("gueltig_ab", "").strip()
            valid_from = dt.date.fromisoformat(raw) if raw else None
            code_field, name_field = request.POST.get("schluessel", ""), request.POST.get("name", "")
            if not bf.fields and len(bf.features) == 1:
                bf = boundary_file_named(bf, code=request.POST.get("schluessel_wert", ""),
                                         name=request.POST.get("name_wert", ""))
                code_field, name_field = "Schlüssel", "Name"
            ctx["report"] = boundaries_import(
                level=level, boundary_file=bf, code_field=code_field,
                name_field=name_field, parent_field=request.POST.get("oberes", ""),
                valid_from=valid_from, source=request.POST.get("quelle", ""), actor=request.user,
            )
            invalidate(level.id)
            _drop(token)
        except ImportRejected as exc:
            ctx["error"], ctx["problems"] = str(exc), exc.problems
        except (AtlasError, ValueError) as exc:
            ctx["error"] = str(exc) if isinstance(exc, AtlasError) else _("Ungültige Eingabe: %(e)s") % {"e": exc}
        except AreaLevel.DoesNotExist:
            ctx["error"] = _("Bitte eine Gebietsebene wählen.")
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

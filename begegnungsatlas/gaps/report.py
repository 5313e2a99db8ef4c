"""PDF report of a saved scenario (Typst template ``reports/templates/gaps_report.typ``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from begegnungsatlas.core.geo import METRIC_CRS, WEB_CRS, transformer
from begegnungsatlas.reports.pdf import render_pdf

from .models import Scenario

METHOD_TEXT = {
    "nearest": _l("Für jede Rasterzelle die Luftlinie vom Zellmittelpunkt zum nächsten Ort."),
    "coverage": _l("Eine Rasterzelle gilt als versorgt, wenn ein Ort in der gewählten Entfernung (Luftlinie) liegt."),
    "2sfca": _l("Two-Step Floating Catchment Area (Luo & Wang 2003): Plätze je Person im Einzugsbereich jedes Ortes, "
               "dann je Zelle die Summe der erreichbaren Orte; als Plätze je 1.000 Personen."),
    "e2sfca": _l("Enhanced 2SFCA (Luo & Qi 2009): wie 2SFCA, mit Gewichten 1 / 0,68 / 0,22 für das erste, zweite "
                "und letzte Drittel der Entfernung."),
}


def _n(value: Any) -> str:
    """Whole numbers with the German thousands separator (125.383)."""
    return f"{int(round(float(value))):,}".replace(",", ".")


def _siting_section(siting: dict[str, Any]) -> dict[str, Any]:
    """Text and table of the siting result for the report, per method (MCLP, p-median, LSCP)."""
    chosen = ", ".join(c["name"] for c in siting["chosen"]) or "–"
    method = siting.get("method", "mclp")
    if method == "lscp":
        text = _("Bestehende Orte fest; Versorgungsstandard %(r)s m (LSCP). Mindestens %(needed)s neue Orte, damit "
                 "jede erreichbare Person der Zielgruppe einen Ort im Umkreis hat; %(u)s von %(total)s Personen "
                 "erreicht auch kein Kandidat. Gewählt: %(chosen)s.") % {
            "r": siting["inputs"]["radius"], "needed": siting["needed"], "u": _n(siting["uncoverable"]),
            "total": _n(siting["total"]), "chosen": chosen}
        return {"text": [text], "header": [], "curve": []}
    if method == "pmedian":
        text = _("Bestehende Orte fest, %(n)s neue Orte (p-Median). Mittlere Entfernung vorher %(before)s m, "
                 "nachher %(after)s m. Gewählt: %(chosen)s.") % {
            "n": siting["inputs"]["p"], "before": "–" if siting["mean_before"] is None else _n(siting["mean_before"]),
            "after": _n(siting["mean_after"]), "chosen": chosen}
        return {"text": [text], "header": [_("neue Orte"), _("mittlere Entfernung (m)"), _("Standorte")],
                "curve": [[row["p"], _n(row["mean_distance"]), ", ".join(row["chosen"])] for row in siting["curve"]]}
    text = _("Bestehende Orte fest, %(n)s neue Orte (MCLP). Erreicht vorher %(before)s, nachher %(after)s "
             "von %(total)s Personen. Gewählt: %(chosen)s.") % {
        "n": siting["inputs"]["p"], "before": _n(siting["covered_before"]), "after": _n(siting["covered_after"]),
        "total": _n(siting["total"]), "chosen": chosen}
    return {"text": [text], "header": [_("neue Orte"), _("erreichte Personen"), _("Standorte")],
            "curve": [[row["p"], _n(row["covered"]), ", ".join(row["chosen"])] for row in siting["curve"]]}


def _map(results: dict[str, Any]) -> dict[str, Any]:
    cells = results["cells"]
    lon = np.array([c["lon"] for c in cells] + [p["lon"] for p in results["places"]], dtype=float)
    lat = np.array([c["lat"] for c in cells] + [p["lat"] for p in results["places"]], dtype=float)
    x, y = transformer(WEB_CRS, METRIC_CRS).transform(lon, lat)
    x0, x1, y0, y1 = x.min() - 600, x.max() + 600, y.min() - 600, y.max() + 600
    span = max(x1 - x0, 1.0)
    fx, fy = (x - x0) / span, (y1 - y) / span
    n = len(cells)
    return {
        "aspect": round(float((y1 - y0) / span), 4),
        # Cell edge as a share of the map width, so squares tile like the grid at any map size.
        "cell": round(float(cells[0].get("size", 1000)) / span, 5) if cells else 0.0,
        "cells": [[round(float(fx[i]), 4), round(float(fy[i]), 4), 1 if cells[i]["served"] else 0]
                  for i in range(n) if cells[i]["demand"] > 0 and not cells[i].get("outside")],
        "places": [[round(float(fx[i]), 4), round(float(fy[i]), 4)] for i in range(n, len(lon))],
        "legend": (_("Quadrate: Rasterzellen mit Personen der Zielgruppe (blau: Ort im Umkreis, schwarz: keiner); "
                     "grüne Punkte: Orte. Luftlinie, EPSG:25832.")
                   if results.get("distance", {}).get("mode") != "network" else
                   _("Quadrate: Rasterzellen im Wegenetz mit Personen der Zielgruppe (blau: Ort im Umkreis zu Fuß, "
                     "schwarz: keiner; Zellen außerhalb des Wegenetzes fehlen); grüne Punkte: Orte. EPSG:25832.")),
    }


def scenario_report_pdf(scenario: Scenario) -> bytes:
    r = scenario.results["gaps"]
    inputs = r["inputs"]
    data: dict[str, Any] = {
        "sender": "Begegnungsatlas – Versorgung",
        "footer": f"{scenario.name} · {_('Datenstand')} {r['data_year']}",
        "title": _("Versorgung: %(name)s") % {"name": scenario.name},
        "subtitle": f"{scenario.region.name} · {scenario.created_at:%d.%m.%Y}",
        "facts": [
            [_("Zielgruppe"), r["group_label"]],
            [_("Methode"), r["method_label"]],
            [_("Entfernung"), f"{inputs['radius']:.0f} m, {r.get('distance', {}).get('label', 'Luftlinie')}"],
            [_("Gebiete"), r["level_name"]],
            [_("Datenstand"), f"{r['data_year']} ({r['grid_name']})"],
            [_("Orte als Angebot"), str(r["totals"]["places"])],
            [_("ohne Ort im Umkreis"), f"{_n(r['totals']['unserved'])} / {_n(r['totals']['demand'])}"],
        ],
        "method_text": [
            str(METHOD_TEXT[inputs["method"]]),
            _("Gebietswerte sind nach Personen der Zielgruppe gewichtet; eine Zelle zählt für das Gebiet, in dem "
              "ihr Mittelpunkt liegt. Rang 1 = die meisten Personen ohne Ort im Umkreis. Orte ohne Angabe der "
              "Kapazität zählen mit 1 (%(n)s Orte).") % {"n": r["totals"]["capacity_defaulted"]},
        ],
        "map": _map(r),
        "table_header": [_("Rang"), _("Gebiet"), _("Personen"), _("ohne Ort"), _("Anteil"), _("Orte")],
        "rows": [[a["rank"], a["name"], _n(a["demand"]), _n(a["unserved"]),
                  "–" if a["unserved_share"] is None else f"{100 * a['unserved_share']:.0f} %", a["places"]]
                 for a in r["areas"]],
        "sources": [f"{r['grid_name']}: {r['source']}. {r['licence']}",
                    _("Orte: Register des Begegnungsatlas (veröffentlichte, bestehende Orte)."),
                    _("Gebietsgrenzen: siehe Datenquellen und Lizenzen (/daten/).")],
    }
    if r.get("need_label"):
        data["facts"].append([_("Bedarf"), r["need_label"]])
        data["sources"][0] += f" {r['need_label']}."
    dist = r.get("distance", {})
    if dist.get("mode") == "network":
        data["facts"].append([_("außerhalb des Wegenetzes"),
                              _("%(n)s Zellen (%(d)s Personen), nicht bewertet") % {
                                  "n": r["totals"]["outside_cells"], "d": _n(r["totals"]["outside_demand"])}])
        data["sources"].append(f"{_('Wegenetz')} {dist['network_name']}: {dist['source']}. {dist['licence']}")
    siting = scenario.results.get("siting")
    if siting:
        data["siting"] = _siting_section(siting)
    return render_pdf("gaps_report", data)

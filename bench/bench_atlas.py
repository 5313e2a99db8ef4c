"""Atlas benchmarks (issue 4, point 10).

(a) Choropleth for all 10,990 German Gemeinden: size of the geometry and values payloads (gzipped), server time
    warm (median of 20 requests through Django's handler), and first paint in Chromium (page load until the
    map has drawn all areas).
(b) Import of 1.1 million values (10,990 areas × 10 indicators × 10 periods) from a German CSV into PostgreSQL,
    against the floor of a bare ``COPY`` of the same file into one unindexed text table, in the same run.

Run (PostgreSQL, own database so nothing else is touched):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ba_bench .venv/bin/python bench/bench_atlas.py

Set ``BENCH_SKIP_BROWSER=1`` to leave out the Chromium measurement; ``--no-payload`` / ``--no-import`` skip (a) / (b);
``--runs N`` sets the number of alternating floor/import runs of (b) (default 3, median reported); ``--python`` also
times the Python importer (``read_table`` + ``values_import``) on the same bytes in each run, for comparison.
"""

from __future__ import annotations

import gzip
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "begegnungsatlas.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from begegnungsatlas.atlas import demo
from begegnungsatlas.atlas.models import AreaLevel, Indicator, IndicatorValue
from begegnungsatlas.atlas.services.tables import read_table
from begegnungsatlas.atlas.services.values_copy import values_import_csv
from begegnungsatlas.atlas.services.values_import import Mapping, values_import

N_IND, N_PER = 10, 10


def setup() -> AreaLevel:
    call_command("migrate", verbosity=0)
    if not AreaLevel.objects.filter(region__slug="deutschland").exists():
        t = time.perf_counter()
        with transaction.atomic():
            demo.load_deutschland(out=print)
        print(f"setup: Deutschland geladen in {time.perf_counter() - t:.1f} s")
    return AreaLevel.objects.get(region__slug="deutschland", slug="gemeinde")


def bench_payload(level: AreaLevel) -> dict[str, float]:
    c = Client()
    geo_url = f"/atlas/geometrie/{level.id}.json"
    values_url = "/atlas/karte/werte.json?region=deutschland&ebene=gemeinde&indikator=einwohner_zensus2022" \
                 "&periode=2022-05-15&methode=quantiles&klassen=5"
    t = time.perf_counter()
    c.get(geo_url, HTTP_ACCEPT_ENCODING="gzip")
    c.get(values_url)
    cold = time.perf_counter() - t
    times_geo, times_val = [], []
    for _ in range(20):
        t = time.perf_counter()
        g = c.get(geo_url, HTTP_ACCEPT_ENCODING="gzip")
        times_geo.append(time.perf_counter() - t)
        t = time.perf_counter()
        v = c.get(values_url)
        times_val.append(time.perf_counter() - t)
    return {
        "geometry_gz_bytes": len(g.content), "values_gz_bytes": len(gzip.compress(v.content, 6)),
        "values_raw_bytes": len(v.content),
        "cold_s": cold, "geometry_warm_ms": statistics.median(times_geo) * 1000,
        "values_warm_ms": statistics.median(times_val) * 1000,
    }


def bench_first_paint() -> float:
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from playwright.sync_api import sync_playwright

    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, settings.PACKAGE_DIR / "static"]
    from django.contrib.staticfiles import finders

    finders.get_finder.cache_clear()

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

    httpd = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    httpd.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/atlas/karte/?region=deutschland&ebene=gemeinde" \
          "&indikator=einwohner_zensus2022&periode=2022-05-15&methode=quantiles&klassen=5"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = b.new_page()
        page.goto(url)  # warm the server caches and the browser's HTTP cache is not reused below
        page.wait_for_selector("#atlas-map[data-ready='1']", state="attached", timeout=60000)
        page.close()
        ctx = b.new_context()
        page = ctx.new_page()
        t = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("#atlas-map[data-ready='1']", state="attached", timeout=60000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        elapsed = time.perf_counter() - t
        b.close()
    httpd.shutdown()
    return elapsed


def _reset_bench_values(inds: list[Indicator]) -> None:
    """Outside the timing: remove the benchmark values and their dead tuples so every run starts alike."""
    IndicatorValue.objects.filter(indicator__in=inds).delete()
    with connection.cursor() as cur:
        cur.execute(f"VACUUM {IndicatorValue._meta.db_table}")


def bench_import(level: AreaLevel, runs: int = 3, *, compare_python: bool = False) -> dict[str, float]:
    """Floor and import of the same CSV bytes, alternating, ``runs`` times each; medians and their ratio."""
    if connection.vendor != "postgresql":
        raise SystemExit("Die Import-Messung braucht PostgreSQL (DATABASE_URL).")
    codes = list(level.areas.values_list("code", flat=True))
    inds = []
    for i in range(N_IND):
        ind, _ = Indicator.objects.get_or_create(slug=f"bench_{i}", defaults={"title": f"Bench {i}",
                                                                              "is_internal": True})
        inds.append(ind)
    periods = [str(2010 + p) for p in range(N_PER)]
    buf = io.StringIO()
    buf.write("ars;indikator;periode;wert\n")
    for i, ind in enumerate(inds):
        for p in periods:
            for n, code in enumerate(codes):
                buf.write(f"{code};{ind.slug};{p};{(n * 7 + i * 13) % 1000},{n % 10}\n")
    data = buf.getvalue().encode("utf-8")
    rows = data.count(b"\n") - 1
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as fh:
        fh.write(data)
        path = Path(fh.name)
    print(f"import: {rows:,} Werte, {len(data) / 1e6:.1f} MB CSV, {runs} Läufe je Seite (abwechselnd)")
    mapping = Mapping(level=level, area_column="ars", layout="long", value_column="wert",
                      indicator_column="indikator", period_column="periode", decimal="de")
    floors, floors_logged, ours, python = [], [], [], []
    _reset_bench_values(inds)
    # Warm-up (not counted): one import, so caches, catalog and the area lookup are warm for both sides.
    values_import_csv(data=path.read_bytes(), mapping=mapping)
    _reset_bench_values(inds)
    for run in range(runs):
        # Floor: bare COPY of the same file into one unindexed (unlogged) text table, in one transaction.
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_floor")
            cur.execute("CREATE UNLOGGED TABLE bench_floor (ars text, indikator text, periode text, wert text)")
        t = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur, \
                cur.cursor.copy("COPY bench_floor FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)") as copy:
            copy.write(path.read_bytes())
        floors.append(time.perf_counter() - t)
        with connection.cursor() as cur:
            cur.execute("DROP TABLE bench_floor")
        # Second floor (context only): the same COPY into a normal, WAL-logged table, as durable as our target.
        with connection.cursor() as cur:
            cur.execute("CREATE TABLE bench_floor_logged (ars text, indikator text, periode text, wert text)")
        t = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur, cur.cursor.copy(
                "COPY bench_floor_logged FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)") as copy:
            copy.write(path.read_bytes())
        floors_logged.append(time.perf_counter() - t)
        with connection.cursor() as cur:
            cur.execute("DROP TABLE bench_floor_logged")
        # Ours: from the same bytes to committed, checked, indexed rows (all or nothing), as the import view does.
        t = time.perf_counter()
        result = values_import_csv(data=path.read_bytes(), mapping=mapping)
        ours.append(time.perf_counter() - t)
        assert result.written == rows, (result.written, rows)
        assert IndicatorValue.objects.filter(indicator__in=inds).count() == rows
        _reset_bench_values(inds)
        line = (f"  Lauf {run + 1}: COPY-Boden {floors[-1]:.2f} s (in WAL-Tabelle {floors_logged[-1]:.2f} s), "
                f"Import {ours[-1]:.2f} s")
        if compare_python:
            # Reference: the Python importer (read_table + values_import) on the same bytes.
            t = time.perf_counter()
            values_import(table=read_table(path.read_bytes()), mapping=mapping)
            python.append(time.perf_counter() - t)
            _reset_bench_values(inds)
            line += f", Python-Import {python[-1]:.2f} s"
        print(line)
    path.unlink()
    floor, imp = statistics.median(floors), statistics.median(ours)
    return {"rows": rows, "floor_s": floor, "import_s": imp, "ratio": imp / floor, "runs": runs,
            "python_s": statistics.median(python) if python else 0.0, "floor_logged_s": statistics.median(floors_logged)}


def main() -> None:
    level = setup()
    if "--no-payload" not in sys.argv:
        _print_payload(level)
    if "--no-import" not in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
        r = bench_import(level, runs=runs, compare_python="--python" in sys.argv)
        print(f"(b) {r['rows']:,} Werte, Median aus {r['runs']} Läufen: COPY-Boden {r['floor_s']:.2f} s, "
              f"Import {r['import_s']:.2f} s, Faktor {r['ratio']:.2f} (Ziel ≤ 2); COPY in WAL-Tabelle "
              f"{r['floor_logged_s']:.2f} s (Faktor {r['import_s'] / r['floor_logged_s']:.2f})"
              + (f"; Python-Import {r['python_s']:.2f} s" if r["python_s"] else ""))


def _print_payload(level: AreaLevel) -> None:
    p = bench_payload(level)
    print(f"(a) Geometrie gz {p['geometry_gz_bytes'] / 1e6:.3f} MB, Werte gz {p['values_gz_bytes'] / 1e6:.3f} MB; "
          f"kalt {p['cold_s'] * 1000:.0f} ms; warm: Geometrie {p['geometry_warm_ms']:.1f} ms, "
          f"Werte {p['values_warm_ms']:.1f} ms")
    if os.environ.get("BENCH_SKIP_BROWSER") != "1":
        fp = bench_first_paint()
        print(f"(a) erster Aufbau in Chromium (warmer Server, leerer Browser-Cache): {fp:.2f} s")


if __name__ == "__main__":
    main()

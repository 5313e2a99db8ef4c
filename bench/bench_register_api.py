"""Benchmark: the register API (OGC items, filtered list) against pygeoapi on the same 100,000 places.

What it does (PostgreSQL only, loopback only):

1. creates the database ``ba_bench`` (dropped first), migrates it and loads N synthetic places sampled inside
   the real Gemeinde polygons proportional to population (``bench/register/data.py``), 1–2 target groups each;
2. adds PostGIS and a table ``pygeoapi_places`` (same rows, point geometry + GiST index) for pygeoapi's
   PostgreSQL provider, so both servers read the same database;
3. serves our site and pygeoapi with gunicorn, same worker count (sync workers);
   ``--reuse`` keeps an already loaded database (steps 1–2 skipped);
4. runs ``wrk`` with 32 connections against both, with the same randomly chosen bboxes (each holding ~1,000
   places), after a warm-up; prints p50/p99 latency, requests/s, errors and the ratios, and with
   ``--write-docs`` writes the table into our section of ``docs/PERFORMANCE.md``. ``--runs N`` repeats the
   measurement (alternating between the servers) and reports every run and the medians.

    .venv/bin/python bench/bench_register_api.py --write-docs

Needs: PostgreSQL with PostGIS (Debian ``postgresql-15-postgis-3``), ``wrk`` (Debian), gunicorn in our venv,
and pygeoapi 0.21.0 + gunicorn + psycopg2-binary in a separate venv (``--peer-venv``, default
``/tmp/ba-peer-venv``; pygeoapi's dependencies clash with ours).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.docs import replace_section  # noqa: E402
from bench.register.data import GROUPS, bboxes_with_about, sample_points  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
SECTION = "## Register API (OGC API – Features, public list)"


def sh(cmd: list[str], **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def psql(db: str, sql: str) -> str:
    return sh(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
              capture_output=True, text=True).stdout


def load(db: str, n: int, env: dict[str, str]) -> tuple[list, list]:
    psql("postgres", f"DROP DATABASE IF EXISTS {db}")
    psql("postgres", f"CREATE DATABASE {db}")
    sh([str(ROOT / ".venv/bin/begegnungsatlas"), "migrate", "--verbosity", "0"], env=env)
    from begegnungsatlas.data import DATA_DIR

    t0 = time.perf_counter()
    lons, lats, _ars = sample_points(DATA_DIR / "boundaries/gemeinden_de_2022_vg250_simplified.geojson", n)
    import io
    import random

    import psycopg

    rng = random.Random(1)
    with psycopg.connect(f"{PG}/{db}") as conn, conn.cursor() as cur:
        groups = dict(cur.execute("SELECT slug, id FROM places_targetgroup").fetchall())
        cols = ("name, description, kind, status, street, postcode, city, virtual_url, shared_building, "
                "shared_building_note, contact_name, contact_email, contact_phone, opening_hours, wheelchair, "
                "wheelchair_description, open_for_groups, website, source, source_id, is_example, is_published, "
                "created_at, updated_at, lon, lat")
        buf = io.StringIO()
        hours = ["Mo-Fr 09:00-17:00; PH off", "Tu,Th 14:00-18:00", "", "Mo-Su 10:00-22:00", "We 15:00-19:00"]
        for i, (x, y) in enumerate(zip(lons, lats, strict=True)):
            status = rng.choices(["existing", "planned", "potential"], weights=[85, 10, 5])[0]
            row = [f"Synthetischer Benchmark-Ort {i + 1:06d}", "", "physical", status, "", "", "", "", "standalone",
                   "", "", "", "", rng.choice(hours), "unknown", "", "f", "", "benchmark", str(i + 1), "t", "t",
                   "2026-01-01 00:00:00+00", "2026-01-01 00:00:00+00", repr(float(x)), repr(float(y))]
            buf.write("\t".join(row) + "\n")
        buf.seek(0)
        with cur.copy(f"COPY places_place ({cols}) FROM STDIN") as copy:
            copy.write(buf.read())
        ids = [r[0] for r in cur.execute("SELECT id FROM places_place ORDER BY id").fetchall()]
        links = io.StringIO()
        for pid in ids:
            for slug in rng.sample(GROUPS, rng.choice([1, 1, 2])):
                links.write(f"{pid}\t{groups[slug]}\n")
        links.seek(0)
        with cur.copy("COPY places_place_target_groups (place_id, targetgroup_id) FROM STDIN") as copy:
            copy.write(links.read())
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute("""
            CREATE TABLE pygeoapi_places AS
            SELECT id, name, kind, status, street, postcode, city, wheelchair, open_for_groups, opening_hours,
                   website, is_example, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom
            FROM places_place WHERE is_published""")
        cur.execute("ALTER TABLE pygeoapi_places ADD PRIMARY KEY (id)")
        cur.execute("CREATE INDEX pygeoapi_places_geom ON pygeoapi_places USING gist (geom)")
        conn.commit()
    fill_features(db, env)
    print(f"loaded {len(ids):,} places in {time.perf_counter() - t0:.1f} s")
    return list(lons), list(lats)


def fill_features(db: str, env: dict[str, str]) -> None:
    """Migrate, and (re)fill ``api_placefeature`` (the OGC feature text) unless it matches the places already.

    The places above are written with COPY, past the services, so the text is computed here with the same
    ``place_features_refresh`` that the write paths call.
    """
    sh([str(ROOT / ".venv/bin/begegnungsatlas"), "migrate", "--verbosity", "0"], env=env)
    import django

    django.setup()
    from django.db import connection

    from begegnungsatlas.api.models import PlaceFeature
    from begegnungsatlas.api.services import place_features_refresh
    from begegnungsatlas.places.models import Place

    shown = Place.objects.filter(is_published=True, lon__isnull=False, lat__isnull=False).count()
    if PlaceFeature.objects.count() != shown:
        t0 = time.perf_counter()
        n = place_features_refresh()
        print(f"feature text of {n:,} places in {time.perf_counter() - t0:.1f} s")
    connection.close()
    psql(db, "VACUUM ANALYZE")


PYGEOAPI_CONFIG = """
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: de-DE
  limits: {{default_items: 10, max_items: 10000}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: 'none'}}
  pretty_print: false
logging: {{level: ERROR}}
metadata:
  identification: {{title: bench, description: bench, keywords: [bench], keywords_type: theme, terms_of_service: none,
                   url: 'http://127.0.0.1'}}
  license: {{name: none, url: 'http://127.0.0.1'}}
  provider: {{name: bench, url: 'http://127.0.0.1'}}
  contact: {{name: bench, position: bench, address: x, city: x, stateorprovince: x, postalcode: x, country: x,
            phone: x, fax: x, email: x@example.org, url: 'http://127.0.0.1', hours: x, instructions: x, role: pointOfContact}}
resources:
  places:
    type: collection
    title: places
    description: synthetic benchmark places
    keywords: [places]
    extents: {{spatial: {{bbox: [5.8, 47.2, 15.1, 55.1], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {{host: 127.0.0.1, port: 5432, dbname: {db}, user: postgres, password: '', search_path: [public]}}
        id_field: id
        table: pygeoapi_places
        geom_field: geom
"""


def wait_for(url: str, timeout: float = 60) -> None:
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback only
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server did not come up: {url}")


LUA = """
local paths = {{
{paths}
}}
math.randomseed(42)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def run_wrk(base: str, paths: list[str], *, clients: int, seconds: int, tmp: Path, name: str) -> dict[str, float]:
    script = tmp / f"{name}.lua"
    script.write_text(LUA.format(paths=",\n".join(f'  "{p}"' for p in paths)))
    out = sh(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(script), base],
             capture_output=True, text=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(g) for g in sock.groups()) if sock else 0)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {"p50": ms("50%"), "p99": ms("99%"), "rps": rps, "errors": errors, "requests": total}


def check_sizes(base: str, path: str) -> int:
    import json

    with urllib.request.urlopen(base + path, timeout=30) as r:  # noqa: S310 - loopback only
        return len(json.loads(r.read())["features" if "features" in path or "items" in path else "results"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--places", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", default="ba_bench")
    ap.add_argument("--reuse", action="store_true", help="keep the loaded database")
    ap.add_argument("--peer-venv", default="/tmp/ba-peer-venv")
    ap.add_argument("--runs", type=int, default=1, help="repeat the measurement; the table shows the medians")
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()

    env = {**os.environ, "DATABASE_URL": f"{PG}/{args.db}", "DJANGO_SETTINGS_MODULE": "begegnungsatlas.settings",
           "BEGEGNUNGSATLAS_CONN_MAX_AGE": "600", "BEGEGNUNGSATLAS_DEBUG": "0"}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    if args.reuse:
        import psycopg

        with psycopg.connect(f"{PG}/{args.db}") as conn:
            rows = conn.execute("SELECT lon, lat FROM places_place").fetchall()
        lons, lats = [r[0] for r in rows], [r[1] for r in rows]
        fill_features(args.db, env)
    else:
        lons, lats = load(args.db, args.places, env)
    import numpy as np

    boxes = bboxes_with_about(np.array(lons), np.array(lats), target=1000, count=40)
    small = bboxes_with_about(np.array(lons), np.array(lats), target=200, count=40, seed=11)
    print(f"{len(boxes)} bboxes with ~1,000 places, {len(small)} with ~200 (list filter)")

    def bbox(b: tuple) -> str:
        return ",".join(str(v) for v in b)

    ours_items = [f"/api/ogc/collections/places/items?bbox={bbox(b)}&limit=1000" for b in boxes]
    peer_items = [f"/collections/places/items?bbox={bbox(b)}&limit=1000&f=json" for b in boxes]
    ours_list = [f"/api/places?status=existing&zielgruppe=senioren&bbox={bbox(b)}&limit=50" for b in small]
    peer_list = [f"/collections/places/items?status=existing&bbox={bbox(b)}&limit=50&f=json" for b in small]

    tmp = Path(tempfile.mkdtemp(prefix="ba-bench-"))
    ours_port, peer_port = 8765, 8766
    cfg = tmp / "pygeoapi.yml"
    cfg.write_text(PYGEOAPI_CONFIG.format(port=peer_port, db=args.db))
    peer_env = {**os.environ, "PYGEOAPI_CONFIG": str(cfg), "PYGEOAPI_OPENAPI": str(tmp / "openapi.yml")}
    sh([f"{args.peer_venv}/bin/pygeoapi", "openapi", "generate", str(cfg), "--output-file",
        str(tmp / "openapi.yml")], env=peer_env, capture_output=True)
    servers = [
        subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{ours_port}",
                          "--log-level", "warning", "begegnungsatlas.wsgi:application"], env=env, cwd=ROOT),
        subprocess.Popen([f"{args.peer_venv}/bin/gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{peer_port}",
                          "--log-level", "warning", "pygeoapi.flask_app:APP"], env=peer_env, cwd=tmp),
    ]
    runs: dict[str, dict[str, list[dict[str, float]]]] = {}
    try:
        ours, peer = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{peer_port}"
        wait_for(ours + "/api/ogc/")
        wait_for(peer + "/collections/places")
        sizes = {
            "ours items": [check_sizes(ours, p) for p in ours_items[:5]],
            "pygeoapi items": [check_sizes(peer, p) for p in peer_items[:5]],
            "ours list": [check_sizes(ours, p) for p in ours_list[:5]],
            "pygeoapi list": [check_sizes(peer, p) for p in peer_list[:5]],
        }
        print("features per response (first 5 paths):", sizes)
        # Runs alternate between the servers, so that load from other jobs on the shared machine hits both.
        for run in range(args.runs):
            for case, o_paths, p_paths in (("items", ours_items, peer_items), ("list", ours_list, peer_list)):
                for name, base, paths in (("ours", ours, o_paths), ("pygeoapi", peer, p_paths)):
                    run_wrk(base, paths, clients=args.clients, seconds=args.warmup, tmp=tmp,
                            name=f"{case}-{name}-warm")
                    r = run_wrk(base, paths, clients=args.clients, seconds=args.seconds, tmp=tmp,
                                name=f"{case}-{name}")
                    r["load"] = os.getloadavg()[0]
                    runs.setdefault(case, {}).setdefault(name, []).append(r)
                    print(f"run {run + 1}", case, name, r, flush=True)
    finally:
        for s in servers:
            s.terminate()
        for s in servers:
            s.wait(timeout=30)

    results = {case: {name: median_of(rs) for name, rs in by_name.items()} for case, by_name in runs.items()}
    table = render(results, args)
    print(table)
    per_run = render_runs(runs)
    print(per_run)
    if args.write_docs:
        write_docs(table, per_run, args, results)


def median_of(rs: list[dict[str, float]]) -> dict[str, float]:
    import statistics

    return {k: statistics.median(r[k] for r in rs) for k in ("p50", "p99", "rps", "errors", "requests", "load")}


def render_runs(runs: dict[str, dict[str, list[dict[str, float]]]]) -> str:
    lines = ["| run | endpoint | ours p50 / p99 ms | ours req/s | pygeoapi p50 / p99 ms | pygeoapi req/s | ratio | "
             "load avg (1 min) |", "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for case in ("items", "list"):
        for i, (o, p) in enumerate(zip(runs[case]["ours"], runs[case]["pygeoapi"], strict=True)):
            lines.append(f"| {i + 1} | ({'a' if case == 'items' else 'b'}) | {o['p50']:.1f} / {o['p99']:.1f} | "
                         f"{o['rps']:.1f} | {p['p50']:.1f} / {p['p99']:.1f} | {p['rps']:.1f} | "
                         f"{o['rps'] / p['rps']:.2f}× | {o['load']:.1f} / {p['load']:.1f} |")
    return "\n".join(lines)


def render(results: dict, args: argparse.Namespace) -> str:
    lines = [
        "| endpoint | server | p50 ms | p99 ms | requests/s | errors | requests | throughput ratio | p99 < 100 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    labels = {"items": "(a) OGC items, bbox with ~1,000 places, `limit=1000`",
              "list": "(b) filtered list, bbox with ~200 places, 50 per page"}
    for case, label in labels.items():
        peer_rps = results[case]["pygeoapi"]["rps"]
        for name in ("ours", "pygeoapi"):
            r = results[case][name]
            ratio = f"{r['rps'] / peer_rps:.2f}×" if name == "ours" and peer_rps else "1.00×"
            lines.append(f"| {label} | {'Begegnungsatlas' if name == 'ours' else 'pygeoapi 0.21.0'} | "
                         f"{r['p50']:.1f} | {r['p99']:.1f} | {r['rps']:.1f} | {r['errors']:.0f} | {r['requests']:.0f} | "
                         f"{ratio} | {'yes' if r['p99'] < 100 else 'no'} |")
    return "\n".join(lines)


def verdict(results: dict) -> str:
    out = []
    for case, label in (("items", "(a) OGC items"), ("list", "(b) filtered list")):
        o, p = results[case]["ours"], results[case]["pygeoapi"]
        ratio = o["rps"] / p["rps"] if p["rps"] else float("nan")
        p99 = "met" if o["p99"] < 100 else f"missed: {o['p99']:.0f} ms, {o['p99'] / 100:.1f}× the goal"
        thr = "met" if ratio >= 3 else f"missed: {ratio:.2f}× instead of 3×"
        out.append(f"- {label}: p99 goal {p99}; throughput goal {thr}.")
    return "\n".join(out)


ANALYSIS = """\
**What the hot paths do now:**

- (a) OGC items on PostgreSQL (`api/selectors.py` `place_features_text`, `api/models.py` `PlaceFeature`): the
  GeoJSON text of every shown place (published, with a point) is stored in `api_placefeature` (index on
  (`lon`, `lat`)), in two pieces around the Kommune, whose code and name are joined from `atlas_area` when
  reading (`to_json`, which escapes like `json.dumps`), so renaming an area needs no refresh. One statement
  returns the whole page as one string (`string_agg(… ORDER BY place_id)` over `ORDER BY place_id LIMIT/OFFSET`
  on the bbox), plus a `count(*)` only when the page is full; Python only wraps it in the envelope. The text is
  written by `api.services.place_features_refresh(place_ids=…)`, called inside the transaction of every write
  path (`place_create`/`place_update`, the import (one bulk refresh), the admin (places and target-group
  edits); deletes cascade); the migration fills it for existing places, the benchmark loader after its COPY.
  `tests/api/test_api_placefeature.py` checks after each kind of write that the stored text gives the same
  bytes as the ORM (SQLite and PostgreSQL); `tests/api/test_api_fastpath.py` compares the awkward strings.
  SQLite and HTML keep reading the places directly.
- (b) the filtered list (`place_page_rows`, `place_summaries_json`): the ORM's page query (so the list keeps
  exactly the filters of `places_filtered`) wrapped in an outer select with a correlated
  `ARRAY(SELECT targetgroup_id …)::text` per row; JSON text straight from the driver's tuples with one
  `%`-template per row and the C string escaper of `json` (same bytes as `json.dumps` of the former dicts); a
  count query only when the page is full.
- Cost of one items request with 1,000 features, in-process (Django's test client, 40 bboxes): raw-row path
  ~9 ms of wall time (4.3–4.6 ms CPU in Python + ~4.5 ms in PostgreSQL), stored text 5.3 ms (1.6 ms CPU in
  Python + ~3.5 ms in PostgreSQL: bitmap index scan on (lon, lat), ~180 heap pages, two sorts of 1,000 rows,
  400 KB to the driver). The table holds 50 MB for 100,000 places; a full refresh takes a few seconds.
- **A/B with the same `wrk` load** (32 connections, 20 s after 5 s warm-up, 2 sync workers each, same 40
  bboxes, alternating, load average 2.3–2.8), old raw-row path vs stored text: 161–193 → 271–293 requests/s
  (1.5–1.8×), p99 207–250 ms → 137–152 ms. The earlier table (64 requests/s, p99 825 ms) was measured while the
  machine was far busier (load 5.5–6.8; pygeoapi then managed 8.5 requests/s against 42 now), so compare the
  A/B numbers, not the two tables.

**Measured and not used:** letting PostgreSQL build the GeoJSON per request (`json_build_object` per row +
`string_agg`) took 23–35 ms for 1,000 features (PostgreSQL's JSON functions cost ~12 µs per row; `row_to_json`
16–30 ms, `jsonb_build_object` 31–53 ms) – storing the text moves that work to write time; the page and the
count in one statement (a materialised CTE, or a scalar count subquery): no measurable gain over the
conditional second statement; `count(*) OVER ()`: +0.5 ms for a bbox page, 70 ms instead of 18 ms without
bbox; gthread workers (2 × 4 threads) instead of 2 sync workers: no clear gain.

**Why p99 < 100 ms is still missed for (a):** `wrk` keeps 32 requests in flight, so by Little's law the mean
latency is 32 / throughput; p99 < 100 ms needs well over 320 requests/s with a tight spread. (a) still costs
~5 ms of CPU per request (Python + PostgreSQL) plus 400 KB through loopback, gunicorn and `wrk` (which parses
~120 MB/s at 290 requests/s on the same two cores), so it tops out around 300 requests/s here
(p99 129–152 ms in the runs above and the A/B). The remaining cost is mostly PostgreSQL reading and concatenating 400 KB per request; going
further would need a response cache keyed by bbox (with invalidation from the same refresh call) or more cores.
(b) meets the goal on this machine at its current load.
"""


def write_docs(table: str, per_run: str, args: argparse.Namespace, results: dict) -> None:
    path = ROOT / "docs/PERFORMANCE.md"
    cmd = (f".venv/bin/python bench/bench_register_api.py --places {args.places} --clients {args.clients} "
           f"--seconds {args.seconds} --warmup {args.warmup} --workers {args.workers}"
           f"{' --reuse' if args.reuse else ''} --runs {args.runs} --write-docs")
    body = (
        f"{SECTION}\n\n"
        f"Run on {time.strftime('%Y-%m-%d')}, PostgreSQL 15 + PostGIS 3.3 on the same machine (2 shared cores), "
        f"{args.places:,} synthetic places sampled inside the Gemeinde polygons proportional to population; "
        f"gunicorn {args.workers} sync workers for both servers; `wrk` with {args.clients} connections on "
        f"127.0.0.1, {args.warmup} s warm-up, {args.seconds} s measured, 40 random bboxes per case (the same for "
        f"both); {args.runs} run(s), alternating between the servers; the table shows the median over the runs.\n\n"
        f"Command: `{cmd}`\n\n{table}\n\nEach run:\n\n{per_run}\n\n"
        "- pygeoapi reads the same database through its PostgreSQL provider from `pygeoapi_places`, a copy of the "
        "published places with a PostGIS point column and a GiST index (its best case), `pretty_print: false`, "
        "logging at ERROR; we read (a) from `api_placefeature` (precomputed feature text, btree index on "
        "(`lon`, `lat`)) and (b) from `places_place` through the btree indexes on `lon`/`lat` (bitmap index scans, "
        "checked with `EXPLAIN ANALYZE`). Both use persistent database connections (ours: `CONN_MAX_AGE=600`).\n"
        "- (b) For us: `/api/places?status=existing&zielgruppe=senioren&bbox=…&limit=50` (the JSON list with the "
        "public list's filters; the public HTML list is the web engineer's). pygeoapi has no target groups, so its "
        "query is the easier `items?status=existing&bbox=…&limit=50`.\n"
        "\n**Goals** (p99 < 100 ms, ≥ 3× pygeoapi's requests/s), on the medians:\n\n" + verdict(results) + "\n\n"
        + ANALYSIS
    )
    replace_section(SECTION, body, path)


if __name__ == "__main__":
    main()

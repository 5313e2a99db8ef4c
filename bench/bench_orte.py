"""Benchmark: the public place list ``/orte/`` (and the map's points) under 32 concurrent clients, SQLite.

What it does (loopback only, temporary data directory, deleted afterwards):

1. for each size (default 2,000 and 100,000): a fresh SQLite database (WAL, as in production), migrated, the
   bundled real areas (Kreis Düren, Dortmund), then N synthetic published places ("Synthetischer Benchmark-Ort …",
   ``source="benchmark"``; they exist only in this temporary database and are never shown as data), spread over
   the real Kommunen, one in three with opening hours and two target groups;
2. serves the site with gunicorn (``--workers`` sync workers, ``BEGEGNUNGSATLAS_DEBUG=0``);
3. runs ``wrk`` with ``--clients`` connections for ``--seconds`` per request mix, after a warm-up:
   (a) the list, first page; (b) the list, random pages; (c) the list with search + filter; (d) the map's points
   (capped at 3,000; the map then asks for its view); prints p50/p99, requests/s and errors, and with
   ``--write-docs`` writes the table into ``docs/PERFORMANCE.md``.
   ``--before-ref REF`` also serves the code of git ref REF (e.g. ``main`` before the change) on the same database
   and measures it in the same run (only for sizes ≤ ``--before-max``: the old list loads every place).

    .venv/bin/python bench/bench_orte.py --sizes 2000 100000 --write-docs

Needs: ``wrk`` (Debian package), gunicorn in our venv (``.[bench]``).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_register_api import run_wrk, wait_for  # noqa: E402
from bench.docs import replace_section  # noqa: E402

SECTION = "## Public place list /orte/ (SQLite, 32 clients)"
HOURS = ["Mo-Fr 09:00-17:00; PH off", "Tu,Th 14:00-18:00", "Mo-Su 10:00-22:00"]


def load(data_dir: Path, n: int) -> None:
    """Migrate a fresh database in ``data_dir`` and add ``n`` synthetic places (in a subprocess: own settings)."""
    code = f"""
import random, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from begegnungsatlas.atlas import demo
from begegnungsatlas.atlas.models import Area
from begegnungsatlas.places.models import Place, TargetGroup
demo.load_kreis_dueren(out=lambda *a: None)
demo.load_dortmund(out=lambda *a: None)
kommunen = list(Area.objects.filter(level__is_municipality=True, region__is_reference=False)
                .values_list("id", "centroid_lon", "centroid_lat", "name"))
groups = list(TargetGroup.objects.values_list("id", flat=True))
rng = random.Random(1)
hours = {HOURS!r}
batch = []
for i in range({n}):
    kid, lon, lat, name = rng.choice(kommunen)
    batch.append(Place(name=f"Synthetischer Benchmark-Ort {{i:06d}}", description="Synthetische Benchmark-Daten.",
                       street=f"Teststraße {{i % 500}}", postcode="00000", city=name, kommune_id=kid,
                       lon=lon + rng.uniform(-0.02, 0.02), lat=lat + rng.uniform(-0.02, 0.02),
                       status=rng.choice(["existing"] * 8 + ["planned", "potential"]),
                       opening_hours=hours[i % 3] if i % 3 == 0 else "", source="benchmark", is_published=True))
    if len(batch) == 5000:
        Place.objects.bulk_create(batch); batch = []
Place.objects.bulk_create(batch)
Through = Place.target_groups.through
ids = list(Place.objects.filter(source="benchmark").values_list("id", flat=True))
Through.objects.bulk_create([Through(place_id=p, targetgroup_id=g) for j, p in enumerate(ids) if j % 3 == 0
                             for g in rng.sample(groups, 2)], batch_size=5000)
"""
    env = {**os.environ, "BEGEGNUNGSATLAS_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "begegnungsatlas.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run([str(ROOT / ".venv/bin/python"), "-c", code], check=True, env=env, cwd=ROOT)


def serve(code_dir: Path, data_dir: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "BEGEGNUNGSATLAS_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "begegnungsatlas.settings",
           "BEGEGNUNGSATLAS_DEBUG": "0", "PYTHONPATH": str(code_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "--timeout", "120", "--preload", "begegnungsatlas.wsgi:application"],
        env=env, cwd=code_dir, stdout=subprocess.DEVNULL)


def warm(base: str, paths: list[str], workers: int) -> None:
    """Sequential requests first, so that every worker has done its one-time start-up work (URLconf, templates)."""
    for path in (paths * (2 * workers + 1))[: 4 * workers]:
        with urllib.request.urlopen(base + path, timeout=300) as r:  # noqa: S310 - loopback only
            r.read()


def mixes(n: int) -> dict[str, list[str]]:
    pages = max(1, n // 25)
    rng = random.Random(3)
    return {
        "(a) list, first page": ["/orte/"],
        "(b) list, random pages": [f"/orte/?seite={rng.randint(1, pages)}" for _ in range(40)],
        "(c) list, search + filter": [f"/orte/?q=Benchmark-Ort+{rng.randint(0, 99):02d}&status=existing"
                                      for _ in range(40)],
        "(d) map points": ["/orte/karte.geojson"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 100_000])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--before-ref", default="", help="also measure this git ref (e.g. main) on the same data")
    ap.add_argument("--before-max", type=int, default=2000)
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing (Debian: apt-get install wrk)")
    results: list[tuple[int, str, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="ba-bench-orte-") as tmp_s:
        tmp = Path(tmp_s)
        before_dir = None
        if args.before_ref:
            before_dir = tmp / "before"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before_dir), args.before_ref],
                           check=True, capture_output=True)
        try:
            for n in args.sizes:
                data = tmp / f"data-{n}"
                data.mkdir()
                t0 = time.perf_counter()
                load(data, n)
                print(f"{n:,} places loaded in {time.perf_counter() - t0:.0f} s", flush=True)
                sides = [("now", ROOT)]
                if before_dir is not None and n <= args.before_max:
                    sides.append((f"before ({args.before_ref})", before_dir))
                for i, (side, code) in enumerate(sides):
                    port = 8790 + i
                    server = serve(code, data, port, args.workers)
                    try:
                        base = f"http://127.0.0.1:{port}"
                        wait_for(base + "/orte/", timeout=300)
                        for label, paths in mixes(n).items():
                            warm(base, paths, args.workers)
                            run_wrk(base, paths, clients=args.clients, seconds=3, tmp=tmp, name="warm")
                            r = run_wrk(base, paths, clients=args.clients, seconds=args.seconds, tmp=tmp, name="run")
                            print(n, side, label, r, flush=True)
                            results.append((n, side, label, r))
                    finally:
                        server.terminate()
                        server.wait(timeout=30)
        finally:
            if before_dir is not None:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_dir)], check=False)
    text = table(results, args)
    print(text)
    if args.write_docs:
        replace_section(SECTION, text)


def table(results: list[tuple[int, str, str, dict[str, float]]], args: argparse.Namespace) -> str:
    load_avg = os.getloadavg()[0]
    lines = [
        SECTION, "",
        f"Synthetic published places in the real Kommunen (never shown as data: a temporary SQLite database in WAL "
        f"mode), gunicorn with {args.workers} sync workers, `wrk` with {args.clients} connections for "
        f"{args.seconds} s per row after a 3 s warm-up, same machine (2 cores, shared; 1-min load average at the end "
        f"{load_avg:.1f}). The list shows 25 places per page; the map's points are capped at 3,000 per response "
        "(the map then loads its visible area by `bbox`). Issue 8.9 measured 0.8 req/s for the old list at 2,000 "
        "places.", "",
        "    " + " ".join([".venv/bin/python bench/bench_orte.py --sizes", *map(str, args.sizes),
                           "--seconds", str(args.seconds),
                           *(["--before-ref", args.before_ref] if args.before_ref else []), "--write-docs"]), "",
        "| places | code | request mix | p50 ms | p99 ms | requests/s | errors | requests |",
        "|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for n, side, label, r in results:
        lines.append(f"| {n:,} | {side} | {label} | {r['p50']:.1f} | {r['p99']:.1f} | {r['rps']:.1f} | "
                     f"{int(r['errors'])} | {int(r['requests'])} |")
    now = [r["rps"] for _n, side, _l, r in results if side == "now"]
    if now:
        lines += ["", f"Median requests/s over all rows (now): {statistics.median(now):.1f}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

"""Benchmark: HSDS 3.0 list pages (50 items) with the Kommune polygons deferred vs. decoded per place (before).

What it does (SQLite, in-process, no server):

1. creates a fresh SQLite database in a temporary data directory, migrates it and loads the bundled real areas
   (Kreis Düren, Dortmund);
2. adds N synthetic published places (names "Synthetischer Benchmark-Ort …", never shown as data), each in a real
   Kommune, half of them with one offer, one organisation per 10 places;
3. requests every list endpoint with ``per_page=50`` through Django's test client, ``--runs`` times after one
   warm-up, (a) as the API runs now and (b) with the old behaviour, the Kommune row (with its megabytes of GeoJSON)
   joined and decoded for every place; prints the medians and the ratio, and with ``--write-docs`` writes the table
   into ``docs/PERFORMANCE.md``.

    .venv/bin/python bench/bench_hsds.py --places 2000 --runs 15 --write-docs
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.docs import replace_section  # noqa: E402

SECTION = "## HSDS 3.0 API (list pages)"
ENDPOINTS = [
    ("/api/hsds/services", {"per_page": "50"}),
    ("/api/hsds/services", {"per_page": "50", "full": "true"}),
    ("/api/hsds/service_at_locations", {"per_page": "50"}),
    ("/api/hsds/organizations", {"per_page": "50"}),
]


def setup(n: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from begegnungsatlas.atlas import demo
    from begegnungsatlas.atlas.models import Area
    from begegnungsatlas.places.models import ActorRole, Offer, Organisation, Place, PlaceActor

    demo.load_kreis_dueren(out=lambda *_a: None)
    demo.load_dortmund(out=lambda *_a: None)
    kommunen = list(Area.objects.filter(level__is_municipality=True, region__is_reference=False)
                    .values_list("id", "centroid_lon", "centroid_lat", "name"))
    rng = random.Random(1)
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Synthetischer Benchmark-Träger {i:05d}", kind="verein") for i in range(n // 10 + 1)])
    places = []
    for i in range(n):
        kid, lon, lat, name = rng.choice(kommunen)
        places.append(Place(name=f"Synthetischer Benchmark-Ort {i:06d}", description="Synthetische Testdaten.",
                            street=f"Teststraße {i}", postcode="00000", city=name, kommune_id=kid,
                            lon=(lon or 6.5) + rng.uniform(-0.01, 0.01), lat=(lat or 50.8) + rng.uniform(-0.01, 0.01),
                            opening_hours="Mo-Fr 09:00-17:00; PH off", source="benchmark", is_published=True))
    Place.objects.bulk_create(places, batch_size=1000)
    places = list(Place.objects.filter(source="benchmark").order_by("id"))
    PlaceActor.objects.bulk_create([PlaceActor(place=p, organisation=orgs[i // 10], role=ActorRole.RUNS)
                                    for i, p in enumerate(places)], batch_size=1000)
    Offer.objects.bulk_create([Offer(place=p, title=f"Synthetisches Angebot {i:06d}", schedule="Th 15:00-17:00")
                               for i, p in enumerate(places) if i % 2 == 0], batch_size=1000)


def measure(runs: int) -> list[tuple[str, float, float]]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from begegnungsatlas.api import hsds

    setup_test_environment()
    client = Client()
    out = []
    for path, params in ENDPOINTS:
        times: dict[str, list[float]] = {"now": [], "before": []}
        for variant in ("now", "before", "now", "before"):  # warm-up, then alternate below
            hsds.KOMMUNE_GEOMETRY = () if variant == "before" else hsds.related_geometry("kommune")
            client.get(path, params)
        for _ in range(runs):
            for variant in ("now", "before"):
                hsds.KOMMUNE_GEOMETRY = () if variant == "before" else hsds.related_geometry("kommune")
                t0 = time.perf_counter()
                r = client.get(path, params)
                times[variant].append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200 or len(r.json()["contents"]) != 50:
                    raise SystemExit(f"{path}: HTTP {r.status_code}")
        hsds.KOMMUNE_GEOMETRY = hsds.related_geometry("kommune")
        label = path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()))
        out.append((label, statistics.median(times["now"]), statistics.median(times["before"])))
    return out


def table(rows: list[tuple[str, float, float]], n: int, runs: int) -> str:
    lines = [
        f"{SECTION}", "",
        f"{n:,} synthetic published places in the real Kommunen of Kreis Düren and Dortmund, SQLite, in-process "
        f"(Django test client, no server), median of {runs} alternating runs after a warm-up. *Before*: the "
        "Kommune row joined with its GeoJSON polygon, decoded for every place (the old behaviour, issue 8.7). "
        "Goal: ≤ 50 ms per list page of 50 items.", "",
        f"    .venv/bin/python bench/bench_hsds.py --places {n} --runs {runs} --write-docs", "",
        "| request | now ms | before ms | before / now | ≤ 50 ms |",
        "|---|---:|---:|---:|---|",
    ]
    for label, now, before in rows:
        lines.append(f"| `{label}` | {now:.1f} | {before:.1f} | {before / now:.1f}× | {'yes' if now <= 50 else 'no'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--places", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ba-bench-hsds-") as tmp:
        os.environ["BEGEGNUNGSATLAS_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "begegnungsatlas.settings")
        t0 = time.perf_counter()
        setup(args.places)
        print(f"loaded {args.places} synthetic places in {time.perf_counter() - t0:.1f} s", flush=True)
        text = table(measure(args.runs), args.places, args.runs)
    print(text)
    if args.write_docs:
        replace_section(SECTION, text)


if __name__ == "__main__":
    main()

"""Bundling view (seed 004): offers × target groups × places, clusters within walking distance, candidate centres.

Reads only (no writes); the computation is ``analysis.bundling`` on EPSG:25832 coordinates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _

from begegnungsatlas.analysis.bundling import proximity_clusters, reach_counts
from begegnungsatlas.analysis.errors import AnalysisError
from begegnungsatlas.atlas.models import Region
from begegnungsatlas.places.models import Offer, Place, PlaceStatus, TargetGroup
from begegnungsatlas.places.models.place import OfferCategory

from ..errors import GapsError
from .analysis import metric_xy

MIN_RADIUS_M, MAX_RADIUS_M = 100, 5000


def bundling_overview(*, region: Region, group: TargetGroup | None, radius: float) -> dict[str, Any]:
    if not MIN_RADIUS_M <= radius <= MAX_RADIUS_M:
        raise GapsError(_("Die Gehentfernung muss zwischen %(a)s und %(b)s m liegen.")
                        % {"a": MIN_RADIUS_M, "b": MAX_RADIUS_M})
    in_region = Q(place__kommune__region=region) | Q(place__area__region=region)
    offers = list(
        Offer.objects.filter(in_region, place__is_published=True, place__lon__isnull=False,
                             place__lat__isnull=False)
        .select_related("place").prefetch_related("target_groups", "place__target_groups").distinct()
    )
    if not offers:
        raise GapsError(_("In der Region „%(region)s“ gibt es noch keine Angebote an Orten.") % {"region": region.name})

    def groups_of(offer: Offer) -> list[TargetGroup]:
        # An offer without its own target groups serves the place's target groups.
        return list(offer.target_groups.all()) or list(offer.place.target_groups.all())

    categories = dict(OfferCategory.choices)
    matrix: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for offer in offers:
        for tg in groups_of(offer):
            matrix[tg.name_de][offer.category] += 1
    matrix_rows = [{"group": name, "counts": [matrix[name].get(c, 0) for c in categories]}
                   for name in sorted(matrix)]

    chosen = [o for o in offers if group is None or any(tg.pk == group.pk for tg in groups_of(o))]
    if not chosen:
        raise GapsError(_("Keine Angebote für die Zielgruppe „%(group)s“.") % {"group": group.name_de if group else ""})
    places = {o.place_id: o.place for o in chosen}
    place_ids = list(places)
    place_xy = metric_xy([(float(places[i].lon or 0), float(places[i].lat or 0)) for i in place_ids])
    try:
        labels = proximity_clusters(place_xy, radius)
    except AnalysisError as exc:
        raise GapsError(_("Die Berechnung ist nicht möglich: %(detail)s") % {"detail": exc}) from exc
    offers_by_place: dict[int, list[Offer]] = defaultdict(list)
    for o in chosen:
        offers_by_place[o.place_id].append(o)
    clusters: list[dict[str, Any]] = []
    for label in np.unique(labels):
        members = [place_ids[i] for i in np.flatnonzero(labels == label)]
        cluster_offers = [o for pid in members for o in offers_by_place[pid]]
        clusters.append({
            "places": [places[pid].name for pid in members],
            "points": [[float(places[pid].lon or 0), float(places[pid].lat or 0), places[pid].name] for pid in members],
            "offers": [o.title for o in cluster_offers],
            "categories": sorted({str(categories[o.category]) for o in cluster_offers}),
        })
    clusters.sort(key=lambda c: (-len(c["places"]), -len(c["offers"])))

    # Candidate centres: every place with coordinates in the region (existing, planned, Potenzialraum).
    centres = list(
        Place.objects.filter(Q(kommune__region=region) | Q(area__region=region), lon__isnull=False,
                             lat__isnull=False)
        .exclude(status=PlaceStatus.EXISTING, is_published=False).distinct()
    )
    offer_xy = metric_xy([(float(o.place.lon or 0), float(o.place.lat or 0)) for o in chosen])
    centre_xy = metric_xy([(float(c.lon or 0), float(c.lat or 0)) for c in centres])
    reach = reach_counts(centre_xy, offer_xy, [o.pk for o in chosen], radius)
    top = np.argsort(-reach, kind="stable")[:10]
    return {
        "radius": radius,
        "group": group.name_de if group else _("alle Zielgruppen"),
        "categories": [str(v) for v in categories.values()],
        "matrix": matrix_rows,
        "clusters": clusters,
        "centres": [{"name": centres[i].name, "status": centres[i].get_status_display(), "offers": int(reach[i]),
                     "lon": centres[i].lon, "lat": centres[i].lat} for i in top if reach[i] > 0],
        "offers_total": len(chosen),
    }

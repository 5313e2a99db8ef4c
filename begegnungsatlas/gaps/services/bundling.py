"""Bundling view (seed 004): offers × target groups × places, clusters within walking distance, candidate centres.

Reads only (no writes); the computation is ``analysis.bundling`` on EPSG:25832 coordinates, in a straight line or,
with a walking network, on foot. With a network, places and candidate centres outside its extent are left out of
the clusters and the centres and reported by name (the offers × target groups matrix counts every offer).
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

from .. import adapter
from ..errors import GapsError
from ..models import WalkingNetwork
from .analysis import distance_info, metric_xy
from .networks import network_graph

MIN_RADIUS_M, MAX_RADIUS_M = 100, 5000


def bundling_overview(*, region: Region, group: TargetGroup | None, radius: float,
                      network: WalkingNetwork | None = None) -> dict[str, Any]:
    """Matrix, clusters and candidate centres; ``network``: distances on foot on this walking network of
    ``region`` (None: straight line)."""
    if not MIN_RADIUS_M <= radius <= MAX_RADIUS_M:
        raise GapsError(_("Die Gehentfernung muss zwischen %(a)s und %(b)s m liegen.")
                        % {"a": MIN_RADIUS_M, "b": MAX_RADIUS_M})
    if network is not None and network.region_id != region.pk:
        raise GapsError(_("Das Wegenetz gehört nicht zur gewählten Region."))
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
    all_ids = list(places)
    all_xy = metric_xy([(float(places[i].lon or 0), float(places[i].lat or 0)) for i in all_ids])
    # Candidate centres: every place with coordinates in the region (existing, planned, Potenzialraum).
    all_centres = list(
        Place.objects.filter(Q(kommune__region=region) | Q(area__region=region), lon__isnull=False,
                             lat__isnull=False)
        .exclude(status=PlaceStatus.EXISTING, is_published=False).distinct()
    )
    all_centre_xy = metric_xy([(float(c.lon or 0), float(c.lat or 0)) for c in all_centres])
    graph = None
    places_out = np.zeros(len(all_ids), dtype=bool)
    centres_out = np.zeros(len(all_centres), dtype=bool)
    if network is not None:
        # Walking distances only between points inside the network's extent; the rest is named, never guessed.
        graph = network_graph(network)
        out = adapter.outside(graph, np.vstack([all_xy, all_centre_xy]))  # one hull test for both
        places_out, centres_out = out[: len(all_ids)], out[len(all_ids) :]
        if places_out.all():
            raise GapsError(_("Kein Ort mit Angeboten für %(group)s liegt im Wegenetz „%(name)s“; bitte ein "
                              "Wegenetz wählen, das diese Orte abdeckt, oder Luftlinie.")
                            % {"group": group.name_de if group else _("alle Zielgruppen"), "name": network.name})
    place_ids = [pid for pid, out in zip(all_ids, places_out, strict=True) if not out]
    place_xy = all_xy[~places_out]
    left_out = set(all_ids) - set(place_ids)
    used = [o for o in chosen if o.place_id not in left_out]
    centres = [c for c, out in zip(all_centres, centres_out, strict=True) if not out]
    centre_xy = all_centre_xy[~centres_out] if len(all_centres) else all_centre_xy
    try:
        labels = proximity_clusters(place_xy, radius, network=graph)
        offer_xy = metric_xy([(float(o.place.lon or 0), float(o.place.lat or 0)) for o in used])
        reach = (reach_counts(centre_xy, offer_xy, [o.pk for o in used], radius, network=graph) if centres
                 else np.zeros(0, dtype=np.int64))
    except AnalysisError as exc:
        raise GapsError(_("Die Berechnung ist nicht möglich: %(detail)s") % {"detail": exc}) from exc
    offers_by_place: dict[int, list[Offer]] = defaultdict(list)
    for o in used:
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
        "distance": distance_info(network),
        # Left out because they lie outside the walking network (empty in a straight line): places with offers
        # for the group (their offers are in no cluster and count for no centre), and further candidate centres.
        "outside_places": [places[pid].name for pid in all_ids if pid in left_out],
        "outside_offers": len(chosen) - len(used),
        "outside_centres": [c.name for c, out in zip(all_centres, centres_out, strict=True)
                            if out and c.pk not in left_out],
    }

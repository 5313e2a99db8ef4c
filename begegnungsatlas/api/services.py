"""Writes of the api app: keeping ``PlaceFeature`` (the precomputed OGC feature text) in step with the places.

``place_features_refresh`` is the only writer. Every write path of places calls it inside its own transaction
(``places.services.places``, the import, the admin, accepting a suggestion, target-group edits), so a reader
never sees text that differs from what the ORM would give; ``tests/api/test_api_placefeature.py`` checks that
after each kind of write.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from . import ogc, selectors
from .models import PlaceFeature

CHUNK = 500  # ids per statement (SQLite allows a few thousand parameters in older versions)
BATCH = 2000


@transaction.atomic
def place_features_refresh(*, place_ids: Iterable[int] | None = None) -> int:
    """Recompute the feature text of ``place_ids`` (``None`` = every place) from the current rows.

    Places that are unpublished, deleted or without a point lose their row. Returns the number of rows
    written.
    """
    if place_ids is None:
        PlaceFeature.objects.all().delete()
        return _write(selectors.feature_rows(None))
    ids = sorted({int(i) for i in place_ids if i is not None})
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        PlaceFeature.objects.filter(place_id__in=chunk).delete()
        written += _write(selectors.feature_rows(chunk))
    return written


def _write(fetched: tuple[selectors.RawPage, dict[int, int | None]]) -> int:
    page, kommune = fetched
    rows = [
        PlaceFeature(place_id=pk, kommune_id=kommune[pk], lon=r[9], lat=r[10], head=head, tail=tail)
        for (pk, head, tail), r in zip(ogc.place_feature_pieces(page), page.rows, strict=True)
    ]
    PlaceFeature.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)

"""Walking networks of the gap analysis: import an OSM extract, build its graph, load it, delete it.

The uploaded file is checked by its content (``core.filetypes``: OSM XML, ``.osm.gz`` or PBF only), stored in the
private default storage under a random name (with the suffix of the detected kind, which libosmium needs), and
the walking graph is built from it by ``analysis.network.walking_network_from_osm`` — in the background
(``tasks.network_build_task``) for uploads, directly for the demo loader. The built graph is stored as ``.npz``
beside the extract, so an analysis only loads arrays. Deleting a network deletes both files.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.analysis import network as core_network
from begegnungsatlas.analysis.errors import AnalysisError, EmptyInputError
from begegnungsatlas.atlas.models import Region
from begegnungsatlas.core import filetypes
from begegnungsatlas.core.geo import METRIC_CRS, WEB_CRS, transformer
from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.services import audit_record

from ..errors import GapsError
from ..models import OSM_ATTRIBUTION, NetworkStatus, WalkingNetwork

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


OSM_KINDS = {"osm_xml": ".osm", "osm_gz": ".osm.gz", "osm_pbf": ".osm.pbf"}
FOLDER = "gaps/networks"


def max_bytes() -> int:
    return int(getattr(settings, "BEGEGNUNGSATLAS_MAX_IMPORT_BYTES", 50 * 1024 * 1024))


def network_import(*, region: Region, name: str, source: str, content: bytes, original_name: str = "",
                   licence: str = OSM_ATTRIBUTION, data_date: str = "", actor: Actor = None) -> WalkingNetwork:
    """Check and store an OSM extract as a new (not yet built) walking network of ``region``.

    Raises ``GapsError`` (German) for an empty, too large or non-OSM file or a name already used; nothing is
    stored then.
    """
    name, source = name.strip(), source.strip()
    if not name or not source:
        raise GapsError(_("Bitte Name und Quelle des Wegenetzes angeben."))
    if len(content) > max_bytes():
        raise GapsError(_("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": max_bytes() // (1024 * 1024)})
    try:
        kind = filetypes.sniff_bytes(content)
    except filetypes.FileTypeError as exc:
        raise GapsError(str(exc)) from exc
    if kind not in OSM_KINDS:
        raise GapsError(_("Das ist kein OpenStreetMap-Auszug. Bitte laden Sie eine Datei .osm, .osm.gz oder "
                          ".osm.pbf hoch (geprüft wird der Inhalt, nicht der Name)."))
    if WalkingNetwork.objects.filter(region=region, name=name).exists():
        raise GapsError(_("Es gibt schon ein Wegenetz „%(name)s“ in dieser Region.") % {"name": name})
    stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}{OSM_KINDS[kind]}", ContentFile(content))
    try:
        with transaction.atomic():
            network = WalkingNetwork.objects.create(
                region=region, name=name[:200], source=source[:300], licence=(licence or OSM_ATTRIBUTION)[:300],
                data_date=data_date[:60], file=stored, kind=kind, original_name=original_name[:255],
                size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                created_by=signed_in(actor),
            )
            audit_record(actor=actor, action="gaps.network_import", obj=network,
                         changes={"name": name, "source": source, "kind": kind, "size": len(content)})
    except Exception:
        default_storage.delete(stored)  # nothing stored when the record is not
        raise
    return network


def network_build(network: WalkingNetwork) -> WalkingNetwork:
    """Build the walking graph of the stored extract and store it; the record says *ready* or *failed*.

    A file without walkable ways or one libosmium cannot read marks the network as failed with a German message
    and raises ``GapsError`` with that message.
    """
    try:
        path = default_storage.path(network.file.name or "")
        graph = core_network.walking_network_from_osm(path, crs=METRIC_CRS)
    except EmptyInputError as exc:
        return _failed(network, _("Im OSM-Auszug gibt es keine begehbaren Wege (highway=…)."), exc)
    except (AnalysisError, RuntimeError, OSError) as exc:
        return _failed(network, _("Die OSM-Datei kann nicht gelesen werden; sie ist beschädigt oder unvollständig."),
                       exc)
    buf = io.BytesIO()
    core_network.network_to_npz(graph, buf)
    old = network.graph_file.name
    stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}.npz", ContentFile(buf.getvalue()))
    lon, lat = transformer(METRIC_CRS, WEB_CRS).transform(graph.node_xy[:, 0], graph.node_xy[:, 1])
    network.graph_file.name = stored
    network.status = NetworkStatus.READY
    network.nodes = graph.n_nodes
    network.edges = int(graph.graph.nnz // 2)
    network.length_km = round(float(graph.graph.data.sum()) / 2 / 1000, 2)
    network.extent = [round(float(np.min(lon)), 6), round(float(np.min(lat)), 6),
                      round(float(np.max(lon)), 6), round(float(np.max(lat)), 6)]
    network.message = _("%(nodes)s Knoten, %(km)s km Wege (größter zusammenhängender Teil).") % {
        "nodes": f"{graph.n_nodes:,}".replace(",", "."), "km": f"{network.length_km:.1f}".replace(".", ",")}
    network.save(update_fields=["graph_file", "status", "nodes", "edges", "length_km", "extent", "message"])
    if old:
        default_storage.delete(old)
    return network


def _failed(network: WalkingNetwork, message: str, exc: BaseException) -> WalkingNetwork:
    network.status = NetworkStatus.FAILED
    network.message = message[:500]
    network.save(update_fields=["status", "message"])
    raise GapsError(message) from exc


def network_delete(*, network: WalkingNetwork, actor: Actor) -> None:
    """Delete the record; its stored files go once the transaction has committed (``signals.py``)."""
    with transaction.atomic():
        audit_record(actor=actor, action="gaps.network_delete", obj=network, changes={"name": network.name})
        network.delete()


def network_graph(network: WalkingNetwork) -> core_network.WalkingNetwork:
    """The built graph of a *ready* network (cached per stored graph file)."""
    if network.status != NetworkStatus.READY or not network.graph_file:
        raise GapsError(_("Das Wegenetz „%(name)s“ ist noch nicht aufgebaut oder fehlerhaft.")
                        % {"name": network.name})
    try:
        return _load(network.graph_file.name or "")
    except (AnalysisError, OSError) as exc:
        raise GapsError(_("Der Wegegraph „%(name)s“ ist nicht mehr lesbar; bitte das Wegenetz neu importieren.")
                        % {"name": network.name}) from exc


@lru_cache(maxsize=4)
def _load(name: str) -> core_network.WalkingNetwork:
    with default_storage.open(name, "rb") as fh:
        return core_network.network_from_npz(io.BytesIO(fh.read()))

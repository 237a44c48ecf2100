"""Reading OpenStreetMap extracts: ``.osm`` XML (plain, ``.gz``, ``.bz2``) and ``.osm.pbf``.

A reader keeps what :mod:`yrdnet.network.osm` builds a graph from — motorway and trunk
ways, main-line and high-speed rail ways, station nodes and the route relations naming a
rail way's line — in plain Python containers (:class:`_OsmTables`). XML is parsed
incrementally with :mod:`xml.etree.ElementTree`; PBF needs pyosmium (the ``pbf`` extra).
Private to the network wing: users call :func:`yrdnet.graph_from_xml` and
:func:`yrdnet.graph_from_pbf`.
"""

from __future__ import annotations

import bz2
import gzip
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yrdnet.core.errors import DataError
from yrdnet.core.optional import import_optional

__all__: list[str] = []

log = logging.getLogger(__name__)

_ROAD_CLASSES = frozenset({"motorway", "motorway_link", "trunk", "trunk_link"})
_ROUTE_PRIORITY = {"railway": 0, "train": 1}  # route relations naming a rail way's line
_RAIL_USAGE = frozenset({"main"})


def _way_class(tags: dict[str, str]) -> str | None:
    """Key of :data:`yrdnet.network.osm.DEFAULT_SPEEDS_KPH` for a kept way, ``None`` for a dropped one."""
    hw = tags.get("highway")
    if hw in _ROAD_CLASSES:
        return hw
    if tags.get("railway") == "rail" and "service" not in tags:
        if tags.get("highspeed") == "yes":
            return "rail_highspeed"
        if tags.get("usage") in _RAIL_USAGE:
            return "rail"
    return None


def _is_station(tags: dict[str, str]) -> bool:
    return tags.get("railway") == "station" or tags.get("public_transport") == "station"


def _node_of_interest(tags: dict[str, str]) -> bool:
    return _is_station(tags) or tags.get("highway") == "motorway_junction"


def _route_relation(tags: dict[str, str]) -> bool:
    return tags.get("type") == "route" and tags.get("route") in _ROUTE_PRIORITY


# ----------------------------------------------------------------------------- readers

_Way = tuple[int, list[int], dict[str, str], str]


@dataclass
class _OsmTables:
    """What a reader hands to the builder (plain Python containers)."""

    source: Path
    coords: dict[int, tuple[float, float]] = field(default_factory=dict)  # id -> (lon, lat)
    node_tags: dict[int, dict[str, str]] = field(default_factory=dict)  # stations, junctions
    ways: list[_Way] = field(default_factory=list)  # kept ways: (id, node refs, tags, class)
    relations: list[tuple[int, dict[str, str], list[int]]] = field(default_factory=list)


def _read_xml(path: Path) -> _OsmTables:
    t = _OsmTables(path)
    try:
        opener: Any = {".bz2": bz2.open, ".gz": gzip.open}.get(path.suffix, open)
        with opener(path, "rb") as f:
            root: ET.Element | None = None
            for event, el in ET.iterparse(f, events=("start", "end")):
                if root is None:
                    root = el
                if event != "end" or el.tag not in ("node", "way", "relation"):
                    continue
                tags = {c.get("k", ""): c.get("v", "") for c in el.iter("tag")}
                oid = int(el.get("id", "0"))
                if el.tag == "node" and "lat" in el.attrib and "lon" in el.attrib:
                    t.coords[oid] = (float(el.get("lon", "nan")), float(el.get("lat", "nan")))
                    if _node_of_interest(tags):
                        t.node_tags[oid] = tags
                elif el.tag == "way":
                    cls = _way_class(tags)
                    if cls is not None:
                        t.ways.append((oid, [int(n.get("ref", "0")) for n in el.iter("nd")], tags, cls))
                elif _route_relation(tags):
                    members = [int(m.get("ref", "0")) for m in el.iter("member") if m.get("type") == "way"]
                    t.relations.append((oid, tags, members))
                root.clear()  # stream: drop what has been read
    except ET.ParseError as e:
        msg = f"{path}: malformed OSM XML ({e})"
        raise DataError(msg) from e
    except (ValueError, OSError, EOFError) as e:
        msg = f"{path}: cannot read OSM XML ({e})"
        raise DataError(msg) from e
    return t


def _import_osmium() -> Any:
    return import_optional("osmium", "reading .osm.pbf files", "pbf")


def _read_pbf(path: Path) -> _OsmTables:
    osmium = _import_osmium()
    t = _OsmTables(path)
    keys = osmium.filter.KeyFilter("highway", "railway", "public_transport", "route")
    try:
        for obj in osmium.FileProcessor(str(path)).with_locations().with_filter(keys):
            tags = {tag.k: tag.v for tag in obj.tags}
            if obj.is_node():
                if _node_of_interest(tags) and obj.location.valid():
                    t.coords[obj.id] = (obj.location.lon, obj.location.lat)
                    t.node_tags[obj.id] = tags
            elif obj.is_way():
                cls = _way_class(tags)
                if cls is None:
                    continue
                for n in obj.nodes:
                    if n.location.valid():  # invalid: the node is missing from the extract
                        t.coords[n.ref] = (n.location.lon, n.location.lat)
                t.ways.append((obj.id, [n.ref for n in obj.nodes], tags, cls))
            elif obj.is_relation() and _route_relation(tags):
                t.relations.append((obj.id, tags, [m.ref for m in obj.members if m.type == "w"]))
    except (RuntimeError, OSError, ValueError) as e:
        msg = f"{path}: cannot read OSM PBF ({e})"
        raise DataError(msg) from e
    return t

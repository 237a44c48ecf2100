"""Build the multimodal graph from OpenStreetMap data read offline (``.osm`` XML or ``.osm.pbf``).

The second source of ``shared/DESIGN.md``: the same graph contract as
:func:`yrdnet.graph_from_tables`, built from a local OSM extract instead of the curated
tables. Two readers turn a file into plain tables (node coordinates, tags of the few
interesting nodes, kept ways, route relations); one builder turns the tables into the graph,
so an XML file and a PBF file holding the same data give the same graph.

Which ways are kept
-------------------
* roads: ``highway`` in ``motorway``, ``motorway_link``, ``trunk``, ``trunk_link`` (edge mode
  ``"road"``, ``route`` = ``ref``, else ``name``). ``oneway=yes|true|1`` (and
  ``junction=roundabout``) gives forward edges only, ``oneway=-1|reverse`` reverse edges
  only; other ways are two-way, as in OSMnx.
* rail: ``railway=rail`` with ``highspeed=yes`` or ``usage=main``, without a ``service``
  tag (sidings, yards, spurs) (edge mode ``"rail"``, always two-way). ``line`` is the
  name of the way's ``route=railway`` relation, else of a ``route=train`` relation, else the
  way's ``name`` or ``ref``, else ``"rail"``.

Speeds come from ``maxspeed`` (:func:`parse_maxspeed`), else the per-class assumption in
:data:`DEFAULT_SPEEDS_KPH`; travel times apply the :class:`yrdnet.TravelTimeModel` factors
exactly as the curated builder does (``road_speed_factor`` and ``road_congestion`` on roads,
``rail_speed_factor`` on rail). Edge lengths are great-circle lengths of the way geometry.

Graph layout
------------
* ``rd:<osm id>`` road nodes and ``pl:osm:<osm id>`` rail nodes (``kind="station"`` as the
  contract requires for rail endpoints, attribute ``line``). Ways are split only at their
  ends, at nodes shared with another kept way of the same layer and at stations; the shape
  points in between go to the edge ``geometry`` (as :func:`osmnx.simplify_graph` does).
  All rail ways share one set of track nodes: OSM maps track, not services, so running from
  one line onto another is free (unlike the curated graph, which charges a change of line).
* ``st:<osm id>`` station halls for nodes tagged ``railway=station`` or
  ``public_transport=station`` that lie on a kept rail way, or (``railway=station`` /
  ``train=yes`` only) within 500 m of one. Riding through a station is free; boarding
  (hall -> track, ``wait_min``) and alighting (track -> hall, ``alight_min``, each plus half
  of ``ride_penalty_min``) are ``transfer`` edges, as in the curated builder.
* ``zone:<adcode>`` per city, joined both ways (``access`` edges) to its nearest road node in
  the largest strongly connected part of the road layer, in
  ``max(road_access_min, access_detour * km / access_speed_kph)``, and to every station hall
  of its own city or within ``access_radius_km`` (drive + ``terminal_min`` towards the
  station, drive only back), as in the curated builder.
* Every non-zone node's ``city`` is the adcode of the nearest city centre (a k-d tree on
  longitude scaled by the cosine of the mean latitude).

The result is an OSMnx-compatible graph (:func:`osmnx.graph_to_gdfs`,
:func:`osmnx.plot_graph`) [1]_; :func:`graph_from_xml` explains why the XML is not read
with :func:`osmnx.graph_from_xml`. PBF files are read with pyosmium [3]_ (extra ``pbf``).

References
----------
.. [1] Boeing, G. (2017). OSMnx: New methods for acquiring, constructing, analyzing, and
   visualizing complex street networks. *Computers, Environment and Urban Systems* 65,
   126-139. https://doi.org/10.1016/j.compenvurbsys.2017.05.004
.. [2] OpenStreetMap Wiki, "Key:maxspeed", "Key:railway", "Key:usage", "Tag:railway=station".
   https://wiki.openstreetmap.org/
.. [3] pyosmium, Python bindings for libosmium. https://osmcode.org/pyosmium/
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any, cast

import networkx as nx
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from shapely.geometry import LineString

from yrdnet._version import __version__
from yrdnet.core.errors import DataError, DataWarning
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.osm_readers import (
    _ROUTE_PRIORITY,
    _import_osmium,
    _is_station,
    _OsmTables,
    _read_pbf,
    _read_xml,
    _Way,
)
from yrdnet.network.osm_tags import DEFAULT_SPEEDS_KPH, parse_maxspeed, way_direction
from yrdnet.region.datasets import load_cities
from yrdnet.region.zones import Zones, resolve_zones

__all__ = ["DEFAULT_SPEEDS_KPH", "graph_from_pbf", "graph_from_xml", "parse_maxspeed"]

log = logging.getLogger(__name__)

_STATION_SNAP_KM = 0.5  # a station node off the track joins the nearest track node within this
_FAR_ATTACH_KM = 30.0  # log zones whose nearest road node is farther than this


#: Above these a ``maxspeed`` is a typo (e.g. 99999): warn and use the class default.
_MAX_PLAUSIBLE_KPH = {"rail": 450.0, "road": 150.0}
#: Consecutive nodes of a way farther apart than this are suspicious (bad coordinates).
_MAX_SEGMENT_M = 100_000.0


# ----------------------------------------------------------------------------- builder


def _line_names(t: _OsmTables) -> dict[int, str]:
    """Way id -> line name from route relations (``route=railway`` before ``route=train``)."""
    best: dict[int, tuple[int, int, str]] = {}
    for rid, tags, members in t.relations:
        label = tags.get("name:en") or tags.get("name") or tags.get("ref")
        if not label:
            continue
        cand = (_ROUTE_PRIORITY[tags["route"]], rid, label)
        for wid in members:
            if wid not in best or cand < best[wid]:
                best[wid] = cand
    return {w: c[2] for w, c in best.items()}


def _usable_ways(t: _OsmTables) -> list[_Way]:
    """Ways with at least two located nodes (missing nodes and repeats dropped)."""
    out = []
    n_missing = 0
    for wid, refs, tags, cls in t.ways:
        located = [r for r in refs if r in t.coords]
        n_missing += len(refs) - len(located)
        dedup = [r for i, r in enumerate(located) if i == 0 or r != located[i - 1]]
        if len(dedup) >= 2:
            out.append((wid, dedup, tags, cls))
    if n_missing:
        log.info("%s: %d way node(s) are not in the extract and were skipped", t.source.name, n_missing)
    return out


def _snap_stations(t: _OsmTables, rail_nodes: set[int]) -> dict[int, int]:
    """Station node id -> track node id it serves (itself when on the track)."""
    out = {sid: sid for sid, tags in t.node_tags.items() if _is_station(tags) and sid in rail_nodes}
    snappable = {s for s, tags in t.node_tags.items() if tags.get("railway") == "station" or tags.get("train") == "yes"}
    off = sorted(snappable - set(out))
    if not off or not rail_nodes:
        return out
    track = sorted(rail_nodes)
    txy = np.array([t.coords[n] for n in track])
    sxy = np.array([t.coords[s] for s in off])
    scale = np.cos(np.radians(txy[:, 1].mean()))
    _, idx = cKDTree(txy * [scale, 1.0]).query(sxy * [scale, 1.0])
    d = haversine_km(sxy[:, 0], sxy[:, 1], txy[idx, 0], txy[idx, 1])
    for s, i, km in zip(off, idx, d, strict=True):
        if km <= _STATION_SNAP_KM:
            out[s] = track[int(i)]
    return out


def _node_name(tags: dict[str, str] | None, osmid: int) -> str:
    tags = tags or {}
    return tags.get("name:en") or tags.get("name") or tags.get("ref") or f"OSM node {osmid}"


def _add_ways(
    G: nx.MultiDiGraph, t: _OsmTables, ways: list[_Way], stations: dict[int, int], model: TravelTimeModel
) -> None:
    """Split ways at topological nodes and add road and rail edges (with their end nodes)."""
    lines = _line_names(t)
    for is_rail in (False, True):
        layer = [w for w in ways if w[3].startswith("rail") == is_rail]
        counts: Counter[int] = Counter()
        for _, refs, _, _ in layer:
            counts.update(refs)
            counts.update((refs[0], refs[-1]))  # ends are always graph nodes
        keep = {n for n, c in counts.items() if c > 1}
        if is_rail:
            keep |= set(stations.values())
        for way in layer:
            _add_way(G, t, way, keep, lines.get(way[0]), model)


def _add_way(
    G: nx.MultiDiGraph, t: _OsmTables, way: _Way, keep: set[int], relation_line: str | None, model: TravelTimeModel
) -> None:
    wid, refs, tags, cls = way
    xy = np.array([t.coords[r] for r in refs])
    seg_m = haversine_km(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1]) * 1000.0
    cum = np.concatenate([[0.0], np.cumsum(seg_m)])
    rail = cls.startswith("rail")
    speed = parse_maxspeed(tags.get("maxspeed")) or DEFAULT_SPEEDS_KPH[cls]
    ceiling = _MAX_PLAUSIBLE_KPH["rail" if rail else "road"]
    if speed > ceiling:
        warnings.warn(
            f"OSM way {wid}: maxspeed {tags.get('maxspeed')!r} ({speed:.0f} km/h) is implausible for {cls} "
            f"(above {ceiling} km/h); the class default {DEFAULT_SPEEDS_KPH[cls]} km/h is used",
            DataWarning,
            stacklevel=4,
        )
        speed = DEFAULT_SPEEDS_KPH[cls]
    if len(seg_m) and float(seg_m.max()) > _MAX_SEGMENT_M:
        k = int(np.argmax(seg_m))
        warnings.warn(
            f"OSM way {wid}: nodes {refs[k]} and {refs[k + 1]} are {seg_m[k] / 1000:.0f} km apart "
            f"(more than {_MAX_SEGMENT_M / 1000:.0f} km between consecutive nodes): check their coordinates",
            DataWarning,
            stacklevel=4,
        )
    if rail:
        label = relation_line or tags.get("name:en") or tags.get("name") or tags.get("ref") or "rail"
        attrs: dict[str, Any] = {"mode": "rail", "line": label, "highspeed": cls == "rail_highspeed"}
        factor = model.rail_speed_factor
    else:
        attrs = {"mode": "road", "route": tags.get("ref") or tags.get("name") or "", "highway": cls}
        factor = model.road_speed_factor / model.road_congestion
    attrs.update(osmid=wid, name=tags.get("name", ""), speed_kph=speed)
    direction = way_direction(tags, cls)
    cuts = [i for i, r in enumerate(refs) if i in (0, len(refs) - 1) or r in keep]
    for i, j in pairwise(cuts):
        ends = []
        for r in (refs[i], refs[j]):
            nid = f"pl:osm:{r}" if rail else f"rd:{r}"
            if nid not in G:
                lon, lat = t.coords[r]
                G.add_node(
                    nid, x=lon, y=lat, kind="station" if rail else "road", name=_node_name(t.node_tags.get(r), r)
                )
                if rail:
                    G.nodes[nid].update(line=attrs["line"], station="")
            elif rail and attrs["line"] not in G.nodes[nid]["line"].split(";"):
                G.nodes[nid]["line"] = ";".join(sorted([*G.nodes[nid]["line"].split(";"), attrs["line"]]))
            ends.append(nid)
        length = float(cum[j] - cum[i])
        edge = {**attrs, "length": length, "travel_time": max(length / 1000.0 / (speed * factor) * 3600.0, 0.001)}
        if j - i > 1:
            edge["geometry"] = LineString(xy[i : j + 1])
        if direction >= 0:
            G.add_edge(ends[0], ends[1], **edge)
        if direction <= 0:
            rev = {**edge, "geometry": edge["geometry"].reverse()} if "geometry" in edge else edge
            G.add_edge(ends[1], ends[0], **rev)


def _add_halls(G: nx.MultiDiGraph, t: _OsmTables, stations: dict[int, int], model: TravelTimeModel) -> None:
    ride = float(getattr(model, "ride_penalty_min", 0.0))  # half on boarding, half on alighting
    board = (model.wait_min + 0.5 * ride) * 60.0
    alight = (model.alight_min + 0.5 * ride) * 60.0
    for sid, track in sorted(stations.items()):
        tags = t.node_tags[sid]
        hall, pl = f"st:{sid}", f"pl:osm:{track}"
        lon, lat = t.coords[sid]
        zh = tags.get("name:zh") or tags.get("name") or ""
        G.add_node(hall, x=lon, y=lat, kind="station", name=_node_name(tags, sid), name_zh=zh, osmid=sid)
        G.nodes[pl]["station"] = str(sid)
        if G.nodes[pl]["name"].startswith("OSM node"):
            G.nodes[pl]["name"] = _node_name(tags, sid)
        common = {"mode": "transfer", "length": 0.0, "speed_kph": 0.0, "line": G.nodes[pl]["line"]}
        G.add_edge(hall, pl, travel_time=board, **common)
        G.add_edge(pl, hall, travel_time=alight, **common)


def _parents_of(zones: Zones) -> pd.DataFrame:
    """The ``city`` table of nodes for zones given without one: each zone seat stands for its parent city.

    A node then takes the parent of its nearest zone, so a region's own zones never put
    its nodes in the shipped cities.
    """
    t = zones.table
    return pd.DataFrame(
        {"lon": t["lon"].to_numpy(float), "lat": t["lat"].to_numpy(float), "name_en": t["name_en"].astype(str),
         "name_zh": t["name_zh"].astype(str)},
        index=pd.Index(t["city"].astype(int).to_numpy(), name="adcode"),
    )  # fmt: skip


def _zone_table(cities: pd.DataFrame | None, path: Path, zones: Zones | None = None) -> pd.DataFrame:
    if cities is None and zones is not None:
        return _parents_of(zones)
    if cities is None:
        cities = load_cities()
    missing = [c for c in ("lon", "lat", "name_en") if c not in cities.columns]
    if missing or len(cities) == 0:
        msg = (
            f"cities table for {path.name}: expected rows indexed by adcode with columns lon, lat, name_en "
            f"(name_zh optional); missing column(s) {missing}, {len(cities)} row(s)"
        )
        raise DataError(msg)
    try:
        codes = [int(c) for c in cities.index]
        if not all(100000 <= c <= 999999 for c in codes):
            raise ValueError
    except (TypeError, ValueError) as e:
        msg = f"cities table for {path.name}: the index must hold 6-digit adcodes, got {list(cities.index)[:5]}"
        raise DataError(msg) from e
    table = pd.DataFrame(cities[["lon", "lat", "name_en"]]).astype({"lon": float, "lat": float, "name_en": str})
    table["name_zh"] = cities["name_zh"].astype(str) if "name_zh" in cities else ""
    return table.set_axis(pd.Index(codes, name="adcode"))


def _add_zones(G: nx.MultiDiGraph, cities: pd.DataFrame, model: TravelTimeModel, zones: Zones | None = None) -> None:
    """Zones, the ``city`` of every other node, and the zones' access edges.

    With county or custom ``zones``, ``cities`` still sets the ``city`` of other nodes;
    the zones are the seats of ``zones`` (``city`` = parent city, ``zone_level``), and a
    zone reaches the halls within ``access_radius_km`` or inside its own polygon.
    """
    nodes = list(G.nodes)
    xy = np.array([(G.nodes[n]["x"], G.nodes[n]["y"]) for n in nodes])
    clon, clat = cities["lon"].to_numpy(), cities["lat"].to_numpy()
    scale = np.array([np.cos(np.radians(clat.mean())), 1.0])
    _, nearest = cKDTree(np.column_stack([clon, clat]) * scale).query(xy * scale)
    codes = cities.index.to_numpy()
    for n, i in zip(nodes, nearest, strict=True):
        G.nodes[n]["city"] = int(codes[i])
    if zones is not None:
        cities = zones.table[["lon", "lat", "name_en", "name_zh", "city"]]
        clon, clat = cities["lon"].to_numpy(), cities["lat"].to_numpy()
    for code, c in cities.iterrows():
        extra = {} if zones is None else {"zone_level": zones.level}
        parent = int(cast(int, code)) if zones is None else int(c["city"])
        G.add_node(f"zone:{code}", x=float(c["lon"]), y=float(c["lat"]), kind="zone", city=parent,
                   name=str(c["name_en"]), name_zh=str(c["name_zh"]), **extra)  # fmt: skip
    road = G.subgraph([n for n in nodes if n.startswith("rd:")])
    if road.number_of_nodes():
        largest = max(nx.strongly_connected_components(road), key=len)
        core = sorted(largest)
        cxy = np.array([(G.nodes[n]["x"], G.nodes[n]["y"]) for n in core])
        _, idx = cKDTree(cxy * scale).query(np.column_stack([clon, clat]) * scale)
        far = []
        for (code, c), i in zip(cities.iterrows(), idx, strict=True):
            km = float(haversine_km(c["lon"], c["lat"], cxy[i, 0], cxy[i, 1]))
            if km > _FAR_ATTACH_KM:
                far.append(f"{code} {c['name_en']} ({km:.0f} km)")
            length = km * model.access_detour
            tt = max(model.road_access_min * 60.0, length / model.access_speed_kph * 3600.0, 1.0)
            attrs = {"mode": "access", "length": length * 1000.0, "travel_time": tt, "speed_kph": length / tt * 3600.0}
            G.add_edge(f"zone:{code}", core[i], **attrs)
            G.add_edge(core[i], f"zone:{code}", **attrs)
        if far:
            log.warning(
                "%d zone(s) far from the extract's roads (pass only covered cities): %s", len(far), ", ".join(far)
            )
    halls = [n for n in nodes if n.startswith("st:")]
    if not halls:
        return
    hxy = np.array([(G.nodes[h]["x"], G.nodes[h]["y"]) for h in halls])
    hcity = np.array([G.nodes[h]["city"] for h in halls])
    if zones is not None:
        hcity = _halls_in(zones, hxy)
    for code, c in cities.iterrows():
        d = haversine_km(c["lon"], c["lat"], hxy[:, 0], hxy[:, 1])
        for i in np.flatnonzero((hcity == code) | (d <= model.access_radius_km)):
            km = float(d[i]) * model.access_detour
            drive = km / model.access_speed_kph * 3600.0
            common = {"mode": "access", "length": km * 1000.0, "speed_kph": model.access_speed_kph}
            G.add_edge(f"zone:{code}", halls[i], travel_time=drive + model.terminal_min * 60.0, **common)
            G.add_edge(halls[i], f"zone:{code}", travel_time=max(drive, 1.0), **common)


def _halls_in(zones: Zones, hxy: np.ndarray) -> np.ndarray:
    """Zone id of the polygon each hall lies in (-1 outside all, or without polygons)."""
    out = np.full(len(hxy), -1, dtype=np.int64)
    if zones.polygons is None or zones.polygons.isna().any() or not len(hxy):
        return out
    import geopandas as gpd

    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(hxy[:, 0], hxy[:, 1]), crs="EPSG:4326")
    geom = zones.polygons.reindex(zones.table.index).to_numpy()  # joined by zone id, never by position
    poly = gpd.GeoDataFrame({"zone": zones.ids}, geometry=geom, crs="EPSG:4326")
    j = gpd.sjoin(pts, poly, predicate="within", how="inner")
    j = j[~j.index.duplicated()]
    out[j.index.to_numpy()] = j["zone"].to_numpy(np.int64)
    return out


def _build(
    t: _OsmTables,
    cities: pd.DataFrame | None,
    *,
    model: TravelTimeModel | None,
    scenario: str,
    year: int | None,
    source_format: str,
    zones: Zones | None = None,
) -> nx.MultiDiGraph:
    model = model or TravelTimeModel()
    ways = _usable_ways(t)
    if not ways:
        msg = (
            f"{t.source}: no usable ways (motorway/motorway_link/trunk/trunk_link roads, or railway=rail with "
            f"highspeed=yes or usage=main, with at least two nodes in the file)"
        )
        raise DataError(msg)
    if zones is not None and zones.level == "city":  # city zones are the rows of ``cities``
        zones = None
    city_table = _zone_table(cities, t.source, zones)
    meta: dict[str, Any] = {"crs": "EPSG:4326", "scenario": scenario, "year": -1 if year is None else int(year)}
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        **meta, created_with=f"yrdnet {__version__}", source=str(t.source), source_format=source_format
    )
    rail_nodes = {r for _, refs, _, cls in ways if cls.startswith("rail") for r in refs}
    stations = _snap_stations(t, rail_nodes)
    _add_ways(G, t, ways, stations, model)
    _add_halls(G, t, stations, model)
    _add_zones(G, city_table, model, zones)
    if zones is not None:
        G.graph["zone_level"] = zones.level
    n_rail = sum(1 for w in ways if w[3].startswith("rail"))
    log.info(
        "built graph %r from %s: %d road and %d rail ways, %d stations, %d zones -> %d nodes, %d edges",
        scenario, t.source.name, len(ways) - n_rail, n_rail, len(stations), len(zones or city_table),
        G.number_of_nodes(), G.number_of_edges(),
    )  # fmt: skip
    return G


def _existing(filepath: str | Path) -> Path:
    path = Path(filepath)
    if not path.is_file():
        msg = f"{path}: no such OSM file"
        raise DataError(msg)
    return path


# ----------------------------------------------------------------------------- public API


def graph_from_xml(
    filepath: str | Path,
    cities: pd.DataFrame | None = None,
    *,
    model: TravelTimeModel | None = None,
    scenario: str = "osm",
    year: int | None = None,
    zones: Zones | str | None = None,
) -> nx.MultiDiGraph:
    """Build the multimodal contract graph from a local OSM XML file (no network).

    Rail ways are read by yrdnet itself: :func:`osmnx.graph_from_xml` (OSMnx 2.x) keeps
    every way of the file, rail and residential alike, but copies only the tags in
    ``osmnx.settings.useful_tags_way`` (no ``railway``, ``highspeed``, ``usage``), ignores
    relations (line names) and loads the whole document first. So the file is streamed
    once with :func:`xml.etree.ElementTree.iterparse`, filtered while reading, and both
    layers, roads and rail, come from that pass.

    Parameters
    ----------
    filepath
        ``.osm`` file, optionally compressed (``.osm.bz2``, ``.osm.gz``).
    cities
        Zones: a table indexed by 6-digit adcode with columns ``lon``, ``lat``,
        ``name_en`` and optionally ``name_zh`` (default :func:`yrdnet.load_cities`, the
        shipped cities; with ``zones`` and no ``cities``, each node's city is the
        parent of its nearest zone). Pass only the cities the extract covers: each zone
        is joined to its nearest road node however far away it is (a log message names
        zones farther than 30 km).
    model
        Travel-time parameters; default :class:`yrdnet.TravelTimeModel`.
    scenario
        Name recorded in ``G.graph["scenario"]``.
    year
        Year recorded in ``G.graph["year"]`` (``None`` -> -1). OSM is a snapshot: the
        year does not filter anything.
    zones
        ``"county"`` or a :class:`yrdnet.Zones` (e.g. :func:`yrdnet.zones_from_gdf`):
        these zones replace the city centres and attach to the real OSM roads the same
        way (nearest node of the largest strongly connected road part; halls within
        ``access_radius_km`` or inside the zone's polygon). ``cities`` then only sets
        the ``city`` of the other nodes. ``None`` or ``"city"``: city zones.

    Returns
    -------
    networkx.MultiDiGraph
        A graph meeting the yrdnet graph contract; ``G.graph`` also holds ``source`` (the
        file) and ``source_format`` (``"osm-xml"``).

    Raises
    ------
    DataError
        If the file is missing, is not well-formed XML, holds no usable way, or the cities
        table lacks columns. The message names the file.

    See Also
    --------
    graph_from_pbf : The same from an ``.osm.pbf`` file.
    yrdnet.graph_from_tables : The curated-source builder.

    Notes
    -----
    Node coordinates of the whole file are held in memory (about 100 bytes per node):
    fine for city or regional extracts; use a filtered ``.osm.pbf`` for a country.

    References
    ----------
    .. [1] Boeing, G. (2017). OSMnx: New methods for acquiring, constructing, analyzing, and
       visualizing complex street networks. *Computers, Environment and Urban Systems*
       65, 126-139. https://doi.org/10.1016/j.compenvurbsys.2017.05.004
    """
    path = _existing(filepath)
    return _build(
        _read_xml(path),
        cities,
        model=model,
        scenario=scenario,
        year=year,
        source_format="osm-xml",
        zones=resolve_zones(zones),
    )


def graph_from_pbf(
    filepath: str | Path,
    cities: pd.DataFrame | None = None,
    *,
    model: TravelTimeModel | None = None,
    scenario: str = "osm",
    year: int | None = None,
    zones: Zones | str | None = None,
) -> nx.MultiDiGraph:
    """Build the multimodal contract graph from a local ``.osm.pbf`` file (no network).

    Reads with pyosmium's ``FileProcessor`` [1]_: a node-location cache for way
    geometry, a ``KeyFilter`` (``highway``, ``railway``, ``public_transport``, ``route``) so
    that only candidate objects reach Python, then the same tag filter and the same graph
    builder as :func:`graph_from_xml`; the two give the same graph from the same data.

    Parameters
    ----------
    filepath
        ``.osm.pbf`` file (any format libosmium reads works, e.g. ``.osm.bz2``).
    cities
        Zones, as in :func:`graph_from_xml`.
    model, scenario, year, zones
        As in :func:`graph_from_xml`.

    Returns
    -------
    networkx.MultiDiGraph
        A graph meeting the yrdnet graph contract (``G.graph["source_format"] ==
        "osm-pbf"``).

    Raises
    ------
    ImportError
        If pyosmium is not installed (``pip install yrdnet[pbf]``).
    DataError
        If the file is missing or unreadable, or holds no usable way. The message names
        the file.

    Notes
    -----
    The location cache (``flex_mem``) holds every node of the file; a filtered extract
    (``osmium tags-filter``) keeps memory small.

    References
    ----------
    .. [1] pyosmium, Python bindings for libosmium. https://osmcode.org/pyosmium/
    """
    _import_osmium()
    path = _existing(filepath)
    return _build(
        _read_pbf(path),
        cities,
        model=model,
        scenario=scenario,
        year=year,
        source_format="osm-pbf",
        zones=resolve_zones(zones),
    )

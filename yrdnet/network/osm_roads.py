"""The real road network from OpenStreetMap, as the road layer of a contract graph.

:func:`graph_from_osm` gets the roads of an area (:mod:`yrdnet.network.osm_fetch`: the
Overpass API through OSMnx and its cache, or a PBF file), then

1. **simplifies** them with :func:`osmnx.simplify_graph` (a node is kept only where a way
   ends, ways meet or a one-way changes; shape points go to ``geometry``) and
   **consolidates** junctions closer than twice ``consolidate_m`` metres with
   :func:`osmnx.consolidate_intersections` in a projected (UTM) CRS [1]_, so that the
   several nodes of one interchange or of a dual carriageway's crossing become one;
2. turns them into the contract's road layer: nodes ``rd:<smallest OSM node id merged>``
   (``kind="road"``, ``street_count``), edges ``mode="road"`` with ``length`` (m),
   ``speed_kph`` from ``maxspeed`` (:func:`yrdnet.network.osm_tags.parse_maxspeed`, the mean
   over merged ways) or the class speed of :data:`yrdnet.network.osm_tags.DEFAULT_SPEEDS_KPH`,
   and ``travel_time`` from :func:`yrdnet.network.road_times.expressway_seconds`;
3. **attaches each zone to a real junction**: the node nearest to the zone's seat among
   the nodes of the largest strongly connected part where at least
   ``min_junction_streets`` distinct roads meet. The ``access`` edge (both ways) takes the
   town exit of :func:`yrdnet.network.road_times.town_exit_seconds` plus the local drive
   from the seat to the junction (``local_road_detour`` x geodesic km at
   ``local_road_speed_kph``, as the curated county network drives from a seat to its
   junction). A seat farther than ``max_attach_km`` from every junction is an error
   naming the zone: the area does not cover it;
4. **merges the rail layer**: by default the curated rail of :func:`yrdnet.graph_from_tables`
   for the same zones and year (stations, services, station access) with its road
   layer taken out; or the OSM rail of the same PBF (:func:`yrdnet.graph_from_pbf`); or
   any contract graph's non-road part (:func:`with_osm_roads`); or none.

The result meets the graph contract (:func:`yrdnet.testing.assert_graph_contract`) and
routes with :func:`yrdnet.travel_times` and :func:`yrdnet.analyze` like the curated graph.

References
----------
.. [1] Boeing, G. (2025). Topological Graph Simplification Solutions to the Street
   Intersection Miscount Problem. *Transactions in GIS* 29(3), e70037.
   https://doi.org/10.1111/tgis.70037
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from yrdnet._version import __version__
from yrdnet.core.errors import DataError
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.osm_fetch import Area, area_polygon, raw_road_graph
from yrdnet.network.osm_tags import DEFAULT_SPEEDS_KPH, parse_maxspeed
from yrdnet.network.road_times import expressway_seconds, local_road_kph, town_exit_km, town_exit_seconds
from yrdnet.region.zones import Zones, resolve_zones

__all__ = ["OsmRoadOptions", "graph_from_osm", "osm_road_layer", "with_osm_roads"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OsmRoadOptions:
    """How :func:`graph_from_osm` shapes the OpenStreetMap roads.

    Attributes
    ----------
    consolidate_m : float
        Junction nodes are buffered by this many metres (in a UTM projection) and nodes
        whose buffers overlap, i.e. closer than twice this, merge into one
        (:func:`osmnx.consolidate_intersections`; 0: no merging). 15 m joins the two
        crossings of a dual carriageway (centre lines about 15-25 m apart on a Chinese
        expressway) without joining neighbouring junctions; dense city grids want less
        (OSMnx's default is 10 m).
    min_junction_streets : int
        A zone attaches to a node where at least this many distinct roads meet.
    max_attach_km : float
        A zone's seat farther than this from every junction is an error.
    cache_folder : pathlib.Path or None
        Where a PBF given as a URL is downloaded (default
        ``yrdnet.settings.cache_folder``). Overpass responses go to OSMnx's own cache
        (``osmnx.settings.cache_folder``).
    osmnx_settings : dict
        ``osmnx.settings`` values for the Overpass request only (restored afterwards),
        e.g. ``{"cache_folder": "osm-cache", "overpass_url": "https://overpass.kumi.systems/api"}``.
    """

    consolidate_m: float = 15.0
    min_junction_streets: int = 3
    max_attach_km: float = 15.0
    cache_folder: Path | None = field(default=None)
    osmnx_settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (self.consolidate_m >= 0 and self.max_attach_km > 0 and self.min_junction_streets >= 1):
            msg = (
                f"OsmRoadOptions: expected consolidate_m >= 0, max_attach_km > 0, min_junction_streets >= 1; got {self}"
            )
            raise ValueError(msg)


@contextmanager
def _steps(progress: bool, total: int) -> Iterator[Any]:
    """A step bar (``tqdm``) when ``progress`` and not quiet; yields ``advance(description)``."""
    from yrdnet.core.settings import settings

    quiet = settings.quiet or os.environ.get("YRDNET_QUIET", "").strip().lower() in {"1", "true", "yes", "on"}
    if not progress or quiet:
        yield lambda desc: log.info("graph_from_osm: %s", desc)
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc="OSM roads", unit="step")

    def advance(desc: str) -> None:
        bar.set_description(f"OSM roads: {desc}")
        bar.update(1)

    try:
        yield advance
    finally:
        bar.close()


def _simplified(G: nx.MultiDiGraph, consolidate_m: float) -> nx.MultiDiGraph:
    import osmnx as ox

    G = ox.simplify_graph(G)
    if consolidate_m <= 0:
        return G
    Gp = ox.consolidate_intersections(ox.project_graph(G), tolerance=consolidate_m, dead_ends=True)
    return ox.project_graph(Gp, to_latlong=True)


def _values(v: Any) -> list[Any]:
    return list(v) if isinstance(v, (list, tuple, set)) else [v]


def _edge_speed(d: dict[str, Any]) -> float:
    """km/h of a (simplified, maybe merged) edge: mean usable ``maxspeed``, else the fastest class default."""
    parsed = [s for s in (parse_maxspeed(str(v)) for v in _values(d.get("maxspeed")) if v) if s and s <= 150]
    if parsed:
        return float(np.mean(parsed))
    defaults = [DEFAULT_SPEEDS_KPH[h] for h in _values(d.get("highway")) if h in DEFAULT_SPEEDS_KPH]
    return max(defaults, default=DEFAULT_SPEEDS_KPH["secondary"])


def _node_id(n: Any, d: dict[str, Any]) -> str:
    orig = d.get("osmid_original", n)
    return f"rd:{min(int(o) for o in _values(orig))}"


def _contract_roads(G: nx.MultiDiGraph, model: TravelTimeModel) -> nx.MultiDiGraph:
    """The road layer of the contract from a simplified OSMnx graph (``city`` set later)."""
    R: nx.MultiDiGraph = nx.MultiDiGraph()
    ids = {n: _node_id(n, d) for n, d in G.nodes(data=True)}
    for n, d in G.nodes(data=True):
        R.add_node(ids[n], x=float(d["x"]), y=float(d["y"]), kind="road", name=f"OSM junction {ids[n][3:]}",
                   street_count=int(d.get("street_count", 0)))  # fmt: skip
    for u, v, d in G.edges(data=True):
        if ids[u] == ids[v]:
            continue  # a loop inside a consolidated junction
        speed = _edge_speed(d)
        km = float(d["length"]) / 1000.0
        hw = [str(h) for h in _values(d.get("highway"))]
        attrs: dict[str, Any] = {
            "mode": "road",
            "length": km * 1000.0,
            "speed_kph": speed,
            "travel_time": float(expressway_seconds(km, speed, model)),
            "highway": ";".join(dict.fromkeys(hw)),
            "route": ";".join(dict.fromkeys(str(r) for r in _values(d.get("ref") or d.get("name") or "") if r)),
            "osmid": d.get("osmid", 0),  # the way id, or OSMnx's list of the ways merged
        }
        if "geometry" in d:
            attrs["geometry"] = d["geometry"]
        R.add_edge(ids[u], ids[v], **attrs)
    return R


def osm_road_layer(
    area: Area,
    *,
    road_types: Sequence[str] = ("motorway", "trunk", "primary"),
    source: str | Path | None = None,
    model: TravelTimeModel | None = None,
    options: OsmRoadOptions | None = None,
    progress: bool = True,
) -> nx.MultiDiGraph:
    """The OpenStreetMap road layer of ``area``: ``rd:`` nodes and ``road`` edges, no zones.

    Steps 1-2 of the module notes; ``G.graph`` holds ``roads_source``,
    ``roads_format`` (``"overpass"`` or ``"osm-pbf"``) and ``road_types``. Node ``city``
    is not set: :func:`with_osm_roads` sets it. Parameters as in :func:`graph_from_osm`.
    """
    from yrdnet.core.settings import settings

    model = model or TravelTimeModel()
    opts = options or OsmRoadOptions()
    polygon = area_polygon(area)
    with _steps(progress, 3) as advance:
        folder = opts.cache_folder or settings.cache_folder
        raw, src, fmt = raw_road_graph(polygon, road_types, source, folder, opts.osmnx_settings)
        advance(f"read {len(raw):,} nodes")
        simple = _simplified(raw, opts.consolidate_m)
        advance(f"simplified to {len(simple):,} junctions")
        R = _contract_roads(simple, model)
        advance("road layer")
    R.graph.update(roads_source=src, roads_format=fmt, road_types=",".join(road_types))
    log.info("OSM road layer from %s: %d raw nodes -> %d nodes, %d edges", src, len(raw), len(R), R.number_of_edges())
    return R


def _zone_nodes(G: nx.MultiDiGraph, Z: Zones) -> None:
    for z, r in Z.table.iterrows():
        extra = {} if Z.level == "city" else {"zone_level": Z.level}
        G.add_node(f"zone:{int(z)}", x=float(r["lon"]), y=float(r["lat"]), kind="zone", city=int(r["city"]),  # type: ignore[call-overload]
                   name=str(r["name_en"]), name_zh=str(r["name_zh"]), **extra)  # fmt: skip


def _junctions(R: nx.MultiDiGraph, min_streets: int) -> list[str]:
    """Nodes of the largest strongly connected part where ``min_streets`` distinct roads meet."""
    if not len(R):
        return []
    core = max(nx.strongly_connected_components(R), key=len)
    out = []
    for n in sorted(core):
        nbrs = (set(R.successors(n)) | set(R.predecessors(n))) - {n}
        if len(nbrs) >= min_streets:
            out.append(n)
    return out


def _attach_zones(
    G: nx.MultiDiGraph, R: nx.MultiDiGraph, Z: Zones, model: TravelTimeModel, opts: OsmRoadOptions
) -> None:
    """Access edges zone <-> nearest junction (module notes, step 3); a DataError names uncovered zones."""
    cand = _junctions(R, opts.min_junction_streets)
    if not cand:
        msg = f"OSM roads: no node where {opts.min_junction_streets} roads meet in the largest connected part"
        raise DataError(msg)
    t = Z.table
    zlon, zlat = t["lon"].to_numpy(float), t["lat"].to_numpy(float)
    cxy = np.array([(R.nodes[n]["x"], R.nodes[n]["y"]) for n in cand])
    scale = np.array([np.cos(np.radians(cxy[:, 1].mean())), 1.0])
    _, idx = cKDTree(cxy * scale).query(np.column_stack([zlon, zlat]) * scale)
    km = haversine_km(zlon, zlat, cxy[idx, 0], cxy[idx, 1])
    names = t["name_en"].astype(str).tolist()
    far = [f"zone {z} {nm} ({k:.1f} km)" for z, nm, k in zip(Z.ids, names, km, strict=True) if k > opts.max_attach_km]
    if far:
        msg = (
            f"{len(far)} zone(s) lie farther than max_attach_km={opts.max_attach_km} from every OSM road junction "
            f"(the area does not cover them; pass only zones inside it): {', '.join(far[:10])}"
        )
        raise DataError(msg)
    exit_s = town_exit_seconds(t, model, level=Z.level)
    exit_km = town_exit_km(t, model, level=Z.level)
    for k, z in enumerate(t.index):
        local_km = float(km[k]) * model.local_road_detour
        tt = float(exit_s[k]) + local_km / local_road_kph(model) * 3600.0
        length = float(exit_km[k]) + local_km
        attrs = {"mode": "access", "length": length * 1000.0, "travel_time": tt, "speed_kph": length / tt * 3600.0}
        G.add_edge(f"zone:{int(z)}", cand[int(idx[k])], **attrs)
        G.add_edge(cand[int(idx[k])], f"zone:{int(z)}", **attrs)


def with_osm_roads(
    base: nx.MultiDiGraph | None,
    roads: nx.MultiDiGraph,
    zones: Zones,
    *,
    model: TravelTimeModel | None = None,
    options: OsmRoadOptions | None = None,
) -> nx.MultiDiGraph:
    """A contract graph whose road layer is ``roads`` (from :func:`osm_road_layer`).

    Parameters
    ----------
    base
        A contract graph for the same ``zones`` (e.g. :func:`yrdnet.build_graph` of a
        scenario with ``zones=``): its rail, stations and station access are kept, its
        road nodes (``kind="road"``) and their edges dropped. ``None``: zones and roads only.
    roads
        The OSM road layer.
    zones
        The zones to attach (they must be the zones of ``base``).
    model, options
        As in :func:`graph_from_osm`.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph; ``base`` is not changed. Each road node's ``city`` is the parent city
        of its nearest zone seat.

    Raises
    ------
    DataError
        If ``base``'s zones differ from ``zones`` or a zone is not covered by the roads.
    """
    model = model or TravelTimeModel()
    opts = options or OsmRoadOptions()
    want = {f"zone:{int(z)}" for z in zones.ids}
    if base is None:
        G: nx.MultiDiGraph = nx.MultiDiGraph(crs="EPSG:4326", scenario="osm", year=-1)
        _zone_nodes(G, zones)
    else:
        have = {n for n, k in base.nodes(data="kind") if k == "zone"}
        if have != want:
            diff = sorted(have ^ want)[:5]
            raise DataError(f"with_osm_roads: the base graph's zones differ from the zones given, e.g. {diff}")
        G = base.copy()
        G.remove_nodes_from([n for n, k in base.nodes(data="kind") if k == "road"])
    G.add_nodes_from(roads.nodes(data=True))
    G.add_edges_from(roads.edges(keys=False, data=True))
    rn = list(roads.nodes)
    if rn:
        t = zones.table
        scale = np.array([np.cos(np.radians(t["lat"].mean())), 1.0])
        _, idx = cKDTree(t[["lon", "lat"]].to_numpy(float) * scale).query(
            np.array([(roads.nodes[n]["x"], roads.nodes[n]["y"]) for n in rn]) * scale
        )
        parent = t["city"].to_numpy(int)
        for n, i in zip(rn, idx, strict=True):
            G.nodes[n]["city"] = int(parent[i])
    _attach_zones(G, roads, zones, model, opts)
    G.graph.update({k: roads.graph[k] for k in ("roads_source", "roads_format", "road_types") if k in roads.graph})
    if zones.level != "city":
        G.graph["zone_level"] = zones.level
    return G


def _rail_base(
    rail: str | nx.MultiDiGraph | None,
    Z: Zones,
    year: int | None,
    model: TravelTimeModel,
    source: str,
    options: OsmRoadOptions | None,
) -> nx.MultiDiGraph | None:
    """The graph whose non-road part is kept: curated tables, the PBF's rail, a given graph, or none."""
    if rail is None or isinstance(rail, nx.MultiDiGraph):
        return rail
    if rail == "osm":
        from yrdnet.core.settings import settings
        from yrdnet.network.osm import graph_from_pbf
        from yrdnet.network.osm_fetch import cached_pbf

        folder = (options or OsmRoadOptions()).cache_folder or settings.cache_folder
        return graph_from_pbf(cached_pbf(source, folder), model=model, year=year, zones=Z)
    from yrdnet.network.graph import graph_from_tables
    from yrdnet.region.datasets import load_cities, load_highways, load_lines, load_stations

    return graph_from_tables(
        load_cities(), load_stations(), load_lines(), load_highways(), year=year, model=model, scenario="osm", zones=Z
    )


def graph_from_osm(
    area: Area,
    *,
    zones: Zones | str | None = None,
    road_types: Sequence[str] = ("motorway", "trunk", "primary"),
    source: str | Path | None = None,
    rail: str | nx.MultiDiGraph | None = "curated",  # "curated", "osm", a graph or None
    year: int | None = None,
    model: TravelTimeModel | None = None,
    options: OsmRoadOptions | None = None,
    scenario: str = "osm",
    progress: bool = True,
) -> nx.MultiDiGraph:
    """The multimodal contract graph with the real OpenStreetMap roads of ``area``.

    See the module notes for the steps.

    Parameters
    ----------
    area
        Where to take the roads: a shapely (Multi)Polygon in EPSG:4326, a GeoDataFrame or
        GeoSeries of polygons, a bbox ``(west, south, east, north)``, a vector file, or a
        place name geocoded by OSMnx (:func:`yrdnet.network.osm_fetch.area_polygon`).
    zones
        ``None`` (the default level), ``"city"``, ``"county"`` or a :class:`yrdnet.Zones`
        (e.g. :func:`yrdnet.zones_from_gdf`). Every zone must lie within
        ``options.max_attach_km`` of a junction in the area.
    road_types
        Road classes among ``motorway``, ``trunk``, ``primary``, ``secondary``; each
        brings its ``_link`` ramps.
    source
        ``None``: the Overpass API through OSMnx (its settings and HTTP cache,
        ``osmnx.settings.cache_folder``; repeated calls are offline). A path or an
        ``http(s)`` URL: an ``.osm.pbf`` read with pyosmium (a URL is downloaded once into
        ``options.cache_folder``).
    rail
        ``"curated"``: the rail layer of :func:`yrdnet.graph_from_tables` for the shipped
        YRD tables, ``zones`` and ``year``; ``"osm"``: the main-line and high-speed rail
        of the PBF ``source`` with its stations (:func:`yrdnet.graph_from_pbf`); a
        contract graph for the same zones: its non-road part; ``None``: roads only.
    year
        Network year of the curated rail; recorded in ``G.graph["year"]`` (``None`` ->
        -1). OSM roads are a snapshot: the year does not filter them.
    model
        Travel-time parameters; default :class:`yrdnet.TravelTimeModel`.
    options
        :class:`OsmRoadOptions` (consolidation tolerance, junction rule, download cache).
    scenario
        Name recorded in ``G.graph["scenario"]``.
    progress
        Show a step bar (never when ``yrdnet.settings.quiet`` or ``$YRDNET_QUIET=1``).

    Returns
    -------
    networkx.MultiDiGraph
        A graph meeting the yrdnet graph contract; ``G.graph`` also holds
        ``roads_source``, ``roads_format`` and ``road_types``.

    Raises
    ------
    DataError
        For a bad area, a source without roads of the classes, an unreadable file, or
        zones the roads do not cover (naming them).
    ValueError
        For an unknown road type or ``rail`` value.

    See Also
    --------
    yrdnet.graph_from_pbf : Roads and rail from a local OSM file, motorway and trunk only.

    Examples
    --------
    >>> G = yrdnet.graph_from_osm("Suzhou, Jiangsu, China", zones="county", year=2025)  # doctest: +SKIP
    """
    if not (rail is None or rail in ("curated", "osm") or isinstance(rail, nx.MultiDiGraph)):
        raise ValueError(f"rail must be 'curated', 'osm', a contract graph or None, got {rail!r}")
    if rail == "osm" and source is None:
        raise ValueError("rail='osm' reads the rail layer from a PBF: give source=<.osm.pbf path or URL>")
    model = model or TravelTimeModel()
    Z = resolve_zones(zones)
    roads = osm_road_layer(area, road_types=road_types, source=source, model=model, options=options, progress=progress)
    base = _rail_base(rail, Z, year, model, roads.graph["roads_source"], options)
    G = with_osm_roads(base, roads, Z, model=model, options=options)
    label = rail if isinstance(rail, str) else "none" if rail is None else "given"
    G.graph.update(crs="EPSG:4326", scenario=scenario, year=-1 if year is None else int(year),
                   created_with=f"yrdnet {__version__}", rail=label)  # fmt: skip
    return G

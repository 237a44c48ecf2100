"""Build the multimodal (rail + expressway) graph of the YRD from curated tables.

The graph meets the yrdnet graph contract (see :func:`yrdnet.validate_graph`): a
``networkx.MultiDiGraph`` that OSMnx accepts, with

* nodes ``zone:<adcode>`` (city centres, ``kind="zone"``), ``st:<station_id>`` (station
  halls, ``kind="station"``) and ``rd:<adcode>`` (the city's expressway access point,
  ``kind="road"``);
* edges ``rail`` (station hall to station hall: one per *service level* of the pair, see
  :mod:`yrdnet.services`; its ``travel_time`` is the wait that follows from the pooled
  frequency, the in-vehicle time and alighting, kept apart in ``wait_s``,
  ``in_vehicle_s`` and ``alight_s``; ``service``, ``line`` and ``trains_per_day`` say
  what runs), ``suburban`` (station hall to station hall on suburban and cross-boundary
  urban rail, :mod:`yrdnet.network.suburban`; the same wait, in-vehicle and alighting
  parts), ``access`` (zone to station hall and back; zone to road node and back) and
  ``road``.

Door-to-door times therefore include access, terminal, waiting and transfer time: a
change of train is an alighting plus a new wait at the station hall, while a through
train (one service) needs none. All time parameters come from
:class:`yrdnet.TravelTimeModel`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet._version import __version__
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.county_roads import add_zone_roads
from yrdnet.network.expressways import add_expressway_roads, road_tables_of_year
from yrdnet.network.hall_access import (  # noqa: F401  (split for size; imported from here too)
    _city_rows,
    city_access_edges,
    sourced_access,
    zone_access_edges,
)
from yrdnet.network.history import YearNetwork, lines_in_year, network_of_year
from yrdnet.network.road_times import expressway_seconds, town_exit_km, town_exit_seconds
from yrdnet.network.services import pair_levels, service_stop_times, services_for_network
from yrdnet.network.suburban import suburban_lines_of_year, suburban_links, suburban_stops
from yrdnet.network.track import Segment, fastest_segments, line_segments
from yrdnet.region.zones import Zones, resolve_zones

__all__ = ["RunningServices", "graph_from_tables", "running_services"]

log = logging.getLogger(__name__)


def zone_id(adcode: int) -> str:
    """Node id of a city's zone (its centre)."""
    return f"zone:{int(adcode)}"


def station_id(sid: str) -> str:
    """Node id of a station hall."""
    return f"st:{sid}"


def platform_id(line: str, sid: str) -> str:
    """Node id of a line's platform at a station."""
    return f"pl:{line}:{sid}"


def road_id(adcode: int) -> str:
    """Node id of a city's expressway access point."""
    return f"rd:{int(adcode)}"


def filter_network(lines: pd.DataFrame, highways: pd.DataFrame, year: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the lines open at the end of ``year`` and the expressway links opened by then.

    Lines: :func:`yrdnet.network.history.lines_in_year` (``status == "open"``, ``opened
    <= year``, not ``closed`` by then; with ``year=None`` every open line that has not
    closed). Links with an unknown opening year are kept (their source says
    "unverified"). Which stations of the lines were open that year:
    :func:`yrdnet.network.history.network_of_year`.
    """
    hw_ok = pd.Series(True, index=highways.index)
    if year is not None:
        hw_opened = highways["opened"].astype("Float64")
        hw_ok = (hw_opened <= year).fillna(True).astype(bool)
    return lines_in_year(lines, year), highways[hw_ok]


def _add_rail(
    G: nx.MultiDiGraph,
    model: TravelTimeModel,
    running: pd.DataFrame,
    segs: dict[tuple[str, str], Segment],
    by_line: dict[tuple[str, str, str], Segment],
) -> None:
    """Rail edges hall -> hall, one per service level (see :mod:`yrdnet.services`)."""
    G.add_edges_from(rail_edges(pair_levels(running, segs, model, by_line), model))
    G.graph["n_services"] = len(running)


def rail_edges(levels: pd.DataFrame, model: TravelTimeModel) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(hall, hall, attrs)`` of the rail edges for service levels (:func:`yrdnet.services.pair_levels`)."""
    alight_s = model.alight_min * 60.0
    cols = {c: levels[c].tolist() for c in levels.columns}  # plain Python values, one pass
    rows = zip(
        cols["origin"],
        cols["destination"],
        cols["lines"],
        cols["service"],
        cols["services"],
        cols["train_class"],
        cols["trains_per_day"],
        cols["level"],
        cols["wait_s"],
        cols["in_vehicle_s"],
        cols["km"],
        strict=True,
    )
    for o, d, lines, service, n, cls, tpd, level, wait, ride, km in rows:
        yield (
            station_id(str(o)),
            station_id(str(d)),
            {
                "mode": "rail",
                "line": str(lines),
                "service": str(service),
                "services": int(n),
                "train_class": str(cls),
                "trains_per_day": float(tpd),
                "level": int(level),
                "wait_s": float(wait),
                "in_vehicle_s": float(ride),
                "alight_s": alight_s,
                "length": float(km) * 1000.0,
                "speed_kph": float(km) / ride * 3600.0 if ride > 0 else 0.0,
                "travel_time": float(wait) + float(ride) + alight_s,
            },
        )


def _add_access(G: nx.MultiDiGraph, cities: pd.DataFrame, stations: pd.DataFrame, model: TravelTimeModel) -> None:
    """Zone <-> station hall: the drive model, or a sourced time (:mod:`yrdnet.network.station_access`)."""
    G.add_edges_from(city_access_edges(cities, stations, model, [n for n in G.nodes if n.startswith("st:")]))


def _add_zone_access(G: nx.MultiDiGraph, zones: Zones, stations: pd.DataFrame, model: TravelTimeModel) -> None:
    """County/custom zone <-> station hall (:func:`zone_access_edges`)."""
    G.add_edges_from(zone_access_edges(zones, stations, model, [n for n in G.nodes if n.startswith("st:")]))


def _add_road(G: nx.MultiDiGraph, cities: pd.DataFrame, highways: pd.DataFrame, model: TravelTimeModel) -> None:
    used = sorted(set(highways["from_adcode"]).union(highways["to_adcode"]))
    exit_s = town_exit_seconds(cities.loc[used], model, level="city")
    exit_km = town_exit_km(cities.loc[used], model, level="city")
    for k, adcode in enumerate(used):
        c = cities.loc[adcode]
        G.add_node(
            road_id(adcode),
            x=float(c["lon"]),
            y=float(c["lat"]),
            kind="road",
            city=int(adcode),
            name=f"{c['name_en']} expressway access",
        )
        attrs = {
            "mode": "access",
            "length": float(exit_km[k]) * 1000.0,
            "travel_time": float(exit_s[k]),
            "speed_kph": float(exit_km[k]) / float(exit_s[k]) * 3600.0,
        }
        G.add_edge(zone_id(adcode), road_id(adcode), **attrs)
        G.add_edge(road_id(adcode), zone_id(adcode), **attrs)
    for lid, h in highways.iterrows():
        v = float(h["speed_kph"])
        tt = float(expressway_seconds(float(h["km"]), v, model))
        attrs = {
            "mode": "road",
            "route": str(h["route"]),
            "link": str(lid),
            "length": float(h["km"]) * 1000.0,
            "travel_time": tt,
            "speed_kph": v,
        }
        a, b = road_id(h["from_adcode"]), road_id(h["to_adcode"])
        G.add_edge(a, b, **attrs)
        G.add_edge(b, a, **attrs)


def graph_from_tables(
    cities: pd.DataFrame,
    stations: pd.DataFrame,
    lines: pd.DataFrame,
    highways: pd.DataFrame,
    *,
    year: int | None = None,
    model: TravelTimeModel | None = None,
    scenario: str = "custom",
    extra_graph_attrs: dict[str, Any] | None = None,
    services: pd.DataFrame | None = None,
    zones: Zones | None = None,
    extra_services: pd.DataFrame | None = None,
    suburban: pd.DataFrame | None = None,
    expressways: pd.DataFrame | None = None,
) -> nx.MultiDiGraph:
    """Build the multimodal graph from curated tables (already edited by a scenario).

    With county or custom ``zones``, each zone is a node ``zone:<id>`` (``city`` = its
    parent city, ``zone_level`` = the level) reaching the stations near it. The road layer
    follows ``model.road_network``: ``"expressways"`` (default) is the dated county
    expressway network of the year plus local roads between neighbouring seats
    (:mod:`yrdnet.network.expressways`), for city zones too; ``"city_links"`` is the
    expressway links of ``highways`` between city centres, split for county zones at
    junctions near their seats (:mod:`yrdnet.network.county_roads`). An OpenStreetMap
    extract replaces both (:func:`yrdnet.graph_from_pbf` with ``zones=``).

    Parameters
    ----------
    cities, stations, lines, highways
        Tables as returned by the ``yrdnet.load_*`` functions.
    year
        Keep lines opened by the end of this year (``None``: every open line).
    model
        Travel-time parameters; default :class:`TravelTimeModel`.
    scenario
        Name recorded in ``G.graph["scenario"]``.
    extra_graph_attrs
        More provenance stored in ``G.graph``.
    services
        Timetable-derived services (default: the timetable of ``year``,
        :func:`yrdnet.network.history.timetable_for_year`: the nearest feed, per train
        class the nearest feed that has it); lines they do not cover get
        :func:`yrdnet.services.default_services`. Stations not open in ``year`` leave
        every line and service (:func:`yrdnet.network.history.network_of_year`).
    extra_services
        More services (same columns), e.g. a plan's new train patterns; they never change
        which lines count as covered.
    zones
        The zones (:func:`yrdnet.load_zones`, :func:`yrdnet.zones_from_gdf`); ``None``
        is the default level, the cities: city zones give the city graph (one zone per
        city centre of ``cities``).
    suburban
        Suburban and cross-boundary urban rail lines (default
        :func:`yrdnet.network.suburban.load_suburban_lines`); those running in ``year``
        become ``suburban`` edges unless ``model.suburban`` is off.
    expressways
        The county expressway sections (default :func:`yrdnet.load_expressways`); those
        opened by ``year`` are the road layer when ``model.road_network`` is
        ``"expressways"``.

    Returns
    -------
    networkx.MultiDiGraph
        A graph meeting the yrdnet graph contract.
    """
    model = model or TravelTimeModel()
    lines_y, highways_y = filter_network(lines, highways, year)
    net = network_of_year(lines_y, stations, year, services, extra_services)
    suburban_y = suburban_lines_of_year(model, year, suburban)
    sections_y = road_tables_of_year(expressways, year, model)
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        crs="EPSG:4326",
        scenario=scenario,
        year=-1 if year is None else int(year),
        created_with=f"yrdnet {__version__}",
        n_lines=len(net.lines),
        transfer_min=float(model.transfer_min),
        lines=";".join(map(str, net.lines.index)),
        timetable_feed=-1 if net.timetable.feed is None else int(net.timetable.feed),
        n_suburban_lines=len(suburban_y),
        suburban_lines=";".join(map(str, suburban_y.index)),
        road_network=str(model.road_network),
    )
    if extra_graph_attrs:
        G.graph.update(extra_graph_attrs)
    zones = resolve_zones(zones)
    if zones.level != "city":  # the city graph joins city centres by the expressway links themselves
        return _finish_zone_graph(
            G,
            zones,
            cities=cities,
            stations=stations,
            net=net,
            highways_y=highways_y,
            model=model,
            suburban_y=suburban_y,
            sections_y=sections_y,
        )
    for adcode, c in _city_rows(cities):
        G.add_node(
            zone_id(adcode),
            x=float(c["lon"]),
            y=float(c["lat"]),
            kind="zone",
            city=int(adcode),
            name=str(c["name_en"]),
            name_zh=str(c["name_zh"]),
        )
    _add_services(G, net, stations, cities, model)
    _add_suburban(G, suburban_y, stations, model)
    _add_access(G, cities, stations, model)
    if sections_y is None:
        _add_road(G, cities, highways_y, model)
    else:
        G.graph.update(add_expressway_roads(G, zones, cities, sections_y, highways_y, model))
    log.info(
        "built graph %r (year %s, timetable feed %s): %d nodes, %d edges, %d lines, %d expressway links",
        scenario,
        year,
        net.timetable.feed,
        G.number_of_nodes(),
        G.number_of_edges(),
        len(net.lines),
        len(highways_y),
    )
    return G


def _finish_zone_graph(
    G: nx.MultiDiGraph,
    zones: Zones,
    *,
    cities: pd.DataFrame,
    stations: pd.DataFrame,
    net: YearNetwork,
    highways_y: pd.DataFrame,
    model: TravelTimeModel,
    suburban_y: pd.DataFrame | None = None,
    sections_y: pd.DataFrame | None = None,
) -> nx.MultiDiGraph:
    """The graph with county or custom zones (rail as for cities; roads per ``model.road_network``)."""
    G.graph["zone_level"] = zones.level
    for z, r in zones.table.iterrows():
        G.add_node(
            f"zone:{int(cast(int, z))}",
            x=float(r["lon"]),
            y=float(r["lat"]),
            kind="zone",
            city=int(r["city"]),
            zone_level=zones.level,
            name=str(r["name_en"]),
            name_zh=str(r["name_zh"]),
        )
    _add_services(G, net, stations, cities, model)
    if suburban_y is not None:
        _add_suburban(G, suburban_y, stations, model)
    _add_zone_access(G, zones, stations, model)
    if sections_y is None:
        counts = add_zone_roads(G, zones.table, zones.polygons, cities, highways_y, model)
    else:
        counts = add_expressway_roads(G, zones, cities, sections_y, highways_y, model)
    G.graph.update(counts)
    log.info(
        "built %s-zone graph %r: %d zones, %d nodes, %d edges, roads %s",
        zones.level,
        G.graph.get("scenario"),
        len(zones),
        G.number_of_nodes(),
        G.number_of_edges(),
        counts,
    )
    return G


def _add_services(
    G: nx.MultiDiGraph, net: YearNetwork, stations: pd.DataFrame, cities: pd.DataFrame, model: TravelTimeModel
) -> None:
    """Station halls of every served station and the rail service levels between them."""
    rs = running_services(net, stations, cities, model)
    G.add_nodes_from(hall_nodes(stations, sorted(_served_stations(rs.services))))
    _add_rail(G, model, rs.services, rs.segments, rs.by_line)
    G.graph["track"] = _track_json(stations, rs.by_line)


@dataclass(frozen=True)
class RunningServices:
    """The rail services a network runs and the track they run on (:func:`running_services`).

    Attributes
    ----------
    services
        The services table (:func:`yrdnet.services.services_for_network`).
    segments
        The fastest open segment between adjacent stations (:func:`yrdnet.network.track.fastest_segments`).
    by_line
        The open track by line (:func:`yrdnet.services.line_segments`): services keep to their own lines.
    """

    services: pd.DataFrame
    segments: dict[tuple[str, str], Segment]
    by_line: dict[tuple[str, str, str], Segment]

    def stop_times(self, model: TravelTimeModel) -> list[tuple[str, list[str], np.ndarray, np.ndarray, np.ndarray]]:
        """Arrival and departure seconds of each service at its stops (:func:`yrdnet.services.service_stop_times`)."""
        return service_stop_times(self.services, self.segments, model, self.by_line)


def running_services(
    net: YearNetwork,
    stations: pd.DataFrame,
    cities: pd.DataFrame,
    model: TravelTimeModel,
) -> RunningServices:
    """The services that run on the open lines of a network year, with their track.

    The one entry point of the rules that decide what runs: :func:`graph_from_tables`
    builds its rail edges from it, and :func:`yrdnet.to_gtfs` writes the same services,
    so a change of the rules reaches both.

    Parameters
    ----------
    net
        What ran in the year (:func:`yrdnet.network.history.network_of_year`): its lines,
        timetable services, extra services and running factors.
    stations, cities
        The station and city tables.
    model
        Travel-time parameters.

    Returns
    -------
    RunningServices
        The services table, the fastest segments and the track by line.
    """
    by_line = line_segments(net.lines, stations, model, net.factors(model))  # the open track, once per build
    segs = fastest_segments(by_line)
    running = services_for_network(
        net.lines, stations, cities, model, net.services, net.extra, segments=segs, covered=net.timetable.covered
    )
    return RunningServices(running, segs, by_line)


def suburban_edges(
    lines: pd.DataFrame, stations: pd.DataFrame, model: TravelTimeModel
) -> list[tuple[str, str, dict[str, Any]]]:
    """``(hall, hall, attrs)`` of the suburban edges of ``lines`` (:func:`yrdnet.network.suburban.suburban_links`)."""
    return [(station_id(a), station_id(b), d) for a, b, d in suburban_links(lines, stations, model)]


def _add_suburban(G: nx.MultiDiGraph, lines: pd.DataFrame, stations: pd.DataFrame, model: TravelTimeModel) -> None:
    """Station halls of the suburban lines' stops (those not served by rail) and their edges."""
    new = [s for s in suburban_stops(lines) if station_id(s) not in G]
    G.add_nodes_from(hall_nodes(stations, new))
    G.add_edges_from(suburban_edges(lines, stations, model))


def hall_nodes(stations: pd.DataFrame, sids: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
    """``(node id, attrs)`` of the station halls of ``sids``."""
    out = []
    for sid in sids:
        st = stations.loc[sid]
        attrs = {
            "x": float(st["lon"]),
            "y": float(st["lat"]),
            "kind": "station",
            "city": int(st["adcode"]),
            "name": str(st["name_en"]),
            "name_zh": str(st["name_zh"]),
        }
        out.append((station_id(sid), attrs))
    return out


def _track_json(stations: pd.DataFrame, by_line: dict[tuple[str, str, str], Segment]) -> str:
    """The open track as JSON ``[[lon_a, lat_a, lon_b, lat_b, speed_kph, line], ...]`` for maps.

    Rail edges join every pair of stops of a service, so maps draw the track instead.
    """
    lon = stations["lon"].astype(float).to_dict()
    lat = stations["lat"].astype(float).to_dict()
    return f"[{track_rows(lon, lat, by_line.items())}]"


def track_rows(
    lon: Mapping[str, float], lat: Mapping[str, float], items: Iterable[tuple[tuple[str, str, str], Segment]]
) -> str:
    """The rows of :func:`_track_json` for ``items`` (sorted, ``a < b``), comma-joined without brackets.

    The rows of several lines, each made alone and joined by commas in line order, are
    the rows of all of them (the JSON of a list is its items' JSON joined by commas).
    """
    rows = [
        [round(lon[a], 5), round(lat[a], 5), round(lon[b], 5), round(lat[b], 5), seg.speed_kph, line]
        for (line, a, b), seg in sorted(items)
        if a < b
    ]
    return json.dumps(rows, ensure_ascii=True, separators=(",", ":"))[1:-1]


def _served_stations(services: pd.DataFrame) -> set[str]:
    out: set[str] = set()
    for stops in services["stops"]:
        out.update(stops)
    return out


def zones_of(G: nx.MultiDiGraph) -> list[str]:
    """Zone node ids of a graph, sorted by zone id (the adcode for cities and counties)."""
    return sorted((n for n, k in G.nodes(data="kind") if k == "zone"), key=lambda n: int(str(n)[5:]))


def nodes_by_kind(G: nx.MultiDiGraph, kinds: Iterable[str]) -> list[str]:
    """Node ids whose ``kind`` is in ``kinds``."""
    ks = set(kinds)
    return [n for n, k in G.nodes(data="kind") if k in ks]

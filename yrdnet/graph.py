"""Build the multimodal (rail + expressway) graph of the YRD from curated tables.

The graph meets the yrdnet graph contract (see :func:`yrdnet.validate_graph`): a
``networkx.MultiDiGraph`` that OSMnx accepts, with

* nodes ``zone:<adcode>`` (city centres, ``kind="zone"``), ``st:<station_id>`` (station
  halls, ``kind="station"``), ``pl:<line_id>:<station_id>`` (a line's platform at a
  station, ``kind="station"``, attribute ``line``) and ``rd:<adcode>`` (the city's
  expressway access point, ``kind="road"``);
* edges ``rail`` (platform to platform along a line), ``transfer`` (hall to platform =
  boarding, platform to hall = alighting, platform to platform = through-running),
  ``access`` (zone to station hall and back; zone to road node and back) and ``road``.

Door-to-door times therefore include access, terminal, waiting and transfer time; a change
of line cannot be skipped because each line has its own platform nodes. All time
parameters come from :class:`yrdnet.TravelTimeModel`.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable
from typing import Any, cast

import networkx as nx
import numpy as np
import pandas as pd

from . import __version__
from ._geo import haversine_km
from .params import TravelTimeModel

__all__ = ["graph_from_tables"]

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
    """Keep the lines open by the end of ``year`` and the expressway links opened by then.

    Lines need ``status == "open"`` and ``opened <= year``; with ``year=None`` every open
    line is kept. Links with an unknown opening year are kept (their source says
    "unverified").
    """
    open_ = lines["status"] == "open"
    hw_ok = pd.Series(True, index=highways.index)
    if year is not None:
        opened = lines["opened"].astype("Float64")
        open_ &= (opened <= year).fillna(False).astype(bool)
        hw_opened = highways["opened"].astype("Float64")
        hw_ok = (hw_opened <= year).fillna(True).astype(bool)
    return lines[open_.astype(bool)], highways[hw_ok]


def _segment_km(
    stops: list[str], stations: pd.DataFrame, length_km: float, model: TravelTimeModel, line: str
) -> np.ndarray:
    lon = stations.loc[stops, "lon"].to_numpy(float)
    lat = stations.loc[stops, "lat"].to_numpy(float)
    d = haversine_km(lon[:-1], lat[:-1], lon[1:], lat[1:])
    total = float(d.sum())
    if length_km and not np.isnan(length_km) and total > 0:
        ratio = length_km / total
        if not 0.95 <= ratio <= 1.8:
            log.warning(
                "line %s: sourced length %.1f km is %.2f x the geodesic sum of its stops; check its stop list",
                line,
                length_km,
                ratio,
            )
        return np.asarray(d * ratio)
    return np.asarray(d * model.rail_detour)


def _add_rail(G: nx.MultiDiGraph, lines: pd.DataFrame, stations: pd.DataFrame, model: TravelTimeModel) -> None:
    served: dict[str, set[str]] = {}
    for lid, ln in lines.iterrows():
        stops = list(ln["stops"])
        v = float(ln["operating_speed_kph"])
        seg = _segment_km(stops, stations, ln.get("length_km", np.nan), model, str(lid))
        for s in stops:
            st = stations.loc[s]
            G.add_node(
                platform_id(str(lid), s),
                x=float(st["lon"]),
                y=float(st["lat"]),
                kind="station",
                city=int(st["adcode"]),
                name=str(st["name_en"]),
                name_zh=str(st["name_zh"]),
                line=str(lid),
                station=s,
            )
            served.setdefault(s, set()).add(str(lid))
        last = len(stops) - 1
        for k, (a, b) in enumerate(itertools.pairwise(stops)):
            # half the stop penalty at each end that is an intermediate station
            n_half = (k > 0) + (k + 1 < last)
            tt = seg[k] / (v * model.rail_speed_factor) * 3600.0 + n_half * 0.5 * model.stop_penalty_min * 60.0
            attrs = {
                "mode": "rail",
                "line": str(lid),
                "length": float(seg[k] * 1000.0),
                "travel_time": float(tt),
                "speed_kph": v,
                "kind": str(ln["kind"]),
            }
            G.add_edge(platform_id(str(lid), a), platform_id(str(lid), b), **attrs)
            G.add_edge(platform_id(str(lid), b), platform_id(str(lid), a), **attrs)
    for s, lids in served.items():
        hall = station_id(s)
        for lid in sorted(lids):
            pl = platform_id(lid, s)
            G.add_edge(
                hall, pl, mode="transfer", length=0.0, speed_kph=0.0, travel_time=model.wait_min * 60.0, line=lid
            )
            G.add_edge(
                pl, hall, mode="transfer", length=0.0, speed_kph=0.0, travel_time=model.alight_min * 60.0, line=lid
            )
    # through-running: trains continue onto another line without a change
    for lid, ln in lines.iterrows():
        for other in ln["through_to"] or []:
            if other not in lines.index:
                continue
            shared = set(ln["stops"]) & set(lines.loc[other, "stops"])
            for s in sorted(shared):
                for u, w in ((str(lid), other), (other, str(lid))):
                    G.add_edge(
                        platform_id(u, s),
                        platform_id(w, s),
                        mode="transfer",
                        length=0.0,
                        speed_kph=0.0,
                        travel_time=max(model.stop_penalty_min, 0.5) * 60.0,
                        line=f"{u}>{w}",
                    )


def _city_rows(cities: pd.DataFrame) -> Iterable[tuple[int, pd.Series]]:
    """``cities.iterrows()``, typed: the city table is indexed by adcode."""
    return cast("Iterable[tuple[int, pd.Series]]", cities.iterrows())


def _add_access(G: nx.MultiDiGraph, cities: pd.DataFrame, stations: pd.DataFrame, model: TravelTimeModel) -> None:
    halls = [n for n in G.nodes if n.startswith("st:")]
    if not halls:
        return
    sids = [h[3:] for h in halls]
    st = stations.loc[sids]
    slon, slat = st["lon"].to_numpy(float), st["lat"].to_numpy(float)
    scity = st["adcode"].to_numpy(int)
    for adcode, c in _city_rows(cities):
        d = haversine_km(float(c["lon"]), float(c["lat"]), slon, slat)
        ok = (scity == int(adcode)) | (d <= model.access_radius_km)
        for i in np.flatnonzero(ok):
            km = float(d[i]) * model.access_detour
            drive = km / model.access_speed_kph * 3600.0
            common = {"mode": "access", "length": km * 1000.0, "speed_kph": model.access_speed_kph}
            G.add_edge(zone_id(adcode), halls[i], travel_time=drive + model.terminal_min * 60.0, **common)
            G.add_edge(halls[i], zone_id(adcode), travel_time=max(drive, 1.0), **common)


def _add_road(G: nx.MultiDiGraph, cities: pd.DataFrame, highways: pd.DataFrame, model: TravelTimeModel) -> None:
    used = set(highways["from_adcode"]).union(highways["to_adcode"])
    for adcode in sorted(used):
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
            "length": model.road_access_km * 1000.0,
            "travel_time": model.road_access_min * 60.0,
            "speed_kph": model.road_access_km / max(model.road_access_min, 1e-9) * 60.0,
        }
        G.add_edge(zone_id(adcode), road_id(adcode), **attrs)
        G.add_edge(road_id(adcode), zone_id(adcode), **attrs)
    for lid, h in highways.iterrows():
        v = float(h["speed_kph"])
        tt = float(h["km"]) / (v * model.road_speed_factor) * 3600.0 * model.road_congestion
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
) -> nx.MultiDiGraph:
    """Build the multimodal graph from curated tables (already edited by a scenario).

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

    Returns
    -------
    networkx.MultiDiGraph
        A graph meeting the yrdnet graph contract.
    """
    model = model or TravelTimeModel()
    lines_y, highways_y = filter_network(lines, highways, year)
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        crs="EPSG:4326",
        scenario=scenario,
        year=-1 if year is None else int(year),
        created_with=f"yrdnet {__version__}",
        n_lines=len(lines_y),
        lines=";".join(map(str, lines_y.index)),
    )
    if extra_graph_attrs:
        G.graph.update(extra_graph_attrs)
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
    served = _served_stations(lines_y)
    for sid in sorted(served):
        st = stations.loc[sid]
        G.add_node(
            station_id(sid),
            x=float(st["lon"]),
            y=float(st["lat"]),
            kind="station",
            city=int(st["adcode"]),
            name=str(st["name_en"]),
            name_zh=str(st["name_zh"]),
        )
    _add_rail(G, lines_y, stations, model)
    _add_access(G, cities, stations, model)
    _add_road(G, cities, highways_y, model)
    log.info(
        "built graph %r (year %s): %d nodes, %d edges, %d lines, %d expressway links",
        scenario,
        year,
        G.number_of_nodes(),
        G.number_of_edges(),
        len(lines_y),
        len(highways_y),
    )
    return G


def _served_stations(lines: pd.DataFrame) -> set[str]:
    out: set[str] = set()
    for stops in lines["stops"]:
        out.update(stops)
    return out


def zones_of(G: nx.MultiDiGraph) -> list[str]:
    """Zone node ids of a graph, sorted by adcode."""
    return sorted((n for n, k in G.nodes(data="kind") if k == "zone"), key=lambda n: int(G.nodes[n]["city"]))


def nodes_by_kind(G: nx.MultiDiGraph, kinds: Iterable[str]) -> list[str]:
    """Node ids whose ``kind`` is in ``kinds``."""
    ks = set(kinds)
    return [n for n, k in G.nodes(data="kind") if k in ks]

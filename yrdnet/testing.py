"""Mock graphs and assert helpers for tests, docs and examples.

Two graph builders, both meeting the yrdnet graph contract (``shared/DESIGN.md``):

* :func:`mock_graph` — one small, hand-made, deterministic graph of seven YRD cities that
  holds every pathology the metrics must survive (see its docstring). Shared by the test
  suite, the docstring examples and the tutorials, so that an odd case found once is
  checked everywhere.
* :func:`random_graph` — a seeded random graph of any size (zones, rail lines, a road
  mesh) with continuous travel times, for oracle tests and benchmarks.
* :func:`road_like_graph` — arrays of a seeded synthetic OSM-like road network (jittered
  grid, arterials and expressways, random node ids and order) up to millions of nodes,
  for :mod:`yrdnet.routing.large` and ``make bench-full``.

Two assert helpers, usable in user test suites as well:

* :func:`assert_graph_contract` — checks a graph against the contract and raises one
  ``AssertionError`` that lists *every* problem found.
* :func:`assert_od_equal` — compares two OD travel-time DataFrames, treating ``inf``
  (unreachable) as a value that must match exactly.
"""

from __future__ import annotations

import csv
import itertools
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from scipy.spatial import cKDTree

from yrdnet.core.modes import EDGE_MODES, TRANSIT_MODES

__all__ = [
    "RoadLikeGraph",
    "assert_graph_contract",
    "assert_od_equal",
    "mock_graph",
    "random_graph",
    "road_like_graph",
    "tiny_feed",
]

_NODE_KINDS = ("zone", "station", "road")
_EARTH_RADIUS_M = 6_371_008.8
_MAX_REPORTED = 25  # problems listed by assert_graph_contract before summarising


def _haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(a))


# --------------------------------------------------------------------------- mock graph

# (adcode, English name, lon, lat) of the zones (city centres).
_MOCK_ZONES: tuple[tuple[int, str, float, float], ...] = (
    (310000, "Shanghai", 121.4737, 31.2304),
    (320100, "Nanjing", 118.7969, 32.0603),
    (320500, "Suzhou", 120.5853, 31.2989),
    (330100, "Hangzhou", 120.1551, 30.2741),
    (330200, "Ningbo", 121.5503, 29.8746),
    (330900, "Zhoushan", 122.2072, 29.9853),
    (340100, "Hefei", 117.2272, 31.8206),
)
# station id -> (name, adcode, lon, lat)
_MOCK_STATIONS: dict[str, tuple[str, int, float, float]] = {
    "shhq": ("Shanghai Hongqiao", 310000, 121.3200, 31.1940),
    "szbei": ("Suzhou North", 320500, 120.6420, 31.4190),
    "njnan": ("Nanjing South", 320100, 118.7980, 31.9690),
    "hzdong": ("Hangzhou East", 330100, 120.2130, 30.2910),
    "nb": ("Ningbo", 330200, 121.5390, 29.8600),
    "hfnan": ("Hefei South", 340100, 117.2900, 31.7990),
    "hfbei": ("Hefei North (no service)", 340100, 117.2700, 31.9300),  # isolated
}
# line id -> (ordered stops, operating speed km/h)
_MOCK_LINES: dict[str, tuple[tuple[str, ...], float]] = {
    "HN": (("shhq", "szbei", "njnan"), 300.0),  # Shanghai-Nanjing
    "HH": (("shhq", "hzdong"), 300.0),  # Shanghai-Hangzhou
    "HY": (("hzdong", "nb"), 250.0),  # Hangzhou-Ningbo
    "HF": (("hfnan", "njnan"), 250.0),  # Hefei-Nanjing, through-runs onto HN
}
# (from adcode, to adcode, route, speed km/h, detour factor); both directions are added
_MOCK_ROADS: tuple[tuple[int, int, str, float, float], ...] = (
    (310000, 320500, "G2", 100.0, 1.25),
    (310000, 320500, "G1501", 110.0, 1.55),  # parallel duplicate, slower
    (320500, 320100, "G2", 110.0, 1.20),
    (320100, 340100, "G40", 105.0, 1.22),
    (310000, 330100, "G60", 100.0, 1.30),
    (330100, 330200, "G92", 100.0, 1.28),
    (330200, 330900, "G9211", 80.0, 1.35),  # Zhoushan: road only
)
_WAIT_S = 420.0  # hall -> platform: walk + mean wait
_ALIGHT_S = 150.0  # platform -> hall
_TERMINAL_S = 1200.0  # zone -> station: check-in / security on top of the drive
_ACCESS_KPH = 32.0  # urban drive to a station
_ROAD_ACCESS_S = 540.0  # zone <-> expressway junction


def mock_graph() -> nx.MultiDiGraph:
    """Return the deterministic mock graph shared by tests, docs and examples.

    Seven zones (Shanghai, Nanjing, Suzhou, Hangzhou, Ningbo, Zhoushan, Hefei) at their
    real centres, four rail lines and a sparse expressway net. The graph meets the
    yrdnet graph contract and contains, on purpose:

    * a zone unreachable by rail: Zhoushan (``zone:330900``) has road access only;
    * parallel rail and road routes between two zones: Shanghai–Suzhou by line ``HN``
      and by expressway ``G2``;
    * a parallel duplicate edge with a different travel time: ``rd:310000 → rd:320500``
      has key 0 (``G2``) and key 1 (``G1501``, slower), in both directions;
    * an isolated station: ``st:hfbei`` has no line and no edges;
    * a transfer between two lines at one station: ``HN`` ↔ ``HH`` at ``st:shhq`` (and
      ``HH`` ↔ ``HY`` at ``st:hzdong``) through the station hall;
    * a through-running connection: ``pl:HF:njnan`` ↔ ``pl:HN:njnan`` are joined by
      ``transfer`` edges of travel time 0 (a zero-cost cycle).

    Returns
    -------
    networkx.MultiDiGraph
        A new graph on every call (callers may mutate it freely).

    Notes
    -----
    Edge travel times are derived from great-circle lengths, detour factors and
    speeds, so they are non-round floats; there are no exact ties between distinct
    zone-to-zone routes. Station halls connect to their zone by ``access`` edges
    (zone → hall includes a terminal time of 20 min); platforms connect to halls by
    ``transfer`` edges (7 min in, 2.5 min out). Transfer edges carry ``length=0`` and
    ``speed_kph=0`` as the curated builder does.

    Examples
    --------
    >>> from yrdnet.testing import mock_graph, assert_graph_contract
    >>> G = mock_graph()
    >>> assert_graph_contract(G)
    >>> sum(1 for _, k in G.nodes(data="kind") if k == "zone")
    7
    """
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        crs="EPSG:4326", scenario="mock", year=2024, created_with="yrdnet.testing"
    )
    for code, name, lon, lat in _MOCK_ZONES:
        G.add_node(f"zone:{code}", x=lon, y=lat, kind="zone", city=code, name=name)
        # the expressway junction sits a little off the centre
        G.add_node(f"rd:{code}", x=lon + 0.03, y=lat - 0.02, kind="road", city=code, name=f"{name} expressway junction")
    for sid, (name, code, lon, lat) in _MOCK_STATIONS.items():
        G.add_node(f"st:{sid}", x=lon, y=lat, kind="station", city=code, name=name)

    def xy(n: str) -> tuple[float, float]:
        return G.nodes[n]["x"], G.nodes[n]["y"]

    # zone <-> station hall (access), zone <-> road junction (access)
    for sid, (_, code, _lon, _lat) in _MOCK_STATIONS.items():
        if sid == "hfbei":
            continue  # isolated: no line, no access
        z, st = f"zone:{code}", f"st:{sid}"
        length = _haversine_m(*xy(z), *xy(st)) * 1.3
        drive = length / (_ACCESS_KPH / 3.6)
        common = {"mode": "access", "length": length, "speed_kph": _ACCESS_KPH}
        G.add_edge(z, st, travel_time=drive + _TERMINAL_S, **common)
        G.add_edge(st, z, travel_time=drive, **common)
    for code, *_ in _MOCK_ZONES:
        z, rd = f"zone:{code}", f"rd:{code}"
        length = _haversine_m(*xy(z), *xy(rd)) * 1.4
        speed = length / _ROAD_ACCESS_S * 3.6
        for a, b in ((z, rd), (rd, z)):
            G.add_edge(a, b, mode="access", length=length, speed_kph=speed, travel_time=_ROAD_ACCESS_S)
    # rail: platforms, platform <-> platform (rail), hall <-> platform (transfer)
    for lid, (stops, speed) in _MOCK_LINES.items():
        for sid in stops:
            name, code, lon, lat = _MOCK_STATIONS[sid]
            pl, hall = f"pl:{lid}:{sid}", f"st:{sid}"
            G.add_node(pl, x=lon, y=lat, kind="station", city=code, name=f"{name} ({lid})", line=lid, station=sid)
            G.add_edge(hall, pl, mode="transfer", length=0.0, speed_kph=0.0, travel_time=_WAIT_S, line=lid)
            G.add_edge(pl, hall, mode="transfer", length=0.0, speed_kph=0.0, travel_time=_ALIGHT_S, line=lid)
        for a, b in itertools.pairwise(stops):
            pa, pb = f"pl:{lid}:{a}", f"pl:{lid}:{b}"
            length = _haversine_m(*xy(pa), *xy(pb)) * 1.12
            tt = length / (speed / 3.6) + 120.0  # plus half a stop at each end
            for u, v in ((pa, pb), (pb, pa)):
                G.add_edge(u, v, mode="rail", line=lid, length=length, speed_kph=speed, travel_time=tt)
    # through-running HF <-> HN at Nanjing South: a zero-cost transfer in both directions
    for u, v in (("HF", "HN"), ("HN", "HF")):
        G.add_edge(
            f"pl:{u}:njnan",
            f"pl:{v}:njnan",
            mode="transfer",
            length=0.0,
            speed_kph=0.0,
            travel_time=0.0,
            line=f"{u}>{v}",
        )
    # expressways (both directions; the parallel duplicate gets key 1)
    for ca, cb, route, speed, detour in _MOCK_ROADS:
        ra, rb = f"rd:{ca}", f"rd:{cb}"
        length = _haversine_m(*xy(ra), *xy(rb)) * detour
        for u, v in ((ra, rb), (rb, ra)):
            G.add_edge(
                u, v, mode="road", route=route, length=length, speed_kph=speed, travel_time=length / (speed / 3.6)
            )
    return G


# ------------------------------------------------------------------------- random graph


def random_graph(
    n_zones: int = 20,
    *,
    n_nodes: int = 200,
    n_lines: int | None = None,
    seed: int = 0,
) -> nx.MultiDiGraph:
    """Return a seeded random contract graph with continuous travel times.

    Zones are scattered over the YRD bounding box (lon 116–122.5, lat 28.5–34.5) with
    made-up 6-digit adcodes; about 60 % of the cities get a station hall; ``n_lines``
    rail lines run through 3–8 of those stations (ordered along a random bearing) with
    per-line platforms; the remaining node budget becomes road junctions joined by a
    spanning tree plus nearest-neighbour links (both directions, different speeds per
    direction), with about 5 % parallel duplicate road edges.

    Parameters
    ----------
    n_zones
        Number of zones (cities), at least 2.
    n_nodes
        Approximate total number of nodes; road junctions fill the budget left by
        zones, halls and platforms (at least one junction per city).
    n_lines
        Number of rail lines; default ``max(1, n_zones // 4)``.
    seed
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same graph.

    Returns
    -------
    networkx.MultiDiGraph
        Meets the graph contract. Travel times are continuous random floats, so exact
        ties between distinct routes have probability zero; there are no zero-cost
        edges.

    Examples
    --------
    >>> from yrdnet.testing import random_graph, assert_graph_contract
    >>> G = random_graph(10, n_nodes=80, seed=1)
    >>> assert_graph_contract(G)
    """
    if n_zones < 2:
        msg = f"random_graph needs n_zones >= 2, got {n_zones}"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        crs="EPSG:4326", scenario=f"random-{seed}", year=2024, created_with="yrdnet.testing"
    )
    codes = [300100 + 100 * i for i in range(n_zones)]
    lon = rng.uniform(116.0, 122.5, n_zones)
    lat = rng.uniform(28.5, 34.5, n_zones)
    for i, code in enumerate(codes):
        G.add_node(f"zone:{code}", x=float(lon[i]), y=float(lat[i]), kind="zone", city=code, name=f"City {code}")

    def dist(a: str, b: str) -> float:
        na, nb = G.nodes[a], G.nodes[b]
        return _haversine_m(na["x"], na["y"], nb["x"], nb["y"])

    # --- rail
    with_station = sorted(rng.choice(n_zones, size=max(2, round(0.6 * n_zones)), replace=False))
    for i in with_station:
        code = codes[i]
        G.add_node(
            f"st:{code}",
            x=float(lon[i]) + 0.02,
            y=float(lat[i]) - 0.02,
            kind="station",
            city=code,
            name=f"City {code} station",
        )
        length = dist(f"zone:{code}", f"st:{code}") * 1.3 + 500.0
        drive = length / (_ACCESS_KPH / 3.6)
        G.add_edge(
            f"zone:{code}",
            f"st:{code}",
            mode="access",
            length=length,
            speed_kph=_ACCESS_KPH,
            travel_time=drive + rng.uniform(900.0, 1800.0),
        )
        G.add_edge(
            f"st:{code}",
            f"zone:{code}",
            mode="access",
            length=length,
            speed_kph=_ACCESS_KPH,
            travel_time=drive + rng.uniform(120.0, 600.0),
        )
    n_lines = max(1, n_zones // 4) if n_lines is None else n_lines
    for li in range(n_lines):
        lid = f"L{li}"
        size = int(rng.integers(3, 9))
        stops = rng.choice(with_station, size=min(size, len(with_station)), replace=False)
        bearing = rng.uniform(0, np.pi)
        stops = stops[np.argsort(np.cos(bearing) * lon[stops] + np.sin(bearing) * lat[stops])]
        speed = float(rng.choice([200.0, 250.0, 300.0, 350.0]))
        for i in stops:
            code = codes[i]
            hall, pl = f"st:{code}", f"pl:{lid}:{code}"
            G.add_node(
                pl,
                x=G.nodes[hall]["x"],
                y=G.nodes[hall]["y"],
                kind="station",
                city=code,
                name=f"City {code} ({lid})",
                line=lid,
                station=str(code),
            )
            G.add_edge(
                hall, pl, mode="transfer", length=0.0, speed_kph=0.0, line=lid, travel_time=rng.uniform(240.0, 600.0)
            )
            G.add_edge(
                pl, hall, mode="transfer", length=0.0, speed_kph=0.0, line=lid, travel_time=rng.uniform(60.0, 180.0)
            )
        for a, b in itertools.pairwise(stops):
            pa, pb = f"pl:{lid}:{codes[a]}", f"pl:{lid}:{codes[b]}"
            length = dist(pa, pb) * rng.uniform(1.05, 1.2)
            for u, v in ((pa, pb), (pb, pa)):
                G.add_edge(
                    u,
                    v,
                    mode="rail",
                    line=lid,
                    length=length,
                    speed_kph=speed,
                    travel_time=length / (speed / 3.6) + rng.uniform(60.0, 240.0),
                )
    # --- road: one hub per city plus extra junctions attached to the nearest city
    n_extra = max(0, n_nodes - G.number_of_nodes() - n_zones)
    rlon = np.concatenate([lon + 0.03, rng.uniform(116.0, 122.5, n_extra)])
    rlat = np.concatenate([lat - 0.03, rng.uniform(28.5, 34.5, n_extra)])
    city_tree = cKDTree(np.column_stack([lon, lat]))
    _, nearest = city_tree.query(np.column_stack([rlon, rlat]))
    rids: list[str] = []
    for j in range(len(rlon)):
        code = codes[int(nearest[j])] if j >= n_zones else codes[j]
        rid = f"rd:{code}" if j < n_zones else f"rd:{code}:{j}"
        rids.append(rid)
        G.add_node(rid, x=float(rlon[j]), y=float(rlat[j]), kind="road", city=code, name=f"junction {j}")
    for code in codes:
        length = dist(f"zone:{code}", f"rd:{code}") * 1.4 + 200.0
        for a, b in ((f"zone:{code}", f"rd:{code}"), (f"rd:{code}", f"zone:{code}")):
            tt = rng.uniform(300.0, 900.0)
            G.add_edge(a, b, mode="access", length=length, speed_kph=length / tt * 3.6, travel_time=tt)
    pts = np.column_stack([rlon * np.cos(np.radians(31.0)), rlat])
    tree = cKDTree(pts)
    k = min(4, len(pts))
    dd, nn = tree.query(pts, k=k)
    pairs: set[tuple[int, int]] = set()
    for j in range(len(pts)):
        for q in range(1, k):
            pairs.add((min(j, int(nn[j, q])), max(j, int(nn[j, q]))))
    full = coo_matrix(
        (dd[:, 1:].ravel() + 1e-9, (np.repeat(np.arange(len(pts)), k - 1), nn[:, 1:].ravel())), shape=(len(pts),) * 2
    )
    mst = minimum_spanning_tree(full + full.T).tocoo()
    tree_edges = zip(mst.row.tolist(), mst.col.tolist(), strict=True)
    pairs.update((min(a, b), max(a, b)) for a, b in tree_edges)
    for a, b in sorted(pairs):
        length = dist(rids[a], rids[b]) * rng.uniform(1.05, 1.3) + 1.0
        n_par = 2 if rng.random() < 0.05 else 1
        for _ in range(n_par):
            for u, v in ((rids[a], rids[b]), (rids[b], rids[a])):
                speed = rng.uniform(60.0, 120.0)
                G.add_edge(
                    u,
                    v,
                    mode="road",
                    route=f"R{a}-{b}",
                    length=length,
                    speed_kph=speed,
                    travel_time=length / (speed / 3.6),
                )
    return G


# ----------------------------------------------------------------------- assert helpers


def _finite_number(v: Any) -> TypeGuard[float | np.integer | np.floating]:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and math.isfinite(float(v))


def _check_graph_attrs(G: nx.MultiDiGraph, probs: list[str]) -> None:
    if G.graph.get("crs") != "EPSG:4326":
        probs.append(f"graph attr crs must be 'EPSG:4326', got {G.graph.get('crs')!r}")
    for key in ("scenario", "year"):
        if key not in G.graph:
            probs.append(f"graph attr {key!r} is missing")


def _check_nodes(G: nx.MultiDiGraph, probs: list[str]) -> None:
    prefixes = {"zone:": "zone", "st:": "station", "pl:": "station", "rd:": "road"}
    for n, d in G.nodes(data=True):
        if not isinstance(n, str):
            probs.append(f"node {n!r}: id must be a str")
            continue
        for key in ("x", "y"):
            if not _finite_number(d.get(key)):
                probs.append(f"node {n!r}: {key} must be a finite number, got {d.get(key)!r}")
        kind = d.get("kind")
        if kind not in _NODE_KINDS:
            probs.append(f"node {n!r}: kind must be one of {list(_NODE_KINDS)}, got {kind!r}")
        city = d.get("city")
        if not isinstance(city, (int, np.integer)) or isinstance(city, bool) or int(city) < 0:
            probs.append(f"node {n!r}: city must be an int city id >= 0 (a 6-digit adcode in the YRD), got {city!r}")
        if not isinstance(d.get("name"), str):
            probs.append(f"node {n!r}: name must be a str, got {d.get('name')!r}")
        expected = next((k for p, k in prefixes.items() if n.startswith(p)), None)
        if expected is None:
            probs.append(f"node {n!r}: id must start with one of {list(prefixes)}")
        elif kind in _NODE_KINDS and kind != expected:
            probs.append(f"node {n!r}: id prefix implies kind {expected!r}, got {kind!r}")
        if n.startswith("zone:") and isinstance(city, (int, np.integer)):
            level = d.get("zone_level", "city")
            if level not in ("city", "county", "custom"):
                probs.append(f"node {n!r}: zone_level must be 'city', 'county' or 'custom', got {level!r}")
            elif level == "city" and n != f"zone:{int(city)}":
                probs.append(f"node {n!r}: a city zone's id must be 'zone:{city}'")
            elif level != "city" and not n[5:].isdigit():
                probs.append(f"node {n!r}: a {level} zone's id must be 'zone:<int>'")
        if n.startswith("pl:") and not d.get("line"):
            probs.append(f"node {n!r}: platform needs a 'line' attribute")
    if not any(k == "zone" for _, k in G.nodes(data="kind")):
        probs.append("graph has no zone node")


def _check_edges(G: nx.MultiDiGraph, probs: list[str]) -> None:
    kinds = dict(G.nodes(data="kind"))
    for u, v, key, d in G.edges(keys=True, data=True):
        e = f"edge ({u!r}, {v!r}, {key!r})"
        mode = d.get("mode")
        if mode not in EDGE_MODES:
            probs.append(f"{e}: mode must be one of {list(EDGE_MODES)}, got {mode!r}")
        for attr in ("length", "travel_time", "speed_kph"):
            val = d.get(attr)
            if not _finite_number(val) or float(val) < 0:
                probs.append(f"{e}: {attr} must be a finite number >= 0, got {val!r}")
        tt = d.get("travel_time")
        if _finite_number(tt) and float(tt) == 0 and mode != "transfer":
            probs.append(f"{e}: travel_time 0 is only allowed on transfer edges (mode {mode!r})")
        ku, kv = kinds.get(u), kinds.get(v)
        ends = {ku, kv}
        ok = {
            "rail": ku == kv == "station",
            "suburban": ku == kv == "station",
            "road": ku == kv == "road",
            "access": "zone" in ends and len(ends) == 2 and ends <= {"zone", "station", "road"},
            "transfer": ku == kv == "station",
        }
        if mode in ok and not ok[mode]:
            probs.append(f"{e}: a {mode} edge cannot join kinds {ku!r} -> {kv!r}")
        if mode in TRANSIT_MODES and not d.get("line"):
            probs.append(f"{e}: {mode} edge needs a 'line' attribute")


def assert_graph_contract(G: Any) -> None:
    """Assert that ``G`` meets the yrdnet graph contract, listing every problem.

    Checks the graph type and attributes (``crs="EPSG:4326"``, ``scenario``, ``year``);
    every node's id prefix (``zone:``, ``st:``, ``pl:``, ``rd:``) against its ``kind``,
    finite ``x``/``y``, an int ``city`` (the region's city id, a 6-digit adcode in the
    YRD: a zone's parent city; ``zone:<city>``
    for city zones, ``zone:<int id>`` for zones with ``zone_level`` "county" or
    "custom"), a str
    ``name`` and a ``line`` on platforms; every edge's ``mode`` (one of
    :data:`yrdnet.core.modes.EDGE_MODES`), finite non-negative
    ``length``/``travel_time``/``speed_kph`` (``travel_time`` 0 only on ``transfer``
    edges, i.e. through-running), endpoint kinds allowed for its mode, and a ``line``
    on rail and suburban edges; and that at least one zone exists.

    Parameters
    ----------
    G
        The graph to check.

    Raises
    ------
    AssertionError
        Listing all problems (the first 25 in full, then a count).

    Examples
    --------
    >>> from yrdnet.testing import mock_graph, assert_graph_contract
    >>> assert_graph_contract(mock_graph())
    """
    if not isinstance(G, nx.MultiDiGraph):
        msg = f"graph must be a networkx.MultiDiGraph, got {type(G).__name__}"
        raise AssertionError(msg)
    probs: list[str] = []
    _check_graph_attrs(G, probs)
    _check_nodes(G, probs)
    _check_edges(G, probs)
    if probs:
        shown = probs[:_MAX_REPORTED]
        more = len(probs) - len(shown)
        tail = f"\n  ... and {more} more" if more else ""
        head = f"graph breaks the contract ({len(probs)} problem(s)):\n  "
        msg = head + "\n  ".join(shown) + tail
        raise AssertionError(msg)


def _labels_equal(x: Iterable[Any], y: Iterable[Any]) -> bool:
    return list(x) == list(y)


def assert_od_equal(
    a: pd.DataFrame,
    b: pd.DataFrame,
    *,
    atol: float = 1e-6,
    rtol: float = 0.0,
    check_like: bool = False,
) -> None:
    r"""Assert that two OD travel-time matrices are equal, treating ``inf`` exactly.

    Two cells are equal when both are ``+inf`` (unreachable), both are ``-inf``, both
    are NaN, or both are finite with

    .. math:: |a_{ij} - b_{ij}| \le \mathrm{atol} + \mathrm{rtol}\,|b_{ij}|

    Parameters
    ----------
    a, b
        OD matrices (origins as index, destinations as columns).
    atol
        Absolute tolerance, in the unit of the matrices (seconds or minutes).
    rtol
        Relative tolerance.
    check_like
        If True, ignore the order of index and columns (``b`` is reindexed like ``a``).

    Raises
    ------
    AssertionError
        If shapes or labels differ, or listing the number of unequal cells and the
        worst few (origin, destination, a, b).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> a = pd.DataFrame([[0.0, np.inf], [5.0, 0.0]], index=["p", "q"], columns=["p", "q"])
    >>> assert_od_equal(a, a + 1e-9)
    """
    for name, df in (("a", a), ("b", b)):
        if not isinstance(df, pd.DataFrame):
            msg = f"{name} must be a pandas DataFrame, got {type(df).__name__}"
            raise AssertionError(msg)
    if check_like:
        if set(a.index) != set(b.index) or set(a.columns) != set(b.columns):
            msg = "OD matrices have different labels (check_like=True)"
            raise AssertionError(msg)
        b = b.reindex(index=a.index, columns=a.columns)
    if a.shape != b.shape:
        msg = f"OD matrices have different shapes: {a.shape} != {b.shape}"
        raise AssertionError(msg)
    if not _labels_equal(a.index, b.index) or not _labels_equal(a.columns, b.columns):
        msg = "OD matrices have different index or column labels (or order); use check_like=True"
        raise AssertionError(msg)
    x = a.to_numpy(dtype=np.float64)
    y = b.to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore"):
        same_special = (np.isnan(x) & np.isnan(y)) | (np.isinf(x) & (x == y))
        finite = np.isfinite(x) & np.isfinite(y)
        close = np.zeros_like(finite)
        close[finite] = np.abs(x[finite] - y[finite]) <= atol + rtol * np.abs(y[finite])
    bad = ~(same_special | close)
    if bad.any():
        rows, cols = np.nonzero(bad)
        diff = np.where(finite[rows, cols], np.abs(x[rows, cols] - y[rows, cols]), np.inf)
        order = np.argsort(-diff, kind="stable")[:5]
        worst = ", ".join(
            f"({a.index[rows[i]]!r}, {a.columns[cols[i]]!r}): {x[rows[i], cols[i]]!r} vs {y[rows[i], cols[i]]!r}"
            for i in order
        )
        msg = f"OD matrices differ in {int(bad.sum())} of {bad.size} cell(s) (atol={atol}, rtol={rtol}); worst: {worst}"
        raise AssertionError(msg)


# --------------------------------------------------------------------------- tiny GTFS feed


_TINY_STOPS: tuple[tuple[str, str, float, float], ...] = (
    ("shanghai_hongqiao", "上海虹桥", 121.31620, 31.19598),
    ("suzhou_north", "苏州北", 120.63893, 31.42372),
    ("nanjing_south", "南京南", 118.79276, 31.97074),
    ("hefei_south", "合肥南", 117.28484, 31.80054),
    ("hangzhou_east", "杭州东", 120.20820, 30.29355),
    ("jiaxing_south", "嘉兴南", 120.79391, 30.69579),
    ("zhoushan", "舟山", 122.10000, 30.03000),  # served by no trip
)

# trip_id, route_id, service_id, train, [(stop_id, arrival, departure), ...]
_TINY_TRIPS: tuple[tuple[str, str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "t1",
        "r_g",
        "daily",
        "G7001",
        (
            ("shanghai_hongqiao", "08:00:00", "08:00:00"),
            ("suzhou_north", "08:25:00", "08:27:00"),
            ("nanjing_south", "09:30:00", "09:30:00"),
        ),
    ),
    # a 10-minute connection from t1 at nanjing_south: caught only if transfers take <= 10 min
    (
        "t2",
        "r_g",
        "daily",
        "G7003",
        (("nanjing_south", "09:40:00", "09:40:00"), ("hefei_south", "10:40:00", "10:40:00")),
    ),
    # the 30-minute fallback connection
    (
        "t3",
        "r_d",
        "daily",
        "D3001",
        (("nanjing_south", "10:00:00", "10:00:00"), ("hefei_south", "11:10:00", "11:10:00")),
    ),
    (
        "t4",
        "r_g",
        "daily",
        "G7501",
        (("shanghai_hongqiao", "07:30:00", "07:30:00"), ("hangzhou_east", "08:30:00", "08:30:00")),
    ),
    # runs past midnight (times beyond 24:00:00)
    (
        "t5",
        "r_d",
        "daily",
        "D3201",
        (
            ("hangzhou_east", "23:30:00", "23:30:00"),
            ("jiaxing_south", "24:05:00", "24:06:00"),
            ("shanghai_hongqiao", "24:35:00", "24:35:00"),
        ),
    ),
    # a slow direct train: slower than t1 + t3 with a transfer
    (
        "t6",
        "r_k",
        "daily",
        "K8001",
        (
            ("shanghai_hongqiao", "09:00:00", "09:00:00"),
            ("nanjing_south", "11:00:00", "11:02:00"),
            ("hefei_south", "13:00:00", "13:00:00"),
        ),
    ),
    # not running on 2016-03-10 (service starts the next day)
    (
        "t7",
        "r_g",
        "later",
        "G7999",
        (("shanghai_hongqiao", "12:00:00", "12:00:00"), ("hangzhou_east", "12:45:00", "12:45:00")),
    ),
)


def tiny_feed(path: str | os.PathLike[str]) -> Path:
    """Write a tiny deterministic GTFS feed (a folder) and return its path.

    One service day, 2016-03-10, seven stops (yrdnet station ids) and seven trips, with
    the pathologies timetable routing must survive:

    * ``D3201`` (t5) runs past midnight: Hangzhou East 23:30, Jiaxing South 24:05/24:06,
      Shanghai Hongqiao 24:35;
    * ``zhoushan`` is served by no trip;
    * Shanghai Hongqiao to Hefei South needs a transfer at Nanjing South: ``G7001``
      arrives 09:30; ``G7003`` leaves 09:40 (a transfer too tight for a 15-min minimum)
      and ``D3001`` leaves 10:00; the slow direct ``K8001`` (09:00-13:00) is slower than
      ``G7001`` + ``D3001``;
    * ``G7999`` (t7) belongs to a service that starts on 2016-03-11 and is dropped.

    Parameters
    ----------
    path
        Folder to write into (created if needed); the feed goes in ``path / "tiny_gtfs"``.

    Returns
    -------
    pathlib.Path
        The feed folder, readable by :func:`yrdnet.timetable.read_gtfs`.

    Examples
    --------
    >>> import tempfile
    >>> sorted(p.name for p in tiny_feed(tempfile.mkdtemp()).iterdir())[:3]
    ['agency.txt', 'calendar.txt', 'calendar_dates.txt']
    """
    out = Path(path) / "tiny_gtfs"
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
        with (out / name).open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write(
        "agency.txt",
        ["agency_id", "agency_name", "agency_url", "agency_timezone"],
        [["cr", "China Railway (test)", "https://example.invalid", "Asia/Shanghai"]],
    )
    write(
        "stops.txt",
        ["stop_id", "stop_name", "stop_lat", "stop_lon"],
        [[s, name, lat, lon] for s, name, lon, lat in _TINY_STOPS],
    )
    write(
        "routes.txt",
        ["route_id", "agency_id", "route_short_name", "route_desc", "route_type"],
        [["r_g", "cr", "G", "G", 2], ["r_d", "cr", "D", "D", 2], ["r_k", "cr", "K", "K", 2]],
    )
    write(
        "trips.txt",
        ["route_id", "service_id", "trip_id", "trip_short_name"],
        [[r, sv, t, name] for t, r, sv, name, _ in _TINY_TRIPS],
    )
    write(
        "stop_times.txt",
        ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
        [[t, a, d, s, k + 1] for t, _, _, _, calls in _TINY_TRIPS for k, (s, a, d) in enumerate(calls)],
    )
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    write(
        "calendar.txt",
        ["service_id", *days, "start_date", "end_date"],
        [["daily", *[1] * 7, "20160310", "20160310"], ["later", *[1] * 7, "20160311", "20160331"]],
    )
    write("calendar_dates.txt", ["service_id", "date", "exception_type"], [["later", "20160313", 2]])
    write(
        "feed_info.txt",
        ["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date"],
        [["yrdnet tests", "https://example.invalid", "zh", "20160310", "20160331"]],
    )
    return out


# --------------------------------------------------------------------------- road-like graphs


@dataclass(frozen=True)
class RoadLikeGraph:
    """Arrays of a synthetic road graph from :func:`road_like_graph`.

    Attributes
    ----------
    node_ids : int64 OSM-like ids (unique, in random order: the caller's node order)
    x, y : lon/lat of the nodes, degrees
    u, v : edge endpoints (node ids), one entry per road segment
    travel_time : seconds; length : metres; speed_kph : 30 local, 60 arterial, 100 expressway
    oneway : True where the segment may only be driven from ``u`` to ``v``
    """

    node_ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    travel_time: np.ndarray
    length: np.ndarray
    speed_kph: np.ndarray
    oneway: np.ndarray

    def directed_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(u, v, travel_time)`` with both directions of every two-way segment."""
        two = ~self.oneway
        u = np.concatenate([self.u, self.v[two]])
        v = np.concatenate([self.v, self.u[two]])
        return u, v, np.concatenate([self.travel_time, self.travel_time[two]])

    def to_networkx(self) -> nx.MultiDiGraph:
        """A networkx MultiDiGraph (``x``, ``y`` on nodes, ``travel_time`` on edges): small graphs only."""
        G: nx.MultiDiGraph = nx.MultiDiGraph()
        G.add_nodes_from(
            (int(n), {"x": float(a), "y": float(b)}) for n, a, b in zip(self.node_ids, self.x, self.y, strict=True)
        )
        G.add_edges_from(
            (int(a), int(b), {"travel_time": float(t)}) for a, b, t in zip(*self.directed_edges(), strict=True)
        )
        return G


def road_like_graph(n_nodes: int = 10_000, *, seed: int = 0, removed: float = 0.15) -> RoadLikeGraph:
    """Return a seeded synthetic road network shaped like an OSM drive graph.

    A square grid of junctions about 150 m apart near Suzhou (lon 120.0, lat 31.0),
    jittered by up to 30 % of the spacing; about ``removed`` of the local segments are
    dropped and 3 % of the rest are one-way; every 8th row and column is an arterial
    (60 km/h) and every 32nd an expressway (100 km/h), never removed; local roads run at
    30 km/h. Segment lengths are the great-circle distance times a random detour factor
    of 1.0-1.2. Only the largest strongly connected component is kept, so the graph has
    about ``n_nodes`` nodes (a full grid of ``ceil(sqrt(n_nodes))**2`` less the pieces cut
    off) and every node reaches every other. Node ids are
    random 10-digit integers and the nodes come in random order, as OSM ids do.

    Parameters
    ----------
    n_nodes
        Approximate number of nodes (at least 4).
    seed
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same graph.
    removed
        Share of local segments dropped (0 to 0.5).
    """
    if n_nodes < 4 or not 0 <= removed <= 0.5:
        raise ValueError(f"need n_nodes >= 4 and 0 <= removed <= 0.5, got {n_nodes}, {removed}")
    rng = np.random.default_rng(seed)
    side = math.ceil(math.sqrt(n_nodes))
    r, c = np.divmod(np.arange(side * side), side)
    step_lat = 150.0 / 111_320.0
    step_lon = step_lat / math.cos(math.radians(31.0))
    x = 120.0 + (c + rng.uniform(-0.3, 0.3, len(c))) * step_lon
    y = 31.0 + (r + rng.uniform(-0.3, 0.3, len(r))) * step_lat
    east, north = np.flatnonzero(c < side - 1), np.flatnonzero(r < side - 1)
    a = np.concatenate([east, north])
    b = np.concatenate([east + 1, north + side])
    line = np.concatenate([r[east], c[north]])  # the row or column the segment runs along
    speed = np.where(line % 32 == 0, 100.0, np.where(line % 8 == 0, 60.0, 30.0))
    keep = (speed > 30.0) | (rng.random(len(a)) >= removed)
    a, b, speed = a[keep], b[keep], speed[keep]
    oneway = (speed == 30.0) & (rng.random(len(a)) < 0.03)
    p1, p2 = np.radians(y[a]), np.radians(y[b])
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(x[b] - x[a]) / 2) ** 2
    length = 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(h)) * rng.uniform(1.0, 1.2, len(a))
    fwd = np.concatenate([a, b[~oneway]]), np.concatenate([b, a[~oneway]])
    adj = coo_matrix((np.ones(len(fwd[0])), fwd), shape=(side * side, side * side))
    _, comp = connected_components(adj, directed=True, connection="strong")
    big = comp == np.bincount(comp).argmax()
    seg = big[a] & big[b]
    nodes = rng.permutation(np.flatnonzero(big))
    ids = np.zeros(side * side, dtype=np.int64)
    ids[nodes] = _osm_like_ids(rng, len(nodes))
    return RoadLikeGraph(
        ids[nodes],
        x[nodes],
        y[nodes],
        ids[a[seg]],
        ids[b[seg]],
        length[seg] / (speed[seg] / 3.6),
        length[seg],
        speed[seg],
        oneway[seg],
    )


def _osm_like_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` unique random 10-digit ids in random order."""
    ids = np.unique(rng.integers(1_000_000_000, 10_000_000_000, size=n + n // 10 + 16))
    while len(ids) < n:  # pragma: no cover - collisions of 10-digit draws are rare
        ids = np.unique(np.concatenate([ids, rng.integers(1_000_000_000, 10_000_000_000, size=n)]))
    return rng.permutation(ids)[:n]

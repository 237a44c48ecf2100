"""An approximate road network for county (and custom) zones, from the curated tables.

The curated expressway links (``data/highways.csv``) join city centres. A county seat
has no honest road path on them, so this module gives it one:

* **junctions** — every seat is projected onto the expressway links that pass within
  ``county_snap_km`` of it (a link is the straight line between the centres it joins;
  an equirectangular plane around the YRD is used, which is within 1 % of the great
  circle at these distances). A seat near none reaches the expressways over the local
  roads of its neighbours. The rule depends on the seat and the link only, so adding a
  link never removes a junction and never lengthens a trip. The link is split at the
  projection into a junction node (``rd:j<link>:<zone>``, kind ``road``); its parts
  keep the link's speed and share its sourced ``km`` in proportion to their lengths;
* **local drives** — from the seat's road node (``rd:z<zone>``) to each of its
  junctions and between the seats of neighbouring zones (a shared boundary of the
  county polygons; without polygons, the four nearest seats), at
  ``local_road_speed_kph`` over ``local_road_detour`` x the geodesic km (route
  ``"local"``);
* **town access** — zone <-> its road node, ``county_access_min`` each way.

This approximates the road network: no real alignments, interchanges or ordinary roads
other than seat-to-seat links. An OpenStreetMap extract replaces it
(``graph_from_pbf(path, zones=load_zones("county"))`` attaches the same zones to the
real roads).
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from yrdnet.core.cache import register_cache
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.graph_ops import Op, OpCache, both_ways
from yrdnet.network.road_times import (
    ROAD_MODEL_FIELDS,
    expressway_seconds,
    local_road_kph,
    town_exit_km,
    town_exit_seconds,
)

__all__ = ["add_zone_roads", "clear_cache", "local_road", "neighbour_pairs"]

_KM_PER_DEG_LAT = 110.57
_KM_PER_DEG_LON_EQ = 111.32
_BUFFER_M = 500.0  # the simplified county polygons leave slivers between neighbours
_METRIC_CRS = "EPSG:32651"  # UTM 51N: metres, good enough for a 500 m buffer across the YRD
_K_NEAREST = 4


#: Share of a seat-to-seat line that must run over land for an ordinary road between them
#: (stated choice: the five YRD pairs below it are all across open sea -- Shengsi-Pudong
#: 0.51, Dongtou-Yueqing 0.74, Dinghai-Daishan 0.78, Lianyun-Ganyu 0.79 (Haizhou Bay),
#: Yueqing-Yuhuan 0.85 -- and the next, Longwan-Dongtou 0.90, runs on the Lingkun causeway).
MIN_LAND_SHARE = 0.88
_PAIRS_SIZE = 4


def _plane(lon: np.ndarray, lat: np.ndarray, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    return lon * _KM_PER_DEG_LON_EQ * np.cos(np.radians(lat0)), lat * _KM_PER_DEG_LAT


def _over_sea(pairs: set[tuple[int, int]], table: pd.DataFrame, polygons: gpd.GeoSeries) -> set[tuple[int, int]]:
    """The pairs whose seat-to-seat line runs less than ``MIN_LAND_SHARE`` over land."""
    if not pairs:
        return set()
    land = shapely.union_all(polygons.reindex(table.index).to_numpy())
    ordered = sorted(pairs)
    a = np.array([p[0] for p in ordered])
    b = np.array([p[1] for p in ordered])
    lines = shapely.linestrings(
        np.stack([table.loc[a, ["lon", "lat"]].to_numpy(float), table.loc[b, ["lon", "lat"]].to_numpy(float)], axis=1)
    )
    share = shapely.length(shapely.intersection(lines, land)) / np.maximum(shapely.length(lines), 1e-12)
    return {p for p, s_ in zip(ordered, share, strict=True) if s_ < MIN_LAND_SHARE}


_PAIRS: dict[bytes, list[tuple[int, int]]] = {}
_PAIRS_LOCK = threading.Lock()
register_cache("network.county_roads.neighbour_pairs", _PAIRS.clear)


def neighbour_pairs(table: pd.DataFrame, polygons: gpd.GeoSeries | None) -> list[tuple[int, int]]:
    """Pairs ``(a, b)`` of neighbouring zones (:func:`_neighbour_pairs`), memoised by content.

    The pairs depend on the zones' ids, seats and polygons only, not on the year, so the
    road layers of every year reuse them (at most ``_PAIRS_SIZE`` zone sets kept).
    """
    h = hashlib.blake2b(digest_size=32)
    h.update(repr(list(map(str, table.index))).encode())
    h.update(table[["lon", "lat"]].to_numpy(float).tobytes())
    if polygons is None:
        h.update(b"no polygons")
    else:
        h.update(repr(list(map(str, polygons.index))).encode())
        h.update(b"".join(b if b is not None else b"-" for b in shapely.to_wkb(polygons.to_numpy())))
    key = h.digest()
    with _PAIRS_LOCK:
        hit = _PAIRS.get(key)
    if hit is None:
        hit = _neighbour_pairs(table, polygons)
        with _PAIRS_LOCK:
            if len(_PAIRS) >= _PAIRS_SIZE:
                _PAIRS.pop(next(iter(_PAIRS)))
            _PAIRS[key] = hit
    return list(hit)


def _neighbour_pairs(table: pd.DataFrame, polygons: gpd.GeoSeries | None) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, of zones that share a boundary (or, without polygons, near seats).

    Polygons are buffered by about 500 m before the test, as simplification leaves gaps.
    Two zones whose seats are joined by a straight line that runs less than
    ``MIN_LAND_SHARE`` of its length over land (inside some zone polygon) are not paired:
    no ordinary road crosses the sea between them (Yuhuan-Yueqing across Yueqing Bay,
    Daishan-Dinghai, Dongtou-Yueqing); islands join the mainland through their dated
    bridges, the expressway sections of ``data/expressways.csv``. The county polygons
    cover the Yangtze, so river crossings are not detected this way. A zone left without
    any neighbour (an island, e.g. Shengsi, reached by ferry only) is paired with the
    zone of the nearest seat, so that every zone stays reachable.
    """
    ids = [int(i) for i in table.index]
    lon, lat = table["lon"].to_numpy(float), table["lat"].to_numpy(float)
    pairs: set[tuple[int, int]] = set()
    if polygons is not None and polygons.notna().all():
        metric = gpd.GeoSeries(polygons.reindex(table.index).to_numpy(), crs="EPSG:4326").to_crs(_METRIC_CRS)
        g = gpd.GeoDataFrame({"zone": ids}, geometry=metric.buffer(_BUFFER_M).to_numpy(), crs=_METRIC_CRS)
        j = gpd.sjoin(g, g, predicate="intersects")
        for a, b in zip(j["zone_left"], j["zone_right"], strict=True):
            if a != b:
                pairs.add((min(int(a), int(b)), max(int(a), int(b))))
        pairs -= _over_sea(pairs, table, polygons)
    else:
        d = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
        for i in range(len(ids)):
            for j_ in np.argsort(d[i])[1 : _K_NEAREST + 1]:
                pairs.add((min(ids[i], ids[int(j_)]), max(ids[i], ids[int(j_)])))
    have = {z for p in pairs for z in p}
    if len(ids) > 1:
        d = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
        np.fill_diagonal(d, np.inf)
        for i, z in enumerate(ids):
            if z not in have:
                o = ids[int(np.argmin(d[i]))]
                pairs.add((min(z, o), max(z, o)))
    return sorted(pairs)


def local_road(model: TravelTimeModel, geo_km: float) -> dict[str, Any]:
    """Attributes of a drive on ordinary roads between points ``geo_km`` apart (route ``"local"``).

    ``local_road_detour`` x ``geo_km`` at :func:`~yrdnet.network.road_times.local_road_kph`
    (``local_road_speed_kph`` in free flow, ``local_road_typical_speed_kph`` in typical
    traffic; at least one second).
    """
    km = geo_km * model.local_road_detour
    v = local_road_kph(model)
    return {
        "mode": "road",
        "route": "local",
        "length": km * 1000.0,
        "travel_time": max(km / v * 3600.0, 1.0),
        "speed_kph": v,
    }


#: Road networks kept (a few zone sets x years); about 1 MB each.
_CACHE = OpCache("network.county_roads.zone_roads", size=8)
_MODEL_FIELDS = ("county_snap_km", *ROAD_MODEL_FIELDS)


def _content_key(
    zones: pd.DataFrame, polygons: gpd.GeoSeries | None, cities: pd.DataFrame, highways: pd.DataFrame,
    model: TravelTimeModel,
) -> bytes:  # fmt: skip
    """A digest of every input the road network reads (values, ids and order)."""
    h = hashlib.blake2b(digest_size=32)
    for df, cols in (
        (zones, ["lon", "lat", "city", "name_en"]),
        (cities, ["lon", "lat", "name_en"]),
        (highways, ["route", "from_adcode", "to_adcode", "km", "speed_kph"]),
    ):
        part = pd.DataFrame(df[cols])
        h.update(repr((list(map(str, part.index)), list(map(str, part.dtypes)))).encode())
        h.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
    if polygons is None:
        h.update(b"no polygons")
    else:
        h.update(repr(list(map(str, polygons.index))).encode())
        h.update(b"".join(b if b is not None else b"-" for b in shapely.to_wkb(polygons.to_numpy())))
    h.update(repr(tuple(getattr(model, f) for f in _MODEL_FIELDS)).encode())
    h.update(town_exit_seconds(zones, model, level="county").tobytes())  # the exits may read population columns
    return h.digest()


def clear_cache() -> None:
    """Forget the cached road networks."""
    _CACHE.clear()


def add_zone_roads(
    G: nx.MultiDiGraph,
    zones: pd.DataFrame,
    polygons: gpd.GeoSeries | None,
    cities: pd.DataFrame,
    highways: pd.DataFrame,
    model: TravelTimeModel,
    *,
    cache: bool = True,
) -> dict[str, int]:
    """Add expressway links split at seat junctions, local drives and town access to ``G``.

    ``zones`` is a zone table (index zone id; ``lon``, ``lat``, ``city``, ``name_en``)
    whose ``zone:<id>`` nodes already exist. Returns counts for the graph's provenance.

    The network depends on the zones, their polygons, the cities, the expressway links
    and the road model parameters (``_MODEL_FIELDS``) only, not on the rail scenario, so it is computed once
    per content: the nodes and edges to add are cached (at most ``_CACHE.size``
    networks, least recently used dropped) under a digest of exactly those inputs, and
    replayed into ``G`` with the same calls in the same order (networkx copies every
    attribute dict, so graphs never share one). ``cache=False`` recomputes.
    """
    key = _content_key(zones, polygons, cities, highways, model) if cache else None
    return _CACHE.apply(G, key, lambda: _road_ops(zones, polygons, cities, highways, model))


def _road_ops(
    zones: pd.DataFrame, polygons: gpd.GeoSeries | None, cities: pd.DataFrame, highways: pd.DataFrame,
    model: TravelTimeModel,
) -> tuple[list[Op], dict[str, int]]:  # fmt: skip
    """The nodes and edges of the road network, in the order they are added."""
    ops: list[Op] = []
    pos: dict[str, tuple[float, float]] = {}
    lat0 = float(zones["lat"].mean()) if len(zones) else 31.0
    zx, zy = _plane(zones["lon"].to_numpy(float), zones["lat"].to_numpy(float), lat0)
    ids = [int(i) for i in zones.index]
    exit_s = town_exit_seconds(zones, model, level="county")
    exit_km = town_exit_km(zones, model, level="county")
    for k_z, (z, r) in enumerate(zones.iterrows()):
        rn = f"rd:z{int(z)}"  # type: ignore[call-overload]
        ops.append(("node", rn, {"x": float(r["lon"]), "y": float(r["lat"]), "kind": "road", "city": int(r["city"]),
                                 "name": f"{r['name_en']} roads"}))  # fmt: skip
        tt, km_exit = float(exit_s[k_z]), float(exit_km[k_z])
        both_ways(
            ops,
            f"zone:{int(z)}",  # type: ignore[call-overload]
            rn,
            {"mode": "access", "length": km_exit * 1000.0, "travel_time": tt, "speed_kph": km_exit / tt * 3600.0},
        )  # fmt: skip
    # ---- expressway links, split at the projections of nearby seats
    used = sorted(set(highways["from_adcode"]).union(highways["to_adcode"]))
    for c in used:
        row = cities.loc[c]
        pos[f"rd:{int(c)}"] = (float(row["lon"]), float(row["lat"]))
        ops.append(("node", f"rd:{int(c)}", {"x": float(row["lon"]), "y": float(row["lat"]), "kind": "road",
                                             "city": int(c), "name": f"{row['name_en']} expressway hub"}))  # fmt: skip
    n_links = len(highways)
    if n_links == 0:
        snaps: list[list[tuple[float, int, float]]] = []
    else:
        ax, ay = _plane(
            cities.loc[highways["from_adcode"], "lon"].to_numpy(float),
            cities.loc[highways["from_adcode"], "lat"].to_numpy(float),
            lat0,
        )
        bx, by = _plane(
            cities.loc[highways["to_adcode"], "lon"].to_numpy(float),
            cities.loc[highways["to_adcode"], "lat"].to_numpy(float),
            lat0,
        )
        dx, dy = bx - ax, by - ay
        L2 = np.maximum(dx * dx + dy * dy, 1e-9)
        t = np.clip(((zx[:, None] - ax) * dx + (zy[:, None] - ay) * dy) / L2, 0.0, 1.0)
        px, py = ax + t * dx, ay + t * dy
        d = np.hypot(zx[:, None] - px, zy[:, None] - py)  # zones x links, km
        near = d <= model.county_snap_km
        snaps = [[] for _ in range(n_links)]
        for i, k in zip(*np.nonzero(near), strict=True):
            snaps[int(k)].append((float(t[i, k]), ids[int(i)], float(d[i, k])))
    n_junctions = 0
    for k, (lid, h) in enumerate(highways.iterrows()):
        a, b = f"rd:{int(h['from_adcode'])}", f"rd:{int(h['to_adcode'])}"
        chain: list[tuple[float, str]] = [(0.0, a)]
        zc, zn = zones["city"], zones["name_en"]
        for tk, z, dk in sorted(snaps[k]):
            if tk <= 0.0:
                node = a
            elif tk >= 1.0:
                node = b
            else:
                node = f"rd:j{lid}:{z}"
                (ax_, ay_), (bx_, by_) = pos[a], pos[b]
                name = f"{h['route']} junction for {zn[z]!s}"
                ops.append(("node", node, {"x": ax_ + tk * (bx_ - ax_), "y": ay_ + tk * (by_ - ay_), "kind": "road",
                                           "city": int(zc[z]), "name": name}))  # fmt: skip
                chain.append((tk, node))
                n_junctions += 1
            both_ways(ops, f"rd:z{z}", node, local_road(model, dk))
        chain.append((1.0, b))
        v = float(h["speed_kph"])
        for (t0, u), (t1, w) in itertools.pairwise(chain):
            km = float(h["km"]) * (t1 - t0)
            tt = float(expressway_seconds(km, v, model))
            attrs = {"mode": "road", "route": str(h["route"]), "link": str(lid), "length": km * 1000.0,
                     "travel_time": tt, "speed_kph": v}  # fmt: skip
            both_ways(ops, u, w, attrs)
    # ---- local roads between neighbouring seats
    pairs = neighbour_pairs(zones, polygons)
    lon, lat = zones["lon"], zones["lat"]
    for a_, b_ in pairs:
        km = float(haversine_km(lon[a_], lat[a_], lon[b_], lat[b_]))
        both_ways(ops, f"rd:z{a_}", f"rd:z{b_}", local_road(model, km))
    return ops, {"n_junctions": n_junctions, "n_local_links": len(pairs)}

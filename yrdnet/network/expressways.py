"""The road layer from the dated county expressway network (``data/expressways.csv``).

Used when ``TravelTimeModel.road_network == "expressways"`` (the default). The network is
built on the county-level units (``load_zones("county")``), whatever the zones of the
graph:

* **seats** -- every unit has a road node ``rd:z<adcode>`` at its seat (kind ``road``);
* **interchanges** -- a unit that an expressway section open in the year touches also has
  ``rd:x<adcode>``, the interchange area serving its seat, joined to ``rd:z<adcode>`` by a
  one-second link (route ``"interchange"``): leaving the town is the town exit below;
* **sections** -- each section opened by the year (``opened <= year``; ``year=None``: all)
  is a two-way ``road`` edge between the interchange nodes of its units (``route``,
  ``link`` = section id, ``length``, ``speed_kph``; ``travel_time`` from
  :func:`yrdnet.network.road_times.expressway_seconds`);
* **local roads** -- between the seats of neighbouring units
  (:func:`yrdnet.network.county_roads.neighbour_pairs`, ``local_road_speed_kph`` over
  ``local_road_detour`` x geodesic km): the last miles, and the only roads of a unit
  without an interchange in that year;
* **scenario links** -- a link a scenario adds (``add_link``: a ``highways`` row whose
  ``source`` begins ``"scenario "``) joins the interchange nodes of the units holding the
  two cities' centres (:meth:`yrdnet.Zones.core_zones`); the curated city links of
  ``highways.csv`` are not used in this mode;
* **zones** -- a county zone joins its own seat node; a city zone (or a custom zone) the
  seat node of the unit holding its centre (the unit whose polygon covers it, else the
  nearest seat of that city, or of any unit for a custom zone), by the town exit of
  :func:`yrdnet.network.road_times.town_exit_seconds` (``level="city"`` for cities).

The nodes and edges depend on the zones, the cities, the sections and scenario links of
the year and seven model parameters only: they are computed once per content and replayed
(as :func:`yrdnet.network.county_roads.add_zone_roads` does).
"""

from __future__ import annotations

import hashlib

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.core.geodesy import haversine_km
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.county_roads import local_road, neighbour_pairs
from yrdnet.network.graph_ops import Op, OpCache, both_ways
from yrdnet.network.road_times import ROAD_MODEL_FIELDS, expressway_seconds, town_exit_km, town_exit_seconds
from yrdnet.region.expressways import load_expressways
from yrdnet.region.zones import Zones, load_zones

__all__ = ["add_expressway_roads", "expressways_of_year", "road_tables_of_year", "scenario_links"]

SCENARIO_SOURCE = "scenario "  # how scenario.add_link marks the links it adds (yrdnet.scenarios.scenario)
#: Road networks kept (a few zone sets x years); about 1 MB each.
_CACHE = OpCache("network.expressways.road_networks", size=8)
_MODEL_FIELDS = ROAD_MODEL_FIELDS


def expressways_of_year(expressways: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The sections open at the end of ``year`` (``opened <= year``; ``None``: every section)."""
    if year is None:
        return expressways
    return expressways[expressways["opened"].astype(int) <= int(year)]


def scenario_links(highways: pd.DataFrame) -> pd.DataFrame:
    """The rows of a highways table that a scenario's ``add_link`` added."""
    return highways[highways["source"].astype(str).str.startswith(SCENARIO_SOURCE)]


def road_tables_of_year(
    expressways: pd.DataFrame | None, year: int | None, model: TravelTimeModel
) -> pd.DataFrame | None:
    """The sections a graph of ``year`` uses: ``None`` with ``road_network="city_links"``.

    ``expressways=None`` is the shipped table (:func:`yrdnet.load_expressways`).
    """
    if model.road_network != "expressways":
        return None
    return expressways_of_year(load_expressways() if expressways is None else expressways, year)


def clear_cache() -> None:
    """Forget the cached road networks."""
    _CACHE.clear()


def _digest(
    zones: Zones, cities: pd.DataFrame, sections: pd.DataFrame, links: pd.DataFrame, model: TravelTimeModel
) -> bytes:
    """A digest of every input the network reads (values, ids and order)."""
    h = hashlib.blake2b(digest_size=32)
    h.update(zones.level.encode())
    for df, cols in (
        (zones.table, ["lon", "lat", "city", "name_en"]),
        (cities, ["lon", "lat", "name_en"]),
        (sections, ["route", "from_adcode", "to_adcode", "km", "speed_kph"]),
        (links, ["route", "from_adcode", "to_adcode", "km", "speed_kph"]),
    ):
        part = pd.DataFrame(df[cols])
        h.update(repr((list(map(str, part.index)), list(map(str, part.dtypes)))).encode())
        h.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
    h.update(repr(tuple(getattr(model, f) for f in _MODEL_FIELDS)).encode())
    level = "city" if zones.level == "city" else "county"
    h.update(town_exit_seconds(zones.table, model, level=level).tobytes())  # the exits may read population columns
    return h.digest()


def add_expressway_roads(
    G: nx.MultiDiGraph,
    zones: Zones,
    cities: pd.DataFrame,
    sections: pd.DataFrame,
    highways: pd.DataFrame,
    model: TravelTimeModel,
    *,
    cache: bool = True,
) -> dict[str, int]:
    """Add the county expressway network of a year and the zones' town exits to ``G``.

    Parameters
    ----------
    G
        The graph; its ``zone:<id>`` nodes exist already.
    zones
        The graph's zones (city, county or custom).
    cities
        The city table (centres of city zones and of scenario links).
    sections
        The sections open in the year (:func:`expressways_of_year`).
    highways
        The year's highways table; only its scenario links (:func:`scenario_links`) are used.
    model
        Travel-time parameters.
    cache
        Reuse the nodes and edges of an earlier call with the same content.

    Returns
    -------
    dict
        Counts for the graph's provenance: ``n_sections``, ``n_interchanges``,
        ``n_local_links``, ``n_scenario_links``.
    """
    links = scenario_links(highways)
    key = _digest(zones, cities, sections, links, model) if cache else None
    return _CACHE.apply(G, key, lambda: _ops(zones, cities, sections, links, model))


def _road_node(ops: list[Op], nid: str, r: pd.Series, city: int, name: str) -> None:
    ops.append(("node", nid, {"x": float(r["lon"]), "y": float(r["lat"]), "kind": "road", "city": city, "name": name}))


def _ops(
    zones: Zones, cities: pd.DataFrame, sections: pd.DataFrame, links: pd.DataFrame, model: TravelTimeModel
) -> tuple[list[Op], dict[str, int]]:
    """The nodes and edges of the network, in the order they are added."""
    units = load_zones("county")
    ut = units.table
    ops: list[Op] = []
    for u, r in ut.iterrows():
        _road_node(ops, f"rd:z{u}", r, int(r["city"]), f"{r['name_en']} roads")
    core = units.core_zones(cities)
    link_units = [(core[int(a)], core[int(b)]) for a, b in zip(links["from_adcode"], links["to_adcode"], strict=True)]
    on_net = sorted(set(sections["from_adcode"].astype(int)) | set(sections["to_adcode"].astype(int))
                    | {u for p in link_units for u in p})  # fmt: skip
    for u in on_net:
        r = ut.loc[u]
        _road_node(ops, f"rd:x{u}", r, int(r["city"]), f"{r['name_en']} interchanges")
        both_ways(ops, f"rd:z{u}", f"rd:x{u}", {"mode": "road", "route": "interchange", "length": 0.0,
                                            "travel_time": 1.0, "speed_kph": 0.0})  # fmt: skip
    rows = list(zip(sections.index, sections["route"], sections["from_adcode"], sections["to_adcode"],
                    sections["km"], sections["speed_kph"], strict=True))  # fmt: skip
    for (lid, lk), (ua, ub) in zip(links.iterrows(), link_units, strict=True):
        rows.append((lid, lk["route"], ua, ub, lk["km"], lk["speed_kph"]))
    for sid, route, a, b, km, v in rows:
        tt = float(expressway_seconds(float(km), float(v), model))
        attrs = {"mode": "road", "route": str(route), "link": str(sid), "length": float(km) * 1000.0,
                 "travel_time": tt, "speed_kph": float(v)}  # fmt: skip
        both_ways(ops, f"rd:x{int(a)}", f"rd:x{int(b)}", attrs)
    pairs = neighbour_pairs(ut, units.polygons)
    lon, lat = ut["lon"], ut["lat"]
    for a_, b_ in pairs:
        geo_km = float(haversine_km(lon[a_], lat[a_], lon[b_], lat[b_]))
        both_ways(ops, f"rd:z{a_}", f"rd:z{b_}", local_road(model, geo_km))
    _zone_exits(ops, zones, units, cities, model)
    counts = {"n_sections": len(sections), "n_interchanges": len(on_net), "n_local_links": len(pairs),
              "n_scenario_links": len(links)}  # fmt: skip
    return ops, counts


def _zone_exits(ops: list[Op], zones: Zones, units: Zones, cities: pd.DataFrame, model: TravelTimeModel) -> None:
    """Zone <-> the seat node of its unit, by the town exit of the zone's level."""
    level = "city" if zones.level == "city" else "county"
    unit = zone_units(zones, units, cities)
    exit_s = town_exit_seconds(zones.table, model, level=level)
    exit_km = town_exit_km(zones.table, model, level=level)
    for k, z in enumerate(zones.ids):
        tt, km = float(exit_s[k]), float(exit_km[k])
        attrs = {"mode": "access", "length": km * 1000.0, "travel_time": tt, "speed_kph": km / tt * 3600.0}
        both_ways(ops, f"zone:{int(z)}", f"rd:z{unit[int(z)]}", attrs)


def zone_units(zones: Zones, units: Zones, cities: pd.DataFrame) -> dict[int, int]:
    """``{zone id: county-level unit}`` whose seat node a zone joins.

    County zones: themselves. City zones: the unit holding the city centre
    (:meth:`Zones.core_zones`). Custom zones: the unit whose polygon covers the zone's
    centre, else the unit of the nearest seat.
    """
    uids = set(units.ids)
    if zones.level == "county" and set(zones.ids) <= uids:
        return {int(z): int(z) for z in zones.ids}
    if zones.level == "city":
        core = units.core_zones(cities)
        return {int(z): core[int(z)] for z in zones.ids}
    t, ut = zones.table, units.table
    out: dict[int, int] = {}
    pts = gpd.GeoDataFrame({"zone": zones.ids}, geometry=gpd.points_from_xy(t["lon"], t["lat"]), crs="EPSG:4326")
    if units.polygons is not None and units.polygons.notna().all():
        poly = gpd.GeoDataFrame(
            {"unit": units.ids}, geometry=units.polygons.reindex(ut.index).to_numpy(), crs="EPSG:4326"
        )
        j = gpd.sjoin(pts, poly, predicate="within", how="inner").sort_values(["zone", "unit"])
        for z, u in zip(j["zone"], j["unit"], strict=True):
            out.setdefault(int(z), int(u))
    ulon, ulat = ut["lon"].to_numpy(float), ut["lat"].to_numpy(float)
    for z, r in t.iterrows():
        if int(z) not in out:  # type: ignore[call-overload]
            d = haversine_km(float(r["lon"]), float(r["lat"]), ulon, ulat)
            out[int(z)] = int(ut.index[int(np.argmin(d))])  # type: ignore[call-overload]
    return out

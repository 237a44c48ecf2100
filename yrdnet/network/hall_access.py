"""Access edges between zones and station halls (each hall's edges depend on that hall alone).

A city zone reaches the halls of its city and those within ``access_radius_km`` of its
centre (:func:`city_access_edges`); a county or custom zone those within the radius of
its seat and those inside its polygon (:func:`zone_access_edges`), by the drive model or
a sourced centre-to-station time (:mod:`yrdnet.network.station_access`). The ``*_rows``
forms give the same edges by (zone row, hall) so that a caller can keep each hall's
edges (:mod:`yrdnet.network.delta` does, for the halls a scenario newly serves).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import numpy as np
import pandas as pd

from yrdnet.core.geodesy import haversine_km
from yrdnet.core.modes import Edge
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.station_access import access_minutes
from yrdnet.region.zones import Zones

__all__ = [
    "AccessRow",
    "city_access_edges",
    "city_access_rows",
    "sourced_access",
    "zone_access_edges",
    "zone_access_rows",
]

#: ``(zone row, hall position, edges)``: one zone's edges to and from one hall.
AccessRow = tuple[int, int, list[Edge]]


def _city_rows(cities: pd.DataFrame) -> Iterable[tuple[int, pd.Series]]:
    """``cities.iterrows()``, typed: the city table is indexed by adcode."""
    return cast("Iterable[tuple[int, pd.Series]]", cities.iterrows())


def sourced_access(model: TravelTimeModel) -> dict[tuple[int, str], float]:
    """Sourced centre-to-station minutes by ``(city adcode, station id)`` (empty when not used)."""
    if not model.sourced_access:
        return {}
    acc = access_minutes()
    return {(int(c), str(s)): float(m) for s, c, m in zip(acc.index, acc["city_adcode"], acc["minutes"], strict=True)}


def _access_pair(zone: str, hall: str, geo_km: float, known: float | None, model: TravelTimeModel) -> list[Edge]:
    """Zone -> hall (drive + station entry) and hall -> zone: the drive model, or a sourced time."""
    km = geo_km * model.access_detour
    drive = km / model.access_speed_kph * 3600.0
    speed = model.access_speed_kph
    if known is not None:
        drive, speed = known * 60.0, km / max(known, 1e-9) * 60.0
    common = {"mode": "access", "length": km * 1000.0, "speed_kph": speed}
    return [
        (zone, hall, {"travel_time": drive + model.terminal_min * 60.0, **common}),
        (hall, zone, {"travel_time": max(drive, 1.0), **common}),
    ]


def _flat(rows: list[AccessRow]) -> list[Edge]:
    return [e for _, _, edges in rows for e in edges]


def city_access_rows(
    cities: pd.DataFrame,
    stations: pd.DataFrame,
    model: TravelTimeModel,
    halls: list[str],
    sourced: dict[tuple[int, str], float] | None = None,
) -> list[AccessRow]:
    """:func:`city_access_edges` by (city row, hall position), in that order."""
    if not halls:
        return []
    sourced = sourced_access(model) if sourced is None else sourced
    sids = [h[3:] for h in halls]
    st = stations.loc[sids]
    slon, slat = st["lon"].to_numpy(float), st["lat"].to_numpy(float)
    scity = st["adcode"].to_numpy(int)
    out: list[AccessRow] = []
    for r, (adcode, c) in enumerate(_city_rows(cities)):
        d = haversine_km(float(c["lon"]), float(c["lat"]), slon, slat)
        ok = (scity == int(adcode)) | (d <= model.access_radius_km)
        for i in np.flatnonzero(ok):
            known = sourced.get((int(adcode), sids[i]))
            out.append((r, int(i), _access_pair(f"zone:{int(adcode)}", halls[i], float(d[i]), known, model)))
    return out


def city_access_edges(
    cities: pd.DataFrame,
    stations: pd.DataFrame,
    model: TravelTimeModel,
    halls: list[str],
    sourced: dict[tuple[int, str], float] | None = None,
) -> list[Edge]:
    """Access edges city zone <-> station hall for ``halls`` (each hall's edges depend on it alone).

    ``sourced``: :func:`sourced_access` of ``model``, when the caller has it already.
    """
    return _flat(city_access_rows(cities, stations, model, halls, sourced))


def _inside(zones: Zones, slon: np.ndarray, slat: np.ndarray) -> np.ndarray:
    """The zone id whose polygon holds each point (-1: none, or the zones have no polygons)."""
    inside = np.full(len(slon), -1, dtype=np.int64)
    if zones.polygons is not None and zones.polygons.notna().all():
        import geopandas as gpd

        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(slon, slat), crs="EPSG:4326")
        geom = zones.polygons.reindex(zones.table.index).to_numpy()  # joined by zone id, never by position
        poly = gpd.GeoDataFrame({"zone": zones.ids}, geometry=geom, crs="EPSG:4326")
        j = gpd.sjoin(pts, poly, predicate="within", how="inner")
        j = j[~j.index.duplicated()]
        inside[j.index.to_numpy()] = j["zone"].to_numpy(np.int64)
    return inside


def zone_access_rows(
    zones: Zones,
    stations: pd.DataFrame,
    model: TravelTimeModel,
    halls: list[str],
    sourced: dict[tuple[int, str], float] | None = None,
    core_of: dict[int, int] | None = None,
) -> list[AccessRow]:
    """:func:`zone_access_edges` by (zone row, hall position), in that order."""
    if not halls:
        return []
    sids = [h[3:] for h in halls]
    st = stations.loc[sids]
    slon, slat = st["lon"].to_numpy(float), st["lat"].to_numpy(float)
    inside = _inside(zones, slon, slat)
    sourced = sourced_access(model) if sourced is None else sourced
    core = {z: c for c, z in zones.core_zones().items()} if core_of is None else core_of
    zid = np.asarray(zones.ids, dtype=np.int64)
    zlon, zlat = zones.table["lon"].to_numpy(float), zones.table["lat"].to_numpy(float)
    # zones that can reach a hall: a coarse test with 1 km of margin, then the exact one per zone
    near = haversine_km(zlon[:, None], zlat[:, None], slon[None, :], slat[None, :]) <= model.access_radius_km + 1.0
    out: list[AccessRow] = []
    for r in np.flatnonzero(near.any(axis=1) | np.isin(zid, inside)):
        z = int(zid[r])
        d = haversine_km(float(zlon[r]), float(zlat[r]), slon, slat)
        city = core.get(z)
        for i in np.flatnonzero((inside == z) | (d <= model.access_radius_km)):
            known = sourced.get((city, sids[i])) if city is not None else None
            out.append((int(r), int(i), _access_pair(f"zone:{z}", halls[i], float(d[i]), known, model)))
    return out


def zone_access_edges(
    zones: Zones,
    stations: pd.DataFrame,
    model: TravelTimeModel,
    halls: list[str],
    sourced: dict[tuple[int, str], float] | None = None,
    core_of: dict[int, int] | None = None,
) -> list[Edge]:
    """County/custom zone <-> station hall for ``halls`` (each hall's edges depend on it alone).

    A zone reaches the halls within ``access_radius_km`` of its seat and those inside its
    own polygon, by the drive model (``access_detour`` x geodesic km at
    ``access_speed_kph``). The sourced centre-to-station times of
    :mod:`yrdnet.network.station_access` are city-centre times: they apply only to the zone that
    holds its city's centre (:meth:`Zones.core_zones`). ``sourced``: as in
    :func:`city_access_edges`; ``core_of``: ``{zone id: city}`` of the core zones, when
    the caller has it already.
    """
    return _flat(zone_access_rows(zones, stations, model, halls, sourced, core_of))

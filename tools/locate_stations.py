"""Locate timetable station names: ``stations.csv`` rows, else a sourced WGS84 point.

Used by ``make_gtfs_2023.py``. A name is matched, in this order:

1. to a ``data/stations.csv`` row by ``name_zh`` (12306 names are unique nationally);
2. else to a point of ``cnstation.csv`` (``listenzcc/China-rail-way-stations-data``, about
   2019; GCJ-02 columns ``lng火星``/``lat火星`` converted to WGS84 with
   ``make_boundaries.gcj02_to_wgs84``). Where 12306 ``station_name`` gives the station's
   city and several rows share the name, only rows of that city are kept;
3. else to an OpenStreetMap ``station=train`` point of the same name (``name`` or
   ``name + 站``) in ``osm_railway_stations_2025-02.zip`` (OpenQGIS/OMap-GeoDB, ODbL),
   when all such points lie within 2 km of each other (else, filtered to the 12306 city).

A located point inside one of the 41 city polygons makes a YRD station; the others are
outside. Names with no point at all are *unlocated* and reported, never guessed. Checks
reported: cnstation vs OSM points more than 2 km apart, a polygon city other than the
12306 city, and ``stations.csv`` rows more than 2 km from the point the sources give.
"""

from __future__ import annotations

import csv
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from gtfs_common import TsStation, city_of, haversine_km, load_polygons
from make_boundaries import gcj02_to_wgs84

__all__ = ["CNSTATION_REF", "OSM_REF", "PREFER_OSM", "Located", "locate"]

CNSTATION_REF = "listenzcc/China-rail-way-stations-data raw/cnstation.csv"
OSM_REF = "OpenQGIS/OMap-GeoDB oData-railway-station/Railway-station_oData.zip"
TOLERANCE_KM = 2.0
#: Names whose cnstation point (about 2019) is another station's today, so the OSM point
#: is taken: cnstation's 安庆西 lies 0.1 km from OSM's 怀宁 (the Hefei–Jiujiang line
#: station, 怀宁 in 12306 today), while 安庆西 of 2023 is the Hefei–Anqing HSR station
#: (opened 2020-12), 10.9 km away.
PREFER_OSM = {"安庆西": "cnstation point is today's 怀宁 (0.1 km from OSM 怀宁)"}


@dataclass
class Located:
    """Where a timetable name lies, and why we believe it."""

    name: str
    status: str  # existing | new | outside | unlocated | ambiguous
    station_id: str | None = None
    lon: float | None = None
    lat: float | None = None
    adcode: int | None = None
    via: str = ""  # cnstation | osm | stations.csv
    ts: TsStation | None = None
    notes: list[str] = field(default_factory=list)
    desc: str = ""  # GTFS stop_desc: how the name relates to the stations.csv row's


@dataclass(frozen=True)
class _Point:
    lon: float
    lat: float
    city: str  # the source's city (cnstation 市), "" for OSM


def read_cnstation(path: Path) -> dict[str, list[_Point]]:
    """``cnstation.csv`` points by name (without 站), GCJ-02 converted to WGS84.

    Parameters
    ----------
    path
        The csv.

    Returns
    -------
    dict
        Name → points (deduplicated, sorted).
    """
    raw: dict[str, set[tuple[float, float, str]]] = defaultdict(set)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                x, y = float(row["lng火星"]), float(row["lat火星"])
            except ValueError:
                continue
            raw[row["站名"].strip().removesuffix("站")].add((x, y, row["市"].strip()))
    out = {}
    for name, pts in raw.items():
        xs, ys, cities = zip(*sorted(pts), strict=True)
        lon, lat = gcj02_to_wgs84(np.array(xs), np.array(ys))
        out[name] = [_Point(float(a), float(b), c) for a, b, c in zip(lon, lat, cities, strict=True)]
    return out


def read_osm(path: Path) -> dict[str, list[_Point]]:
    """Named ``station=train`` points of the OSM shapefile zip, by name (without 站).

    Parameters
    ----------
    path
        ``osm_railway_stations_2025-02.zip``.

    Returns
    -------
    dict
        Name → WGS84 points (sorted).
    """
    import geopandas as gpd

    with zipfile.ZipFile(path) as zf:
        shp = next(n for n in zf.namelist() if n.endswith(".shp"))
    g = gpd.read_file(f"zip://{path}!{shp}")
    g = g[g["name"].notna() & (g["station"] == "train")]
    out: dict[str, list[_Point]] = defaultdict(list)
    for name, geom in zip(g["name"], g.geometry, strict=True):
        out[str(name).strip().removesuffix("站")].append(_Point(geom.x, geom.y, ""))
    return {k: sorted(set(v), key=lambda p: (p.lon, p.lat)) for k, v in out.items()}


def _spread_km(points: list[_Point]) -> float:
    return max((haversine_km(a.lon, a.lat, b.lon, b.lat) for a in points for b in points), default=0.0)


class Locator:
    """Holds the sources; :meth:`locate` places one name."""

    def __init__(self, known: pd.DataFrame, ts: dict[str, TsStation], cn: dict, osm: dict, cities: dict) -> None:
        self.known = known.set_index("name_zh")
        self.ts, self.cn, self.osm, self.cities = ts, cn, osm, cities
        self.polys = load_polygons()

    def _city_ok(self, p: _Point, ts: TsStation | None) -> bool:
        """The cnstation row's city is the 12306 city (or either is unknown)."""
        return ts is None or not ts.city or not p.city or p.city.startswith(ts.city) or ts.city.startswith(p.city)

    def _pick(self, loc: Located) -> _Point | None:
        cn = [p for p in self.cn.get(loc.name, []) if self._city_ok(p, loc.ts)]
        osm = self.osm.get(loc.name, [])
        if osm and _spread_km(osm) > TOLERANCE_KM and loc.ts:
            osm = [p for p in osm if self.cities.get(city_of(self.polys, p.lon, p.lat)) == loc.ts.city]
        if cn and _spread_km(cn) > TOLERANCE_KM:
            loc.notes.append(f"{len(cn)} cnstation rows {_spread_km(cn):.1f} km apart")
            cn = []
        if osm and _spread_km(osm) > TOLERANCE_KM:
            loc.notes.append(f"{len(osm)} OSM points {_spread_km(osm):.1f} km apart")
            osm = []
        if cn and osm:
            d = min(haversine_km(cn[0].lon, cn[0].lat, p.lon, p.lat) for p in osm)
            loc.notes.append(f"OSM point {d:.2f} km from cnstation")
        if osm and loc.name in PREFER_OSM:
            loc.notes.append(f"OSM point taken: {PREFER_OSM[loc.name]}")
            cn = []
        if cn:
            loc.via = "cnstation"
            return cn[0]
        if osm:
            loc.via = "osm"
            return osm[0]
        return None

    def _same_place(self, name: str, loc: Located) -> bool:
        """A stations.csv row of this name is the 12306 station unless 12306 puts it in another city.

        (黄梅 of 12306 is in Hubei; the stations.csv 黄梅 is a Nanjing S6 stop in Jurong.)
        """
        city = self.cities.get(int(self.known.loc[name, "adcode"]))
        return not (loc.ts and loc.ts.city and city and loc.ts.city not in city and city not in loc.ts.city)

    def locate(self, name: str) -> Located:
        """Place one timetable name (see the module docstring)."""
        loc = Located(name, "unlocated", ts=self.ts.get(name))
        if name in self.known.index and self._same_place(name, loc):
            row = self.known.loc[name]
            loc.status, loc.station_id, loc.via = "existing", str(row["station_id"]), "stations.csv"
            loc.lon, loc.lat, loc.adcode = float(row["lon"]), float(row["lat"]), int(row["adcode"])
            p = self._pick(Located(name, "", ts=loc.ts))
            if p is not None and (d := haversine_km(p.lon, p.lat, loc.lon, loc.lat)) > TOLERANCE_KM:
                loc.notes.append(f"stations.csv row {d:.1f} km from the source point")
            return loc
        p = self._pick(loc)
        if p is None:
            return loc
        loc.lon, loc.lat = p.lon, p.lat
        loc.adcode = city_of(self.polys, p.lon, p.lat)
        loc.status = "outside" if loc.adcode is None else "new"
        if loc.adcode is not None and loc.ts and loc.ts.city and self.cities.get(loc.adcode) != loc.ts.city:
            loc.notes.append(f"lies in {self.cities.get(loc.adcode)}, 12306 city {loc.ts.city}")
        return loc


def locate(names: list[str], known: pd.DataFrame, ts: list[TsStation], sources: Path) -> dict[str, Located]:
    """Locate every name (see the module docstring).

    Parameters
    ----------
    names
        Cleaned timetable station names.
    known
        ``data/stations.csv``.
    ts
        12306 ``station_name`` records.
    sources
        The ``shared/sources`` folder (``stations/cnstation.csv``, the OSM zip).

    Returns
    -------
    dict
        Name → :class:`Located`.
    """
    cities = {}
    for r in pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "cities.csv").itertuples():
        cities[int(r.adcode)] = str(r.name_zh).removesuffix("市")
    loc = Locator(
        known,
        {r.name: r for r in ts},
        read_cnstation(sources / "stations" / "cnstation.csv"),
        read_osm(sources / "stations" / "osm_railway_stations_2025-02.zip"),
        cities,
    )
    return {n: loc.locate(n) for n in sorted(set(names))}

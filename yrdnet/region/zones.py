"""Zones: the places every trip starts and ends at (cities, counties or a user's areas).

A :class:`Zones` object holds, per zone, its id, names, parent city, masses by census
year (population 2020 and, where known, 2010; urban and rural), seat (lon/lat), polygon
and — through its parent city — its metropolitan membership. Three levels:

* ``"city"`` — the 41 prefecture-level cities of ``data/cities.csv`` (the default
  everywhere; results at this level are those yrdnet always gave);
* ``"county"`` — the 305 districts, counties and county-level cities of
  ``data/counties.csv`` with ``data/county_boundaries.geojson``; a county belongs to the
  metropolitan areas of its parent city;
* ``"custom"`` — a user's points or polygons (:func:`zones_from_gdf`).

Masses
------
``masses="2020"`` (default) uses the 2020 census in every scenario, so a scenario's
change is the network's doing alone. ``masses="census"`` uses the census nearest the
network year: 2010 for years up to 2015, 2020 after. At county level the 2010 census is
known for 267 of the 305 units (the rest could not be mapped to today's boundaries):
those fall back to 2020 and the fallback is reported in the notes. At city level the
2010 population of a city is the sum of its counties' 2010 counts where all of them are
known, else its 2020 count (reported likewise).

GDP at county level is not in the shipped data: a county's ``gdp`` is its parent city's
2020 GDP shared by 2020 population (*assumption*; it only enters the GDP-weighted
accessibility columns).
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from yrdnet.core.cache import register_cache
from yrdnet.core.errors import DataError, DataWarning
from yrdnet.core.geodesy import haversine_km
from yrdnet.region.boundaries import load_boundaries
from yrdnet.region.datasets import data_folder, file_version, load_cities, load_counties, load_county_boundaries

__all__ = ["LEVELS", "MASSES", "Zones", "census_year", "load_zones", "resolve_zones", "zones_from_gdf"]

log = logging.getLogger(__name__)

Level = Literal["city", "county", "custom"]
LEVELS: tuple[str, ...] = ("city", "county", "custom")
MASSES: tuple[str, ...] = ("2020", "census")

_COLUMNS = (
    "name_zh",
    "name_en",
    "city",
    "kind",
    "lon",
    "lat",
    "population",
    "population_2010",
    "urban",
    "rural",
    "gdp",
    "central_area",
    "label",
)


def census_year(year: int | None) -> int:
    """The census (2010 or 2020) nearest a network year; ``None`` or -1 -> 2020.

    Examples
    --------
    >>> census_year(2012), census_year(2016), census_year(None)
    (2010, 2020, 2020)
    """
    if year is None or year < 0:
        return 2020
    return 2010 if year <= 2015 else 2020


@dataclass(frozen=True, eq=False)
class Zones:
    """A set of zones with their masses, seats, polygons and parent cities.

    Build it with :func:`load_zones` or :func:`zones_from_gdf` rather than directly.

    Attributes
    ----------
    level : str
        ``"city"``, ``"county"`` or ``"custom"``.
    table : pandas.DataFrame
        Index ``zone`` (int id: the adcode for cities and counties); columns ``name_zh``,
        ``name_en``, ``city`` (parent city adcode), ``kind``, ``lon``, ``lat`` (seat,
        WGS84), ``population`` (2020), ``population_2010`` (nullable), ``urban``,
        ``rural`` (nullable), ``gdp`` (100 million yuan, 2020), ``central_area`` (bool,
        from the parent city), ``label`` (the user's id for custom zones, else the id).
        Treat it as read-only; :meth:`to_frame` returns a copy.
    polygons : geopandas.GeoSeries or None
        Zone polygons (EPSG:4326) indexed like ``table``, if known: whatever order they
        are given in, they are reindexed to the table's zone ids on construction (joined
        by id, never by position), so ``polygons.to_numpy()`` pairs with :attr:`ids`.
    """

    level: str
    table: pd.DataFrame
    polygons: gpd.GeoSeries | None = None

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            msg = f"level must be one of {list(LEVELS)}, got {self.level!r}"
            raise ValueError(msg)
        missing = [c for c in _COLUMNS if c not in self.table.columns]
        if missing:
            msg = f"Zones table lacks column(s) {missing}"
            raise DataError(msg)
        if not self.table.index.is_unique:
            dup = self.table.index[self.table.index.duplicated()].tolist()[:5]
            raise DataError(f"Zones ids must be unique; repeated: {dup}")
        if self.polygons is not None:
            self._align_polygons()

    def _align_polygons(self) -> None:
        """Reindex the polygons to the table's ids (a join by id; ids without one get ``None``)."""
        poly = cast(gpd.GeoSeries, self.polygons)
        if not poly.index.is_unique:
            dup = poly.index[poly.index.duplicated()].tolist()[:5]
            raise DataError(f"Zones polygons must have unique ids; repeated: {dup}")
        if not poly.index.equals(self.table.index):
            object.__setattr__(self, "polygons", poly.reindex(self.table.index))

    def __len__(self) -> int:
        return len(self.table)

    def __repr__(self) -> str:
        return f"Zones(level={self.level!r}, n={len(self)}, cities={self.table['city'].nunique()})"

    @property
    def ids(self) -> list[int]:
        """Zone ids, in table order (ascending)."""
        return [int(i) for i in self.table.index]

    @property
    def names(self) -> pd.Series:
        """English names by zone id."""
        return self.table["name_en"].copy()

    @property
    def parent(self) -> pd.Series:
        """Parent city adcode by zone id."""
        return self.table["city"].astype(int)

    def population(self, masses: str = "2020", year: int | None = None) -> tuple[pd.Series, list[str]]:
        """Population by zone under a mass choice, with notes on any fallback.

        Parameters
        ----------
        masses
            ``"2020"`` (2020 census) or ``"census"`` (census nearest ``year``).
        year
            Network year (for ``"census"``).

        Returns
        -------
        (pandas.Series, list of str)
            float population by zone id; notes naming zones whose 2010 count is missing.
        """
        if masses not in MASSES:
            msg = f"masses must be one of {list(MASSES)}, got {masses!r}"
            raise ValueError(msg)
        pop = self.table["population"].astype(float)
        if masses == "2020" or census_year(year) == 2020:
            return pop, []
        p10 = self.table["population_2010"].astype("Float64")
        miss = p10.isna().to_numpy(bool)
        out = pop.where(miss, p10.astype(float))
        notes = []
        if miss.any():
            names = ", ".join(f"{i} {n}" for i, n in self.table.loc[miss, "name_en"].head(8).items())
            more = "" if miss.sum() <= 8 else f" and {int(miss.sum()) - 8} more"
            notes.append(
                f"masses='census' (2010 for network year {year}): {int(miss.sum())} of {len(self)} {self.level} zones "
                f"have no 2010 count mapped to today's units and keep their 2020 population ({names}{more})"
            )
        return out, notes

    def to_frame(self, *, masses: str = "2020", year: int | None = None) -> pd.DataFrame:
        """A copy of the zone table with ``population`` set by ``masses``.

        The notes of any fallback are in ``.attrs["notes"]``.
        """
        df = self.table.copy()
        pop, notes = self.population(masses, year)
        df["population"] = pop
        df.attrs["notes"] = notes
        return df

    def to_gdf(self, geometry: str = "seat") -> gpd.GeoDataFrame:
        """The zone table as a GeoDataFrame of seats (``"seat"``) or polygons (``"polygon"``)."""
        if geometry == "polygon":
            if self.polygons is None:
                msg = f"these {self.level} zones have no polygons"
                raise ValueError(msg)
            geom = self.polygons.reindex(self.table.index)
            return gpd.GeoDataFrame(self.table.copy(), geometry=geom, crs="EPSG:4326")
        if geometry != "seat":
            msg = f"geometry must be 'seat' or 'polygon', got {geometry!r}"
            raise ValueError(msg)
        pts = gpd.points_from_xy(self.table["lon"], self.table["lat"])
        return gpd.GeoDataFrame(self.table.copy(), geometry=pts, crs="EPSG:4326")

    def core_zones(self, cities: pd.DataFrame | None = None) -> dict[int, int]:
        """The zone holding each city's centre: ``{city adcode: zone id}``.

        At city level every city is its own core zone. Otherwise the zone of that parent
        city whose polygon contains the city centre (``lon``/``lat`` of ``cities``,
        default the shipped ``data/cities.csv``), else the one whose seat is nearest it.
        Cities without zones are left out.
        """
        cities = load_cities() if cities is None else cities
        t = self.table
        out: dict[int, int] = {}
        for city, grp in t.groupby("city"):
            c = int(cast(int, city))
            if c not in cities.index:
                continue
            if self.level == "city":
                out[c] = int(grp.index[0])
                continue
            cx, cy = float(cast(float, cities.loc[c, "lon"])), float(cast(float, cities.loc[c, "lat"]))
            chosen = None
            if self.polygons is not None:
                from shapely.geometry import Point

                pt = Point(cx, cy)
                for z in grp.index:
                    g = self.polygons.get(z)
                    if g is not None and g.covers(pt):
                        chosen = int(z)
                        break
            if chosen is None:
                d = haversine_km(cx, cy, grp["lon"].to_numpy(float), grp["lat"].to_numpy(float))
                chosen = int(grp.index[int(np.argmin(d))])
            out[c] = chosen
        return out

    def metro_members(
        self, metros: pd.DataFrame, cities: pd.DataFrame | None = None
    ) -> tuple[dict[str, list[int]], dict[str, int]]:
        """Members and cores of each metropolitan area in zone ids.

        A zone belongs to the metros of its parent city; a metro's core zone is the core
        zone (:meth:`core_zones`) of its core city. Metros whose core city has no zone
        are left out.

        Parameters
        ----------
        metros
            As returned by :func:`yrdnet.load_metros` (or :meth:`yrdnet.Region.metros`).
        cities
            The cities whose centres locate the core zones (:meth:`core_zones`).

        Returns
        -------
        (dict, dict)
            ``{metro: [core zone, member zones ...]}`` and ``{metro: core zone}``.
        """
        cores_by_city = self.core_zones(cities)
        parent = self.parent
        members: dict[str, list[int]] = {}
        cores: dict[str, int] = {}
        for m, r in metros.iterrows():
            core_city = int(r["core_adcode"])
            if core_city not in cores_by_city:
                continue
            cz = cores_by_city[core_city]
            member_cities = {int(c) for c in r["members"]}
            zs = [int(z) for z in parent.index[parent.isin(member_cities)] if int(z) != cz]
            members[str(m)] = [cz, *zs]
            cores[str(m)] = cz
        return members, cores

    def metro_labels(self, metros: pd.DataFrame) -> pd.Series:
        """``";"``-joined metro ids of each zone (by its parent city), in sorted order of id.

        Sorted, so the labels never depend on the row order of ``metros.csv``.
        """
        parent = self.parent
        mem = {str(m): {int(c) for c in v} for m, v in metros["members"].items()}
        return pd.Series(
            [";".join(sorted(m for m, v in mem.items() if c in v)) for c in parent], index=self.table.index
        )


# ---------------------------------------------------------------- builders
def _city_population_2010(counties: pd.DataFrame) -> pd.Series:
    known = counties.groupby("city")["population_2010"].apply(lambda s: s.sum() if s.notna().all() else pd.NA)
    return known.astype("Int64")


def _gdp_share(pop: pd.Series, city: pd.Series, cities: pd.DataFrame) -> pd.Series:
    total = pop.groupby(city).transform("sum")
    gdp = cities["gdp"].reindex(city.to_numpy()).to_numpy(float)
    return pd.Series(gdp * (pop / total).to_numpy(float), index=pop.index)


_ZONE_FILES = ("cities.csv", "counties.csv", "county_boundaries.geojson", "boundaries.geojson")


def _files_key() -> tuple[tuple[str, int, int], ...]:
    """Path, content hash and size of every file the zones are read from (:func:`file_version`)."""
    return tuple(file_version(data_folder() / name) for name in _ZONE_FILES)


@functools.lru_cache(maxsize=4)
def _load_zones(level: str, key: tuple[tuple[str, int, int], ...]) -> Zones:
    """The zones of a level, read once per version of their data files (``key``)."""
    return _read_zones(level)


register_cache("region.zones.zones", _load_zones.cache_clear)


def load_zones(level: str = "city") -> Zones:
    """Load the shipped zones of one level.

    Parameters
    ----------
    level
        ``"city"`` (41 prefecture-level cities) or ``"county"`` (305 districts, counties
        and county-level cities).

    Returns
    -------
    Zones

    Examples
    --------
    >>> z = load_zones("county")
    >>> len(z), z.level, int(z.parent[320583])
    (305, 'county', 320500)
    >>> len(load_zones())
    41

    Notes
    -----
    Read once per version of the data files (path, content hash and size of
    ``cities.csv``, ``counties.csv`` and the boundary files; at most four versions kept);
    each call returns its own copy of the table and polygons.
    """
    if level not in ("city", "county"):
        msg = f"level must be 'city' or 'county' (use zones_from_gdf for your own zones), got {level!r}"
        raise ValueError(msg)
    z = _load_zones(level, _files_key())
    return Zones(z.level, z.table.copy(), None if z.polygons is None else z.polygons.copy())


def _read_zones(level: str) -> Zones:
    """Read the shipped zones of one level from the data files (see :func:`load_zones`)."""
    cities = load_cities()
    counties = load_counties()
    if level == "city":
        t = pd.DataFrame(cities.drop(columns=["geometry", "source"]))
        t["city"] = t.index.astype(int)
        t["kind"] = "city"
        t["population_2010"] = _city_population_2010(counties).reindex(t.index)
        ur = counties.groupby("city")[["urban", "rural"]].sum(min_count=1)
        t["urban"] = ur["urban"].reindex(t.index).astype("Int64")
        t["rural"] = ur["rural"].reindex(t.index).astype("Int64")
        t["label"] = t.index.astype(int)
        b = _optional_boundaries("city zones have no polygons")
        poly = None if b is None else b.geometry.reindex(t.index)
        return Zones("city", _ordered(t), poly)
    if level == "county":
        t = pd.DataFrame(counties.drop(columns=["geometry", "source"]))
        t["population"] = t["population"].astype(float)
        t["gdp"] = _gdp_share(t["population"], t["city"], cities)
        t["central_area"] = cities["central_area"].reindex(t["city"].to_numpy()).to_numpy(bool)
        t["label"] = t.index.astype(int)
        poly = load_county_boundaries().geometry.reindex(t.index)
        return Zones("county", _ordered(t), poly)
    msg = f"level must be 'city' or 'county' (use zones_from_gdf for your own zones), got {level!r}"
    raise ValueError(msg)


def _optional_boundaries(consequence: str) -> gpd.GeoDataFrame | None:
    """The city polygons (``boundaries.geojson``), an optional file: absent -> ``None`` and a warning.

    A file that is present but broken raises :class:`DataError` naming it (never skipped
    in silence); an absent one is reported as skipped by a :class:`DataWarning`.
    """
    path = data_folder() / "boundaries.geojson"
    if not path.is_file():
        warnings.warn(f"{path.name} not found in {path.parent}: skipped ({consequence})", DataWarning, stacklevel=3)
        return None
    return load_boundaries()


def resolve_zones(zones: Zones | str | None) -> Zones:
    """The shipped zones in their one encoding: ``None`` is the default level (:func:`load_zones`), a name its level.

    A :class:`Zones` is returned as it is. :meth:`yrdnet.Region.resolve_zones` does the same
    for any region.
    """
    if isinstance(zones, Zones):
        return zones
    if zones is None:
        return load_zones()
    if isinstance(zones, str):
        return load_zones(zones)
    msg = f"zones must be 'city', 'county' or a Zones object, got {type(zones).__name__}"
    raise TypeError(msg)


def _ordered(t: pd.DataFrame) -> pd.DataFrame:
    t = t.copy()
    t.index = pd.Index([int(i) for i in t.index], name="zone")
    return t[list(_COLUMNS)].sort_index()


def zones_from_gdf(
    gdf: gpd.GeoDataFrame,
    *,
    mass: str = "population",
    id_col: str | None = None,
    name_col: str | None = None,
    parent: str | None = None,
    gdp: str | None = None,
    cities: pd.DataFrame | None = None,
) -> Zones:
    """Zones from a user's GeoDataFrame of points or polygons.

    Parameters
    ----------
    gdf
        Points (seats) or polygons, any CRS (converted to EPSG:4326). Polygons get their
        representative point (always inside) as seat.
    mass
        Column holding each zone's mass (population); used for every census year.
    id_col
        Column of unique ids (default the index). Ints are kept as zone ids; other
        values (e.g. names) are mapped to 1, 2, ... in sorted order of their text, and
        kept in ``label``.
    name_col
        Column of names (default the ids as text).
    parent
        Column of parent city ids. Default: the city of ``cities`` whose polygon contains
        each seat; a seat inside none of them is a city of its own (its parent is its
        own id), never the nearest city of another region.
    gdp
        Column of each zone's GDP; default: its parent city's ``gdp`` shared by
        population (missing for zones that are their own city).
    cities
        The cities the zones may belong to, with polygon geometry (e.g. a
        :attr:`yrdnet.Region.cities` with polygons); default the shipped cities and
        their boundaries (``data/boundaries.geojson``).

    Returns
    -------
    Zones
        ``level="custom"``.

    Raises
    ------
    DataError
        On a missing column, repeated id, empty geometry, a non-positive mass, or parent
        ids of which some are cities of ``cities`` and some are not.

    Examples
    --------
    >>> import geopandas as gpd
    >>> pts = gpd.GeoDataFrame({"pop": [1e6, 2e6]}, geometry=gpd.points_from_xy([121.4, 120.6], [31.2, 31.3]),
    ...                        crs="EPSG:4326")
    >>> z = zones_from_gdf(pts, mass="pop")
    >>> z.parent.tolist()
    [310000, 320500]
    >>> far = gpd.GeoDataFrame({"pop": [6e5]}, geometry=gpd.points_from_xy([24.94], [60.17]), crs="EPSG:4326")
    >>> zones_from_gdf(far, mass="pop").parent.tolist()  # Helsinki: a city of its own, not a YRD one
    [0]
    """
    probs = []
    for c in (mass, id_col, name_col, parent, gdp):
        if c is not None and c not in gdf.columns:
            probs.append(f"missing column {c!r}")
    if gdf.crs is None:
        probs.append("the GeoDataFrame has no CRS (set one, e.g. gdf.set_crs('EPSG:4326'))")
    if len(gdf) == 0:
        probs.append("no rows")
    if probs:
        raise DataError("zones_from_gdf: " + "; ".join(probs) + f" (columns: {list(gdf.columns)})")
    g = gdf.to_crs("EPSG:4326")
    if g.geometry.isna().any() or g.geometry.is_empty.any():
        raise DataError("zones_from_gdf: every row needs a non-empty geometry")
    raw: Sequence[Hashable] = list(g[id_col] if id_col else g.index)
    if len(set(raw)) != len(raw):
        dup = pd.Series(raw)[pd.Series(raw).duplicated()].tolist()[:5]
        raise DataError(f"zones_from_gdf: ids must be unique; repeated: {dup}")
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in raw):
        ids = [int(cast(Any, v)) for v in raw]
    else:
        order = {v: i + 1 for i, v in enumerate(sorted(raw, key=str))}
        ids = [order[v] for v in raw]
    is_poly = g.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    seats = g.geometry.where(~is_poly, g.geometry.representative_point())
    seats = gpd.GeoSeries([s if s.geom_type == "Point" else s.centroid for s in seats], crs="EPSG:4326")
    lon, lat = seats.x.to_numpy(float), seats.y.to_numpy(float)
    m = pd.to_numeric(g[mass], errors="coerce").to_numpy(float)
    if not (np.isfinite(m) & (m > 0)).all():
        bad = [raw[i] for i in np.flatnonzero(~(np.isfinite(m) & (m > 0)))[:5]]
        raise DataError(f"zones_from_gdf: column {mass!r} must hold positive numbers; bad rows: {bad}")
    shipped = cities is None
    cities = load_cities() if cities is None else cities
    if parent is not None:
        par = [int(v) for v in g[parent]]
        unknown = sorted({p for p in par if p not in cities.index})
        if unknown and len(unknown) < len(set(par)):
            raise DataError(f"zones_from_gdf: unknown parent city adcode(s) {unknown[:5]}")
    else:
        found = _parent_cities(lon, lat, cities, shipped)
        par = [p if p is not None else z for p, z in zip(found, ids, strict=True)]
    names = [str(v) for v in (g[name_col] if name_col else raw)]
    t = pd.DataFrame(
        {
            "name_zh": names,
            "name_en": names,
            "city": par,
            "kind": "custom",
            "lon": lon,
            "lat": lat,
            "population": m,
            "population_2010": pd.array([pd.NA] * len(g), dtype="Int64"),
            "urban": pd.array([pd.NA] * len(g), dtype="Int64"),
            "rural": pd.array([pd.NA] * len(g), dtype="Int64"),
            "label": list(raw),
        },
        index=pd.Index(ids, name="zone"),
    )
    if gdp is not None:
        t["gdp"] = pd.to_numeric(g[gdp], errors="coerce").to_numpy(float)
    else:
        t["gdp"] = _gdp_share(t["population"], t["city"], cities)
    central = cities["central_area"].reindex(t["city"].to_numpy()) if "central_area" in cities else None
    t["central_area"] = False if central is None else central.fillna(False).to_numpy(bool)
    polys = gpd.GeoSeries(g.geometry.to_numpy(), index=t.index, crs="EPSG:4326") if is_poly.all() else None
    return Zones("custom", _ordered(t), None if polys is None else polys.reindex(sorted(t.index)))


def _parent_cities(lon: np.ndarray, lat: np.ndarray, cities: pd.DataFrame, shipped: bool) -> list[int | None]:
    """The city whose polygon contains each point, ``None`` outside all of them.

    Polygons: the shipped boundaries (``boundaries.geojson``) for the shipped cities,
    else the polygon geometry of ``cities``. Without polygons every point is ``None``:
    a zone is never given a city it does not lie in.
    """
    out: list[int | None] = [None] * len(lon)
    if shipped:
        b = _optional_boundaries("no zone is given a parent city")
    else:
        poly = isinstance(cities, gpd.GeoDataFrame) and cities.geom_type.isin(["Polygon", "MultiPolygon"]).any()
        b = cast(gpd.GeoDataFrame, cities) if poly else None
    if b is None:
        return out
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    ids = pd.Index([int(i) for i in b.index])  # unnamed: sjoin names the matched id "index_right"
    polys = gpd.GeoDataFrame(geometry=b.geometry.to_crs("EPSG:4326").to_numpy(), index=ids, crs="EPSG:4326")
    j = gpd.sjoin(pts, polys, predicate="within", how="left")
    j = j[~j.index.duplicated()]
    for i, v in enumerate(j["index_right"].to_numpy()):
        if pd.notna(v):
            out[i] = int(v)
    return out

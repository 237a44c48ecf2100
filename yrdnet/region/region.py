"""The study area in one object: zone levels, core and sub-centres, metros, targets, bounding box.

A :class:`Region` is everything yrdnet knows about *where* it measures: the zone levels
(and how to load the zones of each), the region's cities (the parent units of its zones),
the core and the sub-centres, the metropolitan areas under each definition, the policy
targets, the airports, the bounding box and the data folder. Code downstream reads these
from a region and never names a city itself, so another region (its own zones, core and
metros) runs through the same pipeline as the YRD.

The Yangtze River Delta is the shipped region: :func:`load_region` reads
``data/region.toml`` (ids, bounding box, levels) and serves the tables through the
validated loaders of :mod:`yrdnet.region.datasets`. A user's region is built directly::

    >>> import geopandas as gpd
    >>> from yrdnet.region.zones import zones_from_gdf
    >>> gdf = gpd.GeoDataFrame({"pop": [6e5, 3e5, 2e5]}, crs="EPSG:4326",
    ...                        geometry=gpd.points_from_xy([24.94, 24.66, 25.04], [60.17, 60.21, 60.29]))
    >>> Z = zones_from_gdf(gdf, mass="pop")
    >>> R = Region("helsinki", zones=Z, core=0, subcentres=[1, 2], metros={"capital": [0, 1, 2]})
    >>> R.core, R.subcentres, R.levels, list(R.metros().index)
    (0, (1, 2), ('custom',), ['capital'])
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.settings import settings
from yrdnet.core.validation import did_you_mean
from yrdnet.region.datasets import (
    data_folder,
    load_airports,
    load_cities,
    load_corridors,
    load_main_stations,
    load_metros,
    load_peripheries,
)
from yrdnet.region.spec import region_spec
from yrdnet.region.zones import Zones, load_zones

__all__ = ["Region", "available_regions", "cities_from_zones", "load_region", "metros_frame"]

_Table = pd.DataFrame | Callable[[], pd.DataFrame]


def _get(source: Any) -> Any:
    """A table or zones given as such, or read by calling their loader."""
    return source() if callable(source) else source


def _key_of(name: str) -> str:
    """A row-name stem from a name: ``"Hong Kong"`` -> ``"hong_kong"``."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


class Region:
    """A study area: its zones, cities, core and sub-centres, metros, targets and bounding box.

    Parameters
    ----------
    name
        Short id (``"yrd"``); the analysis scope of the whole region answers to it.
    zones
        A :class:`Zones` (one level), or ``{level: Zones or a function returning one}``;
        the first level is the default, taken wherever ``zones=None``.
    core
        Id of the core city (a value of the zones' ``city`` column).
    subcentres
        Ids of the sub-centre cities.
    metros
        Metropolitan areas over city ids: ``{metro: [core, member, ...]}`` or a table as
        :func:`yrdnet.load_metros` returns (one definition, ``"current"``), or
        ``{definition: table or a function returning one}``. Default: none.
    cities
        The cities (parent units of the zones): index id; ``name_en``, ``lon``, ``lat``
        (centre), ``population``, ``gdp``, ``central_area``; point geometry. Default:
        :func:`cities_from_zones` of the default level.
    targets
        Policy targets (a table as :func:`yrdnet.load_targets` returns, or the path of
        such a CSV). Default: none.
    airports
        Airports (as :func:`yrdnet.datasets.load_airports`). Default: none (the airport
        columns are then missing values).
    corridors
        Named development corridors, analysis scopes beside the metros (as
        :func:`yrdnet.datasets.load_corridors`: index corridor id, ``members`` city or
        county ids). Default: none.
    peripheries
        Named peripheries, the lagging parts of the region whose gains are followed (as
        :func:`yrdnet.datasets.load_peripheries`: index periphery id, ``members`` city or
        county ids). Default: none.
    main_stations
        Each city's main stations by year (as :func:`yrdnet.load_main_stations`), on which
        the ``station_fastest_main`` policy times are taken. Default: none (those times
        are then "not connected").
    keys
        Row-name stem of the core and each sub-centre (``{310000: "shanghai"}``); default
        from the cities' ``name_en``.
    title
        Name in words; default ``name``.
    bbox
        ``(lon_min, lat_min, lon_max, lat_max)`` WGS84; default: the zones' seats.
    data_folder
        Folder the region's data come from, if any.
    map_origins
        Origins of the reach maps of the demo report; default the core.

    Raises
    ------
    DataError
        If the core, a sub-centre or a metro member is not a city of the region.
    """

    def __init__(
        self,
        name: str,
        *,
        zones: Zones | Mapping[str, Zones | Callable[[], Zones]],
        core: int,
        subcentres: Iterable[int] = (),
        metros: pd.DataFrame | Mapping[str, Any] | None = None,
        cities: _Table | None = None,
        targets: pd.DataFrame | str | Path | None = None,
        airports: _Table | None = None,
        main_stations: _Table | None = None,
        corridors: _Table | None = None,
        peripheries: _Table | None = None,
        keys: Mapping[int, str] | None = None,
        title: str | None = None,
        bbox: Sequence[float] | None = None,
        data_folder: str | Path | None = None,
        map_origins: Iterable[int] | None = None,
    ) -> None:
        self.name = str(name)
        self.title = title or self.name
        self._zones: dict[str, Zones | Callable[[], Zones]] = (
            {zones.level: zones} if isinstance(zones, Zones) else dict(zones)
        )
        if not self._zones:
            raise DataError(f"region {self.name!r}: no zone level given")
        self.core = int(core)
        self.subcentres = tuple(int(s) for s in subcentres)
        self._metros = _metro_sources(metros)
        self._cities = cities
        self._targets = targets
        self._airports = airports
        self._main_stations = main_stations
        self._corridors = corridors
        self._peripheries = peripheries
        self._keys = dict(keys) if keys is not None else None
        self._bbox = None if bbox is None else _bbox(bbox, self.name)
        self.data_folder = None if data_folder is None else Path(data_folder)
        self.map_origins = (self.core,) if map_origins is None else tuple(int(o) for o in map_origins)
        if not callable(cities) and not any(callable(z) for z in self._zones.values()):
            self._check()  # everything is at hand: check now (a shipped region is checked by its loaders)

    # ------------------------------------------------------------ zones
    @property
    def levels(self) -> tuple[str, ...]:
        """The zone levels, the default first."""
        return tuple(self._zones)

    @property
    def default_level(self) -> str:
        """The level taken where ``zones=None``."""
        return self.levels[0]

    def zones(self, level: str | None = None) -> Zones:
        """The zones of a level (``None``: the default level).

        Raises
        ------
        ValueError
            For an unknown level, listing the valid ones.
        """
        lv = self.default_level if level is None else level
        if lv not in self._zones:
            msg = f"unknown zone level {lv!r} for region {self.name!r}{did_you_mean(lv, self.levels)}; "
            msg += f"expected one of {list(self.levels)} or a Zones (yrdnet.zones_from_gdf)"
            raise ValueError(msg)
        return cast(Zones, _get(self._zones[lv]))

    def resolve_zones(self, zones: Zones | str | None) -> Zones:
        """The one encoding of zones: ``None`` is the default level, a name its level, a Zones itself."""
        if isinstance(zones, Zones):
            return zones
        if zones is None or isinstance(zones, str):
            return self.zones(zones)
        msg = f"zones must be a level name {list(self.levels)}, a Zones object or None, got {type(zones).__name__}"
        raise TypeError(msg)

    def level_of(self, ids: Iterable[int]) -> str | None:
        """The level whose zone ids are exactly ``ids`` (e.g. a graph's zones), else ``None``."""
        want = sorted(int(i) for i in ids)
        for lv in self.levels:
            if self.zones(lv).ids == want:
                return lv
        return None

    # ------------------------------------------------------------ cities and centres
    @property
    def cities(self) -> gpd.GeoDataFrame:
        """The region's cities: the parent units of its zones (index id, centre points)."""
        if self._cities is None:
            return cities_from_zones(self.zones())
        return cast(gpd.GeoDataFrame, _get(self._cities))

    @property
    def centres(self) -> dict[str, int]:
        """``{key: city id}`` of the core and the sub-centres, core first (keys name rows)."""
        keys = self._keys
        if keys is None:
            names = self.cities["name_en"]
            keys = {c: _key_of(str(names.get(c, c))) for c in (self.core, *self.subcentres)}
        return {keys[c]: c for c in (self.core, *self.subcentres)}

    @property
    def core_name(self) -> str:
        """The core city's name in words (``name_en`` of :attr:`cities`)."""
        return str(self.cities["name_en"].get(self.core, self.core))

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """``(lon_min, lat_min, lon_max, lat_max)`` WGS84 (given, else that of the default zones' seats)."""
        if self._bbox is not None:
            return self._bbox
        t = self.zones().table
        return (float(t["lon"].min()), float(t["lat"].min()), float(t["lon"].max()), float(t["lat"].max()))

    # ------------------------------------------------------------ metros, targets, airports
    @property
    def metro_definitions(self) -> tuple[str, ...]:
        """The metropolitan-area definitions (the first is the default unless settings name another)."""
        return tuple(self._metros)

    def metros(self, definition: str | None = None) -> pd.DataFrame:
        """The metropolitan areas under one definition (default ``settings.metro_definition`` where the region has it).

        Returns
        -------
        pandas.DataFrame
            As :func:`yrdnet.load_metros`: index ``metro``; ``name_en``, ``core_adcode``,
            ``members`` (city ids, core first), ``n_members``. Empty when the region has none.

        Raises
        ------
        ValueError
            For an unknown definition, listing the valid ones.
        """
        if not self._metros:
            return metros_frame({})
        if definition is None:
            definition = (
                settings.metro_definition if settings.metro_definition in self._metros else self.metro_definitions[0]
            )
        if definition not in self._metros:
            msg = f"definition must be one of {list(self._metros)}, got {definition!r} (region {self.name!r})"
            raise ValueError(msg)
        return cast(pd.DataFrame, _get(self._metros[definition]))

    @property
    def targets(self) -> pd.DataFrame | Path | None:
        """The policy targets: a table, the path of the targets CSV, or ``None``."""
        return Path(self._targets) if isinstance(self._targets, str) else self._targets

    @property
    def airports(self) -> gpd.GeoDataFrame | None:
        """The airports serving the region, or ``None``."""
        return None if self._airports is None else cast(gpd.GeoDataFrame, _get(self._airports))

    @property
    def corridors(self) -> pd.DataFrame:
        """The named corridors (index corridor id; ``members``); empty when the region has none."""
        if self._corridors is None:
            return pd.DataFrame({"members": pd.Series([], dtype=object)}, index=pd.Index([], name="corridor"))
        return cast(pd.DataFrame, _get(self._corridors))

    @property
    def peripheries(self) -> pd.DataFrame:
        """The named peripheries (index periphery id; ``members``); empty when the region has none."""
        if self._peripheries is None:
            return pd.DataFrame({"members": pd.Series([], dtype=object)}, index=pd.Index([], name="periphery"))
        return cast(pd.DataFrame, _get(self._peripheries))

    @property
    def main_stations(self) -> pd.DataFrame | None:
        """Each city's main stations by year (:func:`yrdnet.load_main_stations`), or ``None``."""
        return None if self._main_stations is None else cast(pd.DataFrame, _get(self._main_stations))

    # ------------------------------------------------------------ checks and text
    def _check(self) -> None:
        ids = set(int(i) for i in self.cities.index)
        probs = [f"core {self.core} is not a city of the region" for _ in [0] if self.core not in ids]
        probs += [f"sub-centre {s} is not a city of the region" for s in self.subcentres if s not in ids]
        for d in self.metro_definitions:
            for m, members in self.metros(d)["members"].items():
                bad = [int(c) for c in members if int(c) not in ids]
                if bad:
                    probs.append(f"metro {m!r} ({d}): members {bad} are not cities of the region")
        if probs:
            raise DataError(f"region {self.name!r}: " + "; ".join(probs) + f" (cities: {sorted(ids)[:10]} ...)")

    def __repr__(self) -> str:
        return (
            f"Region({self.name!r}, levels={list(self.levels)}, core={self.core}, "
            f"subcentres={list(self.subcentres)}, metro_definitions={list(self.metro_definitions)})"
        )


def _bbox(values: Sequence[float], where: str) -> tuple[float, float, float, float]:
    b = [float(v) for v in values]
    if len(b) != 4 or not (b[0] < b[2] and b[1] < b[3]):
        msg = f"{where}: bbox must be [lon_min, lat_min, lon_max, lat_max] with min < max, got {list(values)}"
        raise DataError(msg)
    return (b[0], b[1], b[2], b[3])


def _metro_sources(metros: pd.DataFrame | Mapping[str, Any] | None) -> dict[str, _Table]:
    """``{definition: table or loader}`` from any accepted form of ``metros``."""
    if metros is None:
        return {}
    if isinstance(metros, pd.DataFrame):
        return {"current": metros}
    values = list(metros.values())
    if values and all(isinstance(v, pd.DataFrame) or callable(v) for v in values):
        return dict(metros)
    return {"current": metros_frame(cast(Mapping[str, Sequence[int]], metros))}


def metros_frame(members: Mapping[str, Sequence[int]]) -> pd.DataFrame:
    """A metros table (as :func:`yrdnet.load_metros`) from ``{metro: [core, member, ...]}``.

    Examples
    --------
    >>> m = metros_frame({"capital": [1, 2, 3]})
    >>> int(m.loc["capital", "core_adcode"]), m.loc["capital", "members"], int(m.loc["capital", "n_members"])
    (1, [1, 2, 3], 3)
    """
    rows = []
    for m, v in members.items():
        ids = [int(c) for c in v]
        if len(ids) < 2:
            raise DataError(f"metro {m!r}: expected a core and at least one member, got {list(v)}")
        rows.append({"metro": str(m), "name_zh": str(m), "name_en": str(m), "core_adcode": ids[0], "members": ids,
                     "n_members": len(ids), "source": "user"})  # fmt: skip
    cols = ["metro", "name_zh", "name_en", "core_adcode", "members", "n_members", "source"]
    return pd.DataFrame(rows, columns=cols).set_index("metro")


def cities_from_zones(zones: Zones) -> gpd.GeoDataFrame:
    """A city table for zones without one: one row per parent city of the zones.

    A parent that is itself a zone takes that zone's name and seat; otherwise the seat of
    its most populous zone and its id as name. ``population`` and ``gdp`` are summed
    (``gdp`` missing where unknown); ``central_area`` is true if any zone's is.
    """
    t = zones.table
    rows = {}
    for c, grp in t.groupby("city", sort=True):
        cid = int(cast(int, c))
        top = cast(int, grp["population"].astype(float).idxmax())
        ref = t.loc[cid] if cid in t.index else grp.loc[top]
        name = str(ref["name_en"]) if cid in t.index else str(cid)
        gdp = pd.to_numeric(grp["gdp"], errors="coerce").astype(float)
        rows[cid] = {
            "name_zh": str(ref["name_zh"]) if cid in t.index else name,
            "name_en": name,
            "lon": float(ref["lon"]),
            "lat": float(ref["lat"]),
            "population": float(grp["population"].astype(float).sum()),
            "gdp": float(gdp.sum()) if gdp.notna().all() else np.nan,
            "central_area": bool(grp["central_area"].astype(bool).any()),
        }
    df = pd.DataFrame.from_dict(rows, orient="index").rename_axis("adcode")
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")


# ---------------------------------------------------------------- the shipped region
def _shipped() -> dict[str, Any]:
    return region_spec(data_folder())


def available_regions() -> list[str]:
    """The names :func:`load_region` accepts (the shipped region of the data folder)."""
    return [str(_shipped()["name"])]


def load_region(name: str = "yrd") -> Region:
    """The shipped region by name: the YRD, read from ``data/region.toml``.

    Its zone levels are :func:`yrdnet.load_zones` (``"city"``, the default, and
    ``"county"``), its cities :func:`yrdnet.load_cities`, its metros
    :func:`yrdnet.load_metros` (``"current"`` and ``"2016"``), its targets
    ``targets.csv``, its airports ``airports.csv`` and its main stations the file
    ``region.toml`` names (``main_stations.csv``), all read from the data folder when
    asked for (so ``settings.data_folder`` applies).

    Raises
    ------
    ValueError
        For an unknown name, listing the valid ones.

    Examples
    --------
    >>> R = load_region("yrd")
    >>> R.core, R.subcentres, R.levels
    (310000, (320100, 330100, 340100), ('city', 'county'))
    >>> list(R.centres)
    ['shanghai', 'nanjing', 'hangzhou', 'hefei']
    """
    doc = _shipped()
    if name != doc["name"]:
        valid = available_regions()
        msg = f"unknown region {name!r}{did_you_mean(name, valid)}; expected one of {valid}"
        raise ValueError(msg)
    folder = data_folder()
    subs = doc.get("subcentres", [])
    levels = [str(lv) for lv in doc["levels"]]
    mains = doc.get("main_stations")
    corridors = doc.get("corridors")
    peripheries = doc.get("peripheries")
    return Region(
        str(doc["name"]),
        zones={lv: functools.partial(load_zones, lv) for lv in levels},
        core=int(doc["core"]["adcode"]),
        subcentres=[int(s["adcode"]) for s in subs],
        keys={int(c["adcode"]): str(c["key"]) for c in [doc["core"], *subs]},
        metros={str(d): functools.partial(load_metros, str(d)) for d in doc["metro_definitions"]},
        cities=load_cities,
        targets=folder / "targets.csv",
        airports=load_airports,
        main_stations=None if mains is None else functools.partial(load_main_stations, folder / str(mains)),
        corridors=None if corridors is None else functools.partial(load_corridors, folder / str(corridors)),
        peripheries=None if peripheries is None else functools.partial(load_peripheries, folder / str(peripheries)),
        title=str(doc["title"]),
        bbox=doc["bbox"],
        data_folder=folder,
        map_origins=doc.get("map_origins"),
    )

"""The curated data shipped with yrdnet: a registry of files and validated loaders.

Every loader validates on load (required columns, types, unique ids, references that
exist, coordinates inside the YRD, speeds > 0, sane years) and raises
:class:`yrdnet.DataError` naming the file, row and field at fault. The folder is
:func:`data_folder`: ``settings.data_folder`` if set, else the data shipped in the
package, so yrdnet works from any working directory.

Masses (population, GDP) are those of ``cities.csv`` in every scenario.
"""

from __future__ import annotations

import functools
import itertools
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import pandas as pd

from yrdnet.core.cache import content_version, register_cache
from yrdnet.core.errors import DataError
from yrdnet.core.settings import settings
from yrdnet.core.validation import Column, InBBox, Problems, Ref, did_you_mean, validate_table
from yrdnet.region.plausibility import (
    MIN_CITY_LINK_RATIO,
    WARN_CITY_LINK_RATIO,
    check_link_lengths,
    check_road_speeds,
    warn_row,
)
from yrdnet.region.spec import bbox_check, region_spec
from yrdnet.region.station_dates import DATES_FILE, station_dates

__all__ = [
    "LINE_KINDS",
    "TARGET_COLUMNS",
    "available",
    "data_folder",
    "data_path",
    "data_versions",
    "file_version",
    "get_path",
    "load_cities",
    "load_corridors",
    "load_highways",
    "load_line_speeds",
    "load_lines",
    "load_main_stations",
    "load_metros",
    "load_peripheries",
    "load_stations",
    "metro_members",
]

_PKG = Path(__file__).resolve().parents[1]  # the yrdnet package folder

#: Upper bounds that catch typos and unit slips (stated choices, far above every real value):
#: the most populous Chinese prefecture-level unit, Chongqing, had 32.1 million residents in
#: 2020; Shanghai's 2020 GDP was 38,700 (100 million yuan); the longest Chinese HSR line,
#: Beijing-Guangzhou-Shenzhen-Hong Kong, is about 2,230 km; a city link is far shorter.
MAX_CITY_POPULATION = 50_000_000
MAX_CITY_GDP = 1_000_000.0
MAX_LINE_KM = 3_000.0


def data_folder() -> Path:
    """Return the folder the curated data is read from.

    ``settings.data_folder`` when set; otherwise ``yrdnet/_data`` inside an installed
    wheel, or ``data/`` beside the package in a source checkout.
    """
    if settings.data_folder is not None:
        return Path(settings.data_folder)
    for cand in (_PKG / "_data", _PKG.parent / "data"):
        if (cand / "cities.csv").is_file():
            return cand
    msg = f"yrdnet's data folder was not found (looked in {_PKG / '_data'} and {_PKG.parent / 'data'})"
    raise DataError(msg)


def available() -> list[str]:
    """List every shipped data file (relative names) that :func:`get_path` can resolve.

    Tables, scenarios, the GTFS feed, boundaries and their documentation (``README.md``,
    ``SCHEMA.md``, ...); hidden files and caches are left out.

    Examples
    --------
    >>> "cities.csv" in available()
    True
    """
    root = data_folder()
    names = (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return sorted(n for n in names if not any(part.startswith((".", "__")) for part in n.split("/")))


def get_path(name: str) -> Path:
    """Return the path of a shipped data file by name, e.g. ``"cities.csv"``.

    Raises
    ------
    DataError
        If the name is unknown; the message lists close matches and the valid names.
    """
    p = data_folder() / name
    if p.is_file():
        return p
    names = available()
    msg = f"unknown data file {name!r} in {data_folder()}{did_you_mean(name, names)}; available: {names}"
    raise DataError(msg)


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"data file not found: {path}") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise DataError(f"{path.name}: cannot parse {path}: {e}") from None


def file_version(path: str | Path) -> tuple[str, int, int]:
    """``(path, content_hash, size)`` of a file, ``(path, 0, -1)`` if it is missing: the key of every data cache.

    ``content_hash`` is the first 8 bytes (as an integer) of the BLAKE2b digest of the
    whole file, so a cache keyed on it (validated tables here, :func:`yrdnet.load_zones`,
    the sweep's prepared bases, the disk cache) is refreshed whenever the content
    changes, even by a copy of the same size with its old modification time restored
    (``cp -p``, ``rsync -t``, ``os.utime``), which a key of ``(mtime, size)`` missed
    (:func:`yrdnet.core.cache.content_version`).
    """
    return content_version(path)


def data_versions() -> tuple[tuple[str, int, int], ...]:
    """:func:`file_version` of every file in :func:`data_folder` (:func:`available`).

    Part of the key of every on-disk cache entry built from the data: editing or
    replacing any data file makes a new entry.
    """
    root = data_folder()
    return tuple(file_version(root / name) for name in available())


def _key(path: Path) -> tuple[str, int, int]:
    return file_version(path)


@functools.lru_cache(maxsize=32)
def _validated(
    key: tuple[str, int, int],
    columns: tuple[Column, ...],
    id_col: str | None,
    row_checks: tuple[Any, ...],
    refs: tuple[Ref, ...],
) -> pd.DataFrame:
    path = Path(key[0])
    return validate_table(_read(path), columns, path, key=id_col, row_checks=row_checks, refs=refs)


register_cache("region.datasets.validated_tables", _validated.cache_clear)


def read_validated(
    path: str | Path,
    columns: Iterable[Column],
    *,
    key: str | None = None,
    row_checks: Iterable[Any] = (),
    refs: Iterable[Ref] = (),
) -> pd.DataFrame:
    """Read and check a data file: the one path every loader of a CSV table goes through.

    :func:`~yrdnet.core.validation.validate_table` (columns, types, ranges, unique
    ``key``, ``refs`` to other tables, ``row_checks``) of the file, read and checked once
    per file version (:func:`file_version`). Graph builds load the same files many times
    (a timeline, a sweep); each call gets its own copy, list cells included, so callers
    may modify it.

    Raises
    ------
    DataError
        Every problem of the file at once, naming the file, row, field, what was expected
        and what was found.
    """
    path = Path(path)
    df = _validated(_key(path), tuple(columns), key, tuple(row_checks), tuple(refs)).copy()
    for c in df.columns:
        if df[c].dtype == object and df[c].map(lambda v: isinstance(v, list)).any():
            df[c] = df[c].map(lambda v: list(v) if isinstance(v, list) else v)
    return df


def data_path(path: str | Path | None, name: str) -> Path:
    """``path`` if given, else the shipped file ``name`` in :func:`data_folder`."""
    return Path(path) if path is not None else data_folder() / name


def _in_region() -> InBBox:
    """Row check: the point lies inside the bounding box of the data folder's region (``region.toml``)."""
    return bbox_check(data_folder())


def close_matches(word: str, options: Iterable[Any]) -> str:
    """Alias of :func:`yrdnet.core.validation.did_you_mean`, the one "did you mean" hint."""
    return did_you_mean(word, options)


# ---------------------------------------------------------------- cities
_CITY_COLS = (
    Column("adcode", "adcode"),
    Column("name_zh"),
    Column("name_en"),
    Column("province", "choice", choices=("Shanghai", "Jiangsu", "Zhejiang", "Anhui")),
    Column("lon", "float"),
    Column("lat", "float"),
    Column("population", "int", positive=True, hi=MAX_CITY_POPULATION),
    Column("gdp", "float", positive=True, hi=MAX_CITY_GDP),
    Column("central_area", "choice", choices=("yes", "no")),
    Column("source"),
)


def load_cities(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the 41 YRD prefecture-level cities.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``adcode`` (int); columns ``name_zh``, ``name_en``, ``province``, ``lon``,
        ``lat`` (city centre, WGS84), ``population`` (2020 census), ``gdp`` (2020, 100
        million yuan), ``central_area`` (bool), ``source``; point geometry; EPSG:4326.

    Examples
    --------
    >>> cities = load_cities()
    >>> len(cities), cities.crs.to_epsg()
    (41, 4326)
    """
    p = data_path(path, "cities.csv")
    df = read_validated(p, _CITY_COLS, key="adcode", row_checks=[_in_region()])
    df["central_area"] = df["central_area"] == "yes"
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
    return gdf.set_index("adcode")


# ---------------------------------------------------------------- metros
_METRO_COLS = (
    Column("metro"),
    Column("name_zh"),
    Column("name_en"),
    Column("core_adcode", "adcode"),
    Column("definition", "choice", choices=("current", "2016")),
    Column("member_adcodes", "list"),
    Column("source"),
)


def load_metros(definition: str | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Load the metropolitan areas under one definition.

    Parameters
    ----------
    definition
        ``"current"`` (default, from ``settings.metro_definition``) or ``"2016"``.
    path
        Alternative ``metros.csv``.

    Returns
    -------
    pandas.DataFrame
        Index ``metro`` (shanghai, nanjing, hangzhou, hefei, suxichang, ningbo); columns
        ``name_zh``, ``name_en``, ``core_adcode``, ``members`` (list of adcodes, core
        first), ``n_members``, ``source``. A city may belong to several areas.
    """
    definition = definition or settings.metro_definition
    if definition not in {"current", "2016"}:
        raise ValueError(f"definition must be 'current' or '2016', got {definition!r}")
    p = data_path(path, "metros.csv")
    df = read_validated(p, _METRO_COLS)
    city_ids = set(load_cities().index)
    probs = Problems(p)
    seen: set[tuple[str, str]] = set()
    members: list[list[int]] = []
    for i, rec in enumerate(df.to_dict("records")):
        line = i + 2
        k = (rec["metro"], rec["definition"])
        if k in seen:
            probs.add(line, "metro", f"duplicate metro {rec['metro']!r} for definition {rec['definition']!r}")
        seen.add(k)
        ms: list[int] = []
        for m in rec["member_adcodes"]:
            if not m.isdigit() or int(m) not in city_ids:
                probs.add(line, "member_adcodes", f"unknown city adcode {m!r}{did_you_mean(m, city_ids)}")
            else:
                ms.append(int(m))
        if rec["core_adcode"] is not None and rec["core_adcode"] not in ms:
            probs.add(line, "core_adcode", f"core {rec['core_adcode']} is not among the members")
        if len(ms) < 2 and rec["member_adcodes"]:
            probs.add(line, "member_adcodes", f"expected at least 2 members, found {len(ms)}")
        core = rec["core_adcode"]
        members.append([core, *[m for m in ms if m != core]] if core in ms else ms)
    probs.raise_if_any()
    df["members"] = members
    df = df[df["definition"] == definition].copy()
    df["n_members"] = df["members"].map(len)
    return df.drop(columns=["member_adcodes"]).set_index("metro")


# ---------------------------------------------------------------- corridors, peripheries
def load_corridors(path: str | Path | None = None) -> pd.DataFrame:
    """Load the named development corridors, analysis scopes beside the metros (``scope="g60"``).

    A member is a city (all its zones belong) or a county-level unit (only that zone at
    county level; at city level it stands for its whole city, the city being the zone):
    the G60 corridor lists Shanghai's Songjiang District, not all of Shanghai.

    Parameters
    ----------
    path
        Alternative ``corridors.csv``.

    Returns
    -------
    pandas.DataFrame
        Index ``corridor``; ``name_zh``, ``name_en``, ``members`` (sorted adcodes),
        ``source``.

    Raises
    ------
    DataError
        Naming the file, line and field of a duplicate corridor or an adcode that is
        neither a city nor a county of the region.
    """
    return _named_areas(data_path(path, "corridors.csv"), "corridor")


def load_peripheries(path: str | Path | None = None) -> pd.DataFrame:
    """Load the named peripheries: the lagging parts of the region whose gains are followed.

    The shipped ``peripheries.csv`` names northern Anhui (``wanbei``, 皖北), northern
    Jiangsu (``subei``, 苏北) and south-western Zhejiang (``zhexinan``, 浙西南), each
    row with its sources. A member is a city (all its zones) or a county (that zone),
    as in :func:`load_corridors`; a zone belongs to one periphery at most.

    Parameters
    ----------
    path
        Alternative ``peripheries.csv``.

    Returns
    -------
    pandas.DataFrame
        Index ``periphery``; ``name_zh``, ``name_en``, ``members`` (sorted adcodes),
        ``source``.

    Raises
    ------
    DataError
        Naming the file, line and field of a duplicate periphery, an adcode that is
        neither a city nor a county of the region, or a member already in another
        periphery (itself, its city or one of its counties).

    Examples
    --------
    >>> p = load_peripheries()
    >>> list(p.index), p.loc["subei", "members"][:2]
    (['wanbei', 'subei', 'zhexinan'], [320300, 320700])
    """
    return _named_areas(data_path(path, "peripheries.csv"), "periphery", disjoint=True)


def _named_areas(p: Path, key: str, *, disjoint: bool = False) -> pd.DataFrame:
    """Read a table of named areas (``key``, names, ``member_adcodes``, ``source``) and check it."""
    cols = (Column(key), Column("name_zh"), Column("name_en"), Column("member_adcodes", "list"), Column("source"))
    df = read_validated(p, cols)
    counties = load_counties()
    known = set(load_cities().index) | set(counties.index)
    city_of = {int(c): int(v) for c, v in counties["city"].items()}
    probs = Problems(p)
    members: list[list[int]] = []
    seen: set[str] = set()
    whole: dict[int, str] = {}  # adcode listed as a member -> its area
    part: dict[int, str] = {}  # city with a county listed as a member -> that county's area
    for i, rec in enumerate(df.to_dict("records")):
        line, name = i + 2, rec[key]
        if name in seen:
            probs.add(line, key, f"duplicate {key} {name!r}")
        seen.add(name)
        ms = []
        for m in rec["member_adcodes"]:
            if not m.isdigit() or int(m) not in known:
                probs.add(line, "member_adcodes", f"{m!r} is neither a city nor a county adcode")
                continue
            c = int(m)
            ms.append(c)
            if not disjoint:
                continue
            others = {whole.get(c), whole.get(city_of.get(c, -1)), None if c in city_of else part.get(c)}
            clash = sorted(o for o in others if o is not None and o != name)
            if clash:
                probs.add(line, "member_adcodes", f"{c} is already in {key} {clash[0]!r}")
            whole.setdefault(c, name)
            if c in city_of:
                part.setdefault(city_of[c], name)
        members.append(sorted(set(ms)))
    probs.raise_if_any()
    df["members"] = members
    return df.drop(columns=["member_adcodes"]).set_index(key)


def metro_members(definition: str | None = None) -> dict[str, list[int]]:
    """Return ``{metro: [core, member, ...]}`` for one metropolitan-area definition."""
    return {cast(str, k): list(v) for k, v in load_metros(definition)["members"].items()}


# ---------------------------------------------------------------- stations
_STATION_COLS = (
    Column("station_id"),
    Column("name_zh"),
    Column("name_en"),
    Column("adcode", "adcode"),
    Column("lon", "float"),
    Column("lat", "float"),
    Column("source"),
)


def load_stations(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load rail stations with the years they were open.

    Parameters
    ----------
    path
        A stations CSV (default: the shipped ``stations.csv``). Its dates come from the
        ``station_dates.csv`` and ``lines.csv`` beside it, where they exist.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``station_id``; columns ``name_zh``, ``name_en``, ``adcode`` (city), ``lon``,
        ``lat``, ``source``, ``opened``, ``closed``, ``reopened`` (nullable Int64 years;
        empty = no constraint) and ``dates_source``; point geometry; EPSG:4326. Curated
        dates come from ``station_dates.csv`` (joined by ``station_id``); a station
        without a row opens with the earliest open line of ``lines.csv`` that lists it
        (see :mod:`yrdnet.region.station_dates`).

    Raises
    ------
    DataError
        Naming the file, row and field of every problem (of ``stations.csv``,
        ``station_dates.csv`` or, for the derived dates, ``lines.csv``).

    Examples
    --------
    >>> st = load_stations()
    >>> int(st.loc["nanjing_south", "opened"]), int(st.loc["hefei_south", "opened"])
    (2011, 2014)
    """
    p = data_path(path, "stations.csv")
    df = read_validated(p, _STATION_COLS, key="station_id", row_checks=[_in_region()], refs=[_city_ref("adcode")])
    df = df.set_index("station_id")
    df = df.join(_dates(_key(p), _key(p.parent / DATES_FILE), _key(p.parent / "lines.csv"), tuple(df.index)).copy())
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
    gdf.index.name = "station_id"
    return gdf


@functools.lru_cache(maxsize=8)
def _dates(
    stations_key: tuple[str, int, int],
    dates_key: tuple[str, int, int],
    lines_key: tuple[str, int, int],
    ids: tuple[str, ...],
) -> pd.DataFrame:
    """Station dates (:func:`yrdnet.region.station_dates.station_dates`), once per version of the three files."""
    lines_p = Path(lines_key[0])
    lines = (
        read_validated(lines_p, _LINE_COLS, key="line_id", row_checks=[_line_row_check]) if lines_key[2] >= 0 else None
    )
    return station_dates(
        pd.Index(ids, name="station_id"),
        read_validated,
        dates_path=Path(dates_key[0]) if dates_key[2] >= 0 else None,
        lines=lines,
        stations_file=Path(stations_key[0]).name,
    )


register_cache("region.datasets.station_dates", _dates.cache_clear)


# ---------------------------------------------------------------- main stations
#: Roles of a main station (``main_stations.csv`` column ``role``).
MAIN_STATION_ROLES = ("main", "also_main")

_MAIN_STATION_COLS = (
    Column("city_adcode", "adcode"),
    Column("station_id"),
    Column("role", "choice", choices=MAIN_STATION_ROLES),
    Column("from_year", "year", required=False),
    Column("to_year", "year", required=False),
    Column("source"),
)


def _main_station_problems(df: pd.DataFrame, city_of: pd.Series, probs: Problems) -> None:
    """A station of another city, years out of order, overlapping rows of one station or two ``main`` at once."""
    lo, hi = -(10**9), 10**9
    spans: dict[tuple[int, str], list[tuple[int, int, int]]] = {}
    mains: dict[int, list[tuple[int, int, int]]] = {}
    for i, rec in enumerate(df.to_dict("records")):
        line, c, s = i + 2, rec["city_adcode"], rec["station_id"]
        a, b = (None if pd.isna(rec[k]) else int(rec[k]) for k in ("from_year", "to_year"))
        if s in city_of.index and c is not None and int(city_of[s]) != c:
            probs.add(line, "station_id", f"station {s!r} lies in city {int(city_of[s])} (stations.csv), not {c}")
        if a is not None and b is not None and a > b:
            probs.add(line, "to_year", f"expected to_year >= from_year {a}, found {b}")
            continue
        span = (lo if a is None else a, hi if b is None else b, line)
        for x, y, other in spans.get((c, s), []):
            if span[0] <= y and x <= span[1]:
                msg = f"duplicate row: station {s!r} of city {c} already listed for these years on row {other}"
                probs.add(line, "from_year/to_year", msg)
        spans.setdefault((c, s), []).append(span)
        if rec["role"] == "main":
            for x, y, other in mains.get(c, []):
                if span[0] <= y and x <= span[1]:
                    msg = f"city {c} already has a 'main' station for these years (row {other}); use 'also_main'"
                    probs.add(line, "role", msg)
            mains.setdefault(c, []).append(span)


def load_main_stations(path: str | Path | None = None, *, stations_path: str | Path | None = None) -> pd.DataFrame:
    """Load each city's main stations: the stations its published fastest times refer to.

    A row says that ``station_id`` was a main station of city ``city_adcode`` from
    ``from_year`` to ``to_year`` (inclusive; empty: open-ended). ``role`` is ``main`` (the
    one station a city's times are usually quoted from, at most one a year) or
    ``also_main`` (a second main station, e.g. 上海 beside 上海虹桥). A city without rail
    has no row.

    Parameters
    ----------
    path
        Alternative ``main_stations.csv``.
    stations_path
        Alternative ``stations.csv`` the station ids are checked against.

    Returns
    -------
    pandas.DataFrame
        Columns ``city_adcode`` (int), ``station_id``, ``role``, ``from_year`` and
        ``to_year`` (nullable Int64), ``source``; sorted by city, role (``main`` first),
        station and year (the file's row order does not matter).

    Raises
    ------
    DataError
        Naming the file, row and field of every problem: an unknown city or station id,
        a station of another city, ``to_year`` before ``from_year``, two rows of one
        station for overlapping years (a duplicate), two ``main`` stations of one city
        in the same year.

    Examples
    --------
    >>> m = load_main_stations()
    >>> sorted(m.loc[(m["city_adcode"] == 310000) & m["to_year"].isna(), "station_id"])
    ['shanghai', 'shanghai_hongqiao']
    """
    p = data_path(path, "main_stations.csv")
    stations = load_stations(stations_path)
    known = Ref("station_id", frozenset(stations.index), "station id", " (not in stations.csv)")
    refs = [_city_ref("city_adcode"), known]
    df = read_validated(p, _MAIN_STATION_COLS, refs=refs)
    probs = Problems(p)
    _main_station_problems(df, stations["adcode"], probs)
    probs.raise_if_any()
    for c in ("from_year", "to_year"):
        df[c] = pd.array(df[c], dtype="Int64")  # type: ignore[call-overload]  # pandas-stubs: pd.array takes a Series
    df["city_adcode"] = df["city_adcode"].astype(int)
    df["_rank"] = (df["role"] != "main").astype(int)  # main first
    order = ["city_adcode", "_rank", "station_id", "from_year"]
    df = df.sort_values(order, kind="stable", na_position="first").drop(columns="_rank")
    return df.reset_index(drop=True)


# ---------------------------------------------------------------- lines
#: Kinds of rail line in ``lines.csv``: high-speed, intercity, upgraded existing line and
#: conventional line (K/T/Z trains; ``tools/derive_conventional.py``).
LINE_KINDS = ("hsr", "intercity", "upgraded", "conventional")
#: Earliest opening year a line may have: 1876, the Woosung Road (吴淞铁路) at Shanghai,
#: China's first railway in service ("1876年...擅自建成吴淞铁路。这是江苏...也是中国第一条营运铁路",
#: 新华日报 2019-08-28 via http://tlb.nantong.gov.cn/ntstlb/tlkx/content/f7234a88-cdb5-4842-8385-914b1adc9f72.html).
FIRST_RAILWAY_YEAR = 1876

_LINE_COLS = (
    Column("line_id"),
    Column("name_zh"),
    Column("name_en"),
    Column("kind", "choice", choices=LINE_KINDS),
    Column("design_speed_kph", "int", positive=True, hi=600),
    Column("operating_speed_kph", "int", positive=True, hi=600),
    Column("opened", "year", required=False, lo=FIRST_RAILWAY_YEAR),
    Column("planned_open", "year", required=False),
    Column("status", "choice", choices=("open", "under_construction", "planned")),
    Column("stops", "list"),
    Column("length_km", "float", required=False, positive=True, hi=MAX_LINE_KM),
    Column("through_to", "list", required=False),
    Column("source"),
    Column("closed", "year", required=False),
)


def _line_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    stops = rec["stops"] or []
    if len(stops) < 2:
        probs.add(line, "stops", f"expected at least 2 stops, found {len(stops)}")
    for a, b in itertools.pairwise(stops):
        if a == b:
            probs.add(line, "stops", f"stop {a!r} repeated consecutively")
    if rec["status"] == "open" and rec["opened"] is None:
        probs.add(line, "opened", "an open line needs an opening year")
    if rec["status"] != "open" and rec["opened"] is not None:
        probs.add(line, "opened", f"a {rec['status']} line must leave 'opened' empty (use planned_open)")
    closed, opened = rec.get("closed"), rec["opened"]
    if closed is not None and opened is None:
        probs.add(line, "closed", "a line that closed needs the year it opened")
    elif closed is not None and opened is not None and closed <= opened:
        probs.add(line, "closed", f"expected a year after opened {opened}, found {closed}")
    d, o = rec["design_speed_kph"], rec["operating_speed_kph"]
    if d is not None and o is not None and o > d:
        probs.add(line, "operating_speed_kph", f"expected <= design speed {d}, found {o}")


def load_lines(path: str | Path | None = None, *, stations_path: str | Path | None = None) -> pd.DataFrame:
    """Load rail lines (one row per section with one opening year).

    Returns
    -------
    pandas.DataFrame
        Index ``line_id``; columns ``name_zh``, ``name_en``, ``kind``, ``design_speed_kph``,
        ``operating_speed_kph``, ``opened`` (nullable Int64), ``planned_open``, ``status``,
        ``stops`` (list of station ids), ``length_km`` (float, NaN if not sourced),
        ``through_to`` (list of line ids), ``source``, ``closed`` (nullable Int64: the
        year the section stopped carrying passengers, e.g. a temporary alignment into a
        station later replaced; empty while it runs).
    """
    p = data_path(path, "lines.csv")
    df = read_validated(p, _LINE_COLS, key="line_id", row_checks=[_line_row_check])
    station_ids = set(load_stations(stations_path).index)
    line_ids = set(df["line_id"])
    probs = Problems(p)
    for i, rec in enumerate(df.to_dict("records")):
        for s in rec["stops"]:
            if s not in station_ids:
                probs.add(i + 2, "stops", f"unknown station {s!r}{did_you_mean(s, station_ids)}")
        for t in rec["through_to"]:
            if t not in line_ids:
                probs.add(i + 2, "through_to", f"unknown line {t!r}{did_you_mean(t, line_ids)}")
    probs.raise_if_any()
    for c in ("opened", "planned_open", "closed"):
        df[c] = pd.array(df[c], dtype="Int64")  # type: ignore[call-overload]  # pandas-stubs: pd.array takes a Series
    df["length_km"] = pd.to_numeric(df["length_km"], errors="coerce").astype(float)
    return df.set_index("line_id")


# ---------------------------------------------------------------- line speeds by period
#: Columns of :func:`load_line_speeds`, in file order.
LINE_SPEED_COLUMNS = ("line_id", "from_year", "to_year", "operating_speed_kph", "source")

_LINE_SPEED_COLS = (
    Column("line_id"),
    Column("from_year", "year", lo=FIRST_RAILWAY_YEAR),
    Column("to_year", "year", lo=FIRST_RAILWAY_YEAR),
    Column("operating_speed_kph", "int", positive=True, hi=600),
    Column("source"),
)


def _line_speed_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    a, b = rec["from_year"], rec["to_year"]
    if a is not None and b is not None and a > b:
        probs.add(line, "to_year", f"expected to_year >= from_year {a}, found {b}")


def _line_speed_problems(df: pd.DataFrame, lines: pd.DataFrame, probs: Problems) -> None:
    """Periods overlapping another of the same line, out of the line's years or speeds, or repeating ``lines.csv``."""
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for i, rec in enumerate(df.to_dict("records")):
        row, lid, a, b, v = i + 2, rec["line_id"], rec["from_year"], rec["to_year"], rec["operating_speed_kph"]
        if lid not in lines.index or a > b:
            continue  # reported by the reference and row checks
        ln = lines.loc[lid]
        for x, y, other in spans.get(lid, []):
            if a <= y and x <= b:
                probs.add(row, "from_year/to_year", f"line {lid!r} already has a period for {x}-{y} (row {other})")
        spans.setdefault(lid, []).append((a, b, row))
        opened, closed = ln["opened"], ln["closed"]
        if pd.isna(opened):
            probs.add(row, "line_id", f"line {lid!r} has no opening year in lines.csv: it runs in no year")
        elif a < int(opened):
            probs.add(row, "from_year", f"expected a year >= {int(opened)}, when line {lid!r} opened, found {a}")
        if not pd.isna(closed) and b >= int(closed):
            probs.add(row, "to_year", f"expected a year < {int(closed)}, when line {lid!r} closed, found {b}")
        if v > int(ln["design_speed_kph"]):
            probs.add(row, "operating_speed_kph", f"expected <= design speed {int(ln['design_speed_kph'])}, found {v}")
        if v == int(ln["operating_speed_kph"]):
            msg = f"{v} is line {lid!r}'s operating_speed_kph in lines.csv already: leave the period out"
            probs.add(row, "operating_speed_kph", msg)


def _no_periods() -> pd.DataFrame:
    """The table of :func:`load_line_speeds` without a row."""
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("line_id", "source") else int) for c in LINE_SPEED_COLUMNS})


def _line_speeds_path(path: str | Path | None) -> Path | None:
    """``path``, else the file ``region.toml`` declares as ``line_speeds`` (``None``: not declared)."""
    if path is not None:
        return Path(path)
    name = region_spec(data_folder()).get("line_speeds")
    return None if name is None else data_folder() / str(name)


def load_line_speeds(
    path: str | Path | None = None,
    *,
    lines_path: str | Path | None = None,
    stations_path: str | Path | None = None,
) -> pd.DataFrame:
    """Load the periods in which a line ran at a speed other than its ``lines.csv`` one.

    A row says that line ``line_id`` ran at ``operating_speed_kph`` in the network years
    ``from_year`` to ``to_year`` (inclusive; a network year is the network at the end of
    the year). Every year no period covers runs at the line's ``operating_speed_kph`` of
    ``lines.csv``. :func:`yrdnet.network.history.lines_in_year` applies the periods.

    Parameters
    ----------
    path
        Alternative periods file (default: the file ``region.toml`` names as
        ``line_speeds``; none declared: no period).
    lines_path, stations_path
        Alternative ``lines.csv`` (and its ``stations.csv``) the periods are checked against.

    Returns
    -------
    pandas.DataFrame
        Columns ``line_id``, ``from_year``, ``to_year``, ``operating_speed_kph`` (int),
        ``source``; sorted by line and year (the file's row order does not matter).

    Raises
    ------
    DataError
        Naming the file, row and field of every problem: an unknown line id (with close
        matches), ``from_year`` after ``to_year``, two overlapping periods of one line, a
        speed out of range (not > 0, above 600 or the line's design speed, or equal to its
        ``lines.csv`` speed), a period before the line opened or after it closed.

    Examples
    --------
    >>> s = load_line_speeds().set_index("line_id")
    >>> s.loc[["shanghai_nanjing_intercity"], ["from_year", "to_year", "operating_speed_kph"]].values.tolist()
    [[2010, 2010, 350]]
    """
    p = _line_speeds_path(path)
    if p is None:
        return _no_periods()
    lp, sp = data_path(lines_path, "lines.csv"), data_path(stations_path, "stations.csv")
    return _line_speeds(_key(p), _key(lp), _key(sp), _key(sp.parent / DATES_FILE)).copy()


@functools.lru_cache(maxsize=8)
def _line_speeds(
    key: tuple[str, int, int],
    lines_key: tuple[str, int, int],
    stations_key: tuple[str, int, int],
    dates_key: tuple[str, int, int],  # part of the key only: the station dates the lines are checked with
) -> pd.DataFrame:
    """The checked periods (:func:`load_line_speeds`), once per version of the files they depend on."""
    p = Path(key[0])
    lines = load_lines(lines_key[0], stations_path=stations_key[0])
    known = Ref("line_id", frozenset(lines.index), "line", " (not in lines.csv)")
    df = read_validated(p, _LINE_SPEED_COLS, row_checks=[_line_speed_row_check], refs=[known])
    probs = Problems(p)
    _line_speed_problems(df, lines, probs)
    probs.raise_if_any()
    for c in ("from_year", "to_year", "operating_speed_kph"):
        df[c] = df[c].astype(int)
    df = df[list(LINE_SPEED_COLUMNS)].sort_values(["line_id", "from_year"], kind="stable")
    return df.reset_index(drop=True)


register_cache("region.datasets.line_speeds", _line_speeds.cache_clear)


# ---------------------------------------------------------------- highways
_HIGHWAY_COLS = (
    Column("link_id"),
    Column("route"),
    Column("from_adcode", "adcode"),
    Column("to_adcode", "adcode"),
    Column("km", "float", positive=True, hi=1000),
    Column("speed_kph", "int", positive=True, hi=150),
    Column("opened", "year", required=False),
    Column("source"),
)


def _highway_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    if rec["from_adcode"] is not None and rec["from_adcode"] == rec["to_adcode"]:
        probs.add(line, "to_adcode", "a link must join two different cities")
    if rec["opened"] is None and "unverified" not in str(rec.get("source", "")):
        probs.add(line, "opened", "expected an opening year (or 'unverified' in source)")


def load_highways(path: str | Path | None = None) -> pd.DataFrame:
    """Load expressway links between cities.

    Returns
    -------
    pandas.DataFrame
        Index ``link_id``; columns ``route``, ``from_adcode``, ``to_adcode``, ``km``,
        ``speed_kph``, ``opened`` (nullable Int64), ``source``.
    """
    p = data_path(path, "highways.csv")
    refs = [_city_ref("from_adcode"), _city_ref("to_adcode")]
    df = read_validated(p, _HIGHWAY_COLS, key="link_id", row_checks=[_highway_row_check], refs=refs)
    cities = load_cities()
    check_link_lengths(
        df, cities, p, what="city centres", min_ratio=MIN_CITY_LINK_RATIO, warn_ratio=WARN_CITY_LINK_RATIO
    )
    check_road_speeds(df["speed_kph"], p)
    df["opened"] = pd.array(df["opened"], dtype="Int64")  # type: ignore[call-overload]  # pandas-stubs: pd.array takes a Series
    return df.set_index("link_id")


# ---------------------------------------------------------------- counties
__all__ += ["load_airports", "load_counties", "load_county_boundaries"]

_COUNTY_COLS = (
    Column("adcode", "adcode"),
    Column("name_zh"),
    Column("name_en"),
    Column("city", "adcode"),
    Column("kind", "choice", choices=("district", "county", "county_city")),
    Column("lon", "float"),
    Column("lat", "float"),
    Column("population", "int", positive=True, hi=MAX_CITY_POPULATION),
    Column("urban", "int", required=False, lo=0, hi=MAX_CITY_POPULATION),
    Column("rural", "int", required=False, lo=0, hi=MAX_CITY_POPULATION),
    Column("population_2010", "int", required=False, positive=True, hi=MAX_CITY_POPULATION),
    Column("source"),
)


def _county_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    pop, urban, rural = rec.get("population"), rec.get("urban"), rec.get("rural")
    if (urban is None) != (rural is None):
        probs.add(line, "urban/rural", "expected both urban and rural, or neither")
    elif pop is not None and urban is not None and rural is not None and urban + rural != pop:
        probs.add(line, "urban/rural", f"expected urban + rural = population {pop}, found {urban} + {rural}")


def _city_ref(column: str) -> Ref:
    """Reference check: ``column`` holds adcodes of the shipped cities."""
    return Ref(column, frozenset(load_cities().index), "city adcode")


def load_counties(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the 305 county-level units (districts, counties, county-level cities).

    Parameters
    ----------
    path
        Alternative ``counties.csv``.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``adcode`` (int); columns ``name_zh``, ``name_en``, ``city`` (parent city
        adcode, one of the 41), ``kind`` (district / county / county_city), ``lon``,
        ``lat`` (seat, WGS84), ``population``, ``urban``, ``rural`` (2020 census; urban
        and rural are nullable Int64), ``population_2010`` (nullable Int64: empty where
        the 2010 units cannot be mapped to today's), ``source``; point geometry at the
        seat; EPSG:4326.

    Raises
    ------
    DataError
        Naming the file, row and column of every problem (missing column, duplicate
        adcode, unknown city, urban + rural not equal to population, ...).

    Examples
    --------
    >>> counties = load_counties()
    >>> len(counties), counties.crs.to_epsg()
    (305, 4326)
    >>> counties.loc[320583, "name_en"]
    'Kunshan'
    """
    p = data_path(path, "counties.csv")
    checks = [_in_region(), _county_row_check]
    df = read_validated(p, _COUNTY_COLS, key="adcode", row_checks=checks, refs=[_city_ref("city")])
    for c in ("urban", "rural", "population_2010"):
        df[c] = pd.array(df[c], dtype="Int64")  # type: ignore[call-overload]  # pandas-stubs: pd.array takes a Series
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
    return gdf.set_index("adcode")


def load_county_boundaries(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the simplified county polygons (WGS84) of ``county_boundaries.geojson``.

    Parameters
    ----------
    path
        Alternative GeoJSON file.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``adcode`` (int); column ``name_zh``; (multi)polygon geometry; EPSG:4326.

    Raises
    ------
    DataError
        If the file is missing or unreadable, lacks ``adcode``/``name_zh``, repeats an
        adcode or holds a non-polygon or empty geometry (naming the feature).

    Examples
    --------
    >>> b = load_county_boundaries()
    >>> len(b), b.crs.to_epsg(), b.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    (305, 4326, np.True_)
    """
    p = data_path(path, "county_boundaries.geojson")
    try:
        with warnings.catch_warnings():  # a non-numeric adcode is reported below, naming its feature
            warnings.filterwarnings("ignore", "Could not parse column")
            gdf = gpd.read_file(p)
    except Exception as e:  # pyogrio / fiona raise their own types
        raise DataError(f"{p.name}: cannot read {p}: {e}") from None
    probs = Problems(p)
    missing = [c for c in ("adcode", "name_zh") if c not in gdf.columns]
    if missing:
        probs.add(None, None, f"missing required propert(ies) {missing}; found {list(gdf.columns)}")
        probs.raise_if_any()
    seen: dict[int, int] = {}
    codes: list[int | None] = []
    for i, (code, geom) in enumerate(zip(gdf["adcode"], gdf.geometry, strict=True)):
        where = i + 1  # "row" = feature number (1-based)
        try:
            c = int(code)
        except (TypeError, ValueError):
            probs.add(where, "adcode", f"expected a 6-digit adcode, found {code!r}")
            codes.append(None)
            continue
        if not 100000 <= c <= 999999:
            probs.add(where, "adcode", f"expected a 6-digit adcode, found {code!r}")
        if c in seen:
            probs.add(where, "adcode", f"duplicate id {c} (first on row {seen[c]})")
        seen.setdefault(c, where)
        codes.append(c)
        if geom is None or geom.is_empty or geom.geom_type not in {"Polygon", "MultiPolygon"}:
            found = "nothing" if geom is None else geom.geom_type
            probs.add(where, "geometry", f"expected a non-empty (Multi)Polygon, found {found}")
    probs.raise_if_any()
    gdf["adcode"] = codes
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    return gdf[["adcode", "name_zh", "geometry"]].set_index("adcode")


#: Earliest plausible year of civil flights at a YRD airport (``airports.csv`` ``opened``
#: and ``closed``): Shanghai Hongqiao opened for mixed civilian use in May 1923 (Wikipedia,
#: https://en.wikipedia.org/wiki/Shanghai_Hongqiao_International_Airport); a margin before it.
FIRST_CIVIL_FLIGHT_YEAR = 1920

_AIRPORT_COLS = (
    Column("iata"),
    Column("icao"),
    Column("name_zh"),
    Column("name_en"),
    Column("city", "adcode"),
    Column("lon", "float"),
    Column("lat", "float"),
    Column("role", "choice", choices=("international_hub", "regional")),
    Column("source"),
    Column("opened", "year", required=False, lo=FIRST_CIVIL_FLIGHT_YEAR),
    Column("closed", "year", required=False, lo=FIRST_CIVIL_FLIGHT_YEAR),
    Column("dates_source"),
)


def _airport_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    iata = rec.get("iata") or ""
    if not (len(iata) == 3 and iata.isascii() and iata.isupper()):
        probs.add(line, "iata", f"expected a 3-letter IATA code, found {iata!r}")
    opened, closed = rec.get("opened"), rec.get("closed")
    if opened is not None and closed is not None and closed <= opened:
        probs.add(line, "closed", f"expected a year after opened {opened}, found {closed}")


def _service_years(rec: dict[str, Any]) -> tuple[float, float]:
    """The years ``[opened, closed)`` an airport row is in service (open-ended when empty)."""
    opened, closed = rec.get("opened"), rec.get("closed")
    lo = float("-inf") if opened is None or pd.isna(opened) else float(opened)
    hi = float("inf") if closed is None or pd.isna(closed) else float(closed)
    return lo, hi


def _airport_codes_check(df: pd.DataFrame, path: Path) -> None:
    """An IATA code may repeat only over disjoint service years (a code moved to a new site).

    Raises
    ------
    DataError
        Naming the file and both rows (file lines, header = 1) of every overlap.
    """
    probs = Problems(path)
    recs = df.to_dict("records")
    for (i, a), (j, b) in itertools.combinations(enumerate(recs), 2):
        if a["iata"] != b["iata"]:
            continue
        (a0, a1), (b0, b1) = _service_years(a), _service_years(b)
        if a0 < b1 and b0 < a1:
            msg = f"duplicate id {b['iata']!r} in service in the same years as row {i + 2} (set opened/closed)"
            probs.add(j + 2, "iata", msg)
    probs.raise_if_any()


def load_airports(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the civil airports serving the YRD.

    Parameters
    ----------
    path
        Alternative ``airports.csv``.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``iata``; columns ``icao``, ``name_zh``, ``name_en``, ``city`` (adcode of
        the city it lies in), ``lon``, ``lat`` (WGS84), ``role`` (``international_hub``
        or ``regional``), ``source``, ``opened`` / ``closed`` (nullable Int64: the years
        civil flights began and ended at the site; empty ``opened`` = open in every year,
        empty ``closed`` = still open), ``dates_source``; point geometry; EPSG:4326. A
        code moved to a new site (Hefei's HFE in 2013) repeats, over disjoint years: pick
        a year's airports with :func:`yrdnet.metrics.airports.airports_in_year`.

    Raises
    ------
    DataError
        Naming the file, row and column of every problem (years outside
        [:data:`FIRST_CIVIL_FLIGHT_YEAR`, 2060], ``closed`` <= ``opened``, a code in
        service twice in one year).

    Examples
    --------
    >>> airports = load_airports()
    >>> sorted(airports.index[airports["role"] == "international_hub"])
    ['PVG', 'SHA']
    """
    p = data_path(path, "airports.csv")
    checks = [_in_region(), _airport_row_check]
    df = read_validated(p, _AIRPORT_COLS, row_checks=checks, refs=[_city_ref("city")])
    _airport_codes_check(df, p)
    for c in ("opened", "closed"):
        df[c] = pd.array(df[c], dtype="Int64")
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
    return gdf.set_index("iata")


# ---------------------------------------------------------------- policy targets
__all__ += ["DEFINITIONS", "DEFINITION_ALIASES", "KINDS", "TARGET_MODES", "canonical_definition", "load_targets"]

#: Kinds of policy target (``targets.csv`` column ``kind``).
KINDS = ("core_link", "metro_commute", "agglomeration_circle")
#: Time definitions a target is scored on (column ``time_definition``): the fastest train
#: between the two cities' main stations, between any of their stations, door to door;
#: ``station_fastest`` is the name earlier releases gave ``station_fastest_any``.
DEFINITIONS = ("station_fastest_main", "station_fastest_any", "door_to_door", "station_fastest")
#: Old definition names -> the definition they mean.
DEFINITION_ALIASES = {"station_fastest": "station_fastest_any"}


def canonical_definition(name: str) -> str:
    """The definition a ``time_definition`` value means (``station_fastest`` -> ``station_fastest_any``).

    Examples
    --------
    >>> canonical_definition("station_fastest"), canonical_definition("door_to_door")
    ('station_fastest_any', 'door_to_door')
    """
    return DEFINITION_ALIASES.get(name, name)


#: Door-to-door modes a target may name (column ``mode``).
TARGET_MODES = ("rail", "multimodal", "road")

_TARGET_COLS = (
    Column("target_id"),
    Column("kind", "choice", choices=KINDS),
    Column("from_adcode", "adcode", required=False),
    Column("to_adcode", "adcode", required=False),
    Column("metro", required=False),
    Column("threshold_min", "float", positive=True, hi=24 * 60),  # a travel-time target within a day
    Column("time_definition", "choice", choices=DEFINITIONS),
    Column("mode", "choice", choices=TARGET_MODES),
    Column("source"),
    Column("source_text"),
)

#: The columns of :func:`load_targets`' table (``target_id`` is its index).
TARGET_COLUMNS: tuple[str, ...] = tuple(c.name for c in _TARGET_COLS)


def _target_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    if rec["kind"] == "core_link" and (rec["from_adcode"] is None or rec["to_adcode"] is None):
        probs.add(line, "from_adcode/to_adcode", "a core_link needs from_adcode and to_adcode")
    if rec["kind"] == "metro_commute" and not rec["metro"]:
        probs.add(line, "metro", "a metro_commute needs metro")


def _target_reference_warnings(t: pd.DataFrame, p: Path) -> None:
    """Warn (:func:`~yrdnet.region.plausibility.warn_row`) for a target naming an unknown zone or metro.

    Zones: the cities and counties of the data folder; metros: those of any definition of
    ``metros.csv``. A warning, not an error: such a target is valid but has no value
    (``NaN``) in this data folder.
    """
    zones = {int(c) for c in load_cities().index}
    if (data_folder() / "counties.csv").is_file():
        zones |= {int(c) for c in load_counties().index}
    metros: set[str] = set()
    if (data_folder() / "metros.csv").is_file():
        metros = {str(m) for d in ("current", "2016") for m in load_metros(d).index}
    for i, rec in enumerate(t.to_dict("records")):
        for col in ("from_adcode", "to_adcode"):
            v = rec[col]
            if v is not None and not pd.isna(v) and int(v) not in zones:
                warn_row(p, i + 2, col, int(v), "names no city or county of the data folder: the target has no value")
        m = rec["metro"]
        if m and not pd.isna(m) and metros and str(m) not in metros:
            hint = did_you_mean(str(m), metros)
            warn_row(
                p, i + 2, "metro", str(m), f"names no metropolitan area of metros.csv{hint}: the target has no value"
            )


def load_targets(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the policy targets (default ``targets.csv``).

    Parameters
    ----------
    path
        Alternative ``targets.csv``.

    Returns
    -------
    pandas.DataFrame
        Index ``target_id``; ``kind``, ``from_adcode``/``to_adcode`` (nullable Int64),
        ``metro`` (``""`` when not a metro target), ``threshold_min`` (float, minutes),
        ``time_definition`` (as written: one of :data:`DEFINITIONS`; see
        :func:`canonical_definition`), ``mode``, ``source``, ``source_text``.

    Raises
    ------
    DataError
        Every problem of the file in one error (row, field, expected, found).

    Examples
    --------
    >>> t = load_targets()
    >>> row = t.loc["shanghai_nanjing_1_5h"]
    >>> float(row["threshold_min"]), row["time_definition"]
    (90.0, 'station_fastest_main')
    """
    p = data_path(path, "targets.csv")
    t = read_validated(p, _TARGET_COLS, key="target_id", row_checks=[_target_row_check])
    _target_reference_warnings(t, p)
    t["metro"] = t["metro"].fillna("")
    for c in ("from_adcode", "to_adcode"):
        t[c] = pd.array(t[c], dtype="Int64")  # type: ignore[call-overload]  # pandas-stubs: pd.array takes a Series
    t["threshold_min"] = t["threshold_min"].astype(float)
    return t.set_index("target_id")

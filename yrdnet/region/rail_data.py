"""The rail data: stations, main stations, lines and line speeds by period, validated on load.

Split from :mod:`yrdnet.region.datasets` (which re-exports every name here); see its
docstring for the checks every loader makes.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from yrdnet.core.cache import register_cache
from yrdnet.core.validation import Column, Problems, Ref, did_you_mean
from yrdnet.region.data_files import (
    MAX_LINE_KM,
    _city_ref,
    _in_region,
    _key,
    data_folder,
    data_path,
    read_validated,
)
from yrdnet.region.spec import region_spec
from yrdnet.region.station_dates import DATES_FILE, station_dates

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

"""Derive ``data/gtfs_yrd_2016.zip``: a GTFS feed of the 2016 YRD high-speed timetable.

Source: ``hsr_timetable_2016-03-10.xlsx`` = GitHub ``metromancn/Parse12306``,
``output/全国高速列车时刻表_20160310.xlsx`` (MIT licence; the national G/D/C timetable
scraped from 12306 on 2016-03-10). Station matching also reads
``stations/station_name_2026-01.ts`` (``pomerun/china-railway-station``, BSD-3-Clause:
12306 telecodes and current names) and, for the coordinates of stations new to
``data/stations.csv``, ``stations/cnstation.csv`` (``listenzcc/China-rail-way-stations-data``).

Steps
-----
1. Sheet 车站: the headers are shifted (the column labelled 电报码 holds the names, 站名
   the telecodes); GCJ-02 lon/lat → WGS84 with ``make_boundaries.gcj02_to_wgs84``. A
   *YRD station* is one whose converted point lies inside one of the 41 city polygons
   of ``data/boundaries.geojson``.
2. Each YRD station is matched to a ``data/stations.csv`` row: by its telecode first
   (12306 ``station_name`` gives the telecode's current name, which must be a
   ``name_zh``: this catches renames, e.g. 2016 台州 TZH = today's 台州西, 松江南 IMH =
   上海松江), else by its 2016 name (= ``name_zh``). Stations of the feed that match no
   row are reported, and appended to ``data/stations.csv`` with ``--add-stations``.
3. Sheet 时刻表: the train columns are forward-filled. 是否开通 is a per-stop flag;
   stops flagged ``False`` are dropped (52 rows, all on four Hainan ring trains). A
   variant runs on the service date when 运行日期 is ``ALL`` (the whole 2016-01-30 …
   2016-03-29 window) or lists the date (single dates may be Excel dates: the first ten
   characters are compared). Variants are numbered per train number in sheet order:
   ``trip_id = <train number>-<k>`` (C1002-1, C1002-2; only C1002-2 runs on 2016-03-10).
4. Times are clock times. Along each train (all its stops, inside and outside the YRD)
   24 h is added whenever a time is earlier than the previous one, so times are counted
   from midnight of the departure day at the origin and may exceed 24:00:00 (GTFS
   convention); the trip keeps these times when clipped to its YRD stops.
5. Trains with at least two YRD stops are kept, clipped to their YRD stops (source
   站序 kept as ``stop_sequence``). The zip is deterministic: sorted rows, fixed member
   order and timestamps, written atomically.

Usage::

    python tools/make_gtfs.py                       # writes data/gtfs_yrd_2016.zip
    python tools/make_gtfs.py path/to/timetable.xlsx --out /tmp/feed.zip
    python tools/make_gtfs.py --add-stations        # also appends missing stations
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import logging
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gtfs_common
from gtfs_common import (
    append_stations,
    city_of,
    english_name,
    haversine_km,
    hms,
    load_polygons,
    read_station_name,
    station_id,
)
from make_boundaries import gcj02_to_wgs84

__all__ = ["build_feed", "main", "read_timetable", "write_zip"]

logger = logging.getLogger("make_gtfs")

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
DEFAULT_XLSX = SOURCES / "timetable_2016" / "hsr_timetable_2016-03-10.xlsx"
DEFAULT_OUT = ROOT / "data" / "gtfs_yrd_2016.zip"
STATIONS_CSV = ROOT / "data" / "stations.csv"
BOUNDARIES = ROOT / "data" / "boundaries.geojson"

SERVICE_DATE = "2016-03-10"
#: 运行日期 "ALL" covers the scrape's whole sale window (the union of listed dates).
WINDOW = ("2016-01-30", "2016-03-29")
ZIP_TIME = (2016, 3, 10, 0, 0, 0)
XLSX_REF = "metromancn/Parse12306 output/全国高速列车时刻表_20160310.xlsx"
CNSTATION_REF = "listenzcc/China-rail-way-stations-data raw/cnstation.csv"
STATION_NAME_REF = "pomerun/china-railway-station src/data.ts"


@dataclass
class Station:
    """One station of sheet 车站 (2016 name, telecode, WGS84 point, YRD city)."""

    name: str
    code: str
    pinyin: str
    lon: float
    lat: float
    adcode: int | None = None
    station_id: str | None = None
    current_name: str | None = None


@dataclass
class Variant:
    """One train variant of sheet 时刻表 with its stops (name, seq, arr, dep seconds)."""

    number: str
    k: int
    klass: str
    origin: str
    terminal: str
    dates: str
    stops: list[tuple[str, int, int, int]] = field(default_factory=list)
    n_disabled: int = 0

    @property
    def trip_id(self) -> str:
        """``<train number>-<variant ordinal>``."""
        return f"{self.number}-{self.k}"


# ----------------------------------------------------------------------------- reading
def _clock(value: Any) -> int | None:
    """Seconds after midnight of a clock time ``HH:MM[:SS]``; ``None`` for ``----``."""
    s = str(value).strip()
    if not s or s.startswith("-") or s == "nan":
        return None
    parts = [int(p) for p in s.split(":")]
    h, m = parts[0], parts[1]
    sec = parts[2] if len(parts) > 2 else 0
    return h * 3600 + m * 60 + sec


def runs_on(dates: str, day: str = SERVICE_DATE) -> bool:
    """Whether a 运行日期 cell (``ALL`` or ``|``-separated dates) includes ``day``.

    Parameters
    ----------
    dates
        The 运行日期 cell as text.
    day
        ISO date.

    Returns
    -------
    bool
        True when the variant runs on ``day``.
    """
    d = dates.strip()
    if d == "ALL":
        return WINDOW[0] <= day <= WINDOW[1]
    return day in {x.strip()[:10] for x in d.split("|")}


def _unroll(raw: list[tuple[str, int, int | None, int]]) -> list[tuple[str, int, int, int]]:
    """Make clock times monotone by adding 24 h at each midnight passed."""
    out = []
    offset = 0
    prev = -1
    for name, seq, arr, dep in raw:
        a = dep if arr is None else arr
        while a + offset < prev:
            offset += 86400
        a += offset
        while dep + offset < a:
            offset += 86400
        d = dep + offset
        out.append((name, seq, a, d))
        prev = d
    return out


def read_timetable(xlsx: Path) -> tuple[dict[str, Station], list[Variant]]:
    """Read sheets 车站 and 时刻表.

    Parameters
    ----------
    xlsx
        Path of the Parse12306 workbook.

    Returns
    -------
    tuple
        Stations by 2016 name, and every train variant in sheet order.
    """
    st = pd.read_excel(xlsx, sheet_name="车站", dtype={"电报码": str, "站名": str, "拼音": str})
    # shifted headers: 电报码 holds the names, 站名 the telecodes
    lon, lat = gcj02_to_wgs84(st["经度"].to_numpy(float), st["纬度"].to_numpy(float))
    stations = {
        n.strip(): Station(n.strip(), c.strip(), str(py).strip(), float(x), float(y))
        for n, c, py, x, y in zip(st["电报码"], st["站名"], st["拼音"], lon, lat, strict=True)
    }
    tt = pd.read_excel(xlsx, sheet_name="时刻表", dtype=str)
    head_cols = ["车次", "起点", "终点", "类别", "运行日期"]
    tt["_train"] = tt["车次"].notna().cumsum()
    tt[head_cols] = tt[head_cols].ffill()
    variants: list[Variant] = []
    seen: Counter[str] = Counter()
    for _, g in tt.groupby("_train", sort=True):
        first = g.iloc[0]
        number = str(first["车次"]).strip()
        seen[number] += 1
        v = Variant(
            number,
            seen[number],
            number[0],
            str(first["起点"]).strip(),
            str(first["终点"]).strip(),
            str(first["运行日期"]),
        )
        raw = []
        cols = (g["是否开通"], g["站名"], g["站序"], g["到站时间"], g["出发时间.1"])
        for enabled, name, seq, arr, dep_text in zip(*cols, strict=True):
            if str(enabled).strip() != "True":
                v.n_disabled += 1
                continue
            dep = _clock(dep_text)
            if dep is None:
                msg = f"{number}: stop {name} without a departure time"
                raise ValueError(msg)
            raw.append((str(name).strip(), int(seq), _clock(arr), dep))
        v.stops = _unroll(raw)
        variants.append(v)
    return stations, variants


# ------------------------------------------------------------------ stations, matching
def _current_names(path: Path) -> dict[str, tuple[str, str]]:
    """Telecode → (current name, pinyin) from 12306 ``station_name`` (a TS string)."""
    return {r.code: (r.name, r.pinyin) for r in read_station_name(path)}


def match_stations(
    stations: dict[str, Station], known: pd.DataFrame, current: dict[str, tuple[str, str]]
) -> list[Station]:
    """Mark YRD stations and match them to ``stations.csv`` rows (telecode, then name).

    Parameters
    ----------
    stations
        Stations of sheet 车站 by 2016 name (updated in place).
    known
        ``data/stations.csv`` as read by pandas.
    current
        Telecode → (current name, pinyin) from 12306 ``station_name``.

    Returns
    -------
    list of Station
        The YRD stations, sorted by 2016 name.
    """
    polys = load_polygons()
    # a name shared by several stations (溧水: the HSR station and a Nanjing S7 metro station)
    # resolves to the one nearest the feed's station, never to whichever row comes last
    by_name: dict[str, list[tuple[str, float, float]]] = {}
    for sid, nm, x, y in zip(known["station_id"], known["name_zh"], known["lon"], known["lat"], strict=True):
        by_name.setdefault(str(nm), []).append((str(sid), float(x), float(y)))

    def nearest(name: str | None, lon: float, lat: float) -> str | None:
        cands = by_name.get(name) if name else None
        if not cands:
            return None
        return min(cands, key=lambda c: (float(haversine_km(lon, lat, c[1], c[2])), c[0]))[0]

    yrd = []
    for s in stations.values():
        s.adcode = city_of(polys, s.lon, s.lat)
        if s.adcode is None:
            continue
        s.current_name = current.get(s.code, (None, ""))[0]
        via_code = nearest(s.current_name, s.lon, s.lat)
        via_name = nearest(s.name, s.lon, s.lat)
        if via_code and via_name and via_code != via_name:
            logger.warning("%s %s: name matches %s but telecode (now %s) matches %s: using the telecode",
                           s.name, s.code, via_name, s.current_name, via_code)  # fmt: skip
        elif via_code and not via_name:
            logger.info("%s %s renamed %s -> %s", s.name, s.code, s.current_name, via_code)
        s.station_id = via_code or via_name
        yrd.append(s)
    return sorted(yrd, key=lambda s: s.name)


def _cnstation(path: Path) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["站名"].strip().removesuffix("站")
            try:
                out.setdefault(name, []).append((float(row["WGS84_Lng"]), float(row["WGS84_Lat"])))
            except ValueError:
                continue
    return out


def new_station_rows(
    missing: list[Station], cnstation: Path, known_ids: set[str], current: dict[str, tuple[str, str]]
) -> list[dict[str, str]]:
    """``stations.csv`` rows for feed stations that have none (ids, names, sourced points).

    Parameters
    ----------
    missing
        YRD stations of the feed without a ``stations.csv`` row.
    cnstation
        Path of ``cnstation.csv`` (WGS84 columns preferred for coordinates).
    known_ids
        Existing station ids (a clash is an error).
    current
        Telecode → (current name, pinyin) from 12306 ``station_name``.

    Returns
    -------
    list of dict
        One row per station, in the ``stations.csv`` column order.
    """
    cn = _cnstation(cnstation)
    polys = load_polygons()
    rows = []
    for s in missing:
        renamed = s.current_name is not None and s.current_name != s.name
        name_zh = s.current_name if renamed and s.current_name else s.name
        pinyin = s.pinyin
        if renamed:
            pinyin = current[s.code][1]
        name_en = english_name(name_zh, pinyin)
        sid = station_id(name_en, int(s.adcode or 0))
        if sid in known_ids:
            msg = f"station id {sid} ({name_zh}) already used in stations.csv"
            raise ValueError(msg)
        tt = f"2016 12306 timetable ({XLSX_REF}) station {s.name} telecode {s.code}"
        cands = [(haversine_km(s.lon, s.lat, x, y), x, y) for x, y in cn.get(s.name, []) + cn.get(name_zh, [])]
        cands = [c for c in cands if c[0] < 3.0]
        if cands:
            d, lon, lat = min(cands)
            src = (
                f"coord: cnstation.csv WGS84_Lng/WGS84_Lat ({CNSTATION_REF}; about 2019; "
                f"{d:.2f} km from the timetable point); WGS84; {tt}"
            )
        else:
            lon, lat = s.lon, s.lat
            src = (
                f"coord: derived = GCJ-02 lon/lat of sheet 车站 of the {tt} converted to WGS84 with "
                "tools/make_boundaries.py gcj02_to_wgs84 (iterative inverse); not in cnstation.csv"
            )
        if renamed:
            src += f"; named {s.name} in 2016 - {STATION_NAME_REF} (2026-01) lists telecode {s.code} as {name_zh}"
        src += "; added by tools/make_gtfs.py"
        adcode = city_of(polys, lon, lat)
        if adcode != s.adcode:
            msg = f"{s.name}: chosen point lies in {adcode}, timetable point in {s.adcode}"
            raise ValueError(msg)
        rows.append(
            {
                "station_id": sid,
                "name_zh": name_zh,
                "name_en": name_en,
                "adcode": str(adcode),
                "lon": f"{lon:.5f}",
                "lat": f"{lat:.5f}",
                "source": src,
            }
        )
        known_ids.add(sid)
        s.station_id = sid
    return sorted(rows, key=lambda r: (int(r["adcode"]), r["station_id"]))


# ------------------------------------------------------------------------------- feed
@dataclass
class Feed:
    """The GTFS tables (header + rows) and the counts reported by the build."""

    tables: dict[str, list[list[str]]]
    counts: dict[str, int]
    missing: list[Station]


def build_feed(stations: dict[str, Station], variants: list[Variant], known: pd.DataFrame, version: str) -> Feed:
    """Select, clip and tabulate the trains running on the service date.

    Parameters
    ----------
    stations
        Matched stations (see :func:`match_stations`).
    variants
        All train variants.
    known
        ``data/stations.csv`` (coordinates of the stops).
    version
        ``feed_version``.

    Returns
    -------
    Feed
        Tables ready to write, counts, and YRD stations of the feed without a row.
    """
    counts: Counter[str] = Counter()
    routes: dict[str, list[str]] = {}
    trips, stop_times = [], []
    used: dict[str, Station] = {}
    for v in variants:
        counts["variants"] += 1
        counts["disabled_stop_rows"] += v.n_disabled
        if not runs_on(v.dates):
            counts["excluded_not_running"] += 1
            continue
        counts["running"] += 1
        yrd = [st for st in v.stops if stations[st[0]].adcode is not None]
        if not yrd:
            counts["excluded_no_yrd_stop"] += 1
            continue
        if len(yrd) == 1:
            counts["excluded_one_yrd_stop"] += 1
            continue
        idx = [i for i, st in enumerate(v.stops) if stations[st[0]].adcode is not None]
        if idx[-1] - idx[0] + 1 != len(idx):
            counts["trips_leaving_and_reentering"] += 1
        if yrd[0][2] >= 86400:
            counts["trips_starting_after_midnight"] += 1
        routes.setdefault(v.number, [v.number, "CR", v.number, f"{v.origin}-{v.terminal}", v.klass, "2"])
        trips.append([v.number, SERVICE_DATE.replace("-", ""), v.trip_id, v.terminal, v.number])
        for j, (name, seq, arr, dep) in enumerate(yrd):
            s = stations[name]
            used[name] = s
            first_arr = min(arr, dep) if j == 0 else arr
            stop_times.append([v.trip_id, hms(first_arr), hms(dep), s.station_id or f"?{name}", str(seq)])
    missing = sorted((s for s in used.values() if s.station_id is None), key=lambda s: s.code)
    coords = known.set_index("station_id")
    stops = []
    for s in used.values():
        if s.station_id is None:
            continue
        row = coords.loc[s.station_id]
        desc = f"now {row['name_zh']}" if row["name_zh"] != s.name else ""
        stops.append([s.station_id, s.code, s.name, desc, f"{row['lat']:.5f}", f"{row['lon']:.5f}"])
    counts["stations_in_feed"] = len(used)
    counts["trips"] = len(trips)
    counts["stop_times"] = len(stop_times)
    counts["routes"] = len(routes)
    date = SERVICE_DATE.replace("-", "")
    tables = {
        "agency.txt": [
            ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
            ["CR", "中国铁路总公司 China Railway Corporation", "https://www.12306.cn/", "Asia/Shanghai", "zh"],
        ],
        "stops.txt": [["stop_id", "stop_code", "stop_name", "stop_desc", "stop_lat", "stop_lon"], *sorted(stops)],
        "routes.txt": [
            ["route_id", "agency_id", "route_short_name", "route_long_name", "route_desc", "route_type"],
            *sorted(routes.values()),
        ],
        "trips.txt": [
            ["route_id", "service_id", "trip_id", "trip_headsign", "trip_short_name"],
            *sorted(trips, key=lambda r: r[2]),
        ],
        "stop_times.txt": [
            ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
            *sorted(stop_times, key=lambda r: (r[0], int(r[4]))),
        ],
        "calendar.txt": [
            [
                "service_id",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "start_date",
                "end_date",
            ],
            [date, "0", "0", "0", "1", "0", "0", "0", date, date],
        ],
        "feed_info.txt": [
            [
                "feed_publisher_name",
                "feed_publisher_url",
                "feed_lang",
                "feed_start_date",
                "feed_end_date",
                "feed_version",
                "feed_source",
                "feed_license",
            ],
            [
                "yrdnet developers (derived by tools/make_gtfs.py)",
                "https://github.com/metromancn/Parse12306",
                "zh",
                date,
                date,
                version,
                f"12306 timetable scraped on 2016-03-10 by {XLSX_REF}; clipped to the 41 YRD cities",
                "MIT (Parse12306 repository); timetable facts from 12306 (China Railway)",
            ],
        ],
    }
    return Feed(tables, dict(counts), missing)


def write_zip(tables: dict[str, list[list[str]]], out: Path) -> None:
    """Write the tables as a deterministic zip stamped 2016-03-10, atomically.

    Parameters
    ----------
    tables
        File name → rows (header first).
    out
        Output path.
    """
    gtfs_common.write_zip(tables, out, ZIP_TIME)


def _report_distances(yrd: list[Station], known: pd.DataFrame, names_in_feed: set[str]) -> None:
    coords = known.set_index("station_id")
    dist = []
    for s in yrd:
        if s.station_id is None or s.name not in names_in_feed or s.station_id not in coords.index:
            continue
        r = coords.loc[s.station_id]
        if "tools/make_gtfs.py" in str(r["source"]):  # rows placed from this very timetable
            continue
        dist.append((haversine_km(s.lon, s.lat, float(r["lon"]), float(r["lat"])), s.name, s.station_id))
    if not dist:
        return
    d = np.array([x[0] for x in dist])
    q = np.percentile(d, [0, 25, 50, 75, 90, 100])
    print(
        f"timetable (GCJ-02 -> WGS84) vs stations.csv, {len(d)} matched feed stations, km: "
        + ", ".join(f"p{p}={v:.2f}" for p, v in zip((0, 25, 50, 75, 90, 100), q, strict=True))
    )
    print(f"  <0.5 km: {(d < 0.5).sum()}, 0.5-1: {((d >= 0.5) & (d < 1)).sum()}, "
          f"1-3: {((d >= 1) & (d < 3)).sum()}, >3: {(d >= 3).sum()}")  # fmt: skip
    for km, name, sid in sorted(dist, reverse=True):
        if km > 3.0:
            print(f"  > 3 km: {name} -> {sid}: {km:.2f} km")


def make_gtfs(xlsx: Path = DEFAULT_XLSX, out: Path = DEFAULT_OUT, *, add_stations: bool = False) -> dict[str, int]:
    """Build the feed (and, with ``add_stations``, the missing ``stations.csv`` rows).

    Parameters
    ----------
    xlsx
        The Parse12306 workbook.
    out
        Output zip.
    add_stations
        Append rows for YRD stations of the feed missing from ``stations.csv``;
        otherwise their absence is an error.

    Returns
    -------
    dict
        Counts (variants, trips, stop_times, exclusions, ...).
    """
    sources = xlsx.resolve().parents[1]
    current = _current_names(sources / "stations" / "station_name_2026-01.ts")
    stations, variants = read_timetable(xlsx)
    known = pd.read_csv(STATIONS_CSV, dtype={"station_id": str})
    yrd = match_stations(stations, known, current)
    version = f"2016-03-10 (source sha256 {hashlib.sha256(xlsx.read_bytes()).hexdigest()[:12]})"
    feed = build_feed(stations, variants, known, version)
    if feed.missing:
        listing = ", ".join(f"{s.name} {s.code}" for s in feed.missing)
        if not add_stations:
            msg = f"feed stations missing from stations.csv (rerun with --add-stations): {listing}"
            raise SystemExit(msg)
        rows = new_station_rows(feed.missing, sources / "stations" / "cnstation.csv", set(known["station_id"]), current)
        append_stations(rows)
        for r in rows:
            print("added", ",".join(r.values()))
        known = pd.read_csv(STATIONS_CSV, dtype={"station_id": str})
        feed = build_feed(stations, variants, known, version)
    names_in_feed = {s.name for s in yrd if s.station_id in {r[0] for r in feed.tables["stops.txt"][1:]}}
    _report_distances(yrd, known, names_in_feed)
    write_zip(feed.tables, out)
    logger.info("wrote %s (%.0f kB)", out, out.stat().st_size / 1e3)
    return feed.counts


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("xlsx", nargs="?", type=Path, default=DEFAULT_XLSX, help="Parse12306 workbook")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--add-stations", action="store_true", help="append missing feed stations to stations.csv")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    counts = make_gtfs(args.xlsx, args.out, add_stations=args.add_stations)
    for k in sorted(counts):
        print(f"{k}: {counts[k]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Derive ``data/gtfs_yrd_2023.zip``: a GTFS feed of every YRD train of 2023-12-15.

Source: ``12306_timetable_2023-12-15.zip`` = GitHub ``Hu-xiaojiao/12306-code-database-2023-12-15``,
``db.zip`` (commit 65e391d; scraped from 12306 on 2023-12-15; its README: free to use, not
for commercial use, no warranty): one SQLite table per train for every class (G, D, C
high-speed and intercity; K, T, Z, P, Y conventional; S suburban). Station matching
reads ``stations/station_name_2026-01.ts`` (``pomerun/china-railway-station``,
BSD-3-Clause: telecodes, current names, pinyin, city), ``stations/cnstation.csv``
(``listenzcc/China-rail-way-stations-data``) and ``stations/osm_railway_stations_2025-02.zip``
(OpenStreetMap via ``OpenQGIS/OMap-GeoDB``, ODbL).

Steps
-----
1. Read every class folder (``timetable_2023.read_timetable``: duplicate rows and the Y
   trains repeated in Z dropped, scraping underscores removed from names, clock times +
   ``arrive_day_diff`` counted from midnight of the origin's departure day).
2. Locate every station name (``locate_stations.locate``): a ``data/stations.csv`` row by
   name, else a cnstation point (GCJ-02 → WGS84), else an OSM ``station=train`` point;
   a point inside one of the 41 city polygons makes a YRD station. A name whose point
   lies within 1 km of a ``stations.csv`` row not itself in the timetable is that row
   under another name (松江南 → 上海松江 since; 乐清东 = 绅坊 of 2016, telecode OLH).
3. YRD stations without a row are appended to ``data/stations.csv`` (``--add-stations``):
   English name from the 12306 pinyin, id per ``data/SCHEMA.md``.
4. Trains with at least two YRD stops are kept, clipped to their YRD stops (source
   ``station_no`` kept as ``stop_sequence``). The zip is deterministic.

Usage::

    python tools/make_gtfs_2023.py                    # writes data/gtfs_yrd_2023.zip
    python tools/make_gtfs_2023.py path/to/timetable.zip --out /tmp/feed.zip
    python tools/make_gtfs_2023.py --add-stations     # also appends missing stations
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gtfs_2023_tables import feed_tables
from gtfs_common import STATIONS_CSV, TsStation, append_stations, haversine_km, read_station_name, write_zip
from locate_stations import Located, locate
from new_stations import new_station_rows
from timetable_2023 import read_timetable

__all__ = ["main", "make_gtfs_2023"]

logger = logging.getLogger("make_gtfs_2023")

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
DEFAULT_ZIP = SOURCES / "timetable_2023" / "12306_timetable_2023-12-15.zip"
DEFAULT_OUT = ROOT / "data" / "gtfs_yrd_2023.zip"
ZIP_TIME = (2023, 12, 15, 0, 0, 0)
RENAME_KM = 1.0


def _rail_rows(known: pd.DataFrame) -> pd.DataFrame:
    """The rows 12306 names can match (not the urban-rail stops).

    An urban-rail stop named like a railway station (花桥 Metro) has the id ``<name>_metro``
    (the SCHEMA rule; ``data/suburban_lines.csv``); it is not a 12306 station.
    """
    return known[~known["station_id"].str.endswith("_metro")]


def _apply_renames(located: dict[str, Located], known: pd.DataFrame, ts: list[TsStation]) -> list[str]:
    """Match a located name to a nearby row not in the timetable: the same station renamed.

    松江南 (gone from 12306 ``station_name``) is today's 上海松江; 乐清东 (telecode OLH) is
    the 绅坊 of 2016 (same telecode), a row named by its 2016 name.
    """
    notes = []
    rows = [r for r in known.itertuples() if r.name_zh not in located]
    for loc in located.values():
        if loc.status != "new":
            continue
        near = sorted((haversine_km(loc.lon, loc.lat, r.lon, r.lat), r.station_id, r.name_zh) for r in rows)
        if not near or near[0][0] > RENAME_KM:
            continue
        d, sid, row_name = near[0]
        if loc.ts is None:  # the timetable name is gone: the row has today's name
            loc.ts = next((r for r in ts if r.name == row_name), None)
            loc.desc = f"now {row_name}"
        else:  # the timetable name is today's: the row keeps a former name
            loc.desc = f"formerly {row_name}"
        loc.status, loc.station_id = "existing", sid
        loc.notes.append(f"renamed: {loc.name} = stations.csv {row_name}, {d:.2f} km ({loc.via} point)")
        notes.append(f"{loc.name} -> {sid} ({row_name}), {d:.2f} km")
    return notes


def _yrd_cities() -> set[str]:
    return {str(n).removesuffix("市") for n in pd.read_csv(ROOT / "data" / "cities.csv")["name_zh"]}


def _print_unlocated(located: dict[str, Located], classes: dict[str, set[str]], near: Counter[str]) -> None:
    """Unlocated names that may be in the YRD (12306 city in the YRD or unknown, or YRD neighbours)."""
    yrd_cities = _yrd_cities()
    shown, others = [], 0
    for loc in located.values():
        if loc.status != "unlocated":
            continue
        city = loc.ts.city if loc.ts else ""
        if city in yrd_cities or not city or near[loc.name]:
            shown.append(loc)
        else:
            others += 1
    print("\nunlocated names (no stations.csv row, no cnstation or OSM point; their calls are dropped):")
    print(f"  {others} with a 12306 city outside the YRD and no call between two YRD stops; and:")
    print(f"  {'name':<6} {'code':<4} {'12306 city':<6} {'classes':<8} calls between two YRD stops")
    for loc in sorted(shown, key=lambda x: (x.ts is None, x.ts.city if x.ts else "", x.name)):
        code, city = (loc.ts.code, loc.ts.city) if loc.ts else ("-", "-")
        print(f"  {loc.name:<6} {code:<4} {city:<6} {''.join(sorted(classes[loc.name])):<8} {near[loc.name]}")


def _print_report(located: dict[str, Located], classes: dict[str, set[str]], near: Counter[str]) -> None:
    by = Counter((loc.status, loc.via) for loc in located.values())
    print("station names:", ", ".join(f"{k[0]}/{k[1] or '-'} {v}" for k, v in sorted(by.items())))
    _print_unlocated(located, classes, near)
    print("\nchecks (> 2 km, city, renames):")
    for loc in located.values():
        for n in loc.notes:
            if "km from cnstation" in n and float(n.split()[2]) <= 2.0:
                continue
            if loc.status in {"existing", "new"} or "apart" in n:
                print(f"  {loc.status:<9} {loc.name:<8} {loc.station_id or '':<22} {n}")


def _yrd_neighbour_calls(trains: list, located: dict[str, Located]) -> Counter[str]:
    """Per unlocated name: calls whose previous and next stops are both YRD stations."""
    yrd = {n for n, loc in located.items() if loc.status in {"existing", "new"}}
    out: Counter[str] = Counter()
    for t in trains:
        names = [s.name for s in t.stops]
        for i in range(1, len(names) - 1):
            if located[names[i]].status == "unlocated" and names[i - 1] in yrd and names[i + 1] in yrd:
                out[names[i]] += 1
    return out


def make_gtfs_2023(src: Path = DEFAULT_ZIP, out: Path = DEFAULT_OUT, *, add_stations: bool = False) -> Counter[str]:
    """Build the feed (and, with ``add_stations``, the missing ``stations.csv`` rows).

    Parameters
    ----------
    src
        The source timetable zip.
    out
        Output zip.
    add_stations
        Append rows for YRD stations missing from ``stations.csv``; otherwise their
        absence is an error.

    Returns
    -------
    Counter
        Counts (trains per class, trips, stop_times, exclusions, repairs).
    """
    sources = src.resolve().parents[1]
    ts = read_station_name(sources / "stations" / "station_name_2026-01.ts")
    reading = read_timetable(src)
    known = _rail_rows(pd.read_csv(STATIONS_CSV, dtype={"station_id": str}))
    names = sorted({s.name for t in reading.trains for s in t.stops})
    located = locate(names, known, ts, sources)
    renames = _apply_renames(located, known, ts)
    missing = [loc for loc in located.values() if loc.status == "new"]
    if missing:
        if not add_stations:
            listing = ", ".join(loc.name for loc in missing)
            msg = f"YRD stations missing from stations.csv (rerun with --add-stations): {listing}"
            raise SystemExit(msg)
        rows = new_station_rows(missing, known, ts)
        append_stations(rows)
        for r in rows:
            print("added", ",".join(r.values()))
        known = _rail_rows(pd.read_csv(STATIONS_CSV, dtype={"station_id": str}))
    classes: dict[str, set[str]] = {}
    for t in reading.trains:
        for s in t.stops:
            classes.setdefault(s.name, set()).add(t.klass)
    _print_report(located, classes, _yrd_neighbour_calls(reading.trains, located))
    for r in renames:
        print("  rename:", r)
    version = f"2023-12-15 (source sha256 {hashlib.sha256(src.read_bytes()).hexdigest()[:12]})"
    tables, counts = feed_tables(reading.trains, located, known, version)
    counts.update({f"source_{k}": v for k, v in reading.counts.items()})
    write_zip(tables, out, ZIP_TIME)
    logger.info("wrote %s (%.0f kB)", out, out.stat().st_size / 1e3)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("src", nargs="?", type=Path, default=DEFAULT_ZIP, help="12306 timetable zip of 2023-12-15")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--add-stations", action="store_true", help="append missing YRD stations to stations.csv")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    counts = make_gtfs_2023(args.src, args.out, add_stations=args.add_stations)
    for k in sorted(counts):
        print(f"{k}: {counts[k]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

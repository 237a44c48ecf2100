"""The GTFS tables of the 2023-12-15 YRD feed (used by ``make_gtfs_2023.py``).

One route per train number as printed (``K554/K551`` when the number changes en route),
one trip per 12306 train (``trip_id`` = its ``train_no``), clipped to its YRD stops.
``route_desc`` is the class (G, D, C, K, T, Z, P, Y, S) and ``route_type`` an extended GTFS
rail type per class (:data:`ROUTE_TYPES`).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
from gtfs_common import hms
from locate_stations import Located
from timetable_2023 import Train

__all__ = ["ROUTE_TYPES", "SERVICE_DATE", "feed_tables"]

SERVICE_DATE = "20231215"  # a Friday
#: Extended GTFS route types: 101 high-speed rail (G, D and C EMUs), 102 long-distance
#: trains (K fast, T express, Z direct express), 106 regional rail (P: numbered 普快 /
#: 普客 stopping trains), 107 tourist railway (Y), 109 suburban railway (S 市域/市郊).
ROUTE_TYPES = {"G": 101, "D": 101, "C": 101, "K": 102, "T": 102, "Z": 102, "P": 106, "Y": 107, "S": 109}
SOURCE_REF = "Hu-xiaojiao/12306-code-database-2023-12-15 db.zip (commit 65e391d)"


def _static_tables(version: str) -> dict[str, list[list[str]]]:
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    return {
        "agency.txt": [
            ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
            [
                "CR",
                "中国国家铁路集团有限公司 China State Railway Group",
                "https://www.12306.cn/",
                "Asia/Shanghai",
                "zh",
            ],
        ],
        "calendar.txt": [
            ["service_id", *days, "start_date", "end_date"],
            [SERVICE_DATE, "0", "0", "0", "0", "1", "0", "0", SERVICE_DATE, SERVICE_DATE],
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
                "yrdnet developers (derived by tools/make_gtfs_2023.py)",
                "https://github.com/Hu-xiaojiao/12306-code-database-2023-12-15",
                "zh",
                SERVICE_DATE,
                SERVICE_DATE,
                version,
                f"12306 timetable of every train class scraped on 2023-12-15 ({SOURCE_REF}); "
                "clipped to the 41 YRD cities",
                "timetable facts from 12306 (China Railway); source README: free to use, not for commercial use",
            ],
        ],
    }


def _clip(train: Train, located: dict[str, Located], counts: Counter[str]) -> list:
    """The train's YRD stops (counting what is excluded)."""
    status = [located[s.name].status for s in train.stops]
    yrd = [s for s, st in zip(train.stops, status, strict=True) if st in {"existing", "new"}]
    if len(yrd) < 2:
        counts["excluded_no_yrd_stop" if not yrd else "excluded_one_yrd_stop"] += 1
        return []
    idx = [i for i, st in enumerate(status) if st in {"existing", "new"}]
    inner = status[idx[0] : idx[-1] + 1]
    counts["unlocated_calls_dropped_inside_trips"] += inner.count("unlocated")
    if "outside" in inner:
        counts["trips_leaving_and_reentering"] += 1
    if yrd[0].arr >= 86400:
        counts["trips_starting_after_midnight"] += 1
    return yrd


def feed_tables(
    trains: list[Train], located: dict[str, Located], known: pd.DataFrame, version: str
) -> tuple[dict[str, list[list[str]]], Counter[str]]:
    """Clip the trains to the YRD and tabulate the feed.

    Parameters
    ----------
    trains
        Every train of the source.
    located
        Name → location (YRD stations carry a ``station_id``).
    known
        ``data/stations.csv`` holding every YRD station id.
    version
        ``feed_version``.

    Returns
    -------
    tuple
        File name → rows (header first), and counts.
    """
    counts: Counter[str] = Counter()
    coords = known.set_index("station_id")
    routes: dict[str, list[str]] = {}
    trips, stop_times, used = [], [], {}
    for t in trains:
        counts[f"trains_{t.klass}"] += 1
        yrd = _clip(t, located, counts)
        if not yrd:
            continue
        counts[f"trips_{t.klass}"] += 1
        origin, terminal = t.stops[0].name, t.stops[-1].name
        routes.setdefault(
            t.number, [t.number, "CR", t.number, f"{origin}-{terminal}", t.klass, str(ROUTE_TYPES[t.klass])]
        )
        trips.append([t.number, SERVICE_DATE, t.train_no, terminal, t.number])
        for s in yrd:
            loc = located[s.name]
            if loc.station_id is None or loc.station_id not in coords.index:
                msg = f"{s.name} ({t.number}): YRD station without a stations.csv row"
                raise ValueError(msg)
            used[loc.station_id] = loc
            stop_times.append([t.train_no, hms(s.arr), hms(s.dep), loc.station_id, str(s.seq)])
    stops = []
    for sid, loc in used.items():
        row = coords.loc[sid]
        desc = loc.desc or (f"now {row['name_zh']}" if row["name_zh"] != loc.name else "")
        code = loc.ts.code if loc.ts else ""
        stops.append([sid, code, loc.name, desc, f"{row['lat']:.5f}", f"{row['lon']:.5f}"])
    counts.update(trips=len(trips), stop_times=len(stop_times), routes=len(routes), stations_in_feed=len(used))
    tables = _static_tables(version)
    tables["stops.txt"] = [["stop_id", "stop_code", "stop_name", "stop_desc", "stop_lat", "stop_lon"], *sorted(stops)]
    tables["routes.txt"] = [
        ["route_id", "agency_id", "route_short_name", "route_long_name", "route_desc", "route_type"],
        *sorted(routes.values()),
    ]
    tables["trips.txt"] = [
        ["route_id", "service_id", "trip_id", "trip_headsign", "trip_short_name"],
        *sorted(trips, key=lambda r: r[2]),
    ]
    tables["stop_times.txt"] = [
        ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
        *sorted(stop_times, key=lambda r: (r[0], int(r[4]))),
    ]
    return tables, counts

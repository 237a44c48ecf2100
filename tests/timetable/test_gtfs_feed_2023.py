"""The shipped GTFS feed of the 2023-12-15 YRD timetable (data/gtfs_yrd_2023.zip).

Everything but the byte-identical rebuild reads only the shipped zip and stations.csv;
the rebuild is skipped when ../shared/sources is absent.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from collections import defaultdict
from functools import cache
from pathlib import Path

import numpy as np
import pytest

import yrdnet
from yrdnet.region.region import load_region
from yrdnet.timetable.connection_scan import read_gtfs

FEED = yrdnet.get_path("gtfs_yrd_2023.zip")
ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "sources" / "timetable_2023" / "12306_timetable_2023-12-15.zip"
FILES = ("agency.txt", "calendar.txt", "feed_info.txt", "routes.txt", "stop_times.txt", "stops.txt", "trips.txt")
#: extended GTFS route types: high-speed, long-distance, regional, tourist, suburban rail
ROUTE_TYPES = dict.fromkeys("GDC", "101") | dict.fromkeys("KTZ", "102") | {"P": "106", "Y": "107", "S": "109"}


@cache
def read(name: str) -> tuple[dict[str, str], ...]:
    with zipfile.ZipFile(FEED) as zf, zf.open(name) as fh:
        return tuple(csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8")))


def secs(t: str) -> int:
    h, m, s = (int(x) for x in t.split(":"))
    return h * 3600 + m * 60 + s


@cache
def by_trip() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read("stop_times.txt"):
        out[r["trip_id"]].append(r)
    for rows in out.values():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
    return dict(out)


def fastest_minutes(a: str, b: str) -> float:
    """Fastest direct trip from station name ``a`` to a later stop ``b`` (departure to arrival)."""
    ids = {r["stop_name"]: r["stop_id"] for r in read("stops.txt")}
    best = float("inf")
    for rows in by_trip().values():
        seq = [r["stop_id"] for r in rows]
        if ids[a] in seq and ids[b] in seq and seq.index(ids[a]) < seq.index(ids[b]):
            dep = secs(rows[seq.index(ids[a])]["departure_time"])
            best = min(best, (secs(rows[seq.index(ids[b])]["arrival_time"]) - dep) / 60)
    return best


def test_zip_holds_the_gtfs_files():
    with zipfile.ZipFile(FEED) as zf:
        assert zf.namelist() == sorted(FILES)
        assert {i.date_time for i in zf.infolist()} == {(2023, 12, 15, 0, 0, 0)}


def test_read_gtfs_loads_every_trip_on_2023_12_15():
    tt = read_gtfs(FEED, date="2023-12-15")
    assert tt.n_trips == len(read("trips.txt")) > 2000
    assert tt.n_stop_events == len(read("stop_times.txt"))
    assert tt.n_stops == len(read("stops.txt"))
    assert set(tt.trips["train_class"]) == set(ROUTE_TYPES)
    with pytest.raises(yrdnet.DataError):
        read_gtfs(FEED, date="2023-12-16")  # one service day only


def test_references_ids_and_classes():
    stops = {r["stop_id"] for r in read("stops.txt")}
    routes = {r["route_id"]: r for r in read("routes.txt")}
    trips = read("trips.txt")
    assert len({t["trip_id"] for t in trips}) == len(trips)
    for t in trips:
        assert t["route_id"] in routes and t["service_id"] == "20231215"
        assert t["trip_short_name"] == routes[t["route_id"]]["route_short_name"] == t["route_id"]
    for r in routes.values():
        assert r["route_type"] == ROUTE_TYPES[r["route_desc"]], r
        first = r["route_short_name"][0]
        assert first == r["route_desc"] if first.isalpha() else r["route_desc"] == "P", r
    st = read("stop_times.txt")
    assert {r["stop_id"] for r in st} == stops
    assert {r["trip_id"] for r in st} == {t["trip_id"] for t in trips}


def test_every_class_is_present():
    per_class = defaultdict(int)
    routes = {r["route_id"]: r["route_desc"] for r in read("routes.txt")}
    for t in read("trips.txt"):
        per_class[routes[t["route_id"]]] += 1
    assert set(per_class) == set(ROUTE_TYPES)
    assert per_class["G"] > 1000 and per_class["K"] > 100 and per_class["S"] > 10


def test_every_stop_is_a_yrdnet_station_with_its_coordinates():
    stations = yrdnet.load_stations()
    x0, y0, x1, y1 = load_region().bbox
    for r in read("stops.txt"):
        sid = r["stop_id"]
        assert sid in stations.index, sid
        assert float(r["stop_lon"]) == pytest.approx(stations.loc[sid, "lon"], abs=1e-5)
        assert float(r["stop_lat"]) == pytest.approx(stations.loc[sid, "lat"], abs=1e-5)
        assert x0 <= float(r["stop_lon"]) <= x1 and y0 <= float(r["stop_lat"]) <= y1, r
        assert r["stop_code"] == "" or (r["stop_code"].isalpha() and len(r["stop_code"]) == 3), r


def test_every_trip_has_two_stops_and_monotone_times():
    for trip_id, rows in by_trip().items():
        assert len(rows) >= 2, trip_id
        seqs = [int(r["stop_sequence"]) for r in rows]
        assert seqs == sorted(set(seqs)), trip_id
        prev = -1
        for r in rows:
            a, d = secs(r["arrival_time"]), secs(r["departure_time"])
            assert prev <= a <= d, (trip_id, r)
            prev = d


def test_overnight_trains_keep_times_above_24h():
    late = [rows for rows in by_trip().values() if secs(rows[-1]["arrival_time"]) >= 24 * 3600]
    assert late, "expected overnight trains (K/T/Z) reaching YRD stops after midnight"


@pytest.mark.parametrize(
    ("a", "b", "minutes"),
    [
        ("上海虹桥", "南京南", 59),
        ("上海虹桥", "杭州东", 45),
        ("南京南", "合肥南", 48),
        ("上海虹桥", "合肥南", 111),
        ("上海虹桥", "南通西", 70),
        ("杭州东", "宁波", 46),
    ],
)
def test_fastest_direct_trains_match_the_known_2023_timetable(a, b, minutes):
    assert abs(fastest_minutes(a, b) - minutes) <= 1


def test_conventional_and_suburban_stations_are_served():
    names = {r["stop_name"] for r in read("stops.txt")}
    assert {"金山卫", "上海南", "嘉兴", "宿州", "蚌埠", "松江南"} <= names


def test_renamed_stations_keep_their_stations_csv_row():
    stops = {r["stop_name"]: r for r in read("stops.txt")}
    assert (stops["乐清东"]["stop_id"], stops["乐清东"]["stop_desc"]) == ("shenfang", "formerly 绅坊")
    assert (stops["松江南"]["stop_id"], stops["松江南"]["stop_desc"]) == ("shanghai_songjiang", "now 上海松江")
    assert stops["松江"]["stop_id"] == "songjiang"  # the Shanghai-Kunming line station, 2 km away


def test_added_stations_duplicate_no_row():
    """A row added for this feed is at least 1 km from every other row (no station twice)."""
    stations = yrdnet.load_stations()
    added = stations[stations["source"].str.contains("make_gtfs_2023")]
    assert len(added) == 58
    lon, lat = np.radians(stations["lon"].to_numpy()), np.radians(stations["lat"].to_numpy())
    for sid, row in added.iterrows():
        x, y = np.radians(row["lon"]), np.radians(row["lat"])
        h = np.sin((lat - y) / 2) ** 2 + np.cos(y) * np.cos(lat) * np.sin((lon - x) / 2) ** 2
        km = 2 * 6371.0 * np.arcsin(np.sqrt(h))
        near = [(s, round(d, 2)) for s, d in zip(stations.index, km, strict=True) if s != sid and d < 1.0]
        assert near == [], (sid, near)


@pytest.mark.slow
def test_rebuild_from_shared_sources_is_byte_identical(tmp_path):
    if not SOURCE.is_file():
        pytest.skip(f"source timetable not available: {SOURCE}")
    pytest.importorskip("geopandas")
    out = tmp_path / "feed.zip"
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_gtfs_2023.py"), str(SOURCE), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == FEED.read_bytes()

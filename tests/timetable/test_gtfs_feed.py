"""The shipped GTFS feed of the 2016 YRD timetable (data/gtfs_yrd_2016.zip).

Expected counts are computed from the zip itself with zipfile + csv, then compared with
what an ecosystem reader (partridge) loads; nothing here needs the source workbook except
the optional byte-identical rebuild, which is skipped when ../shared is absent.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

import yrdnet
from yrdnet.region.region import load_region

FEED = yrdnet.get_path("gtfs_yrd_2016.zip")
ROOT = Path(__file__).resolve().parents[2]
XLSX = ROOT.parent / "shared" / "sources" / "timetable_2016" / "hsr_timetable_2016-03-10.xlsx"
FILES = ("agency.txt", "calendar.txt", "feed_info.txt", "routes.txt", "stop_times.txt", "stops.txt", "trips.txt")


def read(name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(FEED) as zf, zf.open(name) as fh:
        return list(csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8")))


def secs(t: str) -> int:
    h, m, s = (int(x) for x in t.split(":"))
    return h * 3600 + m * 60 + s


def by_trip() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read("stop_times.txt"):
        out[r["trip_id"]].append(r)
    for rows in out.values():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
    return out


def stop_ids_by_name() -> dict[str, str]:
    return {r["stop_name"]: r["stop_id"] for r in read("stops.txt")}


def fastest_minutes(a: str, b: str) -> float:
    """Fastest direct trip from stop ``a`` to a later stop ``b`` (departure to arrival)."""
    best = float("inf")
    for rows in by_trip().values():
        ids = [r["stop_id"] for r in rows]
        if a in ids and b in ids and ids.index(a) < ids.index(b):
            dep = secs(rows[ids.index(a)]["departure_time"])
            arr = secs(rows[ids.index(b)]["arrival_time"])
            best = min(best, (arr - dep) / 60)
    return best


def test_zip_holds_the_gtfs_files():
    with zipfile.ZipFile(FEED) as zf:
        assert sorted(zf.namelist()) == sorted(FILES)


# partridge 1.1 calls pandas with the deprecated ``inplace=`` keyword
@pytest.mark.filterwarnings("ignore::DeprecationWarning:partridge.*")
def test_partridge_loads_with_the_counts_of_the_zip():
    ptg = pytest.importorskip("partridge")
    feed = ptg.load_feed(str(FEED))
    assert len(feed.stops) == len(read("stops.txt"))
    assert len(feed.trips) == len(read("trips.txt"))
    assert len(feed.stop_times) == len(read("stop_times.txt"))
    assert len(feed.routes) == len(read("routes.txt"))
    assert len(feed.trips) > 500
    # the whole feed is one service day: Thursday 2016-03-10
    dates = ptg.read_service_ids_by_date(str(FEED))
    assert [d.isoformat() for d in dates] == ["2016-03-10"]


def test_references_and_ids():
    stops = {r["stop_id"] for r in read("stops.txt")}
    routes = {r["route_id"]: r for r in read("routes.txt")}
    trips = read("trips.txt")
    services = {r["service_id"] for r in read("calendar.txt")}
    trip_ids = [t["trip_id"] for t in trips]
    assert len(set(trip_ids)) == len(trip_ids)
    for t in trips:
        assert t["route_id"] in routes and t["service_id"] in services
        assert t["trip_short_name"] == routes[t["route_id"]]["route_short_name"]
    for r in routes.values():
        assert r["route_type"] == "2" and r["route_desc"] in {"G", "D", "C"}
        assert r["route_short_name"].startswith(r["route_desc"])
    st = read("stop_times.txt")
    assert {r["stop_id"] for r in st} == stops
    assert {r["trip_id"] for r in st} == set(trip_ids)


def test_every_stop_is_a_yrdnet_station_with_its_coordinates():
    stations = yrdnet.load_stations()
    for r in read("stops.txt"):
        sid = r["stop_id"]
        assert sid in stations.index, sid
        assert float(r["stop_lon"]) == pytest.approx(stations.loc[sid, "lon"], abs=1e-5)
        assert float(r["stop_lat"]) == pytest.approx(stations.loc[sid, "lat"], abs=1e-5)
        assert r["stop_code"].isalpha() and len(r["stop_code"]) == 3


def test_all_stops_inside_the_yrd_bbox():
    x0, y0, x1, y1 = load_region().bbox
    for r in read("stops.txt"):
        assert x0 <= float(r["stop_lon"]) <= x1 and y0 <= float(r["stop_lat"]) <= y1, r


def test_every_trip_has_two_stops_and_monotone_times():
    trips = by_trip()
    assert trips
    for trip_id, rows in trips.items():
        assert len(rows) >= 2, trip_id
        seqs = [int(r["stop_sequence"]) for r in rows]
        assert seqs == sorted(set(seqs)), trip_id
        prev = -1
        for r in rows:
            a, d = secs(r["arrival_time"]), secs(r["departure_time"])
            assert prev <= a <= d, (trip_id, r)
            prev = d
        assert secs(rows[-1]["arrival_time"]) - secs(rows[0]["departure_time"]) < 24 * 3600


def test_times_after_midnight_stay_above_24h():
    # overnight D trains (e.g. D313 Beijing South -> Shanghai) reach the YRD after midnight
    late = [rows for rows in by_trip().values() if secs(rows[0]["departure_time"]) >= 24 * 3600]
    assert late, "expected trips whose first YRD stop is after midnight"
    for rows in late:
        assert all(secs(r["arrival_time"]) >= 24 * 3600 for r in rows)


def test_fastest_trips_match_the_known_2016_timetable():
    ids = stop_ids_by_name()
    assert fastest_minutes(ids["上海虹桥"], ids["南京南"]) == 67
    assert fastest_minutes(ids["上海虹桥"], ids["杭州东"]) == 45
    assert fastest_minutes(ids["合肥南"], ids["黄山北"]) == 80


@pytest.mark.slow
def test_rebuild_from_shared_sources_is_byte_identical(tmp_path):
    if not XLSX.is_file():
        pytest.skip(f"source workbook not available: {XLSX}")
    pytest.importorskip("openpyxl")
    out = tmp_path / "feed.zip"
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_gtfs.py"), str(XLSX), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == (ROOT / "data" / "gtfs_yrd_2016.zip").read_bytes()

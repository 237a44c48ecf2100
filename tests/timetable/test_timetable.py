"""Tests of yrdnet.timetable: GTFS reading, CSA earliest arrival and the pair table.

Oracle: a time-expanded graph (departure, arrival and waiting nodes; networkx Dijkstra)
gives the earliest arrivals and fastest times that CSA must reproduce exactly (times are
whole seconds, so ATOL = 0), on the tiny feed, on seeded random feeds and on a sample of
origins of the shipped feed.
"""

from __future__ import annotations

import csv
import itertools
import random
import shutil
import zipfile
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from yrdnet import DataError
from yrdnet.region.datasets import data_folder
from yrdnet.testing import tiny_feed
from yrdnet.timetable.connection_scan import Timetable, TimetableParams, earliest_arrival, pair_table, read_gtfs

H = 3600.0
SHIPPED = data_folder() / "gtfs_yrd_2016.zip"
needs_shipped = pytest.mark.skipif(not SHIPPED.is_file(), reason="data/gtfs_yrd_2016.zip not in the tree yet")


def hms(s: str) -> float:
    h, m, *sec = (int(x) for x in s.split(":"))
    return h * H + m * 60 + (sec[0] if sec else 0)


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_feed(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def tiny(tiny_dir: Path) -> Timetable:
    return read_gtfs(tiny_dir)


@pytest.fixture(scope="module")
def shipped() -> Timetable:
    if not SHIPPED.is_file():
        pytest.skip("data/gtfs_yrd_2016.zip not in the tree yet")
    return read_gtfs()


# ----------------------------------------------------------------------------- oracle
class TimeExpanded:
    """Brute-force router: Dijkstra on the time-expanded graph of a timetable."""

    def __init__(self, tt: Timetable, transfer_s: float) -> None:
        G = nx.DiGraph()
        dep, arr = tt.dep_time, tt.arr_time
        waits: dict[int, list[tuple[float, int]]] = {}
        for c in range(tt.n_connections):
            G.add_edge(("d", c), ("a", c), weight=arr[c] - dep[c])  # ride
            waits.setdefault(int(tt.dep_stop[c]), []).append((float(dep[c]), c))
        # stay seated: arrival of a trip's connection -> departure of its next connection
        by_trip: dict[int, list[int]] = {}
        for c in np.argsort(dep, kind="stable"):
            by_trip.setdefault(int(tt.trip[c]), []).append(int(c))
        for cs in by_trip.values():
            cs.sort(key=lambda c: (dep[c], arr[c]))
            for c1, c2 in itertools.pairwise(cs):
                assert tt.arr_stop[c1] == tt.dep_stop[c2]
                G.add_edge(("a", c1), ("d", c2), weight=dep[c2] - arr[c1])
        # waiting chains of each stop, boarding arcs
        self.times: dict[int, np.ndarray] = {}
        for s, evs in waits.items():
            evs.sort()
            times = sorted({t for t, _ in evs})
            self.times[s] = np.array(times)
            for t1, t2 in itertools.pairwise(times):
                G.add_edge(("w", s, t1), ("w", s, t2), weight=t2 - t1)
            for t, c in evs:
                G.add_edge(("w", s, t), ("d", c), weight=0.0)
        # alight and change: arrival -> first waiting node >= arrival + transfer
        for c in range(tt.n_connections):
            v = int(tt.arr_stop[c])
            if v in self.times:
                ready = arr[c] + transfer_s
                k = np.searchsorted(self.times[v], ready)
                if k < len(self.times[v]):
                    t = float(self.times[v][k])
                    G.add_edge(("a", c), ("w", v, t), weight=t - arr[c])
        self.G = G
        self.tt = tt

    def earliest(self, origin: str, t0: float) -> np.ndarray:
        tt = self.tt
        o = tt.stop_index[origin]
        out = np.full(tt.n_stops, np.inf)
        out[o] = t0
        times = self.times.get(o)
        if times is None or not (times >= t0).any():
            return out
        first = float(times[np.searchsorted(times, t0)])
        dist = nx.single_source_dijkstra_path_length(self.G, ("w", o, first), weight="weight")
        for node, d in dist.items():
            if node[0] == "a":
                v = int(tt.arr_stop[node[1]])
                if v != o:
                    out[v] = min(out[v], first + d)
        return out

    def fastest(self, origin: str) -> np.ndarray:
        """min over departure times tau of the origin of EA(tau) - tau, seconds."""
        o = self.tt.stop_index[origin]
        best = np.full(self.tt.n_stops, np.inf)
        for tau in self.times.get(o, []):
            best = np.minimum(best, self.earliest(origin, float(tau)) - tau)
        best[o] = np.inf
        return best


def write_random_feed(path: Path, seed: int, n_stops: int = 25, n_lines: int = 8, n_trips: int = 60) -> Path:
    """A seeded random GTFS folder: lines of 3-8 stops, trips at random minutes of the day
    (some after midnight), 0-3 min dwells and 1-40 min runs (whole minutes, so equal times
    and tight transfers are common)."""
    rng = random.Random(seed)
    path.mkdir(parents=True, exist_ok=True)
    stops = [f"s{i:02d}" for i in range(n_stops)]
    lines = [rng.sample(stops[:-1], rng.randint(3, 8)) for _ in range(n_lines)]  # last stop unserved

    def w(name: str, header: list[str], rows: list[list[object]]) -> None:
        with (path / name).open("w", newline="", encoding="utf-8") as f:
            cw = csv.writer(f)
            cw.writerow(header)
            cw.writerows(rows)

    w("stops.txt", ["stop_id", "stop_name", "stop_lat", "stop_lon"], [[s, s, 31.0, 120.0] for s in stops])
    w("routes.txt", ["route_id", "route_short_name", "route_desc"], [["r", "G", "G"]])
    w("calendar.txt", ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                       "start_date", "end_date"], [["x", 1, 1, 1, 1, 1, 1, 1, "20160310", "20160310"]])  # fmt: skip
    trips, st = [], []
    for k in range(n_trips):
        calls = rng.choice(lines)
        if rng.random() < 0.5:
            calls = calls[::-1]
        t = rng.randrange(5 * 60, 25 * 60)  # minutes
        trips.append(["r", "x", f"t{k}", f"G{k}"])
        for q, s in enumerate(calls):
            a = t
            t += rng.choice([0, 0, 1, 2, 3]) if 0 < q < len(calls) - 1 else 0
            st.append([f"t{k}", f"{a // 60}:{a % 60:02d}:00", f"{t // 60}:{t % 60:02d}:00", s, q + 1])
            t += rng.randint(1, 40)
    w("trips.txt", ["route_id", "service_id", "trip_id", "trip_short_name"], trips)
    w("stop_times.txt", ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], st)
    return path


def check_against_oracle(
    tt: Timetable,
    origins: list[str],
    transfer_min: float,
    starts: list[float],
    profile_origins: list[str] | None = None,
) -> None:
    """Earliest arrivals from ``origins`` at ``starts`` and the fastest trips of the pair
    table from ``profile_origins`` (default: all ``origins``; the oracle of the latter runs
    one Dijkstra per departure of the origin, so a large feed checks a sample)."""
    te = TimeExpanded(tt, 60.0 * transfer_min)
    for t0 in starts:
        ea = earliest_arrival(tt, origins, t0, min_transfer_min=transfer_min)
        for o in origins:
            np.testing.assert_array_equal(ea.loc[o].to_numpy(), te.earliest(o, t0), err_msg=f"{o} at {t0}")
    pt = pair_table(tt, min_transfer_min=transfer_min).set_index(["origin", "destination"])
    ids = tt.stops.index
    for o in origins if profile_origins is None else profile_origins:
        best = te.fastest(o)
        got = pt["fastest_min"].xs(o, level="origin") if o in pt.index.get_level_values(0) else pd.Series(dtype=float)
        expect = pd.Series(best / 60.0, index=ids)
        expect = expect[np.isfinite(expect)]
        pd.testing.assert_series_equal(
            got.sort_index(), expect.sort_index(), check_names=False, check_index_type=False, check_exact=True
        )


# ----------------------------------------------------------------------------- read_gtfs
def test_read_tiny(tiny: Timetable) -> None:
    assert tiny.date is not None and str(tiny.date) == "2016-03-10"
    assert (tiny.n_stops, tiny.n_trips, tiny.n_stop_events, tiny.n_connections) == (7, 6, 15, 9)
    assert "t7" not in tiny.trips.index  # its service starts the next day
    assert list(tiny.stops.columns) == ["name", "lon", "lat"]
    assert tiny.stops.loc["nanjing_south", "name"] == "南京南"
    assert list(tiny.trips.columns) == ["route_id", "train", "train_class"]
    assert tiny.trips.loc["t6", "train_class"] == "K"
    assert np.all(np.diff(tiny.dep_time) >= 0)
    assert tiny.stop_index["zhoushan"] == 6
    # past midnight: D3201 reaches Shanghai Hongqiao at 24:35:00
    assert tiny.arr_time.max() == hms("24:35:00")
    with pytest.raises(ValueError, match="read-only"):
        tiny.dep_time[0] = 0.0


def test_read_zip_equals_folder(tiny_dir: Path, tiny: Timetable, tmp_path: Path) -> None:
    z = tmp_path / "feed.zip"
    with zipfile.ZipFile(z, "w") as f:
        for p in tiny_dir.iterdir():
            f.write(p, f"inner/{p.name}")  # files inside a folder of the zip are found too
    tz = read_gtfs(z)
    for k in ("dep_stop", "arr_stop", "dep_time", "arr_time", "trip"):
        np.testing.assert_array_equal(getattr(tz, k), getattr(tiny, k))
    pd.testing.assert_frame_equal(tz.trips, tiny.trips)


def test_read_date(tiny_dir: Path) -> None:
    later = read_gtfs(tiny_dir, date="2016-03-11")
    assert list(later.trips.index) == ["t7"]
    assert read_gtfs(tiny_dir, date="20160312").n_trips == 1
    with pytest.raises(DataError, match=r"trips\.txt.*no trip runs on 2016-03-13"):  # removed by calendar_dates
        read_gtfs(tiny_dir, date="2016-03-13")
    with pytest.raises(ValueError, match="date must be a date"):
        read_gtfs(tiny_dir, date="March 10")


# ----------------------------------------------------------------------------- errors
def broken(tiny_dir: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    dst = tmp_path / "feed"
    shutil.copytree(tiny_dir, dst)
    text = (dst / name).read_text(encoding="utf-8")
    assert old in text, (old, name)
    (dst / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return dst


@pytest.mark.parametrize(
    ("name", "old", "new", "match"),
    [
        ("stop_times.txt", "t1,08:25:00", "t1,8:2500", r"stop_times\.txt row 3, field 'arrival_time': \(trip 't1'\) "
         r"expected a time H:MM:SS, found '8:2500'"),
        ("stop_times.txt", "t1,08:25:00,08:27:00", "t1,08:25:00,08:20:00", r"stop_times\.txt row 3, field "
         r"'departure_time': \(trip 't1'\) times must not decrease: expected departure_time >= arrival_time 08:25:00"),
        ("stop_times.txt", "t1,09:30:00", "t1,08:26:00", r"stop_times\.txt row 4, field 'arrival_time': \(trip 't1'\) "
         r"times must not decrease along the trip: expected arrival_time >= 08:27:00 \(departure at stop_sequence 2\)"),
        ("stop_times.txt", "suzhou_north,2", "suzhou_nroth,2", r"stop_times\.txt row 3, field 'stop_id': \(trip "
         r"'t1'\) unknown stop_id 'suzhou_nroth' \(not in stops\.txt\)"),
        ("stop_times.txt", "suzhou_north,2", "suzhou_north,1", r"stop_times\.txt row \d, field 'stop_sequence': "
         r"\(trip 't1'\) duplicate stop_sequence 1"),
        ("stop_times.txt", "suzhou_north,2", "suzhou_north,two", r"field 'stop_sequence'.*expected a non-negative "
         r"integer, found 'two'"),
        ("stop_times.txt", "\nt1,", "\nt99,", r"stop_times\.txt row 2, field 'trip_id': \(trip 't99'\) "
         r"unknown trip_id"),
        ("trips.txt", "r_k,daily", "r_x,daily", r"trips\.txt row \d, field 'route_id': \(trip 't6'\) unknown "
         r"route_id 'r_x'"),
        ("stops.txt", "31.19598", "north", r"stops\.txt row 2, field 'stop_lat': expected a number"),
        ("stops.txt", "\nzhoushan,", "\nshanghai_hongqiao,", r"stops\.txt row 8, field 'stop_id': duplicate stop_id"),
        ("stops.txt", "stop_lat", "stop_latitude", r"stops\.txt: missing column\(s\) \['stop_lat'\]"),
        ("calendar.txt", "20160310,20160310", "2016-3-10,20160310", r"calendar\.txt row 2, field "
         r"'start_date/end_date': expected dates YYYYMMDD"),
        ("calendar.txt", "daily,1,1,1", "daily,1,1,yes", r"calendar\.txt row 2, field 'wednesday': expected 0 or 1"),
        ("calendar_dates.txt", "20160313,2", "20160313,3", r"calendar_dates\.txt row 2, field 'exception_type'"),
    ],
)  # fmt: skip
def test_data_errors(tiny_dir: Path, tmp_path: Path, name: str, old: str, new: str, match: str) -> None:
    feed = broken(tiny_dir, tmp_path, name, old, new)
    with pytest.raises(DataError, match=match) as e:
        read_gtfs(feed)
    assert str(feed) in str(e.value)  # names the feed


def test_data_errors_collected(tiny_dir: Path, tmp_path: Path) -> None:
    feed = broken(tiny_dir, tmp_path, "stop_times.txt", "t1,08:25:00", "t1,xx")
    text = (feed / "stop_times.txt").read_text(encoding="utf-8").replace("hefei_south,2", "hefei_sth,2")
    (feed / "stop_times.txt").write_text(text, encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"(?s)3 problems.*row 3, field 'arrival_time'.*'xx'.*row 6, field 'stop_id'.*hefei_sth.*row 8",
    ):
        read_gtfs(feed)


@pytest.mark.parametrize("name", ["stops.txt", "stop_times.txt", "trips.txt", "routes.txt"])
def test_missing_file(tiny_dir: Path, tmp_path: Path, name: str) -> None:
    dst = tmp_path / "feed"
    shutil.copytree(tiny_dir, dst)
    (dst / name).unlink()
    (dst / "calendar.txt").unlink()
    (dst / "calendar_dates.txt").unlink()
    with pytest.raises(DataError, match=rf"(?s)2 problems.*{name}: missing file \(required\).*calendar\.txt"):
        read_gtfs(dst)


def test_not_a_feed(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="GTFS feed not found"):
        read_gtfs(tmp_path / "nope.zip")
    bad = tmp_path / "bad.zip"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.zip: not a zip file"):
        read_gtfs(bad)


# ----------------------------------------------------------------------------- earliest arrival
@pytest.mark.parametrize(
    ("origin", "depart", "transfer", "expected"),
    [
        # G7001 08:00 -> Nanjing South 09:30; 15 min misses G7003 (09:40) and takes D3001 (10:00 -> 11:10)
        ("shanghai_hongqiao", "07:50", 15, {"nanjing_south": "09:30", "hefei_south": "11:10", "suzhou_north": "08:25"}),
        # a 10-minute transfer is exactly enough for G7003
        ("shanghai_hongqiao", "07:50", 10, {"hefei_south": "10:40"}),
        ("shanghai_hongqiao", "07:50", 11, {"hefei_south": "11:10"}),
        # G7001 missed: K8001 09:00 -> Nanjing South 11:00 -> Hefei South 13:00 (staying on board)
        ("shanghai_hongqiao", "08:01", 15, {"nanjing_south": "11:00", "hefei_south": "13:00", "suzhou_north": None}),
        # boarding at the origin needs no transfer margin
        ("nanjing_south", "09:40", 15, {"hefei_south": "10:40"}),
        # past midnight, and the unserved stop
        ("hangzhou_east", "23:00", 15, {"jiaxing_south": "24:05", "shanghai_hongqiao": "24:35", "zhoushan": None}),
        ("hangzhou_east", "23:31", 15, {"shanghai_hongqiao": None}),
        ("zhoushan", "06:00", 15, {"zhoushan": "06:00", "shanghai_hongqiao": None}),
    ],
)
def test_earliest_arrival_by_hand(
    tiny: Timetable, origin: str, depart: str, transfer: float, expected: dict[str, str | None]
) -> None:
    ea = earliest_arrival(tiny, origin, depart, min_transfer_min=transfer)
    assert ea.shape == (1, 7) and ea.index.name == "origin"
    for stop, t in expected.items():
        assert ea.loc[origin, stop] == (np.inf if t is None else hms(t)), stop


def test_earliest_arrival_vectorised(tiny: Timetable) -> None:
    origins = list(tiny.stops.index)
    many = earliest_arrival(tiny, origins, hms("07:00"))
    for o in origins:
        pd.testing.assert_frame_equal(many.loc[[o]], earliest_arrival(tiny, o, hms("07:00")))


def test_earliest_arrival_arguments(tiny: Timetable) -> None:
    with pytest.raises(DataError, match=r"unknown stop id\(s\) \['nanjing_sth'\].*nanjing_south"):
        earliest_arrival(tiny, ["nanjing_sth"], "08:00")
    with pytest.raises(ValueError, match="depart_at must be 'HH:MM'"):
        earliest_arrival(tiny, "nanjing_south", "8 am")
    with pytest.raises(ValueError, match="min_transfer_min must be a finite number >= 0"):
        earliest_arrival(tiny, "nanjing_south", "08:00", min_transfer_min=-1)
    with pytest.raises(ValueError, match="window must end after it starts"):
        TimetableParams(window=("21:00", "07:00"))


def test_params_default_used(tiny: Timetable) -> None:
    ea5 = earliest_arrival(tiny, "shanghai_hongqiao", "07:50", params=TimetableParams(min_transfer_min=5))
    assert ea5.loc["shanghai_hongqiao", "hefei_south"] == hms("10:40")
    assert TimetableParams().min_transfer_min == 15.0
    ea = earliest_arrival(tiny, "shanghai_hongqiao", "07:50")
    assert ea.loc["shanghai_hongqiao", "hefei_south"] == hms("11:10")


# ----------------------------------------------------------------------------- pair table
def test_pair_table_by_hand(tiny: Timetable) -> None:
    pt = pair_table(tiny, min_transfer_min=15).set_index(["origin", "destination"])
    assert "zhoushan" not in set(pt.index.get_level_values(0)) | set(pt.index.get_level_values(1))
    assert not any(o == d for o, d in pt.index)
    r = pt.loc[("shanghai_hongqiao", "nanjing_south")]
    assert (r.fastest_min, r.fastest_direct_min, r.direct_trains, r.fastest_train) == (90.0, 90.0, 2, "G7001")
    # show up 07:00-08:00 (61 minutes): G7001, arrive 09:30; 08:01-09:00 (60): K8001, arrive 11:00
    t = np.arange(420, 541)
    arrive = np.where(t <= 480, 570, 660)
    dep = np.where(t <= 480, 480, 540)
    assert r.mean_min == pytest.approx(np.mean(arrive - t))
    assert r.mean_wait_min == pytest.approx(np.mean(dep - t))
    assert r.window_share == pytest.approx(121 / 840)
    r = pt.loc[("shanghai_hongqiao", "hefei_south")]
    assert (r.fastest_min, r.fastest_direct_min, r.direct_trains, r.fastest_train) == (190.0, 240.0, 1, "K8001")
    r = pt.loc[("hangzhou_east", "shanghai_hongqiao")]  # past midnight: 23:30 -> 24:35
    assert r.fastest_min == 65.0 and r.window_share == 1.0
    r = pt.loc[("shanghai_hongqiao", "jiaxing_south")]  # G7501 to Hangzhou East, then the night train
    assert r.fastest_min == hms("24:05") / 60 - 7.5 * 60 and np.isnan(r.fastest_direct_min)
    assert r.direct_trains == 0 and r.fastest_train is None
    pt5 = pair_table(tiny, min_transfer_min=5).set_index(["origin", "destination"])
    assert pt5.loc[("shanghai_hongqiao", "hefei_south"), "fastest_min"] == 160.0  # G7001 + G7003
    assert len(pt) == 11


def test_pair_table_stations_and_window(tiny: Timetable) -> None:
    few = ["shanghai_hongqiao", "hefei_south", "zhoushan"]
    pt = pair_table(tiny, stations=few, min_transfer_min=15)
    assert list(zip(pt.origin, pt.destination, strict=True)) == [("shanghai_hongqiao", "hefei_south")]
    full = pair_table(tiny, min_transfer_min=15).set_index(["origin", "destination"])
    pd.testing.assert_series_equal(
        pt.set_index(["origin", "destination"]).iloc[0],
        full.loc[("shanghai_hongqiao", "hefei_south")],
        check_names=False,
    )
    late = pair_table(tiny, window=("22:00", "23:00"), min_transfer_min=15).set_index(["origin", "destination"])
    assert np.isnan(late.loc[("shanghai_hongqiao", "hefei_south"), "mean_min"])
    assert late.loc[("hangzhou_east", "shanghai_hongqiao"), "mean_min"] == pytest.approx(
        np.mean(hms("24:35") / 60 - np.arange(1320, 1380))
    )
    with pytest.raises(DataError, match="stations: unknown stop id"):
        pair_table(tiny, stations=["atlantis"])


def check_pair_invariants(tt: Timetable, pt: pd.DataFrame) -> None:
    assert (pt["origin"] != pt["destination"]).all()
    assert np.isfinite(pt["fastest_min"]).all() and (pt["fastest_min"] >= 0).all()
    has = pt["fastest_direct_min"].notna()
    assert (pt.loc[has, "fastest_min"] <= pt.loc[has, "fastest_direct_min"]).all()
    m = pt["mean_min"].notna()
    assert (pt.loc[m, "mean_min"] >= pt.loc[m, "fastest_min"] - 1e-9).all()
    assert (pt.loc[m, "mean_wait_min"] >= 0).all()
    assert (pt.loc[m, "mean_min"] - pt.loc[m, "mean_wait_min"] >= pt.loc[m, "fastest_min"] - 1e-9).all()
    assert ((pt["window_share"] >= 0) & (pt["window_share"] <= 1)).all()
    assert ((pt["direct_trains"] > 0) == has).all() and (pt["fastest_train"].notna() == has).all()
    # direct trains: a brute count from the stop events, trip by trip
    brute: dict[tuple[str, str], set[int]] = {}
    ids = tt.stops.index
    for t in np.unique(tt.event_trip):
        calls = [ids[s] for s in tt.event_stop[tt.event_trip == t]]
        for i, o in enumerate(calls):
            for d in calls[i + 1 :]:
                if o != d:
                    brute.setdefault((o, d), set()).add(int(t))
    got = pt[has].set_index(["origin", "destination"])["direct_trains"].to_dict()
    assert got == {k: len(v) for k, v in brute.items()}


def test_pair_table_invariants_tiny(tiny: Timetable) -> None:
    check_pair_invariants(tiny, pair_table(tiny))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pair_table_mean_brute(tmp_path: Path, seed: int) -> None:
    """mean_min and mean_wait_min against a minute-by-minute loop of earliest_arrival."""
    tt = read_gtfs(write_random_feed(tmp_path / "feed", seed))
    pt = pair_table(tt, window=("08:00", "10:00"), min_transfer_min=7)
    check_pair_invariants(tt, pt)
    pt = pt.set_index(["origin", "destination"])
    o = tt.stops.index[tt.dep_stop[0]]
    minutes = np.arange(hms("08:00"), hms("10:00"), 60.0)
    deps = np.unique(tt.dep_time[tt.dep_stop == tt.stop_index[o]])
    at_dep = np.vstack([earliest_arrival(tt, o, float(t), min_transfer_min=7).to_numpy()[0] for t in deps])
    at_minute = np.vstack([earliest_arrival(tt, o, float(t), min_transfer_min=7).to_numpy()[0] for t in minutes])
    for d in tt.stops.index:
        if d == o or (o, d) not in pt.index:
            continue
        j = tt.stop_index[d]
        travel, wait = [], []
        for t, a in zip(minutes, at_minute[:, j], strict=True):
            if np.isfinite(a):
                travel.append(a - t)
                wait.append(max(deps[(deps >= t) & (at_dep[:, j] == a)]) - t)
        r = pt.loc[(o, d)]
        if travel:
            assert r.mean_min == pytest.approx(np.mean(travel) / 60)
            assert r.mean_wait_min == pytest.approx(np.mean(wait) / 60)
            assert r.window_share == pytest.approx(len(travel) / len(minutes))
        else:
            assert np.isnan(r.mean_min)


# ----------------------------------------------------------------------------- oracle
def test_oracle_tiny(tiny: Timetable) -> None:
    for transfer in (0, 10, 15):
        check_against_oracle(tiny, list(tiny.stops.index), transfer, [hms("06:00"), hms("07:45"), hms("23:00")])


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_oracle_random(tmp_path: Path, seed: int) -> None:
    tt = read_gtfs(write_random_feed(tmp_path / "feed", seed))
    rng = random.Random(seed)
    transfer = rng.choice([0, 3, 10])
    starts = [hms("05:00"), float(rng.randrange(6 * 3600, 20 * 3600, 60))]
    check_against_oracle(tt, list(tt.stops.index), transfer, starts)


@needs_shipped
@pytest.mark.slow
def test_oracle_shipped(shipped: Timetable) -> None:
    rng = random.Random(2016)
    served = sorted({shipped.stops.index[s] for s in shipped.dep_stop})
    origins = rng.sample(served, min(20, len(served)))
    # earliest arrivals from 20 origins; the fastest-trip profile (one oracle Dijkstra per
    # departure) from 8 of them
    check_against_oracle(shipped, origins, 15, [hms("06:00"), hms("08:30"), hms("17:00")], rng.sample(origins, 8))


@needs_shipped
def test_shipped_feed(shipped: Timetable) -> None:
    assert shipped.date is not None and str(shipped.date) == "2016-03-10"
    assert shipped.n_trips > 100 and shipped.n_stops > 100
    assert set(shipped.trips["train_class"]) <= {"G", "D", "C"}
    pt = pair_table(shipped)
    check_pair_invariants(shipped, pt)
    pt = pt.set_index(["origin", "destination"])
    for pair, lo, hi in [
        (("shanghai_hongqiao", "nanjing_south"), 60, 90),
        (("shanghai_hongqiao", "hangzhou_east"), 40, 60),
        (("hefei_south", "nanjing_south"), 45, 70),
    ]:
        assert lo <= pt.loc[pair, "fastest_min"] <= hi, pair

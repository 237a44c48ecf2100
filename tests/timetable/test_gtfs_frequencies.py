"""Headway-based trips (frequencies.txt) in yrdnet's GTFS reader: expanded into timed runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from yrdnet import DataError
from yrdnet.testing import tiny_feed
from yrdnet.timetable import pair_table, read_gtfs

H = 3600.0


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    return tiny_feed(tmp_path)


def write_freq(feed: Path, rows: str, header: str = "trip_id,start_time,end_time,headway_secs,exact_times") -> None:
    (feed / "frequencies.txt").write_text(f"{header}\n{rows}", encoding="utf-8")


def test_template_runs_at_each_headway(feed: Path) -> None:
    # t1: Shanghai Hongqiao 08:00 -> Suzhou North 08:25/08:27 -> Nanjing South 09:30
    write_freq(feed, "t1,07:00:00,09:00:00,1800,0\n")
    tt = read_gtfs(feed)
    base = read_gtfs(tiny_feed(feed.parent / "plain"))
    runs = [t for t in tt.trips.index if t.startswith("t1@")]
    assert runs == ["t1@07:00:00", "t1@07:30:00", "t1@08:00:00", "t1@08:30:00"]  # 09:00 is the end: excluded
    assert "t1" not in tt.trips.index  # the template itself does not run
    assert list(tt.trips.index[:5]) == [*runs, "t2"]  # its runs stand where it stood in trips.txt
    assert tt.n_trips == base.n_trips - 1 + 4
    assert (tt.trips.loc[runs, "train"] == "G7001").all()
    # each run keeps the template's times relative to its first departure
    for k, run in enumerate(runs):
        i = tt.trips.index.get_loc(run)
        ev = tt.event_trip == i
        t0 = 7 * H + k * 1800
        np.testing.assert_array_equal(tt.event_departure[ev], [t0, t0 + 27 * 60, t0 + 90 * 60])
        np.testing.assert_array_equal(tt.event_arrival[ev], [t0, t0 + 25 * 60, t0 + 90 * 60])
    pt = pair_table(tt).set_index(["origin", "destination"])
    assert pt.loc[("shanghai_hongqiao", "nanjing_south"), "direct_trains"] == 4 + 1  # the 4 runs and K8001
    assert pt.loc[("shanghai_hongqiao", "nanjing_south"), "fastest_direct_min"] == 90.0


def test_explicit_trips_equal_their_template(feed: Path, tmp_path: Path) -> None:
    """A frequencies.txt feed reads as the same feed with every run written out."""
    write_freq(feed, "t4,06:00:00,07:00:00,1200,1\nt4,10:00:00,10:30:00,900,\n")
    tt = read_gtfs(feed)
    explicit = tmp_path / "explicit"
    shutil.copytree(feed, explicit)
    (explicit / "frequencies.txt").unlink()
    trips = (explicit / "trips.txt").read_text(encoding="utf-8").replace("r_g,daily,t4,G7501\n", "")
    st = [r for r in (explicit / "stop_times.txt").read_text(encoding="utf-8").splitlines() if not r.startswith("t4,")]
    for t0 in ("06:00:00", "06:20:00", "06:40:00", "10:00:00", "10:15:00"):
        h, m, _ = (int(x) for x in t0.split(":"))
        arr = f"{h + 1:02d}:{m:02d}:00"  # t4 runs 60 min
        trips += f"r_g,daily,t4@{t0},G7501\n"
        st += [f"t4@{t0},{t0},{t0},shanghai_hongqiao,1", f"t4@{t0},{arr},{arr},hangzhou_east,2"]
    (explicit / "trips.txt").write_text(trips, encoding="utf-8")
    (explicit / "stop_times.txt").write_text("\n".join(st) + "\n", encoding="utf-8")
    ex = read_gtfs(explicit)
    assert sorted(tt.trips.index) == sorted(ex.trips.index)
    for k in ("dep_time", "arr_time", "dep_stop", "arr_stop"):
        np.testing.assert_array_equal(getattr(tt, k), getattr(ex, k))
    np.testing.assert_array_equal(tt.trips.index[tt.trip], ex.trips.index[ex.trip])


def test_frequency_of_a_trip_not_running_that_day_is_ignored(feed: Path) -> None:
    write_freq(feed, "t7,07:00:00,08:00:00,600,0\n")  # t7's service starts the next day
    tt = read_gtfs(feed)
    assert not [t for t in tt.trips.index if t.startswith("t7")]
    assert len(read_gtfs(feed, date="2016-03-11").trips.filter(like="t7@", axis=0)) == 6


def test_bad_rows_reported_together(feed: Path) -> None:
    write_freq(
        feed,
        "t1,07:00:00,09:00:00,0,0\n"  # row 2: headway 0
        "t9,07:00:00,09:00:00,600,0\n"  # row 3: unknown trip
        "t2,09:00:00,08:00:00,600,0\n"  # row 4: ends before it starts
        "t3,7h,08:00:00,600,0\n"  # row 5: bad time
        "t4,07:00:00,08:00:00,600,2\n"  # row 6: bad exact_times
        "t5,07:00:00,08:00:00,600,0\n"
        "t5,07:30:00,09:00:00,600,0\n",  # row 8: overlaps row 7
    )
    with pytest.raises(DataError) as e:
        read_gtfs(feed)
    msg = str(e.value)
    assert "6 problems" in msg
    for row, field, what in (
        (2, "headway_secs", "positive whole number of seconds, found '0'"),
        (3, "trip_id", "unknown trip_id"),
        (4, "end_time", "after start_time 09:00:00, found 08:00:00"),
        (5, "start_time", "expected a time H:MM:SS, found '7h'"),
        (6, "exact_times", "expected 0, 1 or empty, found '2'"),
        (8, "start_time", "overlaps an earlier row"),
    ):
        assert f"frequencies.txt row {row}, field '{field}'" in msg and what in msg, (row, msg)


def test_missing_column(feed: Path) -> None:
    write_freq(feed, "t1,07:00:00,09:00:00\n", header="trip_id,start_time,end_time")
    with pytest.raises(DataError, match=r"frequencies\.txt: missing column\(s\) \['headway_secs'\]"):
        read_gtfs(feed)

"""Timetable feeds by year: the registry, the nearest-feed rule per train class, running factors, fallback.

These tests write a small synthetic 2023 feed over the shipped one in a copy of the data
folder (two services, one running factor) and check which feed and class each year
takes.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pandas as pd
import pytest

import yrdnet
from yrdnet.core.errors import DataError
from yrdnet.network.feeds import nearest_feed, timetable_feeds
from yrdnet.network.history import network_of_year, timetable_for_year
from yrdnet.network.service_levels import class_top_speed, service_stop_times
from yrdnet.network.services import load_services
from yrdnet.network.track import line_segments, load_line_factors, run_seconds

SNI = "shanghai_nanjing_intercity"
NQ = "nanjing_qidong_railway"  # upgraded line, opened 2016: K trains run on it


def _write_2023(data: Path, *, factors: bool = True) -> None:
    """A synthetic 2023 feed: a non-stop G Shanghai–Nanjing (50 a day) and an all-stop K on the Nanjing–Qidong line."""
    lines = yrdnet.load_lines()
    sni, nq = list(lines.at[SNI, "stops"]), list(lines.at[NQ, "stops"])
    rows = [
        ("tt2023_0001", sni, [sni[0], sni[-1]], "G", 50, "non-stop", SNI),
        ("tt2023_0002", nq, nq, "K", 5, "all-stop", NQ),
    ]
    df = pd.DataFrame(
        [
            {"service_id": i, "route": ";".join(r), "stops": ";".join(s), "train_class": c, "trains_per_day": n,
             "pattern": p, "lines": ln, "source": "synthetic test feed"}
            for i, r, s, c, n, p, ln in rows
        ]
    )  # fmt: skip
    df.to_csv(data / "services_2023.csv", index=False)
    if not factors:
        (data / "line_running_2023.csv").unlink(missing_ok=True)  # the shipped one, if the copy has it
    else:
        pd.DataFrame(
            [{"line_id": SNI, "speed_factor": 0.5, "segments_in_2023_services": 20, "source": "synthetic"}]
        ).to_csv(data / "line_running_2023.csv", index=False)


def test_nearest_feed_rule() -> None:
    assert [nearest_feed(y, [2016, 2023]) for y in (2010, 2019, 2020, 2035)] == [2016, 2016, 2023, 2023]
    assert nearest_feed(2018, [2016, 2020]) == 2016  # a tie goes to the earlier feed
    assert nearest_feed(None, [2016, 2023]) == 2023
    with pytest.raises(ValueError, match="no timetable feed"):
        nearest_feed(2010, [])


def test_shipped_registry_and_fallback(caplog: pytest.LogCaptureFixture) -> None:
    assert [(f.year, f.services.name) for f in timetable_feeds()] == [
        (2016, "services.csv"),
        (2023, "services_2023.csv"),
    ]
    with caplog.at_level(logging.WARNING, logger="yrdnet.network.feeds"):
        import yrdnet.network.feeds as feeds

        feeds._logged.clear()
        tt = timetable_for_year(2024)
    if not (yrdnet.get_path("region.toml").parent / "services_2023.csv").is_file():
        assert tt.feed == 2016  # falls back to the feed that is there
        assert "services_2023.csv is declared in region.toml but not present" in caplog.text
    with pytest.raises(
        DataError, match=r"no timetable feed 1999 is declared in region.toml; declared feeds: \[2016, 2023\]"
    ):
        load_services(feed=1999)


def test_year_takes_nearest_feed_per_class(data_copy: Path) -> None:
    _write_2023(data_copy)
    old = timetable_for_year(2015)
    assert old.feed == 2016 and old.feeds == (2016, 2023)
    classes16 = set(load_services()["train_class"])  # G and D (no C train in the 2016 YRD feed)
    assert old.class_feeds == {**dict.fromkeys(classes16, 2016), "K": 2023}
    assert list(old.extra.index) == ["tt2023_0002"]  # conventional trains come from 2023 in every year
    assert old.covered == frozenset(str(x) for lns in load_services()["lines"] for x in lns)
    new = timetable_for_year(2020)
    assert new.feed == 2023 and set(new.services.index) == {"tt2023_0001", "tt2023_0002"}
    assert new.class_feeds["G"] == 2023 and new.class_feeds["D"] == 2016  # 2023 (synthetic) has no D: 2016's
    assert set(new.extra["train_class"]) == classes16 - {"G"}
    assert new.covered == frozenset({SNI, NQ})  # coverage is the year's feed's
    # running factors: the year's feed, then the other feed for a line it lacks
    f16 = load_line_factors()
    assert new.factors[SNI] == 0.5 and old.factors[SNI] == f16[SNI]
    assert new.factors["beijing_shanghai_hsr"] == f16["beijing_shanghai_hsr"]
    assert load_line_factors(feed=2023) == {SNI: 0.5}


def test_missing_factors_of_a_feed_fall_back(data_copy: Path) -> None:
    _write_2023(data_copy, factors=False)
    tt = timetable_for_year(2022)
    assert tt.feed == 2023 and tt.factors == load_line_factors(feed=2016)
    with pytest.raises(DataError, match=r"timetable feed 2023: line_running file .*line_running_2023\.csv not found"):
        load_line_factors(feed=2023)


def test_graph_uses_2023_services_from_2020(data_copy: Path) -> None:
    _write_2023(data_copy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g21 = yrdnet.build_graph("baseline", year=2021)
        g19 = yrdnet.build_graph("baseline", year=2019)
    ran21 = {(d["service"], d["train_class"]) for *_, d in g21.edges(data=True) if d["mode"] == "rail"}
    ran19 = {(d["service"], d["train_class"]) for *_, d in g19.edges(data=True) if d["mode"] == "rail"}
    assert ("tt2023_0001", "G") in ran21
    assert {c for s, c in ran21 if s.startswith("tt2016_")} == {"D"}  # 2016 only for the class 2023 lacks
    assert not any(s.startswith("tt2023_") for s, _ in ran19) and ("tt2016_0001", "G") in ran19
    assert (g21.graph["timetable_feed"], g19.graph["timetable_feed"]) == (2023, 2016)
    # the 2016 K train of a 2016 year runs on the track open that year: the Nanjing–Qidong line opened 2016
    st, lines = yrdnet.load_stations(), yrdnet.load_lines()
    net15, net16 = (network_of_year(lines, st, y) for y in (2015, 2016))
    assert NQ not in net15.lines.index and NQ in net16.lines.index
    assert net16.extra is not None and "tt2023_0002" in net16.extra.index


def test_conventional_trains_run_at_their_class_speed() -> None:
    m = yrdnet.TravelTimeModel()
    assert (class_top_speed("K", m), class_top_speed("T", m), class_top_speed("Z", m)) == (120.0, 140.0, 160.0)
    assert class_top_speed("G", m) == float("inf") and class_top_speed("D", m) == m.d_train_max_kph
    lines, st = yrdnet.load_lines(), yrdnet.load_stations()
    stops = list(lines.at[NQ, "stops"])
    sv = pd.DataFrame(
        {"route": [stops, stops], "stops": [stops[:2], stops[:2]], "train_class": ["G", "K"], "lines": [[NQ], [NQ]]},
        index=["g", "k"],
    )
    by_line = line_segments(lines.loc[[NQ]], st, m)
    segs = {(a, b): s for (_, a, b), s in by_line.items()}
    sv["route"] = [stops[:2], stops[:2]]
    (_, _, arr_g, _, _), (_, _, arr_k, _, _) = service_stop_times(sv, segs, m, by_line)
    seg = by_line[(NQ, stops[0], stops[1])]
    assert arr_k[-1] == pytest.approx(run_seconds([seg], 120.0, m.rail_accel_ms2))
    assert arr_k[-1] > arr_g[-1]


def test_train_class_choices(tmp_path: Path) -> None:
    src = load_services()
    p = tmp_path / "services.csv"
    df = pd.read_csv(yrdnet.get_path("services.csv"), dtype=str, keep_default_na=False)
    df.loc[0, "train_class"] = "K"
    df.loc[1, "train_class"] = "X"
    df.to_csv(p, index=False)
    with pytest.raises(
        DataError,
        match=r"row 3, field 'train_class': expected one of \['G', 'D', 'C', 'K', 'T', 'Z', 'P', 'Y'\], found 'X'",
    ):
        load_services(p)
    df.loc[1, "train_class"] = "Z"
    df.to_csv(p, index=False)
    assert list(load_services(p)["train_class"][:2]) == ["K", "Z"] and len(src) == len(df)


def test_bad_timetable_registry(data_copy: Path) -> None:
    p = data_copy / "region.toml"
    p.write_text(p.read_text(encoding="utf-8").replace("year = 2023", "year = 2016"), encoding="utf-8")
    with pytest.raises(DataError, match=r"timetables #2: feed year 2016 declared twice"):
        timetable_feeds()

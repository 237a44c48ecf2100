"""The network as it stood in a year: station dates, closed sections, restricted lines and services."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from functools import cache
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.core.errors import DataError
from yrdnet.network.history import (
    SPEED_SET_COLUMN,
    lines_in_year,
    network_of_year,
    open_stations,
    restrict_lines,
    restrict_services,
    station_is_open,
    year_speeds,
)
from yrdnet.network.track import line_segments
from yrdnet.scenarios.scenario import Scenario, build_graph, load_scenario

SH, NJ, HF = 310000, 320100, 340100


@cache
def _graph(year: int) -> nx.MultiDiGraph:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return yrdnet.build_graph("baseline", year=year)


# ------------------------------------------------------------------ the rules, on small tables
def test_station_open_rule() -> None:
    st = pd.DataFrame(
        {
            "opened": pd.array([None, 2011, None, 2010], dtype="Int64"),
            "closed": pd.array([None, None, 2010, 2013], dtype="Int64"),
            "reopened": pd.array([None, None, 2013, None], dtype="Int64"),
        },
        index=["old", "new", "rebuilt", "temporary"],
    )
    got = {y: sorted(open_stations(st, y)) for y in (2009, 2010, 2012, 2013)}
    assert got == {
        2009: ["old", "rebuilt"],
        2010: ["old", "temporary"],
        2012: ["new", "old", "temporary"],
        2013: ["new", "old", "rebuilt"],
    }
    assert station_is_open(st, None).all()
    # a station without date columns (a scenario's new one) is open
    assert open_stations(pd.DataFrame(index=["x"]), 2010) == frozenset({"x"})


def test_lines_in_year_honours_closed() -> None:
    lines = pd.DataFrame(
        {
            "status": ["open", "open", "planned"],
            "opened": pd.array([2008, 2011, None], dtype="Int64"),
            "closed": pd.array([2011, None, None], dtype="Int64"),
        },
        index=["temporary", "main", "plan"],
    )
    assert list(lines_in_year(lines, 2010).index) == ["temporary"]
    assert list(lines_in_year(lines, 2011).index) == ["main"]
    assert list(lines_in_year(lines, None).index) == ["main"]  # today's network: no closed section


def test_restrict_lines_merges_and_drops() -> None:
    lines = pd.DataFrame({"stops": [["a", "b", "c"], ["c", "d"]]}, index=["l1", "l2"])
    out = restrict_lines(lines, frozenset({"a", "c"}))
    assert list(out.index) == ["l1"]  # l2 keeps one open stop: it does not run
    assert out.at["l1", "stops"] == ["a", "c"] and out.at["l1", "track_stops"] == ["a", "b", "c"]
    assert lines.at["l1", "stops"] == ["a", "b", "c"]  # the input is untouched


def test_restrict_services_shortens_and_drops() -> None:
    s = pd.DataFrame(
        {
            "route": [["a", "b", "c", "d"], ["a", "b", "c", "d"], ["a", "b"], ["c", "d"]],
            "stops": [["a", "c", "d"], ["a", "b", "d"], ["a", "b"], ["c", "d"]],
            "pattern": ["limited-stop", "limited-stop", "all-stop", "all-stop"],
        },
        index=["s1", "s2", "s3", "s4"],
    )
    out = restrict_services(s, frozenset({"b", "c", "d"}))
    assert list(out.index) == ["s1", "s2", "s4"]  # s3 keeps one stop
    assert out.at["s1", "stops"] == ["c", "d"] and out.at["s1", "route"] == ["c", "d"]  # terminal gone: shorter
    assert out.at["s2", "stops"] == ["b", "d"] and out.at["s2", "route"] == ["b", "c", "d"]
    assert out.at["s2", "pattern"] == "non-stop" and out.at["s1", "pattern"] == "all-stop"
    assert restrict_services(s, None) is s


# ------------------------------------------------------------------ the shipped data
def test_curated_station_dates() -> None:
    st = yrdnet.load_stations()
    assert int(st.at["nanjing_south", "opened"]) == 2011
    assert int(st.at["hefei_south", "opened"]) == 2014
    assert int(st.at["shanghai_hongqiao", "opened"]) == 2010
    assert (int(st.at["hangzhou_east", "closed"]), int(st.at["hangzhou_east", "reopened"])) == (2010, 2013)
    assert st.loc[["nanjing_south", "hefei_south"], "dates_source"].str.startswith("curated").all()
    # a station without a curated row opens with its earliest open line
    assert int(st.at["feidong", "opened"]) == 2008 and st.at["feidong", "dates_source"].startswith("derived")
    ok2010 = open_stations(st, 2010)
    assert {"nanjing", "hefei", "hangzhou", "ningbo_east"} <= ok2010
    assert not {"nanjing_south", "hefei_south", "hangzhou_east", "ningbo"} & ok2010


def test_merged_segment_is_the_sum_of_the_two() -> None:
    """2015: Hangzhou South was being rebuilt; the Hangzhou–Ningbo HSR runs through it."""
    lines, st, m = yrdnet.load_lines(), yrdnet.load_stations(), yrdnet.TravelTimeModel()
    net = network_of_year(lines, st, 2015, yrdnet.load_services())
    lid = "hangzhou_ningbo_hsr"
    assert "hangzhou_south" not in net.lines.at[lid, "stops"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        merged = line_segments(net.lines.loc[[lid]], st, m)
        full = line_segments(lines.loc[[lid]], st, m)
    a, b = full[(lid, "hangzhou_east", "hangzhou_south")].km, full[(lid, "hangzhou_south", "shaoxing_north")].km
    assert merged[(lid, "hangzhou_east", "shaoxing_north")].km == pytest.approx(a + b)


def test_no_rail_edge_at_a_station_before_it_opened() -> None:
    st = yrdnet.load_stations()
    for year in (2010, 2012, 2014, 2016):
        G = _graph(year)
        ok = open_stations(st, year)
        halls = {n[3:] for n, k in G.nodes(data="kind") if k == "station"}
        assert halls <= ok, (year, sorted(halls - ok))
        touched = {x[3:] for u, v, mode in G.edges(data="mode") if mode == "rail" for x in (u, v)}
        assert touched <= ok, (year, sorted(touched - ok))
    assert "st:nanjing_south" not in _graph(2010) and "st:hefei_south" not in _graph(2012)


def _city_halls(G: nx.MultiDiGraph, city: int) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d.get("kind") == "station" and d.get("city") == city]


def test_2010_has_a_rail_path_shanghai_nanjing_hefei() -> None:
    """Shanghai–Nanjing intercity to 南京站, then the Hefei–Nanjing railway as run in 2010 to 合肥站."""
    G = _graph(2010)
    rail = G.edge_subgraph([(u, v, k) for u, v, k, m in G.edges(keys=True, data="mode") if m == "rail"])
    for a, b in ((SH, NJ), (NJ, HF), (SH, HF)):
        assert any(
            o in rail and d in rail and nx.has_path(rail, o, d) for o in _city_halls(G, a) for d in _city_halls(G, b)
        ), (a, b)
    T = yrdnet.travel_times(G, mode="rail", warn_unreachable=False)
    assert np.isfinite(T.loc[SH, HF]) and T.loc[SH, HF] < T.loc[SH, NJ] + T.loc[NJ, HF] + 60


def test_temporary_alignments_run_only_in_their_years() -> None:
    lines = set(_graph(2010).graph["lines"].split(";"))
    assert {
        "hefei_nanjing_railway_2008",
        "hefei_wuhan_railway_2009",
        "ningbo_taizhou_wenzhou_railway_ningbo_east",
    } <= lines
    lines16 = set(_graph(2016).graph["lines"].split(";"))
    assert not {x for x in lines16 if x.endswith(("_2008", "_2009", "_2011", "_ningbo_east"))}


# ------------------------------------------------------------------ validation
def test_closed_must_follow_opened(data_copy) -> None:  # type: ignore[no-untyped-def]
    p = data_copy / "lines.csv"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    row = int(np.flatnonzero(df["line_id"] == "hefei_nanjing_railway_2008")[0])
    df.loc[row, "closed"] = "2007"
    df.to_csv(p, index=False)
    with pytest.raises(
        DataError, match=rf"lines\.csv.*row {row + 2}, field 'closed': expected a year after opened 2008"
    ):
        yrdnet.load_lines()


def test_bad_station_dates_named(data_copy) -> None:  # type: ignore[no-untyped-def]
    p = data_copy / "station_dates.csv"
    with p.open("a", encoding="utf-8") as f:
        f.write("nanjing_sooth,2011,,,x\n")
        f.write("wuxi,,,2015,y\n")
        f.write("suzhou,2012,2011,,z\n")
    with pytest.raises(DataError) as ei:
        yrdnet.load_stations()
    msg = str(ei.value)
    assert "station_dates.csv" in msg
    assert "unknown station id of stations.csv 'nanjing_sooth'" in msg or "'nanjing_sooth'" in msg
    assert "closest valid: nanjing_south" in msg
    assert "field 'reopened': a station can only reopen after a closing year" in msg
    assert "field 'closed': expected a year after opened 2012, found 2011" in msg


# ------------------------------------------------------------------ speeds by year
def _speed_lines() -> pd.DataFrame:
    return pd.DataFrame(
        {"status": "open", "opened": pd.array([2008, 2010], dtype="Int64"), "operating_speed_kph": [200, 300]},
        index=pd.Index(["a", "b"], name="line_id"),
    )


def test_year_speed_rule_joins_periods_by_line() -> None:
    periods = pd.DataFrame(
        {"line_id": ["b", "a"], "from_year": [2010, 2012], "to_year": [2010, 2014], "operating_speed_kph": [350, 250]}
    )
    lines = _speed_lines()
    speed = {y: lines_in_year(lines, y, periods)["operating_speed_kph"].to_dict() for y in (2010, 2011, 2014, 2015)}
    assert speed == {
        2010: {"a": 200, "b": 350},
        2011: {"a": 200, "b": 300},  # no period covers 2011: lines.csv
        2014: {"a": 250, "b": 300},
        2015: {"a": 200, "b": 300},
    }
    assert lines_in_year(lines, None, periods)["operating_speed_kph"].to_dict() == {"a": 200, "b": 300}
    assert year_speeds(lines, 2010, periods.iloc[::-1]).equals(year_speeds(lines, 2010, periods))
    assert lines["operating_speed_kph"].tolist() == [200, 300]  # the input is not modified


def test_a_scenario_speed_wins_over_the_periods() -> None:
    periods = pd.DataFrame({"line_id": ["a", "b"], "from_year": 2010, "to_year": 2010, "operating_speed_kph": 350})
    lines = _speed_lines()
    lines["operating_speed_kph"] = [220, 300]
    lines[SPEED_SET_COLUMN] = [True, False]
    assert year_speeds(lines, 2010, periods)["operating_speed_kph"].to_dict() == {"a": 220, "b": 350}


def _sh_nj(G: nx.MultiDiGraph) -> float:
    return float(yrdnet.station_times(G, ["shanghai", "nanjing"]).loc["shanghai", "nanjing"])


@cache
def _sh_nj_without_periods() -> dict[int, float]:
    """上海–南京 by year as the data would give it with no period (lines.csv speeds every year)."""
    with tempfile.TemporaryDirectory() as d:
        dst = Path(d) / "data"
        shutil.copytree(yrdnet.get_path("cities.csv").parent, dst)
        (dst / "line_speeds.csv").write_text("line_id,from_year,to_year,operating_speed_kph,source\n", encoding="utf-8")
        with yrdnet.settings.override(data_folder=dst), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return {y: _sh_nj(yrdnet.build_graph("baseline", year=y)) for y in (2010, 2012)}


def test_shanghai_nanjing_faster_in_2010_by_the_speed_change() -> None:
    """沪宁城际 ran 350 in 2010 and 300 from 2011-07-01 (line_speeds.csv): the 2010 time is the shorter."""
    t2010, t2011, t2012 = (_sh_nj(_graph(y)) for y in (2010, 2011, 2012))
    assert t2010 < t2012 - 2.0, (t2010, t2012)
    assert t2011 == t2012  # no period covers 2011 or 2012
    plain = _sh_nj_without_periods()
    assert plain[2012] == pytest.approx(t2012)  # a year no period covers is unchanged
    assert plain[2010] == pytest.approx(t2012)  # without the period 2010 ran as 2012: the speed is the difference
    net = network_of_year(yrdnet.load_lines(), yrdnet.load_stations(), 2010)
    assert int(net.lines.at["shanghai_nanjing_intercity", "operating_speed_kph"]) == 350


def test_each_line_runs_its_period_speed_else_lines_csv() -> None:
    lines, st = yrdnet.load_lines(), yrdnet.load_stations()
    periods = yrdnet.load_line_speeds()
    for year in (2010, 2012, 2016, 2023, None):
        got = network_of_year(lines, st, year).lines["operating_speed_kph"]
        want = lines.loc[got.index, "operating_speed_kph"].copy()
        if year is not None:
            now = periods[(periods["from_year"] <= year) & (year <= periods["to_year"])]
            want.loc[now["line_id"]] = now["operating_speed_kph"].to_numpy()
        assert got.to_dict() == want.to_dict(), year
    y10 = network_of_year(lines, st, 2010).lines
    changed = y10.index[y10["operating_speed_kph"] != lines.loc[y10.index, "operating_speed_kph"]]
    assert "shanghai_nanjing_intercity" in changed


def test_set_speed_scenario_wins_over_the_history() -> None:
    base = load_scenario("baseline_2010")
    edit = {"op": "set_speed", "line": "shanghai_nanjing_intercity", "speed_kph": 300}
    sc = Scenario(name="sn_300_in_2010", base=base, edits=[edit])
    t = sc.tables()
    net = network_of_year(t.lines, t.stations, sc.effective_year)
    assert int(net.lines.at["shanghai_nanjing_intercity", "operating_speed_kph"]) == 300
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _sh_nj(build_graph(sc)) == pytest.approx(_sh_nj_without_periods()[2010])
        assert _sh_nj(build_graph(base)) == pytest.approx(_sh_nj(_graph(2010)))

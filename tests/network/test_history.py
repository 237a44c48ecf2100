"""The network as it stood in a year: station dates, closed sections, restricted lines and services."""

from __future__ import annotations

import warnings
from functools import cache

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.core.errors import DataError
from yrdnet.network.history import (
    lines_in_year,
    network_of_year,
    open_stations,
    restrict_lines,
    restrict_services,
    station_is_open,
)
from yrdnet.network.track import line_segments

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
    """2010: Hangzhou East was being rebuilt; the Shanghai–Hangzhou HSR runs through it to Hangzhou."""
    lines, st, m = yrdnet.load_lines(), yrdnet.load_stations(), yrdnet.TravelTimeModel()
    net = network_of_year(lines, st, 2010, yrdnet.load_services())
    lid = "shanghai_hangzhou_hsr"
    assert "hangzhou_east" not in net.lines.at[lid, "stops"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        merged = line_segments(net.lines.loc[[lid]], st, m)
        full = line_segments(lines.loc[[lid]], st, m)
    a, b = full[(lid, "linping_south", "hangzhou_east")].km, full[(lid, "hangzhou_east", "hangzhou")].km
    assert merged[(lid, "linping_south", "hangzhou")].km == pytest.approx(a + b)


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

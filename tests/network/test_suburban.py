"""Suburban and cross-boundary urban rail (suburban_lines.csv, yrdnet.network.suburban).

The loader's errors, the edges of a year, the run time shared out along a line, the wait
formula, rail-mode routing on suburban edges, the measured effect of a line's opening,
and the incremental construction against the full build.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet import DataError, TravelTimeModel
from yrdnet.network.delta import apply_delta, lay_delta, rail_delta, rail_state
from yrdnet.network.graph import graph_from_tables
from yrdnet.network.suburban import (
    load_suburban_lines,
    mean_headway_min,
    service_span_hours,
    suburban_lines_of_year,
)
from yrdnet.network.tables import curated_tables
from yrdnet.region.zones import load_zones
from yrdnet.routing.compile import compile_graph
from yrdnet.scenarios.overlay import delta_nodes, lay_copy, overlay
from yrdnet.testing import assert_graph_contract

HEADER = (
    "line_id,name_zh,name_en,kind,opened,closed,stops,run_time_min,headway_peak_min,"
    "headway_offpeak_min,trains_per_day,service_hours,length_km,source\n"
)
GOOD = "ok,线,Line,metro,2015,,nanjing_south;jiangning,20,5,10,,06:00-22:00,,test\n"


def _table(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "suburban_lines.csv"
    p.write_text(HEADER + body, encoding="utf-8")
    return p


def _edges(G: nx.MultiDiGraph, mode: str = "suburban") -> list[tuple[str, str, dict]]:
    return [(u, v, d) for u, v, d in G.edges(data=True) if d["mode"] == mode]


# ------------------------------------------------------------------ loader
def test_shipped_table_loads_sorted_with_known_stops() -> None:
    t = load_suburban_lines()
    assert list(t.index) == sorted(t.index) and len(t) >= 10
    stations = yrdnet.load_stations()
    assert {s for stops in t["stops"] for s in stops} <= set(stations.index)
    assert (t["run_time_min"] > 0).all()
    assert t["opened"].notna().all() and (t["opened"] <= 2025).all()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x,线,L,metro,2015,,nanjing_sooth;jiangning,20,5,10,,,,s\n", "unknown station 'nanjing_sooth'"),
        ("x,线,L,metro,2015,,nanjing_sooth;jiangning,20,5,10,,,,s\n", "closest valid: nanjing_south"),
        ("x,线,L,metro,2015,,nanjing_south,20,5,10,,,,s\n", "expected at least 2 stops, found 1"),
        ("x,线,L,metro,2015,,nanjing_south;jiangning;nanjing_south,20,5,10,,,,s\n", "repeated: ['nanjing_south']"),
        ("x,线,L,metro,2015,2015,nanjing_south;jiangning,20,5,10,,,,s\n", "expected a year after opened 2015"),
        ("x,线,L,metro,2015,,nanjing_south;jiangning,0,5,10,,,,s\n", "field 'run_time_min': expected a value > 0"),
        ("x,线,L,metro,2015,,nanjing_south;jiangning,-3,5,10,,,,s\n", "expected a value > 0, found -3.0"),
        (
            "x,线,L,metro,2015,,nanjing_south;jiangning,20,5,10,,6-22,,s\n",
            "field 'service_hours': expected 'HH:MM-HH:MM'",
        ),
        ("x,线,L,metro,2015,,nanjing_south;jiangning,20,,,,,,s\n", "expected a headway or trains_per_day"),
        ("x,线,L,tram,2015,,nanjing_south;jiangning,20,5,10,,,,s\n", "field 'kind': expected one of"),
        ("x,线,L,metro,1850,,nanjing_south;jiangning,20,5,10,,,,s\n", "field 'opened': expected a year"),
        (GOOD + GOOD, "duplicate id 'ok' (first on row 2)"),
        ("x,线,L,metro,2015,,shanghai_south;shanghai_south_dup,20,5,10,,,,s\n", "unknown station"),
    ],
)
def test_bad_rows_name_the_file_row_and_field(tmp_path: Path, body: str, expected: str) -> None:
    p = _table(tmp_path, body)
    with pytest.raises(DataError) as e:
        load_suburban_lines(p)
    msg = str(e.value)
    assert "suburban_lines.csv" in msg and "row 2" in msg and expected in msg


def test_missing_column_and_no_frequency_with_unverified(tmp_path: Path) -> None:
    p = tmp_path / "suburban_lines.csv"
    p.write_text(HEADER.replace(",run_time_min", "") + "x,线,L,metro,2015,,a;b,5,10,,,,s\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"missing required column\(s\) \['run_time_min'\]"):
        load_suburban_lines(p)
    ok = _table(tmp_path, "x,线,L,metro,2015,,nanjing_south;jiangning,20,,,,,,headway (unverified)\n")
    assert np.isnan(float(load_suburban_lines(ok).at["x", "headway_offpeak_min"]))


def test_consecutive_stops_at_one_point_are_refused(tmp_path: Path) -> None:
    st = pd.read_csv(yrdnet.get_path("stations.csv"))
    twin = st[st["station_id"] == "jiangning"].assign(station_id="jiangning_twin")
    stations = tmp_path / "stations.csv"
    pd.concat([st, twin]).to_csv(stations, index=False)
    p = _table(tmp_path, "x,线,L,metro,2015,,nanjing_south;jiangning;jiangning_twin,20,5,10,,,,s\n")
    with pytest.raises(DataError, match="consecutive stops 'jiangning' and 'jiangning_twin' are at the same point"):
        load_suburban_lines(p, stations_path=stations)


def test_rows_in_any_order_give_the_same_table_and_edges(tmp_path: Path) -> None:
    a = "a,线,L,metro,2015,,nanjing_south;jiangning,20,5,10,,,,s\n"
    b = "b,线,L,suburban_rail,2016,,shanghai_south;jinshanwei,40,,,18,,,s\n"
    t1 = load_suburban_lines(_table(tmp_path, a + b))
    t2 = load_suburban_lines(_table(tmp_path, b + a))
    pd.testing.assert_frame_equal(t1, t2)


# ------------------------------------------------------------------ formulas
def test_service_span_and_mean_headway() -> None:
    assert service_span_hours("06:00-22:00") == 16.0
    assert service_span_hours("05:30-00:30") == 19.0
    with pytest.raises(ValueError, match="clock times"):
        service_span_hours("06:00-25:00")
    m = TravelTimeModel()
    row = pd.Series({"headway_peak_min": 5.0, "headway_offpeak_min": 10.0, "service_hours": "06:00-22:00"}, name="x")
    # 4 peak hours at 5 min, 12 off-peak hours at 10 min
    assert mean_headway_min(row, m) == pytest.approx((4 * 5 + 12 * 10) / 16)
    assert mean_headway_min(row, m.replace(suburban_peak_hours=0.0)) == 10.0
    only_peak = pd.Series({"headway_peak_min": 7.0, "service_hours": "06:00-22:00"}, name="x")
    assert mean_headway_min(only_peak, m) == pytest.approx((4 * 7 + 12 * m.suburban_headway_min) / 16)
    trains = pd.Series({"trains_per_day": 18.0}, name="x")  # no span: the model's service_hours
    assert mean_headway_min(trains, m) == pytest.approx(60 * m.service_hours / 18)
    none = pd.Series({"service_hours": "06:00-22:00"}, name="x")
    assert mean_headway_min(none, m) == m.suburban_headway_min


# ------------------------------------------------------------------ edges of a year
def test_lines_of_a_year_follow_opened_and_closed() -> None:
    m = TravelTimeModel()
    ids = {y: set(suburban_lines_of_year(m, y).index) for y in (2011, 2013, 2014, 2017, 2018, 2025)}
    assert ids[2011] == set()
    assert "jinshan_railway" in ids[2013] and "shanghai_l11_huaqiao" in ids[2013] and "nanjing_s1" not in ids[2013]
    assert "nanjing_s1" in ids[2017] and "nanjing_s1_konggang" not in ids[2017]
    assert "nanjing_s1" not in ids[2018] and {"nanjing_s1_konggang", "nanjing_s7"} <= ids[2018]
    assert ids[2013] <= ids[2025] | {"nanjing_s1"}
    assert suburban_lines_of_year(m.replace(suburban=False), 2025).empty
    every = set(suburban_lines_of_year(m, None).index)
    assert "nanjing_s1" not in every and "nanjing_s1_konggang" in every


def test_hangzhou_shaoxing_and_haining_lines_by_year() -> None:
    """Shaoxing Line 1 runs to Keqiao in 2021 and through to Shaoxing's centre from 2022."""
    m = TravelTimeModel()
    ids = {y: set(suburban_lines_of_year(m, y).index) for y in (2020, 2021, 2022)}
    new = {"hangzhou_haining_intercity", "shaoxing_l1_keqiao", "shaoxing_l1"}
    assert not ids[2020] & new
    assert {"hangzhou_haining_intercity", "shaoxing_l1_keqiao"} <= ids[2021] and "shaoxing_l1" not in ids[2021]
    assert {"hangzhou_haining_intercity", "shaoxing_l1"} <= ids[2022] and "shaoxing_l1_keqiao" not in ids[2022]
    lines = suburban_lines_of_year(m, 2022)
    # the through service keeps the Keqiao section's stops in order and reaches 绍兴 (the railway station)
    assert lines.loc["shaoxing_l1", "stops"][:3] == ["guniangqiao", "yangxunqiao", "china_textile_city"]
    assert "shaoxing" in lines.loc["shaoxing_l1", "stops"]
    assert lines.loc["hangzhou_haining_intercity", "stops"][0] == "linping_south"


@pytest.fixture(scope="module")
def city_2018() -> nx.MultiDiGraph:
    return yrdnet.build_graph("baseline", year=2018)


def test_graph_edges_of_a_year(city_2018: nx.MultiDiGraph) -> None:
    G2017 = yrdnet.build_graph("baseline", year=2017)
    lines17 = {d["line"] for *_, d in _edges(G2017)}
    lines18 = {d["line"] for *_, d in _edges(city_2018)}
    assert "nanjing_s1" in lines17 and "nanjing_s7" not in lines17
    assert "nanjing_s1" not in lines18 and {"nanjing_s1_konggang", "nanjing_s7"} <= lines18
    assert city_2018.graph["suburban_lines"].split(";") == sorted(suburban_lines_of_year(TravelTimeModel(), 2018).index)
    assert "st:wuxiangshan" in city_2018 and "st:wuxiangshan" not in G2017
    assert_graph_contract(city_2018)


def test_each_line_rides_its_run_time_both_ways(city_2018: nx.MultiDiGraph) -> None:
    t = load_suburban_lines()
    by: dict[tuple[str, str, str], dict] = {(u, v, d["line"]): d for u, v, d in _edges(city_2018)}
    for lid in suburban_lines_of_year(TravelTimeModel(), 2018).index:
        stops = [f"st:{s}" for s in t.loc[lid, "stops"]]
        n = len(stops)
        assert sum(1 for k in by if k[2] == lid) == n * (n - 1)  # every ordered pair
        run = float(t.loc[lid, "run_time_min"]) * 60.0
        assert by[(stops[0], stops[-1], lid)]["in_vehicle_s"] == pytest.approx(run)
        assert by[(stops[-1], stops[0], lid)]["in_vehicle_s"] == pytest.approx(run)
        legs = sum(by[(a, b, lid)]["in_vehicle_s"] for a, b in itertools.pairwise(stops))
        assert legs == pytest.approx(run)  # shared out along the line, nothing lost
        for a, b in itertools.pairwise(stops):
            d = by[(a, b, lid)]
            assert d["travel_time"] == pytest.approx(d["wait_s"] + d["in_vehicle_s"] + d["alight_s"])
            assert d["in_vehicle_s"] > 0 and d["length"] > 0 and d["trains_per_day"] > 0


def test_waits_follow_the_published_frequency(city_2018: nx.MultiDiGraph) -> None:
    m = TravelTimeModel()
    waits = {d["line"]: d["wait_s"] for *_, d in _edges(city_2018)}
    assert waits["nanjing_s7"] == pytest.approx(7 * 60)  # 14-min headway all day
    # 18 trains a day over the model's 15-h service day: 50-min headway, wait 25 min
    assert waits["jinshan_railway"] == pytest.approx(min(60 * m.service_hours / 18 / 2, m.max_wait_min) * 60)
    assert waits["shanghai_l11_huaqiao"] == pytest.approx((4 * 10 + 14 * 15) / 18 / 2 * 60)


def test_suburban_off_builds_the_old_graph() -> None:
    m = TravelTimeModel(suburban=False)
    G = yrdnet.build_graph("baseline", year=2018, model=m)
    assert not _edges(G) and "st:wuxiangshan" not in G and G.graph["suburban_lines"] == ""


# ------------------------------------------------------------------ routing and the measured effect
def test_rail_mode_rides_suburban_edges_and_road_mode_does_not(city_2018: nx.MultiDiGraph) -> None:
    cg = compile_graph(city_2018)
    sub = cg.mode == "suburban"
    assert sub.any()
    assert cg.mask("rail")[sub].all() and cg.mask("multimodal")[sub].all()
    assert not cg.mask("road")[sub].any()


@pytest.fixture(scope="module")
def county_jurong() -> dict[tuple[int, bool], pd.DataFrame]:
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for year, sub in itertools.product((2020, 2021), (False, True)):
            G = yrdnet.build_graph("baseline", year=year, zones="county", model=TravelTimeModel(suburban=sub))
            out[(year, sub)] = yrdnet.travel_times(G, "rail", warn_unreachable=False)
    return out


@pytest.mark.slow
def test_nanjing_to_jurong_falls_when_s6_opens(county_jurong: dict) -> None:
    core, jurong, gaochun = 320102, 321183, 320118  # Xuanwu (Nanjing's centre), Jurong, Gaochun
    before_on, before_off = county_jurong[(2020, True)], county_jurong[(2020, False)]
    after_on, after_off = county_jurong[(2021, True)], county_jurong[(2021, False)]
    # S6 (Maqun-Jurong) opened 2021-12-28: nothing changes before it runs ...
    assert before_on.loc[core, jurong] == before_off.loc[core, jurong]
    # ... and once it runs the county-level rail trip falls by more than 15 minutes
    assert after_on.loc[core, jurong] < after_off.loc[core, jurong] - 15
    assert after_on.loc[jurong, core] < after_off.loc[jurong, core] - 15
    # S1 + S9 (2014, 2017) give Gaochun its first rail link
    assert before_on.loc[core, gaochun] < before_off.loc[core, gaochun] - 60
    # adding a mode never slows a trip
    assert (after_on.to_numpy() <= after_off.to_numpy() + 1e-3).all()


@pytest.mark.slow
def test_trip_breakdown_shows_the_suburban_leg() -> None:
    G = yrdnet.build_graph("baseline", year=2021, zones="county")
    legs = yrdnet.trip_breakdown(G, 320102, 321183, "rail")
    ride = legs[legs["part"] == "in-vehicle"]
    assert list(ride["line"]) == ["nanjing_s6"]
    assert {"wait/board", "alight"} <= set(legs["part"])


# ------------------------------------------------------------------ incremental construction
@dataclass
class _Sc:
    name: str
    description: str
    path: Path | None
    effective_year: int


def _keyed(G: nx.MultiDiGraph) -> list[tuple[str, str, int, tuple]]:
    return sorted((u, v, k, tuple(sorted(d.items()))) for u, v, k, d in G.edges(keys=True, data=True))


def test_delta_lays_a_pair_of_rail_and_suburban_edges_in_build_order(tmp_path: Path) -> None:
    # a base line and a line opened by the scenario's year on the same rail pair; the new
    # one sorts first, so a full build lays it before the base line's edge
    body = (
        "b_base,线,B,metro,2026,,nanjing_south;zhenjiang_south,30,5,10,,,,s\n"
        "a_new,线,A,metro,2027,,nanjing_south;zhenjiang_south;jurong,45,5,10,,,,s\n"
    )
    sub = load_suburban_lines(_table(tmp_path, body))
    t, m, z = curated_tables(), TravelTimeModel(), load_zones("city")

    def build(year: int) -> nx.MultiDiGraph:
        return graph_from_tables(t.cities, t.stations, t.lines, t.highways, year=year, model=m, suburban=sub)

    G20 = build(2026)
    state = rail_state(t, 2026, m, z, G20, suburban=sub)
    delta = rail_delta(state, _Sc("s", "", None, 2027), t, m)
    assert {d["line"] for *_, d in delta.suburban} == {"a_new"}
    G = apply_delta(G20, delta)
    want = build(2027)
    assert dict(G.nodes(data=True)) == dict(want.nodes(data=True))
    assert _keyed(G) == _keyed(want)
    pair = ("st:nanjing_south", "st:zhenjiang_south")
    keys = {
        d["line"]: k for u, v, k, d in want.edges(keys=True, data=True) if (u, v) == pair and d["mode"] == "suburban"
    }
    assert keys["a_new"] < keys["b_base"]  # the build order the delta reproduced
    # the sweep's copy-on-write graph: the same, adjacency order included, the base untouched
    n0, e0 = G20.number_of_nodes(), G20.number_of_edges()
    L, Ov = lay_copy(G20, delta), lay_delta(overlay(G20, delta_nodes(delta)), delta)
    assert _keyed(L) == _keyed(want) and L.graph == Ov.graph
    assert list(L.nodes(data=True)) == list(Ov.nodes(data=True))
    for side in ("_succ", "_pred"):
        assert [(u, [(v, list(k.items())) for v, k in a.items()]) for u, a in getattr(L, side).items()] == [
            (u, [(v, list(k.items())) for v, k in a.items()]) for u, a in getattr(Ov, side).items()
        ]
    assert (G20.number_of_nodes(), G20.number_of_edges()) == (n0, e0)


@pytest.mark.slow
def test_incremental_base_adds_lines_of_a_later_year_and_refuses_a_closure() -> None:
    from yrdnet.scenarios.incremental import IncrementalBase, NotIncrementalError
    from yrdnet.scenarios.scenario import Scenario, build_graph, load_scenario

    B = IncrementalBase.build("baseline_2020", modes=("rail",))
    later = Scenario(name="y2021", base=load_scenario("baseline_2020"), year=2021)
    G = build_graph(later)
    assert "nanjing_s6" in G.graph["suburban_lines"].split(";")
    # rail stations also open in 2021 (yrdnet.network.history), so the base answers with a
    # full build; either way the graph is the full build's
    got = B.scenario_graph(later)
    assert _keyed(got) == _keyed(G) and got.graph == G.graph
    # nanjing_s1 runs to 2017 and is replaced in 2018: no longer add-only
    closing = Scenario(name="y2018", base=Scenario(name="b2017", year=2017), year=2018)
    B2017 = IncrementalBase.build(closing.base, modes=("rail",))
    with pytest.raises(NotIncrementalError):
        B2017.delta(closing)
    assert _keyed(B2017.scenario_graph(closing)) == _keyed(build_graph(closing))

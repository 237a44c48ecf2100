"""Rail services: loading, default services, run times, pooled frequency levels, monotonicity."""

from __future__ import annotations

import math
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import yrdnet
from yrdnet import DataError
from yrdnet.network.services import (
    SERVICE_COLUMNS,
    Segment,
    default_services,
    load_services,
    pair_levels,
    run_seconds,
    services_for_network,
    wait_seconds,
)

M = yrdnet.TravelTimeModel()


def _services(rows: list[tuple[str, list[str], list[str], str, int]]) -> pd.DataFrame:
    df = pd.DataFrame(
        [
            {
                "service_id": sid,
                "route": route,
                "stops": stops,
                "train_class": cls,
                "trains_per_day": n,
                "pattern": "limited-stop",
                "lines": ["x"],
                "source": "test",
            }
            for sid, route, stops, cls, n in rows
        ],
        columns=list(SERVICE_COLUMNS),
    )
    return df.set_index("service_id")


SEGS = {
    ("a", "b"): Segment(60.0, 300.0, "x", 1.0),
    ("b", "a"): Segment(60.0, 300.0, "x", 1.0),
    ("b", "c"): Segment(90.0, 300.0, "x", 1.0),
    ("c", "b"): Segment(90.0, 300.0, "x", 1.0),
}


# ----------------------------------------------------------------------- shipped table


def test_shipped_services_are_consistent():
    s = load_services()
    assert len(s) > 500
    assert s["trains_per_day"].sum() >= 900
    # the source names exactly the trains counted
    n_named = s["source"].str.rsplit(": ", n=1).str[1].str.split().map(len)
    assert (n_named == s["trains_per_day"]).all()
    lines = yrdnet.load_lines()
    assert set().union(*s["lines"]) <= set(lines.index)
    assert set(s["pattern"]) <= {"non-stop", "limited-stop", "all-stop"}


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (
            lambda df: df.assign(route=df["route"].where(df.index > 0, "nowhere;" + df["route"])),
            "unknown station 'nowhere'",
        ),
        (lambda df: df.assign(stops=df["stops"].where(df.index > 0, "shanghai_hongqiao")), "at least 2 stops"),
        (lambda df: df.assign(trains_per_day=df["trains_per_day"].where(df.index > 0, "0")), "trains_per_day"),
        (lambda df: df.drop(columns="route"), "route"),
    ],
)
def test_load_services_errors_name_the_row(tmp_path, edit, match):
    src = yrdnet.get_path("services.csv")
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    bad = edit(df)
    p = tmp_path / "services.csv"
    bad.to_csv(p, index=False)
    with pytest.raises(DataError, match=match) as e:
        load_services(p)
    assert "services.csv" in str(e.value)


def test_stops_must_follow_the_route(tmp_path):
    src = yrdnet.get_path("services.csv")
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    first = df.loc[0, "stops"].split(";")
    df.loc[0, "stops"] = ";".join([first[-1], first[0]])
    p = tmp_path / "services.csv"
    df.to_csv(p, index=False)
    with pytest.raises(DataError, match="row 2"):
        load_services(p)
    shutil.rmtree(tmp_path)


# ----------------------------------------------------------------------- run times and waits


def test_run_seconds_hand_computed():
    a = 0.25
    v = 300.0 / 3.6
    long_run = run_seconds([Segment(100.0, 300.0, "x", 1.0)], math.inf, a)
    assert long_run == pytest.approx(100_000 / v + v / a)
    # too short to reach cruise: accelerate half-way, brake half-way
    short = run_seconds([Segment(5.0, 300.0, "x", 1.0)], math.inf, a)
    assert short == pytest.approx(2 * math.sqrt(5000 / a))
    # D trains are capped
    capped = run_seconds([Segment(100.0, 300.0, "x", 1.0)], 250.0, a)
    assert capped == pytest.approx(100_000 / (250 / 3.6) + (250 / 3.6) / a)


def test_wait_rule():
    w = wait_seconds(np.array([100.0, 20.0, 1.0]), M)
    assert w[0] == pytest.approx(M.service_hours * 60 / 200 * 60)
    assert w[1] == pytest.approx(M.service_hours * 60 / 40 * 60)
    assert w[2] == pytest.approx(M.max_wait_min * 60)
    assert w[0] < w[1] <= w[2]


def test_pair_levels_pool_frequencies_by_hand():
    """An infrequent express and a frequent stopper between a and c: levels by hand."""
    m = M.replace(dwell_min=2.0, rail_accel_ms2=0.25, max_wait_min=60.0, service_hours=15.0)
    sv = _services(
        [
            ("express", ["a", "b", "c"], ["a", "c"], "G", 2),
            ("stopper", ["a", "b", "c"], ["a", "b", "c"], "G", 40),
        ]
    )
    lv = pair_levels(sv, SEGS, m).set_index(["origin", "destination", "level"])
    v, acc = 300 / 3.6, 0.25
    t_exp = 150_000 / v + v / acc
    t_stop = 60_000 / v + v / acc + 120 + 90_000 / v + v / acc
    # level 1 = the express alone: 2 trains, wait capped at 60 min
    assert lv.loc[("a", "c", 1), "in_vehicle_s"] == pytest.approx(t_exp)
    assert lv.loc[("a", "c", 1), "wait_s"] == pytest.approx(3600.0)
    # level 2 = first train of both: 42 trains, frequency-weighted ride
    assert lv.loc[("a", "c", 2), "trains_per_day"] == 42
    assert lv.loc[("a", "c", 2), "in_vehicle_s"] == pytest.approx((2 * t_exp + 40 * t_stop) / 42)
    assert lv.loc[("a", "c", 2), "wait_s"] == pytest.approx(15 * 60 / (2 * 42) * 60)
    assert lv.loc[("a", "c", 2), "service"] == "express"  # a level is named by its fastest service
    # a -> b only by the stopper; nothing runs c -> a
    assert lv.loc[("a", "b", 1), "trains_per_day"] == 40
    assert ("c", "a", 1) not in lv.index


def test_a_dominated_level_is_dropped():
    m = M.replace(max_wait_min=10.0)
    sv = _services(
        [
            ("fast", ["a", "b", "c"], ["a", "c"], "G", 30),
            ("slow", ["a", "b", "c"], ["a", "b", "c"], "D", 1),
        ]
    )
    lv = pair_levels(sv, SEGS, m)
    ac = lv[(lv["origin"] == "a") & (lv["destination"] == "c")]
    assert list(ac["level"]) == [1]  # the slow one adds one train and a longer ride: never better


# ----------------------------------------------------------------------- defaults


def test_default_services_rules():
    lines = yrdnet.load_lines()
    stations, cities = yrdnet.load_stations(), yrdnet.load_cities()
    line = lines.loc[["shanghai_suzhou_huzhou_hsr", "huzhou_hangzhou_hsr"]]
    d = default_services(line, stations, cities, M)
    allstop = d.loc["default:shanghai_suzhou_huzhou_hsr:all:down"]
    express = d.loc["default:shanghai_suzhou_huzhou_hsr:express:down"]
    assert allstop["stops"] == list(line.loc["shanghai_suzhou_huzhou_hsr", "stops"])
    assert set(express["stops"]) < set(allstop["stops"])
    assert express["stops"][0] == allstop["stops"][0] and express["stops"][-1] == allstop["stops"][-1]
    # one express stop per prefecture city
    cities_of = [int(stations.at[s, "adcode"]) for s in express["stops"][1:-1]]
    assert len(cities_of) == len(set(cities_of))
    assert "shanghai_songjiang" not in express["stops"]  # Shanghai is served by Hongqiao
    # the through express (lines.csv through_to) runs on to Hangzhou West
    through = [r for i, r in d.iterrows() if i.startswith("default:shanghai_suzhou_huzhou_hsr>")]
    assert any("hangzhou_west" in r["stops"] and r["stops"][0] == "shanghai_hongqiao" for r in through)
    assert (d["trains_per_day"] > 0).all()
    # up and down mirror each other
    up = d.loc["default:shanghai_suzhou_huzhou_hsr:express:up"]
    assert up["stops"] == express["stops"][::-1]


def test_covered_lines_get_only_the_all_stop_default():
    lines = yrdnet.load_lines()
    lines16 = lines[(lines["status"] == "open") & (lines["opened"] <= 2016)]
    sv = services_for_network(lines16, yrdnet.load_stations(), yrdnet.load_cities(), M)
    covered = set().union(*load_services()["lines"])
    defaults = sv[sv.index.str.startswith("default:")]
    for lid in lines16.index:
        assert f"default:{lid}:all:down" in defaults.index  # every open line: all-stop both ways
    for sid in defaults.index:
        lid = sid.split(":")[1].split(">")[0]
        if lid in covered and ">" not in sid:
            assert ":all:" in sid  # covered: only the connectivity floor
            assert defaults.at[sid, "trains_per_day"] == M.covered_allstop_trains


# ----------------------------------------------------------------------- properties


@pytest.fixture(scope="module")
def tables():  # type: ignore[no-untyped-def]
    return (
        yrdnet.load_cities(),
        yrdnet.load_stations(),
        yrdnet.load_lines(),
        yrdnet.load_highways(),
        load_services(),
    )


def _rail(tables, extra):  # type: ignore[no-untyped-def]
    cities, stations, lines, highways, services = tables
    G = yrdnet.graph_from_tables(cities, stations, lines, highways, year=2016, services=services, extra_services=extra)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", yrdnet.UnreachableWarning)
        return yrdnet.travel_times(G, "rail").to_numpy(), yrdnet.station_times(G)


@pytest.mark.slow
@settings(max_examples=4, deadline=None, derandomize=True)
@given(st.data())
def test_adding_services_never_lengthens_a_trip(tables, data):
    """Door-to-door and fastest station times with more services are never longer."""
    services = tables[4]
    pool = services.set_axis([f"{i}_extra" for i in services.index])
    small_mask = np.asarray(data.draw(st.lists(st.booleans(), min_size=len(pool), max_size=len(pool))), dtype=bool)
    more = np.asarray(data.draw(st.lists(st.booleans(), min_size=len(pool), max_size=len(pool))), dtype=bool)
    T_small, S_small = _rail(tables, pool[small_mask])
    T_big, S_big = _rail(tables, pool[small_mask | more])
    assert (T_big <= T_small + 1e-3).all()
    common = S_small.index.intersection(S_big.index)
    assert (S_big.loc[common, common].to_numpy() <= S_small.loc[common, common].to_numpy() + 1e-6).all()


def test_station_times_definition():
    G = yrdnet.build_graph("baseline", year=2016)
    S = yrdnet.station_times(G, ["shanghai_hongqiao", "nanjing_south", "hangzhou_east"])
    assert np.allclose(np.diag(S.to_numpy()), 0)
    # a direct pair is at most its fastest service's ride
    ride = min(d["in_vehicle_s"] for d in G["st:shanghai_hongqiao"]["st:nanjing_south"].values()) / 60
    assert S.loc["shanghai_hongqiao", "nanjing_south"] <= ride + 1e-9
    named = yrdnet.station_times(G, ["shanghai_hongqiao", "nanjing_south"], labels="name_zh")
    assert list(named.index) == ["上海虹桥", "南京南"]
    assert named.attrs["name_zh"]["nanjing_south"] == "南京南"
    with pytest.raises(ValueError, match="not served"):
        yrdnet.station_times(G, ["shanghai_hongqiaoo"])
    with pytest.raises(ValueError, match="labels"):
        yrdnet.station_times(G, labels="pinyin")


def test_waits_differ_by_frequency_in_trip_breakdown():
    """A trip from a station with many trains waits less than one from a sparse station."""
    G = yrdnet.build_graph("baseline", year=2016)
    busy = yrdnet.trip_breakdown(G, 320200, 320500, "rail")  # Wuxi -> Suzhou: the intercity
    sparse = yrdnet.trip_breakdown(G, 341000, 340100, "rail")  # Huangshan -> Hefei
    b = busy[busy["part"] == "wait/board"].iloc[0]
    s = sparse[sparse["part"] == "wait/board"].iloc[0]
    assert b["trains_per_day"] >= 50 and s["trains_per_day"] <= 20
    assert b["minutes"] < s["minutes"]
    print(
        f"\nwait at {b['from']}: {b['minutes']:.1f} min ({b['trains_per_day']:.0f} trains a day); "
        f"at {s['from']}: {s['minutes']:.1f} min ({s['trains_per_day']:.0f})"
    )

"""City-pair station times: main stations of the scenario year against any station."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.city_times import (
    city_main_station_times,
    city_station_times,
    main_stations_in_year,
    served_stations,
)
from yrdnet.analysis.targets import evaluate_targets, load_targets


def _table(rows: list[tuple[int, str, str, int | None, int | None]]) -> pd.DataFrame:
    t = pd.DataFrame(rows, columns=["city_adcode", "station_id", "role", "from_year", "to_year"])
    for c in ("from_year", "to_year"):
        t[c] = pd.array(t[c], dtype="Int64")
    return t


# a: city 1 main (from 2012), b: city 1 also_main, c: city 2 main, d: a border station of city 1, e: unserved
S = pd.DataFrame(
    [[0, 20, 30, np.inf, np.inf], [20, 0, 45, np.inf, np.inf], [30, 45, 0, 5, np.inf],
     [np.inf, np.inf, 5, 0, np.inf], [np.inf] * 4 + [0]],
    index=list("abcde"), columns=list("abcde"), dtype=float,
)  # fmt: skip
MAINS = _table([(1, "a", "main", 2012, None), (1, "b", "also_main", None, None), (2, "c", "main", None, None),
                (3, "e", "main", None, None)])  # fmt: skip


def test_served_stations_need_a_train() -> None:
    assert served_stations(S) == list("abcd")


def test_main_station_times_hand_computed() -> None:
    T = city_main_station_times(S, MAINS, 2015)
    assert T.loc[1, 2] == 30.0  # min(a-c 30, b-c 45); the border station d (5 min) is not a main station
    assert city_station_times(S, {"a": 1, "b": 1, "d": 1, "c": 2}).loc[1, 2] == 5.0
    # 2011: a is not yet a main station, b stands alone
    assert city_main_station_times(S, MAINS, 2011).loc[1, 2] == 45.0
    assert 3 not in T.index  # its main station is not served: not connected


def test_fallback_and_not_connected_are_said() -> None:
    served = ["b", "c", "d"]  # a (city 1's main) not served
    r = main_stations_in_year(MAINS, 2015, served, cities=[4])
    assert r.loc[1, "served_main_stations"] == ["b"]
    assert "a not served" in r.loc[1, "note"] and "b used" in r.loc[1, "note"]
    assert r.loc[2, "note"] == ""
    assert r.loc[3, "served_main_stations"] == [] and "not connected" in r.loc[3, "note"]
    assert "no main station listed" in r.loc[4, "note"]
    assert "no main station in 2011" in main_stations_in_year(MAINS.iloc[[0]], 2011, served).loc[1, "note"]


def test_evaluate_targets_scores_each_definition() -> None:
    t = load_targets().loc[["shanghai_suzhou_1_5h"]].copy()
    main = pd.DataFrame([[0.0, 23.0], [23.0, 0.0]], index=[310000, 320500], columns=[310000, 320500])
    door = {"rail": main + 40, "multimodal": main + 40}
    mats = {"station_fastest_main": main, "station_fastest_any": main - 16}
    no = pd.Series(dtype=float)
    r = evaluate_targets(t, mats, door, members={}, cores={}, population=no).iloc[0]
    assert (r["time_definition"], r["time_min"], r["station_fastest_any_min"]) == ("station_fastest_main", 23.0, 7.0)
    t["time_definition"] = "station_fastest"  # the old name: any station
    r = evaluate_targets(t, mats, door, members={}, cores={}, population=no).iloc[0]
    assert (r["time_definition"], r["time_min"], r["station_fastest_min"]) == ("station_fastest_any", 7.0, 7.0)
    with pytest.raises(ValueError, match="station_fastest_any"):
        evaluate_targets(t, {"station_fastest_main": main}, door, members={}, cores={}, population=no)


@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_baseline_2025_on_main_stations(G2025) -> None:  # type: ignore[no-untyped-def]
    t = yrdnet.targets(G2025)
    S25 = yrdnet.station_times(G2025)
    su = t.loc["shanghai_suzhou_1_5h"]
    assert su["time_definition"] == "station_fastest_main" and su["time_min"] == su["station_fastest_main_min"]
    assert su["station_fastest_main_min"] >= 20 > su["station_fastest_any_min"]  # not Anting West - Taicang South
    assert su["main_stations_used"] == "shanghai_hongqiao+shanghai - suzhou"
    nb = t.loc["shanghai_ningbo_1_5h"]
    assert nb["station_fastest_main_min"] == pytest.approx(S25.loc["shanghai_hongqiao", "ningbo"])
    assert nb["station_fastest_any_min"] < nb["station_fastest_main_min"]
    assert not nb["met"] and nb["met_station_fastest_any"]  # the border pair met it, the main stations do not


@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_a_main_station_not_yet_served_is_not_connected() -> None:
    G = yrdnet.build_graph("baseline_2010")
    # Hefei's main station in 2010 is 合肥 (hefei_south opened 2014); the conventional lines
    # serve it, so take its hall out of the graph: a main station the graph does not serve
    assert np.isfinite(yrdnet.targets(G).loc["shanghai_hefei_1_5h", "station_fastest_main_min"])
    G = G.copy()
    G.remove_node("st:hefei")
    t = yrdnet.targets(G)
    hf = t.loc["shanghai_hefei_1_5h"]
    assert np.isinf(hf["station_fastest_main_min"])
    assert "Hefei: main station hefei not served" in hf["main_stations_note"]
    assert t.loc["shanghai_hangzhou_1_5h", "main_stations_used"] == "shanghai_hongqiao+shanghai - hangzhou"


@pytest.mark.parametrize("seed", range(6))
def test_city_times_from_legs_equal_the_station_matrix_bit_for_bit(seed: int) -> None:
    """One Dijkstra run per city gives ``city_station_times(station_times(...))`` exactly."""
    import networkx as nx

    from yrdnet.analysis.city_times import city_times_from_legs
    from yrdnet.routing.matrices import RailLegs, linked_halls, station_times, transfer_seconds

    rng = np.random.default_rng(seed)
    n = 40
    halls = sorted(f"st:s{i:02d}" for i in range(n))
    m = 160
    u, v = rng.integers(0, n - 3, m), rng.integers(0, n - 3, m)  # the last three halls: no leg
    u[:3], v[:3] = 5, 5  # a self-loop
    ride = rng.uniform(100.0, 9000.0, m) * rng.choice([1.0, 1.0 / 3.0, np.pi], m)
    u, v, ride = np.r_[u, u[:20]], np.r_[v, v[:20]], np.r_[ride, ride[:20] * 0.7]  # parallel legs
    legs = RailLegs(halls, u.astype(np.int64), v.astype(np.int64), ride)
    G = nx.MultiDiGraph(transfer_min=7.3 + seed)
    G.add_nodes_from(halls, kind="station")
    ids = [h[3:] for h in halls]
    city_of = {s: int(rng.integers(1, 9)) for s in ids if rng.random() < 0.9}  # some stations without a city
    main_of = {s: c for s, c in city_of.items() if rng.random() < 0.3}
    S = station_times(G, legs=legs)
    tau = transfer_seconds(G)
    got = city_times_from_legs(legs, tau, [city_of, main_of, {}])
    assert got is not None
    for mine, c in zip(got, [city_of, main_of, {}], strict=True):
        want = city_station_times(S, c)
        pd.testing.assert_frame_equal(mine, want, check_exact=True)
        assert np.array_equal(mine.to_numpy().view(np.uint64), want.to_numpy().view(np.uint64))
    assert [s for s, ok in zip(ids, linked_halls(legs), strict=True) if ok] == served_stations(S)
    bad = RailLegs(halls, legs.u, legs.v, np.where(np.arange(len(ride)) == 4, np.inf, ride))
    assert city_times_from_legs(bad, tau, [city_of]) is None

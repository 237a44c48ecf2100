"""Policy targets: hand-computed scoring, the data file, the result table, the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet import DataError
from yrdnet.analysis.targets import city_station_times, evaluate_targets, load_targets
from yrdnet.cli.commands import main


def _m(values: list[list[float]], ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame(np.array(values, float), index=ids, columns=ids)


def test_city_station_times_minimum_over_station_pairs() -> None:
    S = pd.DataFrame(
        [[0, 50, 70, np.inf], [50, 0, 40, np.inf], [70, 40, 0, np.inf], [np.inf] * 3 + [0]],
        index=list("abcd"),
        columns=list("abcd"),
        dtype=float,
    )
    T = city_station_times(S, {"a": 1, "b": 2, "c": 2, "d": 3})
    assert T.loc[1, 2] == 50.0  # min(50, 70)
    assert T.loc[2, 2] == 0.0  # a city to itself
    assert np.isinf(T.loc[1, 3])  # no train
    assert list(T.index) == [1, 2, 3]


def test_load_targets_shipped_file() -> None:
    t = load_targets()
    assert set(t["kind"]) == {"core_link", "metro_commute", "agglomeration_circle"}
    assert (t["source_text"].str.len() > 0).all()
    core = t[t["kind"] == "core_link"]
    assert (core["time_definition"] == "station_fastest_main").all() and (core["threshold_min"] == 90).all()
    assert set(t.loc[t["kind"] == "metro_commute", "metro"]) == set(yrdnet.load_metros().index)


def test_load_targets_reports_every_problem(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text(
        "target_id,kind,from_adcode,to_adcode,metro,threshold_min,time_definition,mode,source,source_text\n"
        "a,core_lnk,1,2,,90,station_fastest,rail,s,t\n"
        "a,core_link,,2,,-5,fastest,bus,,t\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="problem") as e:
        load_targets(p)
    msg = str(e.value)
    for frag in ("core_lnk", "threshold_min", "fastest", "bus", "from_adcode", "source", "duplicate id 'a'"):
        assert frag in msg


def _table(rows: list[dict[str, object]]) -> pd.DataFrame:
    t = pd.DataFrame(rows).set_index("target_id")
    for c in ("from_adcode", "to_adcode"):
        t[c] = pd.to_numeric(t[c]).astype("Int64")
    return t


BASE = {"from_adcode": None, "to_adcode": None, "metro": "", "mode": "multimodal", "source": "s"}


def test_evaluate_targets_hand_computed() -> None:
    ids = [1, 2, 3, 4]
    st = _m([[0, 80, np.inf, 30], [80, 0, 95, 70], [np.inf, 95, 0, 60], [30, 70, 60, 0]], ids)
    arr = st.to_numpy() + 40.0
    np.fill_diagonal(arr, 0.0)
    dd = pd.DataFrame(arr, index=ids, columns=ids)
    dd.loc[1, 3] = dd.loc[3, 1] = 150.0
    tab = _table(
        [
            {**BASE, "target_id": "link", "kind": "core_link", "from_adcode": 1, "to_adcode": 2,
             "threshold_min": 90.0, "time_definition": "station_fastest", "mode": "rail"},
            {**BASE, "target_id": "commute", "kind": "metro_commute", "metro": "m",
             "threshold_min": 60.0, "time_definition": "station_fastest"},
            {**BASE, "target_id": "circle", "kind": "agglomeration_circle",
             "threshold_min": 120.0, "time_definition": "door_to_door"},
            {**BASE, "target_id": "nometro", "kind": "metro_commute", "metro": "zz",
             "threshold_min": 60.0, "time_definition": "door_to_door"},
        ]
    )  # fmt: skip
    pop = pd.Series({1: 10.0, 2: 5.0, 3: 3.0, 4: 2.0})
    r = evaluate_targets(
        tab, st, {"rail": dd, "multimodal": dd}, members={"m": [1, 4, 3]}, cores={"m": 1, "n": 2}, population=pop
    )
    link = r.loc["link"]
    assert (link["time_min"], link["door_to_door_min"]) == (80.0, 120.0)
    assert link["met"] and not link["met_door_to_door"]
    com = r.loc["commute"]
    # core 1 -> members 4 (30 min) and 3 (inf): the farthest is inf; share = (10 + 2) / 15
    assert np.isinf(com["time_min"]) and not com["met"]
    assert com["share_within"] == pytest.approx(12 / 15)
    assert com["door_to_door_min"] == 150.0
    circ = r.loc["circle"]  # cores 1 and 2: one pair, 120 min door to door
    assert circ["time_min"] == 120.0 and circ["met"] and circ["share_within"] == 1.0
    assert np.isnan(r.loc["nometro", "time_min"]) and not r.loc["nometro", "met"]


@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_targets_on_the_shipped_timeline() -> None:
    G = yrdnet.build_graph("baseline_2020")
    t = yrdnet.targets(G)
    S = yrdnet.station_times(G)
    sh = [n[3:] for n, c in G.nodes(data="city") if n.startswith("st:") and c == 310000]
    nj = [n[3:] for n, c in G.nodes(data="city") if n.startswith("st:") and c == 320100]
    assert t.loc["shanghai_nanjing_1_5h", "station_fastest_any_min"] == pytest.approx(S.loc[sh, nj].to_numpy().min())
    # the old column name is the any-station time
    pd.testing.assert_series_equal(t["station_fastest_min"], t["station_fastest_any_min"], check_names=False)
    T = yrdnet.travel_times(G, "rail")
    assert t.loc["shanghai_nanjing_1_5h", "door_to_door_min"] == pytest.approx(T.loc[310000, 320100])
    # the policy definitions are never slower than door to door, the main stations never faster than any
    pairs = t[t["kind"] == "core_link"]
    assert (pairs["station_fastest_main_min"] <= pairs["door_to_door_min"]).all()
    assert (pairs["station_fastest_any_min"] <= pairs["station_fastest_main_min"]).all()
    tl = yrdnet.target_timeline(["baseline_2010", G])
    assert tl.loc["shanghai_nanjing_1_5h", "first_met"] == "2020"
    assert not tl.loc["shanghai_nanjing_1_5h", "met_2010"]
    assert tl.loc["shanghai_suzhou_1_5h", "first_met"] == "2010"


def test_result_carries_targets(tmp_path: Path) -> None:
    res = yrdnet.analyze("baseline_2020", centrality=False, sensitivity_samples=5)
    assert "shanghai_hefei_1_5h" in res.targets.index
    assert yrdnet.targets(res).equals(res.targets)
    res.to_dir(tmp_path / "r")
    back = pd.read_csv(tmp_path / "r" / "targets.csv", index_col=0)
    assert list(back.index) == list(res.targets.index)
    # the table names the definition each number uses
    assert back.loc["shanghai_suzhou_1_5h", "time_definition"] == "station_fastest_main"
    assert {"station_fastest_main_min", "station_fastest_any_min", "main_stations_note"} <= set(back.columns)
    assert back.loc["shanghai_suzhou_1_5h", "time_min"] == back.loc["shanghai_suzhou_1_5h", "station_fastest_main_min"]


@pytest.mark.slow
def test_county_result_targets_between_city_centres() -> None:
    res = yrdnet.analyze("baseline_2020", zones="county", centrality=False, sensitivity_samples=5)
    city = yrdnet.targets(yrdnet.build_graph("baseline_2020"))
    # station-to-station times do not depend on the zones
    for col in ("station_fastest_main_min", "station_fastest_any_min"):
        pd.testing.assert_series_equal(res.targets[col], city[col])


@pytest.mark.slow
def test_cli_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tg"
    assert main(["targets", "baseline_2015", "baseline_2020", "--out", str(out)]) == 0
    assert (out / "targets.csv").is_file() and (out / "targets.png").is_file()
    assert "first_met" in capsys.readouterr().out


def test_label_lookups_read_as_loc_and_reindex() -> None:
    """The scoring's lookups give what ``.loc`` and ``reindex`` give, on unsorted, float, partial labels."""
    from yrdnet.analysis.targets import _pair_time, _Population, _Times

    T = pd.DataFrame(
        [[0.0, 7.5, np.inf], [3.25, 0.0, 1.0], [np.nan, 2.0, 0.0]],
        index=pd.Index([320100.0, 310000.0, 330100.0]),
        columns=pd.Index([330100, 320100, 310000]),
    )
    pairs = [(a, b) for a in (310000, 320100, 330100, 340100) for b in (310000, 320100, 340100)]
    for frame in (T, T.iloc[:, [0, 0, 1]], pd.DataFrame()):  # unique labels, a repeated column (read by .loc), empty
        got = [_Times(frame)(a, b) for a, b in pairs]
        np.testing.assert_array_equal(got, [_pair_time(frame, a, b) for a, b in pairs])
    odd = pd.Series([1.5, np.nan], index=[310000, 1])
    for pop in (pd.Series([5, 2, 9], index=[330100, 310000, 320100]), odd, odd.astype("Float64")):
        for ask in ([310000, 330100, 999], [], [1, 1]):
            np.testing.assert_array_equal(_Population(pop)(ask), pop.reindex(ask).to_numpy(float))

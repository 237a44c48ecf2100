"""Incremental travel times (yrdnet.routing.incremental) against full recomputation.

Oracle: ``yrdnet.travel_times`` on the scenario graph. The float32 minute matrices must be
identical; the float64 seconds may differ by summation order only (ATOL_S).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.routing.compile import MODES, compile_graph
from yrdnet.routing.matrices import UnreachableWarning, node_distances
from yrdnet.scenarios.incremental import (
    AddedEdge,
    NodeDistances,
    NotIncrementalError,
    added_edges,
    all_node_distances,
    scenario_travel_times,
    travel_times_incremental,
    update_distances,
)
from yrdnet.scenarios.scenario import Scenario, load_scenario, scenarios_folder
from yrdnet.testing import mock_graph

ATOL_S = 1e-9  # float64 seconds: summation order only (observed <= 1 ulp, ~7e-12 s)
BASE = "baseline_2025"


def _shipped(pred) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for p in sorted(scenarios_folder().glob("*.toml")):
        s = load_scenario(p)
        if pred(s):
            out.append(s.name)
    return out


ONLY_ADDS = _shipped(lambda s: s.only_adds() and isinstance(s.base, Scenario))
OPEN_LINE_ON_BASE = _shipped(
    lambda s: (
        isinstance(s.base, Scenario)
        and s.base.name == BASE
        and s.edits
        and all(e["op"] == "open_line" for e in s.edits)
    )
)


def _quiet_tt(G: nx.MultiDiGraph, mode: str) -> pd.DataFrame:
    return yrdnet.travel_times(G, mode, warn_unreachable=False)


@pytest.fixture(scope="module")
def G_base() -> nx.MultiDiGraph:
    return yrdnet.build_graph(BASE)


@pytest.fixture(scope="module")
def graphs() -> dict[str, nx.MultiDiGraph]:
    """Every project scenario graph, built once per module (do not mutate)."""
    return {n: yrdnet.build_graph(n) for n in INCREMENTAL}


@pytest.fixture(scope="module")
def base_all(G_base: nx.MultiDiGraph) -> dict[str, NodeDistances]:
    return {m: all_node_distances(G_base, m) for m in MODES}


@pytest.fixture(scope="module")
def full(graphs: dict[str, nx.MultiDiGraph]) -> dict[tuple[str, str], pd.DataFrame]:
    return {(n, m): _quiet_tt(G, m) for n, G in graphs.items() for m in MODES}


# plan_2035 sets ``year = 2035`` so only_adds() is False, yet its graph is a pure addition
# to baseline_2025 (added_edges accepts it): it is checked on the graph-level path too.
INCREMENTAL = sorted(set(ONLY_ADDS) | set(OPEN_LINE_ON_BASE))


def test_shipped_project_scenarios_are_found() -> None:
    assert len(ONLY_ADDS) >= 10
    assert "plan_2035" in OPEN_LINE_ON_BASE
    assert not any(n.startswith("baseline") for n in INCREMENTAL)


# ------------------------------------------------------------------ shipped scenarios
@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", INCREMENTAL)
def test_incremental_equals_full_shipped(name, mode, G_base, graphs, base_all, full) -> None:  # type: ignore[no-untyped-def]
    G_new = graphs[name]
    expected = full[(name, mode)]
    # default: base distances computed over just the zones and touched nodes
    T = travel_times_incremental(G_base, G_new, mode, warn_unreachable=False)
    pd.testing.assert_frame_equal(T, expected, check_exact=True)
    assert np.array_equal(T.to_numpy(), expected.to_numpy())
    # a reusable all-node base gives the same minutes
    T2 = travel_times_incremental(G_base, G_new, mode, base=base_all[mode], warn_unreachable=False)
    assert np.array_equal(T2.to_numpy(), expected.to_numpy())
    # float64 seconds: equal up to summation order
    cg = compile_graph(G_new)
    new_nodes = [n for n in cg.nodes if n not in G_base]
    D = update_distances(base_all[mode], added_edges(G_base, G_new, mode), new_nodes=new_nodes)
    got = D.take(cg.zones)
    want = node_distances(G_new, cg.zones, mode=mode, targets=cg.zones)
    assert np.array_equal(np.isinf(got), np.isinf(want))
    fin = np.isfinite(want)
    assert np.abs(got[fin] - want[fin]).max(initial=0.0) <= ATOL_S


def test_shipped_scenarios_add_rail_only(G_base, graphs) -> None:  # type: ignore[no-untyped-def]
    # open_line scenarios leave the expressway network as it is
    for name in INCREMENTAL:
        assert added_edges(G_base, graphs[name], "road") == []
        assert len(added_edges(G_base, graphs[name], "rail")) > 0


@pytest.mark.parametrize("mode", MODES)
def test_adding_a_line_never_increases_a_travel_time(mode, G_base, full) -> None:  # type: ignore[no-untyped-def]
    base = _quiet_tt(G_base, mode).to_numpy()
    assert OPEN_LINE_ON_BASE
    for name in OPEN_LINE_ON_BASE:
        T = full[(name, mode)].to_numpy()
        assert T.shape == base.shape
        assert (base >= T).all(), f"{name}: a travel time increased by {mode}"


def test_plan_2035_improves_rail(G_base, full) -> None:  # type: ignore[no-untyped-def]
    base = _quiet_tt(G_base, "rail").to_numpy()
    assert (full[("plan_2035", "rail")].to_numpy() < base).sum() > 100


# ------------------------------------------------------------------ mock graph
def _mock_plus() -> nx.MultiDiGraph:
    """mock_graph + a new Zhoushan-Ningbo line (new hall, two new platforms) + a faster G9211."""
    G = mock_graph()
    x, y = 122.10, 30.00
    G.add_node("st:zsx", x=x, y=y, kind="station", city=330900, name="Zhoushan West")
    for pl, (px, py) in {"pl:ZN:zsx": (x, y), "pl:ZN:nb": (121.539, 29.86)}.items():
        G.add_node(pl, x=px, y=py, kind="station", city=330900 if "zsx" in pl else 330200, name=pl, line="ZN")
    acc = {"mode": "access", "length": 8000.0, "speed_kph": 32.0}
    G.add_edge("zone:330900", "st:zsx", travel_time=2100.0, **acc)
    G.add_edge("st:zsx", "zone:330900", travel_time=900.0, **acc)
    tr = {"mode": "transfer", "length": 0.0, "speed_kph": 0.0, "line": "ZN"}
    for hall, pl in (("st:zsx", "pl:ZN:zsx"), ("st:nb", "pl:ZN:nb")):
        G.add_edge(hall, pl, travel_time=420.0, **tr)
        G.add_edge(pl, hall, travel_time=150.0, **tr)
    rail = {"mode": "rail", "length": 70000.0, "speed_kph": 200.0, "line": "ZN"}
    # the new chain: both endpoints are new nodes
    G.add_edge("pl:ZN:zsx", "pl:ZN:nb", travel_time=1500.5, **rail)
    G.add_edge("pl:ZN:nb", "pl:ZN:zsx", travel_time=1500.5, **rail)
    # a faster parallel expressway edge (one direction only)
    d = min(G.get_edge_data("rd:330200", "rd:330900").values(), key=lambda a: a["travel_time"])
    G.add_edge("rd:330200", "rd:330900", **{**d, "travel_time": d["travel_time"] * 0.7})
    return G


@pytest.mark.parametrize("mode", MODES)
def test_mock_new_node_chain(mode: str) -> None:
    G0, G1 = mock_graph(), _mock_plus()
    edges = added_edges(G0, G1, mode)
    if mode != "road":
        assert AddedEdge("pl:ZN:zsx", "pl:ZN:nb", 1500.5) in edges
    if mode != "rail":
        assert any(e.source == "rd:330200" and e.target == "rd:330900" for e in edges)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        T = travel_times_incremental(G0, G1, mode)
        expected = yrdnet.travel_times(G1, mode)
    pd.testing.assert_frame_equal(T, expected, check_exact=True)
    if mode == "rail":  # Zhoushan gets its first rail link
        assert np.isinf(yrdnet.travel_times(G0, "rail", warn_unreachable=False).loc[330900, 310000])
        assert np.isfinite(T.loc[330900, 310000])


@pytest.mark.parametrize("mode", MODES)
def test_mock_edge_order_does_not_matter(mode: str) -> None:
    G0, G1 = mock_graph(), _mock_plus()
    D0 = all_node_distances(G0, mode)
    new = [n for n in G1 if n not in G0]
    edges = added_edges(G0, G1, mode)
    a = update_distances(D0, edges, new_nodes=new)
    b = update_distances(D0, edges[::-1], new_nodes=new[::-1])
    full = all_node_distances(G1, mode, nodes=a.nodes)
    for got in (a.take(a.nodes), b.take(a.nodes)):
        assert np.array_equal(np.isinf(got), np.isinf(full.d))
        fin = np.isfinite(full.d)
        assert np.abs(got[fin] - full.d[fin]).max() <= ATOL_S
    assert D0.d.shape == (len(G0), len(G0))  # input untouched


def test_update_distances_small_chain_by_hand() -> None:
    D = NodeDistances(("a", "b"), np.array([[0.0, 3.0], [np.inf, 0.0]]), "rail")
    # new-new edge first, then the edges that attach the chain: order must not matter
    D2 = update_distances(D, [("x", "y", 1.0), ("b", "x", 2.0), ("y", "a", 4.0)], new_nodes=["x", "y"])
    assert D2.nodes == ("a", "b", "x", "y")
    want = np.array(
        [
            [0.0, 3.0, 5.0, 6.0],
            [7.0, 0.0, 2.0, 3.0],
            [5.0, 8.0, 0.0, 1.0],
            [4.0, 7.0, 9.0, 0.0],
        ]
    )
    assert np.array_equal(D2.d, want)
    assert np.array_equal(D.d, [[0.0, 3.0], [np.inf, 0.0]])


@pytest.mark.parametrize("mode", MODES)
def test_update_distances_blocks_agree(mode: str) -> None:
    G0, G1 = mock_graph(), _mock_plus()
    D0 = all_node_distances(G0, mode)
    edges = added_edges(G0, G1, mode)
    new = [n for n in G1 if n not in G0]
    dense = update_distances(D0, edges, new_nodes=new)
    blocked = update_distances(D0, edges, new_nodes=new, block_rows=2)
    assert np.array_equal(dense.d, blocked.d)  # same operations, other block boundaries
    fin = np.isfinite(dense.d)
    full = all_node_distances(G1, mode, nodes=blocked.nodes).d
    assert np.abs(full[fin] - blocked.d[fin]).max() <= ATOL_S


def test_no_change_is_bit_identical() -> None:
    G = mock_graph()
    for mode in MODES:
        assert added_edges(G, mock_graph(), mode) == []
        T = travel_times_incremental(G, mock_graph(), mode, warn_unreachable=False)
        pd.testing.assert_frame_equal(T, _quiet_tt(G, mode), check_exact=True)


def test_unreachable_warning_matches_travel_times() -> None:
    G0, G1 = mock_graph(), mock_graph()
    G1.add_edge("rd:330200", "rd:340100", mode="road", length=4e5, travel_time=9000.0)
    with pytest.warns(UnreachableWarning) as got:
        travel_times_incremental(G0, G1, "rail")
    with pytest.warns(UnreachableWarning) as want:
        yrdnet.travel_times(G1, "rail")
    assert [str(w.message) for w in got] == [str(w.message) for w in want]
    assert got[0].filename == __file__  # points at the caller
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        travel_times_incremental(G0, G1, "rail", warn_unreachable=False)


# ------------------------------------------------------------------ errors
def test_removed_edge_raises() -> None:
    G0, G1 = mock_graph(), _mock_plus()
    G1.remove_edge("rd:330100", "rd:330200")
    msg = r"not a pure addition.*'rd:330100' -> 'rd:330200' removed"
    with pytest.raises(NotIncrementalError, match=msg):
        added_edges(G0, G1, "road")
    with pytest.raises(NotIncrementalError, match="removed"):
        travel_times_incremental(G0, G1, "multimodal")
    # the same removal is invisible to rail, which never uses expressways
    assert added_edges(G0, G1, "rail")


def test_slowed_edge_raises() -> None:
    G0, G1 = mock_graph(), mock_graph()
    for d in G1.get_edge_data("pl:HH:shhq", "pl:HH:hzdong").values():
        d["travel_time"] += 60.0
    with pytest.raises(NotIncrementalError, match=r"'pl:HH:shhq' -> 'pl:HH:hzdong' slower"):
        added_edges(G0, G1)
    assert isinstance(NotIncrementalError("x"), (ValueError, yrdnet.YrdnetError))


def test_zero_cost_edge_removal_detected() -> None:
    G0, G1 = mock_graph(), mock_graph()
    G1.remove_edge("pl:HF:njnan", "pl:HN:njnan")  # travel_time 0.0
    with pytest.raises(NotIncrementalError, match="pl:HF:njnan"):
        added_edges(G0, G1, "rail")


def test_removed_node_raises() -> None:
    G0, G1 = mock_graph(), mock_graph()
    G1.remove_node("st:hfbei")  # isolated: only the node goes
    with pytest.raises(NotIncrementalError, match="node 'st:hfbei' removed"):
        added_edges(G0, G1)


def test_bad_inputs() -> None:
    G0, G1 = mock_graph(), _mock_plus()
    D = all_node_distances(G0, "rail")
    with pytest.raises(ValueError, match="unknown mode 'bike'"):
        travel_times_incremental(G0, G1, "bike")
    with pytest.raises(ValueError, match="for mode 'rail', not 'road'"):
        travel_times_incremental(G0, G1, "road", base=D)
    small = all_node_distances(G0, "rail", nodes=[n for n in G0 if n.startswith("zone:")])
    with pytest.raises(ValueError, match=r"miss .* node"):
        travel_times_incremental(G0, G1, "rail", base=small)
    with pytest.raises(ValueError, match="neither covered"):
        update_distances(D, [("st:nb", "pl:ZN:nb", 1.0)])
    with pytest.raises(ValueError, match="finite and >= 0"):
        update_distances(D, [("st:nb", "st:shhq", -1.0)])
    with pytest.raises(ValueError, match="not in the graph"):
        all_node_distances(G0, nodes=["zone:1"])
    with pytest.raises(ValueError, match="does not match"):
        NodeDistances(("a",), np.zeros((2, 2)), "rail")


# ------------------------------------------------------------------ scenario helper
def test_scenario_travel_times_incremental_path(caplog, full) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="yrdnet.scenarios.incremental"):
        T = scenario_travel_times("north_yangtze_hsr", "rail", warn_unreachable=False)
    assert "incremental update of base 'baseline_2025'" in caplog.text
    pd.testing.assert_frame_equal(T, full[("north_yangtze_hsr", "rail")], check_exact=True)


@pytest.mark.slow
def test_scenario_travel_times_full_path(caplog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "close.toml"
    p.write_text(
        '[scenario]\nname = "close"\nbase = "baseline_2025"\n'
        '[[edits]]\nop = "close_line"\nline = "hefei_nanjing_railway"\n',
        encoding="utf-8",
    )
    sc = load_scenario(p)
    if sc.edits[0]["line"] not in sc.tables().lines.index:  # pragma: no cover
        pytest.skip("line id changed")
    with caplog.at_level(logging.INFO, logger="yrdnet.scenarios.incremental"):
        T = scenario_travel_times(p, "multimodal", warn_unreachable=False)
    assert "full routing" in caplog.text
    expected = _quiet_tt(yrdnet.build_graph(p), "multimodal")
    pd.testing.assert_frame_equal(T, expected, check_exact=True)


def test_scenario_travel_times_slower_link_falls_back(caplog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hw = yrdnet.load_highways()
    pair = hw[["from_adcode", "to_adcode"]].apply(frozenset, axis=1)
    # a link with no parallel link between the same cities, so the slow-down is visible
    old = pd.to_numeric(hw["opened"], errors="coerce").fillna(0) <= 2025
    lk = next(k for k, pr in pair.items() if (pair == pr).sum() == 1 and old[k])
    row = hw.loc[lk]
    p = tmp_path / "slow.toml"
    p.write_text(
        '[scenario]\nname = "slow"\nbase = "baseline_2025"\n'
        f'[[edits]]\nop = "add_link"\nlink = "{lk}"\nfrom = {int(row["from_adcode"])}\n'
        f"to = {int(row['to_adcode'])}\nkm = {float(row['km']) * 2}\nspeed_kph = 60\n",
        encoding="utf-8",
    )
    assert load_scenario(p).only_adds()
    # the curated city links are the road layer of road_network="city_links" only (with the
    # default county expressway network, the edit adds a new link instead of slowing one)
    m = yrdnet.TravelTimeModel(road_network="city_links")
    with caplog.at_level(logging.INFO, logger="yrdnet.scenarios.incremental"):
        T = scenario_travel_times(p, "road", model=m, warn_unreachable=False)
    assert "full routing" in caplog.text and "slower" in caplog.text
    pd.testing.assert_frame_equal(T, _quiet_tt(yrdnet.build_graph(p, model=m), "road"), check_exact=True)

"""IncrementalBase, the exact incremental graph construction and the batch min-plus kernel.

Oracles: ``build_graph`` + ``travel_times`` (float32 minutes identical; graphs equal node
for node and edge for edge with attributes and keys), and scipy's Dijkstra for the kernel.
"""

from __future__ import annotations

import dataclasses
import pickle
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import dijkstra

from yrdnet.core.settings import settings
from yrdnet.network.delta import GraphDelta, apply_delta, data_stamp, rail_delta
from yrdnet.network.delta_reuse import hall_access
from yrdnet.network.graph import _track_json
from yrdnet.network.hall_access import city_access_edges, zone_access_edges
from yrdnet.routing.compile import MODES, min_csr
from yrdnet.routing.matrices import UnreachableWarning, travel_times
from yrdnet.routing.minplus_batch import batch_update, kernel_costs, min_plus_closure
from yrdnet.scenarios.incremental import (
    IncrementalBase,
    NodeDistances,
    NotIncrementalError,
    scenario_travel_times,
    update_zone_distances,
)
from yrdnet.scenarios.prepared_base import _pair_trains, city_train_graph, scenario_rail_pairs
from yrdnet.scenarios.scenario import Scenario, build_graph, load_scenario, scenarios_folder

BASE = "baseline_2025"


def _add_only() -> list[str]:
    out = []
    for p in sorted(scenarios_folder().glob("*.toml")):
        s = load_scenario(p)
        if isinstance(s.base, Scenario) and s.base.name == BASE and all(e["op"] == "open_line" for e in s.edits):
            out.append(s.name)
    return out


ADD_ONLY = _add_only()


def _single(line: str) -> Scenario:
    return Scenario(name=f"single_{line}", base=load_scenario(BASE), edits=[{"op": "open_line", "line": line}])


def _full(sc: str | Path | Scenario, mode: str) -> pd.DataFrame:
    return travel_times(build_graph(sc), mode, warn_unreachable=False)


def _edges(G: nx.MultiDiGraph) -> list[tuple[str, str, int, tuple[tuple[str, object], ...]]]:
    return sorted((u, v, k, tuple(sorted(d.items()))) for u, v, k, d in G.edges(keys=True, data=True))


def _assert_same_graph(got: nx.MultiDiGraph, want: nx.MultiDiGraph) -> None:
    assert dict(got.nodes(data=True)) == dict(want.nodes(data=True))
    assert _edges(got) == _edges(want)
    assert got.graph == want.graph


@pytest.fixture(scope="module")
def city() -> IncrementalBase:
    return IncrementalBase.build(BASE)


@pytest.fixture(scope="module")
def county() -> IncrementalBase:
    return IncrementalBase.build(BASE, zones="county")


# ------------------------------------------------------------------ shipped scenarios, city
def test_shipped_add_only_scenarios_found() -> None:
    assert "plan_2035" in ADD_ONLY and len(ADD_ONLY) >= 10


@pytest.mark.slow
@pytest.mark.parametrize("name", ADD_ONLY)
def test_city_identical_to_full(name: str, city: IncrementalBase) -> None:
    G = build_graph(name)
    _assert_same_graph(city.scenario_graph(name), G)
    got = city.evaluate(name, warn_unreachable=False)
    for mode in MODES:
        T, method = got[mode]
        assert method == "incremental"
        pd.testing.assert_frame_equal(T, travel_times(G, mode, warn_unreachable=False), check_exact=True)


# ------------------------------------------------------------------ county
@pytest.mark.slow
def test_county_identical_to_full(county: IncrementalBase) -> None:
    sc = _single("ningbo_zhoushan_railway")  # new stations, new halls, an island reached
    G = build_graph(sc, zones="county")
    _assert_same_graph(county.scenario_graph(sc), G)
    got = county.evaluate(sc, warn_unreachable=False)
    for mode in MODES:
        T, method = got[mode]
        assert method == "incremental"
        assert np.array_equal(T.to_numpy(), travel_times(G, mode, warn_unreachable=False).to_numpy())
    # the road matrix is the base's: a rail line changes no road trip
    assert got["road"][0].equals(county.evaluate(BASE, ("road",), warn_unreachable=False)["road"][0])


def test_county_plan_2035_both_kernels(county: IncrementalBase) -> None:
    G = build_graph("plan_2035", zones="county")
    delta = county.delta("plan_2035")
    new = [n for n, _ in delta.new_nodes]
    for mode in MODES:
        want = travel_times(G, mode, warn_unreachable=False).to_numpy()
        edges = delta.added_edges(mode, county.state.pair_min)
        for kernel in ("per-edge", "batch"):
            sec, used = update_zone_distances(
                county.distances[mode], county.zone_nodes, edges, new_nodes=new, kernel=kernel
            )
            assert used == kernel
            assert np.array_equal((sec / 60.0).astype(np.float32), want), (mode, kernel)


def test_base_itself_is_no_change(city: IncrementalBase) -> None:
    d = city.delta(BASE)
    assert d.rail == [] and d.access == [] and d.new_nodes == []
    T, method = city.travel_times(BASE, "rail", warn_unreachable=False)
    assert method == "incremental"
    pd.testing.assert_frame_equal(T, _full(BASE, "rail"), check_exact=True)


# ------------------------------------------------------------------ fallbacks
def _toml(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(f'[scenario]\nname = "{name}"\nbase = "{BASE}"\n{body}', encoding="utf-8")
    return p


def test_close_line_routes_in_full(city: IncrementalBase, tmp_path: Path) -> None:
    p = _toml(tmp_path, "close", '[[edits]]\nop = "close_line"\nline = "hefei_nanjing_railway"\n')
    with pytest.raises(NotIncrementalError, match="closed"):
        city.delta(p)
    T, method = city.travel_times(p, "multimodal", warn_unreachable=False)
    assert method == "full"
    pd.testing.assert_frame_equal(T, _full(p, "multimodal"), check_exact=True)


def test_model_override_builds_the_graph(city: IncrementalBase, tmp_path: Path) -> None:
    # a shorter alighting time only lowers rail edges: graph built, then routed incrementally
    p = _toml(tmp_path, "alight", '[[edits]]\nop = "open_line"\nline = "north_yangtze_hsr"\n[model]\nalight_min = 1\n')
    with pytest.raises(NotIncrementalError, match="model"):
        city.delta(p)
    got = city.evaluate(p, ("rail", "road"), warn_unreachable=False)
    assert got["rail"][1] == "incremental (graph built)"
    G = build_graph(p)
    for mode in ("rail", "road"):
        pd.testing.assert_frame_equal(got[mode][0], travel_times(G, mode, warn_unreachable=False), check_exact=True)


@pytest.mark.slow
def test_new_expressway_link_builds_the_graph(city: IncrementalBase, tmp_path: Path) -> None:
    p = _toml(
        tmp_path,
        "link",
        '[[edits]]\nop = "add_link"\nlink = "g_test"\nroute = "G99"\n'
        "from = 320100\nto = 330900\nkm = 450\nspeed_kph = 120\n",
    )
    T, method = city.travel_times(p, "road", warn_unreachable=False)
    assert method == "incremental (graph built)"
    pd.testing.assert_frame_equal(T, _full(p, "road"), check_exact=True)
    assert (T.to_numpy() <= _full(BASE, "road").to_numpy()).all()


_NEW_LINE = """[scenario]
name = "new_line"
base = "baseline_2025"
[[edits]]
op = "add_line"
line = "my_line"
speed_kph = 350
stops = ["hefei_south", "new_stop", "nanjing_south"]
[[edits.stations]]
id = "new_stop"
name_en = "New Stop"
name_zh = "新站"
adcode = 340100
lon = 117.6
lat = 31.9
"""
_CHAIN = """[scenario]
name = "chain"
base = "north_yangtze_hsr"
[[edits]]
op = "open_line"
line = "shanghai_hangzhou_2nd_hsr"
"""


@pytest.mark.parametrize("text", [_NEW_LINE, _CHAIN], ids=["add_line with a new station", "base chain"])
def test_other_add_only_scenarios(text: str, city: IncrementalBase, tmp_path: Path) -> None:
    p = tmp_path / "s.toml"
    p.write_text(text, encoding="utf-8")
    G = build_graph(p)
    _assert_same_graph(city.scenario_graph(p), G)
    got = city.evaluate(p, ("multimodal", "rail"), warn_unreachable=False)
    for mode, (T, method) in got.items():
        assert method == "incremental"
        pd.testing.assert_frame_equal(T, travel_times(G, mode, warn_unreachable=False), check_exact=True)


def test_incremental_equals_full_in_a_year_with_a_speed_period() -> None:
    """2010: 沪宁城际 runs 350 (line_speeds.csv); the incremental construction sees the same speed as the build."""
    base = load_scenario("baseline_2010")
    B = IncrementalBase.build(base)
    assert int(B.state.net.lines.at["shanghai_nanjing_intercity", "operating_speed_kph"]) == 350
    edit = {"op": "add_line", "line": "my_line", "speed_kph": 250, "stops": ["hefei", "nanjing"]}
    sc = Scenario(name="hefei_nanjing_direct", base=base, edits=[edit])
    G = build_graph(sc)
    _assert_same_graph(B.scenario_graph(sc), G)
    T, method = B.travel_times(sc, "rail", warn_unreachable=False)
    assert method == "incremental"
    pd.testing.assert_frame_equal(T, travel_times(G, "rail", warn_unreachable=False), check_exact=True)


# ------------------------------------------------------------------ safety
def test_pickle_roundtrip(city: IncrementalBase) -> None:
    B2 = pickle.loads(pickle.dumps(city))
    sc = _single("north_yangtze_hsr")
    a, b = city.travel_times(sc, "rail", warn_unreachable=False), B2.travel_times(sc, "rail", warn_unreachable=False)
    assert a[1] == b[1] == "incremental"
    pd.testing.assert_frame_equal(a[0], b[0], check_exact=True)
    pickle.loads(pickle.dumps(sc))  # scenarios travel to workers too


def test_changed_data_files_refuse(city: IncrementalBase, tmp_path: Path) -> None:
    stale = dataclasses.replace(city, stamp=(("cities.csv", 0, 0),))
    with pytest.raises(ValueError, match=r"data file.*changed.*cities\.csv"):
        stale.travel_times(BASE, "rail")
    (tmp_path / "a.csv").write_text("x\n1\n", encoding="utf-8")
    old = settings.data_folder
    try:
        settings.data_folder = tmp_path  # type: ignore[assignment]
        s0 = data_stamp()
        (tmp_path / "a.csv").write_text("x\n12\n", encoding="utf-8")
        assert data_stamp() != s0
    finally:
        settings.data_folder = old


def test_mode_not_prepared_and_warning(tmp_path: Path) -> None:
    B = IncrementalBase.build(BASE, modes=("rail",))
    with pytest.raises(ValueError, match="mode 'road' was not prepared"):
        B.travel_times(BASE, "road")
    with pytest.raises(ValueError, match="unknown mode"):
        B.travel_times(BASE, "bike")
    with pytest.warns(UnreachableWarning) as got:
        B.travel_times(BASE, "rail")
    with pytest.warns(UnreachableWarning) as want:
        travel_times(B.graph, "rail")
    assert str(got[0].message) == str(want[0].message)


@pytest.mark.slow
def test_scenario_travel_times_zones(county: IncrementalBase) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        T = scenario_travel_times("north_yangtze_hsr", "rail", zones="county")
    assert T.shape == (305, 305)
    want, method = county.travel_times("north_yangtze_hsr", "rail", warn_unreachable=False)
    assert method == "incremental"
    assert np.array_equal(T.to_numpy(), want.to_numpy())


def test_apply_delta_leaves_base_untouched(city: IncrementalBase) -> None:
    n, m = city.graph.number_of_nodes(), city.graph.number_of_edges()
    G = apply_delta(city.graph, city.delta("north_yangtze_hsr"))
    assert G.number_of_nodes() > n and G.number_of_edges() != m
    assert (city.graph.number_of_nodes(), city.graph.number_of_edges()) == (n, m)


# ------------------------------------------------------------------ the batch kernel
def test_closure_by_hand() -> None:
    inf = np.inf
    W = np.array([[0.0, 2.0, inf], [inf, 0.0, 3.0], [1.0, inf, 0.0]])
    want = np.array([[0.0, 2.0, 5.0], [4.0, 0.0, 3.0], [1.0, 3.0, 0.0]])
    assert np.array_equal(min_plus_closure(W), want)


def test_batch_update_by_hand() -> None:
    # zones z1, z2 joined only through x (old) and n (new): z1 -1-> x, x -(new 2)-> n -(new 3)-> z2
    inf = np.inf
    T = np.array([[0.0, inf], [inf, 0.0]])
    A = np.array([[1.0, inf], [inf, 0.0]])  # zones -> K_old = (x, z2)
    B = np.array([[inf, inf], [inf, 0.0]])  # K_old -> zones
    K = np.array([[0.0, inf], [inf, 0.0]])
    out = batch_update(T, A, B, K, [(0, 2, 2.0), (2, 1, 3.0)], n_old=2)  # 2 = the new node n
    assert out.tolist() == [[0.0, 6.0], [inf, 0.0]]
    assert np.isinf(T[0, 1])  # input untouched


@pytest.mark.parametrize("seed", range(6))
def test_kernels_agree_with_dijkstra(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m, n_new = 40, 120, 3
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    w = rng.uniform(1, 100, m).round(1)  # one decimal: sums exact in float64 up to far beyond
    nodes = [f"v{i}" for i in range(n)]
    D = NodeDistances(tuple(nodes), dijkstra(min_csr(u, v, w, n)), "road")
    new = [f"n{i}" for i in range(n_new)]
    allnodes = nodes + new
    k = 15
    eu, ev = rng.integers(0, n + n_new, k), rng.integers(0, n + n_new, k)
    ew = rng.uniform(1, 50, k).round(1)
    edges = [(allnodes[a], allnodes[b], float(x)) for a, b, x in zip(eu, ev, ew, strict=True) if a != b]
    idx = {x: i for i, x in enumerate(allnodes)}
    uu = np.concatenate([u, [idx[a] for a, _, _ in edges]])
    vv = np.concatenate([v, [idx[b] for _, b, _ in edges]])
    ww = np.concatenate([w, [x for *_, x in edges]])
    zones = nodes[:12]
    zi = [idx[z] for z in zones]
    want = dijkstra(min_csr(uu, vv, ww, n + n_new), indices=zi)[:, zi]
    for kernel in ("per-edge", "batch", "auto"):
        got, used = update_zone_distances(D, zones, edges, new_nodes=new, kernel=kernel)
        assert kernel == "auto" or used == kernel
        assert np.array_equal(np.isinf(got), np.isinf(want))
        fin = np.isfinite(want)
        assert np.abs(got[fin] - want[fin]).max(initial=0.0) <= 1e-9


def test_kernel_costs_and_bad_kernel() -> None:
    per_edge, batch = kernel_costs(n_edges=500, n_rows=320, n_touched=20, n_zones=300)
    assert per_edge == 500 * 320 * 320
    assert batch == 20**3 + 300 * 20 * 20 + 300 * 300 * 20
    D = NodeDistances(("a",), np.zeros((1, 1)), "road")
    with pytest.raises(ValueError, match="kernel must be one of"):
        update_zone_distances(D, ["a"], [], kernel="fast")


def _batch_update_reference(
    T: np.ndarray, A: np.ndarray, B: np.ndarray, K: np.ndarray, edges: list[tuple[int, int, float]], n_old: int
) -> np.ndarray:
    """The batch update as first written: the (Z, k, k) product and one b at a time on its improving rows."""
    k = n_old + max(1 + max((max(a, b) for a, b, _ in edges), default=-1) - n_old, 0)
    W = np.full((k, k), np.inf)
    W[:n_old, :n_old] = K
    W[np.arange(k), np.arange(k)] = 0.0
    for a, b, w in edges:
        W[a, b] = min(W[a, b], w)
    C = min_plus_closure(W)[:n_old, :n_old]
    out = T.copy()
    if n_old == 0:
        return out
    AC = (A[:, :, None] + C[None, :, :]).min(axis=1)
    for b in range(n_old):
        rows = np.flatnonzero(AC[:, b] < A[:, b])
        out[rows] = np.minimum(out[rows], AC[rows, b, None] + B[b, None, :])
    return out


@pytest.mark.parametrize("seed", range(20))
def test_batch_update_equals_the_reference_bit_for_bit(seed: int) -> None:
    # irrational-ish weights: sums round, so any change of which sums are taken would show
    rng = np.random.default_rng(seed)
    z, k_old, k_new = int(rng.integers(1, 60)), int(rng.integers(0, 12)), int(rng.integers(0, 4))
    n = z + k_old
    M = rng.uniform(0, 1e4, (n, n)) * np.pi
    M[rng.random((n, n)) < 0.6] = 0.0  # no arc
    D = dijkstra(M)
    k = k_old + k_new
    ends = rng.integers(0, max(k, 1), (3 * k, 2)).tolist()
    edges = [(a, b, float(rng.uniform(0, 3e3) * np.e)) for a, b in ends]
    T, A, B, K = D[:z, :z], D[:z, z:], D[z:, :z], D[z:, z:]
    got = batch_update(T, A, B, K, edges, k_old)
    assert np.array_equal(got, _batch_update_reference(T, A, B, K, edges, k_old))
    assert np.array_equal(T, D[:z, :z])  # input untouched


# ------------------------------------------------------------------ what a base keeps across scenarios
@pytest.mark.parametrize("level", ["city", "county"])
def test_kept_hall_access_equals_the_build(level: str, city: IncrementalBase, county: IncrementalBase) -> None:
    B = city if level == "city" else county
    st, t = B.state, B.state.tables
    unserved = sorted(f"st:{s}" for s in t.stations.index if f"st:{s}" not in B.graph)
    assert len(unserved) > 10
    for halls in (unserved[:7], unserved[3:12], unserved[:12][::-1], unserved[::5]):  # kept ones, new ones, mixed
        if level == "city":
            want = city_access_edges(t.cities, t.stations, st.model, halls, st.sourced)
        else:
            want = zone_access_edges(st.zones, t.stations, st.model, halls, st.sourced, st.core_of)
        assert hall_access(st, t.cities, t.stations, halls) == want  # edges, attributes and order


def _city_train_graph_of_sums(B: IncrementalBase, P: nx.MultiDiGraph, delta: GraphDelta) -> nx.MultiDiGraph:
    """city_train_graph of every city pair's sum (the base's, the delta's pairs laid again)."""
    base = B.city_trains
    assert base is not None
    w = dict(base.by_city_pair)
    city = P.nodes(data="city")
    for u, v in set(delta.pairs) | {(u, v) for u, v, _ in delta.rail}:
        cu, cv = int(city[u]), int(city[v])
        if cu != cv:
            w[(cu, cv)] = w.get((cu, cv), 0.0) - base.by_pair.get((u, v), 0.0) + _pair_trains(P, u, v)
    halls = {int(d["city"]) for _, d in delta.new_nodes if d.get("kind") == "station"}
    return city_train_graph(w, base.cities | halls)


@pytest.mark.parametrize("line", ["north_yangtze_hsr", "ningbo_zhoushan_railway", "nanjing_huaian_intercity"])
def test_scenario_pieces_equal_those_made_in_full(line: str, county: IncrementalBase) -> None:
    sc = _single(line)
    delta = county.delta(sc)
    # the track of the graph, line by line from kept rows
    assert delta.track is not None and delta.track == _track_json(delta.stations, delta.by_line)
    # the services compared through the index equal those compared row by row
    slow = dataclasses.replace(county.state, index=None)
    d2 = rail_delta(slow, sc, sc.tables(slow.tables), sc.travel_time_model(county.model))
    assert (d2.pairs, d2.rail, d2.new_nodes, d2.access) == (delta.pairs, delta.rail, delta.new_nodes, delta.access)
    assert d2.graph_attrs == delta.graph_attrs
    # the city train graph: an overlay of the base's, equal to the one made from every sum
    P = scenario_rail_pairs(county.rail, delta)
    got, want = county._city_trains(P, delta), _city_train_graph_of_sums(county, P, delta)
    assert got is not None
    assert list(got.nodes(data=True)) == list(want.nodes(data=True))
    assert list(got.edges(keys=True, data=True)) == list(want.edges(keys=True, data=True))
    assert [list(got.pred[n]) for n in got] == [list(want.pred[n]) for n in want]

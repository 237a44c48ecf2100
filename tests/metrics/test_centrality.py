"""Tests of yrdnet.metrics.centrality: oracle (networkx, brute force), hand values, invariance.

Tolerances: all backends run on the same integer-valued (1 ms) weights, so they agree to
float round-off of the accumulation; ATOL = 1e-12 on normalised values.
"""

from __future__ import annotations

import importlib.util
import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from yrdnet import settings
from yrdnet.core.errors import GraphContractError
from yrdnet.metrics.centrality import (
    MODES,
    TIME_RESOLUTION,
    betweenness,
    city_betweenness,
    edge_betweenness,
    freeman_centralization,
)
from yrdnet.testing import mock_graph, random_graph

ATOL = 1e-12
HAS_IGRAPH = importlib.util.find_spec("igraph") is not None
BACKENDS = [
    pytest.param("igraph", marks=pytest.mark.skipif(not HAS_IGRAPH, reason="needs igraph")),
    "scipy",
    "networkx",
]


@pytest.fixture(scope="module")
def mock() -> nx.MultiDiGraph:
    return mock_graph()


@pytest.fixture(scope="module")
def rand() -> nx.MultiDiGraph:
    # ~200 nodes, continuous travel times: no exact ties, no zero-cost edges
    return random_graph(20, n_nodes=200, seed=11)


# ----------------------------------------------------------------- independent reference


def _mode_subgraph(G: nx.MultiDiGraph, mode: str) -> nx.MultiDiGraph:
    """Mode filter written from the contract text, independent of yrdnet.routing.compile."""
    kind = dict(G.nodes(data="kind"))

    def keep(u: str, v: str, d: dict) -> bool:
        m = d["mode"]
        touches_road = m == "access" and "road" in {kind[u], kind[v]}
        touches_station = m == "access" and "station" in {kind[u], kind[v]}
        if mode == "rail":
            return m in {"rail", "transfer", "access"} and not touches_road
        if mode == "road":
            return m in {"road", "access"} and not touches_station
        return True

    H = nx.MultiDiGraph()
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if keep(u, v, d))
    return H


def _quantised_digraph(G: nx.MultiDiGraph, mode: str) -> nx.DiGraph:
    """The documented preprocessing: 1 ms integer weights, zero -> 1, min over parallels."""
    D = nx.DiGraph()
    D.add_nodes_from(G.nodes)
    for u, v, d in _mode_subgraph(G, mode).edges(data=True):
        if u == v:
            continue
        w = max(round(d["travel_time"] / TIME_RESOLUTION), 1)
        if not D.has_edge(u, v) or w < D[u][v]["w"]:
            D.add_edge(u, v, w=w)
    return D


def _zones(G: nx.MultiDiGraph) -> list[str]:
    return [n for n, k in G.nodes(data="kind") if k == "zone"]


def _node_denominator(G: nx.MultiDiGraph) -> pd.Series:
    nz = len(_zones(G))
    return pd.Series({n: (nz - 1) * (nz - 2) if k == "zone" else nz * (nz - 1) for n, k in G.nodes(data="kind")})


def _nx_node_reference(G: nx.MultiDiGraph, mode: str, *, quantise: bool) -> pd.Series:
    H = _quantised_digraph(G, mode) if quantise else _mode_subgraph(G, mode)
    raw = nx.betweenness_centrality_subset(
        H, _zones(G), _zones(G), normalized=False, weight="w" if quantise else "travel_time"
    )
    return pd.Series(raw).reindex(list(G.nodes)) / _node_denominator(G).reindex(list(G.nodes))


# ---------------------------------------------------------------------------- oracles


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("backend", BACKENDS)
def test_node_betweenness_matches_networkx_on_mock(mock, mode, backend):
    ref = _nx_node_reference(mock, mode, quantise=True)
    got = betweenness(mock, mode=mode, backend=backend)
    assert list(got.index) == list(mock.nodes)
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=0, atol=ATOL)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("backend", BACKENDS)
def test_node_betweenness_matches_raw_networkx_on_random_graph(rand, mode, backend):
    # raw travel times straight into networkx: no quantisation, parallel edges as given
    ref = _nx_node_reference(rand, mode, quantise=False)
    got = betweenness(rand, mode=mode, backend=backend)
    assert (ref > 0).sum() > 10  # the comparison is not vacuous
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=0, atol=ATOL)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("backend", BACKENDS)
def test_edge_betweenness_matches_networkx_on_random_graph(rand, mode, backend):
    # no ties here, where networkx's edge subset accumulation is exact
    H = _mode_subgraph(rand, mode)
    raw = nx.edge_betweenness_centrality_subset(H, _zones(rand), _zones(rand), normalized=False, weight="travel_time")
    nz = len(_zones(rand))
    ref = pd.Series(raw).reindex(list(rand.edges(keys=True)), fill_value=0.0) / (nz * (nz - 1))
    got = edge_betweenness(rand, mode=mode, backend=backend)
    assert list(got.index) == list(rand.edges(keys=True))
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=0, atol=ATOL)


@pytest.mark.parametrize("mode", MODES)
def test_backends_agree_on_edges_of_mock(mock, mode):
    ref = edge_betweenness(mock, mode=mode, backend="networkx")
    for backend in ("igraph", "scipy") if HAS_IGRAPH else ("scipy",):
        got = edge_betweenness(mock, mode=mode, backend=backend)
        np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=0, atol=ATOL)


def test_scipy_chunks_do_not_change_the_result(rand):
    ref = betweenness(rand, backend="networkx")
    with settings.override(chunk_size=3):
        got = betweenness(rand, backend="scipy")
        cb = city_betweenness(rand)
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=0, atol=ATOL)
    np.testing.assert_allclose(cb.to_numpy(), city_betweenness(rand).to_numpy(), atol=ATOL)


# ----------------------------------------------------------------------- hand values


def _tiny(edges: list[tuple[str, str, float]], *, road: str = "road") -> nx.MultiDiGraph:
    """A contract graph from (u, v, travel_time); ids 'zone:<code>' or 'rd:<code>...'."""
    G = nx.MultiDiGraph(crs="EPSG:4326", scenario="tiny", year=2024)
    for u, v, tt in edges:
        for n in (u, v):
            if n not in G:
                code = int(n.split(":")[1])
                G.add_node(
                    n,
                    x=120.0 + len(G) * 0.1,
                    y=31.0,
                    city=code,
                    name=n,
                    kind="zone" if n.startswith("zone:") else "road",
                )
        mode = "access" if "zone" in {G.nodes[u]["kind"], G.nodes[v]["kind"]} else road
        G.add_edge(u, v, mode=mode, length=1000.0 * tt, speed_kph=60.0, travel_time=tt)
    return G


def _both_ways(pairs: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    return pairs + [(v, u, t) for u, v, t in pairs]


@pytest.fixture
def path_graph() -> nx.MultiDiGraph:
    # zone:310000 - rd:310000 - rd:320000 - rd:330000 - zone:330000, zone:320000 off rd:320000
    return _tiny(
        _both_ways(
            [
                ("zone:310000", "rd:310000", 60.0),
                ("rd:310000", "rd:320000", 600.0),
                ("rd:320000", "rd:330000", 700.0),
                ("rd:330000", "zone:330000", 60.0),
                ("zone:320000", "rd:320000", 60.0),
            ]
        )
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_hand_values_on_path_graph(path_graph, backend):
    raw = betweenness(path_graph, normalized=False, backend=backend)
    # rd:310000 is on every path from/to zone 31: (31,32), (31,33), (32,31), (33,31)
    assert raw["rd:310000"] == pytest.approx(4.0)
    assert raw["rd:320000"] == pytest.approx(6.0)  # on all 6 ordered pairs
    assert raw["rd:330000"] == pytest.approx(4.0)
    assert raw[["zone:310000", "zone:320000", "zone:330000"]].tolist() == [0.0, 0.0, 0.0]
    norm = betweenness(path_graph, backend=backend)
    assert norm["rd:320000"] == pytest.approx(1.0)  # 6 / (3 * 2)
    assert norm["rd:310000"] == pytest.approx(4 / 6)
    edge = edge_betweenness(path_graph, normalized=False, backend=backend)
    assert edge[("rd:310000", "rd:320000", 0)] == pytest.approx(2.0)  # (31,32), (31,33)
    assert edge[("zone:320000", "rd:320000", 0)] == pytest.approx(2.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_uneven_ties_are_sigma_weighted(backend):
    # three equally short routes S->T: via 1-3-5, 2-3-5 and 7-6-5 (sigma_3 = 2, sigma_6 = 1)
    G = _tiny(
        [
            ("zone:310000", "rd:1", 1),
            ("zone:310000", "rd:2", 1),
            ("zone:310000", "rd:7", 1),
            ("rd:1", "rd:3", 1),
            ("rd:2", "rd:3", 1),
            ("rd:7", "rd:6", 1),
            ("rd:3", "rd:5", 1),
            ("rd:6", "rd:5", 1),
            ("rd:5", "zone:320000", 1),
        ]
    )
    node = betweenness(G, normalized=False, backend=backend)
    assert node["rd:3"] == pytest.approx(2 / 3)
    assert node["rd:6"] == pytest.approx(1 / 3)
    assert node["rd:5"] == pytest.approx(1.0)
    edge = edge_betweenness(G, normalized=False, backend=backend)
    # networkx 3.6's edge_betweenness_centrality_subset gives 1/2 and 1/2 here
    assert edge[("rd:3", "rd:5", 0)] == pytest.approx(2 / 3)
    assert edge[("rd:6", "rd:5", 0)] == pytest.approx(1 / 3)


@pytest.mark.parametrize("backend", BACKENDS)
def test_parallel_edges_min_weight_and_equal_split(backend):
    G = _tiny(_both_ways([("zone:310000", "rd:310000", 60.0), ("rd:320000", "zone:320000", 60.0)]))
    for tt in (500.0, 500.0, 900.0):  # two tied fastest parallels and a slow one
        G.add_edge("rd:310000", "rd:320000", mode="road", length=1.0, speed_kph=1.0, travel_time=tt)
    eb = edge_betweenness(G, normalized=False, backend=backend)
    assert eb[("rd:310000", "rd:320000", 0)] == pytest.approx(0.5)
    assert eb[("rd:310000", "rd:320000", 1)] == pytest.approx(0.5)
    assert eb[("rd:310000", "rd:320000", 2)] == 0.0


def test_mock_pathologies(mock):
    rail = betweenness(mock, mode="rail")
    road_nodes = [n for n, k in mock.nodes(data="kind") if k == "road"]
    assert (rail[road_nodes] == 0).all()
    assert rail["st:hfbei"] == 0.0  # isolated station
    assert rail["pl:HF:njnan"] > 0  # Hefei's trains through-run onto HN
    road = edge_betweenness(mock, mode="road")
    assert road[("rd:310000", "rd:320500", 0)] > 0
    assert road[("rd:310000", "rd:320500", 1)] == 0.0  # slower duplicate
    mm = betweenness(mock)
    assert mm["st:nb"] > 0  # Zhoushan reaches rail through Ningbo in multimodal mode


# ------------------------------------------------------------------------- invariance


@pytest.mark.parametrize("factor", [2.5, 60.0])
def test_scaling_travel_times_changes_nothing(rand, mock, factor):
    for G in (mock, rand):
        H = G.copy()
        for _, _, d in H.edges(data=True):
            d["travel_time"] *= factor
        for fn in (betweenness, edge_betweenness, city_betweenness):
            np.testing.assert_allclose(fn(H).to_numpy(), fn(G).to_numpy(), rtol=0, atol=ATOL)


def test_functions_do_not_mutate_the_graph(mock):
    before = mock_graph()
    betweenness(mock)
    edge_betweenness(mock, mode="rail")
    city_betweenness(mock, mode="road")
    assert nx.utils.graphs_equal(mock, before)


# --------------------------------------------------------------------------- sampling


@pytest.mark.parametrize("backend", BACKENDS)
def test_sampling_all_zones_equals_exact(rand, backend):
    nz = len(_zones(rand))
    exact = betweenness(rand, backend=backend)
    sampled = betweenness(rand, k=nz, seed=3, backend=backend)
    np.testing.assert_allclose(sampled.to_numpy(), exact.to_numpy(), rtol=0, atol=ATOL)
    np.testing.assert_allclose(
        edge_betweenness(rand, k=nz, seed=3, backend=backend).to_numpy(),
        edge_betweenness(rand, backend=backend).to_numpy(),
        atol=ATOL,
    )


def test_sampling_is_seeded_and_scaled(rand):
    a = betweenness(rand, k=5, seed=42)
    b = betweenness(rand, k=5, seed=42)
    pd.testing.assert_series_equal(a, b)
    assert not a.equals(betweenness(rand, k=5, seed=43))
    np.testing.assert_allclose(
        city_betweenness(rand, k=20, seed=1).to_numpy(), city_betweenness(rand).to_numpy(), atol=ATOL
    )


# ------------------------------------------------------------------ city betweenness


def _brute_city(G: nx.MultiDiGraph, mode: str) -> pd.Series:
    D = _quantised_digraph(G, mode)
    city = dict(G.nodes(data="city"))
    zones = _zones(G)
    codes = sorted(set(city.values()))
    out = {}
    for c in codes:
        pairs = [(s, t) for s, t in itertools.permutations(zones, 2) if city[s] != c and city[t] != c]
        total = 0.0
        for s, t in pairs:
            if not nx.has_path(D, s, t):
                continue
            paths = list(nx.all_shortest_paths(D, s, t, weight="w"))
            total += sum(any(city[x] == c for x in p) for p in paths) / len(paths)
        out[c] = total / len(pairs) if pairs else 0.0
    return pd.Series(out)


@pytest.mark.parametrize("mode", MODES)
def test_city_betweenness_matches_brute_force(mock, mode):
    got = city_betweenness(mock, mode=mode)
    ref = _brute_city(mock, mode)
    assert list(got.index) == list(ref.index)
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=0, atol=ATOL)


def test_city_betweenness_with_ties_matches_brute_force():
    # two equally fast routes between zones 31 and 33: through city 32 or city 34
    G = _tiny(
        _both_ways(
            [
                ("zone:310000", "rd:310000", 60),
                ("zone:330000", "rd:330000", 60),
                ("zone:320000", "rd:320000", 60),
                ("zone:340000", "rd:340000", 60),
                ("rd:310000", "rd:320000", 500),
                ("rd:320000", "rd:330000", 500),
                ("rd:310000", "rd:340000", 400),
                ("rd:340000", "rd:330000", 600),
            ]
        )
    )
    got = city_betweenness(G, normalized=False)
    assert got[320000] == pytest.approx(1.0)  # 31->33 and 33->31, half each
    np.testing.assert_allclose(city_betweenness(G).to_numpy(), _brute_city(G, "multimodal").to_numpy(), atol=ATOL)


def test_city_betweenness_on_random_graph_matches_brute_force():
    G = random_graph(8, n_nodes=60, seed=5)
    np.testing.assert_allclose(city_betweenness(G).to_numpy(), _brute_city(G, "multimodal").to_numpy(), atol=ATOL)


# ------------------------------------------------------------------------ centralization


def test_freeman_centralization_values():
    assert freeman_centralization([1.0, 0.0, 0.0, 0.0]) == 1.0
    assert freeman_centralization(pd.Series([0.2, 0.2])) == 0.0
    assert freeman_centralization([0.5, 0.25, 0.0]) == pytest.approx(0.375)
    assert freeman_centralization([2.0, 0.0], max_value=4.0) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("values", "kw", "match"),
    [
        ([1.0], {}, "at least two"),
        ([1.0, np.nan], {}, "NaN"),
        ([1.0, 0.0], {"max_value": 0.0}, "max_value"),
    ],
)
def test_freeman_centralization_errors(values, kw, match):
    with pytest.raises(ValueError, match=match):
        freeman_centralization(values, **kw)


# ------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("fn", [betweenness, edge_betweenness, city_betweenness])
def test_not_a_multidigraph(fn):
    with pytest.raises(GraphContractError, match="MultiDiGraph"):
        fn(nx.DiGraph(mock_graph()))


@pytest.mark.parametrize("fn", [betweenness, edge_betweenness, city_betweenness])
def test_missing_travel_time(fn):
    G = mock_graph()
    del G.edges["rd:310000", "rd:320500", 1]["travel_time"]
    with pytest.raises(GraphContractError, match="travel_time"):
        fn(G)


def test_negative_travel_time():
    G = mock_graph()
    G.edges["rd:310000", "rd:320500", 0]["travel_time"] = -1.0
    with pytest.raises(GraphContractError, match="non-negative 'travel_time'"):
        betweenness(G)


@pytest.mark.parametrize("fn", [betweenness, edge_betweenness, city_betweenness])
def test_unknown_mode(mock, fn):
    with pytest.raises(ValueError, match=r"unknown mode 'bus'; expected one of"):
        fn(mock, mode="bus")


@pytest.mark.parametrize("fn", [betweenness, edge_betweenness])
def test_unknown_backend(mock, fn):
    with pytest.raises(ValueError, match=r"unknown backend 'graph-tool'"):
        fn(mock, backend="graph-tool")


@pytest.mark.parametrize("k", [0, 8, 2.5, True])
def test_bad_k(mock, k):
    with pytest.raises(ValueError, match=r"k must be an int in \[1, 7\]"):
        betweenness(mock, k=k)

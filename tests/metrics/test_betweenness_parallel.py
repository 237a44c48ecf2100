"""All-node betweenness (``pairs="nodes"``) and source-parallel betweenness (``workers``).

Oracle: networkx's all-pairs ``betweenness_centrality`` / ``edge_betweenness_centrality``
on a DiGraph built here from the contract graph (parallel edges collapsed to their
minimum weight, weights rounded to 1 ms as the module documents), and the serial path
for ``workers > 1``. Tolerance 1e-9 relative (the issue's bound), 1e-12 between serial and
parallel (the same per-source dependencies, summed in another order).
"""

from __future__ import annotations

import importlib.util

import networkx as nx
import numpy as np
import pytest

from yrdnet.metrics.centrality import PAIRS, TIME_RESOLUTION, betweenness, edge_betweenness
from yrdnet.testing import mock_graph, random_graph

HAS_IGRAPH = importlib.util.find_spec("igraph") is not None
HAS_NETWORKIT = importlib.util.find_spec("networkit") is not None
BACKENDS = [
    pytest.param("igraph", marks=pytest.mark.skipif(not HAS_IGRAPH, reason="needs igraph")),
    "scipy",
    "networkx",
]


@pytest.fixture(scope="module")
def rand() -> nx.MultiDiGraph:
    return random_graph(12, n_nodes=150, seed=5)


def _reference_digraph(G: nx.MultiDiGraph, weight: str = "travel_time") -> nx.DiGraph:
    """Collapsed, 1 ms-quantised DiGraph written from the module docstring."""
    H: nx.DiGraph = nx.DiGraph()
    H.add_nodes_from(G.nodes)
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        w = max(round(d[weight] / TIME_RESOLUTION), 1)
        if not H.has_edge(u, v) or w < H[u][v]["w"]:
            H.add_edge(u, v, w=w)
    return H


@pytest.mark.parametrize("backend", BACKENDS)
def test_all_node_betweenness_equals_networkx(rand: nx.MultiDiGraph, backend: str) -> None:
    H = _reference_digraph(rand)
    for normalized in (True, False):
        ref = nx.betweenness_centrality(H, normalized=normalized, weight="w")
        got = betweenness(rand, pairs="nodes", normalized=normalized, backend=backend)
        expected = np.array([ref[n] for n in got.index])
        assert expected.max() > 0
        np.testing.assert_allclose(got.to_numpy(), expected, rtol=1e-9, atol=1e-12 * expected.max())


@pytest.mark.parametrize("backend", BACKENDS)
def test_all_node_edge_betweenness_equals_networkx(rand: nx.MultiDiGraph, backend: str) -> None:
    H = _reference_digraph(rand)
    ref = nx.edge_betweenness_centrality(H, normalized=False, weight="w")
    got = edge_betweenness(rand, pairs="nodes", normalized=False, backend=backend)
    per_link = got.groupby(level=["u", "v"]).sum()  # parallels share their link's value
    for (u, v), value in ref.items():
        assert per_link[(u, v)] == pytest.approx(value, rel=1e-9, abs=1e-9)
    n = rand.number_of_nodes()
    norm = edge_betweenness(rand, pairs="nodes", backend=backend)
    np.testing.assert_allclose(norm.to_numpy(), got.to_numpy() / (n * (n - 1)), rtol=1e-12)


@pytest.mark.skipif(not HAS_NETWORKIT, reason="needs networkit")
def test_all_node_betweenness_equals_networkit(rand: nx.MultiDiGraph) -> None:
    import networkit as nk

    H = _reference_digraph(rand)
    idx = {n: i for i, n in enumerate(rand.nodes)}
    g = nk.Graph(len(idx), weighted=True, directed=True)
    for u, v, w in H.edges(data="w"):
        g.addEdge(idx[u], idx[v], float(w))
    bc = nk.centrality.Betweenness(g, normalized=True)
    bc.run()
    got = betweenness(rand, pairs="nodes")
    np.testing.assert_allclose(got.to_numpy(), np.asarray(bc.scores()), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("backend", ["igraph", "scipy"])
@pytest.mark.parametrize("pairs", PAIRS)
def test_workers_equal_serial(rand: nx.MultiDiGraph, backend: str, pairs: str) -> None:
    if backend == "igraph" and not HAS_IGRAPH:
        pytest.skip("needs igraph")
    serial = betweenness(rand, pairs=pairs, backend=backend)
    par = betweenness(rand, pairs=pairs, backend=backend, workers=2)
    assert serial.max() > 0
    np.testing.assert_allclose(par.to_numpy(), serial.to_numpy(), rtol=1e-12, atol=1e-15)
    pd_serial = edge_betweenness(rand, pairs=pairs, backend=backend)
    pd_par = edge_betweenness(rand, pairs=pairs, backend=backend, workers=3)
    np.testing.assert_allclose(pd_par.to_numpy(), pd_serial.to_numpy(), rtol=1e-12, atol=1e-15)


def test_workers_with_ties_and_sampling() -> None:
    # the mock graph has exact ties (parallel roads, through-running transfers)
    G = mock_graph()
    for pairs in PAIRS:
        serial = betweenness(G, pairs=pairs, k=5, seed=3)
        par = betweenness(G, pairs=pairs, k=5, seed=3, workers=2)
        np.testing.assert_allclose(par.to_numpy(), serial.to_numpy(), rtol=1e-12, atol=1e-15)
    more_workers_than_sources = betweenness(G, k=1, seed=0, workers=4)
    np.testing.assert_array_equal(more_workers_than_sources.to_numpy(), betweenness(G, k=1, seed=0).to_numpy())


def test_node_sampling_scales_by_nodes(rand: nx.MultiDiGraph) -> None:
    n = rand.number_of_nodes()
    exact = betweenness(rand, pairs="nodes", normalized=False)
    full_sample = betweenness(rand, pairs="nodes", normalized=False, k=n, seed=1)
    np.testing.assert_allclose(full_sample.to_numpy(), exact.to_numpy(), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match=r"k must be an int in \[1, 150\] \(the number of nodes\)"):
        betweenness(rand, pairs="nodes", k=n + 1)


@pytest.mark.parametrize("workers", [0, -1, True, 1.5, "2", None])
def test_workers_validation(workers: object) -> None:
    with pytest.raises(ValueError, match="workers must be an int >= 1"):
        betweenness(mock_graph(), workers=workers)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="workers must be an int >= 1"):
        edge_betweenness(mock_graph(), workers=workers)  # type: ignore[arg-type]


def test_pairs_validation() -> None:
    with pytest.raises(ValueError, match="unknown pairs 'all'"):
        betweenness(mock_graph(), pairs="all")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown pairs"):
        edge_betweenness(mock_graph(), pairs="zone")  # type: ignore[arg-type]

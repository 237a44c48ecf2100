"""yrdnet.routing.large: OD to every node and zone matrices on road-like graphs, against scipy and networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

import yrdnet
from yrdnet.routing.large import (
    FLOAT32_REL_BOUND,
    LargeGraphOptions,
    chunk_size_for,
    od_to_all,
    road_graph,
    road_graph_from_networkx,
    spatial_order,
    zone_matrix,
)
from yrdnet.testing import road_like_graph


@pytest.fixture(scope="module")
def roads() -> yrdnet.testing.RoadLikeGraph:
    return road_like_graph(2_500, seed=7)


def _compiled(g, order="hilbert"):
    u, v, w = g.directed_edges()
    return road_graph(u, v, w, node_ids=g.node_ids, x=g.x, y=g.y, order=order)


def _scipy(g, origins):
    """Raw scipy on the graph in the caller's (input) node order."""
    u, v, w = g.directed_edges()
    idx = pd.Index(g.node_ids)
    csr = sp.csr_matrix((w, (idx.get_indexer(u), idx.get_indexer(v))), shape=(len(idx), len(idx)))
    return dijkstra(csr, directed=True, indices=idx.get_indexer(origins))


def test_road_like_graph_is_seeded_connected_and_shaped_like_osm(roads) -> None:
    again = road_like_graph(2_500, seed=7)
    assert np.array_equal(again.node_ids, roads.node_ids) and np.array_equal(again.travel_time, roads.travel_time)
    assert not np.array_equal(road_like_graph(2_500, seed=8).travel_time[:50], roads.travel_time[:50])
    assert len(np.unique(roads.node_ids)) == len(roads.node_ids) > 2_000
    assert roads.node_ids.min() >= 1_000_000_000
    assert not np.all(np.diff(roads.node_ids) > 0)  # random order, like OSM ids
    assert set(np.unique(roads.speed_kph)) == {30.0, 60.0, 100.0}
    assert 0 < roads.oneway.sum() < 0.1 * len(roads.oneway)
    assert roads.x.min() > 119.9 and roads.x.max() < 120.2
    assert roads.y.min() > 30.9 and roads.y.max() < 31.2
    D = _scipy(roads, roads.node_ids[:3])
    assert np.isfinite(D).all()  # strongly connected


@pytest.mark.parametrize("order", ["hilbert", "morton", "input"])
def test_float64_equals_scipy_in_input_order_exactly(roads, order) -> None:
    R = _compiled(roads, order)
    origins = roads.node_ids[::97]
    ours = od_to_all(R, origins, LargeGraphOptions(dtype="float64"))
    assert ours.dtype == np.float64 and ours.shape == (len(origins), len(roads.node_ids))
    assert np.array_equal(ours, _scipy(roads, origins))


def test_equals_networkx(roads) -> None:
    G = roads.to_networkx()
    R = road_graph_from_networkx(G, "travel_time")
    origins = roads.node_ids[[0, 500, 1_500]]
    ours = od_to_all(R, origins, LargeGraphOptions(dtype="float64"))
    for i, o in enumerate(origins):
        ref = nx.single_source_dijkstra_path_length(G, int(o), weight="travel_time")
        expected = np.array([ref[n] for n in R.node_ids])
        np.testing.assert_allclose(ours[i], expected, rtol=1e-12, atol=0)


def test_spatial_order_is_a_local_permutation(roads) -> None:
    for method in ("hilbert", "morton"):
        perm = spatial_order(roads.x, roads.y, method)
        assert np.array_equal(np.sort(perm), np.arange(len(roads.x)))
        # consecutive nodes along the curve are near each other: far nearer than in input order
        step = np.hypot(np.diff(roads.x[perm]), np.diff(roads.y[perm]))
        raw = np.hypot(np.diff(roads.x), np.diff(roads.y))
        assert np.median(step) < 0.1 * np.median(raw)
    # the Hilbert curve of a 2 x 2 grid visits (0,0), (0,1), (1,1), (1,0)
    assert spatial_order(np.array([1.0, 0, 0, 1]), np.array([0.0, 0, 1, 1])).tolist() == [1, 2, 3, 0]
    assert spatial_order(np.array([1.0, 0, 0, 1]), np.array([0.0, 0, 1, 1]), "morton").tolist() == [1, 0, 2, 3]


def test_renumbering_round_trip(roads) -> None:
    R = _compiled(roads)
    assert np.array_equal(R.node_ids, roads.node_ids)  # results come back in the caller's order
    assert np.array_equal(np.sort(R.internal), np.arange(R.n_nodes))
    assert not np.array_equal(R.internal, np.arange(R.n_nodes))  # it did renumber
    assert np.array_equal(R.positions(roads.node_ids[[5, 0, 9]]), [5, 0, 9])
    # edge (u, v) of the caller sits at (internal[u], internal[v]) with its weight
    pos = pd.Index(roads.node_ids)
    a, b = pos.get_loc(roads.u[0]), pos.get_loc(roads.v[0])
    assert R.csr[R.internal[a], R.internal[b]] == pytest.approx(roads.travel_time[0], rel=0, abs=0)


def test_chunking_does_not_change_results(roads) -> None:
    R = _compiled(roads)
    origins = roads.node_ids[:23]
    whole = od_to_all(R, origins, LargeGraphOptions(chunk_size=100))
    for c in (1, 5, 22):
        assert np.array_equal(od_to_all(R, origins, LargeGraphOptions(chunk_size=c)), whole)
    tiny_budget = LargeGraphOptions(memory_budget_mb=0.5)  # 0.5 MB: 11 origins per call here
    assert 1 < chunk_size_for(R.n_nodes, 23, tiny_budget) < 23
    assert np.array_equal(od_to_all(R, origins, tiny_budget), whole)


def test_float32_within_rounding_of_float64(roads) -> None:
    R = _compiled(roads)
    origins = roads.node_ids[::301]
    d64 = od_to_all(R, origins, LargeGraphOptions(dtype="float64"))
    d32 = od_to_all(R, origins)
    assert d32.dtype == np.float32
    assert np.array_equal(d32, d64.astype(np.float32))  # round to nearest, nothing else
    assert np.all(np.abs(d32.astype(np.float64) - d64) <= FLOAT32_REL_BOUND * d64)


def test_memory_budget_sizes_chunks() -> None:
    n = 1_000_000
    assert chunk_size_for(n, 300, LargeGraphOptions(memory_budget_mb=256)) == int((256e6 - 64 * n) // (12 * n))
    assert chunk_size_for(n, 300, LargeGraphOptions(memory_budget_mb=10_000)) == 300  # never more than the origins
    assert chunk_size_for(n, 300, LargeGraphOptions(memory_budget_mb=1)) == 1  # at least one
    assert chunk_size_for(n, 300, LargeGraphOptions(chunk_size=7)) == 7
    small, big = (chunk_size_for(n, 300, LargeGraphOptions(memory_budget_mb=m)) for m in (200, 800))
    assert big > 4 * small


def test_zone_matrix_equals_od_columns_and_scipy(roads) -> None:
    R = _compiled(roads)
    zones = roads.node_ids[[3, 800, 41, 2_000, 1_200]]
    M = zone_matrix(R, zones, LargeGraphOptions(dtype="float64", chunk_size=2))
    assert list(M.index) == list(zones) and list(M.columns) == list(zones)
    assert np.all(np.diag(M.to_numpy()) == 0)
    full = _scipy(roads, zones)
    assert np.array_equal(M.to_numpy(), full[:, R.positions(zones)])
    dest = roads.node_ids[:4]
    M2 = zone_matrix(R, zones[:2], destinations=dest)
    assert M2.shape == (2, 4) and M2.dtypes.iloc[0] == np.float32
    assert np.array_equal(M2.to_numpy(), full[:2, :4].astype(np.float32))


def test_unreachable_is_inf_and_undirected_adds_reverse_edges() -> None:
    R = road_graph(["a", "b"], ["b", "c"], [1.0, 2.0], node_ids=["a", "b", "c", "d"], order="input")
    assert od_to_all(R, ["a"], LargeGraphOptions(dtype="float64")).tolist() == [[0.0, 1.0, 3.0, np.inf]]
    assert od_to_all(R, ["c"], LargeGraphOptions(dtype="float64")).tolist() == [[np.inf, np.inf, 0.0, np.inf]]
    U = road_graph(["a", "b"], ["b", "c"], [1.0, 2.0], node_ids=["a", "b", "c", "d"], directed=False, order="input")
    assert od_to_all(U, ["c"]).tolist() == [[3.0, 2.0, 0.0, np.inf]]
    # parallel edges keep their minimum
    P = road_graph(["a", "a"], ["b", "b"], [5.0, 2.0], node_ids=["a", "b"], order="input")
    assert od_to_all(P, ["a"]).tolist() == [[0.0, 2.0]]


def test_bad_input_errors(roads) -> None:
    R = _compiled(roads)
    with pytest.raises(KeyError, match="origin id"):
        od_to_all(R, [roads.node_ids[0], 12])
    with pytest.raises(KeyError, match="zone id"):
        zone_matrix(R, [-1])
    with pytest.raises(KeyError, match="edge endpoint"):
        road_graph([1], [9], [1.0], node_ids=[1, 2], order="input")
    with pytest.raises(ValueError, match="unique"):
        road_graph([1], [2], [1.0], node_ids=[1, 2, 2], order="input")
    with pytest.raises(ValueError, match="finite and non-negative"):
        road_graph([1], [2], [-1.0], node_ids=[1, 2], order="input")
    with pytest.raises(ValueError, match="differ in length"):
        road_graph([1, 2], [2], [1.0], node_ids=[1, 2], order="input")
    with pytest.raises(ValueError, match="coordinates"):
        road_graph([1], [2], [1.0], node_ids=[1, 2])
    with pytest.raises(ValueError, match="unknown order"):
        spatial_order(np.zeros(2), np.zeros(2), "peano")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="memory_budget_mb"):
        LargeGraphOptions(memory_budget_mb=0)
    with pytest.raises(ValueError, match="dtype"):
        LargeGraphOptions(dtype="float16")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="chunk_size"):
        LargeGraphOptions(chunk_size=0)
    G = nx.DiGraph()
    G.add_edge(1, 2)
    with pytest.raises(ValueError, match="travel_time"):
        road_graph_from_networkx(G)


def test_flat_api_exports() -> None:
    names = ("road_graph", "road_graph_from_networkx", "od_to_all", "zone_matrix", "LargeGraphOptions", "RoadGraph")
    for name in names:
        assert name in yrdnet.__all__ and getattr(yrdnet, name) is getattr(yrdnet.routing, name)

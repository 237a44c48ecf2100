"""Zone-to-zone travel times: correctness against networkx and structural properties."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pytest

import yrdnet
from yrdnet import UnreachableWarning
from yrdnet.routing.compile import compile_graph


@pytest.fixture(scope="module")
def od(G2025):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        return {m: yrdnet.travel_times(G2025, m) for m in ("multimodal", "rail", "road")}


def test_shape_labels_dtype(od):
    T = od["multimodal"]
    assert T.shape == (41, 41)
    assert (T.dtypes == np.float32).all()
    assert list(T.index) == sorted(yrdnet.load_cities().index)
    assert (np.diag(T.to_numpy()) == 0).all()
    assert np.isfinite(T.to_numpy()).all()


def test_multimodal_not_worse_than_either_mode(od):
    mm, rail, road = (od[m].to_numpy() for m in ("multimodal", "rail", "road"))
    assert (mm <= np.minimum(rail, road) + 1e-3).all()


def test_triangle_inequality(od):
    for m in ("multimodal", "road"):
        T = od[m].to_numpy().astype(np.float64)
        # T[i,j] <= T[i,k] + T[k,j] for all i, j, k
        via = (T[:, :, None] + T[None, :, :]).min(axis=1)
        assert (via + 1e-3 >= T).all(), m


def test_equals_networkx_dijkstra(G2025, od):
    zones = sorted((n for n, k in G2025.nodes(data="kind") if k == "zone"), key=lambda n: G2025.nodes[n]["city"])
    T = od["multimodal"]
    for src in zones[::5]:
        dist = nx.single_source_dijkstra_path_length(G2025, src, weight="travel_time")
        i = G2025.nodes[src]["city"]
        for dst in zones:
            j = G2025.nodes[dst]["city"]
            assert T.loc[i, j] == pytest.approx(dist[dst] / 60.0, rel=1e-5), (src, dst)


def test_rail_only_warns_for_zhoushan(G2025):
    with pytest.warns(UnreachableWarning, match=r"unreachable by rail.*330900 Zhoushan"):
        T = yrdnet.travel_times(G2025, "rail")
    assert np.isinf(T.loc[330900, 310000])
    assert np.isinf(T.loc[310000, 330900])


def test_chunking_does_not_change_results(G2025, od):
    T = yrdnet.travel_times(G2025, "multimodal", chunk_size=3)
    np.testing.assert_array_equal(T.to_numpy(), od["multimodal"].to_numpy())


def test_zone_subset_and_errors(G2025, od):
    T = yrdnet.travel_times(G2025, "road", zones=[310000, 320100])
    assert T.shape == (2, 2)
    assert T.loc[310000, 320100] == od["road"].loc[310000, 320100]
    with pytest.raises(ValueError, match="unknown zone"):
        yrdnet.travel_times(G2025, "road", zones=[123456])
    with pytest.raises(ValueError, match="unknown mode 'bus'"):
        yrdnet.travel_times(G2025, "bus")


def test_compiled_once(G2025):
    assert compile_graph(G2025) is compile_graph(G2025)


def test_adding_a_link_never_increases_times(G2025, od):
    G = G2025.copy()
    G.add_edge("zone:310000", "zone:340100", mode="road", length=1.0, travel_time=60.0, speed_kph=100.0)
    T = yrdnet.travel_times(G, "multimodal")
    assert (T.to_numpy() <= od["multimodal"].to_numpy() + 1e-4).all()
    assert T.loc[310000, 340100] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("a", "b", "mode"), [(310000, 320100, "multimodal"), (340100, 310000, "rail"), (330900, 310000, "road")]
)
def test_trip_breakdown_sums_to_travel_time(G2025, od, a, b, mode):
    legs = yrdnet.trip_breakdown(G2025, a, b, mode)
    assert legs["minutes"].sum() == pytest.approx(float(od[mode].loc[a, b]), rel=1e-5)
    assert legs["part"].iloc[0] == "access" and legs["part"].iloc[-1] == "egress"
    if mode == "rail":
        # each wait follows from the pooled frequency of the service level taken
        m = yrdnet.TravelTimeModel()
        boards = legs[legs["part"] == "wait/board"]
        expected = np.minimum(m.service_hours * 60 / (2 * boards["trains_per_day"]), m.max_wait_min)
        assert np.allclose(boards["minutes"], expected)
        assert boards["service"].str.len().gt(0).all()
        assert "road" not in set(legs["part"])
    if mode == "road":
        assert set(legs["part"]) == {"access", "road", "egress"}


def test_trip_breakdown_errors(G2025):
    with pytest.raises(ValueError, match="unreachable from 310000 by rail"):
        yrdnet.trip_breakdown(G2025, 310000, 330900, "rail")
    with pytest.raises(ValueError, match="unknown zone 123456"):
        yrdnet.trip_breakdown(G2025, 123456, 310000)


def test_station_csr_keeps_the_same_arcs_as_min_csr() -> None:
    """The sorted-arc CSR of station_times keeps each pair's minimum (NaN only when all are), as min_csr."""
    from yrdnet.routing.compile import min_csr
    from yrdnet.routing.matrices import _min_csr

    rng = np.random.default_rng(3)
    u, v = rng.integers(0, 9, 80), rng.integers(0, 9, 80)
    w = rng.uniform(0.0, 50.0, 80)
    w[rng.random(80) < 0.2] = np.nan
    w[:4], u[:4], v[:4] = [np.nan, np.nan, 0.0, np.inf], [1, 1, 2, 3], [7, 7, 2, 3]
    a, b = _min_csr(u, v, w, 9), min_csr(u, v, w, 9)
    assert a.nnz == b.nnz
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data, b.data)
    assert _min_csr(u[:0], v[:0], w[:0], 4).nnz == 0

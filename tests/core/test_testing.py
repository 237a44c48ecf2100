"""Tests of yrdnet.testing: the mock graph's pathologies and the assert helpers."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from yrdnet.testing import assert_graph_contract, assert_od_equal, mock_graph, random_graph


@pytest.fixture
def G() -> nx.MultiDiGraph:
    return mock_graph()


def _rail_view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    kind = dict(G.nodes(data="kind"))
    keep = [
        (u, v, k)
        for u, v, k, m in G.edges(keys=True, data="mode")
        if m in {"rail", "transfer"} or (m == "access" and "road" not in {kind[u], kind[v]})
    ]
    return G.edge_subgraph(keep)


def test_mock_graph_meets_contract_and_is_deterministic(G):
    assert_graph_contract(G)
    assert nx.utils.graphs_equal(G, mock_graph())
    assert mock_graph() is not mock_graph()
    zones = [n for n, k in G.nodes(data="kind") if k == "zone"]
    assert 5 <= len(zones) <= 7
    for _, d in G.nodes(data=True):
        assert 115 <= d["x"] <= 123
        assert 28 <= d["y"] <= 35
        assert type(d["city"]) is int


def test_mock_graph_pathologies(G):
    rail = _rail_view(G)
    # Zhoushan is unreachable by rail but reachable by road
    assert "zone:330900" not in rail
    assert nx.has_path(G, "zone:310000", "zone:330900")
    # parallel rail and road routes Shanghai-Suzhou
    assert nx.has_path(rail, "zone:310000", "zone:320500")
    assert G.has_edge("rd:310000", "rd:320500")
    # parallel duplicate with a different travel time
    par = G.get_edge_data("rd:310000", "rd:320500")
    assert len(par) == 2
    assert par[0]["travel_time"] != par[1]["travel_time"]
    # isolated station
    assert G.degree("st:hfbei") == 0
    assert G.nodes["st:hfbei"]["kind"] == "station"
    # transfer between two lines at one station (via the hall)
    assert G.has_edge("pl:HN:shhq", "st:shhq")
    assert G.has_edge("st:shhq", "pl:HH:shhq")
    # through-running: zero-cost transfer between platforms of two lines
    tr = G.get_edge_data("pl:HF:njnan", "pl:HN:njnan")[0]
    assert tr["mode"] == "transfer"
    assert tr["travel_time"] == 0.0


def test_random_graph_meets_contract_and_is_seeded():
    a = random_graph(12, n_nodes=120, seed=4)
    assert_graph_contract(a)
    assert nx.utils.graphs_equal(a, random_graph(12, n_nodes=120, seed=4))
    assert not nx.utils.graphs_equal(a, random_graph(12, n_nodes=120, seed=5))
    assert abs(a.number_of_nodes() - 120) <= 12
    with pytest.raises(ValueError, match="n_zones >= 2"):
        random_graph(1)


def test_assert_graph_contract_lists_every_problem(G):
    del G.graph["crs"]
    G.nodes["zone:310000"]["kind"] = "city"
    G.nodes["rd:320100"]["city"] = "320100"
    G.edges["rd:310000", "rd:320500", 0]["travel_time"] = -5.0
    G.edges["pl:HN:shhq", "pl:HN:szbei", 0]["travel_time"] = 0.0
    G.add_edge("zone:310000", "zone:320100", mode="road", length=1.0, speed_kph=1.0, travel_time=1.0)
    with pytest.raises(AssertionError) as info:
        assert_graph_contract(G)
    msg = str(info.value)
    for part in (
        "crs must be 'EPSG:4326'",
        "kind must be one of",
        "city must be an int city id",
        "travel_time must be a finite number >= 0",
        "travel_time 0 is only allowed",
        "a road edge cannot join",
    ):
        assert part in msg
    assert "problem(s)" in msg


def test_assert_graph_contract_rejects_other_graph_types():
    with pytest.raises(AssertionError, match="MultiDiGraph"):
        assert_graph_contract(nx.DiGraph())
    with pytest.raises(AssertionError, match="no zone node"):
        assert_graph_contract(nx.MultiDiGraph(crs="EPSG:4326", scenario="x", year=2024))


@pytest.fixture
def od() -> pd.DataFrame:
    z = ["zone:310000", "zone:320100", "zone:330900"]
    return pd.DataFrame([[0.0, 3600.0, np.inf], [3700.0, 0.0, np.inf], [np.inf, np.inf, 0.0]], index=z, columns=z)


def test_assert_od_equal_accepts_equal_and_close(od):
    assert_od_equal(od, od.copy())
    assert_od_equal(od, od + 1e-9)
    assert_od_equal(od, od * (1 + 1e-7), atol=0.0, rtol=1e-6)
    assert_od_equal(od, od.iloc[::-1, ::-1], check_like=True)


def test_assert_od_equal_rejects_inf_mismatch(od):
    other = od.copy()
    other.iloc[0, 2] = 1e9
    with pytest.raises(AssertionError, match=r"differ in 1 of 9 cell\(s\).*'zone:330900'"):
        assert_od_equal(od, other)


def test_assert_od_equal_rejects_values_labels_shapes(od):
    other = od.copy()
    other.iloc[0, 1] += 1.0
    with pytest.raises(AssertionError, match="differ in 1 of 9"):
        assert_od_equal(od, other, atol=0.5)
    with pytest.raises(AssertionError, match="labels"):
        assert_od_equal(od, od.iloc[::-1])
    with pytest.raises(AssertionError, match="shapes"):
        assert_od_equal(od, od.iloc[:2])
    with pytest.raises(AssertionError, match="DataFrame"):
        assert_od_equal(od, od.to_numpy())  # type: ignore[arg-type]

"""GraphML written by yrdnet opens in OSMnx (documented arguments) and in yrdnet (exactly)."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import osmnx as ox
import pytest

from yrdnet.core.io import OSMNX_LOAD_ARGS, TYPES_ATTR, load_graphml, save_graphml
from yrdnet.testing import mock_graph

README = Path(__file__).resolve().parents[2] / "README.md"


def attrs(G: nx.MultiDiGraph) -> tuple[dict, dict, dict]:
    """Graph, node and edge attributes with each value's type, for exact comparison."""

    def typed(d: dict) -> dict:
        return {k: (type(v).__name__, v) for k, v in d.items()}

    nodes = {n: typed(d) for n, d in G.nodes(data=True)}
    edges = {(u, v, k): typed(d) for u, v, k, d in G.edges(keys=True, data=True)}
    return typed(G.graph), nodes, edges


@pytest.fixture(scope="module")
def saved(G2025, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``baseline_2025.graphml`` written by the writer ``yrdnet build`` uses."""
    return save_graphml(G2025, tmp_path_factory.mktemp("graphml") / "baseline_2025.graphml")


def _times(G: nx.MultiDiGraph) -> dict[tuple[str, str, int], float]:
    return {(u, v, k): t for u, v, k, t in G.edges(keys=True, data="travel_time")}


def _check_routes(H: nx.MultiDiGraph, G: nx.MultiDiGraph, a: str, b: str) -> float:
    """OSMnx's shortest path on ``H`` is as fast as the shortest path on the original ``G``."""
    route = ox.routing.shortest_path(H, [a], [b], weight="travel_time")[0]  # a str would be read as a list
    assert route[0] == a and route[-1] == b
    total = sum(min(d["travel_time"] for d in H.get_edge_data(u, v).values()) for u, v in itertools.pairwise(route))
    assert total == pytest.approx(nx.shortest_path_length(G, a, b, weight="travel_time"))
    return total


def test_mock_graph_opens_in_osmnx_with_documented_arguments(tmp_path: Path) -> None:
    G = mock_graph()
    path = save_graphml(G, tmp_path / "mock.graphml")
    with pytest.raises(ValueError, match="zone:"):
        ox.load_graphml(path)  # OSMnx's default turns node ids into int
    assert {"node_dtypes": {"osmid": str}} == OSMNX_LOAD_ARGS
    assert 'ox.load_graphml(path, node_dtypes={"osmid": str})' in README.read_text(encoding="utf-8")
    H = ox.load_graphml(path, node_dtypes={"osmid": str})  # as documented in README.md
    assert sorted(H.nodes) == sorted(G.nodes)
    assert _times(H) == _times(G)
    _check_routes(H, G, "zone:340100", "zone:310000")


@pytest.mark.slow
def test_build_output_opens_in_osmnx(G2025, saved: Path) -> None:
    H = ox.load_graphml(saved, **OSMNX_LOAD_ARGS)
    assert H.number_of_nodes() == G2025.number_of_nodes() > 900
    assert H.number_of_edges() == G2025.number_of_edges() > 30000
    assert set(H.nodes) == set(G2025.nodes)
    assert _times(H) == _times(G2025)
    hours = _check_routes(H, G2025, "zone:340100", "zone:310000") / 3600  # Hefei -> Shanghai
    assert 1 < hours < 5


def test_yrdnet_loader_restores_every_attribute_and_type(tmp_path: Path) -> None:
    G0 = mock_graph()
    G = load_graphml(save_graphml(G0, tmp_path / "g.graphml"))
    assert TYPES_ATTR not in G.graph and TYPES_ATTR not in G0.graph  # caller's graph untouched
    assert attrs(G) == attrs(G0)  # the built graph: tests/network/test_graph.py


def test_bool_numpy_and_mixed_attributes(tmp_path: Path) -> None:
    G = mock_graph()
    n0, n1 = list(G.nodes)[:2]
    G.nodes[n0]["flag"], G.nodes[n1]["flag"] = True, False
    G.nodes[n0]["count"] = np.int64(7)
    G.nodes[n0]["mixed"], G.nodes[n1]["mixed"] = 1, "one"
    G.graph["share"] = np.float64(0.25)
    H = load_graphml(save_graphml(G, tmp_path / "m.graphml"))
    assert H.nodes[n0]["flag"] is True and H.nodes[n1]["flag"] is False
    assert H.nodes[n0]["count"] == 7 and type(H.nodes[n0]["count"]) is int
    assert H.graph["share"] == 0.25 and type(H.graph["share"]) is float
    assert (H.nodes[n0]["mixed"], H.nodes[n1]["mixed"]) == ("1", "one")  # mixed types stay text
    assert attrs(H)[2] == attrs(G)[2]

"""The multimodal graph: contract, time model, OSMnx interoperability, persistence."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import osmnx as ox
import pytest

import yrdnet
from yrdnet import ScenarioError
from yrdnet.io import load_graphml, save_geopackage, save_graphml
from yrdnet.testing import assert_graph_contract


def test_contract(G2025):
    assert_graph_contract(G2025)
    assert G2025.graph["crs"] == "EPSG:4326"
    assert G2025.graph["year"] == 2025
    kinds = {k for _, k in G2025.nodes(data="kind")}
    assert kinds == {"zone", "station", "road"}
    modes = {m for _, _, m in G2025.edges(data="mode")}
    assert modes == {"rail", "road", "access", "transfer"}
    zones = [n for n, k in G2025.nodes(data="kind") if k == "zone"]
    assert len(zones) == 41


def test_year_filter_grows_network():
    g10 = yrdnet.build_graph("baseline", year=2010)
    g20 = yrdnet.build_graph("baseline", year=2020)
    g25 = yrdnet.build_graph("baseline", year=2025)
    rail = [sum(1 for *_, m in g.edges(data="mode") if m == "rail") for g in (g10, g20, g25)]
    assert rail[0] < rail[1] < rail[2]
    lines25 = set(g25.graph["lines"].split(";"))
    lines = yrdnet.load_lines()
    assert lines25 == set(lines[(lines["status"] == "open") & (lines["opened"] <= 2025)].index)


def test_rail_time_model_hand_computed():
    """One segment's time equals length / (v * factor) + half stop penalties, by hand."""
    m = yrdnet.TravelTimeModel()
    G = yrdnet.build_graph("baseline", year=2025, model=m)
    lines = yrdnet.load_lines()
    lid = next(iter(lines[(lines["status"] == "open") & (lines["stops"].map(len) >= 3)].index))
    stops = lines.loc[lid, "stops"]
    u, v = f"pl:{lid}:{stops[0]}", f"pl:{lid}:{stops[1]}"
    d = min(G[u][v].values(), key=lambda e: e["travel_time"])
    km = d["length"] / 1000
    speed = lines.loc[lid, "operating_speed_kph"]
    expected = km / (speed * m.rail_speed_factor) * 3600 + 0.5 * m.stop_penalty_min * 60  # 2nd stop intermediate
    assert d["travel_time"] == pytest.approx(expected)


def test_doubling_speeds_halves_in_vehicle_time():
    base = yrdnet.TravelTimeModel(stop_penalty_min=0)
    g1 = yrdnet.build_graph("baseline", year=2025, model=base)
    g2 = yrdnet.build_graph("baseline", year=2025, model=base.replace(rail_speed_factor=2 * base.rail_speed_factor))
    for u, v, k, d in g1.edges(keys=True, data=True):
        if d["mode"] == "rail":
            assert g2[u][v][k]["travel_time"] == pytest.approx(d["travel_time"] / 2)


def test_transfer_cannot_be_skipped(G2025):
    # platforms of different lines at one station are joined only through the hall
    # (transfer edges: alight + wait) or through-running edges
    for u, v, d in G2025.edges(data=True):
        if u.startswith("pl:") and v.startswith("pl:") and d["mode"] == "rail":
            assert G2025.nodes[u]["line"] == G2025.nodes[v]["line"] == d["line"]


def test_osmnx_interop_and_persistence(G2025, tmp_path):
    nodes, edges = ox.graph_to_gdfs(G2025)
    assert len(nodes) == G2025.number_of_nodes()
    assert len(edges) == G2025.number_of_edges()
    fig, _ax = ox.plot_graph(G2025, show=False, close=True, node_size=2)
    assert fig is not None
    p = save_graphml(G2025, tmp_path / "g.graphml")
    G2 = load_graphml(p)
    assert G2.number_of_nodes() == G2025.number_of_nodes()
    assert G2.number_of_edges() == G2025.number_of_edges()
    T1 = yrdnet.travel_times(G2025, "multimodal")
    T2 = yrdnet.travel_times(G2, "multimodal")
    np.testing.assert_allclose(T1.to_numpy(), T2.to_numpy(), rtol=1e-6)
    gpkg = save_geopackage(G2025, tmp_path / "g.gpkg")
    import pyogrio

    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert {"nodes", "edges"} <= layers
    assert not list(tmp_path.glob(".*"))  # no temporary leftovers


def test_bad_year_and_scenario():
    with pytest.raises(ScenarioError, match="year must be an integer in 2000-2060"):
        yrdnet.build_graph("baseline", year=1899)
    with pytest.raises(ScenarioError, match="unknown scenario 'baselin_2025'"):
        yrdnet.build_graph("baselin_2025")


def test_zone_access_to_neighbouring_stations(G2025):
    m = yrdnet.TravelTimeModel()
    # every zone has access edges; some reach stations of another city
    cross = 0
    for u, v, d in G2025.edges(data=True):
        is_access = d["mode"] == "access" and u.startswith("zone:") and v.startswith("st:")
        if is_access and G2025.nodes[u]["city"] != G2025.nodes[v]["city"]:
            cross += 1
            assert d["length"] / 1000 <= m.access_radius_km * m.access_detour + 1e-6
    assert cross > 0
    assert not math.isnan(sum(d["travel_time"] for *_, d in G2025.edges(data=True)))
    assert nx.is_weakly_connected(G2025.subgraph(n for n in G2025 if not n.startswith(("st:", "pl:"))))

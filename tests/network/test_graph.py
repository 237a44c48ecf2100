"""The multimodal graph: contract, time model, OSMnx interoperability, persistence."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import osmnx as ox
import pytest

import yrdnet
from yrdnet import ScenarioError
from yrdnet.core.io import load_graphml, save_geopackage, save_graphml
from yrdnet.testing import assert_graph_contract


def test_contract(G2025):
    assert_graph_contract(G2025)
    assert G2025.graph["crs"] == "EPSG:4326"
    assert G2025.graph["year"] == 2025
    kinds = {k for _, k in G2025.nodes(data="kind")}
    assert kinds == {"zone", "station", "road"}
    modes = {m for _, _, m in G2025.edges(data="mode")}
    # a change of train is alight + wait at the hall; suburban rail is a mode of its own
    assert modes == {"rail", "suburban", "road", "access"}
    for u, v, d in G2025.edges(data=True):
        if d["mode"] in ("rail", "suburban"):
            assert u.startswith("st:") and v.startswith("st:")
            assert d["travel_time"] == pytest.approx(d["wait_s"] + d["in_vehicle_s"] + d["alight_s"])
            assert d["trains_per_day"] > 0 and d["service"]
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
    running = (lines["status"] == "open") & (lines["opened"] <= 2025) & lines["closed"].isna()
    assert lines25 == set(lines[running].index)  # temporary alignments closed before 2025 are gone


def test_rail_time_model_hand_computed():
    """A default service's ride between two stops equals the trapezoidal run time, by hand."""
    m = yrdnet.TravelTimeModel()
    lines = yrdnet.load_lines()
    lid = "shanghai_suzhou_huzhou_hsr"  # opened 2024: no 2016 trains, default services only
    stops = lines.loc[lid, "stops"]
    G = yrdnet.build_graph("baseline", year=2025, model=m)
    d = min(G[f"st:{stops[0]}"][f"st:{stops[1]}"].values(), key=lambda e: e["in_vehicle_s"])
    assert d["service"].startswith(f"default:{lid}:all")
    km = d["length"] / 1000
    v = lines.loc[lid, "operating_speed_kph"] * m.rail_speed_factor / 3.6  # cruise, m/s
    if km * 1000 >= v * v / m.rail_accel_ms2:
        expected = km * 1000 / v + v / m.rail_accel_ms2
    else:
        expected = 2 * math.sqrt(km * 1000 / m.rail_accel_ms2)
    assert d["in_vehicle_s"] == pytest.approx(expected)


def test_doubling_speeds_halves_running_time():
    """Doubling every line's factor halves the running part; the acceleration part scales too."""
    # 0.6 -> 1.2 stays inside the valid range [0.3, 1.5] of rail_speed_factor (2 x 0.849 would not)
    base = yrdnet.TravelTimeModel(line_speed_factors=False, rail_speed_factor=0.6)
    fast = base.replace(rail_speed_factor=2 * base.rail_speed_factor, rail_accel_ms2=4 * base.rail_accel_ms2)
    g1 = yrdnet.build_graph("baseline", year=2025, model=base.replace(dwell_min=0))
    g2 = yrdnet.build_graph("baseline", year=2025, model=fast.replace(dwell_min=0))
    r1 = {
        (u, v, d["service"], d["services"]): d["in_vehicle_s"] for u, v, d in g1.edges(data=True) if d["mode"] == "rail"
    }
    r2 = {
        (u, v, d["service"], d["services"]): d["in_vehicle_s"] for u, v, d in g2.edges(data=True) if d["mode"] == "rail"
    }
    common = set(r1) & set(r2)
    assert len(common) > 100
    for k in common:
        assert r2[k] == pytest.approx(r1[k] / 2)


def test_frequency_lowers_the_wait(G2025):
    """A station pair with many trains waits less than one with few (frequency-based waits)."""
    waits = [(d["trains_per_day"], d["wait_s"]) for *_, d in G2025.edges(data=True) if d["mode"] == "rail"]
    busy = [w for f, w in waits if f >= 100]
    sparse = [w for f, w in waits if f <= 5]
    assert busy and sparse
    assert max(busy) < min(sparse)


@pytest.mark.slow
def test_osmnx_interop_and_persistence(G2025, tmp_path):
    nodes, edges = ox.graph_to_gdfs(G2025)
    assert len(nodes) == G2025.number_of_nodes()
    assert len(edges) == G2025.number_of_edges()
    fig, _ax = ox.plot_graph(G2025, show=False, close=True, node_size=2)
    assert fig is not None
    p = save_graphml(G2025, tmp_path / "g.graphml")
    G2 = load_graphml(p)
    typed = lambda d: {k: (type(v), v) for k, v in d.items()}  # noqa: E731
    assert typed(G2.graph) == typed(G2025.graph)  # every value and its type, exactly
    assert {n: typed(d) for n, d in G2.nodes(data=True)} == {n: typed(d) for n, d in G2025.nodes(data=True)}
    assert [typed(d) for *_, d in G2.edges(keys=True, data=True)] == [
        typed(d) for *_, d in G2025.edges(keys=True, data=True)
    ]
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


def test_sourced_access_replaces_the_drive(G2025):
    """Stations with a published centre-to-station time use it (and only in their own city)."""
    from yrdnet.network.station_access import access_minutes

    m = yrdnet.TravelTimeModel()
    acc = access_minutes()
    for sid, row in acc.iterrows():
        z, h = f"zone:{int(row['city_adcode'])}", f"st:{sid}"
        if G2025.has_edge(z, h):
            tt = min(e["travel_time"] for e in G2025[z][h].values())
            assert tt == pytest.approx(row["minutes"] * 60 + m.terminal_min * 60)
    G0 = yrdnet.build_graph("baseline", year=2025, model=m.replace(sourced_access=False))
    e0 = min(e["travel_time"] for e in G0["zone:310000"]["st:shanghai_hongqiao"].values())
    e1 = min(e["travel_time"] for e in G2025["zone:310000"]["st:shanghai_hongqiao"].values())
    assert e0 != e1


def test_maps_draw_the_track_not_every_pair_of_stops(G2025):
    """Rail edges join every pair of a service's stops; maps draw the track (G.graph['track'])."""
    import json

    from yrdnet.core.geodesy import haversine_km
    from yrdnet.viz.mapframe import _edges

    track = json.loads(G2025.graph["track"])
    assert len(track) > 200
    lengths = [float(haversine_km(a, b, c, d)) for a, b, c, d, *_ in track]
    assert max(lengths) < 150  # adjacent stations, not Shanghai-to-Nanjing chords
    edges = _edges(G2025)
    assert (edges["mode"] == "rail").sum() == len(track)
    rail_edges = sum(1 for *_, m in G2025.edges(data="mode") if m == "rail")
    assert rail_edges > 3 * len(track)

"""Caches of the scenario-independent parts of a build: county road network and zones.

Oracle: the same build with the caches cleared or switched off (nodes, edges with keys
and attributes, adjacency order, graph attributes); keys must react to every input.
"""

from __future__ import annotations

import pickle
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest

from yrdnet.core.params import TravelTimeModel
from yrdnet.core.settings import settings
from yrdnet.network import county_roads as _roadnet
from yrdnet.network.graph import filter_network
from yrdnet.region.datasets import data_folder
from yrdnet.region.zones import load_zones
from yrdnet.routing.matrices import travel_times
from yrdnet.scenarios.scenario import build_graph, load_scenario


def _snapshot(G: nx.MultiDiGraph) -> tuple[object, ...]:
    edges = [(u, v, k, sorted(d.items())) for u, v, k, d in G.edges(keys=True, data=True)]
    nodes = [(n, sorted(d.items())) for n, d in G.nodes(data=True)]
    pred = [(n, list(G.pred[n])) for n in G.nodes]
    return edges, nodes, pred, sorted(G.graph.items())


@pytest.mark.slow
def test_cached_build_equals_uncached() -> None:
    _roadnet.clear_cache()
    cold = build_graph("north_yangtze_hsr", zones="county")  # fills the cache
    warm = build_graph("north_yangtze_hsr", zones="county")  # replays it
    assert _snapshot(warm) == _snapshot(cold)
    # and both equal a build that never uses the cache
    sc = load_scenario("north_yangtze_hsr")
    t, m, z = sc.tables(), sc.travel_time_model().replace(road_network="city_links"), load_zones("county")
    warm = build_graph("north_yangtze_hsr", zones="county", model=m)  # the layer of yrdnet.network.county_roads
    _, hw = filter_network(t.lines, t.highways, sc.effective_year)
    G1, G2 = nx.MultiDiGraph(), nx.MultiDiGraph()
    c1 = _roadnet.add_zone_roads(G1, z.table, z.polygons, t.cities, hw, m, cache=False)
    c2 = _roadnet.add_zone_roads(G2, z.table, z.polygons, t.cities, hw, m)
    assert c1 == c2 == {k: warm.graph[k] for k in ("n_junctions", "n_local_links")}
    assert _snapshot(G1) == _snapshot(G2)


def test_graphs_share_no_attribute_dicts() -> None:
    G1 = build_graph("baseline_2025", zones="county")
    G2 = build_graph("baseline_2025", zones="county")
    d1 = next(iter(G1["rd:z310101"].values()))[0]
    d2 = next(iter(G2["rd:z310101"].values()))[0]
    assert d1 == d2 and d1 is not d2
    d1["travel_time"] = 1e9  # editing one graph leaves the cache and other graphs alone
    G3 = build_graph("baseline_2025", zones="county")
    assert next(iter(G3["rd:z310101"].values()))[0]["travel_time"] == d2["travel_time"] < 1e9
    assert G3.nodes["rd:z310101"] is not G1.nodes["rd:z310101"]


@pytest.mark.slow
def test_key_reacts_to_model_and_links() -> None:
    slow = TravelTimeModel().replace(local_road_speed_kph=20.0)
    a = travel_times(build_graph("baseline_2025", zones="county"), "road", warn_unreachable=False)
    b = travel_times(build_graph("baseline_2025", zones="county", model=slow), "road", warn_unreachable=False)
    assert (b.to_numpy() >= a.to_numpy()).all() and (b.to_numpy() > a.to_numpy()).any()
    sc = load_scenario("baseline_2025")
    t, m, z = sc.tables(), sc.travel_time_model(), load_zones("county")
    _, hw = filter_network(t.lines, t.highways, 2025)
    keys = {_roadnet._content_key(z.table, z.polygons, t.cities, hw, m)}
    hw2 = hw.copy()
    hw2.iloc[0, hw2.columns.get_loc("km")] = float(hw2["km"].iloc[0]) + 1.0
    keys.add(_roadnet._content_key(z.table, z.polygons, t.cities, hw2, m))
    keys.add(_roadnet._content_key(z.table, z.polygons, t.cities, hw.iloc[::-1], m))  # order matters
    keys.add(_roadnet._content_key(z.table, None, t.cities, hw, m))
    keys.add(_roadnet._content_key(z.table, z.polygons, t.cities, hw, m.replace(county_snap_km=m.county_snap_km + 1)))
    assert len(keys) == 5


@pytest.mark.slow
def test_cache_is_bounded() -> None:
    _roadnet.clear_cache()
    sc = load_scenario("baseline_2025")
    t, z = sc.tables(), load_zones("county")
    _, hw = filter_network(t.lines, t.highways, 2025)
    hw = hw.iloc[:40]  # small networks: quick
    for i in range(_roadnet._CACHE.size + 3):
        m = TravelTimeModel().replace(county_access_min=5.0 + i)
        _roadnet.add_zone_roads(nx.MultiDiGraph(), z.table, z.polygons, t.cities, hw, m)
    assert len(_roadnet._CACHE) == _roadnet._CACHE.size
    _roadnet.clear_cache()


def test_load_zones_copies_and_follows_the_files(tmp_path: Path) -> None:
    z1 = load_zones("county")
    z1.table.loc[z1.table.index[0], "name_en"] = "changed"
    assert load_zones("county").table["name_en"].iloc[0] != "changed"
    pickle.loads(pickle.dumps(load_zones("county")))
    src = data_folder()
    for f in src.iterdir():
        if f.is_file() and (f.suffix in (".csv", ".geojson") or f.name == "region.toml"):
            shutil.copy(f, tmp_path / f.name)
    old = settings.data_folder
    try:
        settings.data_folder = tmp_path  # type: ignore[assignment]
        before = load_zones("county")
        p = tmp_path / "counties.csv"
        text = p.read_text(encoding="utf-8")
        time.sleep(0.01)
        p.write_text(text.replace("Huangpu District", "Huangpu Qu"), encoding="utf-8")
        after = load_zones("county")
        assert before.table.loc[310101, "name_en"] == "Huangpu District"
        assert after.table.loc[310101, "name_en"] == "Huangpu Qu"
    finally:
        settings.data_folder = old


def test_bad_level() -> None:
    with pytest.raises(ValueError, match="level must be 'city' or 'county'"):
        load_zones("town")

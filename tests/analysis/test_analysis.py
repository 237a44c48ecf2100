"""analyze(): the assembled result, its oracles against networkx, and its writers."""

from __future__ import annotations

import json
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.core.keys import key
from yrdnet.metrics import centrality
from yrdnet.routing.matrices import UnreachableWarning


@pytest.fixture(scope="module")
def res(G2025):
    return yrdnet.analyze(G2025)


def test_result_shape(res):
    assert len(res.cities) == 41
    assert res.cities.crs.to_epsg() == 4326
    assert set(res.od) == {"multimodal", "rail", "road"}
    assert set(res.metros.index) == {"shanghai", "nanjing", "hangzhou", "hefei", "suxichang", "ningbo"}
    for col in (
        "watt_pop_multimodal",
        "pot_exp_pop_rail",
        "cum_pop_t60_road",
        "daily_pop_multimodal",
        "betweenness_multimodal",
        "straightness_rail",
        "time_to_core_multimodal",
    ):
        assert col in res.cities.columns, col
    for ind in (
        "structure_index",
        "entropy_potential",
        "uci",
        "green_pf_potential",
        "circle_metro_1h",
        "core_link_compliance",
        "gini_pot_exp_pop_multimodal",
    ):
        assert np.isfinite(res.index(ind)), ind
    assert 0 <= res.index("structure_index") <= 1
    assert any("330900 Zhoushan" in n for n in res.notes)  # unreachable by rail, reported once
    assert not res.stepwise.empty and not res.functional.empty and not res.sensitivity.empty


def test_rail_zhoushan_unreachable_handled(res):
    assert np.isinf(res.od["rail"].loc[330900, 310000])
    # WATT over reachable destinations only: finite for everyone but Zhoushan
    w = res.cities[key("watt", "rail", pop=None)]
    assert w.drop(330900).notna().all()


def test_closeness_equals_networkx_on_zone_graph(res):
    """Closeness from the OD matrix equals networkx's on the complete zone graph."""
    T = res.od["multimodal"].astype(float)
    H = nx.DiGraph()
    for i in T.index:
        for j in T.columns:
            if i != j:
                H.add_edge(i, j, t=T.loc[i, j])
    ref = nx.closeness_centrality(H.reverse(), distance="t")  # nx uses incoming distance
    ours = res.cities[key("closeness", "multimodal")]
    for c in T.index:
        assert ours[c] == pytest.approx(ref[c], rel=1e-5)


def test_betweenness_equals_networkx_on_curated_graph(G2025):
    zones = [n for n, k in G2025.nodes(data="kind") if k == "zone"]
    ours = centrality.betweenness(G2025, normalized=False)
    # networkx reference on the same graph with the same weight resolution (ms)
    H = nx.DiGraph()
    for u, v, d in G2025.edges(data=True):
        w = max(round(d["travel_time"] * 1000), 1)
        if not H.has_edge(u, v) or H[u][v]["w"] > w:
            H.add_edge(u, v, w=w)
    ref = nx.betweenness_centrality_subset(H, zones, zones, normalized=False, weight="w")
    for n in G2025.nodes:
        assert ours[n] == pytest.approx(ref.get(n, 0.0), abs=1e-9), n


@pytest.mark.slow
def test_scopes():
    r = yrdnet.analyze("baseline_2025", "central", centrality=False)
    assert len(r.cities) == 27
    r2 = yrdnet.analyze("baseline_2025", "hefei", centrality=False)
    assert set(r2.cities.index) == set(yrdnet.metro_members()["hefei"])
    with pytest.raises(ValueError, match=r"unknown scope 'nanjng'.*closest valid: nanjing"):
        yrdnet.analyze("baseline_2025", "nanjng")


def test_masses_fixed_across_scenarios():
    a = yrdnet.analyze("baseline_2010", centrality=False)
    b = yrdnet.analyze("baseline_2025", centrality=False)
    pd.testing.assert_series_equal(a.cities["population"], b.cities["population"])
    assert a.index("entropy_population") == b.index("entropy_population")
    # but the network's doing shows
    assert b.index("mean_watt_pop_multimodal") < a.index("mean_watt_pop_multimodal")


def test_to_dir_atomic(res, tmp_path):
    out = res.to_dir(tmp_path / "r")
    names = {p.name for p in out.iterdir()}
    assert {
        "cities.csv",
        "cities.gpkg",
        "metros.csv",
        "region.csv",
        "od_rail.csv",
        "result.json",
        "stepwise.csv",
        "linkage.csv",
        "functional.csv",
        "sensitivity.csv",
    } <= names
    meta = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert meta["name"] == "baseline_2025" and "structure_index" in meta["region"]
    back = pd.read_csv(out / "cities.csv", index_col=0)
    assert len(back) == 41
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_to_dir_failure_leaves_nothing(res, tmp_path, monkeypatch):
    import yrdnet.analysis.results as results

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(results, "write_json", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        res.to_dir(tmp_path / "r")
    assert not (tmp_path / "r").exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_timeline_one_call():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        tl = yrdnet.timeline(["baseline_2010", "baseline_2025", "plan_2035"])
    assert list(tl.columns) == ["baseline_2010", "baseline_2025", "plan_2035"]
    assert tl.loc["year"].tolist() == [2010, 2025, 2035]
    w = tl.loc["mean_watt_pop_multimodal"]
    assert w.is_monotonic_decreasing

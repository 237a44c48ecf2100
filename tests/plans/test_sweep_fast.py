"""The fast sweep path (overlay graph, rail pairs, shared analysis pieces) equals a full analysis.

A single-line scenario of plan_2035 on baseline_2025 at county level: every sweep row
of the incremental path equals the full path's (build_graph + travel_times + analyze),
and the analysis behind it (region rows, city, zone and target tables) equals
``analyze`` of the built scenario exactly, also when routed again on the base's state as
the first route left it (its kept suburban edges, rail legs). Correctness only; speed is in
``benchmarks/bench_sweep.py``.
"""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from yrdnet.analysis.city_steps import _city_means
from yrdnet.analysis.city_times import city_station_times
from yrdnet.analysis.pipeline import analyze
from yrdnet.metrics.hierarchy import train_strength
from yrdnet.plans import sweep_eval as ev
from yrdnet.plans.sweep import HEADLINE
from yrdnet.routing.compile import MODES
from yrdnet.routing.matrices import UnreachableWarning, rail_legs, station_times, travel_times
from yrdnet.scenarios.prepared_base import overlay, rail_pairs
from yrdnet.scenarios.scenario import Scenario, build_graph, load_scenario

INDICATORS = (*HEADLINE, "core_link_attainment")


@pytest.fixture(scope="module")
def singles() -> list[Scenario]:
    base, plan = load_scenario("baseline_2025"), load_scenario("plan_2035")
    return [Scenario(name=f"single_{e['line']}", base=base, edits=[dict(e)]) for e in plan.edits[:1]]


@pytest.fixture(scope="module")
def cache() -> ev.BaseCache:
    return ev.BaseCache()


def _edges(G: nx.MultiDiGraph) -> list[tuple]:
    return sorted((u, v, k, tuple(sorted(d.items()))) for u, v, k, d in G.edges(keys=True, data=True))


@pytest.fixture(scope="module")
def built(singles: list[Scenario]) -> dict[str, tuple[nx.MultiDiGraph, object]]:
    """Each scenario's built graph and its ``analyze`` as a sweep calls it (the reference)."""
    job = ev.Job("county", INDICATORS, None, None, False, None)
    Z = ev.zones_of(job)
    out = {}
    for sc in singles:
        G = build_graph(sc, zones=Z)
        od = {m: travel_times(G, m, warn_unreachable=False) for m in MODES}
        out[sc.name] = (G, analyze(G, zones=Z, travel_times=od, params=ev.sweep_params(job), centrality=False,
                                   sensitivity_samples=1))  # fmt: skip
    return out


def test_sweep_rows_equal_analyze_of_built_scenario(singles: list[Scenario], cache: ev.BaseCache, built: dict) -> None:
    job = ev.Job("county", INDICATORS, None, None, True, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        rows = pd.DataFrame([r for sc in singles for r in ev.evaluate(sc, job, None, cache)])
    assert (rows["method"] == "incremental").all() and (rows["status"] == "ok").all()
    assert len(rows) == len(singles) * len(INDICATORS)
    for sc in singles:
        ref = ev.indicator_values(built[sc.name][1], job, None)
        got = rows[rows["scenario"] == sc.name].set_index("indicator")["value"]
        assert list(got.index) == list(ref)
        for k, v in ref.items():
            assert got[k] == v, k  # exact


def test_fast_analysis_equals_analyze_of_built_scenario(
    singles: list[Scenario], cache: ev.BaseCache, built: dict
) -> None:
    job = ev.Job("county", INDICATORS, None, None, True, None)
    Z = ev.zones_of(job)
    base_edges = _edges(cache.get(singles[0].base, job).graph)
    for sc in [*singles, *singles]:  # the second route reads what the first left on the base's state
        r = ev.routed(sc, job, cache)
        assert r.reuse is not None and r.method == "incremental"
        fast = analyze(r.graph, zones=Z, travel_times=r.od, params=ev.sweep_params(job), centrality=False,
                       sensitivity_samples=1, reuse=r.reuse)  # fmt: skip
        G, ref = built[sc.name]
        for name in ("region", "cities", "zones", "targets", "metros", "linkage"):
            pd.testing.assert_frame_equal(getattr(fast, name), getattr(ref, name), check_exact=True, obj=name)
        assert fast.notes == ref.notes
        assert _edges(r.graph) == _edges(G)  # the overlay is the scenario graph
        P = rail_pairs(G)
        assert _edges(r.reuse.rail) == _edges(P)  # the scenario's rail pairs from the base's and the delta
        pd.testing.assert_frame_equal(station_times(P), station_times(G), check_exact=True)
        assert r.reuse.legs is not None  # the base's rail legs updated from the delta
        assert r.reuse.legs.halls == rail_legs(P).halls
        pd.testing.assert_frame_equal(station_times(P, legs=r.reuse.legs), station_times(G), check_exact=True)
        pd.testing.assert_frame_equal(train_strength(P), train_strength(G), check_exact=True)
        assert r.reuse.trains is not None  # whole trains per day: the city sums updated pair by pair
        pd.testing.assert_frame_equal(train_strength(r.reuse.trains), train_strength(G), check_exact=True)
    assert _edges(cache.get(singles[0].base, job).graph) == base_edges  # the base graph is untouched


def test_overlay_leaves_the_base_untouched() -> None:
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", w=1)
    G.add_edge("b", "c", w=2)
    G.add_edge("c", "a", w=3)
    before = _edges(G)
    H = overlay(G, {"b"})
    H.remove_edge("a", "b")
    H.add_edge("b", "d", w=4)
    H.add_edge("b", "c", w=5)
    assert _edges(G) == before
    assert _edges(H) == sorted([("b", "c", 0, (("w", 2),)), ("b", "c", 1, (("w", 5),)), ("b", "d", 0, (("w", 4),)),
                                ("c", "a", 0, (("w", 3),))])  # fmt: skip
    assert all(H._pred[v][u] is H._succ[u][v] for u in H._succ for v in H._succ[u])
    assert list(H.predecessors("c")) == ["b"] and "d" not in G


def _reference_means(x: np.ndarray, w: np.ndarray) -> list[float]:
    """The per-column loop aggregate_to_cities used before (np.average of each column)."""
    out = []
    for col in x.T:
        ok = ~np.isnan(col)
        if not ok.any():
            out.append(np.nan)
        elif np.isinf(col[ok]).any():
            out.append(float(np.inf) if (col[ok] > 0).any() else float(-np.inf))
        else:
            out.append(float(np.average(col[ok], weights=w[ok])))
    return out


@pytest.mark.parametrize("n", [1, 3, 7, 8, 9, 17, 40])
def test_city_means_equal_np_average_bit_for_bit(n: int) -> None:
    rng = np.random.default_rng(n)
    x = rng.lognormal(3.0, 2.0, size=(n, 12))
    x[0, 3] = np.nan
    x[:, 4] = np.nan
    x[-1, 5] = np.inf
    x[0, 6] = -np.inf
    w = rng.lognormal(12.0, 1.0, size=n)
    got = _city_means(x, w)
    np.testing.assert_array_equal(got, _reference_means(x, w))


def _reference_city_station_times(S: pd.DataFrame, city_of: dict[str, int]) -> pd.DataFrame:
    """The city-pair loop city_station_times used before (block minima)."""
    ids = [s for s in S.index if s in city_of]
    grp = np.array([city_of[s] for s in ids], dtype=int)
    cities = sorted(set(grp.tolist()))
    M = S.loc[ids, ids].to_numpy(float)
    out = np.full((len(cities), len(cities)), np.inf)
    for i, a in enumerate(cities):
        for j, b in enumerate(cities):
            out[i, j] = 0.0 if a == b else float(M[grp == a][:, grp == b].min())
    idx = pd.Index(cities, name="adcode")
    return pd.DataFrame(out, index=idx, columns=idx.rename(None))


@pytest.mark.parametrize("n", [1, 2, 6, 30])
def test_city_station_times_equal_the_pair_loop(n: int) -> None:
    rng = np.random.default_rng(n)
    ids = [f"s{i}" for i in range(n)]
    M = rng.uniform(1.0, 100.0, (n, n))
    M[rng.random((n, n)) < 0.3] = np.inf
    np.fill_diagonal(M, 0.0)
    S = pd.DataFrame(M, index=ids, columns=ids)
    city_of = {s: int(rng.integers(1, 6)) for s in ids[: max(1, n - 2)]}  # two stations of no city
    got = city_station_times(S, city_of)
    pd.testing.assert_frame_equal(got, _reference_city_station_times(S, city_of), check_exact=True)


def test_checked_once_gives_the_same_checks_and_fresh_arrays() -> None:
    from yrdnet.core.errors import DataError
    from yrdnet.metrics.inputs import _align, _od, checked_once

    ids = pd.Index([1, 2, 3], name="zone")
    T = pd.DataFrame([[0.0, 5.0, 9.0], [5.0, 0.0, 4.0], [9.0, 4.0, 0.0]], index=ids, columns=ids)
    bad = T.copy()
    bad.iloc[0, 1] = np.nan
    m = pd.Series([1.0, 2.0, 3.0], index=ids)
    with checked_once():
        T1, a1 = _od(T)
        T2, a2 = _od(T)  # the same check: not made again, its array a fresh one in the same layout
        assert T2 is T1 and a2 is not a1 and np.array_equal(a2, a1)
        assert a2.flags.f_contiguous == a1.flags.f_contiguous
        v1, v2 = _align(m, ids, "m"), _align(m, ids, "m")
        assert v2 is not v1 and np.array_equal(v2, m.to_numpy())
        for _ in range(2):  # a failing check is never remembered
            with pytest.raises(DataError, match="NaN"):
                _od(bad)
    with pytest.raises(DataError, match="NaN"):
        _od(bad)

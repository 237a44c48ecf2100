"""train_strength and time_to_metro_core equal the edge- and zone-by-zone loops they replaced, on odd inputs too."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.metrics.hierarchy import train_strength


def _reference(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The edge loop train_strength used before (G.edges, np.isfinite, max per pair, then per city pair)."""
    city = dict(G.nodes(data="city"))
    stations = sorted({int(city[n]) for n, k in G.nodes(data="kind") if k == "station"})
    per_pair: dict[tuple[str, str], float] = {}
    for u, v, d in G.edges(data=True):
        if d.get("mode") != "rail":
            continue
        t = d.get("trains_per_day")
        x = float(t) if t is not None and np.isfinite(float(t)) else 0.0
        per_pair[(u, v)] = max(per_pair.get((u, v), 0.0), x)
    w: dict[tuple[int, int], float] = {}
    for (u, v), x in per_pair.items():
        cu, cv = int(city[u]), int(city[v])
        if cu != cv:
            w[(cu, cv)] = w.get((cu, cv), 0.0) + x
    strength = dict.fromkeys(stations, 0.0)
    degree = dict.fromkeys(stations, 0.0)
    for (cu, _cv), x in w.items():
        strength[cu] = strength.get(cu, 0.0) + x
        if x > 0:
            degree[cu] = degree.get(cu, 0.0) + 1.0
    idx = pd.Index(sorted(strength), name="city")
    return pd.DataFrame(
        {"train_strength": [strength[c] for c in idx], "train_degree": [degree[c] for c in idx]}, index=idx
    )


def test_train_strength_equals_the_edge_rule_on_odd_values() -> None:
    rng = np.random.default_rng(5)
    G = nx.MultiDiGraph()
    nodes = [f"st:{i}" for i in range(30)]
    for i, n in enumerate(nodes):
        G.add_node(n, city=100 + i % 7, kind="station" if i % 5 else "platform")
    odd = [None, np.nan, np.inf, -np.inf, -3.0, -0.0, 0.0, "4", 1e300, 0.1, 0.2, 0.3]
    for _ in range(400):
        u, v = rng.choice(nodes, 2)
        mode = "rail" if rng.random() < 0.8 else "road"
        attrs = {"mode": mode}
        if rng.random() < 0.9:
            attrs["trains_per_day"] = odd[rng.integers(len(odd))] if rng.random() < 0.3 else float(rng.random() * 50)
        G.add_edge(str(u), str(v), **attrs)
    pd.testing.assert_frame_equal(train_strength(G), _reference(G), check_exact=True)


def _reference_to_core(T: pd.DataFrame, members: dict, cores: dict) -> pd.Series:
    """The zone-by-zone loop time_to_metro_core used before."""
    out = pd.Series(np.nan, index=T.index, name="time_to_metro_core")
    arr = T.to_numpy(float)
    for m, zs in members.items():
        c = cores[m]
        if c not in T.index:
            continue
        for z in zs:
            if z in T.columns:
                t = float(arr[T.index.get_loc(c), T.columns.get_loc(z)])
                out[z] = t if np.isnan(out[z]) else min(out[z], t)
    return out


def test_time_to_metro_core_equals_the_zone_loop() -> None:
    from yrdnet.metrics.hinterland import time_to_metro_core

    rng = np.random.default_rng(2)
    ids = [int(i) for i in rng.permutation(np.arange(50) + 100)]  # unsorted labels
    a = rng.uniform(0, 200, (50, 50))
    a[rng.random((50, 50)) < 0.1] = np.inf
    a[rng.random((50, 50)) < 0.05] = np.nan
    T = pd.DataFrame(a, index=ids, columns=ids)
    members = {f"m{k}": [int(z) for z in rng.choice([*ids, 1, 2], 12)] for k in range(8)}  # repeats, strangers
    cores = {m: (v[0] if k != 3 else 999) for k, (m, v) in enumerate(members.items())}
    got = time_to_metro_core(T, members, cores)
    pd.testing.assert_series_equal(got, _reference_to_core(T, members, cores), check_exact=True)
    Tc = T.loc[:, list(reversed(ids))]  # columns in another order: the label loop
    pd.testing.assert_series_equal(time_to_metro_core(Tc, members, cores), _reference_to_core(Tc, members, cores))

"""Benchmark (``make bench-full``): weighted betweenness against networkit and networkx.

Graphs: :func:`yrdnet.testing.random_graph` contract graphs (200 zones, road junctions on
a spanning tree plus nearest-neighbour links in both directions, rail lines, ~3.7 edges
per node), multimodal, travel-time weights. Every tool gets the same preprocessed
directed graph: yrdnet's 1 ms quantisation, parallel edges collapsed to the fastest
(``yrdnet.metrics.betweenness_backends.prepare``); networkit and networkx graphs are
built from its arrays outside the timings.

What is compared (like with like):

(a) **All-pairs** weighted betweenness, ``betweenness(G, pairs="nodes")`` (igraph
    backend; ``workers=1`` and ``workers=2`` processes) against networkit 11's
    ``centrality.Betweenness(G, normalized=True)`` on its default thread count (all
    cores: 2 here). networkit counts every ordered pair (s, t), s != t, on a directed
    graph, endpoints excluded, and with ``normalized=True`` divides by (n-1)(n-2) — the
    same as yrdnet's ``pairs="nodes", normalized=True`` and networkx's
    ``betweenness_centrality``. Asserted: equal within 1e-9 of the largest value.
    yrdnet's time includes its preprocessing; networkit's is ``run()`` only.
(b) The same quantity against **networkx**: ``betweenness_centrality_subset`` from
    ``$YRDNET_BENCH_BC_NX_SOURCES`` sources (default 60, drawn as ``betweenness(...,
    k=, seed=0)`` draws them) to every node, its time scaled linearly by n / sources to
    all n sources (Brandes' cost is a sum of equal-sized single-source passes). Asserted:
    yrdnet's sampled values for the same sources equal networkx's within 1e-9.
(c) yrdnet's own quantity, **zone-to-zone** betweenness (200 zones) on the big graph,
    against networkx's ``betweenness_centrality_subset`` in full (networkit has no
    source/target subsets). Asserted equal within 1e-9.
(d) A graph small enough for networkx all-pairs in full (``$YRDNET_BENCH_BC_SMALL``,
    default 2,000 nodes): ``pairs="nodes"`` against ``nx.betweenness_centrality``,
    asserted equal within 1e-9.

Sizes: ``$YRDNET_BENCH_BC_NODES`` (default 10,000; the all-pairs cost grows as about
n^2 log n, 20,000 nodes takes ~4 min per tool on 2 cores). ``YRDNET_BENCH_QUICK=1``:
2,000 / 500 nodes, 20 networkx sources. ``run()`` returns rows in ``benchmarks/run.py``'s
format. Run alone with ``python benchmarks/bench_full_centrality.py``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
from _timing import row

from yrdnet.metrics.betweenness_backends import Prepared, prepare
from yrdnet.metrics.centrality import betweenness
from yrdnet.routing.compile import compile_graph
from yrdnet.testing import random_graph

QUICK = os.environ.get("YRDNET_BENCH_QUICK", "") == "1"
N_NODES = int(os.environ.get("YRDNET_BENCH_BC_NODES", "2000" if QUICK else "10000"))
N_SMALL = int(os.environ.get("YRDNET_BENCH_BC_SMALL", "500" if QUICK else "2000"))
NX_SOURCES = int(os.environ.get("YRDNET_BENCH_BC_NX_SOURCES", "20" if QUICK else "60"))
N_ZONES = 200
SEED = 2024
RTOL = 1e-9


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def _assert_close(got: np.ndarray, ref: np.ndarray, what: str) -> float:
    """Assert equality within RTOL of the largest value; return the relative deviation."""
    scale = float(np.abs(ref).max())
    dev = float(np.abs(got - ref).max()) / scale if scale > 0 else 0.0
    assert scale > 0 and dev <= RTOL, f"{what}: max deviation {dev:.3g} of the largest value"
    return dev


def _digraph(P: Prepared) -> nx.DiGraph:
    H: nx.DiGraph = nx.DiGraph()
    H.add_nodes_from(range(P.n))
    H.add_weighted_edges_from(zip(P.src.tolist(), P.dst.tolist(), P.w.tolist(), strict=True), weight="w")
    return H


def _networkit(P: Prepared) -> tuple[np.ndarray, float, int]:
    import networkit as nk

    g = nk.Graph(P.n, weighted=True, directed=True)
    g.addEdges((P.w, (P.src, P.dst)))
    bc = nk.centrality.Betweenness(g, normalized=True)
    _, t = _timed(bc.run)
    return np.asarray(bc.scores()), t, nk.getMaxNumberOfThreads()


def _graph(n_nodes: int) -> tuple[nx.MultiDiGraph, Prepared]:
    G = random_graph(N_ZONES, n_nodes=n_nodes, seed=SEED)
    compile_graph(G)  # warm the shared CSR cache
    return G, prepare(G, "multimodal", "travel_time")


def bench_networkit(G: nx.MultiDiGraph, P: Prepared, tag: str) -> list[dict[str, Any]]:
    """(a): all-pairs, yrdnet on 1 and 2 processes against networkit on all threads."""
    ref, t_nk, threads = _networkit(P)
    rows = []
    for workers in (1, 2):
        got, t = _timed(lambda w=workers: betweenness(G, pairs="nodes", workers=w))
        dev = _assert_close(got.to_numpy(), ref, f"workers={workers} vs networkit")
        print(f"[bench] {tag} all-pairs, workers={workers}: {t:.2f} s; networkit {threads} threads {t_nk:.2f} s; "
              f"max deviation {dev:.1e}")  # fmt: skip
        rows.append(row(f"betweenness all-pairs {tag}, {workers} proc.", t, f"networkit ({threads} threads)", t_nk))
    return rows


def bench_networkx_sampled(G: nx.MultiDiGraph, P: Prepared, tag: str, t_yrd: float) -> dict[str, Any]:
    """(b): networkx from a source sample, scaled to all sources; equality on the sample."""
    k = min(NX_SOURCES, P.n)
    rng = np.random.default_rng(0)  # the draw betweenness(k=, seed=0) makes
    sources = np.sort(rng.choice(P.n, size=k, replace=False))
    H = _digraph(P)
    b, t = _timed(lambda: nx.betweenness_centrality_subset(H, sources.tolist(), range(P.n), weight="w"))
    ref = np.array([b[i] for i in range(P.n)])
    got = betweenness(G, pairs="nodes", normalized=False, k=k, seed=0).to_numpy() * (k / P.n)
    dev = _assert_close(got, ref, "sampled sources vs networkx")
    t_all = t * P.n / k
    print(f"[bench] {tag} networkx from {k} sources {t:.2f} s -> {t_all:.0f} s for all {P.n} (linear scaling); "
          f"same-source values max deviation {dev:.1e}")  # fmt: skip
    return row(f"betweenness all-pairs {tag}, 2 proc.", t_yrd, f"networkx (scaled from {k} sources)", t_all)


def bench_zones(G: nx.MultiDiGraph, P: Prepared, tag: str) -> dict[str, Any]:
    """(c): zone-to-zone betweenness against networkx's subset betweenness in full."""
    H = _digraph(P)
    z = P.zones.tolist()
    b, t_nx = _timed(lambda: nx.betweenness_centrality_subset(H, z, z, normalized=False, weight="w"))
    got, t = _timed(lambda: betweenness(G, normalized=False))
    dev = _assert_close(got.to_numpy(), np.array([b[i] for i in range(P.n)]), "zones vs networkx")
    print(f"[bench] {tag} zone-to-zone ({len(z)} zones): {t:.2f} s vs networkx {t_nx:.2f} s; deviation {dev:.1e}")
    return row(f"betweenness zone-to-zone {tag}, {len(z)} zones", t, "networkx subset betweenness", t_nx)


def bench_small() -> dict[str, Any]:
    """(d): all-pairs on a graph small enough for networkx in full."""
    G, P = _graph(N_SMALL)
    H = _digraph(P)
    b, t_nx = _timed(lambda: nx.betweenness_centrality(H, weight="w"))
    got, t = _timed(lambda: betweenness(G, pairs="nodes"))
    dev = _assert_close(got.to_numpy(), np.array([b[i] for i in range(P.n)]), "small all-pairs vs networkx")
    tag = f"{P.n:,} nodes/{len(P.src):,} edges"
    print(f"[bench] {tag} all-pairs: {t:.2f} s vs networkx in full {t_nx:.2f} s; deviation {dev:.1e}")
    return row(f"betweenness all-pairs {tag}, 1 proc.", t, "networkx betweenness_centrality", t_nx)


def run() -> list[dict[str, Any]]:
    """All four parts; see the module docstring."""
    rows = [bench_small()]
    G, P = _graph(N_NODES)
    tag = f"{P.n:,} nodes/{len(P.src):,} edges"
    nk_rows = bench_networkit(G, P, tag)
    rows += nk_rows
    rows.append(bench_networkx_sampled(G, P, tag, nk_rows[1]["seconds"]))
    rows.append(bench_zones(G, P, tag))
    return rows


def main() -> None:
    """Print the rows as a table."""
    rows = run()
    print(f"{'benchmark':62s} {'seconds':>9s} {'baseline s':>11s} {'ratio':>7s}  baseline")
    for r in rows:
        print(f"{r['name']:62s} {r['seconds']:9.2f} {r['baseline_seconds']:11.2f} {r['ratio']:6.2f}x  {r['baseline']}")


if __name__ == "__main__":
    main()

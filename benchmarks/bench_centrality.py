"""Benchmark: zone-to-zone betweenness on a random contract graph, per backend.

``run()`` returns one row per backend, ``{name, seconds, baseline, ratio}``, where the
baseline is the networkx backend timed in the same run and ``ratio = baseline /
seconds`` (the speed-up; > 1 is faster than networkx). The graph is compiled once before
timing, so each row times the backend (graph hand-over + Brandes), not the shared
graph-to-array conversion. Run directly with ``python benchmarks/bench_centrality.py``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import _timing

from yrdnet.metrics.centrality import betweenness, city_betweenness, edge_betweenness
from yrdnet.routing.compile import compile_graph
from yrdnet.testing import random_graph

logger = logging.getLogger(__name__)

N_NODES = 5_000
N_ZONES = 200
SEED = 2024
REPEAT = 3  # best of
best_of = functools.partial(_timing.best_of, repeat=REPEAT)


def run(n_nodes: int = N_NODES, n_zones: int = N_ZONES, seed: int = SEED) -> list[dict]:
    """Time betweenness per backend; networkx (one run) is the baseline."""
    G = random_graph(n_zones, n_nodes=n_nodes, seed=seed)
    compile_graph(G)  # warm the shared CSR cache
    logger.info("bench_centrality: %d nodes, %d edges, %d zones", G.number_of_nodes(), G.number_of_edges(), n_zones)
    baseline = best_of(lambda: betweenness(G, backend="networkx"), repeat=1)
    rows = [{"name": "betweenness[networkx]", "seconds": baseline, "baseline": baseline, "ratio": 1.0}]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("betweenness[igraph]", lambda: betweenness(G, backend="igraph")),
        ("betweenness[scipy]", lambda: betweenness(G, backend="scipy")),
        ("betweenness[auto]", lambda: betweenness(G)),
        ("betweenness[auto,k=50]", lambda: betweenness(G, k=50, seed=0)),
        ("edge_betweenness[igraph]", lambda: edge_betweenness(G, backend="igraph")),
        ("edge_betweenness[scipy]", lambda: edge_betweenness(G, backend="scipy")),
    ]
    for name, fn in cases:
        s = best_of(fn)
        rows.append({"name": name, "seconds": s, "baseline": baseline, "ratio": baseline / s})
    s = best_of(lambda: city_betweenness(G), repeat=1)
    rows.append({"name": "city_betweenness[scipy]", "seconds": s, "baseline": baseline, "ratio": baseline / s})
    return rows


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for row in run():
        logger.info(
            "%-28s %8.3f s  baseline %7.3f s  x%.1f", row["name"], row["seconds"], row["baseline"], row["ratio"]
        )

"""`make bench`: speed of yrdnet's compiled paths against baselines measured in the same run.

Each row prints the yrdnet time, the baseline time and their ratio (baseline / yrdnet,
so > 1 means yrdnet is faster). Nothing here is a unit test: timings vary by machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("YRDNET_QUIET", "1")
sys.path.insert(0, str(Path(__file__).parent))

import networkx as nx  # noqa: E402

import yrdnet  # noqa: E402
from yrdnet.routing import UnreachableWarning  # noqa: E402

warnings.simplefilter("ignore", UnreachableWarning)


def timeit(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Median wall time of ``repeat`` calls, seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_mb(fn: Callable[[], Any]) -> float:
    """Peak Python-allocated memory of one call, MB (tracemalloc)."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def row(name: str, seconds: float, baseline_name: str, baseline: float) -> dict[str, Any]:
    return {"name": name, "seconds": seconds, "baseline": baseline_name, "baseline_seconds": baseline,
            "ratio": baseline / seconds if seconds > 0 else float("inf")}


def bench_routing() -> list[dict[str, Any]]:
    rows = []
    G = yrdnet.build_graph("baseline", year=2025)
    t_build = timeit(lambda: yrdnet.build_graph("baseline", year=2025))

    def nx_build() -> None:
        # baseline: the same graph assembled edge by edge from networkx's own API
        H = nx.MultiDiGraph()
        H.add_edges_from(G.edges(keys=True, data=True))

    rows.append(row("build_graph(2025)", t_build, "copying its edges into a new nx graph", timeit(nx_build)))
    zones = [n for n, k in G.nodes(data="kind") if k == "zone"]

    def ours() -> None:
        yrdnet.travel_times(G.copy(), "multimodal")  # a fresh copy: includes compiling the CSR

    def nx_all_pairs() -> None:
        for z in zones:
            nx.single_source_dijkstra_path_length(G, z, weight="travel_time")

    rows.append(row("travel_times 41x41 multimodal", timeit(ours), "networkx Dijkstra from each zone", timeit(nx_all_pairs, 1)))
    rows.append(row("travel_times 41x41 x 3 modes", timeit(lambda: [yrdnet.travel_times(G, m) for m in yrdnet.convert.MODES]),
                    "networkx all_pairs_dijkstra_path_length", timeit(lambda: dict(nx.all_pairs_dijkstra_path_length(G, weight="travel_time")), 1)))
    return rows


def main() -> None:
    rows: list[dict[str, Any]] = []
    for bench in BENCHES:
        try:
            rows.extend(bench())
        except Exception as e:  # noqa: BLE001 - report and continue with the others
            print(f"[bench] {bench.__name__} failed: {e!r}")
    print(f"\n{'benchmark':42s} {'yrdnet s':>10s} {'baseline s':>11s} {'ratio':>8s}  baseline")
    for r in rows:
        print(f"{r['name']:42s} {r['seconds']:10.4f} {r['baseline_seconds']:11.4f} {r['ratio']:7.1f}x  {r['baseline']}")


BENCHES: list[Callable[[], list[dict[str, Any]]]] = [bench_routing]

if __name__ == "__main__":
    main()

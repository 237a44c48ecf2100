"""`make bench`: speed of yrdnet's compiled paths against baselines measured in the same run.

Each row prints the yrdnet time, the baseline time and their ratio (baseline / yrdnet,
so > 1 means yrdnet is faster). Nothing here is a unit test: timings vary by machine.
"""

from __future__ import annotations

import os
import sys
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("YRDNET_QUIET", "1")
sys.path.insert(0, str(Path(__file__).parent))

import networkx as nx
from _timing import median_of, row

import yrdnet
from yrdnet.routing.matrices import UnreachableWarning

warnings.simplefilter("ignore", UnreachableWarning)


def peak_mb(fn: Callable[[], Any]) -> float:
    """Peak Python-allocated memory of one call, MB (tracemalloc)."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def bench_routing() -> list[dict[str, Any]]:
    """Graph building and the 41x41 matrices against networkx's Dijkstra from every zone."""
    from yrdnet.routing.compile import clear_cache, compile_graph

    rows = []
    G = yrdnet.build_graph("baseline", year=2025)
    zones = [n for n, k in G.nodes(data="kind") if k == "zone"]
    masks = {m: compile_graph(G).mask(m) for m in yrdnet.routing.compile.MODES}

    def nx_zones(H: nx.MultiDiGraph) -> None:
        for z in zones:
            nx.single_source_dijkstra_path_length(H, z, weight="travel_time")

    sub = {}
    cg = compile_graph(G)
    edges = list(G.edges(keys=True))
    for m, mask in masks.items():
        H = nx.MultiDiGraph()
        H.add_nodes_from(G.nodes)
        H.add_edges_from((u, v, k, G.edges[u, v, k]) for (u, v, k), ok in zip(edges, mask, strict=False) if ok)
        sub[m] = H
    del cg
    nx_mm = median_of(lambda: nx_zones(G), 3)
    nx_3 = median_of(lambda: [nx_zones(sub[m]) for m in sub], 1)
    t_build = median_of(lambda: yrdnet.build_graph("baseline", year=2025))
    rows.append(row("build_graph(2025)", t_build, "networkx Dijkstra from each zone (multimodal)", nx_mm))

    def ours_cold() -> None:
        clear_cache(G)
        yrdnet.travel_times(G, "multimodal")

    rows.append(
        row("travel_times 41x41 (compile + route)", median_of(ours_cold), "networkx Dijkstra from each zone", nx_mm)
    )
    yrdnet.travel_times(G, "multimodal")
    rows.append(
        row(
            "travel_times 41x41 (compiled)",
            median_of(lambda: yrdnet.travel_times(G, "multimodal"), 5),
            "networkx Dijkstra from each zone",
            nx_mm,
        )
    )
    rows.append(
        row(
            "travel_times 41x41 x 3 modes (compiled)",
            median_of(lambda: [yrdnet.travel_times(G, m) for m in yrdnet.routing.compile.MODES], 5),
            "networkx Dijkstra from each zone, per mode subgraph",
            nx_3,
        )
    )
    rows.append(
        row(
            "build_graph + travel_times x 3 modes",
            median_of(
                lambda: [
                    yrdnet.travel_times(g, m)
                    for g in [yrdnet.build_graph("baseline", year=2025)]
                    for m in yrdnet.routing.compile.MODES
                ]
            ),
            "build_graph + networkx per mode",
            t_build + nx_3,
        )
    )
    return rows


def bench_analyze() -> list[dict[str, Any]]:
    """analyze() after the graph is built, against a plain networkx implementation of a
    subset of it (all-pairs Dijkstra + networkx closeness + betweenness on zones)."""
    G = yrdnet.build_graph("baseline", year=2025)
    yrdnet.analyze(G)  # warm caches (CSR, imports)
    ours = median_of(lambda: yrdnet.analyze(G, sensitivity_samples=200), 5)
    zones = [n for n, k in G.nodes(data="kind") if k == "zone"]

    def nx_subset() -> None:
        H = nx.DiGraph(G)
        for z in zones:
            nx.single_source_dijkstra_path_length(H, z, weight="travel_time")
        nx.betweenness_centrality_subset(H, zones, zones, weight="travel_time")

    rows = [
        row(
            "analyze(baseline_2025), graph built",
            ours,
            "networkx: routing + zone betweenness only",
            median_of(nx_subset, 1),
        )
    ]
    mem = peak_mb(lambda: yrdnet.analyze(G))
    print(f"[bench] analyze peak Python memory: {mem:.1f} MB; well under a second: {ours < 1.0}")
    return rows


def bench_centrality() -> list[dict[str, Any]]:
    import bench_centrality as bc

    return [
        {
            "name": r["name"] + " (5k nodes)",
            "seconds": r["seconds"],
            "baseline": "networkx betweenness",
            "baseline_seconds": r["baseline"],
            "ratio": r["ratio"],
        }
        for r in bc.run()
    ]


def bench_incremental() -> list[dict[str, Any]]:
    import bench_incremental as bi

    return list(bi.run())


def bench_timetable() -> list[dict[str, Any]]:
    import bench_timetable as bt

    return list(bt.run())


def bench_station_times() -> list[dict[str, Any]]:
    """station_times (fastest scheduled, all served stations) against networkx on the same weights."""
    G = yrdnet.build_graph("baseline", year=2025)
    tau = G.graph["transfer_min"] * 60.0
    H = nx.DiGraph()
    for u, v, d in G.edges(data=True):
        if d["mode"] == "rail":
            w = d["in_vehicle_s"] + tau
            if not H.has_edge(u, v) or H[u][v]["w"] > w:
                H.add_edge(u, v, w=w)
    halls = sorted(H.nodes)

    def nx_all() -> None:
        for h in halls:
            nx.single_source_dijkstra_path_length(H, h, weight="w")

    ours = median_of(lambda: yrdnet.station_times(G), 3)
    build = median_of(lambda: yrdnet.build_graph("baseline", year=2025), 3)
    print(f"[bench] station_times: {len(halls)} stations; build_graph(2025) with services {build:.3f} s")
    return [
        row(f"station_times, {len(halls)} stations (2025)", ours, "networkx Dijkstra per station", median_of(nx_all, 3))
    ]


def bench_zones() -> list[dict[str, Any]]:
    """County zones (305): graph build, analyze and the 2010 -> 2035 timeline, against the city level."""
    Z = yrdnet.load_zones("county")
    G = yrdnet.build_graph("baseline_2025", zones=Z)
    yrdnet.analyze(G, zones=Z)  # warm caches and imports
    build = median_of(lambda: yrdnet.build_graph("baseline_2025", zones=Z), 3)
    build_city = median_of(lambda: yrdnet.build_graph("baseline_2025"), 3)
    ours = median_of(lambda: yrdnet.analyze(G, zones=Z), 3)
    zones = [n for n, k in G.nodes(data="kind") if k == "zone"]
    H = nx.DiGraph(G)

    def nx_routing() -> None:
        for z in zones:
            nx.single_source_dijkstra_path_length(H, z, weight="travel_time")

    full = median_of(lambda: yrdnet.analyze("baseline_2025", zones=Z), 3)
    full_city = median_of(lambda: yrdnet.analyze("baseline_2025"), 3)
    tl = median_of(lambda: yrdnet.timeline(zones=Z), 1)
    tl_city = median_of(yrdnet.timeline, 1)
    print(
        f"[bench] county level: build {build:.2f} s, analyze incl. build {full:.2f} s (a few seconds: {full < 5}), "
        f"timeline 2010-2035 {tl:.1f} s (well under a minute: {tl < 30})"
    )
    return [
        row(f"build_graph(2025), {len(zones)} county zones", build, "city graph (41 zones)", build_city),
        row(
            "analyze(2025) county, graph built", ours, "networkx Dijkstra from 305 zones only", median_of(nx_routing, 1)
        ),
        row("analyze(2025) county, incl. build", full, "city analyze incl. build", full_city),
        row("timeline 2010-2035 county (5 scen.)", tl, "city timeline", tl_city),
    ]


def bench_sweep() -> list[dict[str, Any]]:
    """Sweeps (issue 13): scenarios per second incremental vs full, 256 plans on a 2-worker LocalCluster, memory."""
    import bench_sweep as bs

    return list(bs.run())


BENCHES: list[Callable[[], list[dict[str, Any]]]] = [
    bench_routing,
    bench_analyze,
    bench_centrality,
    bench_incremental,
    bench_timetable,
    bench_station_times,
    bench_zones,
    bench_sweep,
]


def main() -> None:
    """Run every benchmark and print one table."""
    rows: list[dict[str, Any]] = []
    for bench in BENCHES:
        try:
            rows.extend(bench())
        except Exception as e:
            print(f"[bench] {bench.__name__} failed: {e!r}")
    print(f"\n{'benchmark':66s} {'yrdnet s':>10s} {'baseline s':>11s} {'ratio':>8s}  baseline")
    for r in rows:
        print(
            f"{r['name']:66s} {r['seconds']:10.4f} {float(r['baseline_seconds']):11.4f} "
            f"{r['ratio']:7.1f}x  {r['baseline']}"
        )
    print("\nratio = baseline seconds / yrdnet seconds (> 1: yrdnet is faster); both measured in this run.")


if __name__ == "__main__":
    main()

"""Benchmark: incremental travel times (yrdnet.incremental) against full recomputation.

``run()`` returns rows ``{name, seconds, baseline, baseline_seconds, ratio}`` where the
baseline is ``yrdnet.travel_times`` on the same scenario graph(s), timed in the same run,
and ``ratio = baseline_seconds / seconds`` (> 1: the incremental path is faster).

Cases, all on the curated 2025 network (multimodal unless stated):

* one project scenario (``north_yangtze_hsr``) and ``plan_2035`` (all 12 lines at once);
* ``plan_2035`` as 12 single-line scenarios on ``baseline_2025`` — the sweep use case,
  where one all-node base matrix is shared by every scenario;
* the update kernel on the whole all-node matrix, against recomputing that matrix.

"update only" rows assume the base's all-node matrix exists already (it is a one-off cost
per base and mode); "base + update" rows include computing it. The default path of
``travel_times_incremental`` (``base=None``) computes the base only over the zones and the
touched nodes. Graphs are built and compiled once before timing (both paths need them);
each row times the routing work only. Run with ``python benchmarks/bench_incremental.py``.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Callable
from typing import Any

import _timing
import networkx as nx
from _timing import row

import yrdnet
from yrdnet.convert import compile_graph
from yrdnet.incremental import (
    added_edges,
    all_node_distances,
    travel_times_incremental,
    update_distances,
)
from yrdnet.routing import UnreachableWarning
from yrdnet.scenario import Scenario, load_scenario

logger = logging.getLogger(__name__)

BASE = "baseline_2025"
ONE = "north_yangtze_hsr"
REPEAT = 9  # best of
best_of = functools.partial(_timing.best_of, repeat=REPEAT)


def _single_line_graphs() -> dict[str, nx.MultiDiGraph]:
    """plan_2035's lines, each opened alone on baseline_2025."""
    base = load_scenario(BASE)
    plan = load_scenario("plan_2035")
    out = {}
    for e in plan.edits:
        sc = Scenario(name=f"single_{e['line']}", base=base, edits=[dict(e)])
        out[e["line"]] = yrdnet.build_graph(sc)
    return out


def run(mode: str = "multimodal") -> list[dict[str, Any]]:
    """Time incremental vs full routing; see the module docstring for the cases."""
    warnings.simplefilter("ignore", UnreachableWarning)
    G0 = yrdnet.build_graph(BASE)
    G1 = yrdnet.build_graph(ONE)
    Gp = yrdnet.build_graph("plan_2035")
    singles = _single_line_graphs()
    for G in (G0, G1, Gp, *singles.values()):
        compile_graph(G)  # warm the shared CSR cache for both paths
    n = G0.number_of_nodes()
    D0 = all_node_distances(G0, mode)
    logger.info("bench_incremental: base %d nodes, %d single-line scenarios", n, len(singles))

    def full(G: nx.MultiDiGraph) -> Callable[[], object]:
        return lambda: yrdnet.travel_times(G, mode, warn_unreachable=False)

    def inc(G: nx.MultiDiGraph, base: object = None) -> Callable[[], object]:
        return lambda: travel_times_incremental(
            G0,
            G,
            mode,
            base=base,  # type: ignore[arg-type]
            warn_unreachable=False,
        )

    rows = []
    t_full_one = best_of(full(G1))
    t_base = best_of(lambda: all_node_distances(G0, mode))
    t_upd_one = best_of(inc(G1, D0))
    rows.append(row(f"{ONE}: update only (all-node base given)", t_upd_one, f"travel_times({ONE})", t_full_one))
    rows.append(row(f"{ONE}: all-node base ({n}x{n}) + update", t_base + t_upd_one, f"travel_times({ONE})", t_full_one))
    rows.append(row(f"{ONE}: default path (zones+touched base)", best_of(inc(G1)), f"travel_times({ONE})", t_full_one))

    t_full_p = best_of(full(Gp))
    t_upd_p = best_of(inc(Gp, D0))
    rows.append(row("plan_2035 at once: update only", t_upd_p, "travel_times(plan_2035)", t_full_p))
    rows.append(row("plan_2035 at once: all-node base + update", t_base + t_upd_p, "travel_times(plan_2035)", t_full_p))

    graphs = list(singles.values())
    k = len(graphs)

    def sweep_full() -> None:
        for G in graphs:
            yrdnet.travel_times(G, mode, warn_unreachable=False)

    def sweep_inc(base: object) -> Callable[[], None]:
        def go() -> None:
            for G in graphs:
                travel_times_incremental(
                    G0,
                    G,
                    mode,
                    base=base,  # type: ignore[arg-type]
                    warn_unreachable=False,
                )

        return go

    t_sweep_full = best_of(sweep_full)
    t_sweep_upd = best_of(sweep_inc(D0))
    label = f"travel_times x {k} single-line scenarios"
    rows.append(row(f"plan_2035 as {k} single lines: update only", t_sweep_upd, label, t_sweep_full))
    rows.append(row(f"plan_2035 as {k} single lines: base once + updates", t_base + t_sweep_upd, label, t_sweep_full))
    rows.append(row(f"plan_2035 as {k} single lines: default path", best_of(sweep_inc(None)), label, t_sweep_full))
    # the kernel on the whole all-node matrix (every node's row updated), against
    # recomputing the all-node matrix of the scenario graph
    for label_g, G in ((ONE, G1), ("plan_2035", Gp)):
        edges = added_edges(G0, G, mode)
        new = [v for v in G if v not in G0]
        t_k = best_of(lambda e=edges, nw=new: update_distances(D0, e, new_nodes=nw))
        t_a = best_of(lambda g=G: all_node_distances(g, mode))
        rows.append(
            row(
                f"{label_g}: update_distances on all-node matrix ({len(edges)} edges)",
                t_k,
                f"all_node_distances({label_g})",
                t_a,
            )
        )
    rows.append(row(f"all-node base alone ({n}x{n}, one-off)", t_base, f"travel_times({BASE})", best_of(full(G0))))
    return rows


def main() -> None:
    """Print the rows as a table."""
    rows = run()
    print(f"{'benchmark':58s} {'seconds':>9s} {'baseline s':>11s} {'ratio':>7s}  baseline")
    for r in rows:
        print(f"{r['name']:58s} {r['seconds']:9.4f} {r['baseline_seconds']:11.4f} {r['ratio']:6.2f}x  {r['baseline']}")


if __name__ == "__main__":
    main()

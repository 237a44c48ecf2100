"""Benchmark: incremental scenario evaluation (yrdnet.routing.incremental) against full recomputation.

``run()`` returns rows ``{name, seconds, baseline, baseline_seconds, ratio}``, the
baseline timed in the same run, ``ratio = baseline_seconds / seconds`` (> 1: the
incremental path is faster). The cases are the sweep use case of issue 13: the 12 lines of
``plan_2035`` each opened alone on ``baseline_2025``, at city and at county zones, all
three modes (multimodal, rail, road) per scenario:

* **routing only, graphs given** — ``travel_times_incremental(G_base, G_new, mode,
  base=D)`` (diffs the two compiled graphs, then the min-plus update) against
  ``travel_times(G_new, mode)``; both graphs built and compiled beforehand;
* **routing only, delta given** — the min-plus update of :class:`IncrementalBase` from the
  scenario's precomputed graph delta, against ``travel_times(G_new, mode)``;
* **end to end, shared base** — ``IncrementalBase.evaluate(scenario)`` (tables, graph
  delta, update; no graph build, no Dijkstra) against ``build_graph(scenario, zones=...)``
  followed by ``travel_times`` for the three modes. This is the issue's bar: >= 10x at
  county level for single-line additions;
* the worst single line end to end, ``plan_2035`` (12 lines at once) end to end, and the
  one-off cost of ``IncrementalBase.build`` against one full evaluation.

Every incremental result is checked identical (float32 minutes) to the full one before
timing; a difference raises ``AssertionError``. Run with
``python benchmarks/bench_incremental.py``.
"""

from __future__ import annotations

import functools
import logging
import time
import warnings
from collections.abc import Callable
from typing import Any

import _timing
import networkx as nx
import numpy as np
from _timing import row

from yrdnet.routing.compile import MODES, compile_graph
from yrdnet.routing.matrices import UnreachableWarning, travel_times
from yrdnet.scenarios.incremental import IncrementalBase, travel_times_incremental
from yrdnet.scenarios.scenario import Scenario, build_graph, load_scenario

logger = logging.getLogger(__name__)

BASE = "baseline_2025"
REPEAT = 3  # best of
best_of = functools.partial(_timing.best_of, repeat=REPEAT)


def single_line_scenarios() -> list[Scenario]:
    """plan_2035's lines, each opened alone on baseline_2025."""
    base = load_scenario(BASE)
    plan = load_scenario("plan_2035")
    return [Scenario(name=f"single_{e['line']}", base=base, edits=[dict(e)]) for e in plan.edits]


def _full(sc: Scenario | str, zones: str | None) -> dict[str, np.ndarray]:
    G = build_graph(sc, zones=zones)
    return {m: travel_times(G, m, warn_unreachable=False).to_numpy() for m in MODES}


def _check(B: IncrementalBase, sc: Scenario | str, zones: str | None) -> None:
    got = B.evaluate(sc, warn_unreachable=False)
    want = _full(sc, zones)
    for m in MODES:
        T, method = got[m]
        name = sc if isinstance(sc, str) else sc.name
        if method != "incremental" or not np.array_equal(T.to_numpy(), want[m]):
            msg = f"{name} ({zones or 'city'}, {m}): incremental ({method}) differs from full recomputation"
            raise AssertionError(msg)


def _routing_rows(
    level: str, B: IncrementalBase, graphs: list[nx.MultiDiGraph], scs: list[Scenario]
) -> list[dict[str, Any]]:
    k = len(graphs)

    def full() -> None:
        for G in graphs:
            for m in MODES:
                travel_times(G, m, warn_unreachable=False)

    def inc_graphs() -> None:
        for G in graphs:
            for m in MODES:
                travel_times_incremental(B.graph, G, m, base=B.distances[m], warn_unreachable=False)

    deltas = [B.delta(sc) for sc in scs]

    def inc_delta() -> None:
        for d in deltas:
            for m in MODES:
                B.from_delta(d, m)

    for G, d in zip(graphs, deltas, strict=True):  # identical results on the routing step
        for m in MODES:
            want = travel_times(G, m, warn_unreachable=False)
            a = travel_times_incremental(B.graph, G, m, base=B.distances[m], warn_unreachable=False)
            if not (a.equals(want) and B.from_delta(d, m).equals(want)):
                raise AssertionError(f"{G.graph['scenario']} ({level}, {m}): routing step differs")
    t_full = best_of(full)
    label = f"travel_times x 3 modes x {k}"
    return [
        row(f"{level}: {k} single lines, routing only, graphs given", best_of(inc_graphs), label, t_full),
        row(f"{level}: {k} single lines, routing only, delta given", best_of(inc_delta), label, t_full),
    ]


def _end_to_end_rows(level: str, zones: str | None, B: IncrementalBase, scs: list[Scenario]) -> list[dict[str, Any]]:
    per: list[tuple[str, float, float]] = []
    for sc in scs:
        t_inc = best_of(lambda s=sc: B.evaluate(s, warn_unreachable=False))
        t_full = best_of(lambda s=sc: _full(s, zones))
        per.append((sc.name, t_inc, t_full))
    k = len(per)
    s_inc, s_full = sum(p[1] for p in per), sum(p[2] for p in per)
    worst = min(per, key=lambda p: p[2] / p[1])
    base_label = "build_graph + travel_times x 3 modes"
    t_plan_inc = best_of(lambda: B.evaluate("plan_2035", warn_unreachable=False))
    t_plan_full = best_of(lambda: _full("plan_2035", zones))
    return [
        row(
            f"{level}: {k} single lines end to end ({k / s_inc:.1f} vs {k / s_full:.1f} scenarios/s)",
            s_inc,
            f"{base_label}, x {k}",
            s_full,
        ),
        row(f"{level}: worst single line end to end ({worst[0][7:]})", worst[1], base_label, worst[2]),
        row(f"{level}: plan_2035 (12 lines at once) end to end", t_plan_inc, base_label, t_plan_full),
    ]


def run_level(zones: str | None) -> list[dict[str, Any]]:
    """Rows for one zone level (``None`` = city)."""
    level = zones or "city"
    t0 = time.perf_counter()
    B = IncrementalBase.build(BASE, zones=zones)
    t_build = time.perf_counter() - t0
    scs = single_line_scenarios()
    for sc in [*scs, "plan_2035"]:
        _check(B, sc, zones)
    graphs = [build_graph(sc, zones=zones) for sc in scs]
    for G in graphs:
        compile_graph(G)  # both routing paths need the compiled graph
    logger.info("bench_incremental %s: base %d nodes", level, B.graph.number_of_nodes())
    rows = _routing_rows(level, B, graphs, scs)
    rows += _end_to_end_rows(level, zones, B, scs)
    t_one = best_of(lambda: _full(scs[0], zones))
    rows.append(row(f"{level}: IncrementalBase.build (one-off)", t_build, "one full evaluation", t_one))
    return rows


def run(levels: tuple[str | None, ...] = (None, "county")) -> list[dict[str, Any]]:
    """Time incremental vs full evaluation at each zone level; see the module docstring."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        return [r for z in levels for r in run_level(z)]


def main(run_fn: Callable[[], list[dict[str, Any]]] = run) -> None:
    """Print the rows as a table."""
    rows = run_fn()
    print(f"{'benchmark':66s} {'seconds':>9s} {'baseline s':>11s} {'ratio':>7s}  baseline")
    for r in rows:
        print(f"{r['name']:66s} {r['seconds']:9.4f} {r['baseline_seconds']:11.4f} {r['ratio']:6.1f}x  {r['baseline']}")


if __name__ == "__main__":
    main()

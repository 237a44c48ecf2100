"""Benchmark: ``yrdnet.sweep`` — incremental against full, Dask against in-process, memory.

``run()`` returns rows ``{name, seconds, baseline, baseline_seconds, ratio}`` (as the other
benchmark scripts; ``ratio = baseline_seconds / seconds``, > 1: the first path is faster),
all measured in the same run, and prints ``[bench]`` lines with the throughput and memory.

(a) **Incremental vs full, in-process**, city and county zones: plan_2035's lines, each
    opened alone on baseline_2025 (single-line additions; ``$YRDNET_BENCH_SWEEP_LINES``
    of them, default 4), evaluated as :func:`yrdnet.sweep` evaluates a scenario
    (``yrdnet.plans.sweep_eval.evaluate``), incremental then full for each scenario in turn so
    both see the same machine load. Two rows per level, means per scenario: the scenario
    graph + travel times of the three modes (what the incremental path changes: base
    graph plus added lines and the min-plus update, against ``build_graph`` +
    ``travel_times``), and the whole scenario including ``analyze`` (the table's
    ``seconds``: on the incremental path a copy-on-write overlay of the base graph, its
    rail pair and city train graphs, and ``analyze`` reusing the base's zone, region and
    target pieces, :mod:`yrdnet.analysis.reuse`). The rows of both paths are asserted
    equal, exactly (every column but ``seconds``, ``method``, ``base``). The one-off
    base preparation is printed apart.
(b) **2^k packages on a 2-worker LocalCluster vs in-process**: every combination of the
    first k = ``$YRDNET_BENCH_SWEEP_K`` (default 8) candidate projects, in sorted order:
    chaohu_maanshan, hefei_wuhan_new, huaibei_suzhou_bengbu, jinhua_jiande_complete,
    nanjing_huaian, nanjing_xuancheng, nantong_suzhou_jiaxing_ningbo, ningbo_zhoushan
    (2^8 = 256 plans, the empty one = baseline_2025), city level, the default indicators
    (composite included). The two tables are asserted identical (``seconds`` dropped).
    Cluster start-up is printed apart; both runs start with empty caches, so each
    includes the base preparation (on each worker for Dask) and the composite's
    reference analyses.
(c) **Peak memory of a county-level sweep** as it grows: peak resident set size
    (``ru_maxrss``) of a fresh Python process sweeping the first n packages of the 11
    candidate projects (by size, then name) at county level, for each n in
    ``$YRDNET_BENCH_SWEEP_MEM`` (default ``"5,20"``; the 1,000-scenario run is
    ``YRDNET_BENCH_SWEEP_MEM=1000``, about an hour). Flat peaks across n show the sweep
    keeps only its rows per scenario.

``YRDNET_BENCH_QUICK=1`` shrinks all three (3 lines, k = 5, memory at n = 3 and 9).

Run with ``python benchmarks/bench_sweep.py``.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
from _timing import row

from yrdnet.plans import sweep_eval as ev
from yrdnet.plans.sweep import HEADLINE, candidate_projects, clear_cache, local_cluster, package_scenario, sweep
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.scenarios.scenario import Scenario, load_scenario

BASE = "baseline_2025"
_SAME = ["scenario", "indicator", "value", "unit", "label", "zones", "status", "error"]


#: ``YRDNET_BENCH_QUICK=1`` shrinks every part (3 lines, k = 5, memory at 3 and 9 packages).
QUICK = os.environ.get("YRDNET_BENCH_QUICK", "") == "1"


def _env_int(name: str, default: int, quick: int) -> int:
    return int(os.environ.get(name, quick if QUICK else default))


def single_lines(n: int) -> list[Scenario]:
    """The first ``n`` of plan_2035's lines, each opened alone on baseline_2025."""
    base = load_scenario(BASE)
    plan = load_scenario("plan_2035")
    return [Scenario(name=f"single_{e['line']}", base=base, edits=[dict(e)]) for e in plan.edits[:n]]


def packages(projects: list[str], n: int | None = None) -> list[Scenario]:
    """Every combination of the projects (by size, then order), the first ``n`` of them."""
    combos = (c for r in range(len(projects) + 1) for c in itertools.combinations(projects, r))
    return [package_scenario(list(c)) for c in itertools.islice(combos, n)]


# ------------------------------------------------------------------ (a)
def _interleaved(scenarios: list[Scenario], zones: str, indicators: tuple[str, ...]) -> dict[str, Any]:
    """Per scenario, the incremental then the full path, as sweep() runs them (shared load)."""
    jobs = {inc: ev.Job(zones, indicators, None, None, inc, None) for inc in (True, False)}
    cache = ev.BaseCache()
    t0 = time.perf_counter()
    cache.get(load_scenario(BASE), jobs[True])
    prep = time.perf_counter() - t0
    ev.evaluate(scenarios[0], jobs[False], None, cache)  # warm imports and caches
    route = {True: 0.0, False: 0.0}
    whole = {True: 0.0, False: 0.0}
    rows: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
    for sc in scenarios:
        for inc in (True, False):
            t0 = time.perf_counter()
            ev.route(sc, jobs[inc], cache)
            route[inc] += time.perf_counter() - t0
            out = ev.evaluate(sc, jobs[inc], None, cache)
            whole[inc] += out[0]["seconds"]
            rows[inc] += out
    inc_t, full_t = (pd.DataFrame(rows[k]) for k in (True, False))
    assert (inc_t["method"] == "incremental").all() and (full_t["method"] == "full").all()
    pd.testing.assert_frame_equal(inc_t[_SAME], full_t[_SAME], check_exact=True)
    n = len(scenarios)
    return {"prep": prep, "route": {k: v / n for k, v in route.items()}, "whole": {k: v / n for k, v in whole.items()}}


def bench_incremental_vs_full() -> list[dict[str, Any]]:
    n = _env_int("YRDNET_BENCH_SWEEP_LINES", 4, 3)
    singles = single_lines(n)
    indicators = tuple(k for k in HEADLINE if not k.startswith("composite_"))  # no reference analyses
    rows = []
    for zones in ("city", "county"):
        r = _interleaved(singles, zones, indicators)
        ri, rf = r["route"][True], r["route"][False]
        wi, wf = r["whole"][True], r["whole"][False]
        print(
            f"[bench] sweep {zones}, {n} single-line scenarios: incremental {1 / wi:.2f} scenarios/s, full "
            f"{1 / wf:.2f} scenarios/s (whole scenario incl. analyze); graph + 3 matrices {ri:.3f} s vs {rf:.3f} s; "
            f"base prepared once in {r['prep']:.2f} s; tables identical"
        )
        rows.append(row(f"sweep {zones}: graph+3 matrices/scen., incremental", ri, "build_graph + travel_times", rf))
        rows.append(row(f"sweep {zones}: whole scenario (analyze), incremental", wi, "same, full routing", wf))
    return rows


# ------------------------------------------------------------------ (b)
def bench_dask() -> list[dict[str, Any]]:
    k = _env_int("YRDNET_BENCH_SWEEP_K", 8, 5)
    projects = candidate_projects()[:k]
    plans = packages(projects)
    clear_cache()  # both runs start cold: base preparation and composite references included
    t0 = time.perf_counter()
    local = sweep(plans, progress=False)
    t_local = time.perf_counter() - t0
    clear_cache()
    t0 = time.perf_counter()
    with local_cluster(2) as client:
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        remote = sweep(plans, client=client, progress=False)
        t_dask = time.perf_counter() - t0
    pd.testing.assert_frame_equal(local.drop(columns="seconds"), remote.drop(columns="seconds"))
    ok = int((local["status"] == "ok").sum())
    n = len(plans)
    print(
        f"[bench] {n} packages of {k} projects ({', '.join(projects)}), city: in-process {t_local:.1f} s "
        f"({n / t_local:.2f} plans/s), 2-worker LocalCluster {t_dask:.1f} s ({n / t_dask:.2f} plans/s; "
        f"cluster start {t_start:.1f} s); tables identical ({len(local)} rows, {ok} ok); "
        f"speed-up {t_local / t_dask:.2f}x"
    )
    return [row(f"sweep 2^{k}={len(plans)} plans, 2-worker LocalCluster", t_dask, "in-process sweep", t_local)]


# ------------------------------------------------------------------ (c)
_CHILD = """
import json, resource, sys, time, warnings
sys.path.insert(0, {here!r})
warnings.simplefilter("ignore")
import bench_sweep as b
from yrdnet.plans.sweep import candidate_projects, sweep
plans = b.packages(candidate_projects(), {n})
t0 = time.perf_counter()
t = sweep(plans, zones="county", progress=False)
dt = time.perf_counter() - t0
print(json.dumps({{"n": len(plans), "seconds": dt, "rows": len(t), "ok": int((t["status"] == "ok").sum()),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def sweep_memory(n: int) -> dict[str, Any]:
    """Peak RSS (MB) and time of a fresh process sweeping ``n`` packages at county level."""
    code = _CHILD.format(here=str(Path(__file__).parent), n=n)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def bench_memory() -> list[dict[str, Any]]:
    ns = [int(x) for x in os.environ.get("YRDNET_BENCH_SWEEP_MEM", "3,9" if QUICK else "5,20").split(",")]
    res = [sweep_memory(n) for n in ns]
    for r in res:
        print(
            f"[bench] county sweep of {r['n']} packages: peak RSS {r['maxrss_mb']:.0f} MB, {r['seconds']:.1f} s "
            f"({r['n'] / r['seconds']:.2f} scenarios/s), {r['rows']} rows, {r['ok']} ok"
        )
    first = res[0]
    return [
        row(
            f"county sweep {r['n']} scen.: peak {r['maxrss_mb']:.0f} MB (n={first['n']}: {first['maxrss_mb']:.0f} MB)",
            r["seconds"] / r["n"],
            f"per scenario at n={first['n']}",
            first["seconds"] / first["n"],
        )
        for r in res
    ]


def run() -> list[dict[str, Any]]:
    """All three parts; see the module docstring."""
    warnings.simplefilter("ignore", UnreachableWarning)
    return [*bench_incremental_vs_full(), *bench_dask(), *bench_memory()]


def main() -> None:
    """Print the rows as a table."""
    rows = run()
    print(f"{'benchmark':58s} {'seconds':>9s} {'baseline s':>11s} {'ratio':>7s}  baseline")
    for r in rows:
        print(f"{r['name']:58s} {r['seconds']:9.4f} {r['baseline_seconds']:11.4f} {r['ratio']:6.2f}x  {r['baseline']}")


if __name__ == "__main__":
    main()

"""Benchmark (``make bench-full``): a 1,000-plan ``yrdnet.sweep`` on 1 and 2 Dask workers.

The plans are packages of the 11 candidate projects (:func:`yrdnet.plans.sweep.candidate_projects`,
sorted by name): every combination by size, then in ``itertools.combinations`` order of the
sorted names — the empty package (= baseline_2025), the 11 single projects, the 55 pairs,
the 165 triples, the 330 quadruples and the first 438 of the 462 quintuples make the first
1,000 (``$YRDNET_BENCH_DASK_PLANS``, default 1000; 2^11 = 2,048 exist). Zones:
``$YRDNET_BENCH_DASK_ZONES`` (default ``city``), the default indicators (composite
included).

The same plans are swept on a fresh 1-worker and then a fresh 2-worker
:func:`yrdnet.plans.sweep.local_cluster` (one thread per worker process), each started
with empty in-process caches so both include the base preparation on every worker and the
composite's reference analyses. Cluster start-up is timed apart. The two tables are
asserted identical (``seconds`` dropped). After each sweep the peak resident set size of
every worker process (``getrusage(RUSAGE_SELF).ru_maxrss``, run on the worker) is read.

``run()`` returns one row: the 2-worker wall time against the 1-worker one (``ratio`` =
the speed-up), the peak RSS per worker in its name. ``YRDNET_BENCH_QUICK=1`` sweeps 40
plans. Run alone with ``python benchmarks/bench_full_dask.py`` (LocalCluster spawns its
workers, hence the ``__main__`` guard).

Measured (2026-12-07, idle 2-core VM, main c95a3b9): city 1 worker 84.4 s (peak RSS
387 MB), 2 workers 47.3 s (369 / 368 MB), 1.79x; county 159.0 s (446 MB) against 86.5 s
(420 / 421 MB), 1.84x; cluster start-up 1.1-1.5 s; tables identical (10,000 rows each).
An earlier city run (main 043e170, load ~8 on the 1-worker run) took 1,977 s and 828 s.
"""

from __future__ import annotations

import itertools
import os
import resource
import time
import warnings
from typing import Any

import pandas as pd
from _timing import row

from yrdnet.plans.sweep import candidate_projects, clear_cache, local_cluster, package_scenario, sweep
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.scenarios.scenario import Scenario

QUICK = os.environ.get("YRDNET_BENCH_QUICK", "") == "1"
N_PLANS = int(os.environ.get("YRDNET_BENCH_DASK_PLANS", "40" if QUICK else "1000"))
ZONES = os.environ.get("YRDNET_BENCH_DASK_ZONES", "city")


def plans(n: int = N_PLANS) -> list[Scenario]:
    """The first ``n`` packages of the candidate projects (by size, then sorted names)."""
    projects = candidate_projects()
    combos = (c for r in range(len(projects) + 1) for c in itertools.combinations(projects, r))
    return [package_scenario(list(c)) for c in itertools.islice(combos, n)]


def _worker_peak_mb(client: Any) -> list[float]:
    """Peak RSS (MB) of each worker process, read on the worker (Linux: ru_maxrss in KiB)."""
    usage = client.run(resource.getrusage, resource.RUSAGE_SELF)
    return [u.ru_maxrss / 1024 for _, u in sorted(usage.items())]


def sweep_on(n_workers: int, todo: list[Scenario], zones: str = ZONES) -> dict[str, Any]:
    """Sweep ``todo`` on a fresh ``n_workers`` LocalCluster: table, times, worker peaks."""
    clear_cache()
    t0 = time.perf_counter()
    with local_cluster(n_workers) as client:
        start = time.perf_counter() - t0
        t0 = time.perf_counter()
        table = sweep(todo, zones=zones, client=client, progress=False)
        wall = time.perf_counter() - t0
        peaks = _worker_peak_mb(client)
    return {"table": table, "wall": wall, "start": start, "peaks": peaks}


def run() -> list[dict[str, Any]]:
    """Sweep the plans on 1 then 2 workers; one row, 2 workers vs 1 (see the module docstring)."""
    warnings.simplefilter("ignore", UnreachableWarning)
    todo = plans()
    one = sweep_on(1, todo)
    two = sweep_on(2, todo)
    pd.testing.assert_frame_equal(one["table"].drop(columns="seconds"), two["table"].drop(columns="seconds"))
    n, t = len(todo), one["table"]
    ok = int((t["status"] == "ok").sum())
    for k, r in (("1", one), ("2", two)):
        peaks = ", ".join(f"{p:.0f}" for p in r["peaks"])
        print(
            f"[bench] {n} plans ({ZONES}) on a {k}-worker LocalCluster: {r['wall']:.1f} s "
            f"({n / r['wall']:.2f} plans/s), cluster start {r['start']:.1f} s, peak RSS per worker {peaks} MB"
        )
    speedup = one["wall"] / two["wall"]
    print(f"[bench] tables identical ({len(t)} rows, {ok} ok); speed-up 1 -> 2 workers {speedup:.2f}x")
    peak = max(two["peaks"])
    return [
        row(
            f"sweep {n} plans ({ZONES}), 2 workers (peak {peak:.0f} MB/worker; 1 worker {one['peaks'][0]:.0f} MB)",
            two["wall"],
            "same plans, 1-worker LocalCluster",
            one["wall"],
        )
    ]


def main() -> None:
    """Print the rows as a table."""
    rows = run()
    print(f"{'benchmark':72s} {'seconds':>9s} {'baseline s':>11s} {'ratio':>7s}  baseline")
    for r in rows:
        print(f"{r['name']:72s} {r['seconds']:9.2f} {r['baseline_seconds']:11.2f} {r['ratio']:6.2f}x  {r['baseline']}")


if __name__ == "__main__":
    main()

"""Benchmark: GTFS reading and Connection Scan routing (yrdnet.timetable) on the shipped feed.

``run()`` returns rows ``{name, seconds, baseline, baseline_seconds, ratio}`` with
``ratio = baseline_seconds / seconds`` (> 1: yrdnet is faster), both timed in this run:

* ``read_gtfs (shipped feed)`` against ``partridge.load_feed`` reading the same tables
  (or, without partridge, plain ``pandas.read_csv`` of the zipped tables, no validation);
* ``CSA earliest arrival, all stops over the day`` (every stop, leaving at 00:00, one scan)
  against networkx Dijkstra on the time-expanded graph from every stop;
* ``pair_table`` (the profile of every origin over the day) against networkx Dijkstra on
  the time-expanded graph from every departure event — timed on ``SAMPLE`` origins and
  scaled by the share of departure events they hold, since the full run takes minutes.

The time-expanded graph is built before timing (not counted). Run directly with
``python benchmarks/bench_timetable.py``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import random
import zipfile
from typing import Any

import _timing
import networkx as nx
import numpy as np
import pandas as pd
from _timing import row

from yrdnet.region.datasets import get_path
from yrdnet.timetable.connection_scan import Timetable, TimetableParams, earliest_arrival, pair_table, read_gtfs

logger = logging.getLogger(__name__)

FEED = "gtfs_yrd_2016.zip"
SAMPLE = 10  # origins timed for the brute-force profile baseline
REPEAT = 5  # best of
best_of = functools.partial(_timing.best_of, repeat=REPEAT)


def time_expanded(tt: Timetable, transfer_s: float) -> tuple[nx.DiGraph, dict[int, np.ndarray]]:
    """Ride, stay-seated, waiting-chain, boarding and change arcs (weights in seconds)."""
    G = nx.DiGraph()
    dep, arr = tt.dep_time, tt.arr_time
    by_stop: dict[int, list[float]] = {}
    by_trip: dict[int, list[int]] = {}
    for c in range(tt.n_connections):  # sorted by departure
        G.add_edge(("d", c), ("a", c), weight=arr[c] - dep[c])
        G.add_edge(("w", int(tt.dep_stop[c]), dep[c]), ("d", c), weight=0.0)
        by_stop.setdefault(int(tt.dep_stop[c]), []).append(float(dep[c]))
        by_trip.setdefault(int(tt.trip[c]), []).append(c)
    for cs in by_trip.values():
        for c1, c2 in itertools.pairwise(cs):
            G.add_edge(("a", c1), ("d", c2), weight=dep[c2] - arr[c1])
    times = {s: np.unique(ts) for s, ts in by_stop.items()}
    for s, ts in times.items():
        for t1, t2 in itertools.pairwise(ts):
            G.add_edge(("w", s, t1), ("w", s, t2), weight=t2 - t1)
    for c in range(tt.n_connections):
        ts = times.get(int(tt.arr_stop[c]))
        if ts is not None:
            k = np.searchsorted(ts, arr[c] + transfer_s)
            if k < len(ts):
                G.add_edge(("a", c), ("w", int(tt.arr_stop[c]), ts[k]), weight=ts[k] - arr[c])
    return G, times


def te_earliest(G: nx.DiGraph, times: dict[int, np.ndarray], stop: int, t0: float) -> dict[Any, float]:
    ts = times.get(stop)
    if ts is None or ts[-1] < t0:
        return {}
    return nx.single_source_dijkstra_path_length(G, ("w", stop, ts[np.searchsorted(ts, t0)]), weight="weight")


def read_baseline() -> tuple[str, float]:
    path = get_path(FEED)
    try:
        import partridge as ptg
    except ImportError:

        def raw() -> None:
            with zipfile.ZipFile(path) as z:
                for name in ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt"):
                    with z.open(name) as f:
                        pd.read_csv(f, dtype=str, keep_default_na=False)

        return "pandas.read_csv of the tables (no validation)", best_of(raw)

    def load() -> None:
        feed = ptg.load_feed(str(path))
        for name in ("stops", "routes", "trips", "stop_times", "calendar"):
            getattr(feed, name)

    return "partridge.load_feed (tables read)", best_of(load)


def run() -> list[dict[str, Any]]:
    """Time reading and routing on the shipped feed; see the module docstring."""
    rows = []
    name, base = read_baseline()
    rows.append(row("read_gtfs (shipped feed)", best_of(read_gtfs), name, base))

    tt = read_gtfs()
    transfer_s = 60.0 * TimetableParams().min_transfer_min
    G, times = time_expanded(tt, transfer_s)
    stops = list(tt.stops.index)
    logger.info(
        "bench_timetable: %d stops, %d trips, %d connections; time-expanded graph %d nodes, %d edges",
        tt.n_stops,
        tt.n_trips,
        tt.n_connections,
        G.number_of_nodes(),
        G.number_of_edges(),
    )
    ours = best_of(lambda: earliest_arrival(tt, stops, 0.0))
    nx_all = _timing.best_of(lambda: [te_earliest(G, times, s, 0.0) for s in range(tt.n_stops)], 1)
    rows.append(
        row(
            "CSA earliest arrival, all stops over the day",
            ours,
            "networkx Dijkstra, time-expanded graph, from every stop",
            nx_all,
        )
    )

    ours_pt = _timing.best_of(lambda: pair_table(tt), 3)
    rng = random.Random(2016)
    served = sorted(times)
    sample = rng.sample(served, min(SAMPLE, len(served)))
    n_events = sum(len(times[s]) for s in served)
    n_sample = sum(len(times[s]) for s in sample)

    def brute() -> None:
        for s in sample:
            for t in times[s]:
                te_earliest(G, times, s, float(t))

    nx_pt = _timing.best_of(brute, 1) * n_events / n_sample
    rows.append(
        row(
            "pair_table",
            ours_pt,
            f"networkx Dijkstra from every departure event (scaled from {SAMPLE} origins)",
            nx_pt,
        )
    )
    return rows


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for r in run():
        logger.info(
            "%-46s %8.4f s  baseline %9.4f s  x%.1f  (%s)",
            r["name"],
            r["seconds"],
            r["baseline_seconds"],
            r["ratio"],
            r["baseline"],
        )

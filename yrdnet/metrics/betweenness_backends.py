"""Kernels behind :mod:`yrdnet.metrics.centrality`: preprocessing, backends, source parallelism.

Private to the metrics wing; the public functions and their documentation live in
:mod:`yrdnet.metrics.centrality`. Every backend takes the same :class:`Prepared` graph
(mode-filtered, 1 ms-quantised, parallel edges collapsed), a set of source nodes and a set
of target nodes, and returns the raw (unnormalised, unscaled) node dependencies and
optionally the edge dependencies of the collapsed edges:

- ``"igraph"``: igraph's C Brandes (``Graph.betweenness``/``edge_betweenness``, with
  ``sources=``/``targets=`` unless both are every node);
- ``"scipy"``: ``scipy.sparse.csgraph.dijkstra`` then Brandes' accumulation vectorised
  over a chunk of sources;
- ``"networkx"``: the reference.

:func:`run_backend` splits the sources over ``workers`` processes (interleaved, so each
gets a similar share of near and far sources) and adds their dependencies: Brandes'
dependencies are a sum over sources, so the split is exact up to float round-off of the
final sum. None of the backends releases the GIL for long (igraph holds it through the
whole call), hence processes, not threads.
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from yrdnet.core.settings import settings
from yrdnet.routing.compile import compile_graph

#: Weights are rounded to integer multiples of this (in the weight's unit; 1 ms for s).
TIME_RESOLUTION: float = 1e-3
_CITY_BUDGET = 2**24  # floats held by city_betweenness per source chunk (128 MB)

Result = tuple[np.ndarray, np.ndarray | None]


@dataclass(frozen=True)
class Prepared:
    """The graph every backend sees (see the centrality module docstring)."""

    nodes: list[str]
    src: np.ndarray  # collapsed edges, int64
    dst: np.ndarray
    w: np.ndarray  # quantised, integer-valued float64, >= 1
    edge_group: np.ndarray  # per edge of G: collapsed index, or -1 if unused
    edge_share: np.ndarray  # per edge of G: 1 / (number of min-weight parallels), or 0
    zones: np.ndarray  # node indices of zones (sorted by adcode)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.nodes)


def prepare(G: nx.MultiDiGraph, mode: str, weight: str) -> Prepared:
    """Mode filter, 1 ms quantisation (zero weights -> one unit), parallel edges collapsed."""
    cg = compile_graph(G, weight=weight)  # validates weights (finite, >= 0) and kinds
    mask = cg.mask(mode) & (cg.u != cg.v)
    wq = np.maximum(np.rint(cg.w / TIME_RESOLUTION), 1.0)
    idx = np.flatnonzero(mask)
    u, v, w = cg.u[idx], cg.v[idx], wq[idx]
    order = np.lexsort((w, v, u))
    u, v, w, idx = u[order], v[order], w[order], idx[order]
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    group = np.cumsum(first) - 1
    gmin = w[first][group]
    is_min = w == gmin
    n_min = np.bincount(group[is_min], minlength=int(first.sum()))
    edge_group = np.full(len(cg.w), -1, dtype=np.int64)
    edge_share = np.zeros(len(cg.w))
    edge_group[idx[is_min]] = group[is_min]
    edge_share[idx[is_min]] = 1.0 / n_min[group[is_min]]
    zones = np.array([cg.index[z] for z in cg.zones], dtype=np.int64)
    return Prepared(cg.nodes, u[first], v[first], w[first], edge_group, edge_share, zones)


def resolve_backend(backend: str) -> str:
    """``"auto"`` -> igraph if importable, else scipy; ``"igraph"`` without it raises."""
    if backend in {"auto", "igraph"}:
        try:
            import igraph  # noqa: F401 - optional dependency
        except ImportError as err:
            if backend == "igraph":
                msg = "backend='igraph' needs python-igraph: pip install 'yrdnet[fast]'"
                raise ImportError(msg) from err
            return "scipy"
        return "igraph"
    return backend


# ---------------------------------------------------------------------------- backends


def _run_igraph(P: Prepared, sources: np.ndarray, targets: np.ndarray, *, edges: bool) -> Result:
    import igraph as ig

    g = ig.Graph(n=P.n, edges=np.column_stack([P.src, P.dst]).tolist(), directed=True)
    kw: dict[str, object] = {"directed": True, "weights": P.w.tolist()}
    if not (len(sources) == len(targets) == P.n):  # igraph's all-pairs path is faster
        kw |= {"sources": sources.tolist(), "targets": targets.tolist()}
    node = np.asarray(g.betweenness(**kw), dtype=np.float64)
    edge = np.asarray(g.edge_betweenness(**kw), dtype=np.float64) if edges else None
    return node, edge


def _run_networkx(P: Prepared, sources: np.ndarray, targets: np.ndarray, *, edges: bool) -> Result:
    H: nx.DiGraph[int] = nx.DiGraph()
    H.add_nodes_from(range(P.n))
    triples = zip(P.src.tolist(), P.dst.tolist(), P.w.tolist(), strict=True)
    H.add_weighted_edges_from(triples, weight="w")
    tlist = targets.tolist()
    b = nx.betweenness_centrality_subset(H, sources.tolist(), tlist, normalized=False, weight="w")
    node = np.array([b[i] for i in range(P.n)], dtype=np.float64)
    if not edges:
        return node, None
    # networkx 3.6's edge_betweenness_centrality_subset splits a dependency by the number
    # of predecessors instead of sigma_v / sigma_w, which is wrong when tied paths
    # converge unevenly; accumulate edges here from networkx's Dijkstra instead.
    eid = {(a, c): i for i, (a, c) in enumerate(zip(P.src.tolist(), P.dst.tolist(), strict=True))}
    tset = set(tlist)
    edge = np.zeros(len(P.src))
    for s in sources.tolist():
        pred, dist = nx.dijkstra_predecessor_and_distance(H, s, weight="w")
        order = sorted(dist, key=dist.__getitem__)
        sigma = dict.fromkeys(order, 0.0)
        sigma[s] = 1.0
        for x in order[1:]:
            sigma[x] = sum(sigma[p] for p in pred[x])
        delta = dict.fromkeys(order, 0.0)
        for x in reversed(order[1:]):
            coef = ((x in tset) + delta[x]) / sigma[x]
            for p in pred[x]:
                c = sigma[p] * coef
                edge[eid[(p, x)]] += c
                delta[p] += c
    return node, edge


def _pad(keys: np.ndarray, n: int, fill: int) -> np.ndarray:
    """Row v lists the edge ids whose ``keys`` equal v, padded with ``fill``."""
    order = np.argsort(keys, kind="stable")
    counts = np.bincount(keys, minlength=n)
    width = max(1, int(counts.max(initial=0)))
    out = np.full((n, width), fill, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    col = np.arange(len(keys)) - np.repeat(starts, counts)
    out[keys[order], col] = order
    return out


class _Dag:
    """Shortest-path DAGs from a chunk of sources (one row per source)."""

    def __init__(self, P: Prepared, csr: sp.csr_matrix, chunk: np.ndarray) -> None:
        m = len(P.src)
        self.rows = np.arange(len(chunk))
        self.D = dijkstra(csr, directed=True, indices=chunk)
        du = self.D[:, P.src]
        tight = np.zeros((len(chunk), m + 1), dtype=bool)  # column m: padding, never tight
        tight[:, :m] = np.isfinite(du) & (du + P.w == self.D[:, P.dst])
        self.tight = tight
        # positive weights: sorting by distance is a topological order of every DAG
        self.order = np.argsort(self.D, axis=1, kind="stable")
        self.reach = int(np.isfinite(self.D).sum(axis=1).max(initial=0))


def _run_scipy(P: Prepared, sources: np.ndarray, targets: np.ndarray, *, edges: bool) -> Result:
    n, m = P.n, len(P.src)
    csr = sp.csr_matrix((P.w, (P.src, P.dst)), shape=(n, n))
    in_pad, out_pad = _pad(P.dst, n, m), _pad(P.src, n, m)
    src_x, dst_x = np.append(P.src, 0), np.append(P.dst, 0)
    tgt = np.zeros(n)
    tgt[targets] = 1.0
    node, edge = np.zeros(n), np.zeros(m)
    for lo in range(0, len(sources), settings.chunk_size):
        chunk = sources[lo : lo + settings.chunk_size]
        dag = _Dag(P, csr, chunk)
        rows, rr = dag.rows, dag.rows[:, None]
        sigma = np.zeros((len(chunk), n))
        sigma[rows, chunk] = 1.0
        for r in range(1, dag.reach):
            v = dag.order[:, r]
            e = in_pad[v]
            sigma[rows, v] = (dag.tight[rr, e] * sigma[rr, src_x[e]]).sum(axis=1)
        # coef[s, w] = (1[w is a target] + delta_s(w)) / sigma_s(w)
        coef = np.zeros((len(chunk), n))
        delta = np.zeros((len(chunk), n))
        for r in range(dag.reach - 1, 0, -1):
            v = dag.order[:, r]
            e = out_pad[v]
            sv = sigma[rows, v]
            delta[rows, v] = sv * (dag.tight[rr, e] * coef[rr, dst_x[e]]).sum(axis=1)
            coef[rows, v] = np.divide(tgt[v] + delta[rows, v], sv, out=np.zeros_like(sv), where=sv > 0)
        node += delta.sum(axis=0)  # delta at the source itself stays 0
        if edges:
            edge += (dag.tight[:, :m] * sigma[:, P.src] * coef[:, P.dst]).sum(axis=0)
    return node, (edge if edges else None)


RUNNERS = {"igraph": _run_igraph, "networkx": _run_networkx, "scipy": _run_scipy}


def check_workers(workers: object) -> int:
    """Validate ``workers``: an int >= 1 (processes sharing the sources)."""
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        msg = f"workers must be an int >= 1, got {workers!r}"
        raise ValueError(msg)
    return int(workers)


def _mp_context() -> multiprocessing.context.BaseContext:
    # fork where available: no re-import of the caller's __main__ (no guard needed) and
    # the prepared arrays are sent once per worker; the children run no OpenMP code.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and os.name == "posix" else None)


def run_backend(
    name: str, P: Prepared, sources: np.ndarray, targets: np.ndarray, *, edges: bool, workers: int = 1
) -> Result:
    """Raw dependencies from ``sources`` to ``targets``, the sources split over ``workers`` processes."""
    runner = RUNNERS[name]
    parts = min(workers, len(sources))
    if parts <= 1:
        return runner(P, sources, targets, edges=edges)
    with warnings.catch_warnings():
        # Python >= 3.12 warns on fork() in a multi-threaded process; the children
        # only run the single-threaded backend and return.
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        with ProcessPoolExecutor(max_workers=parts, mp_context=_mp_context()) as pool:
            futures = [pool.submit(runner, P, sources[i::parts], targets, edges=edges) for i in range(parts)]
            results = [f.result() for f in futures]
    node = np.sum([r[0] for r in results], axis=0)
    edge = np.sum([r[1] for r in results], axis=0) if edges else None
    return node, edge


# ------------------------------------------------------------------------ city (group)


def city_raw(P: Prepared, ncity: np.ndarray, q: int, sources: np.ndarray) -> np.ndarray:
    """Raw group betweenness of each of the ``q`` cities (``ncity``: city index per node)."""
    n, m = P.n, len(P.src)
    csr = sp.csr_matrix((P.w, (P.src, P.dst)), shape=(n, n))
    in_pad = _pad(P.dst, n, m)
    src_x = np.append(P.src, 0)
    zcity = ncity[P.zones]
    raw = np.zeros(q)
    step = max(1, min(settings.chunk_size, _CITY_BUDGET // max(1, n * q)))
    for lo in range(0, len(sources), step):
        chunk = sources[lo : lo + step]
        dag = _Dag(P, csr, chunk)
        rows, rr = dag.rows, dag.rows[:, None]
        sigma = np.zeros((len(chunk), n))
        sigma[rows, chunk] = 1.0
        avoid = np.zeros((len(chunk), n, q))  # shortest paths from s avoiding city c
        avoid[rows, chunk, :] = 1.0
        avoid[rows, chunk, ncity[chunk]] = 0.0
        for r in range(1, dag.reach):
            v = dag.order[:, r]
            e = in_pad[v]
            t = dag.tight[rr, e]
            p = src_x[e]
            sigma[rows, v] = (t * sigma[rr, p]).sum(axis=1)
            a = (t[:, :, None] * avoid[rr, p, :]).sum(axis=1)
            a[rows, ncity[v]] = 0.0
            avoid[rows, v, :] = a
        sz = sigma[:, P.zones]  # (b, |Z|)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = 1.0 - avoid[:, P.zones, :] / sz[:, :, None]  # (b, |Z|, q)
        ok = (sz > 0)[:, :, None] & (zcity[None, :, None] != np.arange(q)[None, None, :])
        ok &= ncity[chunk][:, None, None] != np.arange(q)[None, None, :]
        ok &= (P.zones[None, :] != chunk[:, None])[:, :, None]
        raw += np.where(ok, frac, 0.0).sum(axis=(0, 1))
    return raw

r"""Travel-time-weighted betweenness between zones: node, edge and city level.

Every trip in yrdnet starts and ends at a zone (a city centre), so betweenness counts
shortest paths between **zone pairs only** — networkx's
``betweenness_centrality_subset`` semantics with sources = targets = zones — on a
directed graph whose edge weights are travel times. Closeness and straightness are
derived from the OD matrix elsewhere; this module only adds
:func:`freeman_centralization` to summarise any centrality vector.

Backends
--------
``"igraph"`` (C, ``Graph.betweenness`` / ``Graph.edge_betweenness`` with
``sources=``/``targets=``), ``"scipy"`` (``scipy.sparse.csgraph.dijkstra`` for
distances, then Brandes' path counting vectorised over a chunk of sources), and
``"networkx"`` (the reference used by the tests). ``"auto"`` picks igraph when it is
installed, else scipy — the order measured by ``benchmarks/bench_centrality.py``
(random contract graph, 5,000 nodes / 18,000 edges / 200 zones, exact: igraph
≈ 0.15 s, scipy ≈ 1.1 s, networkx ≈ 6–8.5 s on a 2-core VM). All backends see the
same preprocessed graph (below), so they agree to floating-point round-off.

Preprocessing, shared by every backend
--------------------------------------
1. Mode filter (``mode``): ``"rail"`` keeps rail, transfer and access edges except
   access edges to road nodes; ``"road"`` keeps road edges and access edges to road
   nodes; ``"multimodal"`` keeps all. Nodes are never dropped: the result is indexed by
   every node (edge) of ``G`` and filtered-out items score 0.
2. Weights are quantised to integer multiples of :data:`TIME_RESOLUTION` (1 ms when the
   weight is in seconds) and zero weights — through-running transfers — become one
   unit. Integer-valued float64 path sums are exact, so ties between routes are exact
   ties in every backend: networkx compares path lengths exactly, igraph with a
   relative epsilon of 1e-10, and both agree on integers while paths are shorter than
   ``1e10 * TIME_RESOLUTION``. Brandes' algorithm also needs positive weights (a
   zero-cost cycle, such as a two-way through-running link, makes the number of
   equally short walks infinite).
3. Parallel edges collapse to their minimum weight; self-loops are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from yrdnet.core.errors import GraphContractError
from yrdnet.core.settings import settings
from yrdnet.routing.compile import MODES, Mode, check_mode, compile_graph

__all__ = [
    "BACKENDS",
    "MODES",
    "TIME_RESOLUTION",
    "betweenness",
    "city_betweenness",
    "edge_betweenness",
    "freeman_centralization",
]

logger = logging.getLogger(__name__)

Backend = Literal["auto", "igraph", "scipy", "networkx"]
SeedLike = int | np.random.Generator | None

BACKENDS: tuple[str, ...] = ("auto", "igraph", "scipy", "networkx")
#: Weights are rounded to integer multiples of this (in the weight's unit; 1 ms for s).
TIME_RESOLUTION: float = 1e-3
_CITY_BUDGET = 2**24  # floats held by city_betweenness per source chunk (128 MB)


# ------------------------------------------------------------------------- preparation


@dataclass(frozen=True)
class _Prepared:
    nodes: list[str]
    src: np.ndarray  # collapsed edges, int64
    dst: np.ndarray
    w: np.ndarray  # quantised, integer-valued float64, >= 1
    edge_group: np.ndarray  # per edge of G: collapsed index, or -1 if unused
    edge_share: np.ndarray  # per edge of G: 1 / (number of min-weight parallels), or 0
    zones: np.ndarray  # node indices of zones (sorted by adcode)

    @property
    def n(self) -> int:
        return len(self.nodes)


def _check_options(G: object, mode: str, backend: str | None = None) -> None:
    if not isinstance(G, nx.MultiDiGraph):
        msg = f"centrality expects a networkx.MultiDiGraph meeting the yrdnet graph contract, got {type(G).__name__}"
        raise GraphContractError(msg)
    check_mode(mode)
    if backend is not None and backend not in BACKENDS:
        msg = f"unknown backend {backend!r}; expected one of {list(BACKENDS)}"
        raise ValueError(msg)


def _prepare(G: nx.MultiDiGraph, mode: str, weight: str) -> _Prepared:
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
    return _Prepared(cg.nodes, u[first], v[first], w[first], edge_group, edge_share, zones)


def _sources(zones: np.ndarray, k: int | None, seed: SeedLike) -> tuple[np.ndarray, float]:
    """Return the source zones and the scale factor |Z| / k (Brandes & Pich 2007)."""
    if k is None:
        return zones, 1.0
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= len(zones):
        msg = f"k must be an int in [1, {len(zones)}] (the number of zones), got {k!r}"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(len(zones), size=int(k), replace=False))
    return zones[pick], len(zones) / int(k)


def _resolve_backend(backend: str) -> str:
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


def _run_igraph(P: _Prepared, sources: np.ndarray, *, edges: bool) -> tuple[np.ndarray, np.ndarray | None]:
    import igraph as ig

    g = ig.Graph(n=P.n, edges=np.column_stack([P.src, P.dst]).tolist(), directed=True)
    kw = {"directed": True, "weights": P.w.tolist(), "sources": sources.tolist(), "targets": P.zones.tolist()}
    node = np.asarray(g.betweenness(**kw), dtype=np.float64)
    edge = np.asarray(g.edge_betweenness(**kw), dtype=np.float64) if edges else None
    return node, edge


def _run_networkx(P: _Prepared, sources: np.ndarray, *, edges: bool) -> tuple[np.ndarray, np.ndarray | None]:
    H: nx.DiGraph[int] = nx.DiGraph()
    H.add_nodes_from(range(P.n))
    triples = zip(P.src.tolist(), P.dst.tolist(), P.w.tolist(), strict=True)
    H.add_weighted_edges_from(triples, weight="w")
    targets = P.zones.tolist()
    b = nx.betweenness_centrality_subset(H, sources.tolist(), targets, normalized=False, weight="w")
    node = np.array([b[i] for i in range(P.n)], dtype=np.float64)
    if not edges:
        return node, None
    # networkx 3.6's edge_betweenness_centrality_subset splits a dependency by the number
    # of predecessors instead of sigma_v / sigma_w, which is wrong when tied paths
    # converge unevenly; accumulate edges here from networkx's Dijkstra instead.
    eid = {(a, c): i for i, (a, c) in enumerate(zip(P.src.tolist(), P.dst.tolist(), strict=True))}
    tset = set(targets)
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

    def __init__(self, P: _Prepared, csr: sp.csr_matrix, chunk: np.ndarray) -> None:
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


def _run_scipy(P: _Prepared, sources: np.ndarray, *, edges: bool) -> tuple[np.ndarray, np.ndarray | None]:
    n, m = P.n, len(P.src)
    csr = sp.csr_matrix((P.w, (P.src, P.dst)), shape=(n, n))
    in_pad, out_pad = _pad(P.dst, n, m), _pad(P.src, n, m)
    src_x, dst_x = np.append(P.src, 0), np.append(P.dst, 0)
    tgt = np.zeros(n)
    tgt[P.zones] = 1.0
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


_RUNNERS = {"igraph": _run_igraph, "networkx": _run_networkx, "scipy": _run_scipy}


def _compute(
    G: nx.MultiDiGraph,
    *,
    mode: str,
    weight: str,
    k: int | None,
    seed: SeedLike,
    backend: str,
    edges: bool,
) -> tuple[_Prepared, np.ndarray, np.ndarray | None, float]:
    _check_options(G, mode, backend)
    P = _prepare(G, mode, weight)
    sources, scale = _sources(P.zones, k, seed)
    name = _resolve_backend(backend)
    logger.info(
        "betweenness: %d of %d zones as sources, %d nodes, %d edges, mode=%s, backend=%s",
        len(sources),
        len(P.zones),
        P.n,
        len(P.src),
        mode,
        name,
    )
    if len(P.zones) < 2:
        return P, np.zeros(P.n), (np.zeros(len(P.src)) if edges else None), scale
    node, edge = _RUNNERS[name](P, sources, edges=edges)
    return P, node * scale, (None if edge is None else edge * scale), scale


# -------------------------------------------------------------------------- public API


def betweenness(
    G: nx.MultiDiGraph,
    *,
    mode: Mode = "multimodal",
    normalized: bool = True,
    weight: str = "travel_time",
    k: int | None = None,
    seed: SeedLike = None,
    backend: Backend = "auto",
) -> pd.Series:
    r"""Travel-time-weighted betweenness of every node, counting zone-to-zone paths only.

    .. math::

        C_B(v) = \sum_{s \in Z} \sum_{t \in Z \setminus \{s\}}
                 [v \ne s][v \ne t]\, \frac{\sigma_{st}(v)}{\sigma_{st}}

    where :math:`Z` is the set of zones, :math:`\sigma_{st}` the number of shortest
    (least travel time) directed paths from :math:`s` to :math:`t` and
    :math:`\sigma_{st}(v)` the number of those passing through :math:`v`. With
    ``normalized=True`` the sum is divided by the number of ordered zone pairs not
    involving :math:`v`,

    .. math::

        N(v) = \begin{cases} (|Z|-1)(|Z|-2) & v \in Z \\ |Z|(|Z|-1) & v \notin Z
               \end{cases}

    so a value is the share of all ordered zone pairs (σ-weighted over ties) whose
    shortest route passes through :math:`v`, in [0, 1].

    Parameters
    ----------
    G
        A graph meeting the yrdnet graph contract. Not modified.
    mode
        ``"multimodal"``, ``"rail"`` or ``"road"``: which edges may be used (see the
        module docstring).
    normalized
        Divide by :math:`N(v)`; if False return the raw (expected) number of ordered
        zone pairs.
    weight
        Edge attribute holding the cost (seconds for ``travel_time``).
    k
        Estimate from ``k`` source zones drawn uniformly without replacement, scaling
        their dependencies by :math:`|Z|/k` (unbiased; Brandes & Pich 2007 [3]_).
        ``None`` (default) is exact; ``k = |Z|`` equals the exact result.
    seed
        Seed or generator for the sample (only used with ``k``).
    backend
        ``"auto"`` (igraph if installed, else scipy), ``"igraph"``, ``"scipy"`` or
        ``"networkx"``.

    Returns
    -------
    pandas.Series
        Indexed by node id in ``G.nodes`` order, named ``betweenness_<mode>``.

    Raises
    ------
    GraphContractError
        If ``G`` is not a MultiDiGraph, or an edge lacks a finite non-negative
        ``weight``, or a node lacks ``kind``.
    ValueError
        On an unknown ``mode`` or ``backend``, or ``k`` outside ``[1, |Z|]``.

    See Also
    --------
    edge_betweenness, city_betweenness, freeman_centralization

    Notes
    -----
    Paths are directed; unreachable pairs contribute 0 to the numerator but stay in
    :math:`N(v)`, so values are comparable between scenarios of the same zone set.
    Zones may be interior nodes of a path (a zone joins its station and road access).
    Ties: equally short routes share a pair equally per path (σ-weighting); ties are
    exact after the 1 ms quantisation described in the module docstring. The
    algorithm is Brandes' accumulation [2]_ restricted to zone sources and targets;
    the measure is Freeman's [1]_. ``networkx.betweenness_centrality_subset(...,
    normalized=False)`` on the preprocessed graph gives the raw values; its
    ``normalized=True`` divides by :math:`(n-1)(n-2)` over *all* nodes instead.

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
       *Sociometry* 40(1), 35–41. https://doi.org/10.2307/3033543
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal
       of Mathematical Sociology* 25(2), 163–177.
       https://doi.org/10.1080/0022250X.2001.9990249
    .. [3] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks.
       *International Journal of Bifurcation and Chaos* 17(7), 2303–2318.
       https://doi.org/10.1142/S0218127407018403

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> b = betweenness(mock_graph(), mode="rail")
    >>> float(b["zone:330900"])  # Zhoushan has no rail
    0.0
    >>> bool(b["st:shhq"] > 0)  # Shanghai Hongqiao is a rail hub
    True
    """
    P, node, _, _ = _compute(G, mode=mode, weight=weight, k=k, seed=seed, backend=backend, edges=False)
    if normalized:
        nz = len(P.zones)
        denom = np.full(P.n, float(nz * (nz - 1)))
        denom[P.zones] = float((nz - 1) * (nz - 2))
        node = np.divide(node, denom, out=np.zeros_like(node), where=denom > 0)
    return pd.Series(node, index=pd.Index(P.nodes, name="node"), name=f"betweenness_{mode}")


def edge_betweenness(
    G: nx.MultiDiGraph,
    *,
    mode: Mode = "multimodal",
    normalized: bool = True,
    weight: str = "travel_time",
    k: int | None = None,
    seed: SeedLike = None,
    backend: Backend = "auto",
) -> pd.Series:
    r"""Travel-time-weighted betweenness of every edge, counting zone-to-zone paths only.

    .. math::

        C_B(e) = \sum_{s \in Z} \sum_{t \in Z \setminus \{s\}}
                 \frac{\sigma_{st}(e)}{\sigma_{st}}

    With ``normalized=True`` divided by the number of ordered zone pairs
    :math:`|Z|(|Z|-1)` (every pair may use any edge), giving the share of zone pairs
    routed over :math:`e`.

    Parameters
    ----------
    G
        A graph meeting the yrdnet graph contract. Not modified.
    mode
        ``"multimodal"``, ``"rail"`` or ``"road"``.
    normalized
        Divide by :math:`|Z|(|Z|-1)`.
    weight
        Edge attribute holding the cost.
    k
        Number of sampled source zones (see :func:`betweenness`); ``None`` is exact.
    seed
        Seed or generator for the sample.
    backend
        ``"auto"``, ``"igraph"``, ``"scipy"`` or ``"networkx"``.

    Returns
    -------
    pandas.Series
        Indexed by ``(u, v, key)`` in ``G.edges`` order (MultiIndex names ``u``, ``v``,
        ``key``, as in ``osmnx.graph_to_gdfs``), named ``edge_betweenness_<mode>``.

    Raises
    ------
    GraphContractError
        If ``G`` is not a MultiDiGraph or an edge lacks a valid ``weight``.
    ValueError
        On an unknown ``mode`` or ``backend``, or a bad ``k``.

    See Also
    --------
    betweenness

    Notes
    -----
    Parallel edges: the value of the collapsed ``(u, v)`` link is split equally among
    the parallel edges of minimum (quantised) weight, as networkx's ``_add_edge_keys``
    does; slower parallels, self-loops and edges outside ``mode`` get 0. The networkx
    backend accumulates edges itself from ``nx.dijkstra_predecessor_and_distance``,
    because ``nx.edge_betweenness_centrality_subset`` (3.6) divides dependencies by the
    number of predecessors rather than by :math:`\sigma_v/\sigma_w`, which is wrong
    where tied routes converge unevenly. See :func:`betweenness` for ties, sampling and
    references ([1]_, [2]_).

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal
       of Mathematical Sociology* 25(2), 163–177.
       https://doi.org/10.1080/0022250X.2001.9990249
    .. [2] Brandes, U. (2008). On variants of shortest-path betweenness centrality and
       their generic computation. *Social Networks* 30(2), 136–145.
       https://doi.org/10.1016/j.socnet.2007.11.001

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> eb = edge_betweenness(mock_graph(), mode="road")
    >>> float(eb[("rd:310000", "rd:320500", 1)])  # the slower parallel G1501 carries nothing
    0.0
    """
    P, _, edge, _ = _compute(G, mode=mode, weight=weight, k=k, seed=seed, backend=backend, edges=True)
    assert edge is not None  # edges=True always returns edge values
    values = np.where(P.edge_group >= 0, edge[np.maximum(P.edge_group, 0)], 0.0) * P.edge_share
    if normalized:
        nz = len(P.zones)
        values = values / (nz * (nz - 1)) if nz > 1 else np.zeros_like(values)
    index = pd.MultiIndex.from_tuples(list(G.edges(keys=True)), names=["u", "v", "key"])
    return pd.Series(values, index=index, name=f"edge_betweenness_{mode}")


def city_betweenness(
    G: nx.MultiDiGraph,
    *,
    mode: Mode = "multimodal",
    normalized: bool = True,
    weight: str = "travel_time",
    k: int | None = None,
    seed: SeedLike = None,
) -> pd.Series:
    r"""Group betweenness of each city: share of other cities' zone pairs routed through it.

    .. math::

        C_B(c) = \frac{1}{N(c)} \sum_{\substack{s, t \in Z,\ s \ne t \\
                 \mathrm{city}(s) \ne c \ne \mathrm{city}(t)}}
                 \frac{\sigma_{st}(V_c)}{\sigma_{st}},
        \qquad N(c) = |Z_{\bar c}|\,(|Z_{\bar c}| - 1)

    where :math:`V_c` is the set of nodes (zone, stations, platforms, road junctions)
    whose ``city`` is :math:`c`, :math:`\sigma_{st}(V_c)` the number of shortest
    :math:`s`–:math:`t` paths that touch at least one node of :math:`V_c`, and
    :math:`Z_{\bar c}` the zones of other cities (Everett & Borgatti's group
    betweenness [1]_ restricted to zone pairs).

    Parameters
    ----------
    G
        A graph meeting the yrdnet graph contract. Not modified.
    mode
        ``"multimodal"``, ``"rail"`` or ``"road"``.
    normalized
        Divide by :math:`N(c)`; if False return the raw expected number of pairs.
    weight
        Edge attribute holding the cost.
    k
        Number of sampled source zones (scaled by :math:`|Z|/k`); ``None`` is exact.
    seed
        Seed or generator for the sample.

    Returns
    -------
    pandas.Series
        Indexed by city adcode (int, sorted; every city of any node), named
        ``city_betweenness_<mode>``.

    Raises
    ------
    GraphContractError
        If ``G`` is not a MultiDiGraph, a node lacks an int ``city``, or an edge lacks
        a valid ``weight``.
    ValueError
        On an unknown ``mode`` or a bad ``k``.

    See Also
    --------
    betweenness

    Notes
    -----
    Ties: a pair with several equally short routes contributes the fraction of those
    routes that touch the city; a route touching the city at several nodes (e.g. a
    station and its platforms) counts once, so the value never exceeds 1 — unlike the
    sum of node betweenness over the city's nodes, which counts such a route once per
    node. Ties are exact after 1 ms quantisation (module docstring). Unreachable pairs
    count in :math:`N(c)` with 0. Computed with the scipy backend: distances by
    ``csgraph.dijkstra``, then counts of shortest paths avoiding each city, propagated
    over the shortest-path DAG in distance order (Brandes [2]_), vectorised over
    sources and cities. (``networkx.group_betweenness_centrality`` counts all node
    pairs, not zone pairs, so it is not a drop-in reference.)

    References
    ----------
    .. [1] Everett, M. G., & Borgatti, S. P. (1999). The centrality of groups and
       classes. *Journal of Mathematical Sociology* 23(3), 181–201.
       https://doi.org/10.1080/0022250X.1999.9990219
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal
       of Mathematical Sociology* 25(2), 163–177.
       https://doi.org/10.1080/0022250X.2001.9990249

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> cb = city_betweenness(mock_graph(), mode="rail")
    >>> float(cb[330900])  # Zhoushan (no rail) carries no rail routes
    0.0
    >>> bool(cb[310000] > 0)  # Shanghai Hongqiao joins the Nanjing and Hangzhou lines
    True
    """
    _check_options(G, mode)
    P = _prepare(G, mode, weight)
    city_of = dict(G.nodes(data="city"))
    bad = [n for n in P.nodes if isinstance(city_of[n], bool) or not isinstance(city_of[n], (int, np.integer))]
    if bad:
        msg = f"{len(bad)} node(s) lack an int 'city' adcode, e.g. {bad[:5]}"
        raise GraphContractError(msg)
    codes, ncity = np.unique(np.array([int(city_of[n]) for n in P.nodes], dtype=np.int64), return_inverse=True)
    sources, scale = _sources(P.zones, k, seed)
    raw = _city_raw(P, ncity, len(codes), sources) * scale if len(P.zones) > 1 else np.zeros(len(codes))
    if normalized:
        per_city = np.bincount(ncity[P.zones], minlength=len(codes))
        others = len(P.zones) - per_city
        denom = (others * (others - 1)).astype(np.float64)
        raw = np.divide(raw, denom, out=np.zeros_like(raw), where=denom > 0)
    return pd.Series(raw, index=pd.Index(codes, name="city"), name=f"city_betweenness_{mode}")


def _city_raw(P: _Prepared, ncity: np.ndarray, q: int, sources: np.ndarray) -> np.ndarray:
    n, m = P.n, len(P.src)
    csr = sp.csr_matrix((P.w, (P.src, P.dst)), shape=(n, n))
    in_pad = _pad(P.dst, n, m)
    src_x = np.append(P.src, 0)
    zcity = ncity[P.zones]
    raw = np.zeros(q)
    step = max(1, min(settings.chunk_size, _CITY_BUDGET // max(1, n * q)))
    logger.info("city_betweenness: %d sources x %d cities on %d nodes, chunks of %d", len(sources), q, n, step)
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


def freeman_centralization(values: Sequence[float] | np.ndarray | pd.Series, *, max_value: float = 1.0) -> float:
    r"""Freeman centralization of a centrality vector: how much one node dominates.

    .. math::

        C = \frac{\sum_{i=1}^{n} (c^{*} - c_i)}{(n - 1)\, c_{\max}}, \qquad
        c^{*} = \max_i c_i

    With values normalised to [0, 1] (``max_value`` :math:`c_{\max} = 1`) the
    denominator is the largest possible sum, reached by a star (one node on every
    route, all others on none), so :math:`C \in [0, 1]`: 0 when all nodes are equal
    (polycentric), 1 for a perfect star (monocentric) [1]_.

    Parameters
    ----------
    values
        Centrality of the n nodes (or cities) to compare, e.g. ``betweenness(G)`` or
        its zone subset.
    max_value
        Largest value a node can take under the normalisation used (1 for the
        normalised betweenness of this module).

    Returns
    -------
    float
        The centralization index.

    Raises
    ------
    ValueError
        If fewer than two values are given, any is NaN, or ``max_value <= 0``.

    Notes
    -----
    For scenario comparisons use the same ``values`` normalisation in both (e.g.
    normalised betweenness with the same zone set), otherwise the index moves with the
    constant rather than with the structure.

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
       *Sociometry* 40(1), 35–41. https://doi.org/10.2307/3033543

    Examples
    --------
    >>> freeman_centralization([1.0, 0.0, 0.0, 0.0])
    1.0
    >>> freeman_centralization([0.3, 0.3, 0.3])
    0.0
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size < 2:
        msg = f"freeman_centralization needs at least two values, got {x.size}"
        raise ValueError(msg)
    if np.isnan(x).any():
        msg = f"freeman_centralization got {int(np.isnan(x).sum())} NaN value(s); drop or fill them"
        raise ValueError(msg)
    if not max_value > 0:
        msg = f"max_value must be > 0, got {max_value!r}"
        raise ValueError(msg)
    return float((x.max() - x).sum() / ((x.size - 1) * max_value))

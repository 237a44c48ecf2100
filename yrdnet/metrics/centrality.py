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

All-node betweenness and parallel sources
-----------------------------------------
``pairs="nodes"`` counts every ordered node pair instead of zone pairs (the classic
all-pairs weighted betweenness of networkx and networkit, for comparison with other
tools and road-network studies). ``workers=N`` splits the sources over N processes
and adds their dependencies (exact). The kernels live in
:mod:`yrdnet.metrics.betweenness_backends`; ``benchmarks/bench_full_centrality.py``
measures them against networkit and networkx (random contract graph, 10,000 nodes /
36,700 edges, all pairs, on a loaded 2-core VM: igraph in one process 76 s, networkit 11
on 2 threads 132 s, networkx ~2,400 s extrapolated; all equal within 1e-15 relative).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.core.errors import GraphContractError
from yrdnet.metrics.betweenness_backends import (
    TIME_RESOLUTION,
    Prepared,
    check_workers,
    city_raw,
    prepare,
    resolve_backend,
    run_backend,
)
from yrdnet.routing.compile import MODES, Mode, check_mode

__all__ = [
    "BACKENDS",
    "MODES",
    "PAIRS",
    "TIME_RESOLUTION",
    "betweenness",
    "city_betweenness",
    "edge_betweenness",
    "freeman_centralization",
]

logger = logging.getLogger(__name__)

Backend = Literal["auto", "igraph", "scipy", "networkx"]
SeedLike = int | np.random.Generator | None

Pairs = Literal["zones", "nodes"]

BACKENDS: tuple[str, ...] = ("auto", "igraph", "scipy", "networkx")
#: Which ordered pairs are counted: zone to zone (default), or every node to every node.
PAIRS: tuple[str, ...] = ("zones", "nodes")


# ------------------------------------------------------------------------- preparation


def _check_options(G: object, mode: str, backend: str | None = None, pairs: str = "zones") -> None:
    if not isinstance(G, nx.MultiDiGraph):
        msg = f"centrality expects a networkx.MultiDiGraph meeting the yrdnet graph contract, got {type(G).__name__}"
        raise GraphContractError(msg)
    check_mode(mode)
    if backend is not None and backend not in BACKENDS:
        msg = f"unknown backend {backend!r}; expected one of {list(BACKENDS)}"
        raise ValueError(msg)
    if pairs not in PAIRS:
        msg = f"unknown pairs {pairs!r}; expected one of {list(PAIRS)}"
        raise ValueError(msg)


def _sources(pool: np.ndarray, k: int | None, seed: SeedLike, what: str = "zones") -> tuple[np.ndarray, float]:
    """Return the sources drawn from ``pool`` and the scale factor |pool| / k (Brandes & Pich 2007)."""
    if k is None:
        return pool, 1.0
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= len(pool):
        msg = f"k must be an int in [1, {len(pool)}] (the number of {what}), got {k!r}"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(len(pool), size=int(k), replace=False))
    return pool[pick], len(pool) / int(k)


def _endpoints(P: Prepared, pairs: str) -> np.ndarray:
    """Node indices that are sources and targets: the zones, or every node."""
    return P.zones if pairs == "zones" else np.arange(P.n, dtype=np.int64)


def _compute(
    G: nx.MultiDiGraph,
    *,
    mode: str,
    weight: str,
    k: int | None,
    seed: SeedLike,
    backend: str,
    edges: bool,
    pairs: str = "zones",
    workers: int = 1,
) -> tuple[Prepared, np.ndarray, np.ndarray | None, float]:
    _check_options(G, mode, backend, pairs)
    workers = check_workers(workers)
    P = prepare(G, mode, weight)
    ends = _endpoints(P, pairs)
    sources, scale = _sources(ends, k, seed, "zones" if pairs == "zones" else "nodes")
    name = resolve_backend(backend)
    logger.info(
        "betweenness: %d of %d %s as sources, %d nodes, %d edges, mode=%s, backend=%s, workers=%d",
        len(sources),
        len(ends),
        pairs,
        P.n,
        len(P.src),
        mode,
        name,
        workers,
    )
    if len(ends) < 2:
        return P, np.zeros(P.n), (np.zeros(len(P.src)) if edges else None), scale
    node, edge = run_backend(name, P, sources, ends, edges=edges, workers=workers)
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
    pairs: Pairs = "zones",
    workers: int = 1,
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
    pairs
        ``"zones"`` (default): count zone-to-zone paths as above. ``"nodes"``: count
        the paths between every ordered pair of nodes (:math:`Z` = all nodes, ``k``
        samples nodes), i.e. ``networkx.betweenness_centrality`` and networkit's
        ``Betweenness`` on the preprocessed directed graph; normalised by
        :math:`(n-1)(n-2)` for every node.
    workers
        Processes sharing the sources (default 1: in this process). Exact: the
        dependencies of each source are added up, so the result equals the serial one
        up to float round-off of that sum. Each call starts its own pool (fork on
        POSIX), so it pays off from about a second of work; not inside a daemonic
        process such as a Dask worker.

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
        On an unknown ``mode``, ``backend`` or ``pairs``, ``k`` outside ``[1, |Z|]``,
        or ``workers`` not an int >= 1.

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
    P, node, _, _ = _compute(
        G, mode=mode, weight=weight, k=k, seed=seed, backend=backend, edges=False, pairs=pairs, workers=workers
    )
    if normalized:
        ends = _endpoints(P, pairs)
        nz = len(ends)
        denom = np.full(P.n, float(nz * (nz - 1)))
        denom[ends] = float((nz - 1) * (nz - 2))
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
    pairs: Pairs = "zones",
    workers: int = 1,
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
    pairs
        ``"zones"`` or ``"nodes"`` (every ordered node pair; normalised by
        :math:`n(n-1)`), as in :func:`betweenness`.
    workers
        Processes sharing the sources, as in :func:`betweenness`.

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
        On an unknown ``mode``, ``backend`` or ``pairs``, a bad ``k`` or ``workers``.

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
    P, _, edge, _ = _compute(
        G, mode=mode, weight=weight, k=k, seed=seed, backend=backend, edges=True, pairs=pairs, workers=workers
    )
    assert edge is not None  # edges=True always returns edge values
    values = np.where(P.edge_group >= 0, edge[np.maximum(P.edge_group, 0)], 0.0) * P.edge_share
    if normalized:
        nz = len(_endpoints(P, pairs))
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
    P = prepare(G, mode, weight)
    city_of = dict(G.nodes(data="city"))
    bad = [n for n in P.nodes if isinstance(city_of[n], bool) or not isinstance(city_of[n], (int, np.integer))]
    if bad:
        msg = f"{len(bad)} node(s) lack an int 'city' adcode, e.g. {bad[:5]}"
        raise GraphContractError(msg)
    codes, ncity = np.unique(np.array([int(city_of[n]) for n in P.nodes], dtype=np.int64), return_inverse=True)
    sources, scale = _sources(P.zones, k, seed)
    raw = city_raw(P, ncity, len(codes), sources) * scale if len(P.zones) > 1 else np.zeros(len(codes))
    if normalized:
        per_city = np.bincount(ncity[P.zones], minlength=len(codes))
        others = len(P.zones) - per_city
        denom = (others * (others - 1)).astype(np.float64)
        raw = np.divide(raw, denom, out=np.zeros_like(raw), where=denom > 0)
    return pd.Series(raw, index=pd.Index(codes, name="city"), name=f"city_betweenness_{mode}")


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

r"""Incremental travel times for scenarios that only add links to their base.

A scenario that opens a line or adds an expressway link only *adds* edges (or lowers
the weight of existing ones) compared with its base. Its shortest travel times then
follow from the base's distances by one rank-1 "min-plus" update per added edge,
instead of a new Dijkstra run:

.. math::

    d'_{ij} = \min\bigl(d_{ij},\; d_{ia} + w_{ab} + d_{bj}\bigr)
    \quad \text{for every added edge } a \to b \text{ of weight } w_{ab}.

Nodes that are new in the scenario (a newly served station hall, a new line's platforms)
enter first as isolated nodes (``inf`` rows and columns, ``0`` on the diagonal), then the
edges are inserted one at a time. Why this is exact is set out in :func:`update_distances`.
A batch of edges can also be inserted at once through the set :math:`K` of their
endpoints (closure of the :math:`K \times K` distances, then
:math:`T' = \min(T, A \otimes C \otimes B)`; exact by the argument in
:func:`yrdnet.routing.minplus_batch.batch_update`); :func:`update_zone_distances` takes
whichever is cheaper.

Entry points (for scenarios, :mod:`yrdnet.scenarios.incremental` builds on these):

* :func:`travel_times_incremental` — what :func:`yrdnet.travel_times` returns for the
  scenario graph, computed from the base graph (and optionally a precomputed
  :class:`NodeDistances` of it, to reuse across many scenarios of one base);
* building blocks :func:`all_node_distances`, :func:`added_edges`,
  :func:`update_distances`, :func:`update_zone_distances`.

References
----------
.. [1] Ramalingam, G. and Reps, T. (1996). "On the computational complexity of dynamic
   graph problems." *Theoretical Computer Science* 158(1-2), 233-277;
   "An incremental algorithm for a generalization of the shortest-path problem."
   *Journal of Algorithms* 21(2), 267-305. https://doi.org/10.1006/jagm.1996.0046
.. [2] Demetrescu, C. and Italiano, G. F. (2004). "A new approach to dynamic all pairs
   shortest paths." *Journal of the ACM* 51(6), 968-992.
   https://doi.org/10.1145/1039488.1039492
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.core.errors import NotIncrementalError
from yrdnet.routing.compile import CompiledGraph, check_mode, compile_graph
from yrdnet.routing.matrices import UnreachableWarning, node_distances, unreachable_message
from yrdnet.routing.minplus import AddedEdge, NodeDistances, update_distances, update_zone_distances

__all__ = [
    "AddedEdge",
    "NodeDistances",
    "NotIncrementalError",
    "added_edges",
    "all_node_distances",
    "travel_times_incremental",
    "update_distances",
    "update_zone_distances",
    "warn_if_unreachable",
]


log = logging.getLogger(__name__)


def all_node_distances(
    G: nx.MultiDiGraph,
    mode: str = "multimodal",
    *,
    nodes: Sequence[str] | None = None,
    chunk_size: int | None = None,
) -> NodeDistances:
    """Shortest travel times between every pair of nodes (or of ``nodes``) of a graph.

    Parameters
    ----------
    G
        A graph meeting the yrdnet graph contract.
    mode
        ``"multimodal"``, ``"rail"`` or ``"road"`` (as in :func:`yrdnet.travel_times`).
    nodes
        Restrict rows and columns to these node ids (default: every node, in graph
        order). Distances are still over the whole graph.
    chunk_size
        Origins per Dijkstra call (default ``settings.chunk_size``).

    Returns
    -------
    NodeDistances
        float64 seconds; ``inf`` where unreachable, ``0`` on the diagonal.

    Notes
    -----
    Each row comes from the same scipy Dijkstra call that :func:`yrdnet.travel_times`
    makes, so a zone's row holds bit for bit the seconds that function converts to
    minutes. Cost: one Dijkstra per node, memory ``8 N^2`` bytes (4 MB at 700 nodes).

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> D = all_node_distances(mock_graph(), "road")
    >>> float(D.d[D.index["zone:310000"], D.index["zone:310000"]])
    0.0
    """
    check_mode(mode)
    cg = compile_graph(G)
    sel = list(cg.nodes) if nodes is None else list(nodes)
    unknown = [n for n in sel if n not in cg.index]
    if unknown:
        msg = f"node(s) not in the graph: {unknown[:5]}"
        raise ValueError(msg)
    log.info("all-node distances by %s: %d x %d nodes", mode, len(sel), len(sel))
    d = node_distances(G, sel, mode=mode, targets=sel, chunk_size=chunk_size)
    return NodeDistances(tuple(sel), d, mode)


def _edge_arrays(cg: CompiledGraph, mode: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(u, v, w)`` of the directed edges ``mode`` routes on, parallel edges at their minimum."""
    csr = cg.csr(mode)
    csr.sum_duplicates()  # canonical: sorted, no duplicates (the min was taken already)
    u = np.repeat(np.arange(csr.shape[0], dtype=np.int64), np.diff(csr.indptr))
    return u, csr.indices.astype(np.int64), np.asarray(csr.data, dtype=np.float64)


def _diff_edges(cg0: CompiledGraph, cg1: CompiledGraph, mode: str) -> list[AddedEdge]:
    """Edges ``cg1`` adds or makes faster vs ``cg0``; raise if it removes or slows any."""
    to_new = np.array([cg1.index.get(n, -1) for n in cg0.nodes], dtype=np.int64)
    problems = [f"node {n!r} removed" for n, k in zip(cg0.nodes, to_new, strict=True) if k < 0]
    u0, v0, w0 = _edge_arrays(cg0, mode)
    u1, v1, w1 = _edge_arrays(cg1, mode)
    n1 = len(cg1.nodes)
    alive = (to_new[u0] >= 0) & (to_new[v0] >= 0)
    for a, b in zip(u0[~alive].tolist(), v0[~alive].tolist(), strict=True):
        problems.append(f"edge {cg0.nodes[a]!r} -> {cg0.nodes[b]!r} removed")
    k0 = to_new[u0[alive]] * n1 + to_new[v0[alive]]
    w0 = w0[alive]
    k1 = u1 * n1 + v1  # sorted: CSR order
    if len(k1):
        pos = np.minimum(np.searchsorted(k1, k0), len(k1) - 1)
        found = k1[pos] == k0
        w1_at = w1[pos]
    else:
        pos = np.zeros(len(k0), dtype=np.int64)
        found = np.zeros(len(k0), dtype=bool)
        w1_at = np.zeros(len(k0))
    for k in k0[~found].tolist():
        problems.append(f"edge {cg1.nodes[k // n1]!r} -> {cg1.nodes[k % n1]!r} removed")
    slower = np.flatnonzero(found & (w1_at > w0))
    for i in slower.tolist():
        k = int(k0[i])
        problems.append(
            f"edge {cg1.nodes[k // n1]!r} -> {cg1.nodes[k % n1]!r} slower ({w0[i]:.1f} s -> {w1_at[i]:.1f} s)"
        )
    if problems:
        more = f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        shown = "; ".join(problems[:10]) + more
        msg = (
            f"the new graph is not a pure addition to the base for mode {mode!r} "
            f"({len(problems)} difference(s)): {shown}; route it in full with yrdnet.travel_times"
        )
        raise NotIncrementalError(msg)
    # new edges: not matched by any base edge, or matched with a larger base weight
    best_old = np.full(len(k1), np.inf)
    np.minimum.at(best_old, pos[found], w0[found])
    add = np.flatnonzero(w1 < best_old)
    nodes = cg1.nodes
    return [
        AddedEdge(nodes[a], nodes[b], w)
        for a, b, w in zip(u1[add].tolist(), v1[add].tolist(), w1[add].tolist(), strict=True)
    ]


def added_edges(G_base: nx.MultiDiGraph, G_new: nx.MultiDiGraph, mode: str = "multimodal") -> list[AddedEdge]:
    """Directed edges of ``G_new`` absent from ``G_base`` or faster there, for one mode.

    Edges are compared as the router sees them: per travel mode, parallel edges reduced
    to their minimum ``travel_time``.

    Parameters
    ----------
    G_base, G_new
        Graphs meeting the yrdnet graph contract; ``G_new`` must contain ``G_base``.
    mode
        ``"multimodal"``, ``"rail"`` or ``"road"``.

    Returns
    -------
    list of AddedEdge
        ``(source, target, weight)`` in ``G_new``'s CSR order (by source, then target);
        a faster existing edge is listed with its new weight.

    Raises
    ------
    NotIncrementalError
        If ``G_new`` lacks a node or an edge of ``G_base`` or has a slower one (every such
        difference is listed): an incremental update cannot lengthen paths.

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> G0, G1 = mock_graph(), mock_graph()
    >>> _ = G1.add_edge("rd:330200", "rd:340100", mode="road", length=4e5, travel_time=9000.0)
    >>> added_edges(G0, G1, "road")
    [AddedEdge(source='rd:330200', target='rd:340100', weight=9000.0)]
    """
    check_mode(mode)
    return _diff_edges(compile_graph(G_base), compile_graph(G_new), mode)


def travel_times_incremental(
    G_base: nx.MultiDiGraph,
    G_new: nx.MultiDiGraph,
    mode: str = "multimodal",
    *,
    base: NodeDistances | None = None,
    warn_unreachable: bool = True,
    kernel: str = "auto",
) -> pd.DataFrame:
    r"""Door-to-door zone travel times of ``G_new`` from those of ``G_base`` plus added edges.

    Returns what ``yrdnet.travel_times(G_new, mode)`` returns, computed as the base's
    distances updated for every edge ``G_new`` adds (see :func:`update_distances`).

    Parameters
    ----------
    G_base
        The base scenario's graph.
    G_new
        A graph that only adds nodes and edges to ``G_base`` (or makes edges faster).
    mode
        ``"multimodal"``, ``"rail"`` or ``"road"``.
    base
        Distances of ``G_base`` for ``mode`` covering its zones and every existing node
        an added edge touches — e.g. :func:`all_node_distances` computed once and reused
        across many scenarios of one base. Default: computed here over just those nodes.
    warn_unreachable
        Emit one :class:`yrdnet.UnreachableWarning` naming the zones involved in
        unreachable pairs, as :func:`yrdnet.travel_times` does.
    kernel
        ``"per-edge"`` (:func:`update_distances`), ``"batch"``
        (:func:`yrdnet.routing.minplus_batch.batch_update`) or ``"auto"`` (the cheaper by
        :func:`yrdnet.routing.minplus_batch.kernel_costs`); see :func:`update_zone_distances`.

    Returns
    -------
    pandas.DataFrame
        float32 minutes, index = origins, columns = destinations (adcodes sorted),
        diagonal 0, ``inf`` where unreachable.

    Raises
    ------
    NotIncrementalError
        If ``G_new`` removes or slows anything of ``G_base``.
    ValueError
        If ``mode`` is unknown, or ``base`` is for another mode or misses a needed node.

    Notes
    -----
    The update runs on the set :math:`S` = zones of ``G_new`` + existing nodes touched
    by an added edge + new nodes; a given ``base`` is first restricted to :math:`S`,
    which keeps the update exact (see :func:`update_distances`: it needs :math:`S` to
    hold every endpoint) and makes its cost :math:`O(|E_{add}| \cdot |S|^2)` rather than
    :math:`O(|E_{add}| \cdot N^2)`. The float64 seconds agree with a full recomputation
    to within a few units in the last place (summation order); the float32 minutes are
    identical on every shipped scenario.

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> G0, G1 = mock_graph(), mock_graph()
    >>> _ = G1.add_edge("rd:330200", "rd:340100", mode="road", length=4e5, travel_time=9000.0)
    >>> T = travel_times_incremental(G0, G1, "road", warn_unreachable=False)
    >>> import yrdnet
    >>> T.equals(yrdnet.travel_times(G1, "road", warn_unreachable=False))
    True
    """
    check_mode(mode)
    cg_base, cg_new = compile_graph(G_base), compile_graph(G_new)
    edges = _diff_edges(cg_base, cg_new, mode)
    zones = list(cg_new.zones)
    new_nodes = [n for n in cg_new.nodes if n not in cg_base.index]
    # the rows/columns the update needs: zones and every existing node an added edge touches
    needed = list(
        dict.fromkeys(
            [z for z in zones if z in cg_base.index] + [x for e in edges for x in e[:2] if x in cg_base.index]
        )
    )
    if base is None:
        sub = all_node_distances(G_base, mode, nodes=needed)
    else:
        if base.mode != mode:
            msg = f"base distances are for mode {base.mode!r}, not {mode!r}"
            raise ValueError(msg)
        missing = [n for n in needed if n not in base]
        if missing:
            msg = (
                f"base distances miss {len(missing)} node(s) the update needs, e.g. {missing[:5]}; "
                "compute them with all_node_distances(G_base, mode)"
            )
            raise ValueError(msg)
        # restricting to the needed nodes keeps the update exact (they include every endpoint)
        sub = NodeDistances(tuple(needed), base.take(needed), mode)
    sec, used = update_zone_distances(sub, zones, edges, new_nodes=new_nodes, kernel=kernel)
    log.info(
        "incremental %s travel times: %d added edge(s), %d new node(s), %d x %d base, %s kernel",
        mode,
        len(edges),
        len(new_nodes),
        len(sub),
        len(sub),
        used,
    )
    codes = cg_new.zone_codes
    T = pd.DataFrame(
        (sec / 60.0).astype(np.float32),
        index=pd.Index(codes, name="origin"),
        columns=pd.Index(codes, name="destination"),
    )
    if warn_unreachable:
        warn_if_unreachable(T, G_new, mode)
    return T


# ------------------------------------------------------------------ helpers


def warn_if_unreachable(T: pd.DataFrame, G: nx.MultiDiGraph, mode: str) -> None:
    """Warn as :func:`yrdnet.travel_times` does, pointing at the caller of the public function that called this."""
    msg = unreachable_message(T, G, mode)
    if msg:
        warnings.warn(msg, UnreachableWarning, stacklevel=3)

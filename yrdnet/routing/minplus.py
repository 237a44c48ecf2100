"""Distance matrices and the exact min-plus kernels of :mod:`yrdnet.routing.incremental`.

:class:`NodeDistances` (a labelled distance matrix), :func:`update_distances` (one
rank-1 update per added edge) and :func:`update_zone_distances` (that or the batch
update of :mod:`yrdnet.routing.minplus_batch`, whichever is cheaper). Re-exported by
:mod:`yrdnet.routing.incremental`, which documents the method and its references.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

from yrdnet.routing.minplus_batch import batch_update, kernel_costs

__all__ = ["KERNELS", "AddedEdge", "NodeDistances", "update_distances", "update_zone_distances"]

log = logging.getLogger("yrdnet.routing.incremental")

KERNELS = ("auto", "per-edge", "batch")

_BLOCK_ROWS = 1024  # rows per block of a rank-1 update: bounds the temporary to 1024 x N


class AddedEdge(NamedTuple):
    """A directed edge that is new (or faster) in the scenario graph, for one travel mode."""

    source: str
    target: str
    weight: float  # seconds


@dataclass(frozen=True)
class NodeDistances:
    """A labelled matrix of shortest travel times (float64 seconds) between graph nodes.

    Attributes
    ----------
    nodes
        Node ids in matrix order (rows = origins, columns = destinations).
    d
        ``d[i, j]``: shortest travel time from ``nodes[i]`` to ``nodes[j]`` in seconds over
        the *whole* graph (paths may pass through nodes not listed); ``inf`` = unreachable.
    mode
        Travel mode the distances are for (one of ``yrdnet.routing.compile.MODES``).
    """

    nodes: tuple[str, ...]
    d: np.ndarray
    mode: str

    def __post_init__(self) -> None:
        n = len(self.nodes)
        if self.d.shape != (n, n):
            msg = f"NodeDistances: matrix shape {self.d.shape} does not match {n} nodes"
            raise ValueError(msg)

    @cached_property
    def index(self) -> dict[str, int]:
        """Node id -> matrix position."""
        return {v: i for i, v in enumerate(self.nodes)}

    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, node: object) -> bool:
        return node in self.index

    def take(self, nodes: Sequence[str]) -> np.ndarray:
        """Sub-matrix (a copy) for ``nodes`` as both origins and destinations."""
        ix = self.index
        missing = [n for n in nodes if n not in ix]
        if missing:
            msg = f"node(s) not covered by these distances: {missing[:5]}"
            raise KeyError(msg)
        pos = np.array([ix[n] for n in nodes], dtype=np.int64)
        return np.asarray(self.d[np.ix_(pos, pos)])


def update_distances(
    D: NodeDistances,
    edges: Iterable[AddedEdge | tuple[str, str, float]],
    *,
    new_nodes: Iterable[str] = (),
    block_rows: int = _BLOCK_ROWS,
) -> NodeDistances:
    r"""Insert new edges (and new nodes) into a distance matrix, one edge at a time.

    For each edge :math:`a \to b` of weight :math:`w`, in order:

    .. math::

        d'_{ij} = \min\bigl(d_{ij},\; (d_{ia} + w) + d_{bj}\bigr).

    Parameters
    ----------
    D
        Distances of the base graph over a node set that includes every *existing* node
        an edge touches (any further rows/columns, e.g. the zones, are carried along).
    edges
        ``(source, target, weight)`` triples, weight in seconds, ``>= 0``.
    new_nodes
        Nodes absent from the base graph. They are appended as isolated nodes (``inf``
        row and column, ``0`` diagonal) before the edges are inserted. An edge endpoint
        neither in ``D`` nor here raises ``ValueError``.
    block_rows
        Rows updated per block, bounding the temporary to ``block_rows x N``.

    Returns
    -------
    NodeDistances
        A new object (``D`` is not modified): ``D``'s nodes followed by ``new_nodes``.

    Raises
    ------
    ValueError
        An edge endpoint is not covered, or a weight is negative or not finite.

    Notes
    -----
    **Exactness.** Let :math:`S` be the rows/columns of ``D`` and :math:`d` exact shortest
    distances between the nodes of :math:`S` in a graph :math:`H` (paths may leave
    :math:`S`). Adding an edge :math:`e = a \to b` with :math:`a, b \in S` and
    :math:`w \ge 0`: a shortest path of :math:`H + e` either avoids :math:`e` (length
    :math:`d_{ij}`) or, as weights are non-negative, uses it once and can be taken as
    shortest :math:`i \to a` in :math:`H`, then :math:`e`, then shortest :math:`b \to j`
    in :math:`H` (length :math:`d_{ia} + w + d_{bj}`). Every term is an entry of
    :math:`d`, so the update is exact on :math:`S` for :math:`H + e`, and by induction
    after every edge of the list — in any order. New nodes are handled by starting
    from :math:`H` = base graph plus the new nodes *isolated*, whose exact distances are
    the base's plus ``inf`` rows/columns; an edge between two new nodes is then just
    another edge whose endpoints are in :math:`S`, so no repeated relaxation is needed.
    An edge with :math:`w \ge d_{ab}` is skipped, and the update is restricted to rows
    with :math:`d_{ia} + w < d_{ib}`; the other entries cannot improve, because
    :math:`d_{ia} + w + d_{bj} \ge d_{ib} + d_{bj} \ge d_{ij}` (and
    :math:`d_{ia} + w + d_{bj} \ge d_{ia} + d_{ab} + d_{bj} \ge d_{ij}`).

    **Floating point.** Dijkstra sums a path from its origin,
    :math:`((w_1 + w_2) + \dots) + w_n`; this update sums the same edges grouped as
    :math:`(d_{ia} + w) + d_{bj}`. The two float64 results can differ in the last bits
    (observed differences are below :math:`10^{-11}` s; the bound grows with path length
    times one unit in the last place, about :math:`7 \times 10^{-12}` s at 10 h), and a
    tie between distinct paths may resolve to either. After conversion to float32
    minutes the matrices are identical unless a value falls within that margin of a
    float32 rounding boundary (probability about :math:`10^{-9}` per entry); the tests
    check both.

    References
    ----------
    .. [1] Ramalingam, G. and Reps, T. (1996). "An incremental algorithm for a
       generalization of the shortest-path problem." *Journal of Algorithms* 21(2),
       267-305. https://doi.org/10.1006/jagm.1996.0046

    Examples
    --------
    >>> import numpy as np
    >>> D = NodeDistances(("a", "b"), np.array([[0.0, np.inf], [np.inf, 0.0]]), "road")
    >>> D2 = update_distances(D, [("b", "c", 5.0), ("a", "b", 2.0)], new_nodes=["c"])
    >>> D2.d[0].tolist()
    [0.0, 2.0, 7.0]
    """
    new = [n for n in dict.fromkeys(new_nodes) if n not in D]
    nodes = (*D.nodes, *new)
    index = {v: i for i, v in enumerate(nodes)}
    n0, n = len(D), len(nodes)
    d = np.full((n, n), np.inf, dtype=np.float64)
    d[:n0, :n0] = D.d
    d[np.arange(n0, n), np.arange(n0, n)] = 0.0
    edge_list = [AddedEdge(str(a), str(b), float(w)) for a, b, w in edges]
    uncovered = sorted({x for e in edge_list for x in e[:2] if x not in index})
    if uncovered:
        msg = (
            f"edge endpoint(s) {uncovered[:5]} are neither covered by the distances nor listed "
            "as new nodes; compute the base with all_node_distances(G_base, mode, nodes=...) "
            "including them"
        )
        raise ValueError(msg)
    bad = [e for e in edge_list if not (np.isfinite(e.weight) and e.weight >= 0)]
    if bad:
        msg = f"edge weights must be finite and >= 0, got {bad[:5]}"
        raise ValueError(msg)
    for a, b, w in edge_list:
        _insert_edge(d, index[a], index[b], w, block_rows)
    log.info("updated %d x %d distances with %d new edge(s), %d new node(s)", n, n, len(edge_list), len(new))
    return NodeDistances(nodes, d, D.mode)


def _insert_edge(d: np.ndarray, ia: int, ib: int, w: float, block_rows: int) -> None:
    """Rank-1 min-plus update of ``d`` in place for one edge ``ia -> ib`` of weight ``w``."""
    if not w < d[ia, ib]:  # no shorter a -> b: nothing can improve
        return
    via = d[:, ia] + w  # i -> a -> b
    tail = d[ib, :].copy()  # b -> j
    rows = np.flatnonzero(via < d[:, ib])  # only these origins can improve
    n = d.shape[0]
    if 2 * rows.size >= n:  # most rows: dense passes over contiguous row blocks (views)
        for start in range(0, n, block_rows):
            blk = d[start : start + block_rows]
            np.minimum(blk, via[start : start + block_rows, None] + tail[None, :], out=blk)
    else:
        for start in range(0, rows.size, block_rows):
            r = rows[start : start + block_rows]
            d[r] = np.minimum(d[r], via[r][:, None] + tail[None, :])


def update_zone_distances(
    D: NodeDistances,
    zones: Sequence[str],
    edges: Sequence[AddedEdge | tuple[str, str, float]],
    *,
    new_nodes: Iterable[str] = (),
    kernel: str = "auto",
    zone_block: np.ndarray | None = None,
) -> tuple[np.ndarray, str]:
    r"""Zone-to-zone distances (float64 s) after inserting ``edges``, by the cheaper exact kernel.

    Parameters
    ----------
    D
        Base distances covering ``zones`` and every existing endpoint of ``edges``.
    zones
        Zone node ids (existing nodes), the rows and columns of the result.
    edges
        Added edges ``(source, target, weight)``.
    new_nodes
        Nodes absent from the base (enter isolated).
    kernel
        ``"per-edge"``: :func:`update_distances` on zones + touched nodes,
        :math:`O(|E_{add}| |S|^2)`; ``"batch"``: the closure over the touched set
        :math:`K` (:func:`yrdnet.routing.minplus_batch.batch_update`),
        :math:`O(|K|^3 + Z|K|^2 + Z^2|K|)`, exact by the argument in its notes;
        ``"auto"``: the one with fewer element operations
        (:func:`yrdnet.routing.minplus_batch.kernel_costs`).
    zone_block
        ``D.take(zones)`` when the caller keeps it (not modified), to spare the gather.

    Returns
    -------
    tuple
        ``(Z x Z seconds, kernel used)``.

    Examples
    --------
    >>> d = np.array([[0.0, 9.0, 1.0], [9.0, 0.0, np.inf], [1.0, np.inf, 0.0]])
    >>> D = NodeDistances(("z1", "z2", "x"), d, "road")
    >>> sec, used = update_zone_distances(D, ["z1", "z2"], [("x", "z2", 2.0)], kernel="batch")
    >>> sec[0].tolist(), used
    ([0.0, 3.0], 'batch')
    """
    if kernel not in KERNELS:
        msg = f"kernel must be one of {list(KERNELS)}, got {kernel!r}"
        raise ValueError(msg)
    ix = D.index
    edge_list = [(str(a), str(b), float(w)) for a, b, w in edges]
    new = [n for n in dict.fromkeys(new_nodes) if n not in ix]
    new_set = set(new)
    missing = sorted({x for e in edge_list for x in e[:2] if x not in ix and x not in new_set})
    if missing:
        msg = f"edge endpoint(s) {missing[:5]} are neither covered by the distances nor listed as new nodes"
        raise ValueError(msg)
    bad = [AddedEdge(*e) for e in edge_list if not (math.isfinite(e[2]) and e[2] >= 0)]
    if bad:
        msg = f"edge weights must be finite and >= 0, got {bad[:5]}"
        raise ValueError(msg)
    edge_list = _useful(D, edge_list)
    touched = list(dict.fromkeys(x for e in edge_list for x in e[:2]))
    old = [x for x in touched if x in ix]
    rows = len(dict.fromkeys([*zones, *old, *new]))
    per_edge, batch = kernel_costs(len(edge_list), rows, len(touched), len(zones))
    used = kernel if kernel != "auto" else ("batch" if batch < per_edge else "per-edge")
    if any(z not in ix for z in zones):  # a new zone: only the per-edge update handles it
        used = "per-edge"
    elif not edge_list:  # nothing to insert: the base's zone distances
        return (D.take(zones) if zone_block is None else zone_block.copy()), used
    if used == "per-edge" or not edge_list:
        S = list(dict.fromkeys([*(z for z in zones if z in ix), *old]))
        sub = NodeDistances(tuple(S), D.take(S), D.mode)
        return update_distances(sub, edge_list, new_nodes=new).take(list(zones)), used
    pos = {x: i for i, x in enumerate([*old, *[x for x in touched if x in new_set]])}
    zi = np.array([ix[z] for z in zones], dtype=np.int64)
    ki = np.array([ix[x] for x in old], dtype=np.int64)
    out = batch_update(
        D.d[np.ix_(zi, zi)] if zone_block is None else zone_block,
        D.d[np.ix_(zi, ki)],
        D.d[np.ix_(ki, zi)],
        D.d[np.ix_(ki, ki)],
        [(pos[a], pos[b], w) for a, b, w in edge_list],
        len(old),
    )
    return out, used


def _useful(D: NodeDistances, edges: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    r"""Drop edges between existing nodes no shorter than the base distance: they change nothing.

    With :math:`w \ge d_{ab}`, :math:`d_{ia} + w + d_{bj} \ge d_{ia} + d_{ab} + d_{bj} \ge
    d_{ij}`, in the base and after any other insertions (distances only decrease).
    """
    if not edges:
        return edges
    ix = D.index
    a = np.array([ix.get(e[0], -1) for e in edges], dtype=np.int64)
    b = np.array([ix.get(e[1], -1) for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=np.float64)
    old = (a >= 0) & (b >= 0)
    keep = ~old
    keep[old] = w[old] < D.d[a[old], b[old]]
    return [e for e, k in zip(edges, keep.tolist(), strict=True) if k]

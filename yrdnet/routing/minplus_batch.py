r"""Batch min-plus update of zone-to-zone distances for a set of added edges.

Where :func:`yrdnet.routing.incremental.update_distances` inserts added edges one at a time
(cost :math:`O(|E_{add}| \cdot |S|^2)`), this module inserts them all at once through the
set :math:`K` of their endpoints (cost :math:`O(|K|^3 + Z |K|^2 + Z^2 |K|)` for
:math:`Z` zones). A line's added rail edges join every pair of its stops, so
:math:`|E_{add}| \gg |K|` and the batch update is much cheaper; :func:`kernel_costs`
estimates both so the caller can pick.

References
----------
.. [1] Demetrescu, C. and Italiano, G. F. (2004). "A new approach to dynamic all pairs
   shortest paths." *Journal of the ACM* 51(6), 968-992.
   https://doi.org/10.1145/1039488.1039492
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["batch_update", "kernel_costs", "min_plus_closure"]


def kernel_costs(n_edges: int, n_rows: int, n_touched: int, n_zones: int) -> tuple[float, float]:
    """Element operations of the per-edge and of the batch update (``(per_edge, batch)``).

    Parameters
    ----------
    n_edges
        Added edges :math:`|E_{add}|`.
    n_rows
        Rows/columns the per-edge update runs on (:math:`|S|`: zones + touched nodes).
    n_touched
        Distinct endpoints of the added edges (:math:`|K|`).
    n_zones
        Zones :math:`Z`.
    """
    per_edge = float(n_edges) * n_rows * n_rows
    k = float(n_touched)
    batch = k**3 + n_zones * k * k + float(n_zones) * n_zones * k
    return per_edge, batch


def min_plus_closure(W: np.ndarray) -> np.ndarray:
    r"""All-pairs shortest distances of a small dense matrix (Floyd–Warshall, min-plus).

    :math:`C = W^{*}`: ``C[a, b]`` is the shortest walk ``a -> b`` over the arcs of ``W``
    (``inf`` = no arc; the diagonal must be 0). :math:`O(k^3)`, vectorised per pivot.
    """
    C = np.array(W, dtype=np.float64, copy=True)
    for m in range(C.shape[0]):
        np.minimum(C, C[:, m, None] + C[None, m, :], out=C)
    return C


def batch_update(
    T: np.ndarray,
    A: np.ndarray,
    B: np.ndarray,
    K_dist: np.ndarray,
    edges: Sequence[tuple[int, int, float]],
    n_old: int,
) -> np.ndarray:
    r"""Zone distances after inserting a batch of edges, through their endpoint set ``K``.

    Parameters
    ----------
    T
        ``Z x Z`` base distances between the zones (seconds; not modified).
    A
        ``Z x k_old``: base distances zone -> existing touched node.
    B
        ``k_old x Z``: base distances existing touched node -> zone.
    K_dist
        ``k_old x k_old``: base distances between the existing touched nodes.
    edges
        Added edges as ``(a, b, w)`` with ``a, b`` positions in ``K`` (existing touched
        nodes ``0..n_old-1`` first, then the new nodes), ``w >= 0`` seconds.
    n_old
        Number of existing touched nodes (``k_old``).

    Returns
    -------
    numpy.ndarray
        ``Z x Z`` distances of the base graph plus the edges (and the new nodes).

    Notes
    -----
    **Exactness.** Let :math:`H` be the base graph plus the new nodes, isolated, and
    :math:`H' = H + E_{add}`. Let :math:`W` on :math:`K` be :math:`d^H` (base distances
    between old nodes; ``inf`` to and from new nodes; ``0`` on the diagonal) lowered by
    the added edges, and :math:`C = W^{*}` its min-plus closure. Then for zones
    :math:`i, j` (old nodes)

    .. math::

        d^{H'}_{ij} = \min\Bigl(d^H_{ij},\; \min_{a, b \in K_{old}} d^H_{ia} + C_{ab}
        + d^H_{bj}\Bigr).

    (:math:`\ge`) A shortest path of :math:`H'` that uses no added edge has length
    :math:`\ge d^H_{ij}`. Otherwise let :math:`a` be the tail of its first added edge and
    :math:`b` the head of its last: the parts before :math:`a` and after :math:`b` lie in
    :math:`H`, so they are :math:`\ge d^H_{ia}` and :math:`\ge d^H_{bj}` (and :math:`a, b`
    are old, since new nodes are isolated in :math:`H` and :math:`i, j` are old); the
    part from :math:`a` to :math:`b` alternates added edges (each :math:`\ge` its
    :math:`W` entry) and :math:`H`-subpaths between nodes of :math:`K` (each :math:`\ge`
    the :math:`W` entry of its ends), so it is a walk over :math:`W`'s arcs and
    :math:`\ge C_{ab}`. (:math:`\le`) Every term is the length of a walk of :math:`H'`
    (weights are non-negative, so walks are no shorter than paths). Only origins with
    :math:`(A C)_{ib} < A_{ib}` can improve through :math:`b`: otherwise
    :math:`(AC)_{ib} + d_{bj} = d_{ib} + d_{bj} \ge d_{ij}`.

    **Floating point.** The sums are grouped as :math:`(d_{ia} + C_{ab}) + d_{bj}`, not
    from the origin as Dijkstra does; float64 results agree to a few units in the last
    place (see :func:`yrdnet.routing.incremental.update_distances`).
    """
    n_new = 1 + max((max(a, b) for a, b, _ in edges), default=-1) - n_old
    k = n_old + max(n_new, 0)
    W = np.full((k, k), np.inf)
    W[:n_old, :n_old] = K_dist
    W[np.arange(k), np.arange(k)] = 0.0
    if len(edges):
        ea, eb, ew = (np.asarray(x) for x in zip(*edges, strict=True))
        np.minimum.at(W, (ea.astype(np.int64), eb.astype(np.int64)), ew.astype(np.float64))
    C = min_plus_closure(W)[:n_old, :n_old]
    out = np.array(T, dtype=np.float64, copy=True)
    if n_old == 0:
        return out
    AC = _times_closure(A, C)
    _through(out, AC, A, B)
    return out


def _times_closure(A: np.ndarray, C: np.ndarray) -> np.ndarray:
    """``AC[i, b] = min_a A[i, a] + C[a, b]``, one ``a`` at a time (each sum as the (Z, k, k) form makes it)."""
    AC = A[:, 0, None] + C[0]
    tmp = np.empty_like(AC)
    for a in range(1, C.shape[0]):
        np.add(A[:, a, None], C[a], out=tmp)
        np.minimum(AC, tmp, out=AC)
    return AC


def _through(out: np.ndarray, AC: np.ndarray, A: np.ndarray, B: np.ndarray) -> None:
    """``out[i] = min(out[i], AC[i, b] + B[b])`` for every ``b`` and the origins ``i`` with ``AC[i, b] < A[i, b]``.

    A ``b`` most origins improve through is done densely (the others add ``inf``, which
    changes nothing), the rest on those origins' rows only.
    """
    better = np.ascontiguousarray((AC < A).T)
    ACT = np.ascontiguousarray(AC.T)
    full = np.empty_like(out)
    for b in range(A.shape[1]):
        rows = np.flatnonzero(better[b])
        if rows.size == 0:
            continue
        if 2 * rows.size >= out.shape[0]:
            np.add(np.where(better[b], ACT[b], np.inf)[:, None], B[b, None, :], out=full)
            np.minimum(out, full, out=out)
        else:
            out[rows] = np.minimum(out[rows], ACT[b, rows, None] + B[b, None, :])

"""Zone-to-zone travel times with scipy's compiled Dijkstra.

The graph is compiled once to CSR (:func:`yrdnet.convert.compile_graph`); many-to-many
times come from :func:`scipy.sparse.csgraph.dijkstra` run on chunks of origins so that
memory stays bounded (``settings.chunk_size`` origins x all nodes per call). Results are
float32 minutes.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from .convert import MODES, compile_graph
from .settings import settings

__all__ = ["UnreachableWarning", "node_distances", "travel_times", "unreachable_message"]

log = logging.getLogger(__name__)


class UnreachableWarning(UserWarning):
    """Some zone pairs cannot reach each other by the requested mode."""


def unreachable_message(T: pd.DataFrame, G: nx.MultiDiGraph, mode: str) -> str | None:
    """One line naming the cut-off zones of a travel-time matrix, or ``None`` if all connect.

    Cut-off zones are those in at least ``n - 1`` unreachable pairs (e.g. Zhoushan by rail);
    when no zone is cut off, every zone in an unreachable pair is named.
    """
    bad = ~np.isfinite(T.to_numpy())
    if not bad.any():
        return None
    codes = T.index.to_numpy()
    count = bad.sum(axis=0) + bad.sum(axis=1)
    cut = count >= len(codes) - 1
    chosen = codes[cut] if cut.any() else codes[count > 0]
    names = [f"{c} {G.nodes[f'zone:{c}'].get('name', '')}".strip() for c in sorted(chosen)]
    return f"{int(bad.sum())} of {bad.size} zone pairs are unreachable by {mode}; cut-off zones: {', '.join(names)}"


def node_distances(
    G: nx.MultiDiGraph,
    sources: Sequence[str],
    *,
    mode: str = "multimodal",
    targets: Sequence[str] | None = None,
    chunk_size: int | None = None,
) -> np.ndarray:
    """Shortest travel times in **seconds** from ``sources`` to ``targets`` (default all nodes).

    Returns a float64 array of shape ``(len(sources), len(targets))``; unreachable = inf.
    """
    cg = compile_graph(G)
    csr = cg.csr(mode)
    src = np.array([cg.index[s] for s in sources], dtype=np.int64)
    tgt = None if targets is None else np.array([cg.index[t] for t in targets], dtype=np.int64)
    chunk = chunk_size or settings.chunk_size
    ncol = len(cg.nodes) if tgt is None else len(tgt)
    out = np.empty((len(src), ncol), dtype=np.float64)
    for start in range(0, len(src), chunk):
        block = dijkstra(csr, directed=True, indices=src[start : start + chunk])
        out[start : start + chunk] = block if tgt is None else block[:, tgt]
    return out


def travel_times(
    G: nx.MultiDiGraph,
    mode: str = "multimodal",
    *,
    zones: Sequence[int] | None = None,
    chunk_size: int | None = None,
    warn_unreachable: bool = True,
) -> pd.DataFrame:
    """Door-to-door travel times between zones (city centres), in minutes.

    Parameters
    ----------
    G
        A graph meeting the yrdnet graph contract.
    mode
        ``"multimodal"`` (best over rail and road, including driving to a station of a
        neighbouring city), ``"rail"`` (rail with access/egress by urban road, no
        expressway) or ``"road"`` (expressway only).
    zones
        Adcodes to include (default every zone of ``G``), in that order.
    chunk_size
        Origins per Dijkstra call (default ``settings.chunk_size``).
    warn_unreachable
        Emit one :class:`UnreachableWarning` naming the zones involved in unreachable pairs.

    Returns
    -------
    pandas.DataFrame
        float32 minutes, index = origins, columns = destinations (adcodes), diagonal 0,
        ``inf`` where unreachable.

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> T = travel_times(mock_graph(), "road")
    >>> bool((T.to_numpy().diagonal() == 0).all())
    True
    """
    if mode not in MODES:
        msg = f"unknown mode {mode!r}; expected one of {list(MODES)}"
        raise ValueError(msg)
    cg = compile_graph(G)
    if zones is None:
        zn, codes = cg.zones, cg.zone_codes
    else:
        lookup = dict(zip(cg.zone_codes.tolist(), cg.zones, strict=False))
        unknown = [z for z in zones if int(z) not in lookup]
        if unknown:
            msg = f"unknown zone(s) {unknown}; the graph has zones {sorted(lookup)}"
            raise ValueError(msg)
        zn = [lookup[int(z)] for z in zones]
        codes = np.array([int(z) for z in zones], dtype=np.int64)
    log.info("routing %d zones by %s over %d nodes", len(zn), mode, len(cg.nodes))
    sec = node_distances(G, zn, mode=mode, targets=zn, chunk_size=chunk_size)
    T = pd.DataFrame(
        (sec / 60.0).astype(np.float32),
        index=pd.Index(codes, name="origin"),
        columns=pd.Index(codes, name="destination"),
    )
    if warn_unreachable:
        msg = unreachable_message(T, G, mode)
        if msg:
            warnings.warn(msg, UnreachableWarning, stacklevel=2)
    return T

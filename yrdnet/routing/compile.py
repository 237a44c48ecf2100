"""Convert graphs: to compiled CSR arrays for scipy routing, and to GeoDataFrames.

The CSR form is compiled once per graph (cached on a weak reference to the graph and
invalidated when its size changes); per-mode matrices are cheap masks of it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx
import numpy as np
import scipy.sparse as sp

from yrdnet.core.cache import register_cache
from yrdnet.core.errors import GraphContractError
from yrdnet.core.modes import EDGE_MODES, TRANSIT_MODES

__all__ = ["MODES", "CompiledGraph", "check_mode", "clear_cache", "compile_graph", "graph_to_gdfs", "min_csr"]

Mode = Literal["multimodal", "rail", "road"]
MODES: tuple[str, ...] = ("multimodal", "rail", "road")


def check_mode(mode: str) -> None:
    """Raise ValueError unless ``mode`` is one of :data:`MODES`."""
    if mode not in MODES:
        msg = f"unknown mode {mode!r}; expected one of {list(MODES)}"
        raise ValueError(msg)


@dataclass(frozen=True)
class CompiledGraph:
    """Arrays of a graph for scipy routing.

    Attributes
    ----------
    nodes : list of node ids, in matrix order
    index : dict node id -> matrix index
    u, v : int arrays of edge endpoints (one entry per edge, parallel edges included)
    w : float64 array of edge weights (seconds)
    mode : array of edge modes
    touches : array of the kind of the non-zone endpoint of access edges ('station' or
        'road'), '' for other edges
    zones : node ids of zones, sorted by zone id
    zone_codes : their ids (``zone:<id>``; the adcode for city and county zones)
    """

    nodes: list[str]
    index: dict[str, int]
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    mode: np.ndarray
    touches: np.ndarray
    zones: list[str]
    zone_codes: np.ndarray
    signature: tuple[int, int, float, float]
    _csr: dict[str, sp.csr_matrix] = field(default_factory=dict, repr=False, compare=False)

    def mask(self, mode: str) -> np.ndarray:
        """Boolean mask of the edges usable by a travel mode.

        ``"rail"`` is public transport: the edges of :data:`yrdnet.core.modes.TRANSIT_MODES`
        (rail services and suburban rail), transfers, and access to station halls;
        ``"road"`` is road links and access to road nodes.
        """
        if mode == "multimodal":
            return np.ones(len(self.w), dtype=bool)
        to_road = (self.mode == "access") & (self.touches == "road")
        if mode == "rail":
            transit = np.isin(self.mode, TRANSIT_MODES) | (self.mode == "transfer")
            return transit | ((self.mode == "access") & ~to_road)
        check_mode(mode)
        return (self.mode == "road") | to_road

    def csr(self, mode: str = "multimodal") -> sp.csr_matrix:
        """CSR matrix of travel times (s) for ``mode``; parallel edges keep their minimum.

        Built once per mode and compiled graph; each call returns a copy.
        """
        if mode not in self._csr:
            m = self.mask(mode)
            self._csr[mode] = min_csr(self.u[m], self.v[m], self.w[m], len(self.nodes))
        return self._csr[mode].copy()


def min_csr(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int) -> sp.csr_matrix:
    """An ``n x n`` CSR matrix of edge weights where parallel edges keep their minimum.

    (``scipy.sparse`` would sum duplicate entries.)
    """
    order = np.lexsort((w, v, u))
    u, v, w = u[order], v[order], w[order]
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    return sp.csr_matrix((w[first], (u[first], v[first])), shape=(n, n))


_CACHE: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[str, CompiledGraph]] = weakref.WeakKeyDictionary()


def clear_cache(G: nx.MultiDiGraph | None = None) -> None:
    """Forget compiled arrays of ``G`` (or of every graph).

    The cache notices added or removed nodes and edges and in-place edits of the weights
    (a checksum of them is part of its key); this frees the memory of a graph's arrays.
    """
    if G is None:
        _CACHE.clear()
    else:
        _CACHE.pop(G, None)


register_cache("routing.compile.compiled_graphs", clear_cache)


def compile_graph(G: nx.MultiDiGraph, weight: str = "travel_time") -> CompiledGraph:
    """Compile a contract graph to arrays for routing (cached per graph and weight).

    The cache is keyed on the graph object and invalidated when its number of nodes or
    edges or a checksum of the weights (sum and position-weighted sum) changes, so weights
    edited in place are seen.

    Raises
    ------
    GraphContractError
        If an edge lacks ``weight`` or has a negative or non-finite weight, or a node lacks
        ``kind``.
    """
    sig = _signature(G, weight)
    cached = _CACHE.get(G, {}).get(weight)
    if cached is not None and cached.signature == sig:
        return cached
    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    kinds = dict(G.nodes(data="kind"))
    missing = [n for n, k in kinds.items() if k is None]
    if missing:
        msg = f"{len(missing)} node(s) lack 'kind', e.g. {missing[:5]}"
        raise GraphContractError(msg)
    m = G.number_of_edges()
    u = np.empty(m, dtype=np.int64)
    v = np.empty(m, dtype=np.int64)
    w = np.empty(m, dtype=np.float64)
    mode = np.empty(m, dtype=object)
    touches = np.full(m, "", dtype=object)
    bad: list[str] = []
    for i, (a, b, d) in enumerate(G.edges(data=True)):
        u[i], v[i] = index[a], index[b]
        val = d.get(weight)
        if val is None or not np.isfinite(val) or val < 0:
            if len(bad) < 5:
                bad.append(f"({a!r}, {b!r}): {weight}={val!r}")
            w[i] = np.nan
        else:
            w[i] = float(val)
        mode[i] = d.get("mode", "")
        if mode[i] == "access":
            ka, kb = kinds[a], kinds[b]
            touches[i] = kb if ka == "zone" else ka
    if bad:
        msg = f"edges need a finite, non-negative {weight!r}; bad edges: {', '.join(bad)}"
        raise GraphContractError(msg)
    unknown = set(mode) - set(EDGE_MODES)
    if unknown:
        msg = f"unknown edge mode(s) {sorted(map(str, unknown))}; expected {list(EDGE_MODES)}"
        raise GraphContractError(msg)
    zones = sorted((n for n in nodes if kinds[n] == "zone"), key=_zone_code)
    codes = np.array([_zone_code(n) for n in zones], dtype=np.int64)
    cg = CompiledGraph(nodes, index, u, v, w, mode.astype(str), touches.astype(str), zones, codes, sig)
    _CACHE.setdefault(G, {})[weight] = cg
    return cg


def _signature(G: nx.MultiDiGraph, weight: str) -> tuple[int, int, float, float]:
    """Sizes plus a checksum of the weights: invalidates the cache after in-place edits."""
    # the adjacency dicts directly (G.edges order): about 3x faster than the edge view
    adj: dict[Any, Any] = G._adj  # type: ignore[attr-defined]
    raw: list[Any] = [d.get(weight) for nbrs in adj.values() for keyed in nbrs.values() for d in keyed.values()]
    if set(map(type, raw)) <= {float}:  # the usual case: one C-level conversion
        w = np.array(raw, dtype=np.float64)
    else:
        w = np.array([float(x) if isinstance(x, (int, float)) else np.nan for x in raw], dtype=np.float64)
    w = np.where(np.isfinite(w), w, -1.0)
    pos = np.arange(1, len(w) + 1, dtype=np.float64)
    return (G.number_of_nodes(), len(raw), float(w.sum()), float((w * pos).sum()))


def _zone_code(node: str) -> int:
    """The int id of a zone node ``zone:<id>``."""
    try:
        return int(str(node)[5:])
    except ValueError:
        msg = f"zone node {node!r}: id must be 'zone:<int>'"
        raise GraphContractError(msg) from None


def graph_to_gdfs(G: nx.MultiDiGraph):  # type: ignore[no-untyped-def]
    """Return ``(nodes, edges)`` GeoDataFrames of a contract graph (via ``osmnx.graph_to_gdfs``).

    Edges without a ``geometry`` get straight lines between their endpoints.
    """
    import osmnx as ox

    return ox.convert.graph_to_gdfs(G, nodes=True, edges=True, fill_edge_geometry=True)

"""Recorded graph edits, cached by content and replayed: one home for the road layers' caches.

A road layer (:mod:`yrdnet.network.county_roads`, :mod:`yrdnet.network.expressways`)
depends on its tables and model parameters only, not on the rail scenario, so it is
computed once per content: its nodes and edges are recorded as *ops*
(``("node", id, attrs)`` or ``("edge", u, v, attrs)``), kept in a small least-recently-used
cache under a digest of exactly those inputs, and replayed into each graph with the same
calls in the same order. networkx copies every attribute dict on ``add_node`` /
``add_edge``, so graphs never share one. Thread-safe (Dask workers may build graphs in
several threads).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import networkx as nx

from yrdnet.core.cache import register_cache

__all__ = ["Op", "OpCache", "both_ways"]

Op = tuple[Any, ...]  # ("node", id, attrs) or ("edge", u, v, attrs)


def both_ways(ops: list[Op], a: str, b: str, attrs: dict[str, Any]) -> None:
    """Record an edge ``a -> b`` and ``b -> a`` with the same attributes."""
    ops.append(("edge", a, b, attrs))
    ops.append(("edge", b, a, attrs))  # networkx copies attribute dicts on add_edge


class OpCache:
    """An LRU cache of recorded graph edits, registered with :func:`yrdnet.clear_caches`.

    Parameters
    ----------
    name
        The cache's name in the registry.
    size
        Entries kept (least recently used dropped).
    """

    def __init__(self, name: str, size: int = 8) -> None:
        self.size = size
        self._data: OrderedDict[bytes, tuple[tuple[Op, ...], dict[str, int]]] = OrderedDict()
        self._lock = threading.Lock()
        register_cache(name, self.clear)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)

    def apply(
        self,
        G: nx.MultiDiGraph,
        key: bytes | None,
        compute: Callable[[], tuple[list[Op], dict[str, int]]],
    ) -> dict[str, int]:
        """Replay the ops cached under ``key`` into ``G`` (computing them on a miss); return the counts.

        ``key=None`` computes without reading or filling the cache.
        """
        hit = None
        if key is not None:
            with self._lock:
                hit = self._data.get(key)
                if hit is not None:
                    self._data.move_to_end(key)
        if hit is None:
            ops, counts = compute()
            hit = (tuple(ops), dict(counts))
            if key is not None:
                with self._lock:
                    self._data[key] = hit
                    while len(self._data) > self.size:
                        self._data.popitem(last=False)
        for op in hit[0]:
            if op[0] == "node":
                G.add_node(op[1], **op[2])
            else:
                G.add_edge(op[1], op[2], **op[3])
        return dict(hit[1])

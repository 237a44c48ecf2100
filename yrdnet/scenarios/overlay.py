# mypy: disable-error-code="attr-defined"
# (networkx's adjacency dicts _node, _adj, _succ, _pred are edited here on purpose; its stubs do not declare them)
"""Copy-on-write copies of a base graph for one scenario (the base graph is never modified).

:func:`overlay` copies the adjacency of given nodes so that any edit there leaves the base
as it was; :func:`edit_copy` makes a given list of edits and copies only the dicts those
edits write, which is what a sweep needs for each scenario (:func:`lay_copy`: the scenario
graph of :func:`yrdnet.network.delta.lay_delta`). Both give the graph networkx's own
edits give, node and adjacency order included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from yrdnet.core.modes import Edge
from yrdnet.network.delta import GraphDelta, delta_edits, track_of

__all__ = ["delta_nodes", "edit_copy", "lay_copy", "overlay", "reorder_nodes"]


def delta_nodes(delta: GraphDelta) -> set[str]:
    """Nodes whose adjacency or attributes :func:`~yrdnet.network.delta.lay_delta` changes."""
    nodes = {n for n, _ in delta.new_nodes}
    for u, v in (*delta.pairs, *delta.suburban_pairs):
        nodes.update((u, v))
    for u, v, _ in (*delta.rail, *delta.access):
        nodes.update((u, v))
    return nodes


def overlay(G: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """A copy-on-write copy of ``G`` that may be edited at ``nodes`` only (``G`` stays untouched).

    The graph, node and adjacency dicts are copied one level down; the edge key dicts
    at ``nodes`` (both directions, each shared by its successor and predecessor entry
    as in networkx) are copied too, so adding or removing edges there or adding nodes
    leaves ``G`` as it was. Every other inner dict and every attribute dict is ``G``'s:
    treat those as read-only. Costs the touched nodes' degrees instead of a copy of
    the whole graph.
    """
    H = G.__class__()
    H.graph = dict(G.graph)
    H._node = dict(G._node)
    succ, pred = dict(G._succ), dict(G._pred)
    own_s: set[str] = set()
    own_p: set[str] = set()
    for n in nodes:
        if n not in succ:
            continue
        H._node[n] = dict(G._node[n])
        for out, back, own_out, own_back, base in (
            (succ, pred, own_s, own_p, G._succ),
            (pred, succ, own_p, own_s, G._pred),
        ):
            if n not in own_out:
                out[n] = dict(out[n])
                own_out.add(n)
            for m, keys in list(out[n].items()):
                if keys is base[n][m]:  # still the base's key dict: copy it for both directions
                    if m not in own_back:
                        back[m] = dict(back[m])
                        own_back.add(m)
                    out[n][m] = back[m][n] = dict(keys)
    H._adj = succ
    H._pred = pred
    return H


class _Editor:
    """Edits on a copy of ``G``'s top-level dicts, copying an inner dict before its first write."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.base = G
        self.H = G.__class__()
        self.H.graph = dict(G.graph)
        self.node = self.H._node = dict(G._node)
        self.succ = self.H._adj = dict(G._succ)
        self.pred = self.H._pred = dict(G._pred)
        self.own: set[tuple[int, str]] = set()  # (0, node): own successor dict, (1, node): own predecessor dict
        self.own_keys: set[tuple[str, str]] = set()

    def _mine(self, side: int, n: str) -> dict[str, dict[int, dict[str, Any]]]:
        adj = self.pred if side else self.succ
        if (side, n) not in self.own:
            adj[n] = dict(adj[n])
            self.own.add((side, n))
        return adj[n]

    def remove_pair(self, u: str, v: str) -> None:
        """Every edge ``u -> v`` (as removing each key with networkx does)."""
        if u in self.succ and v in self.succ[u]:
            del self._mine(0, u)[v]
            del self._mine(1, v)[u]

    def add_node(self, n: str, attrs: dict[str, Any]) -> None:
        """``add_nodes_from([(n, attrs)])``: a new node, or ``attrs`` onto a copy of the node's dict."""
        if n in self.node:
            self.node[n] = {**self.node[n], **attrs}
            return
        self.succ[n], self.pred[n], self.node[n] = {}, {}, dict(attrs)
        self.own.update(((0, n), (1, n)))

    def add_edge(self, u: str, v: str, attrs: dict[str, Any]) -> None:
        """``add_edges_from([(u, v, attrs)])``: the next free key, a new attribute dict."""
        for n in (u, v):
            if n not in self.succ:
                self.add_node(n, {})
        out = self._mine(0, u)
        keys = out.get(v)
        if keys is None:
            out[v] = self._mine(1, v)[u] = {0: dict(attrs)}
            self.own_keys.add((u, v))
            return
        if (u, v) not in self.own_keys:  # the base's key dict, shared by both directions
            keys = out[v] = self._mine(1, v)[u] = dict(keys)
            self.own_keys.add((u, v))
        k = len(keys)
        while k in keys:
            k += 1
        keys[k] = dict(attrs)

    def set_edge(self, u: str, v: str, key: int, attrs: dict[str, Any]) -> None:
        """Edge ``(u, v, key)`` gets a new attribute dict ``attrs`` (its place in the adjacency kept)."""
        out = self._mine(0, u)
        if (u, v) not in self.own_keys:
            out[v] = self._mine(1, v)[u] = dict(out[v])
            self.own_keys.add((u, v))
        out[v][key] = dict(attrs)


def edit_copy(
    G: nx.MultiDiGraph, remove: Iterable[tuple[str, str]], nodes: Iterable[tuple[str, dict[str, Any]]],
    edges: Iterable[Edge], *, replace: Iterable[tuple[str, str, int, dict[str, Any]]] = (),
) -> nx.MultiDiGraph:  # fmt: skip
    """A copy of ``G`` less every edge of the pairs ``remove``, plus ``nodes`` then ``edges`` (``G`` untouched).

    The graph networkx gives for ``remove_edge`` on each key of those pairs,
    ``add_nodes_from(nodes)`` and ``add_edges_from(edges)`` on a copy (node, adjacency and
    key order included), copying only the dicts those edits write: every other inner
    dict and attribute dict is ``G``'s (read-only). ``nodes`` and ``edges`` are read in
    order, after the removals; ``replace``: ``(u, v, key, attrs)`` of existing edges
    whose attribute dict becomes ``attrs`` (set before ``edges`` are added).
    """
    ed = _Editor(G)
    for u, v in remove:
        ed.remove_pair(u, v)
    for n, attrs in nodes:
        ed.add_node(n, attrs)
    for u, v, k, attrs in replace:
        ed.set_edge(u, v, k, attrs)
    for u, v, attrs in edges:
        ed.add_edge(u, v, attrs)
    return ed.H


def reorder_nodes(G: nx.MultiDiGraph, order: list[str]) -> None:
    """Put ``G``'s node, successor and predecessor dicts in ``order`` (its own top-level dicts, e.g. an edit_copy's)."""
    G._node = {n: G._node[n] for n in order}
    G._adj = {n: G._succ[n] for n in order}
    G._pred = {n: G._pred[n] for n in order}


def lay_copy(G: nx.MultiDiGraph, delta: GraphDelta) -> nx.MultiDiGraph:
    """``lay_delta(overlay(G, delta_nodes(delta)), delta)``, copying only what it writes (read-only)."""
    cleared, edges = delta_edits(G, delta)
    H = edit_copy(G, cleared, delta.new_nodes, edges)
    H.graph.update(delta.graph_attrs)
    H.graph["track"] = track_of(delta)
    return H

"""Attribute types of a graph: recorded before its attributes are written as text, restored after.

GraphML in OSMnx's format stores every attribute as text; :func:`graph_types` records
what each attribute was (``bool``, ``int``, ``float`` or ``str``), and
:func:`restore_types` converts the text back (:func:`yrdnet.core.io.load_graphml`).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx

__all__ = ["graph_types", "restore_types"]


def _to_bool(v: Any) -> bool:
    return v if isinstance(v, bool) else str(v) == "True"


_CONVERT: dict[str, Callable[[Any], Any]] = {"bool": _to_bool, "int": int, "float": float, "str": str}


def _type_name(v: Any) -> str | None:
    """``bool``, ``int``, ``float`` or ``str`` for a value GraphML can restore; else ``None``."""
    import numpy as np

    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, numbers.Integral):
        return "int"
    if isinstance(v, numbers.Real):
        return "float"
    return "str" if isinstance(v, str) else None


def _types_of(dicts: Iterator[dict[str, Any]]) -> dict[str, str]:
    """Each attribute's one type across ``dicts``; attributes of mixed or other types are left out."""
    seen: dict[str, str | None] = {}
    names: dict[type, str | None] = {}  # _type_name per Python type: one isinstance chain each
    for d in dicts:
        for k, v in d.items():
            t = names.get(type(v), "?")
            if t == "?":
                t = names[type(v)] = _type_name(v)
            if seen.setdefault(k, t) != t:
                seen[k] = None
    return {k: t for k, t in sorted(seen.items()) if t is not None}


def graph_types(G: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """Each graph, node and edge attribute's one type (``bool``, ``int``, ``float``, ``str``).

    Parameters
    ----------
    G
        The graph.

    Returns
    -------
    dict
        ``{"graph": {...}, "node": {...}, "edge": {...}}``, attribute name -> type name;
        attributes of mixed or other types are left out.
    """
    return {
        "graph": _types_of(iter([G.graph])),
        "node": _types_of(d for _, d in G.nodes(data=True)),
        "edge": _types_of(d for *_, d in G.edges(data=True)),
    }


def restore_types(G: nx.MultiDiGraph, types: dict[str, dict[str, str]]) -> None:
    """Convert ``G``'s attributes, read back as text, to the types :func:`graph_types` recorded.

    Parameters
    ----------
    G
        The graph, converted in place.
    types
        :func:`graph_types` of the graph that was written.
    """
    for kind, dicts in (("graph", [G.graph]), ("node", (d for _, d in G.nodes(data=True))),
                        ("edge", (d for *_, d in G.edges(data=True)))):  # fmt: skip
        conv = {k: _CONVERT[t] for k, t in types.get(kind, {}).items() if t in _CONVERT}
        for d in dicts:
            for k in d.keys() & conv.keys():
                d[k] = conv[k](d[k])

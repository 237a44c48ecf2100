"""What the two web maps share: layer names, rail colours, edge keys and coordinates.

The folium map (:mod:`yrdnet.viz.webmap`) and the self-contained SVG map
(:mod:`yrdnet.viz.svgmap`) draw the same layers from the same graph; this module is the
one home of how a graph's edges become map features, so neither imports the other.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np

from yrdnet.core.errors import GraphContractError

__all__ = ["LAYER_NAMES"]

#: Layer names shown in the layer control (the city layer adds the measure's name).
LAYER_NAMES = {
    "rail": "Rail network",
    "road": "Expressways",
    "cities": "Cities",
    "added": "Scenario additions",
    "boundaries": "City boundaries",
}
_RAIL_COLOURS = ((300.0, "#b2182b"), (250.0, "#ef6c00"), (0.0, "#2166ac"))


def _edge_key(u: Any, v: Any, d: dict[str, Any]) -> tuple[Any, ...]:
    return (frozenset((u, v)), d.get("mode"), d.get("line", d.get("route")))


def _track(G: nx.Graph) -> list[list[Any]] | None:
    """The track rows of a service graph (``G.graph["track"]``, see yrdnet.network.graph), else None."""
    import json

    raw = G.graph.get("track")
    return [list(r) for r in json.loads(raw)] if raw else None


def _added(G: nx.MultiDiGraph, added: nx.MultiDiGraph | Iterable[Any] | None) -> set[tuple[Any, ...]]:
    """Keys of the edges of ``G`` to highlight as scenario additions."""
    if added is None:
        return set()
    if isinstance(added, nx.Graph):  # a base graph: additions are edges of G not in it
        base = {_edge_key(u, v, d) for u, v, d in added.edges(data=True)}
        return {k for u, v, d in G.edges(data=True) if (k := _edge_key(u, v, d)) not in base}
    keys = set()
    for e in added:
        u, v = e[0], e[1]
        if not G.has_edge(u, v):
            msg = f"added edge {(u, v)} is not in the graph"
            raise GraphContractError(msg)
        datas = [G.edges[u, v, e[2]]] if len(e) > 2 else list(G.get_edge_data(u, v).values())
        keys |= {_edge_key(u, v, d) for d in datas}
    return keys


def _coords(G: nx.MultiDiGraph, u: Any, v: Any, d: dict[str, Any]) -> list[list[float]]:
    geom = d.get("geometry")
    if geom is not None:
        return [[float(y), float(x)] for x, y, *_ in geom.coords]
    nu, nv = G.nodes[u], G.nodes[v]
    return [[float(nu["y"]), float(nu["x"])], [float(nv["y"]), float(nv["x"])]]


def _rail_colour(speed: float) -> str:
    for lo, colour in _RAIL_COLOURS:
        if speed >= lo:
            return colour
    return _RAIL_COLOURS[-1][1]


def _fmt(v: Any) -> str:
    if isinstance(v, float | np.floating):
        return "–" if not np.isfinite(v) else f"{v:,.4g}"
    return html.escape(str(v))

"""The edge-mode vocabulary of the graph contract: the one home of what an edge's ``mode`` may be.

Every edge of a graph meeting the yrdnet contract carries a ``mode``:

* ``rail`` — a rail service level between two station halls (:mod:`yrdnet.network.services`);
* ``suburban`` — suburban and cross-boundary urban rail (metro, suburban railway and
  intercity-metro lines) between two station halls (:mod:`yrdnet.network.suburban`);
* ``road`` — an expressway or local road link between road nodes;
* ``access`` — a zone to a station hall or road node and back;
* ``transfer`` — through-running or a change of platform inside a station (OSM graphs).

The compiler (:func:`yrdnet.routing.compile.compile_graph`) and the contract check
(:func:`yrdnet.testing.assert_graph_contract`) read :data:`EDGE_MODES`; rail routing
(``CompiledGraph.mask("rail")``) uses the public-transport modes :data:`TRANSIT_MODES`,
road routing neither.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EDGE_MODES", "TRANSIT_MODES", "Edge"]

#: An edge of the contract as networkx adds it: ``(u, v, attributes)`` (``attributes["mode"]`` in :data:`EDGE_MODES`).
Edge = tuple[str, str, dict[str, Any]]

#: Every edge mode a graph of the contract may hold.
EDGE_MODES: tuple[str, ...] = ("rail", "suburban", "road", "access", "transfer")

#: Public-transport edges between station halls: what the ``"rail"`` travel mode rides on.
TRANSIT_MODES: tuple[str, ...] = ("rail", "suburban")

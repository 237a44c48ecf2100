"""Routing: graphs compiled to CSR, travel-time matrices, exact incremental updates.

Compiling a graph of the contract to CSR arrays and GeoDataFrames
(:mod:`~yrdnet.routing.compile`), zone-to-zone and station-to-station travel times and the
legs of one trip (:mod:`~yrdnet.routing.matrices`), and the exact min-plus updates for
added edges (:mod:`~yrdnet.routing.incremental`, :mod:`~yrdnet.routing.minplus`,
:mod:`~yrdnet.routing.minplus_batch`). Imports the wings from :mod:`yrdnet.network` down.
The names of 0.1's ``yrdnet.routing`` module are re-exported here.
"""

from typing import Any

from yrdnet.core.deprecation import forward_attribute
from yrdnet.routing.matrices import UnreachableWarning as UnreachableWarning
from yrdnet.routing.matrices import node_distances as node_distances
from yrdnet.routing.matrices import station_times as station_times
from yrdnet.routing.matrices import travel_times as travel_times
from yrdnet.routing.matrices import trip_breakdown as trip_breakdown
from yrdnet.routing.matrices import unreachable_message as unreachable_message

__all__ = [
    "UnreachableWarning",
    "node_distances",
    "station_times",
    "travel_times",
    "trip_breakdown",
    "unreachable_message",
]


def __getattr__(name: str) -> Any:
    """Names of 0.1's ``yrdnet.routing`` module not listed above (PEP 562), with a DeprecationWarning."""
    return forward_attribute(__name__, "yrdnet.routing.matrices", name)

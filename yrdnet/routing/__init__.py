"""Routing: graphs compiled to CSR, travel-time matrices, exact incremental updates.

Compiling a graph of the contract to CSR arrays and GeoDataFrames
(:mod:`~yrdnet.routing.compile`), zone-to-zone and station-to-station travel times and the
legs of one trip (:mod:`~yrdnet.routing.matrices`), and the exact min-plus updates for
added edges (:mod:`~yrdnet.routing.incremental`, :mod:`~yrdnet.routing.minplus`,
:mod:`~yrdnet.routing.minplus_batch`), and routing on OSM-scale road graphs held as arrays
(:mod:`~yrdnet.routing.large`: spatial renumbering, float32, origin chunks). Imports the
wings from :mod:`yrdnet.network` down.
The names of 0.1's ``yrdnet.routing`` module are re-exported here.
"""

from typing import Any

from yrdnet.core.deprecation import forward_attribute
from yrdnet.routing.large import LargeGraphOptions as LargeGraphOptions
from yrdnet.routing.large import RoadGraph as RoadGraph
from yrdnet.routing.large import chunk_size_for as chunk_size_for
from yrdnet.routing.large import od_to_all as od_to_all
from yrdnet.routing.large import road_graph as road_graph
from yrdnet.routing.large import road_graph_from_networkx as road_graph_from_networkx
from yrdnet.routing.large import spatial_order as spatial_order
from yrdnet.routing.large import zone_matrix as zone_matrix
from yrdnet.routing.matrices import UnreachableWarning as UnreachableWarning
from yrdnet.routing.matrices import node_distances as node_distances
from yrdnet.routing.matrices import station_times as station_times
from yrdnet.routing.matrices import travel_times as travel_times
from yrdnet.routing.matrices import trip_breakdown as trip_breakdown
from yrdnet.routing.matrices import unreachable_message as unreachable_message

__all__ = [
    "LargeGraphOptions",
    "RoadGraph",
    "UnreachableWarning",
    "chunk_size_for",
    "node_distances",
    "od_to_all",
    "road_graph",
    "road_graph_from_networkx",
    "spatial_order",
    "station_times",
    "travel_times",
    "trip_breakdown",
    "unreachable_message",
    "zone_matrix",
]


def __getattr__(name: str) -> Any:
    """Names of 0.1's ``yrdnet.routing`` module not listed above (PEP 562), with a DeprecationWarning."""
    return forward_attribute(__name__, "yrdnet.routing.matrices", name)

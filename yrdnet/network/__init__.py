"""Network: building the multimodal graph of the graph contract.

Rail track (:mod:`~yrdnet.network.track`), services and their stopping patterns
(:mod:`~yrdnet.network.services`, :mod:`~yrdnet.network.service_levels`), suburban and
cross-boundary urban rail (:mod:`~yrdnet.network.suburban`), station access
(:mod:`~yrdnet.network.station_access`), the county road approximation
(:mod:`~yrdnet.network.county_roads`), the curated graph builder
(:mod:`~yrdnet.network.graph`), OpenStreetMap readers (:mod:`~yrdnet.network.osm`) and
exact graph deltas for add-only scenarios (:mod:`~yrdnet.network.delta`). Imports
:mod:`yrdnet.core` and :mod:`yrdnet.region`.
"""

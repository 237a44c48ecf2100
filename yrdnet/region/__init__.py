"""Region: the study area and its data.

The :class:`~yrdnet.Region` (:mod:`~yrdnet.region.region`) is the study area in one
object: its zone levels, cities, core and sub-centres, metros, targets, airports and
bounding box; the YRD is the shipped one (:func:`~yrdnet.load_region`, from
``data/region.toml``, :mod:`~yrdnet.region.spec`). Where the shipped data live and how they
are loaded and checked (:mod:`~yrdnet.region.datasets`), boundaries
(:mod:`~yrdnet.region.boundaries`) and the zones every trip starts and ends at
(:mod:`~yrdnet.region.zones`). Imports only :mod:`yrdnet.core`.
"""

"""Region: the study area and its data.

Where the shipped data live and how they are loaded and checked
(:mod:`~yrdnet.region.datasets`), boundaries (:mod:`~yrdnet.region.boundaries`) and the
zones every trip starts and ends at (:mod:`~yrdnet.region.zones`). Imports only
:mod:`yrdnet.core`.
"""

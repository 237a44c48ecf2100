"""Metrics: pure functions of travel-time matrices, zones and parameters.

Accessibility, centrality, polycentricity, integration, equity, the structure index,
hierarchy, hinterland and airports: each function carries its formula and references in
its docstring and never mutates its inputs. Imports :mod:`yrdnet.core` and (centrality's
graph compilation) :mod:`yrdnet.routing`; never a scenario or an analysis.
"""

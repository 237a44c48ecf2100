"""Viz: what a person looks at.

Static maps (:mod:`~yrdnet.viz.plot`) on a shared map frame (:mod:`~yrdnet.viz.mapframe`),
interactive web maps (:mod:`~yrdnet.viz.webmap`) and charts of plans and sensitivity
(:mod:`~yrdnet.viz.plan_charts`). Imports :mod:`yrdnet.plans` and the wings below it.
"""

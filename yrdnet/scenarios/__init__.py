"""Scenarios: a base network plus edits, checked, built and routed.

Scenario files and their edits (:mod:`~yrdnet.scenarios.scenario`), the checks that
report every problem of a file together (:mod:`~yrdnet.scenarios.checks`) and prepared
bases that evaluate add-only scenarios incrementally
(:mod:`~yrdnet.scenarios.prepared_base`). Imports the wings from :mod:`yrdnet.routing`
down.
"""

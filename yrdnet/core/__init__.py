"""Core: what every stage shares and nothing else.

The exception hierarchy (:mod:`~yrdnet.core.errors`), the model and metric parameters
(:mod:`~yrdnet.core.params`), runtime settings (:mod:`~yrdnet.core.settings`), the atomic
writer of result folders (:mod:`~yrdnet.core.io`), geodesy (:mod:`~yrdnet.core.geodesy`),
the result-column key formatter (:mod:`~yrdnet.core.keys`), the edge-mode vocabulary of
the graph contract (:mod:`~yrdnet.core.modes`), optional imports
(:mod:`~yrdnet.core.optional`), collect-then-raise validation and the one "did you mean"
hint (:mod:`~yrdnet.core.validation`), the cache registry and on-disk cache
(:mod:`~yrdnet.core.cache`) and callable modules (:mod:`~yrdnet.core.callable_module`).
The lowest wing: it imports no other wing of yrdnet.
"""

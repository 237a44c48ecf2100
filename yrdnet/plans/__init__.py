"""Plans: many scenarios at once.

Sweeps of scenarios in process or on Dask (:mod:`~yrdnet.plans.sweep`,
:mod:`~yrdnet.plans.sweep_eval`), the best package of projects within a budget
(:mod:`~yrdnet.plans.best_plan`), model uncertainty with Sobol indices
(:mod:`~yrdnet.plans.uncertainty`, :mod:`~yrdnet.plans.sobol`) and the robustness of
conclusions to metric choices (:mod:`~yrdnet.plans.metric_choices`). Imports
:mod:`yrdnet.analysis` and the wings below it.
"""

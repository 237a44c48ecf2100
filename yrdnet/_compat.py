"""The module paths of yrdnet 0.1, kept importing for a release with a DeprecationWarning.

yrdnet 0.2 grouped its 64 flat modules into wings by stage (``docs/architecture.md``).
``import yrdnet.accessibility`` or ``from yrdnet.sweep import package_scenario`` still
work: a finder on :data:`sys.meta_path` answers each old path in :data:`OLD_PATHS` with
the module now holding its contents (the same module object, so monkeypatching either
name patches both) and warns once per import. The wings that took an old module's name
(``timetable``, ``routing``, ``analysis``, ``cli``) re-export it themselves.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from collections.abc import Sequence
from typing import Any

__all__ = ["OLD_PATHS", "install"]

#: ``yrdnet.<old>`` of 0.1 -> the module that holds its contents in 0.2.
OLD_PATHS: dict[str, str] = {
    "_assemble": "yrdnet.analysis.steps",
    "_assemble_cities": "yrdnet.analysis.city_steps",
    "_callable": "yrdnet.core.callable_module",
    "_cli_plans": "yrdnet.cli.plan_commands",
    "_errors": "yrdnet.core.errors",
    "_geo": "yrdnet.core.geodesy",
    "_incremental_base": "yrdnet.scenarios.prepared_base",
    "_incremental_batch": "yrdnet.routing.minplus_batch",
    "_incremental_core": "yrdnet.routing.minplus",
    "_incremental_graph": "yrdnet.network.delta",
    "_keys": "yrdnet.core.keys",
    "_mapframe": "yrdnet.viz.mapframe",
    "_optional": "yrdnet.core.optional",
    "_registry": "yrdnet.analysis.registry",
    "_roadnet": "yrdnet.network.county_roads",
    "_scenario_checks": "yrdnet.scenarios.checks",
    "_sensitivity": "yrdnet.plans.sobol",
    "_service_levels": "yrdnet.network.service_levels",
    "_sweep_eval": "yrdnet.plans.sweep_eval",
    "_validate": "yrdnet.core.validation",
    "accessibility": "yrdnet.metrics.accessibility",
    "airports": "yrdnet.metrics.airports",
    "best_plan": "yrdnet.plans.best_plan",
    "boundaries": "yrdnet.region.boundaries",
    "centrality": "yrdnet.metrics.centrality",
    "compare": "yrdnet.analysis.compare",
    "composite": "yrdnet.analysis.composite",
    "convert": "yrdnet.routing.compile",
    "datasets": "yrdnet.region.datasets",
    "equity": "yrdnet.metrics.equity",
    "graph": "yrdnet.network.graph",
    "gtfs": "yrdnet.timetable.gtfs",
    "hierarchy": "yrdnet.metrics.hierarchy",
    "hinterland": "yrdnet.metrics.hinterland",
    "incremental": "yrdnet.scenarios.incremental",
    "indicators": "yrdnet.analysis.indicators",
    "integration": "yrdnet.metrics.integration",
    "io": "yrdnet.core.io",
    "model_uncertainty": "yrdnet.plans.uncertainty",
    "osm": "yrdnet.network.osm",
    "params": "yrdnet.core.params",
    "plan_plots": "yrdnet.viz.plan_charts",
    "plot": "yrdnet.viz.plot",
    "polycentricity": "yrdnet.metrics.polycentricity",
    "report": "yrdnet.cli.report",
    "results": "yrdnet.analysis.results",
    "scenario": "yrdnet.scenarios.scenario",
    "services": "yrdnet.network.services",
    "settings": "yrdnet.core.settings",
    "station_access": "yrdnet.network.station_access",
    "structure": "yrdnet.metrics.structure",
    "sweep": "yrdnet.plans.sweep",
    "targets": "yrdnet.analysis.targets",
    "track": "yrdnet.network.track",
    "uncertainty": "yrdnet.plans.uncertainty",
    "webmap": "yrdnet.viz.webmap",
    "zones": "yrdnet.region.zones",
}


class _OldPathLoader(importlib.abc.Loader):
    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        warnings.warn(
            f"{spec.name} moved to {self.new} in yrdnet 0.2; import it from there "
            "(or use the flat API, yrdnet.<name>); the old path goes in a later release",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(self.new)

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the new module is already imported."""


class _OldPathFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        prefix, _, old = fullname.partition(".")
        if prefix != "yrdnet" or old not in OLD_PATHS:
            return None
        return importlib.machinery.ModuleSpec(fullname, _OldPathLoader(OLD_PATHS[old]))


class _Package(types.ModuleType):
    """The ``yrdnet`` package: importing an old path never replaces a flat-API function.

    Python binds a submodule to its parent's attribute after importing it; for old paths
    named like a function of the flat API (``yrdnet.targets``, ``yrdnet.compare``) that
    would turn ``yrdnet.targets(...)`` into a module.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        current = self.__dict__.get(name)
        if (
            name in OLD_PATHS
            and isinstance(value, types.ModuleType)
            and current is not None
            and not isinstance(current, types.ModuleType)
        ):
            return
        super().__setattr__(name, value)


def install(package: str = "yrdnet") -> None:
    """Answer the old module paths of ``package`` (idempotent)."""
    if not any(isinstance(f, _OldPathFinder) for f in sys.meta_path):
        sys.meta_path.append(_OldPathFinder())
    sys.modules[package].__class__ = _Package

"""The package's shape (issue 17): wings by stage, old paths kept for a release, a flat API.

The import-linter contract in pyproject.toml (run by ``make test``) holds the layers; these
tests hold the rest: every module path of yrdnet 0.1 still imports (with a
DeprecationWarning) as the very module that now holds its contents, every name of the
flat API resolves without a warning, each wing says its role, no private name crosses a
wing, and no import circle exists even counting imports inside functions.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import types
import warnings
from pathlib import Path

import pytest

import yrdnet
from yrdnet._compat import OLD_PATHS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import import_graph  # noqa: E402

#: Every module of yrdnet 0.1 (the flat layout), listed by hand: the test fails if one is forgotten.
OLD_MODULES = [
    "_assemble",
    "_assemble_cities",
    "_callable",
    "_cli_plans",
    "_errors",
    "_geo",
    "_incremental_base",
    "_incremental_batch",
    "_incremental_core",
    "_incremental_graph",
    "_keys",
    "_mapframe",
    "_optional",
    "_registry",
    "_roadnet",
    "_scenario_checks",
    "_sensitivity",
    "_service_levels",
    "_sweep_eval",
    "_validate",
    "accessibility",
    "airports",
    "analysis",
    "best_plan",
    "boundaries",
    "centrality",
    "cli",
    "compare",
    "composite",
    "convert",
    "datasets",
    "equity",
    "graph",
    "gtfs",
    "hierarchy",
    "hinterland",
    "incremental",
    "indicators",
    "integration",
    "io",
    "model_uncertainty",
    "osm",
    "params",
    "plan_plots",
    "plot",
    "polycentricity",
    "report",
    "results",
    "routing",
    "scenario",
    "services",
    "settings",
    "station_access",
    "structure",
    "sweep",
    "targets",
    "testing",
    "timetable",
    "track",
    "uncertainty",
    "webmap",
    "zones",
]
#: Old modules whose name is now a wing (a package re-exporting the old module's names).
WING_NAMED = {"analysis", "cli", "routing", "timetable"}
#: Old modules that kept their path.
KEPT = {"testing"}


def _import_old(name: str) -> tuple[types.ModuleType, list[warnings.WarningMessage]]:
    """Import ``yrdnet.<name>`` afresh as a 0.1 script would, recording warnings."""
    sys.modules.pop(f"yrdnet.{name}", None)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        module = importlib.import_module(f"yrdnet.{name}")
    return module, got


def test_every_old_module_is_mapped() -> None:
    assert set(OLD_MODULES) == set(OLD_PATHS) | WING_NAMED | KEPT


@pytest.mark.parametrize("name", sorted(OLD_PATHS))
def test_old_path_imports_the_new_module_with_a_deprecation_warning(name: str) -> None:
    before = getattr(yrdnet, name, None)
    module, got = _import_old(name)
    try:
        assert module is importlib.import_module(OLD_PATHS[name])
        dep = [w for w in got if issubclass(w.category, DeprecationWarning)]
        assert len(dep) == 1, [str(w.message) for w in got]
        assert OLD_PATHS[name] in str(dep[0].message)
        # importing an old path never turns a flat-API function into a module
        if before is not None and not isinstance(before, types.ModuleType):
            assert getattr(yrdnet, name) is before
    finally:
        sys.modules.pop(f"yrdnet.{name}", None)


def test_from_old_path_import_names_works() -> None:
    code = (
        "import warnings; warnings.simplefilter('error', DeprecationWarning)\n"
        "try:\n    from yrdnet.sweep import package_scenario\nexcept DeprecationWarning as e:\n    print('warned', e)\n"
        "warnings.simplefilter('ignore')\n"
        "from yrdnet.accessibility import potential_accessibility\nfrom yrdnet._assemble import CORE\n"
        "import yrdnet.targets, yrdnet\nprint(callable(yrdnet.targets), type(yrdnet.targets).__name__, CORE)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "warned yrdnet.sweep moved to yrdnet.plans.sweep" in r.stdout
    assert "True function 310000" in r.stdout


@pytest.mark.parametrize("name", sorted(WING_NAMED))
def test_wing_named_like_an_old_module_keeps_its_names(name: str) -> None:
    old_public = {
        "analysis": ["analyze", "timeline", "STEPS", "CORE", "SUBCENTRES", "aggregate_to_cities"],
        "cli": ["main"],
        "routing": ["travel_times", "station_times", "trip_breakdown", "UnreachableWarning", "node_distances"],
        "timetable": ["read_gtfs", "pair_table", "earliest_arrival", "Timetable", "TimetableParams"],
    }[name]
    wing = importlib.import_module(f"yrdnet.{name}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for attr in old_public:
            assert getattr(wing, attr) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        wing.nope  # noqa: B018


def test_a_private_name_of_an_old_wing_named_module_warns() -> None:
    with pytest.warns(DeprecationWarning, match="yrdnet.routing._part moved to yrdnet.routing.matrices._part"):
        assert callable(yrdnet.routing._part)


def test_flat_api_resolves_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in yrdnet.__all__:
            assert getattr(yrdnet, name) is not None, name
    for name in ("sweep", "best_plan", "uncertainty"):
        assert callable(getattr(yrdnet, name)), name
    assert yrdnet.uncertainty.conclusion_robustness is not None


WINGS = import_graph.WINGS


@pytest.mark.parametrize("wing", WINGS)
def test_each_wing_says_its_role(wing: str) -> None:
    doc = importlib.import_module(f"yrdnet.{wing}").__doc__ or ""
    summary, _, body = doc.partition("\n\n")
    assert summary.strip() and len(body.split()) >= 25, f"yrdnet.{wing} needs a paragraph on its role"


def test_no_private_name_crosses_a_wing() -> None:
    crossings = []
    for path in sorted((ROOT / "yrdnet").rglob("*.py")):
        mod = import_graph.module_name(path)
        wing = import_graph.wing_of(mod)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("yrdnet."):
                target = import_graph.wing_of(node.module)
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private and target != wing:
                    crossings.append(f"{mod}: from {node.module} import {', '.join(private)}")
    assert not crossings


def test_no_circles_and_no_upward_imports_even_inside_functions() -> None:
    for in_functions in (False, True):
        s = import_graph.summary(in_functions=in_functions)
        assert s["circles"] == [] and s["upward_imports"] == [], s

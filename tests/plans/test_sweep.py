"""yrdnet.sweep: many scenarios into one table, checked against analyze() run one by one."""

from __future__ import annotations

import math
import sys

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    import tomli as tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yrdnet.analysis.composite import composite_index
from yrdnet.analysis.pipeline import analyze
from yrdnet.core.params import MetricParams
from yrdnet.plans.sweep import HEADLINE, available_indicators, candidate_projects, package_scenario, sweep
from yrdnet.region.datasets import data_folder
from yrdnet.routing.compile import MODES
from yrdnet.routing.matrices import travel_times
from yrdnet.scenarios.scenario import Scenario, build_graph, load_scenario

SCENARIOS = ["north_yangtze_hsr", "baseline_2010"]  # incremental on baseline_2025; full (base "baseline")
KEYS = ["composite_index", "mean_watt_pop_rail", "uci", "dominance_core", "core_link_equivalent_time_min"]


@pytest.fixture(scope="module")
def swept() -> pd.DataFrame:
    return sweep(SCENARIOS, indicators=KEYS, progress=False)


@pytest.fixture(scope="module")
def separately() -> dict[str, object]:
    """analyze() of each scenario alone, defaults (betweenness included), plus the composite's references.

    With the sweep's city potential (Rich's internal time, ``sweep_params``): a sweep routes
    only the city graph.
    """
    p = MetricParams(city_potential="rich")
    return {name: analyze(name, sensitivity_samples=1, params=p) for name in [*SCENARIOS, "plan_2035"]}


def test_table_shape_and_provenance(swept: pd.DataFrame) -> None:
    assert list(swept.columns) == [
        "scenario", "indicator", "value", "unit", "label", "zones", "base", "method", "seconds", "status", "error",
    ]  # fmt: skip
    assert list(swept["scenario"]) == [s for s in SCENARIOS for _ in KEYS]
    assert list(swept["indicator"]) == KEYS * len(SCENARIOS)
    assert (swept["status"] == "ok").all() and (swept["error"] == "").all()
    by = swept.drop_duplicates("scenario").set_index("scenario")
    # projects on baseline_2025 reuse its matrices; baseline_2020 is on the bare baseline: full routing
    assert by.loc["north_yangtze_hsr", "method"] == "incremental"
    assert by.loc["north_yangtze_hsr", "base"] == "baseline_2025"
    assert by.loc["baseline_2010", "method"] == "full"
    assert by.loc["baseline_2010", "base"] == "baseline_2010"
    assert (swept["zones"] == "city").all() and (swept["seconds"] > 0).all()
    row = swept[swept["indicator"] == "mean_watt_pop_rail"].iloc[0]
    assert row["unit"] == "min" and row["label"] == "mean WATT by rail"


@pytest.mark.slow
def test_values_equal_analyze_one_by_one(swept: pd.DataFrame, separately: dict[str, object]) -> None:
    for name in SCENARIOS:
        res = separately[name]
        got = swept[swept["scenario"] == name].set_index("indicator")["value"]
        for k in ("mean_watt_pop_rail", "uci", "dominance_core"):
            assert got[k] == res.region.loc[k, "value"], (name, k)  # type: ignore[attr-defined]
        # the composite against the composite module: the default scores each scenario alone
        comp = composite_index([separately["baseline_2010"], separately["plan_2035"], res])
        assert got["composite_index"] == pytest.approx(comp.index.loc[name, "composite_index"], rel=1e-12)
        raw = comp.dashboard.loc[(name, "intercity_linkage"), "raw"]
        assert got["core_link_equivalent_time_min"] == pytest.approx(raw, rel=1e-12)


def test_betweenness_rows_equal_analyze_with_centrality(separately: dict[str, object]) -> None:
    keys = ["entropy_betweenness", "core_rank_gravity_betweenness", "uci"]
    t = sweep(["north_yangtze_hsr"], indicators=keys, progress=False).set_index("indicator")
    res = separately["north_yangtze_hsr"]
    for k in keys:
        assert t.loc[k, "value"] == res.region.loc[k, "value"], k  # type: ignore[attr-defined]


@pytest.mark.slow
def test_incremental_rows_equal_full_rows() -> None:
    # a slow-down on a scenario base is not an addition: routed in full even when incremental
    slower = Scenario(
        name="slower", base=load_scenario("baseline_2025"),
        edits=[{"op": "set_speed", "line": "shanghai_nanjing_intercity", "speed_kph": 160}],
    )  # fmt: skip
    names, keys = ["nanjing_huaian", "jinhua_jiande_complete"], ["mean_watt_pop_road", "uci", "global_efficiency_rail"]
    inc = sweep([*names, slower], indicators=keys, progress=False)
    full = sweep([*names, slower], indicators=keys, progress=False, incremental=False)
    assert list(inc.drop_duplicates("scenario")["method"]) == ["incremental", "incremental", "full"]
    assert list(inc.drop_duplicates("scenario")["base"]) == ["baseline_2025", "baseline_2025", "slower"]
    assert (full["method"] == "full").all() and list(full["base"].unique()) == [*names, "slower"]
    cols = ["scenario", "indicator", "value", "unit", "label", "zones", "status", "error"]
    pd.testing.assert_frame_equal(inc[cols], full[cols])


@pytest.mark.slow
def test_county_level_and_a_row_not_produced_there() -> None:
    keys = ["potential_ratio_districts_to_counties", "mean_watt_pop_multimodal", "rank_size_slope_betweenness"]
    t = sweep(["ningbo_zhoushan"], zones="county", indicators=keys, progress=False).set_index("indicator")
    res = analyze("ningbo_zhoushan", zones="county", centrality=False)
    assert (t["method"] == "incremental").all() and (t["zones"] == "county").all()
    for k in keys[:2]:
        assert t.loc[k, "value"] == res.region.loc[k, "value"]
        assert t.loc[k, "status"] == "ok"
    # the betweenness size rows exist only at city level: a failed row with NaN, not a number
    assert t.loc[keys[2], "status"] == "failed" and math.isnan(t.loc[keys[2], "value"])
    assert "no region row" in t.loc[keys[2], "error"]


def test_failed_scenarios_are_rows(tmp_path: Path) -> None:
    bad_line = Scenario(
        name="ghost_line", base=load_scenario("baseline_2025"), edits=[{"op": "open_line", "line": "no_such_line"}]
    )
    broken = tmp_path / "broken.toml"
    broken.write_text('[scenario]\nname = "broken"\nbase = "baseline_2025"\n[[edits]\nop = ', encoding="utf-8")
    t = sweep([bad_line, "chaohu_maanshan", broken, "nowhere_scenario"], indicators=["uci"], progress=False)
    assert list(t["scenario"]) == ["ghost_line", "chaohu_maanshan", "broken", "nowhere_scenario"]
    assert list(t["status"]) == ["failed", "ok", "failed", "failed"]
    assert "no_such_line" in t["error"].iloc[0]
    assert "not valid TOML" in t["error"].iloc[2]
    assert "unknown scenario" in t["error"].iloc[3]
    assert t["value"].iloc[1] == analyze("chaohu_maanshan", centrality=False).region.loc["uci", "value"]
    assert t["value"].isna().tolist() == [True, False, True, True]


def test_bad_indicators_and_zones() -> None:
    with pytest.raises(ValueError, match=r"mean_watt_pop_multimodel.*closest valid: mean_watt_pop_multimodal"):
        sweep(["chaohu_maanshan"], indicators=["mean_watt_pop_multimodel"], progress=False)
    with pytest.raises(ValueError, match="indicators is empty"):
        sweep(["chaohu_maanshan"], indicators=[], progress=False)
    with pytest.raises(ValueError, match="zones must be one of"):
        sweep(["chaohu_maanshan"], zones="province", progress=False)
    assert set(HEADLINE) <= set(available_indicators())
    assert "convergence_core_members_min_per_year" not in available_indicators()  # timeline only


def test_missing_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r'pip install "yrdnet\[dask\]"'):
        sweep(["chaohu_maanshan"], client="tcp://127.0.0.1:1", progress=False)


def test_candidate_projects_are_the_single_project_files() -> None:
    expected = []
    for p in sorted((data_folder() / "scenarios").glob("*.toml")):
        head = tomllib.loads(p.read_text(encoding="utf-8"))["scenario"]
        if head.get("base") == "baseline_2025" and "year" not in head:
            expected.append(head["name"])
    assert candidate_projects() == sorted(expected)
    assert "plan_2035" not in candidate_projects() and len(expected) == 11


def test_package_of_all_projects_routes_as_plan_2035() -> None:
    projects = candidate_projects()
    pkg = package_scenario(projects)
    assert pkg.name == "+".join(projects)
    assert [e["line"] for e in pkg.edits] == [e["line"] for p in projects for e in load_scenario(p).edits]
    plan = load_scenario("plan_2035")
    assert sorted(e["line"] for e in pkg.edits) == sorted(e["line"] for e in plan.edits)  # plan = their union
    G_pkg, G_plan = build_graph(pkg), build_graph("plan_2035")
    for m in MODES:
        a = travel_times(G_pkg, m, warn_unreachable=False)
        b = travel_times(G_plan, m, warn_unreachable=False)
        np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())


def test_package_rules() -> None:
    pkg = package_scenario(["north_yangtze_hsr", "jinhua_jiande_complete"], name="two", year=2030)
    assert (pkg.name, pkg.effective_year, len(pkg.edits)) == ("two", 2030, 3)
    assert isinstance(pkg.base, Scenario) and pkg.base.name == "baseline_2025"
    empty = package_scenario([])
    assert empty.name == "baseline" and empty.edits == [] and empty.effective_year == 2025
    a = travel_times(build_graph(empty), "multimodal", warn_unreachable=False)
    b = travel_times(build_graph("baseline_2025"), "multimodal", warn_unreachable=False)
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
    with pytest.raises(ValueError, match="unknown scenario 'no_such_project'"):
        package_scenario(["north_yangtze_hsr", "no_such_project"])
    with pytest.raises(ValueError, match="project 'baseline_2020' is on base 'baseline', not 'baseline_2025'"):
        package_scenario(["north_yangtze_hsr", "baseline_2020"])
    with pytest.raises(ValueError, match="given more than once"):
        package_scenario(["north_yangtze_hsr", "north_yangtze_hsr"])
    with pytest.raises(ValueError, match="not 'baseline_2020'"):
        package_scenario(["north_yangtze_hsr"], base="baseline_2020")


def test_progress_off_prints_nothing(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YRDNET_QUIET", "1")
    sweep(["nope_a", "nope_b"], indicators=["uci"], progress=True)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_the_module_is_callable() -> None:
    import yrdnet.plans.sweep as module

    t = module(["no_such_scenario_here"], indicators=["uci"], progress=False)  # type: ignore[operator]
    assert list(t["status"]) == ["failed"] and "unknown scenario" in t["error"].iloc[0]
    assert module.package_scenario is package_scenario


@pytest.mark.slow
def test_prepared_base_is_kept_across_sweeps_until_cleared() -> None:
    from yrdnet.plans import sweep_eval as ev
    from yrdnet.plans.sweep import clear_cache

    first = sweep(["chaohu_maanshan"], indicators=["uci"], progress=False)
    n = ev.CACHE.builds
    again = sweep(["ningbo_zhoushan", "chaohu_maanshan"], indicators=["uci"], progress=False)
    assert ev.CACHE.builds == n  # the same base, zones, model and data: nothing prepared twice
    clear_cache()
    after = sweep(["chaohu_maanshan"], indicators=["uci"], progress=False)
    assert ev.CACHE.builds == n + 1
    assert first["value"].iloc[0] == again["value"].iloc[1] == after["value"].iloc[0]

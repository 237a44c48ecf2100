"""Best-plan search (issue 13, item 3): greedy (CELF + safeguard) and exhaustive, costs, real packages."""

from __future__ import annotations

import itertools
import math
import random
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from yrdnet.core.errors import DataError
from yrdnet.plans.best_plan import best_plan, direction, load_costs, local_evaluator

Package = tuple[str, ...]


def _modular(values: dict[str, float]):  # type: ignore[no-untyped-def]
    return lambda pkgs: [sum(values[j] for j in p) for p in pkgs]


def _coverage(sets: dict[str, set[int]]):  # type: ignore[no-untyped-def]
    """|union of the chosen sets|: monotone submodular."""
    return lambda pkgs: [float(len(set().union(*(sets[j] for j in p)))) for p in pkgs]


def _plain_greedy(f, cands: Sequence[str], cost: dict[str, float], budget: float) -> Package:  # type: ignore[no-untyped-def]
    """Cost-benefit greedy without laziness, re-evaluating every project each round, + best single."""
    S: Package = ()
    while True:
        fit = [j for j in cands if j not in S and sum(cost[k] for k in S) + cost[j] <= budget]
        if not fit:
            break
        base = f([S])[0]
        gains = {j: (f([(*S, j)])[0] - base) / cost[j] for j in fit}
        j = max(fit, key=lambda k: (gains[k], -cost[k], [-ord(c) for c in k]))
        if gains[j] <= 0:
            break
        S = (*S, j)
    singles = [j for j in cands if cost[j] <= budget]
    best = max(singles, key=lambda j: f([(j,)])[0]) if singles else None
    if best is not None and f([(best,)])[0] > f([S])[0]:
        S = (best,)
    return S


def _optimum(f, cands: Sequence[str], cost: dict[str, float], budget: float) -> float:  # type: ignore[no-untyped-def]
    subsets = [c for r in range(len(cands) + 1) for c in itertools.combinations(cands, r)]
    return max(f([c])[0] for c in subsets if sum(cost[j] for j in c) <= budget)


def test_modular_unit_costs_greedy_is_exact() -> None:
    values = {"a": 5.0, "b": 1.0, "c": 3.0, "d": -2.0}
    cost = dict.fromkeys(values, 1.0)
    g = best_plan(list(values), 2, "x", costs=cost, evaluate=_modular(values), method="greedy")
    e = best_plan(list(values), 2, "x", costs=cost, evaluate=_modular(values), method="exhaustive")
    assert set(g.package) == set(e.package) == {"a", "c"} and g.objective == e.objective == 8.0
    assert len(e.evaluated) == 1 + 4 + 6  # every package of at most 2 projects
    assert e.evaluated.loc[e.evaluated["chosen"], "package"].tolist() == ["a+c"]


def test_safeguard_takes_the_best_single_project() -> None:
    # ratio greedy takes x (2 per unit) and then y no longer fits; y alone is worth 10
    values, cost = {"x": 2.0, "y": 10.0}, {"x": 1.0, "y": 10.0}
    r = best_plan(["x", "y"], 10, "x", costs=cost, evaluate=_modular(values), method="greedy")
    assert r.package == ("y",) and r.objective == 10.0
    assert r.trace["action"].str.startswith("safeguard").any()


@pytest.mark.parametrize("seed", range(12))
def test_submodular_lazy_greedy_equals_plain_greedy_and_keeps_the_bound(seed: int) -> None:
    rng = random.Random(seed)
    cands = [f"p{i}" for i in range(7)]
    sets = {j: set(rng.sample(range(30), rng.randint(1, 10))) for j in cands}
    cost = {j: float(rng.randint(1, 6)) for j in cands}
    budget = float(rng.randint(4, 14))
    f = _coverage(sets)
    r = best_plan(cands, budget, "x", costs=cost, evaluate=f, method="greedy")
    assert set(r.package) == set(_plain_greedy(f, cands, cost, budget))
    assert r.objective >= 0.5 * (1 - 1 / math.e) * _optimum(f, cands, cost, budget) - 1e-9
    assert r.cost <= budget
    assert r.evaluated["within_budget"].all()


def test_complementary_links_defeat_greedy_and_exhaustive_finds_them() -> None:
    # a and b are worth nothing alone and 10 together (a corridor); c is worth 3 alone
    def f(pkgs: list[Package]) -> list[float]:
        return [10.0 * ({"a", "b"} <= set(p)) + 3.0 * ("c" in p) for p in pkgs]

    cost = {"a": 1.0, "b": 1.0, "c": 1.0}
    g = best_plan(["a", "b", "c"], 2, "x", costs=cost, evaluate=f, method="greedy")
    e = best_plan(["a", "b", "c"], 2, "x", costs=cost, evaluate=f, method="auto")
    assert g.package == ("c",) and g.objective == 3.0  # no guarantee for non-submodular objectives
    assert e.method == "exhaustive" and set(e.package) == {"a", "b"} and e.objective == 10.0


def test_minimised_objective_and_zero_budget() -> None:
    assert direction("mean_watt_pop_multimodal") == -1 and direction("composite_index") == 1
    assert direction("gini_pot_exp_pop_multimodal") == -1 and direction("uci") == 1
    watt = {"": 200.0, "a": 190.0, "b": 195.0, "a+b": 188.0}

    def f(pkgs: list[Package]) -> list[float]:
        return [watt["+".join(sorted(p))] for p in pkgs]

    r = best_plan(["a", "b"], 1, "mean_watt_pop_multimodal", costs={"a": 1, "b": 1}, evaluate=f)
    assert r.package == ("a",) and r.objective == 190.0 and r.direction == -1
    z = best_plan(["a", "b"], 0, "mean_watt_pop_multimodal", costs={"a": 1, "b": 1}, evaluate=f, method="greedy")
    assert z.package == () and z.objective == 200.0


def test_the_module_is_callable_as_yrdnet_best_plan() -> None:
    import yrdnet.plans.best_plan as bp_module

    r = bp_module(["a", "b"], 1, "x", costs={"a": 1, "b": 1}, evaluate=_modular({"a": 1.0, "b": 2.0}))
    assert r.package == ("b",) and bp_module.best_plan is best_plan and callable(bp_module.load_costs)


def test_bad_arguments_are_named() -> None:
    f = _modular({"a": 1.0})
    with pytest.raises(ValueError, match="method must be"):
        best_plan(["a"], 1, "x", costs={"a": 1}, evaluate=f, method="random")
    with pytest.raises(ValueError, match="budget must be"):
        best_plan(["a"], -1, "x", costs={"a": 1}, evaluate=f)
    with pytest.raises(ValueError, match=r"no cost .* \['zz'\]"):
        best_plan(["zz"], 1, "x", evaluate=f)
    with pytest.raises(ValueError, match="more than once"):
        best_plan(["a", "a"], 1, "x", costs={"a": 1}, evaluate=f)


# ------------------------------------------------------------------ the cost file
def test_shipped_costs_cover_every_candidate_project_with_a_basis() -> None:
    from yrdnet.scenarios.scenario import list_scenarios, load_scenario

    t = load_costs()
    singles = {
        str(n)
        for n, r in list_scenarios().iterrows()
        if r["base"] == "baseline_2025" and load_scenario(str(n)).only_adds()
    }
    assert set(t.index) == singles
    assert (t["length_km"] > 0).all()
    pub = t["cost_basis"] == "published"
    assert t.loc[pub, "source"].str.startswith("http").all() and t.loc[pub, "source_date"].notna().all()
    derived = t[t["cost_basis"].str.startswith("derived")]
    for p, row in derived.iterrows():  # recompute: median published cost per km of the same design speed
        peers = t[pub & (t["design_speed_kph"] == row["design_speed_kph"])]
        per_km = (peers["investment_cny_100m"] / peers["length_km"]).median()
        assert row["investment_cny_100m"] == pytest.approx(per_km * row["length_km"], abs=0.1), p
    km = best_plan(["chaohu_maanshan"], 1000, "x", costs="km", evaluate=_modular({"chaohu_maanshan": 1.0}))
    assert km.cost == t.loc["chaohu_maanshan", "length_km"] and km.cost_unit == "km"


def test_bad_cost_file_is_one_error_naming_file_and_rows(tmp_path: Path) -> None:
    t = pd.read_csv(Path(__file__).resolve().parents[2] / "data" / "project_costs.csv")
    bad = t.copy()
    bad.loc[0, "investment_cny_100m"] = -5
    bad.loc[1, "project"] = "atlantis_hsr"
    p = tmp_path / "costs.csv"
    bad.to_csv(p, index=False)
    with pytest.raises(
        DataError,
        match=r"(?s)costs\.csv.*row 2, field 'investment_cny_100m': expected >= 0"
        r".*row 3, field 'project': unknown project 'atlantis_hsr'",
    ):
        load_costs(p)
    t.drop(columns="length_km").to_csv(p, index=False)
    with pytest.raises(DataError, match=r"missing required column\(s\) \['length_km'\]"):
        load_costs(p)


# ------------------------------------------------------------------ real projects (must show)
REAL = ["jinhua_jiande_complete", "chaohu_maanshan", "nanjing_huaian"]  # 100.3 + 246 + 334 亿元
OBJECTIVES = ["composite_index", "mean_watt_pop_multimodal", "metro_logistic_integration"]


@pytest.fixture(scope="module")
def real_table() -> pd.DataFrame:
    """Every package of the three projects through the real sweep, once (one sweep call)."""
    sweep_mod = pytest.importorskip("yrdnet.sweep")
    pkgs = [c for r in range(4) for c in itertools.combinations(REAL, r)]
    scs = [sweep_mod.package_scenario(list(p), name="+".join(sorted(p))) if p else "baseline_2025" for p in pkgs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = sweep_mod.sweep(scs, indicators=OBJECTIVES, progress=False)
    assert (t["status"] == "ok").all()
    return t.set_index(["scenario", "indicator"])["value"].unstack()  # noqa: PD010


@pytest.mark.slow
def test_exhaustive_agrees_with_greedy_on_real_projects(real_table: pd.DataFrame) -> None:
    # one test (not parametrised) so that the sweep fixture runs on one xdist worker only
    for objective in OBJECTIVES:

        def f(pkgs: list[Package], objective: str = objective) -> list[float]:
            return [float(real_table.loc["+".join(sorted(p)) or "baseline_2025", objective]) for p in pkgs]

        budget = 600.0  # all three cost 680.3 亿元 (data/project_costs.csv): the budget binds
        g = best_plan(REAL, budget, objective, method="greedy", evaluate=f)
        e = best_plan(REAL, budget, objective, method="exhaustive", evaluate=f)
        # exhaustive search is optimal; the greedy heuristic is never better, and its package
        # is one exhaustive search evaluated (with the same value)
        sign = direction(objective)
        assert sign * e.objective >= sign * g.objective - 1e-12, objective
        ev = e.evaluated.set_index("package")["objective"]
        assert ev["+".join(sorted(g.package))] == g.objective, objective
        assert e.cost <= budget and len(e.evaluated) == 7  # 8 packages, the full one unaffordable
        assert g.cost_unit.startswith("亿元")
    # the sweep's values agree with the independent in-process evaluator
    pkg = ("chaohu_maanshan", "jinhua_jiande_complete")
    for objective in ("composite_index", "mean_watt_pop_multimodal"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v = local_evaluator(objective)([pkg])[0]
        assert v == pytest.approx(real_table.loc["+".join(pkg), objective], rel=1e-9)

"""The composite (issue 20, item 2): by-hand normalisation and aggregation, no circularity, robustness."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.composite import (
    COMPONENTS,
    FLOOR,
    Composite,
    CompositeOptions,
    component_scores,
    composite_index,
    core_link_attainment,
    core_link_equivalent_time,
    distance_to_target,
    effective_weights,
    geometric_index,
    raw_components,
    subcentre_core_balance,
)
from yrdnet.analysis.composite_norm import arithmetic_index, reference_scores
from yrdnet.analysis.indicators import lookup
from yrdnet.core.errors import DataError
from yrdnet.plans.composite_uncertainty import METHODS, robustness_table
from yrdnet.plans.metric_choices import composite_robustness

KEYS = [c.raw for c in COMPONENTS.values()]


def _raw(**cols: list[float]) -> pd.DataFrame:
    return pd.DataFrame(cols, index=KEYS)


def _timeline() -> pd.DataFrame:
    """A small timeline: every component improves 2010 -> 2025 -> 2035 (balance, share, min, nats)."""
    return _raw(
        baseline_2010=[0.40, 0.30, 110.0, 0.08],
        baseline_2025=[0.45, 0.35, 70.0, 0.05],
        plan_2035=[0.46, 0.36, 65.0, 0.04],
    )


# ------------------------------------------------------------------ raw measures
def test_subcentre_core_balance_by_hand() -> None:
    dom = pd.Series({1: 4.0, 2: 2.0, 3: 6.0, 4: 1.0})
    # (2/4 + min(1, 6/4)) / 2: a sub-centre above the core earns no more than parity
    assert subcentre_core_balance(dom, 1, [2, 3]) == pytest.approx(0.75)
    assert subcentre_core_balance(dom, 1, [2, 4]) == pytest.approx((0.5 + 0.25) / 2)
    with pytest.raises(DataError, match="missing"):
        subcentre_core_balance(dom, 1, [9])
    with pytest.raises(DataError, match="expected > 0"):
        subcentre_core_balance(pd.Series({1: 0.0, 2: 1.0}), 1, [2])


def _links(times: list[float]) -> pd.DataFrame:
    n = len(times)
    return pd.DataFrame(
        {"kind": ["core_link"] * n + ["metro_commute"], "threshold_min": [90.0] * n + [60.0],
         "time_min": [*times, 500.0]}
    )  # fmt: skip


def test_core_link_equivalent_time_by_hand() -> None:
    # equal times: the equivalent time is that time
    assert core_link_equivalent_time(_links([60.0, 60.0])) == pytest.approx(60.0)
    # 0 and 90 min: L = (1 + 0.5) / 2 = 0.75 -> t* = 90 (1/0.75 - 1) = 30
    assert core_link_equivalent_time(_links([0.0, 90.0])) == pytest.approx(30.0)
    # an unreachable link counts as linkage 0: L = (0.5 + 0) / 2 -> t* = 270; never reachable: inf
    assert core_link_equivalent_time(_links([90.0, math.inf])) == pytest.approx(270.0)
    assert core_link_equivalent_time(_links([math.inf])) == math.inf
    # every minute counts, also below the threshold (where the capped attainment is flat at 1)
    assert core_link_equivalent_time(_links([50.0])) < core_link_equivalent_time(_links([60.0]))
    assert core_link_attainment(_links([50.0])) == core_link_attainment(_links([60.0])) == 1.0
    # (1 + 0.5 + 0 + 0.75) / 4, as in 0.2
    assert core_link_attainment(_links([60.0, 180.0, math.inf, 120.0])) == pytest.approx(0.5625)
    with pytest.raises(DataError):
        core_link_equivalent_time(_links([]).iloc[-1:])


# ------------------------------------------------------------------ normalisation
def test_bounds_scores_by_hand() -> None:
    s = component_scores(_raw(a=[0.4, 0.3, 90.0, 0.0], b=[1.0, 0.0, 0.0, math.log(2)]))
    assert s.loc["a"].tolist() == pytest.approx([0.4, 0.3, 0.5, 1.0])
    assert s.loc["b"].tolist() == pytest.approx([1.0, 0.0, 1.0, 0.5])
    assert component_scores(_raw(c=[0.4, 0.3, math.inf, 0.1])).loc["c", "intercity_linkage"] == 0.0


def test_reference_normalisations_by_hand() -> None:
    raw = _raw(a=[0.4, 0.3, 90.0, 0.08], b=[0.5, 0.4, 60.0, 0.04], c=[0.45, 0.3, 60.0, 0.06])
    mm = component_scores(raw, "minmax")
    # lower is better for the time and the Theil: reversed
    assert mm.loc["c"].tolist() == pytest.approx([0.5, 0.0, 1.0, 0.5])
    z = component_scores(raw, "zscore")
    assert z.sum().tolist() == pytest.approx([0.0] * 4)
    assert z.loc["b", "core_hinterland_equity"] > 0 > z.loc["a", "core_hinterland_equity"]
    # a constant component: 0.5 (min-max), 0 (z-score)
    const = reference_scores(np.array([[1.0], [1.0]]), np.array([[1.0], [1.0]]), np.array([1]), "minmax")
    assert const.tolist() == [[0.5], [0.5]]
    # an explicit reference set: the scores of a and b against a wider range
    wide = raw.assign(w=[0.0, 0.0, 200.0, 0.2], v=[1.0, 1.0, 0.0, 0.0])
    got = component_scores(raw, "minmax", reference_set=wide)
    assert got.loc["a"].tolist() == pytest.approx([0.4, 0.3, 110 / 200, 0.6])
    with pytest.raises(ValueError, match="method must be"):
        reference_scores(np.zeros((1, 1)), np.zeros((1, 1)), np.array([1]), "rank")


def test_distance_to_target_by_hand() -> None:
    assert distance_to_target(0.55, 0.4, 1.0) == pytest.approx(0.25)
    assert distance_to_target(0.07, 0.08, 0.04) == pytest.approx(0.25)
    assert distance_to_target(np.array([1.3, 0.1]), 0.4, 1.0) == pytest.approx([1.5, -0.5])
    assert np.isnan(distance_to_target(0.5, 0.4, 0.4))


# ------------------------------------------------------------------ aggregation
def test_aggregations_by_hand() -> None:
    assert arithmetic_index(np.array([1.0, 0.0]), [3, 1]) == pytest.approx(0.75)
    assert arithmetic_index(np.array([-1.0, 1.0]), [1, 1]) == pytest.approx(0.0)  # z-scores welcome
    assert geometric_index(np.array([0.25, 1.0]), [1, 1]) == pytest.approx(0.5)
    assert geometric_index(np.array([0.25, 1.0]), [3, 1]) == pytest.approx(0.25**0.75)
    assert geometric_index(np.array([0.0, 1.0]), [1, 1], floor=0.01) == pytest.approx(0.1)
    assert geometric_index(np.array([0.25, 1.0]), np.array([[1, 1], [1, 0]])) == pytest.approx([0.5, 0.25])
    with pytest.raises(ValueError):
        geometric_index(np.array([0.5]), [1], floor=0)
    with pytest.raises(ValueError):
        arithmetic_index(np.array([0.5, 0.5]), [-1, 2])


def test_effective_weights_tiny_case() -> None:
    s = pd.DataFrame({"a": [0.01, 1.0], "b": [0.5, 0.5]})
    for agg in ("geometric", "arithmetic"):
        w = effective_weights(s, [1, 1], aggregation=agg)
        assert w["nominal"].tolist() == [0.5, 0.5]
        assert w["effective"].tolist() == pytest.approx([1.0, 0.0])
        assert w["correlation_ratio"].tolist() == pytest.approx([1.0, 0.0])
    # geometric: a moves twice b's log step (0.01 -> 1 vs 0.1 -> 1): shares 2:1
    s3 = pd.DataFrame({"a": [0.01, 1.0], "b": [0.1, 1.0]})
    assert effective_weights(s3, [1, 1])["effective"].tolist() == pytest.approx([2 / 3, 1 / 3])
    # arithmetic: raw steps 0.99 and 0.9
    got = effective_weights(s3, [1, 1], aggregation="arithmetic")["effective"].tolist()
    assert got == pytest.approx([0.99 / 1.89, 0.9 / 1.89])
    assert effective_weights(pd.DataFrame({"a": [0.5, 0.5]}), [1])["effective"].isna().all()


# ------------------------------------------------------------------ the composite
def test_composite_index_by_hand() -> None:
    out = composite_index(_timeline())
    assert isinstance(out, Composite) and out.options == CompositeOptions()
    s25 = [0.45, 0.35, 90 / 160, math.exp(-0.05)]
    assert out.index.loc["baseline_2025", "composite_index"] == pytest.approx(np.mean(s25))
    assert out.index.loc["baseline_2025"].iloc[1:].tolist() == pytest.approx(s25)
    # the dashboard: raw with its unit beside each score
    d = out.dashboard.loc["baseline_2025"]
    assert d.loc["intercity_linkage", ["raw", "unit", "score"]].tolist() == [70.0, "min", pytest.approx(90 / 160)]
    assert d["unit"].tolist() == ["ratio", "share", "min", "nats"]
    assert out.dashboard.groupby("scenario")["nominal_weight"].sum().tolist() == pytest.approx([1.0] * 3)
    assert out.weights["effective"].sum() == pytest.approx(1.0)
    # weights: only the linkage counts -> its score
    only = composite_index(_timeline(), weights={"intercity_linkage": 1.0})
    assert only.index.loc["baseline_2025", "composite_index"] == pytest.approx(90 / 160)
    geo = composite_index(_timeline(), options=CompositeOptions(aggregation="geometric"))
    assert geo.index.loc["baseline_2025", "composite_index"] == pytest.approx(np.prod(s25) ** 0.25)
    with pytest.raises(ValueError, match="unknown components"):
        composite_index(_timeline(), weights={"polycentricity": 1.0})
    with pytest.raises(DataError, match="missing"):
        composite_index(_timeline().drop(index="core_link_equivalent_time_min"))


def test_options_validate_all_problems_together() -> None:
    with pytest.raises(ValueError, match=r"normalisation must be.*aggregation must be.*epsilon"):
        CompositeOptions(normalisation="rank", aggregation="median", epsilon=0)
    with pytest.raises(ValueError, match="z-scores"):
        CompositeOptions(normalisation="zscore", aggregation="geometric")
    with pytest.raises(ValueError, match="'plan' or 'ideal'"):
        composite_index(_timeline(), reference="best")


def test_plan_does_not_score_one_by_construction() -> None:
    assert composite_index(_timeline()).index.loc["plan_2035", "composite_index"] < 1
    # min-max gives 1 only to a scenario best on every component of the reference set, not
    # to the plan as such: with a better alternative in the set the plan scores below 1
    raw = _timeline().assign(alternative=[0.47, 0.30, 64.0, 0.08])
    mm = composite_index(raw, options=CompositeOptions(normalisation="minmax"))
    assert mm.index.loc["plan_2035", "composite_index"] < 1
    out = composite_index(_timeline())
    # no floor at the base year: 2010 is scored on its own values, not pinned to a floor
    assert out.index.loc["baseline_2010", "composite_index"] > FLOOR
    # bounds: a scenario's score does not depend on the others passed (no plan reference)
    alone = composite_index(_timeline()[["plan_2035"]])
    assert alone.index.loc["plan_2035", "composite_index"] == out.index.loc["plan_2035", "composite_index"]
    # the 0.2 behaviour stays reachable and is descriptive: the plan scores 1 by construction
    prog = composite_index(_timeline(), reference="plan", options=CompositeOptions(aggregation="geometric"))
    assert prog.index.loc["plan_2035", "composite_index"] == pytest.approx(1.0)
    assert prog.options.normalisation == "progress"


@pytest.mark.parametrize(("norm", "agg"), METHODS)
def test_an_alternative_that_dominates_the_plan_scores_higher(norm: str, agg: str) -> None:
    raw = _timeline()
    # better on every component than plan_2035: higher balance and integration, less time and inequality
    raw["alternative"] = [0.50, 0.40, 60.0, 0.03]
    # and one better on one component, equal on the rest
    raw["one_better"] = [0.46, 0.36, 60.0, 0.04]
    out = composite_index(raw, options=CompositeOptions(normalisation=norm, aggregation=agg))
    idx = out.index["composite_index"]
    assert idx["alternative"] > idx["plan_2035"]
    assert idx["one_better"] > idx["plan_2035"]
    assert idx["plan_2035"] > idx["baseline_2025"] > idx["baseline_2010"]


def test_bounds_scores_are_monotone_in_each_raw_value() -> None:
    rng = np.random.default_rng(0)
    base = _timeline()["baseline_2025"].to_numpy()
    for k, c in enumerate(COMPONENTS.values()):
        x = np.tile(base, (5, 1))
        x[:, k] = np.sort(rng.uniform(0.01, 0.9, 5)) * (100 if c.unit == "min" else 1)
        s = component_scores(pd.DataFrame(x.T, index=KEYS)).iloc[:, k].to_numpy()
        assert (np.diff(s) * c.direction > 0).all(), c.raw
        assert ((s >= 0) & (s <= 1)).all()


def test_outputs_are_registered() -> None:
    keys = ["composite_index", "core_link_attainment", *KEYS, *(f"composite_{k}" for k in COMPONENTS)]
    assert all(lookup(k) is not None for k in keys)
    assert yrdnet.composite_index is composite_index


# ------------------------------------------------------------------ uncertainty
def test_robustness_table_by_method() -> None:
    # two input draws; the plan dominates the base in both, 2010 -> 2025 rises in both
    R = np.array([_timeline().to_numpy().T, _timeline().to_numpy().T * [1.0, 1.0, 1.1, 1.0]])
    t = robustness_table(R, list(_timeline().columns), n_weight_draws=5, seed=1)
    assert t["holds_share"].tolist() == [1.0, 1.0]
    assert (t["n_draws"] == 2 * 5 * len(METHODS)).all()
    assert {f"holds_{n}_{a}" for n, a in METHODS} <= set(t.columns)
    pd.testing.assert_frame_equal(t, robustness_table(R, list(_timeline().columns), n_weight_draws=5, seed=1))
    with pytest.raises(ValueError, match="3 scenarios"):
        robustness_table(R, ["a", "b"])


# ------------------------------------------------------------------ on analysed results
@pytest.fixture(scope="module")
def analysed() -> list[yrdnet.ScenarioResult]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [yrdnet.analyze(s, centrality=False) for s in ("baseline_2010", "baseline_2025", "plan_2035")]


def test_composite_on_analysed_results(analysed: list[yrdnet.ScenarioResult]) -> None:
    raw = raw_components(analysed)
    assert list(raw.index) == KEYS and list(raw.columns) == ["baseline_2010", "baseline_2025", "plan_2035"]
    assert raw.loc["subcentre_core_balance"].between(0, 1).all()
    assert raw.loc["metro_logistic_integration"].between(0, 1).all()
    out = composite_index(analysed)
    idx = out.index["composite_index"]
    assert idx.between(0, 1).all() and idx["plan_2035"] < 1
    # the linkage now moves after 2015 (its capped attainment does not, below the threshold)
    assert (
        raw.loc["core_link_equivalent_time_min", "plan_2035"]
        < raw.loc["core_link_equivalent_time_min", "baseline_2025"]
    )
    assert out.weights.loc["intercity_linkage", "effective"] > 0


@pytest.mark.slow
def test_composite_robustness_real() -> None:
    kw = {"models": {"default": {}}, "metric_choices": {"half_life_min": (60.0,), "commute_midpoint_min": (60.0,)}}
    a = composite_robustness(n_weight_draws=4, seed=3, **kw)  # type: ignore[arg-type]
    b = composite_robustness(n_weight_draws=4, seed=3, **kw)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a, b)
    assert a["holds_share"].between(0, 1).all()
    assert (a["n_draws"] == 1 * 8 * len(METHODS) * 4).all()
    with pytest.raises(ValueError, match="three scenarios"):
        composite_robustness(["baseline_2010"])

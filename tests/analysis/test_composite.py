"""The composite (issue 11, item 6): hand-computed normalisation, aggregation, weights, uncertainty."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.composite import (
    COMPONENTS,
    composite_index,
    core_link_attainment,
    distance_to_target,
    effective_weights,
    geometric_index,
)
from yrdnet.analysis.indicators import lookup
from yrdnet.core.errors import DataError
from yrdnet.plans.metric_choices import composite_robustness


def test_distance_to_target_by_hand() -> None:
    # rising to a target: 0.4 -> 1.0; 0.55 is a quarter of the way
    assert distance_to_target(0.55, 0.4, 1.0) == pytest.approx(0.25)
    # a gap to close (target below the base): Theil 0.08 -> 0.04, at 0.07 a quarter closed
    assert distance_to_target(0.07, 0.08, 0.04) == pytest.approx(0.25)
    # beyond the target and behind the base
    assert distance_to_target(np.array([1.3, 0.1]), 0.4, 1.0) == pytest.approx([1.5, -0.5])
    assert np.isnan(distance_to_target(0.5, 0.4, 0.4))


def test_geometric_mean_with_floor_by_hand() -> None:
    # (0.25 * 1)^(1/2) = 0.5; weights 3:1 -> 0.25^0.75 = 0.353553...
    assert geometric_index(np.array([0.25, 1.0]), [1, 1]) == pytest.approx(0.5)
    assert geometric_index(np.array([0.25, 1.0]), [3, 1]) == pytest.approx(0.25**0.75)
    # a zero (or negative) component counts as the floor, not zero: sqrt(0.01 * 1) = 0.1
    assert geometric_index(np.array([0.0, 1.0]), [1, 1], floor=0.01) == pytest.approx(0.1)
    assert geometric_index(np.array([-3.0, 1.0]), [1, 1], floor=0.04) == pytest.approx(0.2)
    # capped at 1: no credit beyond the target
    assert geometric_index(np.array([2.0, 1.0]), [1, 1]) == pytest.approx(1.0)
    # one weight vector per draw broadcasts
    out = geometric_index(np.array([0.25, 1.0]), np.array([[1, 1], [1, 0]]))
    assert out == pytest.approx([0.5, 0.25])
    with pytest.raises(ValueError):
        geometric_index(np.array([0.5]), [1], floor=0)
    with pytest.raises(ValueError):
        geometric_index(np.array([0.5, 0.5]), [-1, 2])


def test_effective_weights_tiny_case() -> None:
    # two scenarios, component a moves from 0.01 to 1, b stays: all variance is a's
    s = pd.DataFrame({"a": [0.01, 1.0], "b": [0.5, 0.5]})
    w = effective_weights(s, [1, 1])
    assert w["nominal"].tolist() == [0.5, 0.5]
    assert w["effective"].tolist() == pytest.approx([1.0, 0.0])
    assert w["correlation_ratio"].tolist() == pytest.approx([1.0, 0.0])
    # both move by the same log step: L = 0.5(l_a + l_b), equal shares
    s2 = pd.DataFrame({"a": [0.1, 1.0], "b": [0.1, 1.0]})
    assert effective_weights(s2, [1, 1])["effective"].tolist() == pytest.approx([0.5, 0.5])
    # a moves twice the log step of b (0.01 -> 1 vs 0.1 -> 1): cov shares 2:1 -> 2/3, 1/3
    s3 = pd.DataFrame({"a": [0.01, 1.0], "b": [0.1, 1.0]})
    assert effective_weights(s3, [1, 1])["effective"].tolist() == pytest.approx([2 / 3, 1 / 3])
    # a constant index: undefined
    assert effective_weights(pd.DataFrame({"a": [0.5, 0.5]}), [1])["effective"].isna().all()


def test_core_link_attainment_by_hand() -> None:
    t = pd.DataFrame(
        {
            "kind": ["core_link", "core_link", "core_link", "core_link", "metro_commute"],
            "threshold_min": [90.0, 90.0, 90.0, 90.0, 60.0],
            "time_min": [60.0, 180.0, math.inf, 120.0, 500.0],
        }
    )
    # (1 + 0.5 + 0 + 0.75) / 4
    assert core_link_attainment(t) == pytest.approx(0.5625)
    with pytest.raises(DataError):
        core_link_attainment(t[t["kind"] == "metro_commute"])


def _raw() -> pd.DataFrame:
    return pd.DataFrame(
        {"baseline_2010": [5.0, 0.30, 0.5, 0.08], "baseline_2025": [4.5, 0.35, 0.75, 0.06],
         "plan_2035": [4.0, 0.40, 1.0, 0.04]},
        index=[c.raw for c in COMPONENTS.values()],
    )  # fmt: skip


def test_composite_index_by_hand() -> None:
    out = composite_index(_raw())
    # every component half way in 2025 (linkage: (0.75 - 0.5) / (1 - 0.5)); geometric mean 0.5
    assert out.index.loc["baseline_2025", "composite_index"] == pytest.approx(0.5)
    assert out.index.loc["baseline_2010", "composite_index"] == pytest.approx(0.01)
    assert out.index.loc["plan_2035", "composite_index"] == pytest.approx(1.0)
    assert out.dashboard["nominal_weight"].sum() == pytest.approx(1.0)
    assert set(out.weights.columns) >= {"nominal", "effective", "correlation_ratio", "effective_after_base"}
    assert out.weights["effective"].sum() == pytest.approx(1.0)
    # ideal reference: dominance 5 -> 1 (2025: 0.125), integration 0.3 -> 1 (0.05/0.7),
    # linkage 0.5, Theil 0.08 -> 0 (0.25)
    ideal = composite_index(_raw(), reference="ideal")
    expect = (0.125 * (0.05 / 0.7) * 0.5 * 0.25) ** 0.25
    assert ideal.index.loc["baseline_2025", "composite_index"] == pytest.approx(expect)
    # weights: only linkage counts -> its score
    only = composite_index(_raw(), weights={"intercity_linkage": 1.0})
    assert only.index.loc["baseline_2025", "composite_index"] == pytest.approx(0.5)
    with pytest.raises(ValueError):
        composite_index(_raw(), reference="best")
    with pytest.raises(ValueError):
        composite_index(_raw(), weights={"polycentricity": 1.0})
    with pytest.raises(DataError):
        composite_index(_raw().drop(index="core_link_attainment"))


def test_outputs_are_registered() -> None:
    keys = ["composite_index", "core_link_attainment", *(f"composite_{k}" for k in COMPONENTS)]
    assert all(lookup(k) is not None for k in keys)
    assert yrdnet.composite_index is composite_index


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_composite_on_analysed_results_and_robustness() -> None:
    res = [yrdnet.analyze(s, sensitivity_samples=5) for s in ("baseline_2010", "baseline_2025", "plan_2035")]
    out = composite_index(res)
    assert out.index.loc["baseline_2010", "composite_index"] == pytest.approx(0.01)
    assert out.index["composite_index"].is_monotonic_increasing
    a = composite_robustness(n_weight_draws=8, seed=3)
    b = composite_robustness(n_weight_draws=8, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a["holds_share"].between(0, 1).all()
    assert (a["n_draws"] == 96 * 2 * 8).all()
    with pytest.raises(ValueError, match="three scenarios"):
        composite_robustness(["baseline_2010"])

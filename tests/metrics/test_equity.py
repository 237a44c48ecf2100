"""Tests of yrdnet.metrics.equity: hand-computed cases, error paths and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yrdnet.core.errors import DataError
from yrdnet.metrics.equity import coefficient_of_variation, gini, theil, theil_groups

HYP = settings(max_examples=40, deadline=None)
values_st = st.lists(st.floats(0.0, 1e6, allow_subnormal=False), min_size=1, max_size=12).filter(
    lambda v: sum(v) > 1e-9
)


# ---------------------------------------------------------------------- hand cases
def test_gini_hand():
    # [1, 2, 3]: ordered |diffs| = 2*(1 + 2 + 1) = 8; 2 N^2 mu = 2*9*2 = 36 -> 8/36
    assert gini([1, 2, 3]) == pytest.approx(8 / 36)
    # [0, 0, 0, 4]: 6 ordered pairs with |diff| 4 = 24; 2*16*1 = 32 -> 0.75 = 1 - 1/N
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert gini([5, 5, 5]) == 0.0
    assert gini([7]) == 0.0


def test_gini_weighted_hand():
    # weights [1, 2] on [1, 2] == values [1, 2, 2]: |diffs| ordered = 4*1 = 4;
    # 2 N^2 mu = 2*9*(5/3) = 30 -> 4/30
    assert gini([1, 2], weights=[1, 2]) == pytest.approx(4 / 30)
    assert gini([1, 2, 2]) == pytest.approx(4 / 30)


def test_gini_weights_align_on_labels():
    v = pd.Series([1.0, 2.0], index=[310000, 320100])
    w = pd.Series([2.0, 1.0, 99.0], index=[320100, 310000, 340100])  # reordered + extra
    assert gini(v, weights=w) == pytest.approx(gini([1, 2, 2]))
    with pytest.raises(DataError, match=r"weights has no value for ids \[310000\]"):
        gini(v, weights=pd.Series([1.0], index=[320100]))


def test_cv_hand():
    # [2, 4]: mean 3, population sd 1 -> 1/3; sample sd sqrt(2) -> sqrt(2)/3
    assert coefficient_of_variation([2, 4]) == pytest.approx(1 / 3)
    assert coefficient_of_variation([2, 4], ddof=1) == pytest.approx(math.sqrt(2) / 3)


def test_theil_hand():
    # [1, 1, 3, 3], mu = 2: r = 0.5, 0.5, 1.5, 1.5
    # T = (2*0.5 ln 0.5 + 2*1.5 ln 1.5) / 4
    total = (2 * 0.5 * math.log(0.5) + 2 * 1.5 * math.log(1.5)) / 4
    out = theil([1, 1, 3, 3], ["a", "a", "b", "b"])
    assert out["total"] == pytest.approx(total)
    # groups are internally equal -> within 0, between = total
    # between = 0.25 ln(1/2) + 0.75 ln(3/2)
    assert out["within"] == pytest.approx(0.0)
    assert out["between"] == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5))
    assert out.name == "theil"


def test_theil_groups_hand():
    # groups a = [1, 3] (mu 2), b = [2, 2] (mu 2): overall mu 2, between 0
    # T_a = (0.5 ln 0.5 + 1.5 ln 1.5) / 2; share_a = 2*2 / (4*2) = 0.5
    parts = theil_groups([1, 3, 2, 2], ["a", "a", "b", "b"])
    t_a = (0.5 * math.log(0.5) + 1.5 * math.log(1.5)) / 2
    assert parts.loc["a", "theil"] == pytest.approx(t_a)
    assert parts.loc["b", "theil"] == pytest.approx(0.0)
    assert parts["share"].tolist() == [0.5, 0.5]
    assert parts["between"].abs().max() == pytest.approx(0.0)
    out = theil([1, 3, 2, 2], ["a", "a", "b", "b"])
    assert out["within"] == pytest.approx(0.5 * t_a)
    assert out["total"] == pytest.approx(out["within"])


def test_theil_zero_values_and_no_groups():
    # [0, 0, 4]: r = 0, 0, 3 -> (3 ln 3) / 3 = ln 3 = ln N (maximum)
    out = theil([0, 0, 4])
    assert out["total"] == pytest.approx(math.log(3))
    assert out["within"] == out["total"]
    assert out["between"] == 0.0
    # a group of zeros has share 0 and contributes nothing
    parts = theil_groups([0, 0, 4, 4], ["z", "z", "p", "p"])
    assert parts.loc["z", ["share", "within", "between"]].tolist() == [0.0, 0.0, 0.0]


def test_theil_series_groups_align():
    v = pd.Series([1.0, 3.0, 2.0], index=[1, 2, 3])
    g = pd.Series(["b", "a", "a", "x"], index=[3, 2, 1, 4])
    assert theil(v, g)["total"] == pytest.approx(theil([1, 3, 2])["total"])
    assert theil_groups(v, g).loc["a", "n"] == 2


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("func", [gini, coefficient_of_variation, theil])
@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ([1.0, -1.0], "finite and >= 0"),
        ([1.0, math.nan], "finite and >= 0"),
        ([1.0, math.inf], "finite and >= 0"),
        ([], "empty"),
        ([[1.0, 2.0]], "one-dimensional"),
        (["a", "b"], "numeric"),
    ],
)
def test_bad_values(func, bad, match):
    with pytest.raises(DataError, match=match):
        func(bad)


@pytest.mark.parametrize("func", [gini, coefficient_of_variation, theil])
def test_zero_mean_raises(func):
    with pytest.raises(DataError, match="undefined when the"):
        func([0.0, 0.0])


def test_bad_weights_and_groups():
    with pytest.raises(DataError, match=r"one entry per value \(2\)"):
        gini([1, 2], weights=[1, 2, 3])
    with pytest.raises(DataError, match="weights must be finite"):
        gini([1, 2], weights=[1, -2])
    with pytest.raises(DataError, match="weights must not all be 0"):
        gini([1, 2], weights=[0, 0])
    with pytest.raises(DataError, match="missing labels"):
        theil([1, 2], [None, "a"])
    with pytest.raises(DataError, match="more than ddof=1"):
        coefficient_of_variation([3.0], ddof=1)


def test_inputs_not_mutated():
    v = pd.Series([3.0, 1.0, 2.0])
    w = pd.Series([1.0, 2.0, 3.0])
    gini(v, w)
    theil(v, ["a", "b", "a"])
    assert v.tolist() == [3.0, 1.0, 2.0]
    assert w.tolist() == [1.0, 2.0, 3.0]


# ---------------------------------------------------------------------- properties
@HYP
@given(values_st)
def test_gini_range_and_invariances(values):
    n = len(values)
    g = gini(values)
    assert -1e-12 <= g <= 1 - 1 / n + 1e-9
    assert gini(values[::-1]) == pytest.approx(g, abs=1e-12)
    assert gini([3 * v for v in values]) == pytest.approx(g, abs=1e-9)  # scale-free


@HYP
@given(st.floats(0.01, 1e6), st.integers(1, 12))
def test_equal_values_are_perfectly_equal(value, n):
    assert gini([value] * n) == pytest.approx(0.0, abs=1e-12)
    assert coefficient_of_variation([value] * n) == pytest.approx(0.0, abs=1e-12)
    assert theil([value] * n)["total"] == pytest.approx(0.0, abs=1e-12)


@HYP
@given(st.floats(0.01, 1e6), st.integers(2, 12))
def test_single_nonzero_is_maximal(value, n):
    v = [0.0] * (n - 1) + [value]
    assert gini(v) == pytest.approx(1 - 1 / n)
    assert theil(v)["total"] == pytest.approx(math.log(n))
    assert coefficient_of_variation(v) == pytest.approx(math.sqrt(n - 1))


@HYP
@given(
    st.lists(st.tuples(st.floats(0.0, 1e4, allow_subnormal=False), st.integers(1, 4)), min_size=1, max_size=10).filter(
        lambda xs: sum(x for x, _ in xs) > 0
    )
)
def test_integer_weights_equal_replication(pairs):
    values = [x for x, _ in pairs]
    weights = [w for _, w in pairs]
    replicated = [x for x, w in pairs for _ in range(w)]
    assert gini(values, weights=weights) == pytest.approx(gini(replicated), abs=1e-9)


@HYP
@given(values_st, st.data())
def test_theil_decomposition_adds_up(values, data):
    groups = data.draw(st.lists(st.sampled_from("abc"), min_size=len(values), max_size=len(values)))
    out = theil(values, groups)
    assert out["total"] == pytest.approx(out["within"] + out["between"], abs=1e-9)
    assert -1e-12 <= out["total"] <= math.log(len(values)) + 1e-9
    assert out["within"] >= -1e-12
    parts = theil_groups(values, groups)
    assert parts["share"].sum() == pytest.approx(1.0)
    # relabelling the groups changes nothing
    renamed = {"a": "z", "b": "y", "c": "x"}
    again = theil(values, [renamed[g] for g in groups])
    np.testing.assert_allclose(again.to_numpy(), out.to_numpy(), atol=1e-12)

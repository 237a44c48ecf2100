"""The array path of the zone columns and the sweep's single-slot cache give exactly the public results."""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pytest

from yrdnet.analysis import steps as asm
from yrdnet.analysis.reuse import Reuse, last_value, same_value
from yrdnet.core.params import MetricParams
from yrdnet.metrics import zone_arrays as za
from yrdnet.metrics.inputs import checked_once


def _inputs(seed: int = 0, n: int = 9) -> tuple[pd.DataFrame, pd.Series, pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = [int(x) for x in rng.permutation(np.arange(100, 100 + n))]  # unsorted labels
    t = rng.uniform(5, 300, (n, n))
    t = (t + t.T) / 2 + rng.uniform(0, 20, (n, n))  # asymmetric
    t[0, 3] = t[5, 1] = np.inf  # unreachable pairs
    np.fill_diagonal(t, 0.0)
    T = pd.DataFrame(t, index=ids, columns=ids)
    dv = rng.uniform(20, 400, (n, n))
    dv = (dv + dv.T) / 2
    np.fill_diagonal(dv, 0.0)
    d = pd.DataFrame(dv, index=ids, columns=ids)
    pop = pd.Series(rng.uniform(1, 50, n), index=ids[::-1])  # another order than T
    gdp = pd.Series(rng.uniform(1, 500, n), index=ids)
    return T, pop, gdp, d


def _assert_same(a: dict[str, pd.Series], b: dict[str, pd.Series]) -> None:
    assert list(a) == list(b)
    for k, v in a.items():
        pd.testing.assert_series_equal(v, b[k], check_exact=True, check_names=False, obj=k)


@pytest.mark.parametrize("checked", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mode_arrays_equal_the_metric_functions(seed: int, checked: bool) -> None:
    T, pop, gdp, d = _inputs(seed)
    p = MetricParams()
    core, subs = int(T.index[2]), (int(T.index[4]), int(T.index[7]))
    with checked_once() if checked else contextlib.nullcontext():
        za.mode_arrays(T, pop, gdp, d, p, core, subs)  # the array path takes these inputs (no fallback)
        fast = asm._mode_measures("rail", T, pop, gdp, d, p, core, subs)
        slow = asm._mode_series("rail", T, pop, gdp, d, p, core, subs)
    _assert_same(fast, slow)


def test_mode_arrays_reordered_columns_and_missing_gdp() -> None:
    T, pop, gdp, d = _inputs(3)
    T = T[list(reversed(T.columns))]  # columns in another order than the index
    gdp = gdp.copy()
    gdp.iloc[1] = np.nan
    p = MetricParams()
    core, subs = int(T.index[0]), (int(T.index[1]),)
    za.mode_arrays(T, pop, gdp, d, p, core, subs)  # the array path takes these inputs
    _assert_same(
        asm._mode_measures("road", T, pop, gdp, d, p, core, subs),
        asm._mode_series("road", T, pop, gdp, d, p, core, subs),
    )


def test_mode_measures_raise_the_metric_errors() -> None:
    T, pop, gdp, d = _inputs(4)
    p = MetricParams()
    with pytest.raises(Exception, match="targets not in T"):
        asm._mode_measures("rail", T, pop, gdp, d, p, 1, (int(T.index[1]),))
    d2 = d.copy()
    d2.iloc[0, 1] = d2.iloc[1, 0] = 0.0
    with pytest.raises(Exception, match="0 km apart"):
        asm._mode_measures("rail", T, pop, gdp, d2, p, int(T.index[0]), (int(T.index[1]),))


def test_same_value_is_exact() -> None:
    a = pd.DataFrame(np.arange(6.0).reshape(2, 3), index=[1, 2], columns=list("abc"))
    assert same_value(a, a.copy())
    b = a.copy()
    b.iloc[0, 0] = np.nextafter(0.0, 1.0)
    assert not same_value(a, b)
    assert not same_value(a, a.set_axis([2, 1]))  # labels count
    assert not same_value(a, a.astype(np.float32))  # dtypes count
    s = pd.Series([1.0, np.nan], name="x")
    assert same_value(s, s.copy())
    assert not same_value(s, s.rename("y"))
    assert same_value((s, MetricParams(), 3), (s.copy(), MetricParams(), 3))
    assert not same_value((s, MetricParams()), (s, MetricParams(beta=0.02)))


def test_last_value_keeps_one_entry_per_slot() -> None:
    r = Reuse(region=None)  # type: ignore[arg-type]
    calls = []

    def make(x: np.ndarray) -> float:
        calls.append(1)
        return float(x.sum())

    x = np.arange(4.0)
    assert last_value(r, "s", (x,), lambda: make(x)) == 6.0
    assert last_value(r, "s", (x.copy(),), lambda: make(x)) == 6.0  # equal values: kept
    assert len(calls) == 1
    y = x + 1
    assert last_value(r, "s", (y,), lambda: make(y)) == 10.0
    assert len(calls) == 2
    assert len(r.memo) == 1


def test_frame_equals_the_dict_constructor() -> None:
    idx = pd.Index([3, 1, 2], name="origin")
    same = {"a": pd.Series([1.0, 2, 3], index=idx), "b": pd.Series([4.0, 5, np.nan], index=idx.copy())}
    pd.testing.assert_frame_equal(asm._frame(same), pd.DataFrame(same), check_exact=True)
    other = {"a": same["a"], "b": pd.Series([4.0, 5, 6], index=[1, 2, 3])}  # aligned by label
    pd.testing.assert_frame_equal(asm._frame(other), pd.DataFrame(other), check_exact=True)
    ints = {"a": same["a"], "b": pd.Series([1, 2, 3], index=idx)}  # an integer column keeps its dtype
    pd.testing.assert_frame_equal(asm._frame(ints), pd.DataFrame(ints), check_exact=True)

"""Integration that can move: log-logistic decay, core-member integration, Janelle convergence."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.metrics.integration import core_member_integration, logistic_decay, time_space_convergence

IDS = [1, 2, 3, 4, 5]


def test_logistic_decay_hand() -> None:
    b = 2.326
    f = logistic_decay(np.array([0.0, 30.0, 60.0, 120.0, np.inf]))
    np.testing.assert_allclose(f, [1.0, 1 / (1 + 0.5**b), 0.5, 1 / (1 + 2**b), 0.0])
    assert np.all(np.diff(f) < 0)  # every minute saved counts
    assert float(logistic_decay(45.0, midpoint=45.0, slope=1.0)) == pytest.approx(0.5)


def _T() -> pd.DataFrame:
    t = np.array(
        [
            [0, 60, 30, np.inf, 200],
            [60, 0, 90, np.inf, 200],
            [30, 90, 0, np.inf, 200],
            [np.inf, np.inf, np.inf, 0, 100],
            [200, 200, 200, 100, 0],
        ]
    )
    return pd.DataFrame(t, index=IDS, columns=IDS)


def test_core_member_integration_hand() -> None:
    pop = pd.Series({1: 10.0, 2: 1.0, 3: 3.0, 4: 2.0, 5: 2.0})
    out = core_member_integration(_T(), {"a": [1, 2, 3], "b": [5, 4]}, {"a": 1, "b": 5}, pop)
    f30, f60, f100 = (float(logistic_decay(x)) for x in (30.0, 60.0, 100.0))
    # metro a: core 1, members 2 (60 min, P=1) and 3 (30 min, P=3)
    assert out.loc["a", "core_mean_time_min"] == pytest.approx((60 + 3 * 30) / 4)
    assert out.loc["a", "logistic_integration"] == pytest.approx((f60 + 3 * f30) / 4)
    assert out.loc["a", "population"] == 14.0
    # metro b: core 5, member 4 at 100 min
    assert out.loc["b", "logistic_integration"] == pytest.approx(f100)
    # region: metros weighted by population (14 and 4)
    assert out.attrs["logistic_integration"] == pytest.approx((14 * (f60 + 3 * f30) / 4 + 4 * f100) / 18)


def test_core_member_integration_unreachable_member() -> None:
    pop = pd.Series(1.0, index=IDS)
    out = core_member_integration(_T(), {"a": [1, 2, 4]}, {"a": 1}, pop)
    assert math.isinf(out.loc["a", "core_mean_time_min"])
    assert out.loc["a", "logistic_integration"] == pytest.approx(0.5 * 0.5)  # f(60) / 2, f(inf) = 0


def test_time_space_convergence_hand() -> None:
    T0 = _T()
    T1 = T0.copy()
    T1.loc[1, 2] = 40.0  # 20 min saved
    T1.loc[1, 3] = 30.0  # unchanged
    assert time_space_convergence(T0, T1, 10, [(1, 2), (1, 3)]) == pytest.approx(1.0)
    assert time_space_convergence(T0, T1, 10, [(1, 2), (1, 3)], weights=[3, 1]) == pytest.approx(1.5)
    # a pair unreachable in either year is left out
    assert time_space_convergence(T0, T1, 5, [(1, 2), (1, 4)]) == pytest.approx(4.0)
    assert math.isnan(time_space_convergence(T0, T1, 5, [(1, 4)]))
    with pytest.raises(ValueError, match="years"):
        time_space_convergence(T0, T1, 0, [(1, 2)])
    with pytest.raises(ValueError, match="not in both"):
        time_space_convergence(T0, T1, 1, [(1, 99)])


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_timeline_moves() -> None:
    tl = yrdnet.timeline(["baseline_2010", "plan_2035"])
    row = tl.loc["convergence_core_members_min_per_year"]
    assert row["baseline_2010"] == 0.0 and row["plan_2035"] > 0
    li = tl.loc["metro_logistic_integration"]
    assert li["plan_2035"] > li["baseline_2010"]
    mt = tl.loc["metro_core_mean_time_min"]
    assert mt["plan_2035"] < mt["baseline_2010"]

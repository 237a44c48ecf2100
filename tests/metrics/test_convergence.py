"""Janelle convergence per pair over a timeline (issue 20, item 6): by hand, order, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from yrdnet.metrics.convergence import convergence_periods, convergence_summary, janelle_convergence

IDS = [1, 2, 3]
INF = np.inf


def _m(rows: list[list[float]], ids: list[int] = IDS) -> pd.DataFrame:
    return pd.DataFrame(rows, index=ids, columns=ids, dtype=float)


def _timeline() -> dict[int, pd.DataFrame]:
    """3 zones, 3 years; 1-2 is asymmetric in 2010 (100 / 120: 110), 2-3 unreachable in 2015."""
    return {
        2010: _m([[0, 100, 200], [120, 0, 150], [200, 150, 0]]),
        2015: _m([[0, 90, 150], [90, 0, INF], [150, INF, 0]]),
        2025: _m([[0, 70, 100], [70, 0, 100], [100, 100, 0]]),
    }


def test_by_hand() -> None:
    t = janelle_convergence(_timeline(), core=[(3, 1)]).set_index(["zone_a", "zone_b"])
    assert list(t.index) == [(1, 2), (1, 3), (2, 3)]
    assert t.loc[(1, 2), "minutes_2010"] == 110.0  # both directions averaged
    assert t.loc[(1, 2), "convergence_2010_2015_min_per_year"] == pytest.approx(20 / 5)
    assert t.loc[(1, 3), "convergence_2015_2025_min_per_year"] == pytest.approx(50 / 10)
    assert t.loc[(1, 3), "convergence_2010_2025_min_per_year"] == pytest.approx(100 / 15)
    assert t.loc[(2, 3), "convergence_2010_2025_min_per_year"] == pytest.approx(50 / 15)
    assert math.isnan(t.loc[(2, 3), "convergence_2010_2015_min_per_year"])  # unreachable in 2015
    assert t.loc[(1, 2), "relative_convergence_2010_2015_pct_per_year"] == pytest.approx(100 * math.log(110 / 90) / 5)
    assert t.loc[(1, 3), "time_saved_2010_2025_pct"] == pytest.approx(50.0)
    assert list(t["core_link"]) == [False, True, False]
    # the log rate is additive: the span's rate is the period rates weighted by length
    r = t.loc[(1, 2)]
    parts = 5 * r["relative_convergence_2010_2015_pct_per_year"] + 10 * r["relative_convergence_2015_2025_pct_per_year"]
    assert r["relative_convergence_2010_2025_pct_per_year"] == pytest.approx(parts / 15)


def test_summary_by_hand() -> None:
    s = convergence_summary(janelle_convergence(_timeline(), core=[(3, 1)]))
    assert list(s.index) == ["2010-2015", "2015-2025", "2010-2025"]
    assert s.loc["2010-2015", "pairs"] == 2 and s.loc["2010-2025", "pairs"] == 3
    assert s.loc["2010-2015", "mean_convergence_min_per_year"] == pytest.approx((4 + 10) / 2)
    assert s.loc["2010-2025", "mean_convergence_min_per_year"] == pytest.approx((40 + 100 + 50) / 45)
    assert s.loc["2010-2025", "core_mean_convergence_min_per_year"] == pytest.approx(100 / 15)
    assert s.loc["2010-2025", "core_links"] == 1
    # core links given to the summary instead of the table
    plain = convergence_summary(janelle_convergence(_timeline()), core=[(1, 3)])
    pd.testing.assert_frame_equal(plain, s)


def test_zone_and_year_order_do_not_matter() -> None:
    times = _timeline()
    a = janelle_convergence(times)
    perms = {2010: [3, 1, 2], 2015: [2, 3, 1], 2025: [1, 3, 2]}
    shuffled = [(y, times[y].loc[perms[y], perms[y][::-1]]) for y in (2025, 2010, 2015)]
    pd.testing.assert_frame_equal(janelle_convergence(shuffled), a)


def test_periods() -> None:
    assert convergence_periods([2025, 2010, 2015]) == [(2010, 2015), (2015, 2025), (2010, 2025)]
    assert convergence_periods([2010, 2025]) == [(2010, 2025)]


def test_bad_input_raises_one_clear_value_error() -> None:
    times = _timeline()
    other = _m([[0, 1, 1], [1, 0, 1], [1, 1, 0]], ids=[1, 2, 4])
    with pytest.raises(ValueError, match=r"zones of 2015 differ from those of 2010: 1 extra \[4\], 1 missing \[3\]"):
        janelle_convergence({2010: times[2010], 2015: other})
    with pytest.raises(ValueError, match="year 2010 is given twice"):
        janelle_convergence([(2010, times[2010]), (2015, times[2015]), (2010, times[2025])])
    with pytest.raises(ValueError, match="at least two years"):
        janelle_convergence({2010: times[2010]})
    with pytest.raises(ValueError, match="2015 matrix must be square"):
        janelle_convergence({2010: times[2010], 2015: times[2015].iloc[:2]})
    with pytest.raises(ValueError, match="no convergence_"):
        convergence_summary(pd.DataFrame({"zone_a": [1], "zone_b": [2]}))

"""Periphery gains, by hand on tiny tables (issue 20, item 5): labels, nearest centre, gains, weighted means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrdnet.core.errors import DataError
from yrdnet.metrics.hinterland import hinterland_coverage
from yrdnet.metrics.periphery import gain_table, periphery_labels, time_to_nearest, weighted_summary

INF = np.inf
# zones 1, 2 (city 10), 3, 4 (city 20); zone 4 unreachable from and to the others
T = pd.DataFrame(
    [[0, 40, 70, INF], [40, 0, 130, INF], [70, 130, 0, INF], [INF, INF, INF, 0]],
    index=[1, 2, 3, 4],
    columns=[1, 2, 3, 4],
    dtype=float,
)
POP = pd.Series({1: 100.0, 2: 50.0, 3: 30.0, 4: 20.0})


def test_labels_take_a_city_whole_and_a_county_alone() -> None:
    city = pd.Series({1: 10, 2: 10, 3: 20, 4: 20})
    lab = periphery_labels(city, {"north": [10], "south": [4]})
    assert lab.to_dict() == {1: "north", 2: "north", 3: "", 4: "south"}
    with pytest.raises(DataError, match="zone 4 is in two peripheries: 'a' and 'b'"):
        periphery_labels(city, {"a": [20], "b": [4]})


def test_time_to_nearest_centre_by_hand() -> None:
    t, c = time_to_nearest(T, [1, 3])
    assert t.to_dict() == {1: 0.0, 2: 40.0, 3: 0.0, 4: INF}  # 2 -> 1 (40) beats 2 -> 3 (130)
    assert c[2] == 1 and np.isnan(c[4])  # unreachable: no nearest centre
    with pytest.raises(DataError, match=r"centres \[9\]"):
        time_to_nearest(T, [1, 9])


def test_population_within_by_hand() -> None:
    cov = hinterland_coverage(T, POP, {"one": 1, "three": 3}, (60.0, 120.0))
    # from 1: itself (100) and 2 (40 min, 50) within 60; 3 (70 min, 30) too within 120
    assert cov.loc["one", "population_within_60min"] == 150.0
    assert cov.loc["one", "population_within_120min"] == 180.0
    # from 3: itself (30); 1 at 70 min within 120 only; 2 at 130 never; 4 unreachable
    assert cov.loc["three", "population_within_60min"] == 30.0
    assert cov.loc["three", "population_within_120min"] == 130.0
    assert cov.loc["three", "share_within_120min"] == pytest.approx(130.0 / 200.0)


def test_gains_by_hand() -> None:
    before = pd.DataFrame({"potential": [100.0, 80.0, 0.0], "time": [90.0, 60.0, INF]}, index=[1, 2, 3])
    after = pd.DataFrame({"potential": [150.0, 80.0, 5.0], "time": [60.0, 75.0, 100.0]}, index=[1, 2, 3])
    g = gain_table(before, after, {"potential": "pct", "time": "min"})
    assert g["potential_gain_pct"].tolist()[:2] == [50.0, 0.0]
    assert np.isnan(g.loc[3, "potential_gain_pct"])  # no gain in % from nothing
    assert g["time_change_min"].tolist() == [-30.0, 15.0, -INF]
    assert list(g.columns) == [
        "potential_before", "potential_after", "potential_gain_pct", "time_before", "time_after", "time_change_min",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="kind must be 'pct' or 'min'"):
        gain_table(before, after, {"time": "ratio"})
    with pytest.raises(DataError, match=r"zones \[4\] are in 'after' only"):
        gain_table(before, after.rename(index={3: 4}), {"time": "min"})


def test_weighted_summary_by_hand() -> None:
    t = pd.DataFrame({"pop": [1.0, 3.0, 2.0], "gain": [10.0, 20.0, 5.0], "time": [60.0, INF, 30.0]})
    s = weighted_summary(t, {"a": t["pop"] < 3, "all": t["pop"] > 0}, "pop", ["gain", "time"])
    assert s.loc["a", "gain"] == pytest.approx((1 * 10 + 2 * 5) / 3)
    assert s.loc["all", "gain"] == pytest.approx((10 + 60 + 10) / 6)
    assert s.loc["all", "time"] == pytest.approx((60 + 60) / 3)  # the unreachable zone is left out
    assert s.loc["all", "zones"] == 3 and s.loc["all", "population"] == 6.0

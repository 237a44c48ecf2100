"""The city grouping helpers equal the pandas / numpy operations they replace, bit for bit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrdnet.analysis import city_potential as cpot
from yrdnet.analysis.city_groups import CityMeans, Groups
from yrdnet.analysis.reuse import Reuse, last_value
from yrdnet.core.params import MetricParams


def _reference_mean(col: np.ndarray, w: np.ndarray) -> float:
    ok = ~np.isnan(col)
    if not ok.any():
        return np.nan
    if np.isinf(col[ok]).any():
        return float(np.inf) if (col[ok] > 0).any() else float(-np.inf)
    return float(np.average(col[ok], weights=w[ok]))


@pytest.mark.parametrize("seed", range(6))
def test_city_means_equal_np_average_per_city(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 120, 9
    city = rng.integers(0, 25, n) * 3 + 100  # unsorted, cities of 1 to ~12 zones
    X = rng.lognormal(3.0, 3.0, size=(n, m))
    X[rng.random((n, m)) < 0.15] = np.nan
    X[:, 1] = np.nan
    X[rng.random(n) < 0.1, 2] = np.inf
    X[rng.random(n) < 0.1, 3] = -np.inf
    X[:, 4] = -X[:, 4]
    X[rng.random(n) < 0.1, 4] = -np.inf
    w = rng.lognormal(10.0, 2.0, size=n)
    means = CityMeans(city, w)
    got = means.means(X)
    want = np.array([[_reference_mean(X[city == c, j], w[city == c]) for j in range(m)] for c in means.order])
    np.testing.assert_array_equal(got, want)
    assert means.order == sorted(set(city.tolist()))


@pytest.mark.parametrize("seed", range(6))
def test_groups_sum_equals_groupby_sum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 30, 300) * 7
    if seed % 2:
        labels = np.sort(labels)
    x = rng.standard_normal((300, 4)) * 10.0 ** rng.integers(-5, 12, (300, 4))
    if seed >= 4:
        x[rng.random((300, 4)) < 0.05] = np.nan
    g = Groups(labels)
    np.testing.assert_array_equal(g.sum(x), pd.DataFrame(x).groupby(labels).sum().to_numpy())
    np.testing.assert_array_equal(g.sum(x[:, 0]), pd.Series(x[:, 0]).groupby(labels).sum().to_numpy())
    np.testing.assert_array_equal(g.codes, np.unique(labels))


def test_last_value_keeps_one_value_while_inputs_are_the_same() -> None:
    # the single-slot memo the city steps keep their groupings in: a hit only on equal inputs
    reuse = Reuse(region=None)  # type: ignore[arg-type]
    calls: list[int] = []
    a, obj = np.arange(3.0), object()
    assert last_value(reuse, "s", (a, obj), lambda: calls.append(1) or 1) == 1
    assert last_value(reuse, "s", (a.copy(), obj), lambda: calls.append(2) or 2) == 1  # equal values: a hit
    assert last_value(reuse, "s", (a + 1, obj), lambda: calls.append(3) or 3) == 3
    assert last_value(reuse, "s", (a + 1, object()), lambda: calls.append(4) or 4) == 4  # another object
    z = np.zeros(2)
    assert last_value(reuse, "s", (z,), lambda: calls.append(5) or 5) == 5
    assert last_value(reuse, "s", (-z,), lambda: calls.append(6) or 6) == 6  # -0.0 is not 0.0 (1/x differs)
    nan = np.array([np.nan, 1.0])
    assert last_value(reuse, "s", (nan,), lambda: calls.append(7) or 7) == 7
    assert last_value(reuse, "s", (nan.copy(),), lambda: calls.append(8) or 8) == 7  # NaN equals NaN
    assert calls == [1, 3, 4, 5, 6, 7]
    assert [k for k in reuse.memo if k[0] == "last_value"] == [("last_value", "s")]  # one slot


def test_county_rank_table_equals_core_rank_table_of_the_run() -> None:
    rng = np.random.default_rng(3)
    ids = pd.Index(np.arange(40) + 1000)
    city = np.sort(rng.integers(0, 8, 40)) + 1
    T = rng.uniform(10, 300, (40, 40))
    T = np.asfortranarray((T + T.T) / 2)
    np.fill_diagonal(T, 0.0)
    od = pd.DataFrame(T, index=ids, columns=ids)
    pop = rng.lognormal(12, 1, 40)
    table = pd.DataFrame({"population": pop, "gdp": 1.0, "city": city}, index=ids)
    tii = pd.Series(rng.uniform(5, 20, 40), index=ids)
    centres = {int(c): int(ids[np.flatnonzero(city == c)[-1]]) for c in np.unique(city)}
    run = cpot.CountyRun({"multimodal": od}, table, tii, centres)
    p = MetricParams()
    groups = Groups(city)
    arrays = cpot.CountyArrays(
        od.to_numpy(), pop, tii.to_numpy(), groups, groups.sum(pop),
        tuple((c, int(ids.get_loc(z))) for c, z in centres.items()),
    )  # fmt: skip
    for core in (int(city[0]), int(city[-1])):
        want = cpot.core_rank_table(core, p, run=run)
        pd.testing.assert_frame_equal(cpot.county_rank_table(core, p, arrays), want, check_exact=True)


@pytest.mark.parametrize("seed", range(5))
def test_rank_and_margin_on_arrays_equals_the_series_rule(seed: int) -> None:
    rng = np.random.default_rng(seed)
    s = pd.Series(rng.integers(0, 6, 12).astype(float), index=rng.permutation(12) + 500)  # ties, unsorted
    for core in s.index[:4]:
        got = cpot._rank_margin_series(s, int(core))
        assert got == cpot._rank_and_margin(s, int(core))
    s.iloc[3] = np.nan  # a missing value: the Series rule itself
    assert cpot._rank_margin_series(s, int(s.index[0])) == cpot._rank_and_margin(s, int(s.index[0]))


def test_core_rank_rows_take_pandas_minima() -> None:
    table = pd.DataFrame(
        {"definition": list("abcd"), "zone_consistent": [True, True, False, True], "half_life_min": 60.0,
         "core_rank": [2, 1, 5, 3], "core_margin": [np.nan, -0.1, 9.0, 0.2], "best_other_city": 1},
    )  # fmt: skip
    zc = table[table["zone_consistent"]]
    want = [zc["core_rank"].min(), zc["core_rank"].max(), zc["core_margin"].min(), zc["core_margin"].max()]
    assert list(cpot.core_rank_rows(table).values()) == [float(v) for v in want]
    table["core_margin"] = np.nan
    assert np.isnan(cpot.core_rank_rows(table)["core_margin_potential_min"])
    assert np.isnan(list(cpot.core_rank_rows(table.iloc[:0]).values())).all()

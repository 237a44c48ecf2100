"""Town-country and core-hinterland measures: hand-computed values and the county analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet import hinterland as hl
from yrdnet.core.errors import DataError

IDS = [1, 2, 3, 4]
T = pd.DataFrame(
    [[0, 50, 100, np.inf], [50, 0, 70, np.inf], [100, 70, 0, 30], [np.inf, np.inf, 30, 0]],
    index=IDS,
    columns=IDS,
    dtype=float,
)
POP = pd.Series({1: 5.0, 2: 3.0, 3: 2.0, 4: 10.0})


def test_town_country_gap_hand() -> None:
    v = pd.Series({1: 10.0, 2: 20.0, 3: 4.0, 4: 8.0})
    kind = pd.Series({1: "district", 2: "district", 3: "county", 4: "county_city"})
    g = hl.town_country_gap(v, kind, POP)
    assert g["district"] == pytest.approx((5 * 10 + 3 * 20) / 8)
    assert g["county"] == pytest.approx((2 * 4 + 10 * 8) / 12)
    assert g["ratio"] == pytest.approx(g["district"] / g["county"])
    with pytest.raises(DataError, match="both districts and counties"):
        hl.town_country_gap(v, pd.Series("district", index=IDS), POP)
    with pytest.raises(DataError, match="finite"):
        hl.town_country_gap(v.replace(8.0, np.inf), kind, POP)


def test_urban_rural_gap_hand_skips_missing_splits() -> None:
    v = pd.Series({1: 10.0, 2: 2.0, 3: 7.0})
    u = pd.Series({1: 3.0, 2: 1.0, 3: np.nan})
    r = pd.Series({1: 0.0, 2: 2.0, 3: np.nan})
    g = hl.urban_rural_gap(v, u, r)
    assert g.tolist() == pytest.approx([(30 + 2) / 4, 2.0, 8.0 / 2.0, 8.0 - 2.0])


def test_hinterland_coverage_hand() -> None:
    cov = hl.hinterland_coverage(T, POP, {"a": 1, "d": 4}, [60, 120])
    assert cov.loc["a", "population_within_60min"] == 8.0  # itself and zone 2
    assert cov.loc["a", "population_within_120min"] == 10.0  # zone 4 unreachable
    assert cov.loc["d", "share_within_60min"] == pytest.approx(12 / 20)
    with pytest.raises(DataError, match="not a zone"):
        hl.hinterland_coverage(T, POP, {"x": 9})


def test_time_to_metro_core_hand() -> None:
    t = hl.time_to_metro_core(T, {"m": [1, 2, 3], "n": [4, 3]}, {"m": 1, "n": 4})
    assert t.tolist() == [0.0, 50.0, 30.0, 0.0]  # zone 3: nearest of its two cores
    t2 = hl.time_to_metro_core(T, {"m": [1, 2]}, {"m": 1})
    assert np.isnan(t2[3])  # outside every area


def test_core_periphery_coefficient_hand() -> None:
    ids = list("abcde")
    A = pd.DataFrame(0.0, index=ids, columns=ids)
    A.loc["a", "b"] = A.loc["b", "a"] = 4.0
    A.loc["c", "d"] = 1.0
    # pairs used: core-core (a,b),(b,a) = 4; periphery-periphery: 6 ordered pairs, one 1.0
    x = np.array([4.0, 4.0, 1.0, 0, 0, 0, 0, 0])
    d = np.array([1.0, 1.0, 0, 0, 0, 0, 0, 0])
    assert hl.core_periphery_coefficient(A, ["a", "b"]) == pytest.approx(np.corrcoef(x, d)[0, 1])
    with pytest.raises(DataError, match="two core"):
        hl.core_periphery_coefficient(A, ["a"])


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_county_analysis_town_country_rows() -> None:
    res = yrdnet.analyze("baseline_2025", zones="county", centrality=False, sensitivity_samples=5)
    r = res.region["value"]
    for k in (
        "population_within_60min_of_shanghai",
        "population_within_120min_of_hefei",
        "theil_potential_within_metros",
        "theil_potential_between_metros",
        "potential_ratio_districts_to_counties",
        "watt_difference_counties_minus_districts_min",
        "potential_ratio_urban_to_rural",
        "core_periphery_coefficient",
    ):
        assert np.isfinite(r[k]), k
    assert r["population_within_120min_of_shanghai"] >= r["population_within_60min_of_shanghai"]
    z = res.zones
    assert z.loc[z.index[z["city"] == 310000], "time_to_metro_core_multimodal"].notna().all()
    assert z["time_to_metro_core_multimodal"].min() == 0.0

"""The zone-consistent city potential and the core's rank range (issue 20, item 1)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.city_potential import CountyRun, city_potentials, core_rank_rows, core_rank_table
from yrdnet.core.params import MetricParams
from yrdnet.scenarios.scenario import build_graph, graph_source

POT = "pot_exp_pop_multimodal"


@pytest.fixture(scope="module")
def runs() -> tuple[yrdnet.ScenarioResult, yrdnet.ScenarioResult]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (
            yrdnet.analyze("baseline_2025", centrality=False, sensitivity_samples=5),
            yrdnet.analyze("baseline_2025", zones="county", centrality=False, sensitivity_samples=5),
        )


def test_city_potential_is_the_county_run_aggregated(runs) -> None:  # type: ignore[no-untyped-def]
    city, county = runs
    # one definition at both levels: the city run's potential is the county run's city table
    a = city.cities[POT].astype(float)
    b = county.cities[POT].astype(float).reindex(a.index)
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12)
    # by hand for one city: population-weighted mean of its counties' potentials
    z = county.zones
    hz = z[z["city"] == 330100]
    by_hand = float((hz[POT] * hz["population"]).sum() / hz["population"].sum())
    assert a[330100] == pytest.approx(by_hand, rel=1e-12)
    assert not any("Rich's internal time" in n for n in city.notes)


def test_rich_stays_an_option_and_differs(runs) -> None:  # type: ignore[no-untyped-def]
    city, _ = runs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rich = yrdnet.analyze(
            "baseline_2025", centrality=False, sensitivity_samples=5, params=MetricParams(city_potential="rich")
        )
    # Shanghai's 7,996 km2 polygon: Rich's internal time sinks its potential below the county run's
    assert rich.cities.loc[310000, POT] < city.cities.loc[310000, POT]
    # columns other than the potentials are untouched
    assert rich.cities["watt_pop_multimodal"].equals(city.cities["watt_pop_multimodal"])


def test_core_rank_range_brackets_the_default(runs) -> None:  # type: ignore[no-untyped-def]
    for res in runs:
        r = res.region["value"]
        assert r["core_rank_potential_best"] <= r["core_rank_potential"] <= r["core_rank_potential_worst"]
        assert r["core_margin_potential_min"] <= r["core_margin_potential_max"]
        assert r["core_rank_potential_best"] >= 1 and r["core_rank_potential_worst"] <= 41
    # the range is the same at city and county level (one definition)
    a, b = (res.region["value"] for res in runs)
    assert a["core_rank_potential_best"] == b["core_rank_potential_best"]
    assert a["core_rank_potential_worst"] == b["core_rank_potential_worst"]


def test_graph_not_from_build_graph_falls_back_with_a_note(runs) -> None:  # type: ignore[no-untyped-def]
    city, _ = runs
    G = build_graph("baseline_2025")
    assert graph_source(G) is not None
    H = G.copy()  # a copy is not a graph of build_graph: its county network is unknown
    assert graph_source(H) is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = yrdnet.analyze(H, centrality=False, sensitivity_samples=5)
    assert any("city potential: Rich's internal time" in n for n in res.notes)
    rich = MetricParams(city_potential="rich")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = yrdnet.analyze(G, centrality=False, sensitivity_samples=5, params=rich)
    pd.testing.assert_series_equal(res.cities[POT], ref.cities[POT])
    # and county times given explicitly are used as they are
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        given = yrdnet.analyze(H, centrality=False, sensitivity_samples=5, county_travel_times=_county_od())
    np.testing.assert_allclose(given.cities[POT].to_numpy(), city.cities[POT].to_numpy(), rtol=1e-12)


def _county_od() -> dict[str, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Gc = build_graph("baseline_2025", zones="county")
        return {m: yrdnet.travel_times(Gc, m) for m in ("multimodal", "rail", "road")}


def _tiny() -> CountyRun:
    # city 1: counties 11 (100 people) and 12 (300); city 2: county 21 (200); 30 min apart, 0 within
    T = pd.DataFrame(30.0, index=[11, 12, 21], columns=[11, 12, 21])
    for i in T.index:
        T.loc[i, i] = 0.0
    tab = pd.DataFrame({"population": [100.0, 300.0, 200.0], "gdp": 1.0, "city": [1, 1, 2]}, index=T.index)
    return CountyRun({"multimodal": T}, tab, pd.Series(15.0, index=T.index), {1: 12, 2: 21})


S = 2**-0.5  # exp(-ln 2 / 30 * 15): the own mass at a 15-minute internal time, half-life 30 min


def test_city_potentials_by_hand() -> None:
    p = MetricParams(beta=np.log(2) / 30)
    out = city_potentials(_tiny(), p)[POT]
    p11, p12, p21 = 100 * S + (300 + 200) / 2, 300 * S + (100 + 200) / 2, 200 * S + (100 + 300) / 2
    assert out[1] == pytest.approx((100 * p11 + 300 * p12) / 400)
    assert out[2] == pytest.approx(p21)


def test_core_rank_table_by_hand() -> None:
    t = core_rank_table(1, MetricParams(), run=_tiny(), half_lives=[30.0]).set_index("definition")
    p11, p12, p21 = 100 * S + (300 + 200) / 2, 300 * S + (100 + 200) / 2, 200 * S + (100 + 300) / 2
    county = t.loc["county run, population-weighted mean (default)"]
    assert county["core_rank"] == 1 and county["best_other_city"] == 2
    assert county["core_margin"] == pytest.approx((100 * p11 + 300 * p12) / 400 / p21 - 1)
    centre = t.loc["county run, the county holding the city centre"]
    assert centre["core_margin"] == pytest.approx(p12 / p21 - 1)
    rows = core_rank_rows(t.reset_index())
    assert rows["core_rank_potential_best"] == rows["core_rank_potential_worst"] == 1
    assert rows["core_margin_potential_min"] == pytest.approx(county["core_margin"])
    assert rows["core_margin_potential_max"] == pytest.approx(p12 / p21 - 1)
    assert np.isnan(core_rank_rows(t.iloc[0:0])["core_rank_potential_best"])

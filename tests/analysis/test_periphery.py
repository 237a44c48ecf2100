"""Who gains in the periphery on the shipped county zones (issue 20, item 5): one analysis, checked by hand."""

from __future__ import annotations

import copy
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.core.errors import DataError
from yrdnet.routing.matrices import UnreachableWarning


@pytest.fixture(scope="module")
def res() -> yrdnet.ScenarioResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        return yrdnet.analyze("baseline_2025", zones="county", centrality=False, sensitivity_samples=2)


def test_every_county_outside_the_metros_appears_once(res: yrdnet.ScenarioResult) -> None:
    g = yrdnet.periphery_gains(res, res)
    assert g.index.is_unique
    metros = res.zones["metros"].fillna("")
    assert set(metros.index[metros == ""]) <= set(g.index)
    R = yrdnet.load_region()
    members = {c for ms in R.peripheries["members"] for c in ms}
    in_periphery = res.zones.index[res.zones["city"].isin(members) | res.zones.index.isin(list(members))]
    assert set(in_periphery) <= set(g.index)  # Bengbu's districts too, though in the Hefei metro
    assert set(g.index) == set(in_periphery) | set(metros.index[metros == ""])
    assert (g.loc[g["city"] == 340300, "periphery"] == "wanbei").all()
    assert (g["potential_gain_pct"].abs() < 1e-9).all() and (g["time_to_shanghai_change_min"] == 0).all()
    s = yrdnet.periphery_summary(g)
    assert list(s.index) == ["wanbei", "subei", "zhexinan", "other_outside_metros", "all_outside_metros"]
    assert s.loc["all_outside_metros", "zones"] == int((metros == "").sum())


def test_gains_by_hand_on_a_changed_copy(res: yrdnet.ScenarioResult) -> None:
    after = copy.deepcopy(res)
    z = 341602  # Qiaocheng District (Bozhou), northern Anhui, outside the metros
    huangpu = 310101  # the zone holding Shanghai's centre
    after.zones.loc[z, "pot_exp_pop_multimodal"] *= 1.5
    after.od["multimodal"].loc[z, huangpu] -= 10.0
    g = yrdnet.periphery_gains(res, after)
    assert g.loc[z, "potential_gain_pct"] == pytest.approx(50.0)
    assert g.loc[z, "time_to_shanghai_change_min"] == pytest.approx(-10.0)
    assert g.loc[z, "time_to_shanghai_before_min"] == pytest.approx(res.od["multimodal"].loc[z, huangpu])
    others = g.drop(index=z)
    assert (others["potential_gain_pct"].abs() < 1e-9).all()
    # the population-weighted mean gain of northern Anhui is Qiaocheng's share of its people times 50 %
    wb = g[g["periphery"] == "wanbei"]
    share = wb.loc[z, "population"] / wb["population"].sum()
    assert yrdnet.periphery_summary(g).loc["wanbei", "potential_gain_pct"] == pytest.approx(50.0 * share)


def test_population_within_by_hand_and_as_the_region_rows(res: yrdnet.ScenarioResult) -> None:
    w = yrdnet.population_within(res)
    assert set(w["centre"]) == {"shanghai", "nanjing", "hangzhou", "hefei", "suzhou_jiangsu", "ningbo"}
    sh = w[(w["centre"] == "shanghai")].set_index("threshold_min")
    assert sh["zone"].iloc[0] == 310101  # Huangpu holds the city centre
    T, pop = res.od["multimodal"], res.zones["population"]
    for t in (60.0, 120.0):
        by_hand = float(pop[T.loc[310101] <= t].sum())
        assert sh.loc[t, "population"] == by_hand
        assert sh.loc[t, "population"] == res.region.loc[f"population_within_{t:g}min_of_shanghai", "value"]


def test_results_on_other_zones_are_refused(res: yrdnet.ScenarioResult) -> None:
    other = copy.deepcopy(res)
    other.zones = other.zones.drop(index=other.zones.index[:3])
    with pytest.raises(DataError, match="not on the same zones"):
        yrdnet.periphery_gains(res, other)


def test_the_map_is_drawn(res: yrdnet.ScenarioResult, tmp_path: Path) -> None:
    from yrdnet.region.datasets import load_county_boundaries
    from yrdnet.viz.periphery import plot_periphery_gains

    g = yrdnet.periphery_gains(res, res)
    g["potential_gain_pct"] = np.linspace(0, 10, len(g))
    f = tmp_path / "gains.png"
    plot_periphery_gains(g, load_county_boundaries(), names={"wanbei": "Northern Anhui"}, dpi=50, filepath=f)
    assert f.is_file() and f.stat().st_size > 1000
    with pytest.raises(KeyError, match="'nope' is not a column"):
        plot_periphery_gains(g, load_county_boundaries(), column="nope")
    assert isinstance(g.attrs["years"], tuple)
    assert pd.api.types.is_float_dtype(g["population"])

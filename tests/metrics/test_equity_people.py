"""Equity over people (issue 20): population-weighted Theil and Gini, overlapping metros split by rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrdnet.core.errors import DataError
from yrdnet.metrics import equity as eq

RNG = np.random.default_rng(20)


def test_integer_weights_equal_replicated_people() -> None:
    x = RNG.uniform(0.5, 5.0, 30)
    w = RNG.integers(1, 6, 30)
    groups = RNG.choice(["a", "b", "c"], 30)
    rep_x, rep_g = np.repeat(x, w), np.repeat(groups, w)
    weighted, replicated = eq.theil(x, groups, weights=w), eq.theil(rep_x, rep_g)
    assert np.allclose(weighted.to_numpy(), replicated.to_numpy(), rtol=1e-12, atol=1e-15)
    assert eq.gini(x, w) == pytest.approx(eq.gini(rep_x), rel=1e-12)
    parts = eq.theil_groups(x, groups, weights=w)
    assert parts["weight"].sum() == pytest.approx(w.sum())
    assert parts["within"].sum() + parts["between"].sum() == pytest.approx(weighted["total"], rel=1e-12)


def test_unit_weights_are_the_zone_measure() -> None:
    x = RNG.uniform(0.1, 3.0, 12)
    assert np.allclose(eq.theil(x, weights=np.ones(12)).to_numpy(), eq.theil(x).to_numpy(), rtol=1e-13)


def _zones() -> tuple[pd.Series, pd.Series, pd.Series]:
    ids = [101, 102, 103, 104, 105, 106]
    pot = pd.Series([4.0, 3.0, 2.5, 1.0, 0.5, 2.0], index=ids)
    pop = pd.Series([10.0, 5.0, 2.0, 1.0, 1.0, 3.0], index=ids)
    metros = pd.Series(["a", "a;b", "b", "", "b", "c"], index=ids)
    return pot, pop, metros


def test_overlapping_membership_splits_people_and_keeps_the_total() -> None:
    pot, pop, metros = _zones()
    x, w, g = eq.split_memberships(pot, pop, metros)
    assert len(x) == 7 and w.sum() == pytest.approx(pop.sum())
    assert dict(zip(zip(x, g, strict=True), w, strict=True))[(3.0, "a")] == pytest.approx(2.5)  # 102: half in a
    assert "outside" in set(g)  # 104 is in no metro
    th = eq.theil(x, g, weights=w)
    zones_total = eq.theil(pot.to_numpy(), weights=pop.to_numpy())["total"]
    assert th["total"] == pytest.approx(zones_total, rel=1e-12)
    assert th["within"] + th["between"] == pytest.approx(th["total"], rel=1e-12)


def test_order_of_rows_and_labels_never_matters() -> None:
    pot, pop, metros = _zones()
    ref = eq.split_memberships(pot, pop, metros)
    perm = RNG.permutation(len(pot))
    shuffled = metros.iloc[perm].str.split(";").map(lambda v: ";".join(reversed(v)))
    out = eq.split_memberships(pot.iloc[perm], pop.iloc[::-1], shuffled)
    for a, b in zip(ref, out, strict=True):
        assert list(a) == list(b)


def test_bad_weights_are_named() -> None:
    with pytest.raises(DataError, match="weights must be finite and >= 0"):
        eq.theil([1.0, 2.0], weights=[1.0, -1.0])
    with pytest.raises(DataError, match="weights must not all be 0"):
        eq.theil([1.0, 2.0], weights=[0.0, 0.0])
    pot, pop, metros = _zones()
    with pytest.raises(DataError, match=r"weights has no value for ids \[106\]"):
        eq.split_memberships(pot, pop.drop(106), metros)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_analyze_reports_equity_over_people() -> None:
    import yrdnet

    res = yrdnet.analyze("baseline_2025", zones="county", centrality=False, sensitivity_samples=2)
    r, z = res.region["value"], res.zones
    pot, pop = z["pot_exp_pop_multimodal"].astype(float), z["population"].astype(float)
    assert r["theil_people_pot_exp_pop_multimodal"] == pytest.approx(eq.theil(pot, weights=pop)["total"], rel=1e-12)
    assert r["gini_people_pot_exp_pop_multimodal"] == pytest.approx(eq.gini(pot, pop), rel=1e-12)
    within, between = r["theil_people_potential_within_metros"], r["theil_people_potential_between_metros"]
    assert within + between == pytest.approx(r["theil_people_pot_exp_pop_multimodal"], rel=1e-9)

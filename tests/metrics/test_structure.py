"""Tests of yrdnet.metrics.structure: hand-computed cases, error paths and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams, StructureWeights
from yrdnet.metrics.structure import (
    COMPONENTS,
    structure_components,
    structure_index,
    weight_sensitivity,
)

SH, NJ, HZ = 310000, 320100, 330100
IDS = [SH, NJ, HZ]
HYP = settings(max_examples=30, deadline=None)
score_st = st.floats(0.0, 1.0)
scores_st = st.fixed_dictionaries({c: score_st for c in COMPONENTS})


@pytest.fixture
def T() -> pd.DataFrame:
    # SH-NJ 60, SH-HZ 60, NJ-HZ 120
    rows = [[0, 60, 60], [60, 0, 120], [60, 120, 0]]
    return pd.DataFrame(rows, index=IDS, columns=IDS, dtype=float)


def test_structure_components_hand(T):
    mass = pd.Series([1.0, 1.0, 1.0], IDS)
    comp = structure_components(
        T,
        mass,
        members={"sh": IDS},
        cores={"sh": SH},
        core=SH,
        subcentres=[NJ, HZ],
        centres=IDS,
        params=MetricParams(beta=math.log(2) / 60, core_link_min=90, self_potential=False),
    )
    assert comp.index.tolist() == list(COMPONENTS)
    # potential (half-life 60): SH 1/2 + 1/2 = 1; NJ 1/2 + 1/4 = 0.75; HZ 0.75
    # entropy of shares (0.4, 0.3, 0.3) / ln 3
    e = -(0.4 * math.log(0.4) + 2 * 0.3 * math.log(0.3)) / math.log(3)
    assert comp.loc["polycentricity", "score"] == pytest.approx(e)
    # pairs 60, 60, 120: 2 of 3 within 60
    assert comp.loc["integration", "score"] == pytest.approx(2 / 3)
    # linkage: both sub-centres at 60 min -> 2 ** (-60/90)
    assert comp.loc["linkage", "raw"] == 60.0
    assert comp.loc["linkage", "score"] == pytest.approx(2 ** (-60 / 90))
    # Gini(1, 0.75, 0.75) = 4 * 0.25 / (2 * 9 * 2.5/3) = 1/15
    assert comp.loc["equity", "raw"] == pytest.approx(1 / 15)
    assert comp.loc["equity", "score"] == pytest.approx(14 / 15)
    expected = (e + 2 / 3 + 2 ** (-60 / 90) + 14 / 15) / 4
    assert structure_index(comp) == pytest.approx(expected)


def test_structure_components_fixed_transform_unreachable(T):
    # an unreachable sub-centre scores 0 on linkage; scores never depend on other scenarios
    T2 = T.copy()
    T2.loc[SH, HZ] = T2.loc[HZ, SH] = math.inf
    T2.loc[NJ, HZ] = T2.loc[HZ, NJ] = math.inf
    mass = pd.Series([1.0, 1.0, 1.0], IDS)
    kw = {"members": {"sh": IDS}, "cores": {"sh": SH}, "core": SH, "subcentres": [NJ, HZ]}
    comp = structure_components(T2, mass, centres=IDS, **kw)
    assert comp.loc["linkage", "raw"] == math.inf
    assert comp.loc["linkage", "score"] == pytest.approx(0.5 * 2 ** (-60 / 90))
    assert ((comp["score"] >= 0) & (comp["score"] <= 1)).all()
    with pytest.raises(DataError, match=r"centres not in T: \[1\]"):
        structure_components(T2, mass, centres=[SH, 1], **kw)
    with pytest.raises(DataError, match="at least one metro with 2 or more members"):
        structure_components(T2, mass, members={"sh": [SH]}, cores={"sh": SH}, core=SH, subcentres=[NJ], centres=IDS)


def test_structure_index_hand_and_weights():
    c = {"polycentricity": 1.0, "integration": 0.0, "linkage": 0.5, "equity": 1.0}
    assert structure_index(c) == pytest.approx(0.625)  # (1 + 0 + 0.5 + 1) / 4
    w = StructureWeights(polycentricity=3, integration=1, linkage=0, equity=0)
    assert structure_index(c, w) == pytest.approx(0.75)  # (3*1 + 1*0) / 4
    # weights are normalised: doubling all changes nothing
    w2 = StructureWeights(polycentricity=6, integration=2, linkage=0, equity=0)
    assert structure_index(c, w2) == pytest.approx(0.75)
    assert structure_index(pd.Series(c)) == pytest.approx(0.625)


@pytest.mark.parametrize(
    ("components", "match"),
    [
        ({"polycentricity": 1, "integration": 1, "linkage": 1}, r"missing \['equity'\]"),
        ({c: 0.5 for c in (*COMPONENTS, "beauty")}, r"unknown \['beauty'\]"),
        ({**{c: 0.5 for c in COMPONENTS}, "equity": 1.5}, r"in \[0, 1\]; bad for \['equity'\]"),
        ({**{c: 0.5 for c in COMPONENTS}, "linkage": math.nan}, r"bad for \['linkage'\]"),
        ({**{c: 0.5 for c in COMPONENTS}, "linkage": "x"}, "must be numbers"),
        (pd.DataFrame({"raw": [1, 2, 3, 4]}, index=list(COMPONENTS)), "needs a 'score' column"),
    ],
)
def test_structure_index_errors(components, match):
    with pytest.raises(DataError, match=match):
        structure_index(components)


def test_structure_index_type_errors():
    with pytest.raises(TypeError, match="components must be a mapping"):
        structure_index([0.5, 0.5, 0.5, 0.5])
    with pytest.raises(TypeError, match="weights must be a StructureWeights"):
        structure_index({c: 0.5 for c in COMPONENTS}, {"equity": 1})


def test_weight_sensitivity_equal_scores_have_no_spread():
    c = {k: 0.4 for k in COMPONENTS}
    out = weight_sensitivity(c, n=200)
    row = out.iloc[0]
    for col in ("base", "mean", "min", "max", "p05", "p95", "oat_min", "oat_max"):
        assert row[col] == pytest.approx(0.4)
    assert row["std"] == pytest.approx(0.0, abs=1e-12)
    assert row["rank_stability"] == 1.0
    assert row["prob_best"] == 1.0


def test_weight_sensitivity_scenarios_and_determinism():
    good = {"polycentricity": 0.9, "integration": 0.8, "linkage": 0.9, "equity": 0.9}
    bad = {"polycentricity": 0.1, "integration": 0.2, "linkage": 0.1, "equity": 0.1}
    mixed = {"polycentricity": 1.0, "integration": 0.0, "linkage": 0.5, "equity": 0.5}
    scen = {"plan": good, "base": bad, "mixed": mixed}
    out = weight_sensitivity(scen, n=300, seed=1)
    assert out.index.tolist() == ["plan", "base", "mixed"]
    # 'plan' dominates every component: best under every weighting
    assert out.loc["plan", "prob_best"] == 1.0
    assert out.loc["plan", "rank_base"] == 1
    assert out.loc["base", "rank_base"] == 3
    assert out.loc["base", "rank_stability"] == 1.0
    assert out.loc["mixed", "base"] == pytest.approx(0.5)
    # same seed, same result; DataFrame-of-scenarios input is equivalent
    pd.testing.assert_frame_equal(weight_sensitivity(scen, n=300, seed=1), out)
    table = pd.DataFrame(scen).T
    pd.testing.assert_frame_equal(weight_sensitivity(table, n=300, seed=1), out)
    # one-at-a-time: halving/doubling 'integration' (the only 0) moves 'mixed' both ways
    # weights (1, 0.5, 1, 1)/3.5 -> (1 + 0 + 0.5 + 0.5)/3.5; (1, 1.5, 1, 1)/4.5 -> 2/4.5
    assert out.loc["mixed", "oat_max"] == pytest.approx(2 / 3.5)
    assert out.loc["mixed", "oat_min"] <= 2 / 4.5 + 1e-12


def test_weight_sensitivity_zero_weights_stay_zero():
    c = {"polycentricity": 0.3, "integration": 0.9, "linkage": 0.1, "equity": 0.7}
    w = StructureWeights(polycentricity=1, integration=0, linkage=0, equity=0)
    out = weight_sensitivity(c, w, n=50)
    assert out.iloc[0]["min"] == pytest.approx(0.3)
    assert out.iloc[0]["max"] == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 0}, "n must be a positive integer"),
        ({"concentration": 0.0}, "concentration must be > 0"),
        ({"delta": 1.0}, r"delta must be in \(0, 1\)"),
    ],
)
def test_weight_sensitivity_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        weight_sensitivity({c: 0.5 for c in COMPONENTS}, **kwargs)


# ---------------------------------------------------------------------- properties
@HYP
@given(scores_st)
def test_index_between_min_and_max_component(scores):
    idx = structure_index(scores)
    assert min(scores.values()) - 1e-12 <= idx <= max(scores.values()) + 1e-12
    # the order of the keys does not matter
    assert structure_index(dict(reversed(list(scores.items())))) == pytest.approx(idx)


@HYP
@given(scores_st, st.lists(st.floats(0.0, 5.0), min_size=4, max_size=4).filter(lambda w: sum(w) > 0))
def test_weighted_index_in_range(scores, weights):
    w = StructureWeights(*weights)
    idx = structure_index(scores, w)
    assert 0 <= idx <= 1


@HYP
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), scores_st, min_size=1))
def test_sensitivity_summary_is_ordered(scen):
    out = weight_sensitivity(scen, n=100, seed=3)
    assert (out["min"] <= out["p05"] + 1e-12).all()
    assert (out["p05"] <= out["p50"] + 1e-12).all()
    assert (out["p50"] <= out["p95"] + 1e-12).all()
    assert (out["p95"] <= out["max"] + 1e-12).all()
    assert ((out["rank_stability"] >= 0) & (out["rank_stability"] <= 1)).all()
    # at least one scenario is best in every draw (ties share rank 1)
    assert out["prob_best"].sum() >= 1 - 1e-12
    for name, s in scen.items():
        lo, hi = min(s.values()), max(s.values())
        assert lo - 1e-12 <= out.loc[name, "min"] <= out.loc[name, "max"] <= hi + 1e-12
    assert np.isfinite(out.drop(columns=["rank_base"]).to_numpy()).all()

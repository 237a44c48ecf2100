"""Tests of yrdnet.metrics.integration: hand-computed cases, error paths and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yrdnet.core.errors import DataError
from yrdnet.metrics.integration import (
    core_link_compliance,
    core_links,
    metro_integration,
    travel_circles,
)

SH, SZ, JX, NB = 310000, 320500, 330400, 330200
IDS = [SH, SZ, JX, NB]
INF = math.inf
HYP = settings(max_examples=25, deadline=None)


@pytest.fixture
def T() -> pd.DataFrame:
    rows = [
        [0, 40, 70, 150],
        [40, 0, 50, INF],  # Suzhou - Ningbo unreachable
        [70, 50, 0, 100],
        [150, INF, 100, 0],
    ]
    return pd.DataFrame(rows, index=IDS, columns=IDS, dtype=float)


@pytest.fixture
def pop() -> pd.Series:
    return pd.Series([24.0, 12.0, 6.0, 8.0, 999.0], index=[*IDS, 1])  # extra id ignored


MEMBERS = {"shanghai": [SH, SZ, JX], "ningbo": [NB, JX]}  # Jiaxing in both
CORES = {"shanghai": SH, "ningbo": NB}


def test_metro_integration_hand(T, pop):
    out = metro_integration(T, MEMBERS, CORES, pop)
    assert out.index.tolist() == ["shanghai", "ningbo"]
    sh = out.loc["shanghai"]
    # pairs SH-SZ 40, SH-JX 70, SZ-JX 50: 2 of 3 within 60
    assert sh["n_pairs"] == 3
    assert sh["pairs_within"] == 2
    assert sh["pairs_within_share"] == pytest.approx(2 / 3)
    assert sh["mean_time_min"] == pytest.approx(160 / 3)
    # (24*12*40 + 24*6*70 + 12*6*50) / (288 + 144 + 72) = 25200 / 504 = 50
    assert sh["pop_weighted_mean_time_min"] == pytest.approx(50.0)
    assert sh["max_time_min"] == 70
    # within 60 of Shanghai: Shanghai itself (24) + Suzhou (12) of 42
    assert sh["core_pop_within"] == pytest.approx(36.0)
    assert sh["core_pop_within_share"] == pytest.approx(36 / 42)
    nb = out.loc["ningbo"]
    # one pair NB-JX 100: none within; core covers only itself: 8 of 14
    assert nb["pairs_within_share"] == 0.0
    assert nb["mean_time_min"] == 100.0
    assert nb["core_pop_within_share"] == pytest.approx(8 / 14)
    assert nb["core"] == NB


def test_metro_integration_unreachable_and_threshold(T, pop):
    out = metro_integration(T, {"all": IDS}, {"all": SH}, pop, threshold=100)
    row = out.loc["all"]
    # 6 pairs, SZ-NB unreachable; within 100 (inclusive): 40, 70, 50, 100 -> 4
    assert row["n_unreachable"] == 1
    assert row["pairs_within"] == 4
    assert row["mean_time_min"] == pytest.approx((40 + 70 + 150 + 50 + 100) / 5)
    assert row["max_time_min"] == INF


def test_metro_integration_asymmetric_uses_round_trip_half(pop):
    # SH->SZ 50, SZ->SH 80: pair time 65 > 60 although one direction is within
    T = pd.DataFrame([[0, 50], [80, 0]], index=[SH, SZ], columns=[SH, SZ], dtype=float)
    out = metro_integration(T, {"m": [SH, SZ]}, {"m": SH}, pop)
    assert out.loc["m", "mean_time_min"] == 65.0
    assert out.loc["m", "pairs_within"] == 0
    assert out.loc["m", "core_pop_within"] == 24.0


def test_single_member_metro_is_nan(T, pop):
    out = metro_integration(T, {"solo": [NB]}, {"solo": NB}, pop)
    assert out.loc["solo", "n_pairs"] == 0
    assert np.isnan(out.loc["solo", "pairs_within_share"])
    assert np.isnan(out.loc["solo", "mean_time_min"])
    assert out.loc["solo", "core_pop_within_share"] == 1.0


@pytest.mark.parametrize(
    ("members", "cores", "match"),
    [
        ({"shanghai": [SH, 999]}, {"shanghai": SH}, r"metro 'shanghai': ids not in T \[999\]"),
        ({"shanghai": []}, {"shanghai": SH}, "has no members"),
        ({"shanghai": [SH, SZ]}, {"shanghai": NB}, "is not among its members"),
        ({"shanghai": [SH, SZ], "ningbo": [NB]}, {"shanghai": SH}, r"no core for metros"),
        ({"shanghai": [SH]}, {"shanghai": SH, "x": NB}, r"cores given for unknown metros"),
        ({}, {}, "non-empty mapping"),
    ],
)
def test_metro_integration_errors(T, pop, members, cores, match):
    with pytest.raises(DataError, match=match):
        metro_integration(T, members, cores, pop)


def test_population_missing_id(T):
    with pytest.raises(DataError, match=r"population has no value for ids \[330200\]"):
        metro_integration(T, MEMBERS, CORES, pd.Series([1.0, 1, 1], [SH, SZ, JX]))


def test_core_links_hand(T):
    cores = {"shanghai": SH, "ningbo": NB, "jiaxing": JX}
    out = core_links(T, cores)
    # pairs: SH-NB 150, SH-JX 70, NB-JX 100; within 90: F, T, F
    assert out[["metro_a", "metro_b"]].to_numpy().tolist() == [
        ["shanghai", "ningbo"],
        ["shanghai", "jiaxing"],
        ["ningbo", "jiaxing"],
    ]
    assert out["time_min"].tolist() == [150, 70, 100]
    assert out["within"].tolist() == [False, True, False]
    assert core_link_compliance(T, cores) == pytest.approx(1 / 3)
    assert core_link_compliance(T, cores, threshold=150) == 1.0
    with pytest.raises(DataError, match="at least 2 metros"):
        core_links(T, {"shanghai": SH})
    with pytest.raises(DataError, match=r"cores not in T: \[1\]"):
        core_links(T, {"shanghai": SH, "x": 1})


def test_travel_circles_hand(T):
    out = travel_circles(T, MEMBERS)
    assert out.index.tolist() == ["metro_1h", "region_2h", "region_3h"]
    # pairs sharing a metro: SH-SZ 40, SH-JX 70, SZ-JX 50, NB-JX 100 -> 2 of 4 within 60
    assert out.loc["metro_1h", ["n_pairs", "n_within"]].tolist() == [4, 2]
    assert out.loc["metro_1h", "share"] == 0.5
    # all 6 pairs: <= 120: 40, 70, 50, 100; <= 180: + 150 (SZ-NB unreachable)
    assert out.loc["region_2h", "share"] == pytest.approx(4 / 6)
    assert out.loc["region_3h", "share"] == pytest.approx(5 / 6)
    assert out["threshold_min"].tolist() == [60.0, 120.0, 180.0]
    with pytest.raises(ValueError, match="three numbers"):
        travel_circles(T, MEMBERS, thresholds=(60, 120))
    with pytest.raises(ValueError, match="thresholds_min must be positive"):
        travel_circles(T, MEMBERS, thresholds=(60, -1, 180))


def test_inputs_not_mutated(T, pop):
    T0, p0 = T.copy(), pop.copy()
    members = {k: list(v) for k, v in MEMBERS.items()}
    metro_integration(T, members, CORES, pop)
    travel_circles(T, members)
    pd.testing.assert_frame_equal(T, T0)
    pd.testing.assert_series_equal(pop, p0)
    assert members == MEMBERS


# ---------------------------------------------------------------------- properties
@st.composite
def metro_case(draw):
    n = draw(st.integers(3, 7))
    ids = list(range(310000, 310000 + n))
    k = n * (n - 1) // 2
    times = draw(st.lists(st.one_of(st.floats(5.0, 300.0), st.just(INF)), min_size=k, max_size=k))
    t = np.zeros((n, n))
    t[np.triu_indices(n, 1)] = times
    t = t + t.T
    pop = pd.Series(draw(st.lists(st.floats(0.1, 50.0), min_size=n, max_size=n)), ids)
    members = {}
    for m in ("a", "b"):
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=n, unique=True))
        members[m] = chosen
    cores = {m: v[0] for m, v in members.items()}
    perm = draw(st.permutations(ids))
    return pd.DataFrame(t, ids, ids), pop, members, cores, list(perm)


@HYP
@given(metro_case())
def test_shares_in_range_and_relabelling(case):
    T, pop, members, cores, perm = case
    out = metro_integration(T, members, cores, pop)
    for col in ("pairs_within_share", "core_pop_within_share"):
        vals = out[col].dropna()
        assert ((vals >= 0) & (vals <= 1)).all()
    again = metro_integration(T.loc[perm, perm], members, cores, pop)
    pd.testing.assert_frame_equal(again, out)
    circles = travel_circles(T, members)
    assert ((circles["share"].dropna() >= 0) & (circles["share"].dropna() <= 1)).all()
    pd.testing.assert_frame_equal(travel_circles(T.loc[perm, perm], members), circles)
    # circles nest: pairs within 2 h are a subset of pairs within 3 h
    assert circles.loc["region_2h", "n_within"] <= circles.loc["region_3h", "n_within"]


@HYP
@given(metro_case(), st.floats(0.2, 0.95))
def test_faster_network_never_reduces_integration(case, factor):
    T, pop, members, cores, _ = case
    slow = metro_integration(T, members, cores, pop)
    fast = metro_integration(T * factor, members, cores, pop)
    assert (fast["pairs_within"] >= slow["pairs_within"]).all()
    assert (fast["core_pop_within"] >= slow["core_pop_within"] - 1e-9).all()


def test_pair_counts_equal_the_pair_cube() -> None:
    """Counting on each metro's members equals the (metro, i, j) formulas exactly."""
    from yrdnet.metrics.integration import _pair_counts

    rng = np.random.default_rng(3)
    for _ in range(30):
        n, m = int(rng.integers(2, 40)), int(rng.integers(1, 5))
        t = rng.uniform(5, 150, (n, n))
        t[rng.random((n, n)) < 0.1] = np.inf
        tb = (t + t.T) / 2
        mb = rng.random((m, n)) < 0.3
        mb[:, 0] = True  # every metro has a member; some have one only
        upper = np.triu(np.ones((n, n), dtype=bool), k=1)
        pairs = mb[:, :, None] & mb[:, None, :] & upper[None]
        ref = (
            pairs.sum(axis=(1, 2)),
            (pairs & np.isfinite(tb)[None]).sum(axis=(1, 2)),
            (pairs & (tb <= 60.0)[None]).sum(axis=(1, 2)),
            np.where(pairs, tb[None], -np.inf).max(axis=(1, 2)),
        )
        for got, want in zip(_pair_counts(mb, tb, 60.0), ref, strict=True):
            np.testing.assert_array_equal(got, want)
            assert got.dtype == want.dtype

"""Tests of yrdnet.metrics.accessibility: hand-computed cases, error paths and properties."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams
from yrdnet.metrics.accessibility import (
    closeness,
    cumulative_opportunities,
    daily_accessibility,
    global_efficiency,
    harmonic_closeness,
    n_reachable,
    network_efficiency,
    nodal_efficiency,
    potential_accessibility,
    straightness,
    time_to,
    watt,
    weighted_mean,
)

SH, NJ, HF, XX = 310000, 320100, 340100, 999999
IDS = [SH, NJ, HF]
INF = math.inf
HYP = settings(max_examples=25, deadline=None)


def od(rows: list[list[float]], ids: list[int] = IDS) -> pd.DataFrame:
    return pd.DataFrame(rows, index=ids, columns=ids, dtype=float)


@pytest.fixture
def T() -> pd.DataFrame:
    # Shanghai - Nanjing 60, Shanghai - Hefei 120, Nanjing - Hefei 90 (symmetric)
    return od([[0, 60, 120], [60, 0, 90], [120, 90, 0]])


@pytest.fixture
def mass() -> pd.Series:
    # an extra id (XX) must be ignored: masses are aligned on T's index
    return pd.Series([2.0, 1.0, 1.0, 100.0], index=[SH, NJ, HF, XX])


@pytest.fixture
def dist() -> pd.DataFrame:
    # at 350 km/h: 175 km = 30 min, 350 km = 60 min
    return od([[0, 175, 350], [175, 0, 175], [350, 175, 0]])


# ---------------------------------------------------------------------- hand cases
def test_watt_hand(T, mass):
    # SH: (60*1 + 120*1) / 2 = 90; NJ: (60*2 + 90*1) / 3 = 70; HF: (120*2 + 90*1) / 3 = 110
    out = watt(T, mass)
    assert out.name == "watt"
    assert out.index.tolist() == IDS
    np.testing.assert_allclose(out.to_numpy(), [90, 70, 110])


def test_watt_unreachable_averages_reachable_only():
    T = od([[0, 60, INF], [60, 0, 90], [INF, 90, 0]])
    m = pd.Series([2.0, 1.0, 1.0], IDS)
    # SH reaches only NJ: 60; NJ: (60*2 + 90*1) / 3 = 70; HF reaches only NJ: 90
    np.testing.assert_allclose(watt(T, m).to_numpy(), [60, 70, 90])
    assert n_reachable(T).tolist() == [1, 2, 1]


def test_watt_nothing_reachable_is_nan():
    T = od([[0, INF], [INF, 0]], ids=[SH, NJ])
    assert watt(T, pd.Series([1.0, 1.0], [SH, NJ])).isna().all()


def test_potential_exp_hand(T, mass):
    # beta = ln2/60: f(60) = 1/2, f(120) = 1/4, f(90) = 2**-1.5 = 0.353553
    # SH: 1*0.5 + 1*0.25 = 0.75; NJ: 2*0.5 + 1*0.353553; HF: 2*0.25 + 1*0.353553
    out = potential_accessibility(T, mass, decay="exp", beta=math.log(2) / 60, self_potential=False)
    np.testing.assert_allclose(out.to_numpy(), [0.75, 1 + 2**-1.5, 0.5 + 2**-1.5])
    assert out.name == "potential"


def test_potential_power_hand(T, mass):
    # a = 2: SH: 1/3600 + 1/14400 = 5/14400; NJ: 2/3600 + 1/8100; HF: 2/14400 + 1/8100
    out = potential_accessibility(T, mass, decay="power", power_a=2, self_potential=False)
    np.testing.assert_allclose(out.to_numpy(), [5 / 14400, 2 / 3600 + 1 / 8100, 2 / 14400 + 1 / 8100])


def test_potential_self_potential_scalar_and_series(T, mass):
    base = potential_accessibility(T, mass, beta=math.log(2) / 60, self_potential=False)
    # self time 60 min -> own mass * 1/2 added
    with_self = potential_accessibility(T, mass, beta=math.log(2) / 60, self_potential=True, self_time_min=60)
    np.testing.assert_allclose((with_self - base).to_numpy(), [1.0, 0.5, 0.5])
    per_zone = pd.Series([60.0, 120.0, 60.0], IDS)
    # NJ's self time 120 -> 1 * 1/4
    out = potential_accessibility(T, mass, beta=math.log(2) / 60, self_potential=True, self_time_min=per_zone)
    np.testing.assert_allclose((out - base).to_numpy(), [1.0, 0.25, 0.5])


def test_potential_params_and_override(T, mass):
    p = MetricParams(decay="power", power_a=1.0, self_potential=False)
    a = potential_accessibility(T, mass, params=p)
    b = potential_accessibility(T, mass, decay="power", power_a=1.0, self_potential=False)
    pd.testing.assert_series_equal(a, b)
    # explicit argument overrides params
    c = potential_accessibility(T, mass, params=p, power_a=2.0)
    assert c[SH] == pytest.approx(5 / 14400)


def test_potential_self_potential_is_the_default(T, mass):
    # MetricParams().self_potential is True: the own mass at self_time_min (15 min)
    beta = math.log(2) / 60
    with_self = potential_accessibility(T, mass, beta=beta)
    without = potential_accessibility(T, mass, beta=beta, self_potential=False)
    own = mass.reindex(T.index).to_numpy(float)
    np.testing.assert_allclose((with_self - without).to_numpy(), own * 2 ** (-15 / 60))


def test_rich_self_time_hand():
    from yrdnet.metrics.accessibility import rich_self_time

    area = pd.Series({1: math.pi * 40.0**2, 2: math.pi * 10.0**2})
    # t = 0.5 r / v: 0.5 * 40 km / 20 km/h = 60 min; 0.5 * 10 / 20 = 15 min; at 40 km/h half
    np.testing.assert_allclose(rich_self_time(area).to_numpy(), [60.0, 15.0])
    np.testing.assert_allclose(rich_self_time(area, speed_kph=40.0).to_numpy(), [30.0, 7.5])
    with pytest.raises(DataError, match="areas must be > 0"):
        rich_self_time(pd.Series({1: 0.0}))
    with pytest.raises(DataError, match="speed_kph"):
        rich_self_time(area, speed_kph=0.0)


def test_potential_unreachable_contributes_zero():
    T = od([[0, 60, INF], [60, 0, INF], [INF, INF, 0]])
    m = pd.Series([1.0, 1.0, 5.0], IDS)
    out = potential_accessibility(T, m, decay="power", power_a=1, self_potential=False)
    np.testing.assert_allclose(out.to_numpy(), [1 / 60, 1 / 60, 0.0])


def test_cumulative_and_daily_hand(T, mass):
    # within 60: SH reaches NJ (1); NJ reaches SH (2); HF none
    np.testing.assert_allclose(cumulative_opportunities(T, mass, 60).to_numpy(), [1, 2, 0])
    # include_self adds own mass
    np.testing.assert_allclose(cumulative_opportunities(T, mass, 60, include_self=True).to_numpy(), [3, 3, 1])
    # within 90 (inclusive): SH: 1; NJ: 2 + 1; HF: 1
    np.testing.assert_allclose(cumulative_opportunities(T, mass, 90).to_numpy(), [1, 3, 1])
    # 4 h: everything else
    np.testing.assert_allclose(daily_accessibility(T, mass).to_numpy(), [2, 3, 3])
    assert daily_accessibility(T, mass, 100).name == "daily_accessibility"
    np.testing.assert_allclose(daily_accessibility(T, mass, 100).to_numpy(), [1, 3, 1])


@pytest.mark.parametrize("bad", [0, -5, math.inf, math.nan])
def test_cumulative_bad_threshold(T, mass, bad):
    with pytest.raises(ValueError, match="threshold must be a positive finite"):
        cumulative_opportunities(T, mass, bad)


def test_network_efficiency_hand(T, dist, mass):
    # ideal times: SH-NJ 30, SH-HF 60, NJ-HF 30
    # SH: (60/30*1 + 120/60*1) / 2 = 2; NJ: (2*2 + 3*1) / 3; HF: (2*2 + 3*1) / 3
    out = network_efficiency(T, dist, mass)
    np.testing.assert_allclose(out.to_numpy(), [2, 7 / 3, 7 / 3])
    # doubling the ideal speed doubles the ratio
    np.testing.assert_allclose(network_efficiency(T, dist, mass, ideal_speed_kph=700).to_numpy(), [4, 14 / 3, 14 / 3])


def test_network_efficiency_zero_distance_raises(T, mass):
    d = od([[0, 0, 350], [0, 0, 175], [350, 175, 0]])
    with pytest.raises(DataError, match=r"0 km apart.*310000"):
        network_efficiency(T, d, mass)


def test_efficiency_hand(T, dist):
    # nodal: SH (1/60 + 1/120)/2 = 9/720; NJ (1/60 + 1/90)/2 = 10/720; HF (1/120+1/90)/2 = 7/720
    np.testing.assert_allclose(nodal_efficiency(T).to_numpy() * 720, [9, 10, 7])
    assert global_efficiency(T) * 720 == pytest.approx(26 / 3)
    # ideal graph: SH 1/30 + 1/60 = 3/60; NJ 2/30; HF 1/60 + 1/30 = 3/60
    # normalised SH: (1/60 + 1/120) / (3/60) = 0.5; NJ: (1/60 + 1/90) / (2/30) = 5/12
    np.testing.assert_allclose(nodal_efficiency(T, dist).to_numpy(), [0.5, 5 / 12, 14 / 36])
    # global: sum(1/T) / sum(1/T_hat) = 2*(1/60 + 1/120 + 1/90) / 2*(1/30 + 1/60 + 1/30)
    num = 1 / 60 + 1 / 120 + 1 / 90
    den = 1 / 30 + 1 / 60 + 1 / 30
    assert global_efficiency(T, dist) == pytest.approx(num / den)


def test_efficiency_of_the_ideal_graph_is_one(dist, mass):
    ideal = dist * 60 / 350
    assert global_efficiency(ideal, dist) == pytest.approx(1.0)
    np.testing.assert_allclose(nodal_efficiency(ideal, dist).to_numpy(), 1.0)
    np.testing.assert_allclose(straightness(ideal, dist).to_numpy(), 1.0)
    np.testing.assert_allclose(network_efficiency(ideal, dist, mass).to_numpy(), 1.0)


def test_closeness_harmonic_straightness_hand(T, dist):
    # closeness SH: 2 / (60 + 120) * 2/2; NJ: 2/150; HF: 2/210
    np.testing.assert_allclose(closeness(T).to_numpy(), [2 / 180, 2 / 150, 2 / 210])
    pd.testing.assert_series_equal(harmonic_closeness(T), nodal_efficiency(T).rename("harmonic_closeness"))
    # straightness SH: (30/60 + 60/120) / 2; NJ: (30/60 + 30/90) / 2; HF: (60/120 + 30/90) / 2
    np.testing.assert_allclose(straightness(T, dist).to_numpy(), [0.5, 5 / 12, 5 / 12])


def test_closeness_unreachable_matches_networkx():
    # 4 zones, HF isolated; symmetric so outbound == networkx's inbound convention
    ids = [SH, NJ, HF, XX]
    T = od([[0, 60, INF, 30], [60, 0, INF, 45], [INF, INF, 0, INF], [30, 45, INF, 0]], ids=ids)
    G = nx.Graph()
    G.add_nodes_from(ids)
    for i in ids:
        for j in ids:
            if i < j and np.isfinite(T.loc[i, j]):
                G.add_edge(i, j, t=T.loc[i, j])
    ref = nx.closeness_centrality(G, distance="t", wf_improved=True)
    np.testing.assert_allclose(closeness(T).to_numpy(), [ref[i] for i in ids])
    # harmonic: 1/inf = 0, divided by N - 1 = 3
    ref_h = nx.harmonic_centrality(G, distance="t")
    np.testing.assert_allclose(harmonic_closeness(T).to_numpy(), [ref_h[i] / 3 for i in ids])


def test_time_to_hand(T):
    assert time_to(T, SH).tolist() == [0, 60, 120]
    assert time_to(T, [NJ, HF]).tolist() == [60, 0, 0]
    assert time_to(T, SH).name == "time_to"
    with pytest.raises(DataError, match="999999"):
        time_to(T, [SH, XX])
    with pytest.raises(ValueError, match="targets is empty"):
        time_to(T, [])


def test_time_to_uses_outbound_row():
    T = od([[0, 10, 20], [50, 0, 30], [70, 40, 0]])
    assert time_to(T, SH).tolist() == [0, 50, 70]


def test_weighted_mean():
    v = pd.Series([10.0, 40.0, INF], [SH, NJ, HF])
    w = pd.Series([3.0, 1.0, 0.0, 9.0], [SH, NJ, HF, XX])
    assert weighted_mean(v, w) == pytest.approx(17.5)  # (30 + 40) / 4; inf has weight 0
    with pytest.raises(DataError, match="must not all be 0"):
        weighted_mean(v, w * 0)


# ---------------------------------------------------------------------- validation
def test_rejects_non_dataframe(mass):
    with pytest.raises(TypeError, match="T must be a pandas DataFrame"):
        watt(np.zeros((3, 3)), mass)
    with pytest.raises(TypeError, match="mass must be a pandas Series"):
        watt(od([[0, 1], [1, 0]], ids=[SH, NJ]), [1, 2])


def test_rejects_non_square(mass):
    T = pd.DataFrame([[0, 1, 2], [1, 0, 3]], index=[SH, NJ], columns=IDS, dtype=float)
    with pytest.raises(DataError, match=r"not square \(2 rows x 3 columns\)"):
        watt(T, mass)


def test_rejects_mismatched_labels(mass):
    T = pd.DataFrame(np.zeros((2, 2)), index=[SH, NJ], columns=[SH, HF])
    with pytest.raises(DataError, match=r"only in rows: \[320100\].*only in columns: \[340100\]"):
        watt(T, mass)


def test_reordered_columns_are_aligned(T, mass):
    shuffled = T.loc[:, [HF, SH, NJ]]
    pd.testing.assert_series_equal(watt(shuffled, mass), watt(T, mass))


@pytest.mark.parametrize(
    ("value", "where", "match"),
    [
        (math.nan, (0, 1), "NaN value"),
        (-5.0, (0, 1), "negative value"),
        (7.0, (1, 1), r"diagonal must be 0, non-zero for ids \[320100\]"),
    ],
)
def test_rejects_bad_values(T, mass, value, where, match):
    bad = T.copy()
    bad.iloc[where] = value
    with pytest.raises(DataError, match=match):
        potential_accessibility(bad, mass)


def test_collects_all_problems(mass):
    T = od([[1, -1, 0], [0, 0, math.nan], [0, 0, 0]])
    with pytest.raises(DataError, match=r"NaN.*negative.*diagonal"):
        watt(T, mass)


def test_mass_missing_ids_named(T):
    with pytest.raises(DataError, match=r"mass has no value for ids \[340100\]"):
        watt(T, pd.Series([1.0, 1.0], [SH, NJ]))


def test_mass_negative_or_nan(T):
    with pytest.raises(DataError, match=r"mass: NaN for ids \[320100\]; negative for ids"):
        watt(T, pd.Series([-1.0, math.nan, 1.0], IDS))


def test_power_decay_rejects_zero_times(mass):
    T = od([[0, 0, 60], [0, 0, 60], [60, 60, 0]])
    with pytest.raises(DataError, match="power decay needs positive off-diagonal times"):
        potential_accessibility(T, mass, decay="power")
    # exponential decay is fine with co-located zones
    assert potential_accessibility(T, mass)[SH] > 0


def test_bad_params(T, mass):
    with pytest.raises(ValueError, match="decay must be 'exp' or 'power'"):
        potential_accessibility(T, mass, decay="gauss")
    with pytest.raises(ValueError, match="beta"):
        potential_accessibility(T, mass, beta=-1.0)
    with pytest.raises(TypeError, match="params must be a MetricParams"):
        potential_accessibility(T, mass, params={"beta": 1})


def test_dist_km_must_match_T(T, mass):
    d = od([[0, 1], [1, 0]], ids=[SH, NJ])
    with pytest.raises(DataError, match=r"dist_km must have the ids of T: missing \[340100\]"):
        straightness(T, d)


def test_efficiency_single_zone_raises():
    with pytest.raises(DataError, match="at least 2 zones"):
        global_efficiency(od([[0]], ids=[SH]))


def test_inputs_not_mutated(T, mass, dist):
    T0, m0, d0 = T.copy(), mass.copy(), dist.copy()
    watt(T, mass)
    potential_accessibility(T, mass, self_potential=True)
    network_efficiency(T, dist, mass)
    straightness(T, dist)
    pd.testing.assert_frame_equal(T, T0)
    pd.testing.assert_series_equal(mass, m0)
    pd.testing.assert_frame_equal(dist, d0)


# ---------------------------------------------------------------------- properties
@st.composite
def od_case(draw, min_n: int = 2, max_n: int = 6, allow_inf: bool = True):
    n = draw(st.integers(min_n, max_n))
    ids = draw(st.lists(st.integers(110000, 659999), min_size=n, max_size=n, unique=True))
    k = n * (n - 1) // 2
    time = st.floats(1.0, 600.0)
    times = draw(st.lists(st.one_of(time, st.just(INF)) if allow_inf else time, min_size=k, max_size=k))
    t = np.zeros((n, n))
    t[np.triu_indices(n, 1)] = times
    t = t + t.T
    masses = draw(st.lists(st.floats(0.1, 3000.0), min_size=n, max_size=n))
    perm = draw(st.permutations(range(n)))
    return (
        pd.DataFrame(t, index=ids, columns=ids),
        pd.Series(masses, index=ids),
        list(perm),
    )


def _permute(T: pd.DataFrame, m: pd.Series, perm: list[int]):
    ids = [T.index[i] for i in perm]
    return T.loc[ids, ids], m.loc[ids]


@HYP
@given(od_case())
def test_relabelling_changes_nothing(case):
    T, m, perm = case
    Tp, mp = _permute(T, m, perm)
    for f in (watt, potential_accessibility, lambda a, b: cumulative_opportunities(a, b, 120)):
        pd.testing.assert_series_equal(f(Tp, mp).loc[T.index], f(T, m), rtol=1e-12)
    pd.testing.assert_series_equal(closeness(Tp).loc[T.index], closeness(T), rtol=1e-12)
    assert global_efficiency(Tp) == pytest.approx(global_efficiency(T), rel=1e-12)


@HYP
@given(od_case(allow_inf=False))
def test_scaling_times(case):
    T, m, _ = case
    # doubling every time doubles WATT and halves efficiency and closeness
    pd.testing.assert_series_equal(watt(2 * T, m), 2 * watt(T, m), rtol=1e-12)
    pd.testing.assert_series_equal(nodal_efficiency(2 * T), nodal_efficiency(T) / 2, rtol=1e-12)
    pd.testing.assert_series_equal(closeness(2 * T), closeness(T) / 2, rtol=1e-12)


@HYP
@given(od_case(), st.floats(0.1, 0.9))
def test_faster_link_never_hurts(case, factor):
    T, m, _ = case
    faster = T * factor  # every time shorter
    assert (potential_accessibility(faster, m) >= potential_accessibility(T, m) - 1e-12).all()
    assert (cumulative_opportunities(faster, m, 90) >= cumulative_opportunities(T, m, 90)).all()
    assert (harmonic_closeness(faster) >= harmonic_closeness(T)).all()


@HYP
@given(od_case())
def test_ranges(case):
    T, m, _ = case
    total = m.sum()
    acc = potential_accessibility(T, m)
    assert ((acc >= 0) & (acc <= total)).all()  # exp decay: f <= 1, self excluded
    co = cumulative_opportunities(T, m, 60, include_self=True)
    assert ((co >= m - 1e-9) & (co <= total + 1e-9)).all()
    w = watt(T, m).dropna()
    finite = T.to_numpy()[np.isfinite(T.to_numpy())]
    assert ((w >= 0) & (w <= finite.max() + 1e-9)).all()
    assert (n_reachable(T) <= len(T) - 1).all()


@HYP
@given(od_case(allow_inf=False), st.floats(1.0, 3.0))
def test_efficiency_bounds_when_slower_than_ideal(case, slowdown):
    T, m, _ = case
    # build distances such that every trip is at most the ideal speed (T >= T_hat)
    dist = T * 350 / 60 / slowdown
    ne = network_efficiency(T, dist, m)
    assert (ne >= 1 - 1e-12).all()
    s = straightness(T, dist)
    assert ((s >= 0) & (s <= 1 + 1e-12)).all()
    assert 0 <= global_efficiency(T, dist) <= 1 + 1e-12
    assert global_efficiency(T, dist) == pytest.approx(1 / slowdown)


def test_potential_values_are_potential_accessibility_on_arrays() -> None:
    # the array entry point (the county core rank's) runs the same operations as the public function
    from yrdnet.core.params import MetricParams
    from yrdnet.metrics.accessibility import potential_values

    rng = np.random.default_rng(3)
    ids = [5, 2, 9, 7]
    t = rng.uniform(10, 200, (4, 4))
    np.fill_diagonal(t, 0.0)
    t[1, 3] = np.inf
    T = pd.DataFrame(t, index=ids, columns=ids)
    mass = pd.Series(rng.uniform(1, 50, 4), index=ids)
    tii = pd.Series(rng.uniform(5, 30, 4), index=ids)
    for p in (MetricParams(beta=0.02, decay="exp"), MetricParams(decay="power", power_a=1.5)):
        no_self = potential_accessibility(T, mass, params=p, self_potential=False).to_numpy()
        with_self = potential_accessibility(T, mass, params=p, self_potential=True, self_time_min=tii).to_numpy()
        arr = T.to_numpy()  # laid out as the function reads T (pandas keeps it column-major)
        assert np.array_equal(potential_values(arr.copy(order="K"), mass.to_numpy(), p), no_self)
        assert np.array_equal(potential_values(arr.copy(order="K"), mass.to_numpy(), p, tii.to_numpy()), with_self)

"""Model uncertainty (issue 13, item 2): Sobol wrapper, draws, conclusions, callable module."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from yrdnet.plans.uncertainty import ModelRanges, _Space, sensitivity_indices, uncertainty
from yrdnet.region.datasets import get_path

PAIR = ("baseline_2025", "plan_2035")


def _ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_sobol_indices_match_ishigami_analytic_values() -> None:
    # Ishigami & Homma (1990), a = 7, b = 0.1: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
    a, b = 7.0, 0.1
    V = a**2 / 8 + b * math.pi**4 / 5 + b**2 * math.pi**8 / 18 + 0.5
    V1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    V2 = a**2 / 8
    V13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    s1 = [V1 / V, V2 / V, 0.0]
    st = [(V1 + V13) / V, V2 / V, V13 / V]
    pi = (-math.pi, math.pi)
    out = sensitivity_indices(_ishigami, {"x1": pi, "x2": pi, "x3": pi}, 4096, seed=3)
    assert np.allclose(out["first_order_S1"], s1, atol=0.03)
    assert np.allclose(out["total_ST"], st, atol=0.03)
    assert (out["total_ST_conf95"] > 0).all()


def test_a_parameter_that_cannot_act_gets_zero_sensitivity() -> None:
    out = sensitivity_indices(lambda X: X[:, 0] ** 2 + 0.0 * X[:, 1], {"used": (0, 1), "idle": (0, 1)}, 64)
    idle = out.set_index("parameter").loc["idle"]
    assert idle["total_ST"] == 0.0 and idle["first_order_S1"] == 0.0
    assert out.set_index("parameter").loc["used", "total_ST"] == pytest.approx(1.0, abs=0.05)


def test_montecarlo_first_order_by_rbd_fast_on_a_linear_function() -> None:
    # Y = 3 x0 + x1, x ~ U(0, 1): S1 = 9/10 and 1/10
    out = sensitivity_indices(lambda X: 3 * X[:, 0] + X[:, 1], {"a": (0, 1), "b": (0, 1)}, 2000, method="montecarlo")
    assert np.allclose(out["first_order_S1"], [0.9, 0.1], atol=0.05)
    assert out["total_ST"].isna().all()


def test_categorical_choices_map_to_equal_bins() -> None:
    sp = _Space.build({"x": (2.0, 4.0)}, {"c": ("p", "q", "r")})
    assert [sp.decode(np.array([0.5, u]))["c"] for u in (0.0, 0.33, 0.34, 0.66, 0.67, 0.999)] == list("ppqqrr")
    assert sp.decode(np.array([3.5, 0.0]))["x"] == 3.5
    assert sp.problem()["bounds"] == [[2.0, 4.0], [0.0, 1.0]]


def test_rail_speed_factor_range_is_the_interquartile_range_of_the_fitted_factors() -> None:
    f = pd.read_csv(get_path("line_running_2016.csv"))["speed_factor"].to_numpy(float)
    assert ModelRanges().rail_speed_factor == tuple(np.round(np.quantile(f, [0.25, 0.75]), 2))


def test_service_hours_range_is_the_interquartile_range_of_the_2016_service_spans() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import derive_services as ds
    from calibrate_rail import _seconds

    st, _ = ds.read_feed(get_path("gtfs_yrd_2016.zip"))
    dep = st.assign(dep=_seconds(st["departure_time"])).groupby("stop_id")["dep"].agg(["min", "max", "size"])
    busy = dep[dep["size"] >= 20]
    assert len(busy) == 95
    q = np.quantile((busy["max"] - busy["min"]) / 3600.0, [0.25, 0.75])
    assert ModelRanges().service_hours == tuple(np.round(q, 1))


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="not a numeric TravelTimeModel parameter"):
        uncertainty(PAIR, params={"warp_speed": (1, 2)})
    with pytest.raises(ValueError, match="low < high"):
        uncertainty(PAIR, params={"terminal_min": (15, 5)})
    with pytest.raises(ValueError, match="zones must be 'city'"):
        uncertainty(PAIR, zones="county")
    with pytest.raises(ValueError, match="at least two scenarios"):
        uncertainty(("plan_2035",))
    with pytest.raises(ValueError, match="method must be"):
        uncertainty(PAIR, params={"terminal_min": (5, 15)}, method="grid", n=1)


@pytest.fixture(scope="module")
def real() -> object:
    """Sobol over two model parameters on the real network, no metric choices (4 routings)."""
    return uncertainty(
        PAIR,
        params={"rail_speed_factor": (0.72, 1.0), "transfer_min": (10.0, 20.0)},
        metric_choices={},
        composite_base=None,
        n=1,
        seed=5,
    )


@pytest.mark.slow
def test_transfer_time_cannot_move_door_to_door_indicators(real: object) -> None:
    # transfer_min enters station-to-station times only: every door-to-door measure
    # has S1 = ST = 0 for it, exactly (f(AB_i) = f(A) row by row)
    s = real.sensitivity  # type: ignore[attr-defined]
    door = s[(s["parameter"] == "transfer_min") & (s["indicator"].isin(["integration", "dominance_core"]))]
    assert len(door) == 6
    # an output no draw moves has no variance to share out: its indices are NaN (0 / 0)
    d = real.draws  # type: ignore[attr-defined]
    pairs = list(zip(door["indicator"], door["output"], strict=True))
    flat = {(i, o) for i, o in pairs if d[f"{i} [{o}]"].eq(d[f"{i} [{o}]"].iloc[0]).all()}
    moved = door[[(i, o) not in flat for i, o in zip(door["indicator"], door["output"], strict=True)]]
    assert door.loc[~door.index.isin(moved.index), "total_ST"].isna().all()
    assert (moved["total_ST"].abs() < 1e-12).all() and (moved["first_order_S1"].abs() < 1e-12).all()
    # while the speed factor of the planned lines moves the plan's integration
    rail = s[(s["parameter"] == "rail_speed_factor") & (s["indicator"] == "integration") & (s["output"] == "plan_2035")]
    assert float(rail["total_ST"].iloc[0]) > 0


def test_conclusion_shares_equal_a_hand_count(real: object) -> None:
    d = real.draws  # type: ignore[attr-defined]
    c = real.conclusions  # type: ignore[attr-defined]
    assert len(d) == 1 * (2 + 2)
    integ = d["integration [plan_2035 - baseline_2025]"].to_numpy()
    n_up = sum(1 for v in integ if v > 0)
    assert c.loc["plan_2035 raises metro integration over baseline_2025", "holds_share"] == n_up / len(d)
    gini = d["gini_potential [plan_2035]"] - d["gini_potential [baseline_2025]"]
    share = sum(1 for v in gini if v < 0) / len(d)
    gini_falls = "inequality (Gini) of potential accessibility falls baseline_2025 -> plan_2035"
    assert c.loc[gini_falls, "holds_share"] == share
    first = sum(1 for v in d["core_rank_potential [plan_2035]"] if v == 1) / len(d)
    assert c.loc["Shanghai ranks first on potential accessibility in plan_2035", "holds_share"] == first


def test_spread_summarises_the_draws(real: object, tmp_path: object) -> None:
    sp = real.spread  # type: ignore[attr-defined]
    d = real.draws  # type: ignore[attr-defined]
    row = sp.loc[("dominance_core", "plan_2035")]
    v = d["dominance_core [plan_2035]"].to_numpy()
    assert row["mean"] == pytest.approx(v.mean())
    assert row["p5"] <= row["median"] <= row["p95"]
    assert row["label"] == "Shanghai's dominance in modelled flows (index)"
    out = real.to_dir(tmp_path / "unc")  # type: ignore[attr-defined, operator]
    back = pd.read_csv(out / "conclusions.csv", index_col=0)
    assert back["holds_share"].tolist() == pytest.approx(real.conclusions["holds_share"].tolist())  # type: ignore[attr-defined]
    assert {p.name for p in out.iterdir()} >= {"spread.csv", "sensitivity.csv", "draws.csv", "ranges.csv"}
    ranges = pd.read_csv(out / "ranges.csv", index_col=0)
    assert ranges.loc["rail_speed_factor", "basis"].startswith("interquartile range")
    assert ranges.loc["transfer_min", "basis"].startswith("stated choice")


@pytest.mark.slow
def test_reproducible_with_a_seed_and_callable_as_yrdnet_uncertainty() -> None:
    import yrdnet
    import yrdnet.plans.metric_choices as unc_module
    from yrdnet.plans.metric_choices import CHOICES, conclusion_robustness

    kw = {
        "params": {"terminal_min": (5.0, 15.0)},
        "metric_choices": {"half_life_min": (45.0, 90.0)},
        "composite_base": None,
        "n": 1,
        "method": "montecarlo",
    }
    a = yrdnet.uncertainty(PAIR, seed=1, **kw)  # type: ignore[operator]
    b = uncertainty(PAIR, seed=1, **kw)  # type: ignore[arg-type]
    c = uncertainty(PAIR, seed=2, **kw)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a.draws, b.draws)
    assert not np.allclose(a.draws["terminal_min"], c.draws["terminal_min"])
    # the module keeps its attributes and imports
    assert unc_module.conclusion_robustness is conclusion_robustness and "mode" in CHOICES
    assert callable(yrdnet.uncertainty.measures)


@pytest.mark.slow
def test_default_draw_reproduces_the_composite_of_analyze() -> None:
    # no model parameter drawn: every row is the default model; the composite of each row
    # must equal yrdnet.composite_index over analyze() of 2010, the scenario and 2035
    import warnings

    from yrdnet.analysis.composite import CompositeOptions, composite_index
    from yrdnet.analysis.pipeline import analyze

    res = uncertainty(PAIR, params={}, metric_choices={"metro_definition": ("current",)}, n=2, method="montecarlo")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = [analyze(s, centrality=False) for s in ("baseline_2010", *PAIR)]
    for _, row in res.draws.iterrows():
        norm = str(row["composite_normalisation"])
        expected = composite_index(results, options=CompositeOptions(normalisation=norm)).index["composite_index"]
        for s in PAIR:
            assert row[f"composite_index [{s}]"] == pytest.approx(expected[s], rel=1e-9), (s, norm)


@pytest.mark.slow
def test_draws_routed_on_a_local_cluster_equal_in_process() -> None:
    pytest.importorskip("distributed")
    from yrdnet.plans.sweep import local_cluster

    kw = {
        "params": {"rail_speed_factor": (0.69, 0.92)},
        "metric_choices": {"half_life_min": (45.0, 90.0)},
        "composite_base": None,
        "n": 2,
        "method": "montecarlo",
        "seed": 4,
    }
    local = uncertainty(PAIR, **kw)  # type: ignore[arg-type]
    with local_cluster(2) as client:
        remote = uncertainty(PAIR, client=client, **kw)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(local.draws, remote.draws)
    pd.testing.assert_frame_equal(local.conclusions, remote.conclusions)
    with pytest.raises(TypeError, match=r"client must be a distributed\.Client, got int"):
        uncertainty(PAIR, client=3, **kw)  # type: ignore[arg-type]

"""Charts of the best-plan search and the model uncertainty (issue 13, item 4)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yrdnet.analysis.indicators import label
from yrdnet.plans.best_plan import best_plan
from yrdnet.plans.uncertainty import UncertaintyResult, sensitivity_indices
from yrdnet.viz.plan_charts import pareto_frontier, plot_plan, plot_sensitivity

PNG = b"\x89PNG\r\n\x1a\n"


def _texts(fig) -> list[str]:  # type: ignore[no-untyped-def]
    fig.canvas.draw()
    out = []
    for ax in fig.axes:
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        out += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
    return out


def test_pareto_frontier_by_hand() -> None:
    t = pd.DataFrame(
        {"package": ["", "a", "b", "c", "a+b"], "cost": [0, 1, 1, 2, 3], "objective": [5.0, 4.0, 6.0, 6.0, 9.0]}
    )
    assert pareto_frontier(t)["package"].tolist() == ["", "b", "a+b"]
    assert pareto_frontier(t, direction=-1)["package"].tolist() == ["", "a"]  # lower is better: a (4) beats 5


def test_plan_chart_is_written_and_highlights_the_chosen_package(tmp_path: Path) -> None:
    values = {"a": 2.0e7, "b": 1.0e7, "c": 2.5e7}
    cost = {"a": 300.0, "b": 100.0, "c": 500.0}
    r = best_plan(
        list(values),
        450,
        "mean_watt_pop_multimodal",
        costs=cost,
        evaluate=lambda pkgs: [1.6e8 - sum(values[j] for j in p) for p in pkgs],
        method="exhaustive",
    )
    assert set(r.package) == {"a", "b"}
    fig, ax = plot_plan(r, tmp_path / "plan.png")
    data = (tmp_path / "plan.png").read_bytes()
    assert data.startswith(PNG) and len(data) > 10_000
    chosen = [c for c in ax.collections if c.get_gid() == "chosen"]
    assert len(chosen) == 1
    assert chosen[0].get_offsets().tolist() == [[400.0, 1.6e8 - 3.0e7]]
    texts = _texts(fig)
    assert not any("e+" in t or "e-0" in t for t in texts)
    assert ax.get_ylabel() == label("mean_watt_pop_multimodal") and "(min)" in ax.get_ylabel()
    assert "mean_watt" not in " ".join(texts)


def _fake_uncertainty() -> UncertaintyResult:
    rows = []
    for ind in ("integration", "composite_index"):
        s = sensitivity_indices(
            lambda X: 4 * X[:, 0] + X[:, 1] + 0 * X[:, 2],
            {"rail_speed_factor": (0, 1), "mode": (0, 1), "idle": (0, 1)},
            64,
        )
        rows.append(s.assign(indicator=ind, output="plan_2035 - baseline_2025"))
    sens = pd.concat(rows, ignore_index=True)
    empty = pd.DataFrame()
    return UncertaintyResult(empty, sens, empty, pd.DataFrame({"draw": np.arange(320)}), empty, "sobol", 0.0)


def test_sensitivity_chart_is_written_with_words(tmp_path: Path) -> None:
    res = _fake_uncertainty()
    _fig, ax = plot_sensitivity(res, "integration", filepath=tmp_path / "sobol.svg")
    text = (tmp_path / "sobol.svg").read_text()
    assert text.lstrip().startswith("<?xml") and len(text) > 5_000
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "rail speed factor of new lines"  # the largest total index on top
    assert "time definition (multimodal / rail)" in labels and "idle" in labels
    assert "metro integration (log-logistic) (index)" in ax.get_title()
    bars = [p.get_width() for p in ax.patches]
    assert len(bars) == 6 and min(bars) >= 0
    with pytest.raises(ValueError, match="no sensitivity for indicator 'gini_potential'"):
        plot_sensitivity(res, "gini_potential")


def test_sensitivity_chart_flags_a_tiny_sample_and_indices_outside_0_1() -> None:
    import yrdnet.viz.plan_charts as pc
    from yrdnet.core.errors import DataWarning

    sens = pd.DataFrame(
        {
            "parameter": ["rail_speed_factor", "mode", "idle"],
            "first_order_S1": [4.8, 0.2, -0.02],
            "first_order_S1_conf95": [9.0, 1.0, 1.0],
            "total_ST": [0.9, 0.3, 0.01],
            "total_ST_conf95": [2.0, 1.0, 1.0],
            "indicator": "integration",
            "output": "plan_2035 - baseline_2025",
        }
    )
    empty = pd.DataFrame()
    res = UncertaintyResult(empty, sens, empty, pd.DataFrame({"draw": np.arange(5)}), empty, "sobol", 0.0)  # N = 1
    with pytest.warns(DataWarning, match=r"base sample N = 1 is below 64.*S1 of rail speed factor.* = 4.8 is outside"):
        _fig, ax = plot_sensitivity(res, "integration")
    flag = [t for t in ax.texts if t.get_gid() == "unreliable"]
    assert len(flag) == 1 and "4.8" in flag[0].get_text() and "N = 1" in flag[0].get_text()
    assert "idle" not in flag[0].get_text()  # -0.02 is sampling noise around 0, not flagged
    assert ax.get_title().endswith("[UNRELIABLE]")
    assert pc.MIN_SOBOL_BASE_SAMPLE == 64


def test_sensitivity_chart_of_a_sound_sample_is_not_flagged(recwarn: pytest.WarningsRecorder) -> None:
    _fig, ax = plot_sensitivity(_fake_uncertainty(), "integration")
    assert not [t for t in ax.texts if t.get_gid() == "unreliable"]
    assert not [w for w in recwarn if "Unreliable" in str(w.message)]

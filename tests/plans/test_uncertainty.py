"""Robustness of the headline conclusions over the metric choices."""

from __future__ import annotations

import math

import pytest

from yrdnet.plans.metric_choices import CHOICES, conclusion_robustness


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_conclusion_robustness_table() -> None:
    out = conclusion_robustness()
    n = math.prod(len(v) for v in CHOICES.values())
    assert (out["n_combinations"] == n).all() and n == 96
    assert out["holds_share"].between(0, 1).all()
    up = out.loc[out.index.str.contains("grows")].iloc[0]["holds_share"]
    down = out.loc[out.index.str.contains("falls baseline_2010 -> plan_2035 \\(convergence")].iloc[0]["holds_share"]
    assert up + down <= 1.0
    with pytest.raises(ValueError, match="three scenarios"):
        conclusion_robustness(["baseline_2010"])

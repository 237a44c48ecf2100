r"""Uncertainty of the composite's conclusions over its method choices (after Saisana et al. 2005).

:func:`robustness_table` takes the raw component values of each *input draw* — one
travel-time model variant and one metric-choice combination
(:func:`yrdnet.plans.metric_choices.composite_robustness` computes them) — and evaluates
every conclusion under every *method draw*: one normalisation, one aggregation and one
weight vector. The method draws are

* normalisation: ``bounds`` (natural bounds / external target), ``minmax`` and
  ``zscore`` over the scenarios of the draw as the reference set
  (:mod:`yrdnet.analysis.composite_norm`);
* aggregation: arithmetic, geometric with :math:`\varepsilon` (not with z-scores,
  which are negative), i.e. the five pairs of :data:`METHODS`;
* weights :math:`w_k = \bar w_k u_k / \sum_j \bar w_j u_j`,
  :math:`u_k \sim U(1-\delta, 1+\delta)`.

A conclusion's ``holds_share`` is the share of all (input, method, weight) draws in
which it holds; ``holds_<normalisation>_<aggregation>`` gives the share per method pair,
which shows how much the conclusion rests on the normalisation.

References
----------
.. [1] Saisana, M., Saltelli, A. & Tarantola, S. (2005) Uncertainty and sensitivity
   analysis techniques as tools for the quality assessment of composite indicators.
   *J. R. Stat. Soc. A* 168(2), 307-323, https://doi.org/10.1111/j.1467-985X.2005.00350.x
.. [2] OECD & JRC (2008) *Handbook on Constructing Composite Indicators*, step 7
   (robustness and sensitivity).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from yrdnet.analysis.composite import COMPONENTS, bounds_scores
from yrdnet.analysis.composite_norm import FLOOR, aggregate, reference_scores

__all__ = ["METHODS", "method_scores", "robustness_table"]

#: (normalisation, aggregation) pairs of the method draws.
METHODS: tuple[tuple[str, str], ...] = (
    ("bounds", "arithmetic"),
    ("bounds", "geometric"),
    ("minmax", "arithmetic"),
    ("minmax", "geometric"),
    ("zscore", "arithmetic"),
)


def method_scores(R: np.ndarray, normalisation: str) -> np.ndarray:
    """Scores of raw draws ``R`` (``(..., scenarios, K)``); the scenarios of a draw are its reference set.

    Examples
    --------
    >>> R = np.array([[[0.4, 0.3, 90.0, 0.1], [0.5, 0.4, 60.0, 0.0]]])
    >>> method_scores(R, "minmax")[0, 1].tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    if normalisation == "bounds":
        return bounds_scores(R)
    d = np.array([c.direction for c in COMPONENTS.values()], dtype=float)
    return reference_scores(R, R, d, normalisation)


def robustness_table(
    R: np.ndarray,
    scenarios: Sequence[str],
    *,
    n_weight_draws: int = 100,
    weight_spread: float = 0.5,
    seed: int = 0,
    epsilon: float = FLOOR,
) -> pd.DataFrame:
    r"""Share of the draws in which each conclusion about the composite holds.

    .. math:: \text{share} = \frac{1}{D} \sum_{d=1}^{D}
              \mathbf 1\left[I_d(\text{later}) > I_d(\text{earlier})\right]

    Parameters
    ----------
    R
        Raw component values, shape ``(input draws, len(scenarios), K)`` in
        :data:`yrdnet.analysis.composite.COMPONENTS` order.
    scenarios
        ``(first, base, plan)``: conclusions "the composite rises first -> base" and
        "plan raises the composite over base".
    n_weight_draws, weight_spread, seed
        Weight vectors per (input, method) draw, their relative spread :math:`\delta`
        and the seed (deterministic given it).
    epsilon
        :math:`\varepsilon` of the geometric aggregation.

    Returns
    -------
    pandas.DataFrame
        Index conclusion: ``holds_share``, ``n_draws``, ``median_change`` and one
        ``holds_<normalisation>_<aggregation>`` column per :data:`METHODS` pair.

    Examples
    --------
    >>> R = np.array([[[0.4, 0.3, 90.0, 0.1], [0.45, 0.35, 70.0, 0.08], [0.5, 0.4, 60.0, 0.05]]])
    >>> robustness_table(R, ["a", "b", "c"], n_weight_draws=4)["holds_share"].tolist()
    [1.0, 1.0]
    """
    R = np.asarray(R, dtype=float)
    if R.ndim != 3 or R.shape[1] != len(scenarios) or len(scenarios) != 3:
        raise ValueError(f"R must be (draws, 3 scenarios, K), got {R.shape} for scenarios {list(scenarios)}")
    first, base, plan = scenarios
    rng = np.random.default_rng(seed)
    K = R.shape[2]
    W = rng.uniform(1 - weight_spread, 1 + weight_spread, size=(n_weight_draws, K)) / K  # (D, K)
    changes: dict[str, list[np.ndarray]] = {"plan": [], "rise": []}
    per_method: dict[str, dict[str, float]] = {}
    for norm, agg in METHODS:
        S = method_scores(R, norm)  # (C, 3, K)
        idx = aggregate(S[:, None, :, :], W[None, :, None, :], agg, epsilon)  # (C, D, 3)
        d_plan, d_rise = (idx[..., 2] - idx[..., 1]).ravel(), (idx[..., 1] - idx[..., 0]).ravel()
        changes["plan"].append(d_plan)
        changes["rise"].append(d_rise)
        per_method[f"holds_{norm}_{agg}"] = {"plan": float(np.mean(d_plan > 0)), "rise": float(np.mean(d_rise > 0))}
    labels = {"plan": f"{plan} raises the composite over {base}", "rise": f"the composite rises {first} -> {base}"}
    out = pd.DataFrame(
        {
            "holds_share": [float(np.mean(np.concatenate(changes[k]) > 0)) for k in labels],
            "n_draws": [int(np.concatenate(changes[k]).size) for k in labels],
            "median_change": [float(np.median(np.concatenate(changes[k]))) for k in labels],
            **{m: [v[k] for k in labels] for m, v in per_method.items()},
        },
        index=pd.Index(list(labels.values()), name="conclusion"),
    )
    return out

"""Charts of the best-plan search and of the model uncertainty (issue 13, item 4).

* :func:`plot_plan` — the objective against cost for every package
  :func:`yrdnet.best_plan.best_plan` evaluated, with the Pareto frontier
  (:func:`pareto_frontier`), the budget and the chosen package highlighted.
* :func:`plot_sensitivity` — Sobol first-order and total indices per parameter, with
  their 95 % intervals, for one indicator of :func:`yrdnet.model_uncertainty.uncertainty`.

Labels and units come from :func:`yrdnet.indicators.label` (indicators) and the parameter
metadata (:data:`PARAMETER_LABELS`); numbers are written without
scientific notation. Both functions return ``(fig, ax)`` and, given ``filepath``, save
the figure atomically (:mod:`yrdnet.core.io`). Figures are drawn on matplotlib's Agg canvas
without pyplot, so no backend is switched and no figure is left open.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from yrdnet.analysis.indicators import label
from yrdnet.core.errors import DataWarning
from yrdnet.core.params import TravelTimeModel, describe
from yrdnet.plans.uncertainty import INDICATORS
from yrdnet.viz.mapframe import _num, save_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from yrdnet.plans.best_plan import PlanResult
    from yrdnet.plans.uncertainty import UncertaintyResult

__all__ = ["MIN_SOBOL_BASE_SAMPLE", "PARAMETER_LABELS", "pareto_frontier", "plot_plan", "plot_sensitivity"]

#: Smallest base sample :math:`N` whose Sobol indices a chart shows without a warning
#: (Saltelli sampling draws :math:`N (D + 2)` rows). Below it the bootstrap intervals are
#: wider than the unit range and indices routinely fall outside [0, 1].
MIN_SOBOL_BASE_SAMPLE = 64

#: How far outside [0, 1] an index may fall (sampling noise around 0 or 1) before it is flagged.
_INDEX_SLACK = 0.05

#: Words of the metric-side choices drawn by :func:`yrdnet.model_uncertainty.uncertainty`
#: (not fields of a parameter class, so not in the parameter metadata).
_CHOICE_LABELS: dict[str, str] = {
    "half_life_min": "decay half-life (min)",
    "self_potential": "self-potential on / off",
    "commute_midpoint_min": "commuting midpoint (min)",
    "mode": "time definition (multimodal / rail)",
    "metro_definition": "metro definition (current / 2016)",
    "composite_normalisation": "composite normalisation (bounds / min-max / z-score)",
}

#: Words for the parameters drawn by :func:`yrdnet.model_uncertainty.uncertainty`: every
#: :class:`yrdnet.TravelTimeModel` field's ``label (unit)`` from its metadata
#: (:func:`yrdnet.params.parameter_table`), then the metric choices.
PARAMETER_LABELS: dict[str, str] = {
    **{f.name: describe(TravelTimeModel, f.name).axis_label for f in dataclasses.fields(TravelTimeModel)},
    **_CHOICE_LABELS,
}


def _figure(size: tuple[float, float]) -> tuple[Figure, Axes]:
    """A figure on matplotlib's Agg canvas, made without pyplot (no global backend change)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


def _ticks(ax: Axes, *, y: bool = True) -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: _num(v))
    ax.xaxis.set_major_formatter(fmt)
    if y:
        ax.yaxis.set_major_formatter(fmt)


def pareto_frontier(evaluated: pd.DataFrame, direction: int = 1) -> pd.DataFrame:
    """The packages no other package beats at the same or lower cost.

    A package is on the frontier if every cheaper-or-equal package has a strictly worse
    objective (``direction`` +1: larger is better, -1: smaller is better).

    Parameters
    ----------
    evaluated
        ``PlanResult.evaluated`` (columns ``cost`` and ``objective``).
    direction
        +1 or -1.

    Returns
    -------
    pandas.DataFrame
        The frontier rows, by increasing cost.

    Examples
    --------
    >>> t = pd.DataFrame({"package": ["", "a", "b", "a+b"], "cost": [0, 1, 2, 3],
    ...                   "objective": [0.0, 2.0, 1.0, 3.0]})
    >>> pareto_frontier(t)["package"].tolist()
    ['', 'a', 'a+b']
    """
    t = evaluated.assign(_s=direction * evaluated["objective"].astype(float))
    t = t.sort_values(["cost", "_s"], ascending=[True, False], kind="mergesort")
    best = -np.inf
    keep = []
    for i, s in zip(t.index, t["_s"], strict=True):
        if s > best:
            keep.append(i)
            best = s
    return t.loc[keep].drop(columns="_s")


def plot_plan(
    result: PlanResult, filepath: str | os.PathLike[str] | None = None, *, dpi: int = 200
) -> tuple[Figure, Axes]:
    """The objective against cost for every evaluated package; chosen one highlighted.

    Grey points are the packages evaluated (hollow: over the budget), the line is the
    Pareto frontier, the dashed line the budget, the red star the chosen package (its
    artist has ``gid="chosen"``), the square the base (no project).

    Parameters
    ----------
    result
        A :class:`yrdnet.best_plan.PlanResult`.
    filepath
        Save the figure there (atomically); the format follows the suffix.
    dpi
        Resolution of the saved image.

    Returns
    -------
    (Figure, Axes)
    """
    fig, ax = _figure((8, 5.5))
    t = result.evaluated
    inside = t[t["within_budget"]]
    outside = t[~t["within_budget"]]
    ax.scatter(inside["cost"], inside["objective"], s=28, color="0.55", label="package evaluated", zorder=2)
    if not outside.empty:
        ax.scatter(outside["cost"], outside["objective"], s=28, facecolors="none", edgecolors="0.55",
                   label="over the budget", zorder=2)  # fmt: skip
    front = pareto_frontier(t, result.direction)
    ax.plot(front["cost"], front["objective"], drawstyle="steps-post", color="tab:blue", lw=1.3,
            label="Pareto frontier", zorder=3)  # fmt: skip
    base = t[t["n_projects"] == 0]
    if not base.empty:
        ax.scatter(
            base["cost"], base["objective"], marker="s", s=50, color="black", label="base (no project)", zorder=4
        )
    ax.axvline(result.budget, color="tab:red", ls="--", lw=1, label=f"budget {_num(result.budget)}")
    ax.scatter([result.cost], [result.objective], marker="*", s=260, color="tab:red", edgecolors="black",
               label="chosen package", zorder=5, gid="chosen")  # fmt: skip
    names = " + ".join(result.package) or "no project"
    right = result.cost > 0.5 * max(float(t["cost"].max()), result.budget)
    ax.annotate(names, (result.cost, result.objective), xytext=(-10 if right else 10, -14),
                textcoords="offset points", fontsize=8, ha="right" if right else "left")  # fmt: skip
    unit = "100 million CNY" if result.cost_unit.startswith("亿元") else result.cost_unit
    ax.set_xlabel(f"cost ({unit})")
    ax.set_ylabel(label(result.objective_name))
    better = "higher is better" if result.direction > 0 else "lower is better"
    ax.set_title(f"Best plan by {result.method} search: {label(result.objective_name, unit=False)} ({better})",
                 fontsize=10)  # fmt: skip
    _ticks(ax)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    save_figure(fig, filepath, dpi)
    return fig, ax


def plot_sensitivity(
    result: UncertaintyResult,
    indicator: str = "composite_index",
    output: str | None = None,
    filepath: str | os.PathLike[str] | None = None,
    *,
    dpi: int = 200,
) -> tuple[Figure, Axes]:
    """Sobol first-order (S1) and total (ST) indices of one indicator, one bar pair per parameter.

    Parameters
    ----------
    result
        A :class:`yrdnet.model_uncertainty.UncertaintyResult`.
    indicator
        One of its indicators (e.g. ``"integration"``, ``"composite_index"``).
    output
        A scenario or the change (``"<plan> - <base>"``, the default).
    filepath
        Save the figure there (atomically).
    dpi
        Resolution of the saved image.

    Returns
    -------
    (Figure, Axes)

    Raises
    ------
    ValueError
        If the indicator or output is not in the result.

    Warns
    -----
    DataWarning
        If the base sample is below :data:`MIN_SOBOL_BASE_SAMPLE` or an index falls
        outside [0, 1]; the chart then carries the same words in red.
    """
    s = result.sensitivity
    outputs = list(dict.fromkeys(s["output"]))
    output = outputs[-1] if output is None else output
    sel = s[(s["indicator"] == indicator) & (s["output"] == output)]
    if sel.empty:
        raise ValueError(
            f"no sensitivity for indicator {indicator!r} and output {output!r}; "
            f"indicators {sorted(set(s['indicator']))}, outputs {outputs}"
        )
    sel = sel.assign(_o=sel["total_ST"].fillna(sel["first_order_S1"])).sort_values("_o")
    fig, ax = _figure((8, 0.45 * len(sel) + 1.8))
    y = np.arange(len(sel))
    names = [PARAMETER_LABELS.get(p, p) for p in sel["parameter"]]
    ax.barh(y + 0.2, sel["first_order_S1"].clip(lower=0), height=0.4, xerr=sel["first_order_S1_conf95"],
            color="tab:blue", label="first order S1", error_kw={"lw": 0.8})  # fmt: skip
    if sel["total_ST"].notna().any():
        ax.barh(y - 0.2, sel["total_ST"].clip(lower=0), height=0.4, xerr=sel["total_ST_conf95"],
                color="tab:orange", label="total ST", error_kw={"lw": 0.8})  # fmt: skip
    ax.set_yticks(y, names, fontsize=8)
    top = float(np.nanmax([sel["first_order_S1"].max(), sel["total_ST"].max(), 1.0]))
    ax.set_xlim(0, 1.08 * top)  # intervals of a small sample run past the axis: read them as "wide"
    ax.set_xlabel("share of the output's variance (negative estimates shown as 0; lines: 95 % interval)")
    what = "change " + output if " - " in output else output
    ax.set_title(f"Sensitivity of {label(INDICATORS.get(indicator, indicator))}\n{what} ({result.method}, "
                 f"{len(result.draws)} draws)", fontsize=10)  # fmt: skip
    _ticks(ax, y=False)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    _flag_unreliable(ax, sel, names, result)
    fig.tight_layout()
    save_figure(fig, filepath, dpi)
    return fig, ax


def _base_sample(result: UncertaintyResult, n_params: int) -> int:
    """The base sample :math:`N` behind the indices: draws / (D + 2) for Sobol, else the draws."""
    draws = len(result.draws)
    return draws // (n_params + 2) if result.method == "sobol" else draws


def _flag_unreliable(ax: Axes, sel: pd.DataFrame, names: list[str], result: UncertaintyResult) -> list[str]:
    """Warn, and write on the chart, when the indices cannot be read as shares of variance.

    Flags a base sample below :data:`MIN_SOBOL_BASE_SAMPLE` and every index outside
    [0, 1] by more than sampling noise (``_INDEX_SLACK``). Returns the problems found.
    """
    problems = []
    n = _base_sample(result, len(sel))
    if n < MIN_SOBOL_BASE_SAMPLE:
        problems.append(f"base sample N = {n} is below {MIN_SOBOL_BASE_SAMPLE}")
    for col, short in (("first_order_S1", "S1"), ("total_ST", "ST")):
        v = sel[col].to_numpy(float)
        bad = np.isfinite(v) & ((v < -_INDEX_SLACK) | (v > 1 + _INDEX_SLACK))
        problems += [
            f"{short} of {nm} = {x:.2g} is outside [0, 1]" for nm, x in zip(np.array(names)[bad], v[bad], strict=True)
        ]
    if problems:
        shown = problems[:4] + ([f"… and {len(problems) - 4} more"] if len(problems) > 4 else [])
        msg = "Unreliable indices, not shares of variance: " + "; ".join(shown)
        warnings.warn(msg + ". Draw more samples (uncertainty(n=...)).", DataWarning, stacklevel=3)
        lines = ["⚠ Unreliable indices, not shares of variance:", *shown]
        fig = ax.get_figure()
        fig.set_figheight(fig.get_figheight() + 0.16 * len(lines))  # type: ignore[union-attr]
        ax.annotate("\n".join(lines), (0, 0), xycoords="axes fraction", xytext=(0, -30), textcoords="offset points",
                    ha="left", va="top", fontsize=7.5, color="#b2182b", gid="unreliable")  # fmt: skip
        ax.set_title(ax.get_title() + "  [UNRELIABLE]", fontsize=10)
    return problems

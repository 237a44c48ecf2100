r"""A composite of the YRD's spatial structure built to the OECD/JRC Handbook (issue 11, item 6).

Framework
---------
The composite follows the steps of OECD & JRC (2008) *Handbook on Constructing
Composite Indicators*: a stated framework, one component per idea, a normalisation
with a meaning, an aggregation whose compensability is chosen, weights whose effect is
measured, and an uncertainty analysis of the conclusions. The framework is the target
structure of the 2019 YRD Integration Outline — "Shanghai as the core, metropolitan
areas integrating, the central cities linked within 1-1.5 h, the gains shared" — with
one component per idea, each read from one region row that :func:`yrdnet.analyze`
already produces (or, for the linkage, from its policy-target table):

===================== ====================================== ==========================
component             raw value (region row)                 target (score 1)
===================== ====================================== ==========================
core_hierarchy        ``dominance_core``: Shanghai's         none citable: the
                      Limtanakool dominance in modelled      plan_2035 value
                      flows (one node's share of flows)
metro_integration     ``metro_logistic_integration``:        none citable: the
                      core-to-member log-logistic score,     plan_2035 value
                      metros by population
intercity_linkage     ``core_link_attainment``: mean over    1 = every core link
                      the ``core_link`` targets of           within its threshold
                      :math:`\min(1, \theta / t)`, ``t`` the (90 min, targets.csv:
                      fastest station-to-station time (the   NDRC & MoT 2020 YRD
                      policy's own time definition)          transport plan)
core_hinterland_      ``theil_pot_exp_pop_multimodal``:      none citable: the
equity                Theil T of potential accessibility     plan_2035 value
                      over all zones
===================== ====================================== ==========================

Why one idea each: the hierarchy component reads the *core's* position among flows (one
node); integration reads core-to-member *times within* each metropolitan area; linkage
reads the *inter-metropolitan* core pairs the plan names, on station-to-station times;
equity reads the *dispersion* of potential over every zone. No two components reward
the same vector (the old :func:`yrdnet.metrics.structure.structure_index` rewarded the evenness
of the same potential vector twice). Dominance and the Theil index are both computed
from the same travel times and can move together (convergence lowers both); the
effective weights (:func:`effective_weights`) show how much that co-movement concentrates
the composite on them.

Normalisation is distance to target: 2010 = 0 and the target = 1. Where no citable
target exists (three of four components) the reference is the plan_2035 scenario's own
value, and the score reads "share of the planned change achieved" — a description of
progress along the plan, not a claim that the plan's value is optimal. For dominance the
plan lowers Shanghai's lead while Shanghai stays first (``core_rank_dominance`` = 1 in
every year), so under this reference the component rewards convergence towards the plan.
The alternative ``reference="ideal"`` (used in the uncertainty analysis) puts the
natural bound at 1: dominance 1 (the core no more than average), integration 1, Theil 0.

Aggregation is geometric with a floor: :math:`I = \prod_k \tilde c_k^{w_k}`,
:math:`\tilde c_k = \min(1, \max(\varepsilon, c_k))`, :math:`\varepsilon = 0.01`. The
floor keeps a component at 0 (every component is 0 in 2010 by construction) from
zeroing the index; the cap gives no credit beyond the target. So the 2010 index is
:math:`\varepsilon` and the index cannot register a regression below 2010 — read the
dashboard beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from yrdnet.analysis.results import ScenarioResult
from yrdnet.core.deprecation import forward_attribute
from yrdnet.core.errors import DataError

__all__ = [
    "COMPONENTS",
    "FLOOR",
    "Composite",
    "composite_index",
    "core_link_attainment",
    "distance_to_target",
    "effective_weights",
    "geometric_index",
]

#: Lower bound of a component score in the geometric mean.
FLOOR = 0.01


@dataclass(frozen=True)
class _Component:
    raw: str
    target: float | None  # None: the plan scenario's value
    ideal: float
    source: str


COMPONENTS: dict[str, _Component] = {
    "core_hierarchy": _Component(
        "dominance_core",
        None,
        1.0,
        "no citable target; plan_2035 value (ideal: DI = 1, Limtanakool et al. 2007)",
    ),
    "metro_integration": _Component(
        "metro_logistic_integration",
        None,
        1.0,
        "no citable target; plan_2035 value (ideal: 1, every member at 0 min; Geurs & van Eck 2001 decay)",
    ),
    "intercity_linkage": _Component(
        "core_link_attainment",
        1.0,
        1.0,
        "1 = every core_link target met: data/targets.csv, NDRC & MoT (April 2020) YRD transport plan, "
        "central cities within 1-1.5 h (90 min), station to station",
    ),
    "core_hinterland_equity": _Component(
        "theil_pot_exp_pop_multimodal",
        None,
        0.0,
        "no citable target; plan_2035 value (ideal: Theil T = 0, equal potential; Theil 1967)",
    ),
}


@dataclass(frozen=True)
class Composite:
    """Tables of :func:`composite_index`.

    Attributes
    ----------
    index : pandas.DataFrame
        One row per scenario: ``composite_index`` and the normalised
        ``composite_<component>`` scores (before floor and cap).
    dashboard : pandas.DataFrame
        One row per component: raw value per scenario, ``raw_2010`` (the base),
        ``reference``, ``target_source``, ``nominal_weight``.
    weights : pandas.DataFrame
        One row per component: ``nominal``, ``effective`` (variance share) and
        ``correlation_ratio`` (:func:`effective_weights`) across all scenarios, and
        ``effective_after_base`` across the scenarios after the base (with three or more
        scenarios; the base year puts every component at the floor and so pulls the
        effective weights towards the nominal ones).
    """

    index: pd.DataFrame
    dashboard: pd.DataFrame
    weights: pd.DataFrame


def core_link_attainment(targets: pd.DataFrame) -> float:
    r"""Mean attainment of the ``core_link`` policy targets under the policy's time definition.

    .. math:: L = \frac{1}{|K|} \sum_{k \in K} \min\left(1, \frac{\theta_k}{t_k}\right)

    with :math:`K` the ``core_link`` targets, :math:`\theta_k` the threshold and
    :math:`t_k` the modelled time under the target's own definition (fastest station to
    station for the core links).

    Parameters
    ----------
    targets
        A policy-target table (:func:`yrdnet.targets.evaluate_targets`, e.g.
        ``ScenarioResult.targets``) with ``kind``, ``threshold_min`` and ``time_min``.

    Returns
    -------
    float
        In ``[0, 1]``; 1 = every core link within its threshold.

    Raises
    ------
    DataError
        If the table has no ``core_link`` target.

    Notes
    -----
    Every minute above the threshold counts (a link at twice the threshold scores 0.5);
    an unreachable link (``inf``) scores 0; no credit below the threshold. This replaces
    the share met, which jumps, and the door-to-door ``core_link_compliance``, which
    scores the links on a definition the plan does not use.

    References
    ----------
    .. [1] NDRC & MoT (April 2020), 长江三角洲地区交通运输更高质量一体化发展规划
       (targets for 2025), as in ``data/targets.csv``.

    Examples
    --------
    >>> t = pd.DataFrame({"kind": ["core_link", "core_link", "metro_commute"],
    ...                   "threshold_min": [90.0, 90.0, 60.0], "time_min": [60.0, 180.0, 99.0]})
    >>> core_link_attainment(t)
    0.75
    """
    links = targets[targets["kind"] == "core_link"]
    if links.empty:
        raise DataError("the target table has no core_link target")
    t = links["time_min"].to_numpy(float)
    theta = links["threshold_min"].to_numpy(float)
    with np.errstate(divide="ignore"):
        score = np.where(t <= theta, 1.0, theta / np.where(t > 0, t, 1.0))
    return float(np.mean(np.where(np.isfinite(t), score, 0.0)))


def distance_to_target(value: np.ndarray | float, base: np.ndarray | float, target: np.ndarray | float) -> np.ndarray:
    r"""Distance-to-target normalisation: the base = 0, the target = 1.

    .. math:: c = \frac{x - x_{2010}}{x^* - x_{2010}}

    Parameters
    ----------
    value, base, target
        The raw value :math:`x`, the base-year value :math:`x_{2010}` and the target
        :math:`x^*` (broadcast together). The direction follows the target: a target
        below the base (a gap to close) gives a positive score to a fall.

    Returns
    -------
    numpy.ndarray
        The score; above 1 beyond the target, below 0 behind the base; ``NaN`` where the
        target equals the base.

    Notes
    -----
    OECD & JRC (2008) list distance to a reference among the normalisation methods; with
    the base year as 0 the score reads "share of the way from 2010 to the target".

    References
    ----------
    .. [1] OECD & JRC (2008) Handbook on Constructing Composite Indicators.

    Examples
    --------
    >>> distance_to_target(np.array([0.4, 0.7, 1.0]), 0.4, 1.0).round(2).tolist()
    [0.0, 0.5, 1.0]
    >>> float(distance_to_target(4.0, 5.0, 3.0))
    0.5
    """
    v, b, t = (np.asarray(x, dtype=float) for x in (value, base, target))
    d = t - b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d != 0, (v - b) / np.where(d != 0, d, 1.0), np.nan)


def geometric_index(scores: np.ndarray, weights: np.ndarray | Sequence[float], floor: float = FLOOR) -> np.ndarray:
    r"""Weighted geometric mean of component scores, floored and capped.

    .. math:: I = \prod_k \tilde c_k^{\,w_k / \sum_j w_j}, \qquad
              \tilde c_k = \min(1, \max(\varepsilon, c_k))

    Parameters
    ----------
    scores
        Component scores, components on the last axis (any leading shape).
    weights
        Non-negative weights, one per component, or an array broadcasting against
        ``scores`` (e.g. one weight vector per draw); normalised to sum 1 on the last axis.
    floor
        :math:`\varepsilon > 0`: a score below it counts as :math:`\varepsilon`, so a
        zero component does not zero the index.

    Returns
    -------
    numpy.ndarray
        The index, shape ``scores.shape[:-1]`` (broadcast with the weights), in
        ``[floor, 1]``; ``NaN`` if a score is ``NaN``.

    Notes
    -----
    Geometric aggregation is partially compensatory: a deficit in one component is
    compensated less than under the arithmetic mean (OECD & JRC 2008). The cap at 1
    gives no credit beyond the target.

    References
    ----------
    .. [1] OECD & JRC (2008) Handbook on Constructing Composite Indicators.

    Examples
    --------
    >>> round(float(geometric_index(np.array([1.0, 0.25]), [1, 1])), 6)
    0.5
    >>> round(float(geometric_index(np.array([0.0, 1.0]), [1, 1], floor=0.01)), 6)
    0.1
    """
    s = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    if floor <= 0:
        raise ValueError(f"floor must be > 0, got {floor}")
    if (w < 0).any() or not (w.sum(axis=-1) > 0).all():
        raise ValueError("weights must be non-negative with a positive sum")
    w = w / w.sum(axis=-1, keepdims=True)
    return cast(np.ndarray, np.exp((np.log(np.clip(s, floor, 1.0)) * w).sum(axis=-1)))


def effective_weights(
    scores: pd.DataFrame, weights: Sequence[float] | np.ndarray, floor: float = FLOOR
) -> pd.DataFrame:
    r"""Effective weights: each component's share of the index's variance across scenarios.

    On the log scale the index is linear, :math:`L = \ln I = \sum_k w_k \ell_k` with
    :math:`\ell_k = \ln \tilde c_k`, so its variance splits exactly:

    .. math:: S_k = \frac{w_k \operatorname{Cov}(\ell_k, L)}{\operatorname{Var}(L)},
              \qquad \sum_k S_k = 1, \qquad
              R_k = \frac{\rho(\tilde c_k, I)^2}{\sum_j \rho(\tilde c_j, I)^2}

    Parameters
    ----------
    scores
        Normalised scores, one row per scenario, one column per component.
    weights
        Nominal weights (normalised to sum 1).
    floor
        As in :func:`geometric_index`.

    Returns
    -------
    pandas.DataFrame
        Index component: ``nominal``, ``effective`` (:math:`S_k`; may be negative for a
        component moving against the index) and ``correlation_ratio`` (:math:`R_k`).

    Notes
    -----
    :math:`R_k` is the linear estimate of the first-order correlation ratio
    :math:`\operatorname{Var}(E[I \mid c_k]) / \operatorname{Var}(I)` that Paruolo,
    Saisana & Saltelli (2013) propose as the "importance" of a component, rescaled to sum
    1. With a handful of scenarios both are descriptive, not estimates. A constant
    component gets 0; if the index does not vary, both columns are ``NaN``.

    References
    ----------
    .. [1] OECD & JRC (2008) Handbook on Constructing Composite Indicators.
    .. [2] Paruolo, Saisana & Saltelli (2013), the correlation ratio as a measure of a
       component's importance, as named by the brief (not in the indicators digest;
       details not retrieved).

    Examples
    --------
    >>> s = pd.DataFrame({"a": [0.01, 1.0], "b": [0.01, 0.01]})
    >>> effective_weights(s, [0.5, 0.5])["effective"].tolist()
    [1.0, 0.0]
    """
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    ell = np.log(np.clip(scores.to_numpy(float), floor, 1.0))
    L = ell @ w
    var = float(np.var(L))
    if var <= 0 or not np.isfinite(var):
        eff = np.full(len(w), np.nan)
        cr = np.full(len(w), np.nan)
    else:
        cov = ((ell - ell.mean(axis=0)) * (L - L.mean())[:, None]).mean(axis=0)
        eff = w * cov / var
        idx = np.exp(L)
        c = np.exp(ell)
        sd = c.std(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            rho = ((c - c.mean(axis=0)) * (idx - idx.mean())[:, None]).mean(axis=0) / (sd * idx.std())
        r2 = np.where(sd > 0, rho**2, 0.0)
        cr = r2 / r2.sum()
    return pd.DataFrame(
        {"nominal": w, "effective": np.round(eff, 12), "correlation_ratio": cr},
        index=pd.Index(list(scores.columns), name="component"),
    )


def raw_components(results: Sequence[object] | pd.DataFrame) -> pd.DataFrame:
    """Raw component values: index component raw key, one column per scenario."""
    keys = [c.raw for c in COMPONENTS.values()]
    if isinstance(results, pd.DataFrame):
        missing = [k for k in keys if k not in results.index]
        if missing:
            raise DataError(
                f"rows {missing} missing; add core_link_attainment(result.targets) for each scenario "
                "or pass ScenarioResult objects"
            )
        return results.loc[keys].astype(float)
    cols: dict[str, pd.Series] = {}
    for r in results:
        if not isinstance(r, ScenarioResult):
            raise TypeError(f"composite_index takes ScenarioResult objects or a timeline table, got {type(r)}")
        v = r.region["value"].astype(float)
        row = {k: float(v[k]) for k in keys if k != "core_link_attainment"}
        row["core_link_attainment"] = core_link_attainment(r.targets)
        cols[r.name] = pd.Series(row)[keys]
    return pd.DataFrame(cols)


def composite_index(
    results: Sequence[object] | pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    base: str | None = None,
    plan: str = "plan_2035",
    reference: str = "plan",
    floor: float = FLOOR,
) -> Composite:
    r"""The spatial-structure composite of a timeline, with its dashboard and effective weights.

    .. math:: c_{k,s} = \frac{x_{k,s} - x_{k,2010}}{x_k^* - x_{k,2010}}, \qquad
              I_s = \prod_k \min(1, \max(\varepsilon, c_{k,s}))^{w_k}

    Parameters
    ----------
    results
        :class:`yrdnet.ScenarioResult` objects (e.g. of :data:`yrdnet.analysis.pipeline.TIMELINE`),
        or a timeline-like table (index = region row, one column per scenario) holding
        the raw rows of :data:`COMPONENTS` (``core_link_attainment`` included).
    weights
        Nominal weight per component (default equal).
    base
        The scenario scored 0 (default the first).
    plan
        The scenario whose value is the reference where no citable target exists.
    reference
        ``"plan"`` (default: citable target, else the plan's value) or ``"ideal"`` (the
        natural bound of each measure; see the module docstring).
    floor
        :math:`\varepsilon` of :func:`geometric_index`.

    Returns
    -------
    Composite
        ``index``, ``dashboard`` and ``weights`` tables.

    Raises
    ------
    ValueError
        On an unknown ``reference`` or component, or if ``base`` / ``plan`` is not among
        the scenarios (``plan`` is needed only with ``reference="plan"``).

    Notes
    -----
    Masses are fixed across scenarios, so the composite moves with the network alone.
    With the plan as reference the plan scores 1 on those components by construction;
    the conclusion "the plan raises the composite" then rests on the base year and the
    linkage target, and :func:`yrdnet.plans.metric_choices.composite_robustness` tests it against the ideal reference.

    References
    ----------
    .. [1] OECD & JRC (2008) Handbook on Constructing Composite Indicators.

    Examples
    --------
    >>> raw = pd.DataFrame({"baseline_2010": [5.0, 0.30, 0.5, 0.08],
    ...                     "plan_2035": [4.0, 0.40, 1.0, 0.04]},
    ...                    index=[c.raw for c in COMPONENTS.values()])
    >>> out = composite_index(raw)
    >>> out.index["composite_index"].round(3).tolist()
    [0.01, 1.0]
    """
    if reference not in ("plan", "ideal"):
        raise ValueError(f"reference must be 'plan' or 'ideal', got {reference!r}")
    raw = raw_components(results)
    names = list(raw.columns)
    base = names[0] if base is None else base
    if base not in names or (reference == "plan" and plan not in names):
        raise ValueError(f"base {base!r} and plan {plan!r} must be among the scenarios {names}")
    w_map = {k: 1.0 for k in COMPONENTS} if weights is None else dict(weights)
    unknown = set(w_map) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown components {sorted(unknown)}; known: {list(COMPONENTS)}")
    w = np.array([float(w_map.get(k, 0.0)) for k in COMPONENTS])
    x = raw.to_numpy(float).T  # scenarios x components
    b = raw[base].to_numpy(float)
    plan_values = raw[plan].to_numpy(float) if plan in names else np.full(len(COMPONENTS), np.nan)
    ref = np.array(
        [
            c.ideal if reference == "ideal" else (c.target if c.target is not None else plan_values[i])
            for i, c in enumerate(COMPONENTS.values())
        ]
    )
    scores = distance_to_target(x, b, ref)
    comp_cols = [f"composite_{k}" for k in COMPONENTS]
    index = pd.DataFrame(scores, index=pd.Index(names, name="scenario"), columns=comp_cols)
    index.insert(0, "composite_index", geometric_index(scores, w, floor))
    dashboard = raw.copy()
    dashboard.index = pd.Index(list(COMPONENTS), name="component")
    dashboard.insert(0, "raw_indicator", [c.raw for c in COMPONENTS.values()])
    dashboard["raw_base"] = b
    dashboard["reference"] = ref
    dashboard["target_source"] = [
        c.source if reference == "plan" else f"ideal bound {c.ideal:g}" for c in COMPONENTS.values()
    ]
    dashboard["nominal_weight"] = w / w.sum()
    frame = pd.DataFrame(scores, index=names, columns=list(COMPONENTS))
    eff = effective_weights(frame, w, floor)
    if len(names) > 2:  # without the base year, where every component sits at the floor
        eff["effective_after_base"] = effective_weights(frame.drop(index=base), w, floor)["effective"]
    return Composite(index=index, dashboard=dashboard, weights=eff)


def __getattr__(name: str) -> Any:
    """``composite_robustness`` moved to :mod:`yrdnet.plans.metric_choices` in 0.2 (PEP 562)."""
    if name == "composite_robustness":
        return forward_attribute(__name__, "yrdnet.plans.metric_choices", name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)

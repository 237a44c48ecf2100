r"""A composite of the YRD's spatial structure built to the OECD/JRC Handbook (issue 20, item 2).

Framework
---------
The composite follows OECD & JRC (2008), *Handbook on Constructing Composite
Indicators*: a stated framework, one component per idea with its normative direction
defended, a normalisation that does not depend on one plan, a stated aggregation, and an
uncertainty analysis (:func:`yrdnet.plans.metric_choices.composite_robustness`, after
Saisana, Saltelli & Tarantola 2005). The framework is the seed's goal: **a core that
keeps its global functions while the sub-centres and the metros gain** — Shanghai the
core with global-city functions; Nanjing, Hangzhou and Hefei the sub-centres; the six
metropolitan areas growing into same-city commuting regions; a multi-centre networked
region; shrinking gaps between cities and between centres and hinterland (2019 YRD
Integration Outline). One component per idea, each from what :func:`yrdnet.analyze`
produces:

====================== =========================================== ===== ============================
component              raw value (unit)                            dir.  ``bounds`` score in [0, 1]
====================== =========================================== ===== ============================
core_hierarchy         ``subcentre_core_balance`` (ratio): mean     \+    the ratio itself
                       over the sub-centres of
                       :math:`\min(1, DI_j / DI_{core})`, DI the
                       Limtanakool dominance in modelled flows
metro_integration      ``metro_logistic_integration`` (share):      \+    the share itself
                       core-to-member log-logistic integration,
                       metros by population
intercity_linkage      ``core_link_equivalent_time_min`` (min):     \-    :math:`\theta/(\theta + t^*)`,
                       equivalent station-to-station time of the          :math:`\theta` = 90 min
                       plan's core links (:func:`core_link_equivalent_time`)
core_hinterland_equity ``theil_people_pot_exp_pop_multimodal``      \-    :math:`e^{-T}`
                       (Theil T, nats): inequality of potential
                       accessibility over people
====================== =========================================== ===== ============================

Normative directions
--------------------
*core_hierarchy* (more is better): the sub-centres gain **relative to** the core, but a
sub-centre earns nothing beyond parity with it — the goal is a networked region whose
sub-centres rise while the core keeps first place, not a weaker core. The ratio is
continuous, bounded in :math:`[0, 1]` (1 = every sub-centre as dominant as the core) and
rises whether the sub-centres gain or the core's lead narrows; the core's rank
(``core_rank_dominance``) is reported beside it. The old component rewarded a falling
Shanghai dominance as such, which no plan states as a goal.

*metro_integration* (more is better): the metros growing into same-city commuting
regions; the log-logistic score is a share in :math:`[0, 1]` (1 = every member at 0 min
from its core), so its natural bounds are its own.

*intercity_linkage* (less time is better): the central cities linked within 1-1.5 h
(the NDRC & MoT 2020 plan's 90 min, station to station). Each link contributes the
hyperbolic linkage :math:`\theta_k/(\theta_k + t_k)` (1 at 0 min, 0.5 at the threshold, 0
when unreachable), so every minute counts without a cap — the old attainment
:math:`\min(1, \theta/t)` was 1 on most links from 2015 and so carried no weight.

*core_hinterland_equity* (less inequality is better): shrinking gaps between centres and
hinterland; Theil T over people (zones weighted by population) is 0 at equal potential.
:math:`e^{-T}` maps it onto :math:`(0, 1]` without a reference scenario.

Normalisation and aggregation
-----------------------------
Default ``bounds`` (natural bounds and the external 90-min target): a scenario's score
depends on that scenario only, so a plan alternative whose raw values dominate
plan_2035's scores higher, and plan_2035 does not score 1 by construction. ``minmax`` and
``zscore`` normalise on a reference set (default the scenarios passed; the demo table
uses every shipped scenario and timeline year); ``progress`` (the 0.2 behaviour:
2010 = 0, plan_2035 = 1) is descriptive only. Aggregation is arithmetic by default
(defined at 0, no floor); geometric with a stated :math:`\varepsilon` is an option
(:mod:`yrdnet.analysis.composite_norm`).

References
----------
.. [1] OECD & JRC (2008) *Handbook on Constructing Composite Indicators: Methodology and
   User Guide*. Paris: OECD Publishing, https://doi.org/10.1787/9789264043466-en
.. [2] Nardo, M., Saisana, M., Saltelli, A. & Tarantola, S. (2005) *Tools for Composite
   Indicators Building*. EUR 21682 EN, European Commission JRC, Ispra.
.. [3] Saisana, M., Saltelli, A. & Tarantola, S. (2005) Uncertainty and sensitivity
   analysis techniques as tools for the quality assessment of composite indicators.
   *J. R. Stat. Soc. A* 168(2), 307-323, https://doi.org/10.1111/j.1467-985X.2005.00350.x
.. [4] Limtanakool, N., Dijst, M. & Schwanen, T. (2007) A theoretical framework and
   methodology for characterising national urban systems on the basis of flows of
   people. *Urban Studies* 44(11), 2123-2145, https://doi.org/10.1080/00420980701518941
.. [5] Theil, H. (1967) *Economics and Information Theory*. Amsterdam: North-Holland.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.analysis.composite_norm import (
    AGGREGATIONS,
    FLOOR,
    NORMALISATIONS,
    aggregate,
    distance_to_target,
    effective_weights,
    geometric_index,
    reference_scores,
)
from yrdnet.analysis.results import ScenarioResult
from yrdnet.core.deprecation import forward_attribute
from yrdnet.core.errors import DataError
from yrdnet.region.region import load_region

__all__ = [
    "COMPONENTS",
    "CORE_LINK_THRESHOLD_MIN",
    "FLOOR",
    "Composite",
    "CompositeOptions",
    "component_scores",
    "composite_index",
    "core_link_attainment",
    "core_link_equivalent_time",
    "distance_to_target",
    "effective_weights",
    "geometric_index",
    "raw_components",
    "subcentre_core_balance",
]

#: The core-link threshold of the NDRC & MoT (2020) plan, station to station (min).
CORE_LINK_THRESHOLD_MIN = 90.0


@dataclass(frozen=True)
class _Component:
    raw: str
    unit: str
    direction: int  # +1: more is better
    bounds: str  # "unit" (x), "hyperbolic" (theta / (theta + x)), "exp" (exp(-x))
    source: str


COMPONENTS: dict[str, _Component] = {
    "core_hierarchy": _Component(
        "subcentre_core_balance", "ratio", 1, "unit",
        "sub-centres gain on the core, no credit beyond parity (core keeps first place); natural bounds [0, 1]",
    ),
    "metro_integration": _Component(
        "metro_logistic_integration", "share", 1, "unit",
        "metros grow into commuting regions; natural bounds [0, 1] (Geurs & van Eck 2001 decay)",
    ),
    "intercity_linkage": _Component(
        "core_link_equivalent_time_min", "min", -1, "hyperbolic",
        "central cities within 90 min station to station (NDRC & MoT 2020, data/targets.csv); "
        "score theta / (theta + t), 0.5 at the threshold",
    ),
    "core_hinterland_equity": _Component(
        "theil_people_pot_exp_pop_multimodal", "nats", -1, "exp",
        "shrinking gaps: Theil T of potential over people, 0 = equal; score exp(-T) (Theil 1967)",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class CompositeOptions:
    r"""Method choices of :func:`composite_index` (validated on construction).

    Parameters
    ----------
    normalisation
        ``"bounds"`` (default), ``"minmax"``, ``"zscore"`` or ``"progress"``
        (:mod:`yrdnet.analysis.composite_norm`; ``progress`` is descriptive only).
    aggregation
        ``"arithmetic"`` (default) or ``"geometric"`` (not with ``zscore``).
    epsilon
        :math:`\varepsilon` of the geometric aggregation (a stated choice).

    Examples
    --------
    >>> CompositeOptions(normalisation="minmax").aggregation
    'arithmetic'
    """

    normalisation: str = "bounds"
    aggregation: str = "arithmetic"
    epsilon: float = FLOOR

    def __post_init__(self) -> None:
        """Validate the choices, all problems at once."""
        probs = []
        if self.normalisation not in NORMALISATIONS:
            probs.append(f"normalisation must be one of {NORMALISATIONS}, got {self.normalisation!r}")
        if self.aggregation not in AGGREGATIONS:
            probs.append(f"aggregation must be one of {AGGREGATIONS}, got {self.aggregation!r}")
        if self.aggregation == "geometric" and self.normalisation == "zscore":
            probs.append("geometric aggregation needs non-negative scores; use arithmetic with z-scores")
        if not self.epsilon > 0:
            probs.append(f"epsilon must be > 0, got {self.epsilon}")
        if probs:
            raise ValueError("; ".join(probs))


@dataclass(frozen=True)
class Composite:
    """Tables of :func:`composite_index`.

    Attributes
    ----------
    index : pandas.DataFrame
        One row per scenario: ``composite_index`` and the normalised
        ``composite_<component>`` scores.
    dashboard : pandas.DataFrame
        One row per (scenario, component): ``raw_indicator``, ``raw`` with its ``unit``,
        ``direction``, ``score``, ``nominal_weight`` and ``normalisation`` (the raw value
        beside its score).
    weights : pandas.DataFrame
        One row per component: ``nominal``, ``effective`` (variance share) and
        ``correlation_ratio`` (:func:`effective_weights`) across the scenarios.
    options : CompositeOptions
        The method choices.
    """

    index: pd.DataFrame
    dashboard: pd.DataFrame
    weights: pd.DataFrame
    options: CompositeOptions = field(default_factory=CompositeOptions)


def subcentre_core_balance(dominance: pd.Series, core: int, subcentres: Iterable[int]) -> float:
    r"""The sub-centres' standing relative to the core, without credit beyond parity.

    .. math:: H = \frac{1}{|S|} \sum_{j \in S} \min\left(1, \frac{DI_j}{DI_c}\right)

    with :math:`DI` the Limtanakool dominance of each city in modelled flows, :math:`c`
    the core and :math:`S` the sub-centres.

    Parameters
    ----------
    dominance
        Dominance (or any positive size of centrality) per city, indexed by adcode
        (``ScenarioResult.cities["dominance_flows_multimodal"]``).
    core, subcentres
        The core's and the sub-centres' adcodes (:func:`yrdnet.load_region`).

    Returns
    -------
    float
        In :math:`[0, 1]`; 1 = every sub-centre at least as dominant as the core.

    Raises
    ------
    DataError
        If a city is missing, there is no sub-centre or the core's value is not positive.

    Notes
    -----
    Continuous and bounded. A sub-centre above the core counts as 1 (the goal is a core
    that keeps first place, so overtaking it earns nothing).

    Examples
    --------
    >>> subcentre_core_balance(pd.Series({1: 4.0, 2: 2.0, 3: 6.0}), 1, [2, 3])
    0.75
    """
    subs = [int(s) for s in subcentres]
    missing = [c for c in (core, *subs) if c not in dominance.index]
    if missing or not subs:
        raise DataError(f"subcentre_core_balance: cities {missing} missing or no sub-centre given")
    dc = float(dominance[core])
    if not dc > 0:
        raise DataError(f"subcentre_core_balance: the core {core} has dominance {dc}, expected > 0")
    return float(np.mean([min(1.0, float(dominance[s]) / dc) for s in subs]))


def _core_links(targets: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    links = targets[targets["kind"] == "core_link"]
    if links.empty:
        raise DataError("the target table has no core_link target")
    return links["time_min"].to_numpy(float), links["threshold_min"].to_numpy(float)


def core_link_equivalent_time(targets: pd.DataFrame, *, threshold_min: float = CORE_LINK_THRESHOLD_MIN) -> float:
    r"""Equivalent time of the plan's core links: every minute counts, unreachable links too.

    .. math:: \Lambda = \frac{1}{|K|} \sum_{k \in K} \frac{\theta_k}{\theta_k + t_k},
              \qquad t^* = \theta \left(\frac{1}{\Lambda} - 1\right)

    :math:`\Lambda` is the mean hyperbolic linkage of the ``core_link`` targets
    (:math:`t_k` the fastest station-to-station time, the policy's own definition;
    :math:`\theta_k` its threshold; an unreachable link adds 0) and :math:`t^*` the time
    at which one link with threshold :math:`\theta` would have linkage :math:`\Lambda`.

    Parameters
    ----------
    targets
        A policy-target table (``ScenarioResult.targets``) with ``kind``,
        ``threshold_min`` and ``time_min``.
    threshold_min
        :math:`\theta` (default the plan's 90 min).

    Returns
    -------
    float
        :math:`t^*` in minutes (``inf`` if no link is reachable); equals the common time
        when every link takes the same time and has threshold :math:`\theta`.

    Raises
    ------
    DataError
        If the table has no ``core_link`` target.

    Notes
    -----
    Replaces :func:`core_link_attainment`, whose cap at the threshold made it constant
    once the links met it. Unlike the arithmetic mean time it stays finite with an
    unreachable link (2010: Shanghai-Hefei without a rail link counts as linkage 0).

    Examples
    --------
    >>> t = pd.DataFrame({"kind": ["core_link", "core_link"], "threshold_min": [90.0, 90.0],
    ...                   "time_min": [60.0, 60.0]})
    >>> round(core_link_equivalent_time(t), 6)
    60.0
    """
    t, theta = _core_links(targets)
    lam = float(np.mean(np.where(np.isfinite(t), theta / (theta + t), 0.0)))
    return float(threshold_min * (1.0 / lam - 1.0)) if lam > 0 else float("inf")


def core_link_attainment(targets: pd.DataFrame) -> float:
    r"""Mean attainment of the ``core_link`` policy targets, capped at the threshold.

    .. math:: L = \frac{1}{|K|} \sum_{k \in K} \min\left(1, \frac{\theta_k}{t_k}\right)

    Parameters
    ----------
    targets
        A policy-target table (``ScenarioResult.targets``) with ``kind``,
        ``threshold_min`` and ``time_min``.

    Returns
    -------
    float
        In ``[0, 1]``; 1 = every core link within its threshold; an unreachable link 0.

    Raises
    ------
    DataError
        If the table has no ``core_link`` target.

    Notes
    -----
    Kept as an indicator; no longer a composite component (saturated from 2015, see
    :func:`core_link_equivalent_time`).

    References
    ----------
    .. [1] NDRC & MoT (April 2020), 长江三角洲地区交通运输更高质量一体化发展规划.

    Examples
    --------
    >>> t = pd.DataFrame({"kind": ["core_link", "core_link", "metro_commute"],
    ...                   "threshold_min": [90.0, 90.0, 60.0], "time_min": [60.0, 180.0, 99.0]})
    >>> core_link_attainment(t)
    0.75
    """
    t, theta = _core_links(targets)
    with np.errstate(divide="ignore"):
        score = np.where(t <= theta, 1.0, theta / np.where(t > 0, t, 1.0))
    return float(np.mean(np.where(np.isfinite(t), score, 0.0)))


def raw_components(results: Sequence[object] | pd.DataFrame) -> pd.DataFrame:
    """Raw component values: index the raw keys of :data:`COMPONENTS`, one column per scenario.

    ``results`` are :class:`yrdnet.ScenarioResult` objects (city level; the balance is read
    from ``cities``, the linkage from ``targets``, the rest from ``region``), or a table
    already holding the four rows (extra rows are ignored).

    Examples
    --------
    >>> raw = pd.DataFrame({"a": [0.4, 0.3, 70.0, 0.05, 9.0]},
    ...                    index=[*(c.raw for c in COMPONENTS.values()), "other"])
    >>> raw_components(raw).shape
    (4, 1)
    """
    keys = [c.raw for c in COMPONENTS.values()]
    if isinstance(results, pd.DataFrame):
        missing = [k for k in keys if k not in results.index]
        if missing:
            raise DataError(f"rows {missing} missing; pass ScenarioResult objects or add them (raw_components)")
        return results.loc[keys].astype(float)
    region = load_region()
    cols: dict[str, pd.Series] = {}
    for r in results:
        if not isinstance(r, ScenarioResult):
            raise TypeError(f"composite_index takes ScenarioResult objects or a raw table, got {type(r)}")
        v = r.region["value"].astype(float)
        dom = r.cities["dominance_flows_multimodal"].astype(float)
        row = {
            "subcentre_core_balance": subcentre_core_balance(dom, region.core, region.subcentres),
            "metro_logistic_integration": float(v["metro_logistic_integration"]),
            "core_link_equivalent_time_min": core_link_equivalent_time(r.targets),
            "theil_people_pot_exp_pop_multimodal": float(v["theil_people_pot_exp_pop_multimodal"]),
        }
        cols[r.name] = pd.Series(row)[keys]
    return pd.DataFrame(cols)


def bounds_scores(x: np.ndarray) -> np.ndarray:
    r"""The ``bounds`` scores of raw values (components on the last axis, in :data:`COMPONENTS` order).

    Examples
    --------
    >>> bounds_scores(np.array([0.5, 0.3, 90.0, 0.0])).tolist()
    [0.5, 0.3, 0.5, 1.0]
    """
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for i, c in enumerate(COMPONENTS.values()):
        v = x[..., i]
        if c.bounds == "unit":
            out[..., i] = v
        elif c.bounds == "hyperbolic":
            out[..., i] = np.where(np.isfinite(v), CORE_LINK_THRESHOLD_MIN / (CORE_LINK_THRESHOLD_MIN + v), 0.0)
        else:
            out[..., i] = np.exp(-v)
    return out


def component_scores(
    raw: pd.DataFrame,
    normalisation: str = "bounds",
    *,
    reference_set: pd.DataFrame | None = None,
    base: str | None = None,
    plan: str = "plan_2035",
) -> pd.DataFrame:
    r"""Normalised component scores, one row per scenario (:mod:`yrdnet.analysis.composite_norm`).

    Parameters
    ----------
    raw
        :func:`raw_components` table (rows raw keys, columns scenarios).
    normalisation
        One of :data:`yrdnet.analysis.composite_norm.NORMALISATIONS`.
    reference_set
        Raw table of the reference set for ``minmax`` / ``zscore`` (default ``raw``).
    base, plan
        ``progress`` only: the scenarios scored 0 (default the first) and 1.

    Returns
    -------
    pandas.DataFrame
        Index scenario, one column per component.

    Examples
    --------
    >>> raw = pd.DataFrame({"a": [0.4, 0.3, 90.0, 0.0], "b": [0.5, 0.4, 60.0, 0.1]},
    ...                    index=[c.raw for c in COMPONENTS.values()])
    >>> component_scores(raw, "minmax").loc["b"].tolist()
    [1.0, 1.0, 1.0, 0.0]
    """
    x = raw.to_numpy(float).T
    d = np.array([c.direction for c in COMPONENTS.values()], dtype=float)
    if normalisation == "bounds":
        s = bounds_scores(x)
    elif normalisation in ("minmax", "zscore"):
        ref = raw_components(raw if reference_set is None else reference_set).to_numpy(float).T
        s = reference_scores(x, ref, d, normalisation)
    elif normalisation == "progress":
        names = list(raw.columns)
        base = names[0] if base is None else base
        if base not in names or plan not in names:
            raise ValueError(f"progress: base {base!r} and plan {plan!r} must be among the scenarios {names}")
        s = distance_to_target(x, raw[base].to_numpy(float), raw[plan].to_numpy(float))
    else:
        raise ValueError(f"normalisation must be one of {NORMALISATIONS}, got {normalisation!r}")
    return pd.DataFrame(s, index=pd.Index(list(raw.columns), name="scenario"), columns=list(COMPONENTS))


def _options(options: CompositeOptions | None, reference: str | None, floor: float | None) -> CompositeOptions:
    """Options with the 0.2 keywords mapped on: ``reference`` "plan" -> progress, "ideal" -> bounds."""
    o = options or CompositeOptions()
    legacy = {"plan": "progress", "ideal": "bounds"}
    if reference is not None:
        if reference not in legacy:
            raise ValueError(f"reference must be 'plan' or 'ideal', got {reference!r}")
        o = CompositeOptions(legacy[reference], o.aggregation, o.epsilon)
    return o if floor is None else CompositeOptions(o.normalisation, o.aggregation, floor)


def _weight_vector(weights: Mapping[str, float] | None) -> np.ndarray:
    w_map = {k: 1.0 for k in COMPONENTS} if weights is None else dict(weights)
    unknown = set(w_map) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown components {sorted(unknown)}; known: {list(COMPONENTS)}")
    return np.array([float(w_map.get(k, 0.0)) for k in COMPONENTS])


def composite_index(
    results: Sequence[object] | pd.DataFrame,
    *,
    options: CompositeOptions | None = None,
    weights: Mapping[str, float] | None = None,
    reference_set: pd.DataFrame | None = None,
    base: str | None = None,
    plan: str = "plan_2035",
    reference: str | None = None,
    floor: float | None = None,
) -> Composite:
    r"""The spatial-structure composite of scenarios, with its dashboard and effective weights.

    .. math:: I_s = \sum_k w_k\, c_k(x_{k,s}) \quad\text{(arithmetic, default)}, \qquad
              I_s = \prod_k \max(\varepsilon, c_k)^{w_k} \quad\text{(geometric)}

    with :math:`c_k` the ``bounds`` score of the module docstring (or another
    normalisation of :class:`CompositeOptions`) and :math:`\sum_k w_k = 1`.

    Parameters
    ----------
    results
        :class:`yrdnet.ScenarioResult` objects (city level), or a raw table (index raw
        key, one column per scenario) holding the rows of :data:`COMPONENTS`.
    options
        Normalisation, aggregation, :math:`\varepsilon` (default ``bounds``, arithmetic).
    weights
        Nominal weight per component (default equal).
    reference_set
        Raw table of the ``minmax`` / ``zscore`` reference set (default the scenarios
        passed; :func:`raw_components` of every shipped scenario and year is the
        documented choice).
    base, plan
        ``progress`` only: the scenarios scored 0 (default the first) and 1.
    reference
        0.2 keyword: ``"plan"`` = ``progress`` (descriptive only, the plan scores 1 by
        construction), ``"ideal"`` = ``bounds``.
    floor
        0.2 keyword for ``options.epsilon``.

    Returns
    -------
    Composite
        ``index``, ``dashboard`` (raw with units beside each score) and ``weights``.

    Raises
    ------
    ValueError
        On an unknown method, reference or component, or ``progress`` without ``base``
        and ``plan`` among the scenarios.
    DataError
        If a raw row is missing from a table.

    Notes
    -----
    Masses are fixed across scenarios, so the composite moves with the network alone.
    Under ``bounds`` a scenario's score does not depend on the other scenarios passed.

    References
    ----------
    .. [1] OECD & JRC (2008) Handbook on Constructing Composite Indicators.

    Examples
    --------
    >>> raw = pd.DataFrame({"baseline_2010": [0.40, 0.30, 90.0, 0.08],
    ...                     "plan_2035": [0.50, 0.40, 60.0, 0.04]},
    ...                    index=[c.raw for c in COMPONENTS.values()])
    >>> composite_index(raw).index["composite_index"].round(3).tolist()
    [0.531, 0.615]
    """
    opts = _options(options, reference, floor)
    raw = raw_components(results)
    w = _weight_vector(weights)
    scores = component_scores(raw, opts.normalisation, reference_set=reference_set, base=base, plan=plan)
    s = scores.to_numpy(float)
    index = scores.add_prefix("composite_")
    index.insert(0, "composite_index", aggregate(s, w, opts.aggregation, opts.epsilon))
    return Composite(
        index=index,
        dashboard=_dashboard(raw, scores, w / w.sum(), opts),
        weights=effective_weights(scores, w, opts.epsilon, aggregation=opts.aggregation),
        options=opts,
    )


def _dashboard(raw: pd.DataFrame, scores: pd.DataFrame, w: np.ndarray, opts: CompositeOptions) -> pd.DataFrame:
    comps = list(COMPONENTS.values())
    x, sc = raw.to_numpy(float), scores.to_numpy(float)  # components x scenarios, scenarios x components
    rows = [
        {"scenario": s, "component": k, "raw_indicator": c.raw, "raw": float(x[i, j]), "unit": c.unit,
         "direction": "higher is better" if c.direction > 0 else "lower is better",
         "score": float(sc[j, i]), "nominal_weight": float(w[i]),
         "normalisation": opts.normalisation if opts.normalisation != "bounds" else c.source}
        for j, s in enumerate(raw.columns) for i, (k, c) in enumerate(zip(COMPONENTS, comps, strict=True))
    ]  # fmt: skip
    return pd.DataFrame(rows).set_index(["scenario", "component"])


def __getattr__(name: str) -> Any:
    """``composite_robustness`` moved to :mod:`yrdnet.plans.metric_choices` in 0.2 (PEP 562)."""
    if name == "composite_robustness":
        return forward_attribute(__name__, "yrdnet.plans.metric_choices", name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)

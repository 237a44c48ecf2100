r"""How robust the headline conclusions are to the metric choices (after Saisana et al. 2005).

The travel-time matrices of a few scenarios are computed once; every combination of the
metric-side choices below is then evaluated on them (no re-routing):

* the decay half-life of potential accessibility and of the modelled flows
  (45, 60, 90, 120 min; indicators digest §1.2);
* self-potential on or off (Rich's internal time, :func:`yrdnet.analysis.steps.self_times`);
* the commuting midpoint of the log-logistic integration (45, 60, 90 min);
* the time definition: door to door multimodal, or door to door by rail;
* the metropolitan definition: current or 2016.

For each headline conclusion :func:`conclusion_robustness` reports the share of the
combinations (a full factorial, 4 x 2 x 3 x 2 x 2 = 96) in which it holds. The
composite's conclusions, with its weights and normalisation reference drawn on top of
these choices, are in :func:`composite_robustness` (it reuses
:func:`routed` and :func:`measures`).

:mod:`yrdnet.plans.uncertainty` (``yrdnet.uncertainty``, callable) draws over the
travel-time model as well as these choices, with Sobol indices, and re-exports these
names (``yrdnet.uncertainty.conclusion_robustness`` as in 0.1).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import cast

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.analysis.city_potential import CountyRun, city_potentials, county_run
from yrdnet.analysis.composite import COMPONENTS, FLOOR, core_link_attainment, distance_to_target, geometric_index
from yrdnet.analysis.steps import self_times
from yrdnet.analysis.targets import targets as policy_targets
from yrdnet.core.keys import key
from yrdnet.core.params import MetricParams, TravelTimeModel
from yrdnet.metrics import accessibility as acc
from yrdnet.metrics import equity as eq
from yrdnet.metrics import hierarchy as hier
from yrdnet.metrics import integration as integ
from yrdnet.metrics import polycentricity as poly
from yrdnet.region.datasets import load_cities, load_metros
from yrdnet.region.region import load_region
from yrdnet.region.zones import load_zones
from yrdnet.routing.matrices import UnreachableWarning, travel_times
from yrdnet.scenarios.scenario import build_graph, load_scenario

__all__ = ["CHOICES", "composite_robustness", "conclusion_robustness", "measures", "routed"]

CHOICES: dict[str, tuple[object, ...]] = {
    "half_life_min": (45.0, 60.0, 90.0, 120.0),
    "self_potential": (True, False),
    "commute_midpoint_min": (45.0, 60.0, 90.0),
    "mode": ("multimodal", "rail"),
    "metro_definition": ("current", "2016"),
}


def measures(
    T: pd.DataFrame,
    pop: pd.Series,
    tii: pd.Series,
    choice: dict[str, object],
    metros: pd.DataFrame | None = None,
    run: CountyRun | None = None,
) -> dict[str, float]:
    """Region measures of one metric-choice combination (one of :data:`CHOICES` each).

    With self-potential on and the scenario's county run given (:func:`county_runs`), the
    city potential is the county run's, aggregated by population, as :func:`yrdnet.analyze`
    computes it by default (``MetricParams.city_potential``); otherwise Rich's internal
    times ``tii`` on the city zones.

    Returns metro ``integration`` (log-logistic), ``dominance_core`` (Limtanakool),
    ``gini_potential``, ``theil_potential`` (Theil T of potential) and
    ``core_rank_potential`` on the travel times ``T`` (no re-routing). ``metros`` is
    ``load_metros(choice["metro_definition"])``, read here when not given (callers looping
    over the combinations read it once per definition).
    """
    beta = math.log(2) / float(choice["half_life_min"])  # type: ignore[arg-type]
    p = MetricParams(beta=beta, flow_beta=beta, self_potential=bool(choice["self_potential"]))
    if metros is None:
        metros = load_metros(str(choice["metro_definition"]))
    members = {str(m): [int(x) for x in v] for m, v in metros["members"].items()}
    cores = {m: int(cast(int, metros.loc[m, "core_adcode"])) for m in members}
    cm = integ.core_member_integration(
        T,
        members,
        cores,
        pop,
        midpoint=float(choice["commute_midpoint_min"]),  # type: ignore[arg-type]
    )
    if run is not None and p.self_potential:
        col = key("pot", str(choice.get("mode", "multimodal")), exp=None, pop=None)
        pot = city_potentials(run, p)[col].reindex(T.index)
    else:
        pot = acc.potential_accessibility(T, pop, decay="exp", params=p, self_time_min=tii)
    F = poly.gravity_flows(T, pop, params=p)
    core = load_region().core
    return {
        "integration": float(cm.attrs["logistic_integration"]),
        "dominance_core": float(hier.dominance_index(F)[core]),
        "gini_potential": float(eq.gini(pot.to_numpy(float))),
        "theil_potential": float(eq.theil(pot.to_numpy(float)).iloc[0]),
        "core_rank_potential": float(pot.rank(ascending=False, method="min")[core]),
    }


def routed(
    scenarios: Sequence[str],
) -> tuple[dict[tuple[str, str], pd.DataFrame], pd.Series, pd.Series, dict[str, object]]:
    """Route each scenario once (city level, every :data:`CHOICES` time definition).

    Returns ``(od, population, self_times, graphs)``: ``od[(scenario, mode)]`` is the
    city x city matrix in minutes, ``graphs[scenario]`` the built graph.
    """
    od, graphs = route_cities(scenarios, CHOICES["mode"])
    return od, *city_masses(), graphs


def county_runs(graphs: Mapping[str, object]) -> dict[str, CountyRun]:
    """The county run of each built scenario graph (:func:`yrdnet.analysis.city_potential.county_run`).

    Scenarios whose county network is unknown are left out (their measures fall back to
    Rich's internal times).
    """
    R, p = load_region(), MetricParams()
    out = {}
    for s, G in graphs.items():
        g = cast("nx.MultiDiGraph", G)
        run = county_run(g, region=R, p=p, network_year=int(g.graph.get("year", -1)))
        if isinstance(run, CountyRun):
            out[s] = run
    return out


def city_masses() -> tuple[pd.Series, pd.Series]:
    """The cities' population and self-potential times (default :class:`MetricParams`)."""
    cities = load_cities()
    return cities["population"].astype(float), self_times(load_zones("city"), cities.index, MetricParams())


def route_cities(
    scenarios: Sequence[str], modes: Sequence[object], model: TravelTimeModel | None = None
) -> tuple[dict[tuple[str, str], pd.DataFrame], dict[str, object]]:
    """City x city travel times per (scenario, mode) and the built graphs, each scenario built once.

    ``model`` is the travel-time model (default :class:`TravelTimeModel`); each scenario's
    ``[model]`` overrides apply on top.
    """
    ids = load_cities().index
    od: dict[tuple[str, str], pd.DataFrame] = {}
    graphs: dict[str, object] = {}
    for s in scenarios:
        G = graphs[s] = build_graph(load_scenario(s), model=model)
        for mode in modes:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UnreachableWarning)
                od[(s, str(mode))] = travel_times(G, str(mode)).loc[ids, ids]
    return od, graphs


def conclusion_robustness(
    scenarios: Sequence[str] = ("baseline_2010", "baseline_2025", "plan_2035"),
) -> pd.DataFrame:
    """Share of the metric-choice combinations in which each headline conclusion holds.

    Parameters
    ----------
    scenarios
        Three scenarios ``(first, base, plan)``: the start of the timeline, the base and
        the plan (default 2010, 2025, 2035), at city level with 2020 masses.

    Returns
    -------
    pandas.DataFrame
        Index conclusion: ``holds_share`` (in [0, 1]), ``n_combinations``, and the
        median change across the combinations (``median_change``).

    Notes
    -----
    Conclusions: the plan raises integration over the base; the core's dominance in
    modelled flows grows from the first scenario to the plan (a Matthew effect) or falls
    (convergence); the inequality (Gini) of potential accessibility falls from the first
    scenario to the plan; the core (Shanghai) ranks first on potential accessibility in the plan.

    References
    ----------
    .. [1] Saisana et al. (2005), uncertainty analysis of composite indicators, as named
       by issue 11 (not in the project's indicators digest; details not retrieved).

    Examples
    --------
    >>> conclusion_robustness()  # doctest: +SKIP
    """
    if len(scenarios) != 3:
        raise ValueError(f"conclusion_robustness needs three scenarios (first, base, plan), got {list(scenarios)}")
    od, pop, tii, graphs = routed(scenarios)
    runs = county_runs(graphs)
    first, base, plan = scenarios
    names = list(CHOICES)
    metros = {str(d): load_metros(str(d)) for d in CHOICES["metro_definition"]}
    rows: dict[str, list[float]] = {k: [] for k in ("integration", "dominance_up", "dominance_down", "gini", "rank")}
    changes: dict[str, list[float]] = {k: [] for k in rows}
    for combo in itertools.product(*CHOICES.values()):
        choice = dict(zip(names, combo, strict=True))
        mt = metros[str(choice["metro_definition"])]
        m = {s: measures(od[(s, str(choice["mode"]))], pop, tii, choice, mt, runs.get(s)) for s in scenarios}
        d_int = m[plan]["integration"] - m[base]["integration"]
        d_dom = m[plan]["dominance_core"] - m[first]["dominance_core"]
        d_gini = m[plan]["gini_potential"] - m[first]["gini_potential"]
        for k, holds, change in (
            ("integration", d_int > 0, d_int),
            ("dominance_up", d_dom > 0, d_dom),
            ("dominance_down", d_dom < 0, d_dom),
            ("gini", d_gini < 0, d_gini),
            ("rank", m[plan]["core_rank_potential"] == 1, m[plan]["core_rank_potential"]),
        ):
            rows[k].append(float(holds))
            changes[k].append(float(change))
    labels = {
        "integration": f"{plan} raises metro integration over {base}",
        "dominance_up": f"the core's dominance in modelled flows grows {first} -> {plan} (Matthew effect)",
        "dominance_down": f"the core's dominance in modelled flows falls {first} -> {plan} (convergence)",
        "gini": f"inequality (Gini) of potential accessibility falls {first} -> {plan}",
        "rank": f"{load_region().core_name} ranks first on potential accessibility in {plan}",
    }
    out = pd.DataFrame(
        {
            "holds_share": [float(np.mean(rows[k])) for k in labels],
            "n_combinations": [len(rows[k]) for k in labels],
            "median_change": [float(np.median(changes[k])) for k in labels],
        },
        index=pd.Index([labels[k] for k in labels], name="conclusion"),
    )
    return out


def composite_robustness(
    scenarios: Sequence[str] = ("baseline_2010", "baseline_2025", "plan_2035"),
    *,
    n_weight_draws: int = 100,
    weight_spread: float = 0.5,
    seed: int = 0,
    floor: float = FLOOR,
) -> pd.DataFrame:
    r"""Share of the uncertainty draws in which each headline conclusion about the composite holds.

    A draw is one metric-choice combination of :data:`yrdnet.uncertainty.CHOICES` (96,
    on travel times routed once), one normalisation reference (``plan`` or ``ideal``)
    and one weight vector :math:`w_k = \bar w_k u_k / \sum_j \bar w_j u_j`,
    :math:`u_k \sim U(1-\delta, 1+\delta)` (:math:`\delta` = ``weight_spread``):

    .. math:: \text{share} = \frac{1}{D} \sum_{d=1}^{D}
              \mathbf 1\left[I_d(\text{later}) > I_d(\text{earlier})\right]

    Parameters
    ----------
    scenarios
        ``(first, base, plan)``: the base year of the normalisation, the comparison
        scenario, the plan (default 2010, 2025, 2035), city level, 2020 masses.
    n_weight_draws
        Weight vectors per (combination, reference).
    weight_spread
        :math:`\delta`, the relative spread of each weight (0.5 = ±50 %).
    seed
        Seed of the weight draws (the result is deterministic given it).
    floor
        :math:`\varepsilon` of :func:`geometric_index`.

    Returns
    -------
    pandas.DataFrame
        Index conclusion: ``holds_share`` in [0, 1], ``n_draws``, ``median_change``
        (median of the index difference over the draws).

    Notes
    -----
    Metric-side only: no re-routing; the linkage component uses station-to-station
    times, which no metric choice changes. The 96 x 2 x ``n_weight_draws`` draws are
    evaluated as one array. Under the ``plan`` reference the plan scores 1 on three
    components by construction; the ``ideal`` reference is the test that does not
    presuppose the plan.

    References
    ----------
    .. [1] Saisana et al. (2005), uncertainty analysis of composite indicators, as named
       by issue 11 (not in the indicators digest; details not retrieved).
    .. [2] OECD & JRC (2008) Handbook on Constructing Composite Indicators.

    Examples
    --------
    >>> composite_robustness(n_weight_draws=10)  # doctest: +SKIP
    """
    if len(scenarios) != 3:
        raise ValueError(f"composite_robustness needs three scenarios (first, base, plan), got {list(scenarios)}")
    first, base, plan = scenarios
    od, pop, tii, graphs = routed(scenarios)
    runs = county_runs(graphs)
    link = np.array([core_link_attainment(policy_targets(cast(nx.MultiDiGraph, graphs[s]))) for s in scenarios])
    keys = {"core_hierarchy": "dominance_core", "metro_integration": "integration",
            "core_hinterland_equity": "theil_potential"}  # fmt: skip
    names = list(CHOICES)
    metros = {str(d): load_metros(str(d)) for d in CHOICES["metro_definition"]}
    raw = []  # combinations x scenarios x components
    for combo in itertools.product(*CHOICES.values()):
        choice = dict(zip(names, combo, strict=True))
        per = []
        for i, s in enumerate(scenarios):
            mt = metros[str(choice["metro_definition"])]
            m = measures(od[(s, str(choice["mode"]))], pop, tii, choice, mt, runs.get(s))
            per.append([link[i] if k == "intercity_linkage" else m[keys[k]] for k in COMPONENTS])
        raw.append(per)
    R = np.array(raw)  # (C, 3, K)
    plan_ref = np.where(
        [c.target is None for c in COMPONENTS.values()],
        R[:, 2, :],
        np.array([c.target if c.target is not None else np.nan for c in COMPONENTS.values()]),
    )
    ideal_ref = np.broadcast_to(np.array([c.ideal for c in COMPONENTS.values()]), plan_ref.shape)
    refs = np.stack([plan_ref, ideal_ref], axis=1)  # (C, 2, K)
    S = distance_to_target(R[:, None, :, :], R[:, None, :1, :], refs[:, :, None, :])  # (C, 2, 3, K)
    rng = np.random.default_rng(seed)
    nominal = np.full(len(COMPONENTS), 1.0 / len(COMPONENTS))
    u = rng.uniform(1 - weight_spread, 1 + weight_spread, size=(n_weight_draws, len(COMPONENTS)))
    W = nominal * u  # (D, K), normalised in geometric_index
    idx = geometric_index(S[:, :, None, :, :], W[None, None, :, None, :], floor)  # (C, 2, D, 3)
    d_plan = (idx[..., 2] - idx[..., 1]).ravel()
    d_rise = (idx[..., 1] - idx[..., 0]).ravel()
    labels = {
        f"{plan} raises the composite over {base}": d_plan,
        f"the composite rises {first} -> {base}": d_rise,
    }
    return pd.DataFrame(
        {
            "holds_share": [float(np.mean(v > 0)) for v in labels.values()],
            "n_draws": [int(v.size) for v in labels.values()],
            "median_change": [float(np.median(v)) for v in labels.values()],
        },
        index=pd.Index(list(labels), name="conclusion"),
    )

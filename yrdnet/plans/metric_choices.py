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
composite's conclusions, with its normalisation, aggregation and weights drawn on top of
these choices and of travel-time model variants (:data:`MODEL_VARIANTS`), are in
:func:`composite_robustness` (it reuses :func:`route_cities` and :func:`measures`; the
draws are evaluated in :mod:`yrdnet.plans.composite_uncertainty`).

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

from yrdnet.analysis.city_potential import CountyRun, city_potential, county_run
from yrdnet.analysis.composite import FLOOR, core_link_equivalent_time, subcentre_core_balance
from yrdnet.analysis.steps import self_times
from yrdnet.analysis.targets import targets as policy_targets
from yrdnet.core.params import MetricParams, TravelTimeModel, describe
from yrdnet.metrics import accessibility as acc
from yrdnet.metrics import equity as eq
from yrdnet.metrics import hierarchy as hier
from yrdnet.metrics import integration as integ
from yrdnet.metrics import polycentricity as poly
from yrdnet.plans.composite_uncertainty import robustness_table
from yrdnet.region.datasets import load_cities, load_metros
from yrdnet.region.region import load_region
from yrdnet.region.zones import load_zones
from yrdnet.routing.matrices import UnreachableWarning, travel_times
from yrdnet.scenarios.scenario import build_graph, load_scenario

__all__ = [
    "CHOICES",
    "MODEL_VARIANTS",
    "composite_raw_draws",
    "composite_robustness",
    "conclusion_robustness",
    "measures",
    "routed",
]

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
    ``gini_potential``, ``theil_potential`` (Theil T of potential over zones),
    ``theil_people_potential`` (over people), ``core_rank_potential`` and
    ``subcentre_balance`` (:func:`yrdnet.analysis.composite.subcentre_core_balance` on the
    dominance in modelled flows) on the travel times ``T`` (no re-routing). ``metros`` is
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
        pot = city_potential(run, p, str(choice.get("mode", "multimodal"))).reindex(T.index)
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
        "subcentre_balance": subcentre_core_balance(hier.dominance_index(F), core, load_region().subcentres),
        "theil_people_potential": float(eq.theil(pot.to_numpy(float), weights=pop.loc[pot.index])["total"]),
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


def _plausible(name: str, end: int) -> float:
    r = describe(TravelTimeModel, name).plausible
    if r is None:  # pragma: no cover - every drawn field has a range (tests/plans/test_model_uncertainty.py)
        raise KeyError(f"TravelTimeModel.{name} has no plausible range")
    return float(r.bounds[end])


#: Travel-time model variants of :func:`composite_robustness`: the default model and the
#: two corners of the plausible ranges (:func:`yrdnet.params.parameter_table`) - every
#: parameter at its slow end (slower trains and roads, longer waits, access and
#: transfers) and at its fast end.
MODEL_VARIANTS: dict[str, dict[str, float]] = {
    "default": {},
    **{
        name: {
            "rail_speed_factor": _plausible("rail_speed_factor", fast),
            "road_speed_factor": _plausible("road_speed_factor", fast),
            "access_speed_kph": _plausible("access_speed_kph", fast),
            "service_hours": _plausible("service_hours", fast),
            "max_wait_min": _plausible("max_wait_min", 1 - fast),
            "terminal_min": _plausible("terminal_min", 1 - fast),
            "transfer_min": _plausible("transfer_min", 1 - fast),
        }
        for name, fast in (("slow", 0), ("fast", 1))
    },
}


def composite_raw_draws(
    scenarios: Sequence[str],
    *,
    models: dict[str, dict[str, float]] | None = None,
    metric_choices: dict[str, tuple[object, ...]] | None = None,
) -> np.ndarray:
    """Raw composite components per (model variant x metric combination, scenario), city level.

    Each scenario is routed once per model variant (:data:`MODEL_VARIANTS` by default);
    the metric combinations (:data:`CHOICES`, or ``metric_choices`` overriding some of
    them) are evaluated on those matrices with :func:`measures`. The linkage reads the
    policy's station-to-station times, which the model changes and no metric choice does.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_models * n_combinations, len(scenarios), 4)``, components in
        :data:`yrdnet.analysis.composite.COMPONENTS` order.
    """
    choices = {**CHOICES, **(metric_choices or {})}
    pop, tii = city_masses()
    metros = {str(d): load_metros(str(d)) for d in choices["metro_definition"]}
    names = list(choices)
    draws = []
    for overrides in (MODEL_VARIANTS if models is None else models).values():
        model = TravelTimeModel().replace(**overrides) if overrides else None
        od, graphs = route_cities(scenarios, choices["mode"], model)
        link = [core_link_equivalent_time(policy_targets(cast(nx.MultiDiGraph, graphs[s]))) for s in scenarios]
        runs = county_runs(graphs)
        for combo in itertools.product(*choices.values()):
            choice = dict(zip(names, combo, strict=True))
            per = []
            for i, s in enumerate(scenarios):
                mt = metros[str(choice["metro_definition"])]
                m = measures(od[(s, str(choice["mode"]))], pop, tii, choice, mt, runs.get(s))
                per.append([m["subcentre_balance"], m["integration"], link[i], m["theil_people_potential"]])
            draws.append(per)
    return np.array(draws)


def composite_robustness(
    scenarios: Sequence[str] = ("baseline_2010", "baseline_2025", "plan_2035"),
    *,
    n_weight_draws: int = 100,
    weight_spread: float = 0.5,
    seed: int = 0,
    floor: float = FLOOR,
    models: dict[str, dict[str, float]] | None = None,
    metric_choices: dict[str, tuple[object, ...]] | None = None,
) -> pd.DataFrame:
    r"""Share of the uncertainty draws in which each headline conclusion about the composite holds.

    A draw is one travel-time model variant (:data:`MODEL_VARIANTS`: default, slow and
    fast corners of the plausible ranges), one metric-choice combination of
    :data:`CHOICES` (96), one normalisation and aggregation pair
    (:data:`yrdnet.plans.composite_uncertainty.METHODS`: bounds, min-max or z-score;
    arithmetic or geometric) and one weight vector
    :math:`w_k \propto u_k`, :math:`u_k \sim U(1-\delta, 1+\delta)`:

    .. math:: \text{share} = \frac{1}{D} \sum_{d=1}^{D}
              \mathbf 1\left[I_d(\text{later}) > I_d(\text{earlier})\right]

    Parameters
    ----------
    scenarios
        ``(first, base, plan)`` (default 2010, 2025, 2035), city level, 2020 masses.
    n_weight_draws
        Weight vectors per (input, method) draw.
    weight_spread
        :math:`\delta`, the relative spread of each weight (0.5 = ±50 %).
    seed
        Seed of the weight draws (the result is deterministic given it).
    floor
        :math:`\varepsilon` of the geometric aggregation.
    models
        Travel-time model variants ``{name: TravelTimeModel overrides}`` (default
        :data:`MODEL_VARIANTS`; ``{"default": {}}`` routes each scenario once).
    metric_choices
        Values overriding some of :data:`CHOICES` (e.g. ``{"half_life_min": (60.0,)}``).

    Returns
    -------
    pandas.DataFrame
        Index conclusion: ``holds_share`` in [0, 1], ``n_draws``, ``median_change``
        (median index difference) and ``holds_<normalisation>_<aggregation>`` per method
        pair (:func:`yrdnet.plans.composite_uncertainty.robustness_table`).

    Notes
    -----
    Routing dominates the run time: each scenario is built and routed once per model
    variant (about 6 s each at city level); the 96 metric combinations reuse the
    matrices. Min-max and z-scores use the three scenarios of the draw as reference set.

    References
    ----------
    .. [1] Saisana, M., Saltelli, A. & Tarantola, S. (2005) Uncertainty and sensitivity
       analysis techniques as tools for the quality assessment of composite indicators.
       *J. R. Stat. Soc. A* 168(2), 307-323, https://doi.org/10.1111/j.1467-985X.2005.00350.x
    .. [2] OECD & JRC (2008) Handbook on Constructing Composite Indicators.

    Examples
    --------
    >>> composite_robustness(n_weight_draws=10)  # doctest: +SKIP
    """
    if len(scenarios) != 3:
        raise ValueError(f"composite_robustness needs three scenarios (first, base, plan), got {list(scenarios)}")
    R = composite_raw_draws(scenarios, models=models, metric_choices=metric_choices)
    return robustness_table(
        R, scenarios, n_weight_draws=n_weight_draws, weight_spread=weight_spread, seed=seed, epsilon=floor
    )

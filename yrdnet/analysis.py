"""``analyze``: from a scenario or a graph to every measure, in a ScenarioResult.

Accessibility, centrality, polycentricity, integration and the structure index of one
scenario, collected in a :class:`ScenarioResult`.

Conventions
-----------
* Masses (population, GDP) are those of ``data/cities.csv`` in every scenario, so a
  scenario's change is the network's doing alone (Condeço-Melhorado et al. 2017).
* Accessibility of the cities in scope is measured against destinations in the **whole**
  YRD (41 cities) to limit boundary effects (Cui et al. 2026); polycentricity and
  integration use the cities in scope.
* The three travel modes are ``multimodal`` (best door-to-door by any combination),
  ``rail`` (rail with urban access) and ``road`` (expressway).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import networkx as nx
import numpy as np
import pandas as pd

from . import accessibility as acc
from . import centrality as cen
from . import equity as eq
from . import integration as integ
from . import polycentricity as poly
from . import structure as struct
from ._geo import distance_matrix_km
from ._keys import key
from .convert import MODES
from .datasets import close_matches, load_cities, load_metros
from .params import MetricParams, TravelTimeModel
from .results import ScenarioResult
from .routing import UnreachableWarning, travel_times
from .scenario import Scenario, build_graph, load_scenario

__all__ = ["CORE", "SUBCENTRES", "analyze", "timeline"]

log = logging.getLogger(__name__)

#: The region's core (Shanghai) and sub-centres (Nanjing, Hangzhou, Hefei) named by the
#: 2019 YRD Integration Outline.
CORE = 310000
SUBCENTRES = (320100, 330100, 340100)
_SCOPES = ("yrd", "central")

#: Default timeline: historical networks and the combined 2035 plan.
TIMELINE = ("baseline_2010", "baseline_2015", "baseline_2020", "baseline_2025", "plan_2035")


def _scope_ids(scope: str, cities: pd.DataFrame, metros: pd.DataFrame) -> list[int]:
    if scope == "yrd":
        return list(cities.index)
    if scope == "central":
        return list(cities.index[cities["central_area"]])
    if scope in metros.index:
        return list(cast("list[int]", metros.loc[scope, "members"]))
    valid = [*_SCOPES, *metros.index]
    msg = f"unknown scope {scope!r}{close_matches(scope, valid)}; expected one of {valid}"
    raise ValueError(msg)


def _resolve_graph(
    scenario_or_graph: str | Path | Scenario | nx.MultiDiGraph, year: int | None, model: TravelTimeModel | None
) -> nx.MultiDiGraph:
    if isinstance(scenario_or_graph, nx.MultiDiGraph):
        return scenario_or_graph
    return build_graph(scenario_or_graph, year, model=model)


def _od_all_modes(G: nx.MultiDiGraph, notes: list[str]) -> dict[str, pd.DataFrame]:
    od = {}
    for mode in MODES:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UnreachableWarning)
            od[mode] = travel_times(G, mode)
        notes.extend(str(w.message) for w in caught if issubclass(w.category, UnreachableWarning))
    return od


def _city_measures(
    od: dict[str, pd.DataFrame], cities: pd.DataFrame, dist: pd.DataFrame, p: MetricParams
) -> pd.DataFrame:
    pop, gdp = cities["population"].astype(float), cities["gdp"].astype(float)
    cols: dict[str, pd.Series] = {}
    for mode, T in od.items():
        cols[key("watt", mode, pop=None)] = acc.watt(T, pop)
        cols[key("watt", mode, gdp=None)] = acc.watt(T, gdp)
        cols[key("pot", mode, exp=None, pop=None)] = acc.potential_accessibility(T, pop, decay="exp", params=p)
        cols[key("pot", mode, power=None, pop=None)] = acc.potential_accessibility(T, pop, decay="power", params=p)
        cols[key("pot", mode, power=None, gdp=None)] = acc.potential_accessibility(T, gdp, decay="power", params=p)
        for t in p.thresholds_min:
            cols[key("cum", mode, pop=None, t=int(t))] = acc.cumulative_opportunities(T, pop, t)
        cols[key("daily", mode, pop=None)] = acc.daily_accessibility(T, pop, params=p)
        cols[key("neteff", mode)] = acc.network_efficiency(T, dist, pop, params=p)
        cols[key("nodaleff", mode)] = acc.nodal_efficiency(T, dist, params=p)
        cols[key("closeness", mode)] = acc.closeness(T)
        cols[key("harmonic", mode)] = acc.harmonic_closeness(T)
        cols[key("straightness", mode)] = acc.straightness(T, dist, params=p)
        cols[key("time_to_core", mode)] = acc.time_to(T, CORE)
        cols[key("time_to_subcentre", mode)] = acc.time_to(T, list(SUBCENTRES))
    return pd.DataFrame(cols)


def _region_rows(out: list[dict[str, Any]], name: str, value: float, group: str, description: str) -> None:
    out.append({"indicator": name, "value": float(value), "group": group, "description": description})


def analyze(
    scenario_or_graph: str | Path | Scenario | nx.MultiDiGraph = "baseline_2025",
    scope: str = "yrd",
    *,
    year: int | None = None,
    params: MetricParams | None = None,
    model: TravelTimeModel | None = None,
    metro_definition: str | None = None,
    centrality: bool = True,
    sensitivity_samples: int = 200,
) -> ScenarioResult:
    """Analyse one scenario: accessibility, centrality, polycentricity, integration.

    Parameters
    ----------
    scenario_or_graph
        Shipped scenario name, path to a scenario TOML, a :class:`Scenario`, or a graph
        meeting the yrdnet contract (e.g. from ``build_graph`` or OSM).
    scope
        ``"yrd"`` (41 cities), ``"central"`` (the 27-city central area) or a metropolitan
        area id (``"shanghai"``, ``"nanjing"``, ``"hangzhou"``, ``"hefei"``,
        ``"suxichang"``, ``"ningbo"``).
    year
        Network year override when a scenario is given.
    params
        Metric parameters (default :class:`MetricParams`).
    model
        Travel-time model when a scenario is given.
    metro_definition
        ``"current"`` or ``"2016"`` metropolitan areas (default from settings).
    centrality
        Compute travel-time betweenness (the slowest step on large graphs).
    sensitivity_samples
        Weight samples for the structure index's sensitivity table.

    Returns
    -------
    ScenarioResult

    Examples
    --------
    >>> res = analyze("baseline_2025")  # doctest: +SKIP
    >>> res.index("structure_index")  # doctest: +SKIP
    """
    t0 = time.perf_counter()
    p = params or MetricParams()
    G = _resolve_graph(scenario_or_graph, year, model)
    cities = load_cities()
    metros = load_metros(metro_definition)
    ids = _scope_ids(scope, cities, metros)
    notes: list[str] = []
    od = _od_all_modes(G, notes)
    dist = distance_matrix_km(cities)
    t_route = time.perf_counter()

    # ------------------------------------------------------------ per city
    measures = _city_measures(od, cities, dist, p)
    if centrality:
        for mode in ("multimodal", "rail"):
            measures[key("betweenness", mode)] = cen.city_betweenness(G, mode=mode)
    table = cities.join(measures)
    members = {cast(str, m): list(v) for m, v in metros["members"].items()}
    table["metros"] = [";".join(m for m, v in members.items() if c in v) for c in table.index]
    table = table.loc[ids]

    # ------------------------------------------------------------ region
    T = od["multimodal"].loc[ids, ids]
    pop = cities.loc[ids, "population"].astype(float)
    rows: list[dict[str, Any]] = []
    pot = table[key("pot", "multimodal", exp=None, pop=None)]
    sizes = {"population": pop, "gdp": cities.loc[ids, "gdp"].astype(float), "potential": pot}
    if centrality:
        sizes["betweenness"] = table[key("betweenness", "multimodal")]
    stepwise = []
    top_n = min(p.top_n, len(ids))
    for sname, raw_sizes in sizes.items():
        s = raw_sizes[raw_sizes > 0]
        if len(s) >= 2:
            fit = poly.rank_size_slope(s, min(top_n, len(s)))
            _region_rows(
                rows,
                f"rank_size_slope_{sname}",
                fit.slope,
                "polycentricity",
                f"rank-size slope q of the top {fit.n} centres by {sname} (0 = equal centres)",
            )
            _region_rows(
                rows,
                f"entropy_{sname}",
                poly.entropy(s),
                "polycentricity",
                f"normalised entropy of {sname} shares (1 = perfectly even)",
            )
            _region_rows(
                rows,
                f"hhi_{sname}",
                poly.hhi(s),
                "polycentricity",
                f"normalised Herfindahl-Hirschman index of {sname} (1 = monocentric)",
            )
            _region_rows(rows, f"gini_{sname}", eq.gini(s.to_numpy()), "polycentricity", f"Gini of {sname}")
            prim = poly.primacy(s)
            for k_, v in prim.items():
                _region_rows(rows, f"primacy_{k_}_{sname}", v, "polycentricity", f"primacy index {k_} of {sname}")
            sw = poly.stepwise_curve(s)
            sw.insert(0, "size_measure", sname)
            stepwise.append(sw.reset_index())
    uci = poly.urban_centrality_index(pop, T)
    _region_rows(
        rows,
        "uci",
        uci.uci,
        "polycentricity",
        "Urban Centrality Index with travel time for distance (0 polycentric, 1 monocentric)",
    )
    F = poly.gravity_flows(T, pop, params=p)
    green = poly.green_index(F)
    _region_rows(
        rows,
        "green_pf_potential",
        green.p_f,
        "polycentricity",
        "potential functional polycentricity: Green's index on modelled gravity flows",
    )
    functional = poly.functional_sensitivity(T, pop)
    for mode in MODES:
        Tm = od[mode].loc[ids, ids]
        for mname, col in (
            ("pot_exp_pop", key("pot", mode, exp=None, pop=None)),
            ("watt_pop", key("watt", mode, pop=None)),
        ):
            vals = table[col].to_numpy(float)
            vals = vals[np.isfinite(vals)]
            _region_rows(
                rows, f"gini_{mname}_{mode}", eq.gini(vals), "equity", f"Gini of {mname} by {mode} across cities"
            )
            _region_rows(
                rows,
                f"cv_{mname}_{mode}",
                eq.coefficient_of_variation(vals),
                "equity",
                f"coefficient of variation of {mname} by {mode}",
            )
        _region_rows(
            rows,
            f"global_efficiency_{mode}",
            acc.global_efficiency(Tm, dist.loc[ids, ids], params=p),
            "accessibility",
            f"weighted Latora-Marchiori efficiency by {mode}, normalised by the ideal network",
        )
        w = table[key("watt", mode, pop=None)]
        ok = np.isfinite(w)
        _region_rows(
            rows,
            f"mean_watt_pop_{mode}",
            acc.weighted_mean(w[ok], pop[ok]),
            "accessibility",
            f"population-weighted mean WATT by {mode}, minutes",
        )
    theil = eq.theil(pot.to_numpy(float))
    _region_rows(
        rows, "theil_pot_exp_pop_multimodal", float(theil.iloc[0]), "equity", "Theil T of potential accessibility"
    )

    # ------------------------------------------------------------ linkage and integration
    metro_in_scope = {m: [c for c in v if c in ids] for m, v in members.items()}
    metro_in_scope = {
        m: v for m, v in metro_in_scope.items() if len(v) >= 2 and int(cast(int, metros.loc[m, "core_adcode"])) in ids
    }
    cores = {m: int(cast(int, metros.loc[m, "core_adcode"])) for m in metro_in_scope}
    subs = [s for s in SUBCENTRES if s in ids]
    link_parts = []
    if CORE in ids and subs:
        lk = poly.core_subcentre_linkage(T, CORE, subs, params=p).reset_index()
        lk.insert(0, "kind", "core-subcentre")
        link_parts.append(lk)
    if len(cores) >= 2:
        cl = integ.core_links(T, cores, params=p)
        cl.insert(0, "kind", "metro cores")
        link_parts.append(cl)
        _region_rows(
            rows,
            "core_link_compliance",
            integ.core_link_compliance(T, cores, params=p),
            "linkage",
            f"share of metropolitan core pairs within {p.core_link_min:g} min",
        )
    linkage = pd.concat(link_parts, ignore_index=True) if link_parts else pd.DataFrame()
    if metro_in_scope:
        mtab = integ.metro_integration(T, metro_in_scope, cores, pop, params=p)
        circles = integ.travel_circles(T, metro_in_scope, params=p)
        for c_name, r in circles.iterrows():
            _region_rows(rows, f"circle_{c_name}", r["share"], "integration", f"'1-2-3' circle share: {r['scope']}")
        for m, v in metro_in_scope.items():
            sub = poly.entropy(pot.loc[v]) if len(v) >= 2 else np.nan
            mtab.loc[m, "entropy_potential"] = sub
        mtab.insert(0, "name_en", metros.loc[list(mtab.index), "name_en"])
    else:
        mtab = pd.DataFrame()

    # ------------------------------------------------------------ structure index
    sensitivity = pd.DataFrame()
    if CORE in ids and subs and metro_in_scope:
        comp = struct.structure_components(
            T, pop, members=metro_in_scope, cores=cores, core=CORE, subcentres=subs, population=pop, params=p
        )
        for cname, r in comp.iterrows():
            _region_rows(rows, f"component_{cname}", r["score"], "structure", f"structure component: {r['transform']}")
        _region_rows(
            rows,
            "structure_index",
            struct.structure_index(comp, p.weights),
            "structure",
            "spatial-structure optimisation index (weighted mean of the four components)",
        )
        sensitivity = struct.weight_sensitivity(comp, p.weights, n=sensitivity_samples)
    region = pd.DataFrame(rows).set_index("indicator")
    t1 = time.perf_counter()
    log.info("analyzed %s: routing %.3f s, metrics %.3f s", G.graph.get("scenario"), t_route - t0, t1 - t_route)
    return ScenarioResult(
        name=str(G.graph.get("scenario", "graph")),
        year=int(G.graph.get("year", -1)),
        scope=scope,
        cities=table,
        metros=mtab,
        region=region,
        od=od,
        stepwise=pd.concat(stepwise, ignore_index=True) if stepwise else pd.DataFrame(),
        linkage=linkage,
        functional=functional,
        sensitivity=sensitivity,
        notes=notes,
        meta={
            "params": repr(p),
            "scenario_path": G.graph.get("scenario_path", ""),
            "graph": {k: v for k, v in G.graph.items() if isinstance(v, (str, int, float))},
            "seconds": {"routing": t_route - t0, "metrics": t1 - t_route},
        },
    )


def timeline(
    scenarios: Sequence[str | Path | Scenario | ScenarioResult] = TIMELINE,
    *,
    scope: str = "yrd",
    indicators: Iterable[str] | None = None,
    params: MetricParams | None = None,
) -> pd.DataFrame:
    """Region indices over a sequence of scenarios (default 2010 -> 2025 -> 2035).

    Items may be scenarios (names, paths, :class:`Scenario`) or results already computed
    with :func:`analyze` (reused as they are, so nothing is analysed twice).

    Returns
    -------
    pandas.DataFrame
        Index = indicator, one column per scenario (ordered as given), plus the network year
        of each scenario in the row ``year``.
    """
    cols = {}
    years = {}
    for s in scenarios:
        if isinstance(s, ScenarioResult):
            res = s
        else:
            res = analyze(load_scenario(s), scope, params=params, centrality=True, sensitivity_samples=20)
        cols[res.name] = res.region["value"]
        years[res.name] = res.year
    df = pd.DataFrame(cols)
    if indicators is not None:
        df = df.loc[list(indicators)]
    df.loc["year"] = pd.Series(years)
    return df

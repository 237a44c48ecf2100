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
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from . import accessibility as acc
from . import centrality as cen
from . import equity as eq
from . import hinterland as hl
from . import integration as integ
from . import polycentricity as poly
from . import structure as struct
from ._assemble import (
    CORE,
    SUBCENTRES,
    _airport_times,
    _convergence,
    _hierarchy,
    _region_rows,
    _size_rows,
    _town_country,
    self_times,
)
from ._geo import distance_matrix_km
from ._keys import key
from .convert import MODES, compile_graph
from .datasets import close_matches, load_cities, load_metros
from .params import MetricParams, TravelTimeModel
from .results import ScenarioResult
from .routing import UnreachableWarning, travel_times, unreachable_message
from .scenario import Scenario, build_graph, load_scenario
from .targets import _graph_targets
from .zones import MASSES, Zones, census_year, load_zones, resolve_zones

__all__ = ["CORE", "SUBCENTRES", "aggregate_to_cities", "analyze", "timeline"]

log = logging.getLogger(__name__)

_SCOPES = ("yrd", "central")
#: Origin zones sampled for city group betweenness at county or custom level.
_BETWEENNESS_SOURCES = 60

#: Default timeline: historical networks and the combined 2035 plan.
TIMELINE = ("baseline_2010", "baseline_2015", "baseline_2020", "baseline_2025", "plan_2035")


def _scope_ids(scope: str, table: pd.DataFrame, members: dict[str, list[int]]) -> list[int]:
    if scope == "yrd":
        return list(table.index)
    if scope == "central":
        return list(table.index[table["central_area"].astype(bool)])
    if scope in members:
        return list(members[scope])
    valid = [*_SCOPES, *members]
    msg = f"unknown scope {scope!r}{close_matches(scope, valid)}; expected one of {valid}"
    raise ValueError(msg)


def _resolve_graph(
    scenario_or_graph: str | Path | Scenario | nx.MultiDiGraph,
    year: int | None,
    model: TravelTimeModel | None,
    zones: Zones | None,
) -> nx.MultiDiGraph:
    if isinstance(scenario_or_graph, nx.MultiDiGraph):
        return scenario_or_graph
    return build_graph(scenario_or_graph, year, model=model, zones=zones)


def _resolve_zones(zones: Zones | str | None, scenario_or_graph: object) -> Zones | None:
    """The zones to analyse: ``None`` means the city level (today's path, bit for bit)."""
    if zones is None and isinstance(scenario_or_graph, nx.MultiDiGraph):
        level = scenario_or_graph.graph.get("zone_level", "city")
        if level == "custom":
            msg = "this graph has custom zones: pass the same Zones as analyze(G, zones=...)"
            raise ValueError(msg)
        zones = level
    Z = resolve_zones(zones)
    return None if Z is None or Z.level == "city" else Z


def _zone_setup(
    Z: Zones | None,
    cities: pd.DataFrame,
    metros: pd.DataFrame,
    masses: str,
    year: int,
    notes: list[str],
) -> tuple[gpd.GeoDataFrame, dict[str, list[int]], dict[str, int], int, tuple[int, ...]]:
    """Zone table, metro members and cores, core and sub-centre zones."""
    if masses not in MASSES:
        msg = f"masses must be one of {list(MASSES)}, got {masses!r}"
        raise ValueError(msg)
    if Z is None or Z.level == "city":
        members = {cast(str, m): list(v) for m, v in metros["members"].items()}
        cores = {m: int(cast(int, metros.loc[m, "core_adcode"])) for m in members}
        table = cities
        if masses != "2020" and census_year(year) != 2020:
            pop, extra = (Z or load_zones("city")).population(masses, year)
            notes.extend(extra)
            table = cities.copy()
            table["population"] = pop.reindex(cities.index).to_numpy()
        return table, members, cores, CORE, SUBCENTRES
    members, cores = Z.metro_members(metros)
    frame = Z.to_frame(masses=masses, year=year)
    notes.extend(frame.attrs.get("notes", []))
    frame.attrs = {}
    frame["metros"] = Z.metro_labels(metros)
    table = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")
    by_city = Z.core_zones()
    missing = [c for c in (CORE, *SUBCENTRES) if c not in by_city]
    if missing:
        msg = f"these zones cover no centre of the core and sub-centre cities {missing}; use analyze(..., scope=...)"
        raise ValueError(msg)
    return table, members, cores, by_city[CORE], tuple(by_city[c] for c in SUBCENTRES)


def _od_all_modes(G: nx.MultiDiGraph, notes: list[str]) -> dict[str, pd.DataFrame]:
    od = {}
    for mode in MODES:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UnreachableWarning)
            od[mode] = travel_times(G, mode)
        notes.extend(str(w.message) for w in caught if issubclass(w.category, UnreachableWarning))
    return od


def _given_od(G: nx.MultiDiGraph, given: Mapping[str, pd.DataFrame], notes: list[str]) -> dict[str, pd.DataFrame]:
    """Check precomputed travel times against the graph's zones; note unreachable pairs."""
    missing = [m for m in MODES if m not in given]
    if missing:
        msg = f"travel_times must hold one matrix per mode {list(MODES)}; missing {missing}"
        raise ValueError(msg)
    codes = list(compile_graph(G).zone_codes)
    od = {}
    for mode in MODES:
        T = given[mode]
        if list(T.index) != codes or list(T.columns) != codes:
            msg = (
                f"travel_times[{mode!r}] must be indexed by the graph's {len(codes)} zone codes in order "
                f"(rows and columns), got a {T.shape[0]} x {T.shape[1]} matrix"
            )
            raise ValueError(msg)
        od[mode] = T
        msg = unreachable_message(T, G, mode)
        if msg:
            notes.append(msg)
    return od


def _city_measures(
    od: dict[str, pd.DataFrame],
    cities: pd.DataFrame,
    dist: pd.DataFrame,
    p: MetricParams,
    core: int = CORE,
    subcentres: tuple[int, ...] = SUBCENTRES,
    self_time: pd.Series | None = None,
) -> pd.DataFrame:
    pop, gdp = cities["population"].astype(float), cities["gdp"].astype(float)
    cols: dict[str, pd.Series] = {}
    kw: dict[str, Any] = {"params": p, "self_time_min": self_time}
    for mode, T in od.items():
        cols[key("watt", mode, pop=None)] = acc.watt(T, pop)
        cols[key("watt", mode, gdp=None)] = acc.watt(T, gdp)
        cols[key("pot", mode, exp=None, pop=None)] = acc.potential_accessibility(T, pop, decay="exp", **kw)
        cols[key("pot", mode, power=None, pop=None)] = acc.potential_accessibility(T, pop, decay="power", **kw)
        cols[key("pot", mode, power=None, gdp=None)] = acc.potential_accessibility(T, gdp, decay="power", **kw)
        for t in p.thresholds_min:
            cols[key("cum", mode, pop=None, t=int(t))] = acc.cumulative_opportunities(T, pop, t)
        cols[key("reachable_share", mode, pop=None)] = acc.reachable_share(T, pop)
        cols[key("daily", mode, pop=None)] = acc.daily_accessibility(T, pop, params=p)
        cols[key("neteff", mode)] = acc.network_efficiency(T, dist, pop, params=p)
        cols[key("nodaleff", mode)] = acc.nodal_efficiency(T, dist, params=p)
        cols[key("closeness", mode)] = acc.closeness(T)
        cols[key("harmonic", mode)] = acc.harmonic_closeness(T)
        cols[key("straightness", mode)] = acc.straightness(T, dist, params=p)
        cols[key("time_to_core", mode)] = acc.time_to(T, core)
        cols[key("time_to_subcentre", mode)] = acc.time_to(T, list(subcentres))
    return pd.DataFrame(cols)


def _zone_od(od: dict[str, pd.DataFrame], ids: pd.Index, level: str) -> dict[str, pd.DataFrame]:
    """The matrices restricted to (and ordered by) the zones, or a clear error if some are missing."""
    missing = ids.difference(od["multimodal"].index)
    if len(missing):
        msg = (
            f"the graph lacks {len(missing)} of the {len(ids)} {level} zones (e.g. {list(missing[:3])}): "
            f"build it with the same zones, build_graph(scenario, zones=...)"
        )
        raise ValueError(msg)
    return {m: T.loc[ids, ids] for m, T in od.items()}


def _betweenness(G: nx.MultiDiGraph, measures: pd.DataFrame, level: str, n_zones: int) -> dict[str, pd.Series]:
    """City betweenness: a zone column at city level (exact), else city series (sampled origins)."""
    out: dict[str, pd.Series] = {}
    for mode in ("multimodal", "rail"):
        if level == "city":
            measures[key("betweenness", mode)] = cen.city_betweenness(G, mode=mode)
        else:
            k = min(_BETWEENNESS_SOURCES, n_zones)
            out[key("betweenness", mode)] = cen.city_betweenness(G, mode=mode, k=k, seed=0)
    return out


def analyze(
    scenario_or_graph: str | Path | Scenario | nx.MultiDiGraph = "baseline_2025",
    scope: str = "yrd",
    *,
    zones: Zones | str | None = None,
    masses: str = "2020",
    year: int | None = None,
    params: MetricParams | None = None,
    model: TravelTimeModel | None = None,
    metro_definition: str | None = None,
    centrality: bool = True,
    sensitivity_samples: int = 200,
    travel_times: Mapping[str, pd.DataFrame] | None = None,
) -> ScenarioResult:
    """Analyse one scenario: accessibility, centrality, polycentricity, integration.

    Parameters
    ----------
    scenario_or_graph
        Shipped scenario name, path to a scenario TOML, a :class:`Scenario`, or a graph
        meeting the yrdnet contract (e.g. from ``build_graph`` or OSM).
    scope
        ``"yrd"`` (every zone), ``"central"`` (the zones of the 27-city central area) or
        a metropolitan area id (``"shanghai"``, ``"nanjing"``, ``"hangzhou"``,
        ``"hefei"``, ``"suxichang"``, ``"ningbo"``).
    zones
        ``"city"`` (41 cities, the default), ``"county"`` (305 districts and counties)
        or a :class:`yrdnet.Zones`; ``None`` takes the level of a given graph, else the
        city level. The core and the sub-centres are the zones holding the centres of
        Shanghai, Nanjing, Hangzhou and Hefei; a metro's members are the zones of its
        cities (:meth:`Zones.metro_members`).
    masses
        ``"2020"`` (2020 census in every scenario, isolating the network's effect) or
        ``"census"`` (the census nearest the network year, 2010 or 2020; zones without
        a 2010 count keep their 2020 one, and ``notes`` says which).
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
    travel_times
        Precomputed zone travel times of this graph, one matrix per mode
        (``"multimodal"``, ``"rail"``, ``"road"``), as :func:`yrdnet.travel_times`
        returns them (e.g. from :func:`yrdnet.incremental.travel_times_incremental` in a
        sweep). Default: routed here. Each must be square over the graph's zones;
        anything else raises ``ValueError`` naming the mode.

    Returns
    -------
    ScenarioResult
        ``.cities`` is one row per city: at city level the measures themselves, at
        county or custom level the zones' measures aggregated by
        :func:`aggregate_to_cities` (population-weighted), with city group betweenness
        estimated from ``60`` sampled origin zones (seed 0; exact at city level).
        ``.zones`` is one row per zone (at city level, ``.cities`` with a ``city``
        column). Region, metro and structure indices are computed over the zones.

    Examples
    --------
    >>> res = analyze("baseline_2025")  # doctest: +SKIP
    >>> county = analyze("baseline_2025", zones="county")  # doctest: +SKIP
    >>> res.index("structure_index")  # doctest: +SKIP
    """
    t0 = time.perf_counter()
    p = params or MetricParams()
    Z = _resolve_zones(zones, scenario_or_graph)
    G = _resolve_graph(scenario_or_graph, year, model, Z)
    level = "city" if Z is None else Z.level
    cities = load_cities()
    metros = load_metros(metro_definition)
    notes: list[str] = []
    zt, members, metro_cores, core, subcentres = _zone_setup(
        Z, cities, metros, masses, int(G.graph.get("year", -1)), notes
    )
    ids = _scope_ids(scope, zt, members)
    od = _od_all_modes(G, notes) if travel_times is None else _given_od(G, travel_times, notes)
    if level != "city":
        od = _zone_od(od, zt.index, level)
    dist = distance_matrix_km(zt)
    t_route = time.perf_counter()

    # ------------------------------------------------------------ per zone
    tii = self_times(Z, zt.index, p)
    measures = _city_measures(od, zt, dist, p, core, subcentres, tii if p.self_potential else None)
    city_btw = _betweenness(G, measures, level, len(zt)) if centrality else {}
    table = zt.join(measures)
    table["time_to_metro_core_multimodal"] = hl.time_to_metro_core(od["multimodal"], members, metro_cores).reindex(
        table.index
    )
    table = table.join(_airport_times(Z, zt, od["multimodal"]))
    if level == "city":
        table["metros"] = [";".join(m for m, v in members.items() if c in v) for c in table.index]
    table = table.loc[ids]
    pop = zt.loc[ids, "population"].astype(float)

    # ------------------------------------------------------------ region
    T = od["multimodal"].loc[ids, ids]
    rows: list[dict[str, Any]] = []
    pot = table[key("pot", "multimodal", exp=None, pop=None)]
    sizes = {"population": pop, "gdp": zt.loc[ids, "gdp"].astype(float), "potential": pot}
    if centrality and level == "city":
        sizes["betweenness"] = table[key("betweenness", "multimodal")]
    stepwise = _size_rows(rows, sizes, min(p.top_n, len(ids)))
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
        _region_rows(
            rows,
            f"reachable_share_pop_{mode}",
            acc.weighted_mean(table[key("reachable_share", mode, pop=None)], pop),
            "accessibility",
            f"population-weighted share of the other zones' population reachable by {mode} (read beside WATT)",
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
    id_set = set(ids)
    metro_in_scope = {m: [c for c in v if c in id_set] for m, v in members.items()}
    metro_in_scope = {m: v for m, v in metro_in_scope.items() if len(v) >= 2 and metro_cores[m] in id_set}
    cores = {m: metro_cores[m] for m in metro_in_scope}
    subs = [s for s in subcentres if s in id_set]
    link_parts = []
    if core in id_set and subs:
        lk = poly.core_subcentre_linkage(T, core, subs, params=p).reset_index()
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
        cm = integ.core_member_integration(
            T, metro_in_scope, cores, pop, midpoint=p.integration_min, slope=p.integration_slope
        )
        mtab = mtab.join(cm[["core_mean_time_min", "logistic_integration"]])
        for k_, desc in (
            (
                "logistic_integration",
                "core-to-member integration, log-logistic decay around 60 min, metros by population",
            ),
            ("core_mean_time_min", "population-weighted mean time from each metro core to its members, minutes"),
        ):
            _region_rows(rows, f"metro_{k_}", cm.attrs.get(k_, np.nan), "integration", desc)
        mtab.insert(0, "name_en", metros.loc[list(mtab.index), "name_en"])
    else:
        mtab = pd.DataFrame()

    # ------------------------------------------------------------ structure index
    sensitivity = pd.DataFrame()
    if core in id_set and subs and metro_in_scope:
        comp = struct.structure_components(
            T, pop, members=metro_in_scope, cores=cores, core=core, subcentres=subs, population=pop, params=p
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
    for name, value, group, desc in _town_country(table, T, pop, core, subcentres):
        _region_rows(rows, name, value, group, desc)
    policy = _graph_targets(G, Z, None, od)
    if level == "city":
        city_table, zone_table = table, None
    else:
        zone_table = table
        city_table = aggregate_to_cities(table, cities, metros, extra=city_btw)
    if CORE in city_table.index and len(ids) >= 2:
        for name, value, desc in _hierarchy(G, zt, ids, T, city_table, p, level=level, centrality=centrality):
            _region_rows(rows, name, value, "hierarchy", desc)
    region = pd.DataFrame(rows).set_index("indicator")
    t1 = time.perf_counter()
    log.info("analyzed %s: routing %.3f s, metrics %.3f s", G.graph.get("scenario"), t_route - t0, t1 - t_route)
    return ScenarioResult(
        name=str(G.graph.get("scenario", "graph")),
        year=int(G.graph.get("year", -1)),
        scope=scope,
        cities=city_table,
        zones=zone_table,
        level=level,
        metros=mtab,
        region=region,
        od=od,
        stepwise=pd.concat(stepwise, ignore_index=True) if stepwise else pd.DataFrame(),
        linkage=linkage,
        functional=functional,
        sensitivity=sensitivity,
        targets=policy,
        notes=notes,
        meta={
            "params": repr(p),
            "scenario_path": G.graph.get("scenario_path", ""),
            "graph": {k: v for k, v in G.graph.items() if isinstance(v, (str, int, float))},
            "seconds": {"routing": t_route - t0, "metrics": t1 - t_route},
            "zones": level,
            "masses": masses,
        },
    )


#: Non-measure columns of a zone table, not averaged when zones are aggregated to cities.
_ZONE_ATTRS = ("city", "lon", "lat", "population", "gdp", "urban", "rural", "population_2010", "label", "central_area")


def aggregate_to_cities(
    zones: pd.DataFrame,
    cities: pd.DataFrame,
    metros: pd.DataFrame,
    *,
    extra: dict[str, pd.Series] | None = None,
) -> gpd.GeoDataFrame:
    r"""Zone measures aggregated to their parent cities, weighted by population.

    .. math:: x_c = \frac{\sum_{i \in c} P_i x_i}{\sum_{i \in c} P_i}

    over the zones :math:`i` of city :math:`c` with a non-missing value (an unreachable
    zone's ``inf`` stays ``inf``). ``population`` and ``gdp`` are summed.

    Parameters
    ----------
    zones
        A zone table with ``city``, ``population`` and numeric measure columns.
    cities
        :func:`yrdnet.load_cities` (names, centre, central_area, geometry).
    metros
        :func:`yrdnet.load_metros` (for the ``metros`` column).
    extra
        City-level series to add as columns (e.g. city group betweenness).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per city with zones (index adcode), the columns of ``cities`` then the
        averaged measures, ``n_zones`` and ``metros``; city-centre points, EPSG:4326.
    """
    num = [
        c
        for c in zones.columns
        if c not in _ZONE_ATTRS and c != "geometry" and pd.api.types.is_numeric_dtype(zones[c])
        and not pd.api.types.is_bool_dtype(zones[c])
    ]  # fmt: skip
    w = zones["population"].astype(float).to_numpy()
    city = zones["city"].astype(int).to_numpy()
    order = sorted(set(city.tolist()))
    out: dict[str, list[float]] = {c: [] for c in num}
    for c in order:
        sel = city == c
        for col in num:
            x = zones[col].to_numpy(float)[sel]
            ok = ~np.isnan(x)
            if not ok.any():
                out[col].append(np.nan)
            elif np.isinf(x[ok]).any():
                out[col].append(float(np.inf) if (x[ok] > 0).any() else float(-np.inf))
            else:
                out[col].append(float(np.average(x[ok], weights=w[sel][ok])))
    idx = pd.Index(order, name="adcode")
    agg = pd.DataFrame(out, index=idx)
    base = cities.loc[order].copy()
    base["population"] = zones.groupby("city")["population"].sum().reindex(order).to_numpy()
    base["gdp"] = zones.groupby("city")["gdp"].sum().reindex(order).to_numpy()
    table = base.join(agg)
    for name, series in (extra or {}).items():
        table[name] = series.reindex(idx).to_numpy(float)
    table["n_zones"] = pd.Series(city).value_counts().reindex(order).to_numpy()
    members = {cast(str, m): {int(x) for x in v} for m, v in metros["members"].items()}
    table["metros"] = [";".join(m for m, v in members.items() if c in v) for c in table.index]
    return gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326")


#: Timeline row: population-weighted Janelle convergence of core-member pairs vs the first scenario.
CONVERGENCE = "convergence_core_members_min_per_year"


def timeline(
    scenarios: Sequence[str | Path | Scenario | ScenarioResult] = TIMELINE,
    *,
    scope: str = "yrd",
    indicators: Iterable[str] | None = None,
    params: MetricParams | None = None,
    zones: Zones | str | None = None,
    masses: str = "2020",
) -> pd.DataFrame:
    """Region indices over a sequence of scenarios (default 2010 -> 2025 -> 2035).

    Items may be scenarios (names, paths, :class:`Scenario`) or results already computed
    with :func:`analyze` (reused as they are, so nothing is analysed twice).

    Parameters
    ----------
    scenarios
        Scenarios or results, in order.
    scope, params, zones, masses
        Passed to :func:`analyze` (``zones="county"`` for the county level).
        ``masses="both"`` returns the fixed-mass track (2020 census) and, below it, the
        census-mass track (rows suffixed ``" (census masses)"``): the first isolates the
        network, the second adds population change (results given as items are reused
        in both).
    indicators
        Keep only these rows.

    Returns
    -------
    pandas.DataFrame
        Index = indicator, one column per scenario (ordered as given), plus the network year
        of each scenario in the row ``year`` and ``convergence_core_members_min_per_year``
        (Janelle's rate of the core-member pairs of the current metros against the first
        scenario, weighted by the member's population; 0 for the first).
    """
    if masses == "both":  # the fixed-mass track, then the census-mass one beside it
        kw: dict[str, Any] = {"scope": scope, "params": params, "zones": zones}
        fixed = timeline(scenarios, masses="2020", **kw)
        census = timeline(scenarios, masses="census", **kw).drop(index="year")
        census.index = [f"{r} (census masses)" for r in census.index]
        out = pd.concat([fixed, census])
        if indicators is None:
            return out
        keep = list(indicators)
        return out.loc[[*keep, *(f"{r} (census masses)" for r in keep)]]
    Z = resolve_zones(zones)
    cols = {}
    years = {}
    results: list[ScenarioResult] = []
    for s in scenarios:
        if isinstance(s, ScenarioResult):
            res = s
        else:
            res = analyze(
                load_scenario(s), scope, zones=Z, masses=masses, params=params, centrality=True, sensitivity_samples=20
            )
        cols[res.name] = res.region["value"]
        years[res.name] = res.year
        results.append(res)
    if results:
        for res in results:  # Janelle convergence against the first scenario
            cols[res.name] = pd.concat([cols[res.name], pd.Series({CONVERGENCE: _convergence(results[0], res)})])
    df = pd.DataFrame(cols)
    if indicators is not None:
        df = df.loc[list(indicators)]
    df.loc["year"] = pd.Series(years)
    return df

"""``analyze``: from a scenario or a graph to every measure, in a ScenarioResult.

Accessibility, centrality, polycentricity, integration and the structure index of one
scenario, collected in a :class:`ScenarioResult`.

Conventions
-----------
* Masses (population, GDP) are those of ``data/cities.csv`` in every scenario, so a
  scenario's change is the network's doing alone (Condeço-Melhorado et al. 2017).
* Accessibility of the cities in scope is measured against destinations in the **whole**
  region (all its zones) to limit boundary effects (Cui et al. 2026); polycentricity and
  integration use the cities in scope.
* The three travel modes are ``multimodal`` (best door-to-door by any combination),
  ``rail`` (rail with urban access) and ``road`` (expressway).
"""

from __future__ import annotations

import contextlib
import logging
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import networkx as nx
import pandas as pd

from yrdnet.analysis import city_potential as cpot
from yrdnet.analysis import city_steps as asc
from yrdnet.analysis import steps as asm
from yrdnet.analysis.city_steps import aggregate_to_cities
from yrdnet.analysis.results import ScenarioResult
from yrdnet.analysis.reuse import Reuse, cached
from yrdnet.analysis.steps import Assembly
from yrdnet.analysis.targets import _graph_targets
from yrdnet.core.geodesy import distance_matrix_km
from yrdnet.core.params import MetricParams, TravelTimeModel
from yrdnet.core.validation import as_sequence, did_you_mean
from yrdnet.metrics.inputs import checked_once
from yrdnet.network.graph import zones_of
from yrdnet.region.datasets import load_counties
from yrdnet.region.region import Region, load_region
from yrdnet.region.zones import MASSES, Zones, census_year
from yrdnet.routing.compile import MODES
from yrdnet.routing.matrices import UnreachableWarning, travel_times, unreachable_message
from yrdnet.scenarios.scenario import TIMELINE, Scenario, build_graph, load_scenario

__all__ = ["STEPS", "TIMELINE", "aggregate_to_cities", "analyze", "timeline"]

log = logging.getLogger(__name__)

#: Scopes of every region: the whole region (``"yrd"``, the name 0.1 gave it, or the
#: region's own name) and the zones of its central area.
_SCOPES = ("yrd", "central")
#: The assembly steps of :func:`analyze`, in order: each returns region rows declared in
#: the indicator registry with its name as ``step`` (:mod:`yrdnet.analysis.steps`).
STEPS: tuple[tuple[str, Callable[[Assembly], dict[str, float]]], ...] = (
    ("polycentricity", asm.polycentricity),
    ("equity", asm.equity),
    ("linkage", asm.linkage),
    ("structure", asm.structure),
    ("town_country", asc.town_country),
    ("hierarchy", asc.hierarchy),
)


def _corridor_ids(corridor: list[int], table: pd.DataFrame, level: str) -> list[int]:
    """Zones of a corridor: a member city's zones, a member county's zone (at city level: its city)."""
    members = set(corridor)
    if level == "city":
        counties = [m for m in members if m not in table.index]
        city_of = load_counties()["city"].astype(int) if counties else pd.Series(dtype=int)
        cities = {m if m in table.index else int(city_of.get(m, -1)) for m in members}
        return [int(i) for i in table.index if int(i) in cities]
    city = table["city"].astype(int) if "city" in table.columns else pd.Series(-1, index=table.index)
    return [int(i) for i in table.index if int(i) in members or int(city[i]) in members]


def _scope_ids(
    scope: str,
    table: pd.DataFrame,
    members: dict[str, list[int]],
    region: str = "yrd",
    corridors: pd.DataFrame | None = None,
    level: str = "city",
) -> list[int]:
    if scope in ("yrd", region):
        return list(table.index)
    if scope == "central":
        return list(table.index[table["central_area"].astype(bool)])
    if scope in members:
        return list(members[scope])
    if corridors is not None and scope in corridors.index:
        return _corridor_ids(list(corridors.loc[scope, "members"]), table, level)
    valid = list(dict.fromkeys([*_SCOPES, region, *members, *([] if corridors is None else corridors.index)]))
    msg = f"unknown scope {scope!r}{did_you_mean(scope, valid)}; expected one of {valid}"
    raise ValueError(msg)


def _resolve_graph(
    scenario_or_graph: str | Path | Scenario | nx.MultiDiGraph,
    year: int | None,
    model: TravelTimeModel | None,
    zones: Zones,
) -> nx.MultiDiGraph:
    if isinstance(scenario_or_graph, nx.MultiDiGraph):
        return scenario_or_graph
    return build_graph(scenario_or_graph, year, model=model, zones=zones)


def _resolve_zones(zones: Zones | str | None, scenario_or_graph: object, region: Region) -> Zones:
    """The zones to analyse, resolved once: ``None`` is the level of a given graph's zones, else the default level."""
    if zones is None and isinstance(scenario_or_graph, nx.MultiDiGraph):
        ids = [int(str(z)[5:]) for z in zones_of(scenario_or_graph)]
        level = region.level_of(ids)
        if level is None:
            msg = (
                f"this graph's {len(ids)} zones are none of region {region.name!r}'s levels {list(region.levels)}: "
                "pass its zones as analyze(G, zones=...) (and its region as region=...)"
            )
            raise ValueError(msg)
        zones = level
    return region.resolve_zones(zones)


def _zone_setup(
    Z: Zones,
    region: Region,
    metros: pd.DataFrame,
    masses: str,
    year: int,
    notes: list[str],
) -> tuple[gpd.GeoDataFrame, dict[str, list[int]], dict[str, int], int, tuple[int, ...]]:
    """Zone table, metro members and cores, core and sub-centre zones.

    At city level the zones are the region's cities: the zone table is the city table
    (with its own columns) and the metros' members are the cities themselves.
    """
    if masses not in MASSES:
        msg = f"masses must be one of {list(MASSES)}, got {masses!r}"
        raise ValueError(msg)
    cities = region.cities
    if Z.level == "city":
        members = {cast(str, m): list(v) for m, v in metros["members"].items()}
        cores = {m: int(cast(int, metros.loc[m, "core_adcode"])) for m in members}
        table = cities
        if masses != "2020" and census_year(year) != 2020:
            pop, extra = Z.population(masses, year)
            notes.extend(extra)
            table = cities.copy()
            table["population"] = pop.reindex(cities.index).to_numpy()
        return table, members, cores, region.core, region.subcentres
    members, cores = Z.metro_members(metros, cities)
    frame = Z.to_frame(masses=masses, year=year)
    notes.extend(frame.attrs.get("notes", []))
    frame.attrs = {}
    frame["metros"] = Z.metro_labels(metros)
    table = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")
    by_city = Z.core_zones(cities)
    centres = (region.core, *region.subcentres)
    missing = [c for c in centres if c not in by_city]
    if missing:
        msg = f"these zones cover no centre of the core and sub-centre cities {missing}; use analyze(..., scope=...)"
        raise ValueError(msg)
    return table, members, cores, by_city[region.core], tuple(by_city[c] for c in region.subcentres)


def _noted(setup: Callable[..., Any], *args: Any) -> tuple[Any, list[str]]:
    """``setup(*args, notes)`` and the notes it added."""
    notes: list[str] = []
    return setup(*args, notes), notes


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
    codes = [int(str(z)[5:]) for z in zones_of(G)]  # compile_graph's zone_codes, without compiling
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
        note = unreachable_message(T, G, mode)
        if note:
            notes.append(note)
    return od


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


def analyze(
    scenario_or_graph: str | Path | Scenario | nx.MultiDiGraph = "baseline_2025",
    scope: str | None = None,
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
    region: Region | None = None,
    county_travel_times: Mapping[str, pd.DataFrame] | None = None,
    reuse: Reuse | None = None,
) -> ScenarioResult:
    """Analyse one scenario: accessibility, centrality, polycentricity, integration.

    Parameters
    ----------
    scenario_or_graph
        Shipped scenario name, path to a scenario TOML, a :class:`Scenario`, or a graph
        meeting the yrdnet contract (e.g. from ``build_graph`` or OSM).
    scope
        The region's name (default; every zone; ``"yrd"`` too, the name 0.1 gave it), a corridor id of
        ``corridors.csv`` (``"g60"``: its member cities' zones, at county level only the member
        districts where a district is listed), ``"central"`` (the zones of the
        region's central area: the YRD's 27 cities) or a metropolitan area id (in the
        YRD ``"shanghai"``, ``"nanjing"``, ``"hangzhou"``, ``"hefei"``, ``"suxichang"``,
        ``"ningbo"``).
    zones
        A level of the region (the YRD's ``"city"``, 41 cities and the default, or
        ``"county"``, 305 districts and counties) or a :class:`yrdnet.Zones`; ``None``
        takes the level whose zones a given graph has, else the region's default level.
        The core and the sub-centres are the zones holding the centres of the region's
        core and sub-centre cities; a metro's members are the zones of its cities
        (:meth:`Zones.metro_members`).
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
        returns them (e.g. from :func:`yrdnet.routing.incremental.travel_times_incremental` in a
        sweep). Default: routed here. Each must be square over the graph's zones;
        anything else raises ``ValueError`` naming the mode.
    region
        The study area (:class:`yrdnet.Region`): its levels, cities, core and
        sub-centres, metros, targets and airports. Default :func:`yrdnet.load_region`
        (the YRD).
    county_travel_times
        At city level with ``params.city_potential = "county"`` (the default): the county
        travel times of the same network, one matrix per mode, for the zone-consistent
        city potential (:mod:`yrdnet.analysis.city_potential`). Default: the county
        graph of the scenario (or of the :func:`yrdnet.build_graph` graph given) is built
        and routed. For a graph made otherwise (OSM, a sweep's graph delta) without
        county times, the city potential falls back to Rich's internal time and
        ``notes`` says so.
    reuse
        Internal, for sweeps (:mod:`yrdnet.plans.sweep_eval`): the pieces shared by the
        analyses of many scenarios of one base (:class:`yrdnet.analysis.reuse.Reuse`;
        its region replaces ``region``). Results are identical without it.

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
    R = reuse.region if reuse is not None else region or load_region()
    Z = _resolve_zones(zones, scenario_or_graph, R)
    G = _resolve_graph(scenario_or_graph, year, model, Z)
    level = Z.level
    cities, metros = R.cities, R.metros(metro_definition)
    notes: list[str] = []
    net_year = int(G.graph.get("year", -1))
    setup_key = ("zone_setup", level, masses, net_year, metro_definition)
    setup, setup_notes = cached(reuse, setup_key, lambda: _noted(_zone_setup, Z, R, metros, masses, net_year))
    notes.extend(setup_notes)
    zt, members, metro_cores, core, subcentres = setup
    scope = R.name if scope is None else scope
    ids = _scope_ids(scope, zt, members, R.name, R.corridors, level)
    od = _od_all_modes(G, notes) if travel_times is None else _given_od(G, travel_times, notes)
    od = _zone_od(od, zt.index, level)
    dist = cached(reuse, ("dist", *setup_key), lambda: distance_matrix_km(zt))
    a = Assembly(G, Z, R, p, cities, metros, zt, ids, od, dist, members, metro_cores, core, subcentres,
                 centrality=centrality, sensitivity_samples=sensitivity_samples, reuse=reuse)  # fmt: skip
    if level == "city" and p.self_potential and p.city_potential == "county":
        run = cpot.county_run(
            G, region=R, p=p, masses=masses, network_year=int(G.graph.get("year", -1)), given=county_travel_times
        )
        if isinstance(run, str):
            notes.append(f"city potential: Rich's internal time on the city polygons, not the county run ({run})")
        else:
            a.county_run, a.city_potential = run, cpot.city_potentials(run, p)
    t_route = time.perf_counter()
    with checked_once() if reuse is not None else contextlib.nullcontext():  # a sweep's metrics check inputs once
        asm.zone_measures(a)
        for step, rows in STEPS:
            a.add_rows(step, rows(a))
    t1 = time.perf_counter()
    log.info("analyzed %s: routing %.3f s, metrics %.3f s", G.graph.get("scenario"), t_route - t0, t1 - t_route)
    return ScenarioResult(
        name=str(G.graph.get("scenario", "graph")),
        year=int(G.graph.get("year", -1)),
        scope=scope,
        cities=a.tables["cities"],
        zones=None if level == "city" else a.tables["zones"],
        level=level,
        metros=a.tables["metros"],
        region=a.region(),
        od=od,
        stepwise=a.tables["stepwise"],
        linkage=a.tables["linkage"],
        functional=a.tables["functional"],
        sensitivity=a.tables["sensitivity"],
        targets=_graph_targets(G, Z, None, od, R, reuse=reuse),
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
    region: Region | None = None,
) -> pd.DataFrame:
    """Region indices over a sequence of scenarios (default 2010 -> 2025 -> 2035).

    Items may be scenarios (names, paths, :class:`Scenario`) or results already computed
    with :func:`analyze` (reused as they are, so nothing is analysed twice).

    Parameters
    ----------
    scenarios
        Scenarios or results, in order.
    scope, params, zones, masses, region
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
    scenarios = as_sequence(scenarios, "scenarios", "scenario names, paths, Scenario objects or results")
    if masses == "both":  # the fixed-mass track, then the census-mass one beside it
        kw: dict[str, Any] = {"scope": scope, "params": params, "zones": zones, "region": region}
        fixed = timeline(scenarios, masses="2020", **kw)
        census = timeline(scenarios, masses="census", **kw).drop(index="year")
        census.index = [f"{r} (census masses)" for r in census.index]
        out = pd.concat([fixed, census])
        if indicators is None:
            return out
        keep = list(indicators)
        return out.loc[[*keep, *(f"{r} (census masses)" for r in keep)]]
    R = region or load_region()
    Z = R.resolve_zones(zones)
    cols = {}
    years = {}
    results: list[ScenarioResult] = []
    for s in scenarios:
        if isinstance(s, ScenarioResult):
            res = s
        else:
            res = analyze(load_scenario(s), scope, zones=Z, masses=masses, params=params, centrality=True,
                          sensitivity_samples=20, region=R)  # fmt: skip
        cols[res.name] = res.region["value"]
        years[res.name] = res.year
        results.append(res)
    if results:
        for res in results:  # Janelle convergence against the first scenario
            cols[res.name] = pd.concat([cols[res.name], pd.Series({CONVERGENCE: asc.convergence(results[0], res, R)})])
    df = pd.DataFrame(cols)
    if indicators is not None:
        df = df.loc[list(indicators)]
    df.loc["year"] = pd.Series(years)
    return df


def __getattr__(name: str) -> int | tuple[int, ...]:
    """``CORE`` and ``SUBCENTRES`` of the default region (:mod:`yrdnet.analysis.steps`), for scripts of 0.1."""
    if name in ("CORE", "SUBCENTRES"):
        return cast("int | tuple[int, ...]", getattr(asm, name))
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)

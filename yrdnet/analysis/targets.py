r"""Policy targets: the plans' travel-time promises, scored on the plans' own time definition.

The targets live in ``data/targets.csv`` (one row per target; an analyst can add one):

``target_id``
    Unique id.
``kind``
    ``core_link`` (two cities, ``from_adcode`` -> ``to_adcode``), ``metro_commute`` (a
    metropolitan core to every member city of ``metro``) or ``agglomeration_circle``
    (every pair among the six metropolitan cores).
``threshold_min``
    The promised time, minutes (for a range such as "1-1.5 h", its upper end).
``time_definition``
    ``station_fastest_main``: the fastest scheduled train between the two cities' main
    stations of the scenario year (:func:`yrdnet.analysis.city_times.city_main_station_times`),
    how the plans state "1-1.5 h between central cities"; ``station_fastest_any``: the
    fastest train between any of their stations (:func:`city_station_times`; a lower
    bound that picks border stations); ``station_fastest``: the name earlier releases
    gave ``station_fastest_any`` (still read, reported as ``station_fastest_any``);
    ``door_to_door``: the modelled door-to-door trip of :func:`yrdnet.travel_times`.
``mode``
    The door-to-door mode (``rail`` or ``multimodal``).
``source``, ``source_text``
    The document and the promise as quoted in the project's literature digest.

**Time between two cities, station to station** (:mod:`yrdnet.analysis.city_times`).
Main stations (``main_stations.csv``, :func:`yrdnet.load_main_stations`):

.. math:: T^{main}_{AB}(y) = \min_{a \in M_A(y),\; b \in M_B(y)} T^{st}_{ab}

over the main stations of each city valid in the scenario year :math:`y` and served by
the graph; a city whose main stations are all unserved is not connected (``inf``, with a
note), never taken from a border station. Any station:

.. math:: T^{any}_{AB} = \min_{a \in S_A,\; b \in S_B} T^{st}_{ab}

over every station whose ``city`` is that city. A city without a station is ``inf``.

**Door to door.** The multimodal or rail matrix between the cities' zones (at county level
the zone holding each city's centre, :meth:`yrdnet.Zones.core_zones`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.analysis.city_times import (
    city_station_times,
    city_times_from_legs,
    main_stations_in_year,
    served_stations,
)
from yrdnet.analysis.results import ScenarioResult
from yrdnet.analysis.reuse import Reuse, cached
from yrdnet.core.validation import as_sequence
from yrdnet.region.datasets import (
    DEFINITIONS,
    KINDS,
    TARGET_COLUMNS,
    TARGET_MODES,
    canonical_definition,
    load_targets,
)
from yrdnet.region.region import Region, load_region
from yrdnet.routing.matrices import (
    RailLegs,
    UnreachableWarning,
    linked_halls,
    rail_legs,
    station_times,
    transfer_seconds,
    travel_times,
)
from yrdnet.scenarios.scenario import TIMELINE, build_graph, load_scenario

if TYPE_CHECKING:
    from yrdnet.analysis.results import ScenarioResult
    from yrdnet.region.zones import Zones
    from yrdnet.scenarios.scenario import Scenario

__all__ = [
    "DEFINITIONS",
    "KINDS",
    "STATION_DEFINITIONS",
    "city_station_times",
    "evaluate_targets",
    "load_targets",
    "target_timeline",
    "targets",
]

_MODES = TARGET_MODES
#: The station-to-station definitions, each a column ``<definition>_min`` of the target table.
STATION_DEFINITIONS = ("station_fastest_main", "station_fastest_any")


def _pair_time(T: pd.DataFrame, a: int, b: int) -> float:
    if a not in T.index or b not in T.columns:
        return float("inf")
    return float(cast(float, T.loc[a, b]))


class _Times:
    """A city x city matrix read by label as :func:`_pair_time` reads it (``inf`` off it), without ``.loc``."""

    def __init__(self, T: pd.DataFrame) -> None:
        self.frame = T
        self.fast = T.index.is_unique and T.columns.is_unique
        if self.fast:
            self.rows: dict[Any, int] = dict(zip(T.index.tolist(), range(len(T.index)), strict=True))
            self.cols: dict[Any, int] = dict(zip(T.columns.tolist(), range(len(T.columns)), strict=True))
            self.values = T.to_numpy()

    def __call__(self, a: int, b: int) -> float:
        if not self.fast:
            return _pair_time(self.frame, a, b)
        i, j = self.rows.get(a), self.cols.get(b)
        return float("inf") if i is None or j is None else float(self.values[i, j])


class _Population:
    """``population.reindex(labels).to_numpy(float)``, by a label lookup when the index is unique and numeric."""

    def __init__(self, population: pd.Series) -> None:
        self.series = population
        numeric = isinstance(population.dtype, np.dtype) and population.dtype.kind in "fiu"  # no NA to convert
        self.fast = numeric and population.index.is_unique
        if self.fast:
            self.pos = dict(zip(population.index.tolist(), range(len(population)), strict=True))
            self.values = population.to_numpy(float)

    def __call__(self, labels: list[int]) -> np.ndarray:
        if not self.fast:
            return self.series.reindex(labels).to_numpy(float)
        pos = [self.pos.get(x) for x in labels]
        return np.array([np.nan if i is None else self.values[i] for i in pos], dtype=float)


def _score(
    r: Mapping[str, Any],
    T: _Times,
    members: Mapping[str, Sequence[int]],
    cores: Mapping[str, int],
    population: _Population,
) -> tuple[float, float]:
    """One target's time and share within its threshold on one city x city matrix."""
    thr = float(r["threshold_min"])
    if r["kind"] == "core_link":
        t = T(int(r["from_adcode"]), int(r["to_adcode"]))
        return t, float(t <= thr)
    if r["kind"] == "metro_commute":
        m = str(r["metro"])
        if m not in members:
            return np.nan, np.nan
        c = int(cores[m])
        js = [int(j) for j in members[m] if int(j) != c]
        times = np.array([T(c, j) for j in js])
        w = population([c, *js])
        within = np.r_[True, times <= thr]
        share = float(w[within].sum() / w.sum()) if np.nansum(w) > 0 else np.nan
        return (float(times.max()) if len(times) else 0.0), share
    cs = sorted(int(c) for c in cores.values())  # agglomeration_circle
    times = np.array([T(a, b) for i, a in enumerate(cs) for b in cs[i + 1 :]])
    if not len(times):
        return np.nan, np.nan
    return float(times.max()), float((times <= thr).mean())


def _station_matrices(station_fastest: pd.DataFrame | Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    if isinstance(station_fastest, pd.DataFrame):  # one matrix (earlier releases): every station definition
        return dict.fromkeys(STATION_DEFINITIONS, station_fastest)
    missing = [d for d in STATION_DEFINITIONS if d not in station_fastest]
    if missing:
        msg = f"station_fastest needs a city x city matrix for each of {list(STATION_DEFINITIONS)}; missing {missing}"
        raise ValueError(msg)
    return {d: station_fastest[d] for d in STATION_DEFINITIONS}


def _cities_of(r: Mapping[str, Any], members: Mapping[str, Sequence[int]], cores: Mapping[str, int]) -> list[int]:
    """The cities a target's time is taken between."""
    if r["kind"] == "core_link":
        return [int(r["from_adcode"]), int(r["to_adcode"])]
    if r["kind"] == "metro_commute":
        return [int(c) for c in members.get(str(r["metro"]), [])]
    return sorted(int(c) for c in cores.values())


def _main_station_records(notes: pd.DataFrame | None) -> dict[int, dict[Any, Any]] | None:
    """:func:`main_stations_in_year`'s rows by city (read once for every target)."""
    return None if notes is None else {int(cast(int, c)): v for c, v in notes.to_dict("index").items()}


def _main_station_words(
    r: Mapping[str, Any], cities: list[int], rec: dict[int, dict[Any, Any]] | None
) -> tuple[str, str]:
    """``main_stations_used`` (a city link's main stations) and ``main_stations_note`` of one target."""
    if rec is None:
        return "", ""
    said = []
    for c in cities:
        name = rec.get(c, {}).get("city")
        who = name if isinstance(name, str) else str(c)
        if c not in rec:
            said.append(f"{who}: no main station listed (main_stations.csv): not connected")
        elif rec[c]["note"]:
            said.append(f"{who}: {rec[c]['note']}")
    used = ""
    if r["kind"] == "core_link":
        ids: list[list[str]] = [list(rec[c]["served_main_stations"]) if c in rec else [] for c in cities]
        used = " - ".join("+".join(x) or "none" for x in ids)
    return used, "; ".join(said)


def evaluate_targets(
    table: pd.DataFrame,
    station_fastest: pd.DataFrame | Mapping[str, pd.DataFrame],
    door_to_door: Mapping[str, pd.DataFrame],
    *,
    members: Mapping[str, Sequence[int]],
    cores: Mapping[str, int],
    population: pd.Series,
    main_stations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Score every target under every time definition.

    For a ``core_link`` the time is :math:`T_{AB}`. For a ``metro_commute`` it is the
    farthest member's time from the core, :math:`\max_{j \in m} T_{c_m j}`, beside the
    population share of the members within the threshold,
    :math:`\sum_{j \in m} P_j 1[T_{c_m j} \le \theta] / \sum_{j \in m} P_j` (the core
    counted as within). For an ``agglomeration_circle`` it is the slowest of the pairs
    among the metropolitan cores, beside the share of pairs within. A target is met
    when that time is at most its threshold :math:`\theta`.

    Parameters
    ----------
    table
        :func:`load_targets`.
    station_fastest
        City x city station-to-station minutes: ``{"station_fastest_main": ...,
        "station_fastest_any": ...}`` (:mod:`yrdnet.analysis.city_times`). One matrix (the
        form of earlier releases) is taken for both.
    door_to_door
        Mode -> city x city door-to-door minutes.
    members, cores
        Metro id -> member city adcodes, and -> core adcode.
    population
        City population (for the commuting share).
    main_stations
        :func:`yrdnet.analysis.city_times.main_stations_in_year` of the scenario, for the
        columns saying which main stations were used; ``None``: those columns are empty.

    Returns
    -------
    pandas.DataFrame
        Index ``target_id``: ``kind``, ``from_adcode``, ``to_adcode``, ``metro``,
        ``threshold_min``, ``time_definition`` (the target's own, ``station_fastest``
        reported as ``station_fastest_any``), ``time_min`` and ``share_within`` and
        ``met`` under it; per definition ``station_fastest_main_min``,
        ``station_fastest_any_min``, ``door_to_door_min`` and ``met_station_fastest_main``,
        ``met_station_fastest_any``, ``met_door_to_door``; ``main_stations_used`` (a city
        link's main stations, ``from - to``, ``+`` between two of one city) and
        ``main_stations_note`` (a main station not served, a city not connected);
        ``source``; and, last, ``station_fastest_min`` and ``met_station_fastest``, the
        names earlier releases gave the any-station columns.

    Notes
    -----
    Unreachable pairs are ``inf`` (never met). A city without a served main station is
    ``inf`` under ``station_fastest_main``, a city without a station under
    ``station_fastest_any``. A metro unknown to ``members`` gives ``NaN``. The commuting
    share counts the core itself as within (time 0).

    Examples
    --------
    >>> t = load_targets().loc[["shanghai_nanjing_1_5h"]]
    >>> T = pd.DataFrame([[0.0, 75.0], [75.0, 0.0]], index=[310000, 320100], columns=[310000, 320100])
    >>> D = T + 60.0 - np.eye(2) * 60.0
    >>> no = pd.Series(dtype=float)
    >>> r = evaluate_targets(t, T, {"rail": D, "multimodal": D}, members={}, cores={}, population=no)
    >>> row = r.loc["shanghai_nanjing_1_5h"]
    >>> row["time_definition"], float(row["time_min"]), float(row["door_to_door_min"]), bool(row["met"])
    ('station_fastest_main', 75.0, 135.0, True)
    """
    mats = _station_matrices(station_fastest)
    records = _main_station_records(main_stations)
    return _evaluate(table, mats, door_to_door, members, cores, population, records)


_COLUMNS = ("kind", "from_adcode", "to_adcode", "metro", "threshold_min", "time_definition", "mode", "source")


def _evaluate(
    table: pd.DataFrame,
    mats: Mapping[str, pd.DataFrame],
    door_to_door: Mapping[str, pd.DataFrame],
    members: Mapping[str, Sequence[int]],
    cores: Mapping[str, int],
    population: pd.Series,
    records: dict[int, dict[Any, Any]] | None,
) -> pd.DataFrame:
    """:func:`evaluate_targets` on the station matrices and the main-station rows by city."""
    times = {d: _Times(T) for d, T in mats.items()}
    door = {m: _Times(T) for m, T in door_to_door.items()}
    pop = _Population(population)
    cols = {c: table[c].tolist() for c in _COLUMNS}
    rows: list[dict[str, Any]] = []
    for k, tid in enumerate(table.index.tolist()):
        r = {c: cols[c][k] for c in _COLUMNS}
        thr = float(r["threshold_min"])
        res = {d: _score(r, T, members, cores, pop) for d, T in times.items()}
        res["door_to_door"] = _score(r, door[str(r["mode"])], members, cores, pop)
        own = canonical_definition(str(r["time_definition"]))
        used, note = _main_station_words(r, _cities_of(r, members, cores), records)
        row: dict[str, Any] = {"target_id": tid, "kind": r["kind"], "from_adcode": r["from_adcode"],
                               "to_adcode": r["to_adcode"], "metro": r["metro"], "threshold_min": thr,
                               "time_definition": own, "time_min": res[own][0], "share_within": res[own][1],
                               "met": bool(res[own][0] <= thr)}  # fmt: skip
        row |= {f"{d}_min": res[d][0] for d in (*STATION_DEFINITIONS, "door_to_door")}
        row |= {f"met_{d}": bool(res[d][0] <= thr) for d in (*STATION_DEFINITIONS, "door_to_door")}
        row |= {"main_stations_used": used, "main_stations_note": note, "source": r["source"]}
        row |= {"station_fastest_min": row["station_fastest_any_min"]}  # the names of earlier releases
        row |= {"met_station_fastest": row["met_station_fastest_any"]}
        rows.append(row)
    out = pd.DataFrame(rows).set_index("target_id")
    for col in ("from_adcode", "to_adcode"):
        out[col] = out[col].astype("Int64")
    return out


def _city_door_to_door(
    G: nx.MultiDiGraph,
    Z: Zones,
    cities: pd.DataFrame,
    od: Mapping[str, pd.DataFrame] | None = None,
    *,
    by_city: Mapping[int, int] | None = None,
) -> dict[str, pd.DataFrame]:
    """Door-to-door times between cities: between the zones holding their centres (``by_city``: Z.core_zones)."""
    import warnings

    out: dict[str, pd.DataFrame] = {}
    by_city = Z.core_zones(cities) if by_city is None else by_city
    for mode in _MODES:
        if od is not None and mode in od:
            T = od[mode]
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UnreachableWarning)
                T = travel_times(G, mode)
        ids = [c for c, z in sorted(by_city.items()) if z in T.index]
        zs = [by_city[c] for c in ids]
        out[mode] = pd.DataFrame(_block(T, zs), index=ids, columns=ids)
    return out


def _block(T: pd.DataFrame, zs: list[int]) -> np.ndarray:
    """``T.loc[zs, zs].to_numpy(float)``, taken by position when the labels are unique."""
    i, j = T.index.get_indexer_for(pd.Index(zs)), T.columns.get_indexer_for(pd.Index(zs))
    if not (T.index.is_unique and T.columns.is_unique and len(i) == len(j) == len(zs) and (j >= 0).all()):
        return T.loc[zs, zs].to_numpy(float)
    return np.asarray(T.to_numpy()[np.ix_(i, j)], dtype=float)


def _main_notes(mains: pd.DataFrame, year: int | None, served: list[str], cities: pd.DataFrame) -> pd.DataFrame:
    """:func:`main_stations_in_year` of the served stations, with the cities' names."""
    notes = main_stations_in_year(mains, year, served, cities.index)
    if "name_en" in cities.columns:
        notes.insert(0, "city", cities["name_en"].reindex(notes.index))
    return notes


def _region_targets(region: Region) -> pd.DataFrame:
    """The region's targets: its table, or the file it names, or none."""
    t = region.targets
    if t is None:
        return pd.DataFrame(columns=list(TARGET_COLUMNS[1:]), index=pd.Index([], name="target_id"))
    return t if isinstance(t, pd.DataFrame) else load_targets(t)


def _main_of(notes: pd.DataFrame) -> tuple[dict[int, dict[Any, Any]], dict[str, int]]:
    """:func:`main_stations_in_year`'s rows by city, and served main station -> city."""
    main_of = {s: int(cast(int, c)) for c, v in notes["served_main_stations"].items() for s in v}
    return cast(dict[int, dict[Any, Any]], _main_station_records(notes)), main_of


def _station_fastest(
    rail: nx.MultiDiGraph, legs: RailLegs, year: int | None, R: Region, reuse: Reuse | None
) -> tuple[dict[str, pd.DataFrame], dict[int, dict[Any, Any]] | None]:
    """Both station-to-station city matrices and :func:`main_stations_in_year`'s rows by city (``None``: no table).

    One Dijkstra run per city and definition (:func:`city_times_from_legs`) instead of
    the station matrix of :func:`station_times` (one run per station): the same numbers.
    """
    tau = transfer_seconds(rail, None)
    node = rail.nodes
    ids = [h[3:] for h in legs.halls]
    city_of = {
        s: int(cast(int, c)) for s, h in zip(ids, legs.halls, strict=True) if (c := node[h].get("city")) is not None
    }
    mains, cities = R.main_stations, R.cities
    w = legs.ride_s + tau
    S = None if bool(np.isfinite(w).all()) and not bool((w < 0).any()) else station_times(rail, legs=legs)
    served = served_stations(S) if S is not None else [s for s, ok in zip(ids, linked_halls(legs), strict=True) if ok]
    records, main_of = None, None
    if mains is not None:  # it reads only which main stations are served
        listed = cached(reuse, ("main_station_ids",), lambda: frozenset(mains["station_id"].astype(str)))
        key_ = ("main_stations", year, tuple(sorted(listed.intersection(served))))
        notes = cached(reuse, key_, lambda: _main_notes(mains, year, served, cities))
        records, main_of = cached(reuse, ("records", *key_), lambda: _main_of(notes))
    wanted = [city_of] if main_of is None else [city_of, main_of]
    if S is None:  # the weights are finite and non-negative: never None
        mats = cast(list[pd.DataFrame], city_times_from_legs(legs, tau, wanted))
    else:
        mats = [city_station_times(S, c) for c in wanted]
    return {
        "station_fastest_main": pd.DataFrame() if main_of is None else mats[1],
        "station_fastest_any": mats[0],
    }, records


def _graph_targets(
    G: nx.MultiDiGraph,
    Z: Zones,
    table: pd.DataFrame | None,
    od: Mapping[str, pd.DataFrame] | None = None,
    region: Region | None = None,
    reuse: Reuse | None = None,
) -> pd.DataFrame:
    R = region or load_region()
    tab = _region_targets(R) if table is None else table
    if tab.empty:
        return pd.DataFrame()
    rail = reuse.rail if reuse is not None and reuse.rail is not None else G  # the same stations and rail pairs
    given = reuse.legs if reuse is not None and reuse.rail is not None else None
    legs = rail_legs(rail) if given is None else given
    year = G.graph.get("year")
    year = None if year is None or int(year) < 0 else int(year)
    fastest, records = _station_fastest(rail, legs, year, R, reuse)
    cities = R.cities
    by_city = cached(reuse, ("core_zones", Z.level), lambda: Z.core_zones(cities))
    door = _city_door_to_door(G, Z, cities, od, by_city=by_city)
    members, cores, pop = cached(reuse, ("target_metros",), lambda: _metro_cities(R))
    return _evaluate(tab, fastest, door, members, cores, pop, records)


def _metro_cities(R: Region) -> tuple[dict[str, list[int]], dict[str, int], pd.Series]:
    """Metro id -> member cities, -> core city, and the city populations (the commuting share's weights)."""
    metros = R.metros()
    members = {str(m): [int(x) for x in v] for m, v in metros["members"].items()}
    cores = {str(m): int(cast(int, metros.loc[m, "core_adcode"])) for m in members}
    return members, cores, R.cities["population"].astype(float)


def targets(
    result_or_graph: ScenarioResult | nx.MultiDiGraph,
    *,
    zones: Zones | str | None = None,
    table: pd.DataFrame | None = None,
    region: Region | None = None,
) -> pd.DataFrame:
    """The policy-target table of a scenario: modelled times under both definitions, met or not.

    Parameters
    ----------
    result_or_graph
        A :class:`yrdnet.ScenarioResult` (its stored ``.targets``) or a graph from
        :func:`yrdnet.build_graph`.
    zones
        The graph's zones when they are custom (``None``: the region's level whose
        zones the graph has).
    table
        Targets to score (default the region's, :func:`load_targets` for the YRD);
        only with a graph.
    region
        The study area (default :func:`yrdnet.load_region`); only with a graph.

    Returns
    -------
    pandas.DataFrame
        :func:`evaluate_targets`, with the scenario ``name`` and ``year`` in ``.attrs``.

    Examples
    --------
    >>> import yrdnet
    >>> tt = targets(yrdnet.build_graph("baseline_2020"))
    >>> bool(tt.loc["shanghai_nanjing_1_5h", "met"])
    True
    """
    if isinstance(result_or_graph, ScenarioResult):
        out = result_or_graph.targets.copy()
        out.attrs = {"name": result_or_graph.name, "year": result_or_graph.year}
        return out
    G = result_or_graph
    R = region or load_region()
    if zones is None:
        ids = [int(str(n)[5:]) for n, k in G.nodes(data="kind") if k == "zone"]
        zones = R.level_of(ids)
        if zones is None:
            raise ValueError("this graph's zones are none of the region's levels: pass them as targets(G, zones=...)")
    out = _graph_targets(G, R.resolve_zones(zones), table, region=R)
    out.attrs = {"name": str(G.graph.get("scenario", "graph")), "year": int(G.graph.get("year", -1))}
    return out


def target_timeline(
    scenarios: Sequence[str | Path | Scenario | ScenarioResult | nx.MultiDiGraph] | None = None,
    *,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each target over a sequence of scenarios, and the first year it is met.

    Parameters
    ----------
    scenarios
        Scenario names, paths, :class:`yrdnet.Scenario`, graphs or results, in time
        order (default :data:`yrdnet.analysis.pipeline.TIMELINE`, 2010 -> 2035). Scenarios are
        built at city level (targets are between cities).
    table
        Targets to score (default :func:`load_targets`).

    Returns
    -------
    pandas.DataFrame
        Index ``target_id``: ``kind``, ``threshold_min``, ``time_definition``, then per
        scenario label ``L`` (its year, or its name when years repeat)
        ``station_fastest_main_min_L``, ``station_fastest_any_min_L``,
        ``door_to_door_min_L`` and ``met_L`` (under the target's definition), then
        ``first_met`` and ``first_met_door_to_door`` (the first label at which the target
        is met; empty if never), and last ``station_fastest_min_L``, the name earlier
        releases gave ``station_fastest_any_min_L``.

    Examples
    --------
    >>> tl = target_timeline(["baseline_2010", "baseline_2020"])  # doctest: +SKIP
    >>> tl.loc["shanghai_hefei_1_5h", "first_met"]  # doctest: +SKIP
    """
    if isinstance(scenarios, nx.Graph):  # iterable (its nodes), but one scenario
        raise TypeError("scenarios must be a list of scenarios, graphs or results, got one graph; use [G]")
    items = list(TIMELINE) if scenarios is None else as_sequence(scenarios, "scenarios", "scenarios or results")
    tabs: list[tuple[str, int, pd.DataFrame]] = []
    for s in items:
        if isinstance(s, ScenarioResult):
            stored = table is None and not s.targets.empty
            tt = s.targets if stored else targets(build_graph(load_scenario(s.name)), table=table)
            tabs.append((s.name, s.year, tt))
            continue
        G = s if isinstance(s, nx.MultiDiGraph) else build_graph(load_scenario(s))
        tt = targets(G, table=table)
        tabs.append((str(tt.attrs["name"]), int(tt.attrs["year"]), tt))
    if not tabs:
        raise ValueError("target_timeline needs at least one scenario")
    years = [y for _, y, _ in tabs]
    labels = [str(y) if years.count(y) == 1 else n for n, y, _ in tabs]
    first = tabs[0][2]
    out = first[["kind", "threshold_min", "time_definition"]].copy()
    out["time_definition"] = out["time_definition"].map(canonical_definition)
    for lab, (_, _, raw) in zip(labels, tabs, strict=True):
        tt = raw.reindex(out.index)
        for d in (*STATION_DEFINITIONS, "door_to_door"):
            out[f"{d}_min_{lab}"] = _minutes(tt, d)
        out[f"met_{lab}"] = tt["met"].astype(bool)
    for col, key in (("first_met", "met"), ("first_met_door_to_door", "met_door_to_door")):
        firsts = []
        for tid in out.index:
            hit = [lab for lab, (_, _, tt) in zip(labels, tabs, strict=True) if bool(tt.loc[tid, key])]
            firsts.append(hit[0] if hit else "")
        out[col] = firsts
    for lab in labels:
        out[f"station_fastest_min_{lab}"] = out[f"station_fastest_any_min_{lab}"]
    return out


def _minutes(tt: pd.DataFrame, definition: str) -> pd.Series:
    """A target table's minutes under one definition (earlier releases stored only ``station_fastest_min``)."""
    if f"{definition}_min" in tt.columns:
        return tt[f"{definition}_min"]
    if definition == "station_fastest_any" and "station_fastest_min" in tt.columns:
        return tt["station_fastest_min"]
    return pd.Series(np.nan, index=tt.index)

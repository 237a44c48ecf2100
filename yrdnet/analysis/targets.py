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
    ``station_fastest``: the fastest scheduled train between the two cities' stations
    (:func:`city_station_times`), how the plans state "1-1.5 h between central cities";
    ``door_to_door``: the modelled door-to-door trip of :func:`yrdnet.travel_times`.
``mode``
    The door-to-door mode (``rail`` or ``multimodal``).
``source``, ``source_text``
    The document and the promise as quoted in the project's literature digest.

**Time between two cities, station to station.** A city's "main station" is not in the
data, so the policy time between two cities is the fastest :func:`yrdnet.station_times`
over every pair of their stations (the stations whose ``city`` is that city):

.. math:: T^{st}_{AB} = \min_{a \in S_A,\; b \in S_B} T^{st}_{ab}

A city without a station is ``inf`` under this definition.

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

from yrdnet.analysis.results import ScenarioResult
from yrdnet.region.datasets import (
    DEFINITIONS,
    KINDS,
    TARGET_COLUMNS,
    TARGET_MODES,
    load_targets,
)
from yrdnet.region.region import Region, load_region
from yrdnet.routing.matrices import UnreachableWarning, station_times, travel_times
from yrdnet.scenarios.scenario import TIMELINE, build_graph, load_scenario

if TYPE_CHECKING:
    from yrdnet.analysis.results import ScenarioResult
    from yrdnet.region.zones import Zones
    from yrdnet.scenarios.scenario import Scenario

__all__ = [
    "DEFINITIONS",
    "KINDS",
    "city_station_times",
    "evaluate_targets",
    "load_targets",
    "target_timeline",
    "targets",
]

_MODES = TARGET_MODES


def city_station_times(S: pd.DataFrame, city_of: Mapping[str, int]) -> pd.DataFrame:
    r"""Fastest station-to-station time between every two cities with a station.

    .. math:: T_{AB} = \min_{a \in S_A,\; b \in S_B} T_{ab}

    over the stations :math:`S_A` of city :math:`A` (``city_of``).

    Parameters
    ----------
    S
        Station-to-station minutes (:func:`yrdnet.station_times`), ``inf`` if unconnected.
    city_of
        Station id -> city adcode; stations missing from it are ignored.

    Returns
    -------
    pandas.DataFrame
        Cities x cities (sorted adcodes), minutes; 0 on the diagonal (a city to itself),
        ``inf`` where no train connects any of their stations.

    Notes
    -----
    A city's main station is not in the data: the minimum over all its stations is the
    policy's "main station to main station, fastest service" read generously (a faster
    pair of secondary stations counts).

    Examples
    --------
    >>> S = pd.DataFrame([[0, 50, 70], [50, 0, 40], [70, 40, 0]], index=list("abc"), columns=list("abc"), dtype=float)
    >>> city_station_times(S, {"a": 1, "b": 2, "c": 2}).loc[1, 2]
    np.float64(50.0)
    """
    ids = [s for s in S.index if s in city_of]
    codes = pd.Series({s: int(city_of[s]) for s in ids})
    cities = sorted(set(codes.tolist()))
    M = S.loc[ids, ids].to_numpy(float)
    grp = codes.to_numpy()
    out = np.full((len(cities), len(cities)), np.inf)
    for i, a in enumerate(cities):
        rows = M[grp == a]
        for j, b in enumerate(cities):
            out[i, j] = 0.0 if a == b else float(rows[:, grp == b].min())
    idx = pd.Index(cities, name="adcode")
    return pd.DataFrame(out, index=idx, columns=idx.rename(None))


def _pair_time(T: pd.DataFrame, a: int, b: int) -> float:
    if a not in T.index or b not in T.columns:
        return float("inf")
    return float(cast(float, T.loc[a, b]))


def evaluate_targets(
    table: pd.DataFrame,
    station_fastest: pd.DataFrame,
    door_to_door: Mapping[str, pd.DataFrame],
    *,
    members: Mapping[str, Sequence[int]],
    cores: Mapping[str, int],
    population: pd.Series,
) -> pd.DataFrame:
    r"""Score every target under both time definitions.

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
        City x city station-to-station minutes (:func:`city_station_times`).
    door_to_door
        Mode -> city x city door-to-door minutes.
    members, cores
        Metro id -> member city adcodes, and -> core adcode.
    population
        City population (for the commuting share).

    Returns
    -------
    pandas.DataFrame
        Index ``target_id``: ``kind``, ``from_adcode``, ``to_adcode``, ``metro``,
        ``threshold_min``, ``time_definition``, ``time_min`` and ``share_within`` and
        ``met`` under the target's own definition, ``station_fastest_min``,
        ``door_to_door_min``, ``met_station_fastest``, ``met_door_to_door``, ``source``.

    Notes
    -----
    Unreachable pairs are ``inf`` (never met). A member city without a station is
    ``inf`` under ``station_fastest``. A metro unknown to ``members`` gives ``NaN``.
    The commuting share counts the core itself as within (time 0).

    Examples
    --------
    >>> t = load_targets().loc[["shanghai_nanjing_1_5h"]]
    >>> T = pd.DataFrame([[0.0, 75.0], [75.0, 0.0]], index=[310000, 320100], columns=[310000, 320100])
    >>> D = T + 60.0 - np.eye(2) * 60.0
    >>> no = pd.Series(dtype=float)
    >>> r = evaluate_targets(t, T, {"rail": D, "multimodal": D}, members={}, cores={}, population=no)
    >>> row = r.loc["shanghai_nanjing_1_5h"]
    >>> float(row["time_min"]), float(row["door_to_door_min"]), bool(row["met"]), bool(row["met_door_to_door"])
    (75.0, 135.0, True, False)
    """
    rows: list[dict[str, Any]] = []
    for tid, r in table.iterrows():
        thr = float(r["threshold_min"])
        res: dict[str, Any] = {}
        for d, T in (("station_fastest", station_fastest), ("door_to_door", door_to_door[str(r["mode"])])):
            if r["kind"] == "core_link":
                t = _pair_time(T, int(r["from_adcode"]), int(r["to_adcode"]))
                share = float(t <= thr)
            elif r["kind"] == "metro_commute":
                m = str(r["metro"])
                if m not in members:
                    t, share = np.nan, np.nan
                else:
                    c = int(cores[m])
                    js = [int(j) for j in members[m] if int(j) != c]
                    times = np.array([_pair_time(T, c, j) for j in js])
                    t = float(times.max()) if len(times) else 0.0
                    w = population.reindex([c, *js]).to_numpy(float)
                    within = np.r_[True, times <= thr]
                    share = float(w[within].sum() / w.sum()) if np.nansum(w) > 0 else np.nan
            else:  # agglomeration_circle
                cs = sorted(int(c) for c in cores.values())
                times = np.array([_pair_time(T, a, b) for i, a in enumerate(cs) for b in cs[i + 1 :]])
                t = float(times.max()) if len(times) else np.nan
                share = float((times <= thr).mean()) if len(times) else np.nan
            res[d] = (t, share)
        own = str(r["time_definition"])
        t_own, s_own = res[own]
        rows.append(
            {
                "target_id": tid,
                "kind": r["kind"],
                "from_adcode": r["from_adcode"],
                "to_adcode": r["to_adcode"],
                "metro": r["metro"],
                "threshold_min": thr,
                "time_definition": own,
                "time_min": t_own,
                "share_within": s_own,
                "met": bool(t_own <= thr),
                "station_fastest_min": res["station_fastest"][0],
                "door_to_door_min": res["door_to_door"][0],
                "met_station_fastest": bool(res["station_fastest"][0] <= thr),
                "met_door_to_door": bool(res["door_to_door"][0] <= thr),
                "source": r["source"],
            }
        )
    out = pd.DataFrame(rows).set_index("target_id")
    for col in ("from_adcode", "to_adcode"):
        out[col] = out[col].astype("Int64")
    return out


def _city_door_to_door(
    G: nx.MultiDiGraph, Z: Zones, cities: pd.DataFrame, od: Mapping[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    """Door-to-door times between cities: between the zones holding their centres."""
    import warnings

    out: dict[str, pd.DataFrame] = {}
    by_city = Z.core_zones(cities)
    for mode in _MODES:
        if od is not None and mode in od:
            T = od[mode]
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UnreachableWarning)
                T = travel_times(G, mode)
        ids = [c for c, z in sorted(by_city.items()) if z in T.index]
        zs = [by_city[c] for c in ids]
        out[mode] = pd.DataFrame(T.loc[zs, zs].to_numpy(float), index=ids, columns=ids)
    return out


def _region_targets(region: Region) -> pd.DataFrame:
    """The region's targets: its table, or the file it names, or none."""
    t = region.targets
    if t is None:
        return pd.DataFrame(columns=list(TARGET_COLUMNS[1:]), index=pd.Index([], name="target_id"))
    return t if isinstance(t, pd.DataFrame) else load_targets(t)


def _graph_targets(
    G: nx.MultiDiGraph,
    Z: Zones,
    table: pd.DataFrame | None,
    od: Mapping[str, pd.DataFrame] | None = None,
    region: Region | None = None,
) -> pd.DataFrame:
    R = region or load_region()
    tab = _region_targets(R) if table is None else table
    if tab.empty:
        return pd.DataFrame()
    S = station_times(G)
    city_of = {
        str(n)[3:]: int(cast(int, c)) for n, c in G.nodes(data="city") if str(n).startswith("st:") and c is not None
    }
    fastest = city_station_times(S, city_of)
    cities = R.cities
    door = _city_door_to_door(G, Z, cities, od)
    metros = R.metros()
    members = {str(m): [int(x) for x in v] for m, v in metros["members"].items()}
    cores = {str(m): int(cast(int, metros.loc[m, "core_adcode"])) for m in members}
    pop = cities["population"].astype(float)
    return evaluate_targets(tab, fastest, door, members=members, cores=cores, population=pop)


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
        ``station_fastest_min_L``, ``door_to_door_min_L`` and ``met_L`` (under the
        target's definition), then ``first_met`` and ``first_met_door_to_door`` (the
        first label at which the target is met; empty if never).

    Examples
    --------
    >>> tl = target_timeline(["baseline_2010", "baseline_2020"])  # doctest: +SKIP
    >>> tl.loc["shanghai_hefei_1_5h", "first_met"]  # doctest: +SKIP
    """
    items = list(TIMELINE if scenarios is None else scenarios)
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
    for lab, (_, _, raw) in zip(labels, tabs, strict=True):
        tt = raw.reindex(out.index)
        out[f"station_fastest_min_{lab}"] = tt["station_fastest_min"]
        out[f"door_to_door_min_{lab}"] = tt["door_to_door_min"]
        out[f"met_{lab}"] = tt["met"].astype(bool)
    for col, key in (("first_met", "met"), ("first_met_door_to_door", "met_door_to_door")):
        firsts = []
        for tid in out.index:
            hit = [lab for lab, (_, _, tt) in zip(labels, tabs, strict=True) if bool(tt.loc[tid, key])]
            firsts.append(hit[0] if hit else "")
        out[col] = firsts
    return out

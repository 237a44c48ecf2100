r"""How far "time replaces space" (以时间替代空间): rail times between cities, year by year.

One row per scenario and set of city pairs, with two rail times side by side:

``station_to_station``
    The fastest train between the cities' main stations of the scenario year
    (``station_fastest_main``, :func:`yrdnet.analysis.city_times.city_main_station_times`):
    the policy's own definition.
``door_to_door``
    The rail trip from city centre to city centre (:func:`yrdnet.travel_times` with
    ``mode="rail"``): access, wait from frequency, ride, changes and egress.

For a set :math:`P` of ordered city pairs and a year :math:`y`,

.. math::

    \bar T(y) = \frac{1}{|P_y|} \sum_{(A,B) \in P_y} T_{AB}(y), \qquad
    P_y = \{(A, B) \in P : T_{AB}(y) < \infty\},

reported with :math:`|P_y|` (pairs reached). Since :math:`P_y` grows as lines open, a
mean over a growing set can rise while every pair gets faster; the columns ``*_common``
take the mean over the pairs reached in *every* year of the table
(:math:`\bigcap_y P_y`), which shows the time-space shrinkage of a fixed set of pairs.
The sets are ``all city pairs`` (every ordered pair of the region's cities) and
``core links`` (:func:`core_links`: the region's ``core_link`` policy targets, both
directions).

:func:`timeline_convergence` gives Janelle's convergence of every pair of zones over
analysed scenarios (:func:`yrdnet.metrics.convergence.janelle_convergence`, formulas
and references there), with names and the core links flagged;
:func:`yrdnet.metrics.convergence.convergence_summary` averages it per period.

References
----------
Spiekermann, K. and Wegener, M. (1994). "The shrinking continent: new time-space maps
of Europe." *Environment and Planning B* 21(6), 653-673. https://doi.org/10.1068/b210653

NDRC (2019). 长江三角洲区域一体化发展规划纲要 (the "time replaces space" aim, as quoted in
``/work/shared/reference/indicators.md``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from yrdnet.analysis.city_times import city_main_station_times
from yrdnet.analysis.results import ScenarioResult
from yrdnet.analysis.targets import _region_targets
from yrdnet.core.errors import DataError
from yrdnet.core.params import TravelTimeModel
from yrdnet.metrics.convergence import janelle_convergence
from yrdnet.region.region import Region, load_region
from yrdnet.region.zones import Zones
from yrdnet.routing.matrices import UnreachableWarning, station_times, travel_times
from yrdnet.scenarios.scenario import TIMELINE, Scenario, build_graph, load_scenario

__all__ = ["core_links", "time_space_table", "timeline_convergence", "travel_times_by_year"]

_SETS = ("all city pairs", "core links")


def core_links(region: Region | None = None, zones: Zones | None = None) -> list[tuple[int, int]]:
    """The region's core links: the city pairs of its ``core_link`` policy targets.

    The one definition of "the core links" (in the YRD: Shanghai with Nanjing, Hangzhou,
    Hefei, Suzhou and Ningbo), used by :func:`time_space_table`, the convergence
    summaries and ``examples/time_space_maps.py``.

    Parameters
    ----------
    region
        The study region (default: the shipped YRD); its targets table.
    zones
        Zones to express the links in (default: city adcodes). At county level each city
        becomes the zone holding its centre (:meth:`yrdnet.Zones.core_zones`); links
        whose cities have no zone are left out.

    Returns
    -------
    list of (int, int)
        One pair per link, as written in the targets (from, to), without repeats and
        sorted; the direction carries no meaning.

    Examples
    --------
    >>> links = core_links()
    >>> len(links), links[0]
    (5, (310000, 320100))
    """
    region = region or load_region()
    t = _region_targets(region)
    core = t[t["kind"] == "core_link"]
    pairs = sorted({(int(a), int(b)) for a, b in zip(core["from_adcode"], core["to_adcode"], strict=True)})
    if zones is None or zones.level == "city":
        return pairs
    at = zones.core_zones(region.cities)
    return [(at[a], at[b]) for a, b in pairs if a in at and b in at]


def _core_pairs(region: Region) -> set[tuple[int, int]]:
    """Both directions of the region's core links."""
    pairs = set(core_links(region))
    return pairs | {(b, a) for a, b in pairs}


def _pair_minutes(scenario: Scenario, region: Region, model: TravelTimeModel | None) -> pd.DataFrame:
    """Long table (from, to, station_to_station, door_to_door) of every ordered city pair."""
    G = build_graph(scenario, model=model)
    cities = [int(c) for c in region.cities.index]
    year = int(G.graph["year"]) if G.graph.get("year") is not None else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        door = travel_times(G, "rail")
        S = station_times(G)
    mains = region.main_stations
    main = pd.DataFrame() if mains is None else city_main_station_times(S, mains, year)
    door = door.reindex(index=cities, columns=cities)
    main = main.reindex(index=cities, columns=cities)
    a, b = np.meshgrid(cities, cities, indexing="ij")
    off = a != b
    return pd.DataFrame(
        {
            "from": a[off],
            "to": b[off],
            "station_to_station": main.to_numpy(float)[off],
            "door_to_door": door.to_numpy(float)[off],
        }
    )


def time_space_table(
    scenarios: Iterable[str | Path | Scenario] = TIMELINE[:4],
    *,
    region: Region | None = None,
    model: TravelTimeModel | None = None,
) -> pd.DataFrame:
    """Mean rail time between cities per scenario: station to station and door to door.

    Parameters
    ----------
    scenarios
        Scenario names, paths or objects (default: the historical baselines 2010, 2015,
        2020, 2025).
    region
        The study region (default: the shipped YRD): its cities, main stations and core
        links.
    model
        Travel-time parameters (default :class:`yrdnet.TravelTimeModel`).

    Returns
    -------
    pandas.DataFrame
        One row per scenario and pair set (``all city pairs``, ``core links``):
        ``scenario``, ``year``, ``pairs``, ``pairs_station_to_station`` and
        ``mean_station_to_station_min`` (main stations), ``pairs_door_to_door`` and
        ``mean_door_to_door_min``, ``pairs_common`` (reached in every year by both
        definitions) with ``mean_station_to_station_common_min`` and
        ``mean_door_to_door_common_min``.

    Examples
    --------
    >>> t = time_space_table(["baseline_2015", "baseline_2025"])  # doctest: +SKIP
    """
    region = region or load_region()
    core = _core_pairs(region)
    per: dict[tuple[str, int], pd.DataFrame] = {}
    for s in scenarios:
        sc = load_scenario(s)
        per[(sc.name, int(sc.effective_year))] = _pair_minutes(sc, region, model)
    common = None
    for df in per.values():
        ok = np.isfinite(df["station_to_station"]) & np.isfinite(df["door_to_door"])
        keys = set(zip(df.loc[ok, "from"], df.loc[ok, "to"], strict=True))
        common = keys if common is None else common & keys
    rows = []
    for (name, year), df in per.items():
        key = list(zip(df["from"], df["to"], strict=True))
        in_common = np.array([k in (common or set()) for k in key], dtype=bool)
        is_core = np.array([k in core for k in key], dtype=bool)
        for label, mask in zip(_SETS, (np.ones(len(df), dtype=bool), is_core), strict=True):
            rows.append(_row(name, year, label, df[mask], in_common[mask]))
    return pd.DataFrame(rows)


def _row(name: str, year: int, label: str, df: pd.DataFrame, common: np.ndarray) -> dict[str, object]:
    st = df["station_to_station"].to_numpy(float)
    dd = df["door_to_door"].to_numpy(float)
    fs, fd = np.isfinite(st), np.isfinite(dd)
    return {
        "scenario": name,
        "year": year,
        "pair_set": label,
        "pairs": len(df),
        "pairs_station_to_station": int(fs.sum()),
        "mean_station_to_station_min": _mean(st[fs]),
        "pairs_door_to_door": int(fd.sum()),
        "mean_door_to_door_min": _mean(dd[fd]),
        "pairs_common": int(common.sum()),
        "mean_station_to_station_common_min": _mean(st[common]),
        "mean_door_to_door_common_min": _mean(dd[common]),
    }


def _mean(x: np.ndarray) -> float:
    return float(cast(float, x.mean())) if len(x) else float("nan")


def travel_times_by_year(results: Iterable[ScenarioResult], mode: str = "multimodal") -> dict[int, pd.DataFrame]:
    """``{network year: travel-time matrix}`` of analysed scenarios, one per year.

    Raises
    ------
    DataError
        (a :class:`ValueError`) if two results share a network year (naming both) or a
        result has no ``mode`` matrix.
    """
    out: dict[int, pd.DataFrame] = {}
    names: dict[int, str] = {}
    for res in results:
        if mode not in res.od:
            raise DataError(f"scenario {res.name!r} has no {mode!r} travel times (has {sorted(res.od)})")
        y = int(res.year)
        if y in out:
            raise DataError(f"scenarios {names[y]!r} and {res.name!r} both have network year {y}; give one per year")
        out[y], names[y] = res.od[mode], res.name
    return out


def timeline_convergence(
    results: Sequence[ScenarioResult], *, mode: str = "multimodal", region: Region | None = None
) -> pd.DataFrame:
    """Janelle convergence of every pair of zones over analysed scenarios (one per year).

    :func:`yrdnet.metrics.convergence.janelle_convergence` of the results' ``mode``
    matrices (unordered pairs, both directions averaged), with the zones' names and the
    :func:`core_links` flagged.

    Parameters
    ----------
    results
        :func:`yrdnet.analyze` results of one zone level, one per network year (e.g. the
        baselines of :data:`yrdnet.scenarios.scenario.TIMELINE`).
    mode
        The travel-time matrix used (``res.od[mode]``).
    region
        The region whose core links are flagged (default: the shipped YRD).

    Returns
    -------
    pandas.DataFrame
        ``zone_a``, ``name_a``, ``zone_b``, ``name_b``, then the columns of
        :func:`~yrdnet.metrics.convergence.janelle_convergence` with ``core_link``.

    Raises
    ------
    DataError
        (a :class:`ValueError`) for a repeated year or zones that differ between years.

    Examples
    --------
    >>> rs = [yrdnet.analyze(s, centrality=False) for s in TIMELINE[:4]]  # doctest: +SKIP
    >>> convergence_summary(timeline_convergence(rs))  # doctest: +SKIP
    """
    results = list(results)
    times = travel_times_by_year(results, mode)
    res = results[0]
    region = region or load_region()
    level = res.level if res.level in region.levels else None
    table = janelle_convergence(times, core=core_links(region, region.zones(level)) if level else [])
    zones = res.cities if res.zones is None else res.zones
    names = zones["name_en"] if "name_en" in zones.columns else pd.Series(dtype=str)
    table.insert(1, "name_a", table["zone_a"].map(names))
    table.insert(3, "name_b", table["zone_b"].map(names))
    return table

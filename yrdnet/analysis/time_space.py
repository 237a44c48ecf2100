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
``core links`` (the region's ``core_link`` policy targets, both directions).

References
----------
Spiekermann, K. and Wegener, M. (1994). "The shrinking continent: new time-space maps
of Europe." *Environment and Planning B* 21(6), 653-673. https://doi.org/10.1068/b210653

NDRC (2019). 长江三角洲区域一体化发展规划纲要 (the "time replaces space" aim, as quoted in
``/work/shared/reference/indicators.md``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from yrdnet.analysis.city_times import city_main_station_times
from yrdnet.analysis.targets import _region_targets
from yrdnet.core.params import TravelTimeModel
from yrdnet.region.region import Region, load_region
from yrdnet.routing.matrices import UnreachableWarning, station_times, travel_times
from yrdnet.scenarios.scenario import TIMELINE, Scenario, build_graph, load_scenario

__all__ = ["time_space_table"]

_SETS = ("all city pairs", "core links")


def _core_pairs(region: Region) -> set[tuple[int, int]]:
    """Both directions of the region's ``core_link`` targets."""
    t = _region_targets(region)
    core = t[t["kind"] == "core_link"]
    pairs = {(int(a), int(b)) for a, b in zip(core["from_adcode"], core["to_adcode"], strict=True)}
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

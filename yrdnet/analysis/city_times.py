r"""The fastest train between two cities: between their main stations, or between any stations.

The YRD plans state their "1-1.5 h between central cities" as the fastest scheduled
train between the cities' main stations. Two definitions of that time are computed here
from the station-to-station matrix :math:`T_{ab}` of :func:`yrdnet.station_times`
(``time_definition`` in ``targets.csv``):

``station_fastest_main`` (the default of the plans' city links)
    The fastest train between the main stations of the two cities in the scenario year
    :math:`y` (``main_stations.csv``, :func:`yrdnet.load_main_stations`):

    .. math:: T^{main}_{AB}(y) = \min_{a \in M_A(y),\; b \in M_B(y)} T_{ab}

    where :math:`M_A(y)` holds the main stations of city :math:`A` valid in :math:`y`
    (``from_year`` <= y <= ``to_year``) that the graph serves. A main station not served
    (its line not open in the graph) is left out, so the city's other main stations of
    that year stand in for it; a city with none served is *not connected* (``inf``),
    never taken from a border station. Each city's resolution and a note are given by
    :func:`main_stations_in_year`.

``station_fastest_any`` (called ``station_fastest`` in earlier releases)
    The fastest train between any station of one city and any of the other
    (:func:`city_station_times`):

    .. math:: T^{any}_{AB} = \min_{a \in S_A,\; b \in S_B} T_{ab}

    It picks border stations (Anting West - Taicang South for Shanghai - Suzhou), so it is
    a lower bound of the main-station time, kept for comparison.

References
----------
NDRC & MoT (2020). 长江三角洲地区交通运输更高质量一体化发展规划 (the 1-1.5 h target between
central cities), as quoted in ``data/targets.csv``.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd

from yrdnet.routing.matrices import RailLegs, group_seconds

__all__ = ["city_main_station_times", "city_station_times", "main_stations_in_year", "served_stations"]


def city_station_times(S: pd.DataFrame, city_of: Mapping[str, int]) -> pd.DataFrame:
    r"""Fastest station-to-station time between every two cities: over the stations given (``station_fastest_any``).

    .. math:: T_{AB} = \min_{a \in S_A,\; b \in S_B} T_{ab}

    over the stations :math:`S_A` of city :math:`A` (``city_of``). Given every station
    of each city this is the ``station_fastest_any`` definition; given only the main
    stations, ``station_fastest_main`` (:func:`city_main_station_times`).

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

    Examples
    --------
    >>> S = pd.DataFrame([[0, 50, 70], [50, 0, 40], [70, 40, 0]], index=list("abc"), columns=list("abc"), dtype=float)
    >>> city_station_times(S, {"a": 1, "b": 2, "c": 2}).loc[1, 2]
    np.float64(50.0)
    """
    ids = [s for s in S.index if s in city_of]
    codes = pd.Series({s: int(city_of[s]) for s in ids}, dtype=int)
    cities = sorted(set(codes.tolist()))
    grp = codes.to_numpy()
    order = np.argsort(grp, kind="stable")  # stations grouped by city: a block min per city pair
    M = S.loc[ids, ids].to_numpy(float)[np.ix_(order, order)]
    out = np.full((len(cities), len(cities)), np.inf)
    if ids:
        starts = np.flatnonzero(np.r_[True, np.diff(grp[order]) != 0])
        out = np.minimum.reduceat(np.minimum.reduceat(M, starts, axis=0), starts, axis=1)
    np.fill_diagonal(out, 0.0)
    idx = pd.Index(cities, name="adcode")
    return pd.DataFrame(out, index=idx, columns=idx.rename(None))


def served_stations(S: pd.DataFrame) -> list[str]:
    """The stations of a station matrix that a train joins to at least one other station."""
    M = S.to_numpy(float).copy()
    np.fill_diagonal(M, np.inf)
    reach = np.isfinite(M).any(axis=1) | np.isfinite(M).any(axis=0)
    return [str(s) for s, ok in zip(S.index, reach, strict=True) if ok]


def _valid(table: pd.DataFrame, year: int | None) -> pd.DataFrame:
    if year is None:  # no scenario year: the main stations of today
        return table[table["to_year"].isna()]
    lo = table["from_year"].fillna(-(10**9)).astype(int)
    hi = table["to_year"].fillna(10**9).astype(int)
    return table[(lo <= year) & (year <= hi)]


def main_stations_in_year(
    table: pd.DataFrame, year: int | None, served: Collection[str], cities: Iterable[int] = ()
) -> pd.DataFrame:
    """Each city's main stations in a year, those of them the graph serves, and what was done.

    Parameters
    ----------
    table
        :func:`yrdnet.load_main_stations`.
    year
        The scenario year: rows with ``from_year`` <= year <= ``to_year`` (empty bounds
        open) are taken; ``None`` takes the rows without ``to_year`` (today's).
    served
        Station ids the graph serves (:func:`served_stations`).
    cities
        Further city adcodes to list (e.g. every city of the region): a city without a
        row in ``table`` (a city without rail) is listed as not connected.

    Returns
    -------
    pandas.DataFrame
        Index ``city_adcode`` (every city of ``table`` and ``cities``, sorted): ``main_stations`` (ids
        valid in the year, ``main`` first), ``served_main_stations`` (those served) and
        ``note``: empty when the ``main`` station is served; else which main station is
        not served and whether the city's other main stations of the year stand in or
        the city is not connected.

    Examples
    --------
    >>> years = pd.array([2010, None, 2020], dtype="Int64")
    >>> t = pd.DataFrame({"city_adcode": [1, 1, 2], "station_id": ["a", "b", "c"],
    ...                   "role": ["main", "also_main", "main"],
    ...                   "from_year": years, "to_year": pd.array([None] * 3, dtype="Int64")})
    >>> r = main_stations_in_year(t, 2015, served=["b"])
    >>> r.loc[1, "served_main_stations"], r.loc[2, "served_main_stations"]
    (['b'], [])
    >>> r.loc[1, "note"]
    'main station a not served by this graph: b used'
    """
    ok = set(served)
    valid = _valid(table, year)
    rows = {}
    listed = {int(x) for x in table["city_adcode"].unique()}
    for c in sorted(listed | {int(x) for x in cities}):
        v = valid[valid["city_adcode"] == c]
        ids = [str(s) for s in v.sort_values("role", key=lambda r: r != "main", kind="stable")["station_id"]]
        use = [s for s in ids if s in ok]
        gone = [s for s in ids if s not in ok]
        if c not in listed:
            note = "no main station listed (main_stations.csv; a city without rail): not connected"
        elif not ids:
            when = "today" if year is None else f"in {year}"
            note = f"no main station {when} (main_stations.csv): not connected"
        elif not use:
            note = f"main station {', '.join(gone)} not served by this graph: not connected"
        elif ids[0] not in ok:
            note = f"main station {', '.join(gone)} not served by this graph: {', '.join(use)} used"
        else:
            note = ""
        rows[c] = {"main_stations": ids, "served_main_stations": use, "note": note}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["main_stations", "served_main_stations", "note"])
    return out.rename_axis("city_adcode")


def city_main_station_times(
    S: pd.DataFrame, table: pd.DataFrame, year: int | None, *, in_year: pd.DataFrame | None = None
) -> pd.DataFrame:
    r"""Fastest train between the main stations of every two cities in a year (``station_fastest_main``).

    .. math:: T^{main}_{AB}(y) = \min_{a \in M_A(y),\; b \in M_B(y)} T_{ab}

    over the main stations valid in ``year`` that ``S`` serves (:func:`main_stations_in_year`).

    Parameters
    ----------
    S
        Station-to-station minutes (:func:`yrdnet.station_times`).
    table
        :func:`yrdnet.load_main_stations`.
    year
        The scenario year (``None``: today's main stations).
    in_year
        :func:`main_stations_in_year` of ``table``, ``year`` and ``S``'s served stations,
        when already at hand (its ``served_main_stations`` are read).

    Returns
    -------
    pandas.DataFrame
        Cities x cities (sorted adcodes of the cities with a served main station),
        minutes, as :func:`city_station_times`; a city without one is absent (not
        connected).

    Examples
    --------
    >>> ids = ["sh", "border", "sz"]  # a border station of city 1 lies 25 min from city 2's main station
    >>> S = pd.DataFrame([[0, 7, 30], [7, 0, 25], [30, 25, 0]], index=ids, columns=ids, dtype=float)
    >>> none = pd.array([None, None], dtype="Int64")
    >>> t = pd.DataFrame({"city_adcode": [1, 2], "station_id": ["sh", "sz"], "role": ["main", "main"],
    ...                   "from_year": none, "to_year": none})
    >>> main = city_main_station_times(S, t, 2025).loc[1, 2]
    >>> any_ = city_station_times(S, {"sh": 1, "border": 1, "sz": 2}).loc[1, 2]
    >>> float(main), float(any_)
    (30.0, 25.0)
    """
    res = main_stations_in_year(table, year, served_stations(S)) if in_year is None else in_year
    city_of = {s: int(cast(int, c)) for c, ids in res["served_main_stations"].items() for s in ids}
    return city_station_times(S, city_of)


def city_times_from_legs(
    legs: RailLegs, tau: float, city_ofs: Sequence[Mapping[str, int]]
) -> list[pd.DataFrame] | None:
    r""":func:`city_station_times` of :func:`yrdnet.station_times` for each ``city_of``, without the station matrix.

    :math:`T_{AB} = \min_{a \in S_A, b \in S_B} T_{ab}` with
    :math:`T_{ab} = (d_{ab} - \tau) / 60`: as that map is non-decreasing, the minimum of
    the minutes is the map of the minimum distance, and
    :math:`\min_{a \in S_A} d_{ab}` is one Dijkstra run per city
    (:func:`yrdnet.routing.matrices.group_seconds`), the same numbers bit for bit as
    ``city_station_times(station_times(G, legs=legs), city_of)``.

    Parameters
    ----------
    legs
        :func:`yrdnet.routing.matrices.rail_legs` of the graph.
    tau
        Connection time, seconds (:func:`yrdnet.routing.matrices.transfer_seconds`).
    city_ofs
        Station id -> city adcode, one mapping per matrix wanted.

    Returns
    -------
    list of pandas.DataFrame or None
        One :func:`city_station_times` per mapping; ``None`` when a leg weight is negative
        or not finite (then compute the station matrix).
    """
    ids = [h[3:] for h in legs.halls]
    plans = []
    groups: list[np.ndarray] = []
    for city_of in city_ofs:
        pos = np.array([i for i, s in enumerate(ids) if s in city_of], dtype=np.int64)
        grp = np.array([int(city_of[ids[i]]) for i in pos], dtype=np.int64)
        cities = sorted(set(grp.tolist()))
        order = np.argsort(grp, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(grp[order]) != 0]) if len(pos) else np.zeros(0, dtype=np.int64)
        plans.append((cities, len(groups), pos[order], starts))
        bounds = np.r_[starts, len(pos)]
        groups.extend(pos[order][a:b] for a, b in itertools.pairwise(bounds.tolist()))
    sec = group_seconds(legs, tau, groups)
    if sec is None:
        return None
    out = []
    for cities, first, cols, starts in plans:
        block = sec[first : first + len(cities)][:, cols]
        m = np.minimum.reduceat(block, starts, axis=1) if len(cols) else np.full((len(cities), len(cities)), np.inf)
        minutes = np.where(np.isfinite(m), (m - tau) / 60.0, np.inf)
        np.fill_diagonal(minutes, 0.0)
        idx = pd.Index(cities, name="adcode")
        out.append(pd.DataFrame(minutes, index=idx, columns=idx.rename(None)))
    return out

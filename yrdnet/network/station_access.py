"""Sourced access times from a city's centre to its rail stations (``station_access.csv``).

The graph's default access leg is a drive (``access_detour`` x geodesic km at
``access_speed_kph``). Where a published source gives the time from the city's centre
(or a central landmark) to one of its stations, :func:`access_minutes` gives the time the
graph uses instead (when ``TravelTimeModel.sourced_access`` is on):

1. rows that start at another station ("STATION-TO-STATION" in ``notes``) are dropped;
2. per station and mode (metro, taxi, drive, bus), the median of the rows' minutes;
3. per station, the fastest mode (a traveller takes the quickest way there).

The rows are weak (landmarks rather than the exact centre, travel guides and Q&A pages;
see ``data/station_access.md``), so they replace the drive model only for the stations
they name, in the station's own city.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from yrdnet.core.validation import Column, Problems, did_you_mean
from yrdnet.region.datasets import data_path, load_cities, load_stations, read_validated

__all__ = ["access_minutes", "load_station_access"]

_COLS = (
    Column("station_id"),
    Column("city_adcode", "adcode"),
    Column("from_point"),
    Column("minutes", "float", positive=True, hi=300),
    Column("minutes_low", "float", required=False, positive=True, hi=300),
    Column("minutes_high", "float", required=False, positive=True, hi=300),
    Column("mode", "choice", choices=("metro", "taxi", "drive", "bus", "walk")),
    Column("year", "year", required=False),
    Column("source"),
    Column("notes", required=False),
)


def load_station_access(path: str | Path | None = None) -> pd.DataFrame:
    """Load the published centre-to-station access times.

    Parameters
    ----------
    path
        Alternative ``station_access.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per published statement: ``station_id``, ``city_adcode``, ``from_point``,
        ``minutes`` (midpoint of a range), ``minutes_low``, ``minutes_high``, ``mode``,
        ``year``, ``source``, ``notes``.

    Raises
    ------
    DataError
        Naming the file, row and column of every problem (unknown station or city,
        non-positive minutes, unknown mode).

    Examples
    --------
    >>> t = load_station_access()
    >>> bool((t["minutes"] > 0).all())
    True
    """
    p = data_path(path, "station_access.csv")
    df = read_validated(p, _COLS)
    stations = load_stations()
    cities = set(load_cities().index)
    probs = Problems(p)
    for i, rec in enumerate(df.to_dict("records")):
        if rec["station_id"] not in stations.index:
            probs.add(
                i + 2,
                "station_id",
                f"unknown station {rec['station_id']!r}{did_you_mean(rec['station_id'], stations.index)}",
            )
        if rec["city_adcode"] not in cities:
            probs.add(
                i + 2, "city_adcode", f"unknown city {rec['city_adcode']}{did_you_mean(rec['city_adcode'], cities)}"
            )
    probs.raise_if_any()
    return df


def access_minutes(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Access minutes per (city, station) from the published rows, by the rule above.

    Parameters
    ----------
    table
        Rows as from :func:`load_station_access` (default: the shipped file).

    Returns
    -------
    pandas.DataFrame
        Index ``station_id``; columns ``city_adcode``, ``minutes``, ``mode`` (the fastest
        mode's median), ``rows`` (statements behind it).

    Examples
    --------
    >>> a = access_minutes()
    >>> float(a.loc["shanghai_hongqiao", "minutes"])
    50.0
    """
    t = load_station_access() if table is None else table
    notes = t["notes"].fillna("").astype(str) if "notes" in t else pd.Series("", index=t.index)
    t = t[~notes.str.contains("STATION-TO-STATION", case=False)]
    per_mode = t.groupby(["station_id", "city_adcode", "mode"])["minutes"].agg(["median", "size"]).reset_index()
    per_mode = per_mode.sort_values(["station_id", "median", "mode"], kind="stable")
    best = per_mode.groupby("station_id", sort=True).first()
    return pd.DataFrame(
        {
            "city_adcode": best["city_adcode"].astype(int),
            "minutes": best["median"].astype(float),
            "mode": best["mode"].astype(str),
            "rows": best["size"].astype(int),
        }
    )

r"""Airport accessibility: time to the nearest airport and the nearest international hub.

Airports are points (:func:`yrdnet.datasets.load_airports`). They are **attached to a
zone** — the zone whose polygon contains the airport, else the zone with the nearest
seat — and the time from zone :math:`i` to airport :math:`a` is the door-to-door time to
that zone, :math:`T_{i, z(a)}`. The last kilometres from the zone's seat to the terminal
are not modelled (the same for every year and scenario, so changes are the network's).

Airports open and close (``opened`` / ``closed`` in ``data/airports.csv``): the analysis of
a network year uses :func:`airports_in_year`, so a 2010 network reaches Hefei Luogang and
Lianyungang Baitabu, not the airports that replaced them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.geodesy import haversine_km

__all__ = ["airport_zones", "airports_in_year", "time_to_airports"]

#: Airport roles (``data/airports.csv``).
ROLES = ("international_hub", "regional")


def airports_in_year(airports: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The airports with civil flights in ``year``: ``opened <= year < closed``.

    An empty ``opened`` counts as open in every year, an empty ``closed`` as still open;
    a table without these columns is returned whole.

    Parameters
    ----------
    airports
        Airports (:func:`yrdnet.datasets.load_airports`), optional ``opened`` and
        ``closed`` year columns.
    year
        The network year; ``None`` (unknown): the airports open today (``closed`` empty).

    Returns
    -------
    pandas.DataFrame
        The rows of ``airports`` in service, in their order.

    Raises
    ------
    DataError
        If two airports in service share a code (their dates overlap).

    Examples
    --------
    >>> ap = pd.DataFrame({"opened": [1977, 2013], "closed": [2013, None]}, index=["HFE", "HFE"])
    >>> ap = ap.astype("Int64")
    >>> airports_in_year(ap, 2010)["opened"].tolist(), airports_in_year(ap, 2013)["opened"].tolist()
    ([1977], [2013])
    """
    opened = _years(airports, "opened")
    closed = _years(airports, "closed")
    keep = closed.isna() if year is None else (opened.isna() | (opened <= year)) & (closed.isna() | (closed > year))
    out = airports[keep.to_numpy(bool)]
    dup = out.index[out.index.duplicated()]
    if len(dup):
        raise DataError(f"airports_in_year: codes {sorted(set(dup))} are in service twice in {year}; fix opened/closed")
    return out


def _years(airports: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` as nullable years (all missing when the table lacks it)."""
    if col not in airports.columns:
        return pd.Series(pd.NA, index=airports.index, dtype="Int64")
    return pd.to_numeric(airports[col], errors="raise").astype("Int64")


def airport_zones(airports: pd.DataFrame, zones: pd.DataFrame, polygons: object | None = None) -> pd.Series:
    """The zone each airport is attached to: the polygon holding it, else the nearest seat.

    Parameters
    ----------
    airports
        ``lon``, ``lat`` per airport (index the airport code).
    zones
        Zone seats: ``lon``, ``lat`` (index zone id).
    polygons
        Optional zone polygons (a GeoSeries indexed by zone id, EPSG:4326).

    Returns
    -------
    pandas.Series
        Zone id per airport (row by row, so a code of several sites repeats), named ``"zone"``.

    Examples
    --------
    >>> ap = pd.DataFrame({"lon": [121.8], "lat": [31.1]}, index=["PVG"])
    >>> z = pd.DataFrame({"lon": [121.47, 120.6], "lat": [31.23, 31.3]}, index=[310000, 320500])
    >>> airport_zones(ap, z).tolist()
    [310000]
    """
    out = []
    for _, r in airports.iterrows():
        zone = None
        if polygons is not None:
            from shapely.geometry import Point

            pt = Point(float(r["lon"]), float(r["lat"]))
            hits = [z for z, g in polygons.items() if g is not None and not g.is_empty and g.contains(pt)]  # type: ignore[attr-defined]
            zone = hits[0] if len(hits) == 1 else None
        if zone is None:
            d = haversine_km(
                float(r["lon"]), float(r["lat"]), zones["lon"].to_numpy(float), zones["lat"].to_numpy(float)
            )
            zone = zones.index[int(np.argmin(d))]
        out.append(zone)
    return pd.Series(out, index=airports.index, name="zone")


def time_to_airports(
    T: pd.DataFrame, attached: pd.Series, roles: pd.Series, *, kinds: Sequence[str] = ("any", "international_hub")
) -> pd.DataFrame:
    r"""Time from each zone to its nearest airport of each kind, minutes.

    .. math:: t^{K}_i = \min_{a \in K} T_{i, z(a)}

    Parameters
    ----------
    T
        Door-to-door travel times (zones), minutes.
    attached
        Zone per airport (:func:`airport_zones`).
    roles
        Role per airport (``international_hub`` or ``regional``).
    kinds
        ``"any"`` (every airport) and/or a role.

    Returns
    -------
    pandas.DataFrame
        One column per kind, ``time_to_airport_min`` for ``"any"`` else
        ``time_to_<role>_min``; ``inf`` if none is reachable; 0 in an airport's zone.

    Raises
    ------
    DataError
        If no airport of a kind lies in a zone of ``T``, or a code repeats (several
        years' sites: :func:`airports_in_year` picks one year's).

    Examples
    --------
    >>> T = pd.DataFrame([[0, 50], [50, 0]], index=[1, 2], columns=[1, 2], dtype=float)
    >>> t = time_to_airports(T, pd.Series({"A": 1, "B": 2}), pd.Series({"A": "international_hub", "B": "regional"}))
    >>> t.to_numpy().tolist()
    [[0.0, 0.0], [0.0, 50.0]]
    """
    dup = attached.index[attached.index.duplicated()]
    if len(dup):
        raise DataError(f"time_to_airports: airport codes {sorted(set(dup))} repeat; pick a year (airports_in_year)")
    cols = {}
    arr = T.to_numpy(float)
    for k in kinds:
        sel = attached.index if k == "any" else roles.index[roles == k]
        zs = [z for z in attached.reindex(sel) if z in T.columns]
        if not zs:
            raise DataError(f"time_to_airports: no {k} airport lies in a zone of T")
        idx = T.columns.get_indexer(pd.Index(sorted(set(zs))))
        name = "time_to_airport_min" if k == "any" else f"time_to_{k}_min"
        cols[name] = arr[:, idx].min(axis=1)
    return pd.DataFrame(cols, index=T.index)

r"""Suburban and cross-boundary urban rail as a mode of its own (``suburban_lines.csv``).

Metro lines that reach into neighbouring counties and cities, suburban railways and
intercity metros (市域/市郊铁路, 城际地铁) are how a metropolitan area becomes "same-city"
(同城化). They run on their own track at their own frequencies, so they are neither the
HSR/intercity lines of ``lines.csv`` nor roads: each open line gives edges
``mode="suburban"`` from station hall to station hall (``st:<id>``), between every ordered
pair of its listed stops, in both directions. Zones reach the halls by the access edges
of every station hall (:func:`yrdnet.network.hall_access.city_access_edges`,
:func:`yrdnet.network.hall_access.zone_access_edges`); a stop that is a rail station is the same
hall, so changing between the two modes is an alighting plus a new wait, as between two
rail services.

An edge from stop :math:`i` to stop :math:`j` of a line costs

.. math::

    t_{ij} = w + T \, \frac{|D_j - D_i|}{D_n} + a, \qquad
    D_k = \sum_{m=1}^{k} g(s_{m-1}, s_m),

where :math:`T` is the line's published end-to-end run time of the listed section
(``run_time_min``), :math:`g` the geodesic distance between consecutive listed stops
(the run time is shared out in proportion to it), :math:`a` the model's alighting time
(``alight_min``) and :math:`w` the expected wait of a traveller arriving at a random time
of the service day, half the mean headway [1]_ [2]_ (at most ``max_wait_min``, as for rail
services):

.. math::

    w = \min\Bigl(\tfrac{1}{2}\bar h,\; w_{max}\Bigr), \qquad
    \bar h = \frac{P\, h_{peak} + (S - P)\, h_{off}}{S}
    \quad\text{or}\quad \bar h = \frac{60\, S}{N},

with :math:`S` the line's service hours (``service_hours``, else the model's
``service_hours``), :math:`P` the peak hours a day (``suburban_peak_hours``, at most
:math:`S`), :math:`h_{peak}`, :math:`h_{off}` the published headways in minutes and
:math:`N` the trains a day per direction (``trains_per_day``), used when no headway is
published (railway-run lines). A missing off-peak headway is the model's
``suburban_headway_min`` (at least the peak one); a missing peak headway is the off-peak
one.
Edge lengths share out ``length_km`` (the sourced route length) in the same proportion,
else they are the geodesic kilometres times ``rail_detour``.

A line runs in ``year`` when ``opened <= year`` and it has not closed
(``closed`` empty or later than ``year``); a later extension is its own row (the earlier
row closes in the year the extended service starts), so through trains need no change.

References
----------
.. [1] Larson, R. C. and Odoni, A. R. (1981). *Urban Operations Research*. Prentice-Hall,
   section 2.12 (random incidence: with regular headways :math:`h` the mean wait is
   :math:`h/2`). http://web.mit.edu/urban_or_book/www/book/
.. [2] Osuna, E. E. and Newell, G. F. (1972). "Control strategies for an idealized public
   transportation system." *Transportation Science* 6(1), 52-72.
   https://doi.org/10.1287/trsc.6.1.52
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.params import TravelTimeModel
from yrdnet.core.validation import Column, Problems, Ref, did_you_mean
from yrdnet.region.datasets import data_path, load_stations, read_validated

__all__ = [
    "SUBURBAN_KINDS",
    "load_suburban_lines",
    "mean_headway_min",
    "service_span_hours",
    "suburban_lines_of_year",
    "suburban_links",
    "suburban_stops",
]

#: Kinds of suburban lines: a city's metro line, a suburban railway, a metro between cities.
SUBURBAN_KINDS = ("metro", "suburban_rail", "intercity_metro")

_COLUMNS = (
    Column("line_id"),
    Column("name_zh"),
    Column("name_en"),
    Column("kind", "choice", choices=SUBURBAN_KINDS),
    Column("opened", "year"),
    Column("closed", "year", required=False),
    Column("stops", "list"),
    # upper bounds: typo guards (a suburban run within a service day; a train at least every 4 h)
    Column("run_time_min", "float", positive=True, hi=600),
    Column("headway_peak_min", "float", required=False, positive=True, hi=240),
    Column("headway_offpeak_min", "float", required=False, positive=True, hi=240),
    Column("trains_per_day", "float", required=False, positive=True, hi=1000),
    Column("service_hours", required=False),
    Column("length_km", "float", required=False, positive=True, hi=500),
    Column("source"),
)
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def service_span_hours(text: str) -> float:
    """Hours of a service day written ``"HH:MM-HH:MM"`` (a last train after midnight adds 24 h).

    Examples
    --------
    >>> service_span_hours("06:00-22:30")
    16.5
    >>> service_span_hours("05:30-00:30")
    19.0
    """
    m = _SPAN.match(str(text).strip())
    if m is None:
        msg = f"expected 'HH:MM-HH:MM', found {text!r}"
        raise ValueError(msg)
    h0, m0, h1, m1 = (int(x) for x in m.groups())
    if h0 > 23 or h1 > 23 or m0 > 59 or m1 > 59:
        msg = f"expected clock times 00:00-23:59, found {text!r}"
        raise ValueError(msg)
    start, end = h0 + m0 / 60.0, h1 + m1 / 60.0
    return end - start if end > start else end + 24.0 - start


def _row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    stops = rec["stops"] or []
    if len(stops) < 2:
        probs.add(line, "stops", f"expected at least 2 stops, found {len(stops)}")
    repeated = sorted({s for s in stops if stops.count(s) > 1})
    if repeated:
        probs.add(line, "stops", f"a line passes each stop once; repeated: {repeated}")
    if rec["opened"] is not None and rec["closed"] is not None and rec["closed"] <= rec["opened"]:
        probs.add(line, "closed", f"expected a year after opened {rec['opened']}, found {rec['closed']}")
    freq = ("headway_peak_min", "headway_offpeak_min", "trains_per_day")
    if all(rec[c] is None for c in freq) and "unverified" not in str(rec.get("source") or ""):
        probs.add(line, "headway_offpeak_min", "expected a headway or trains_per_day (or 'unverified' in source)")
    if rec["service_hours"] is not None:
        try:
            service_span_hours(rec["service_hours"])
        except ValueError as e:
            probs.add(line, "service_hours", str(e))


def load_suburban_lines(path: str | Path | None = None, *, stations_path: str | Path | None = None) -> pd.DataFrame:
    """Load suburban and cross-boundary urban rail lines (``suburban_lines.csv``), validated.

    Parameters
    ----------
    path
        The table (default: the shipped ``suburban_lines.csv``).
    stations_path
        The station table the stops refer to (default: the shipped ``stations.csv``).

    Returns
    -------
    pandas.DataFrame
        Index ``line_id`` (sorted); columns ``name_zh``, ``name_en``, ``kind``, ``opened``
        and ``closed`` (nullable Int64), ``stops`` (list of station ids),
        ``run_time_min``, ``headway_peak_min``, ``headway_offpeak_min``,
        ``trains_per_day``, ``length_km`` (float, NaN when empty), ``service_hours``
        (str or None), ``source``.

    Raises
    ------
    DataError
        Every problem at once, naming the file, row and field: a missing column, an
        unknown kind, a duplicate line id, an unknown station (with close matches), fewer
        than two stops or a repeated one, two consecutive stops at the same point, a
        run time or headway that is not a positive number, a line without any frequency
        whose source does not say "unverified", a year out of range or ``closed`` not
        after ``opened``, a service span that is not ``HH:MM-HH:MM``.
    """
    p = data_path(path, "suburban_lines.csv")
    stations = load_stations(stations_path)
    refs = [Ref("stops", frozenset(stations.index), "station")]
    df = read_validated(p, _COLUMNS, key="line_id", row_checks=[_row_check], refs=refs)
    _check_distinct_points(df, stations, p)
    for c in ("opened", "closed"):
        df[c] = pd.array(df[c], dtype="Int64")  # type: ignore[call-overload]  # pandas-stubs: pd.array takes a Series
    for c in ("run_time_min", "headway_peak_min", "headway_offpeak_min", "trains_per_day", "length_km"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df.set_index("line_id").sort_index()


def _check_distinct_points(df: pd.DataFrame, stations: pd.DataFrame, path: Path) -> None:
    """Consecutive stops must be apart: the run time is shared out by distance."""
    probs = Problems(path)
    lon, lat = stations["lon"].astype(float).to_dict(), stations["lat"].astype(float).to_dict()
    for i, stops in enumerate(df["stops"]):
        for a, b in itertools.pairwise(stops):
            if a in lon and b in lon and float(haversine_km(lon[a], lat[a], lon[b], lat[b])) == 0.0:
                probs.add(i + 2, "stops", f"consecutive stops {a!r} and {b!r} are at the same point")
    probs.raise_if_any()


def _empty() -> pd.DataFrame:
    cols = [c.name for c in _COLUMNS if c.name != "line_id"]
    return pd.DataFrame(columns=cols, index=pd.Index([], name="line_id"))


def suburban_lines_of_year(model: TravelTimeModel, year: int | None, lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """The suburban lines running in ``year`` (none when ``model.suburban`` is off).

    A line runs when ``opened <= year`` and ``closed`` is empty or later than ``year``;
    ``year=None`` keeps every line that has not closed. ``lines`` defaults to
    :func:`load_suburban_lines`. Rows are sorted by line id.
    """
    if not model.suburban:
        return _empty()
    t = load_suburban_lines() if lines is None else lines
    closed = t["closed"].astype("Float64")
    if year is None:
        keep = closed.isna()
    else:
        keep = (t["opened"].astype("Float64") <= year).fillna(False) & (closed.isna() | (closed > year)).fillna(False)
    return t[keep.astype(bool).to_numpy()].sort_index()


def suburban_stops(lines: pd.DataFrame) -> list[str]:
    """Every station id a set of suburban lines stops at, sorted."""
    return sorted({str(s) for stops in lines["stops"] for s in stops})


def mean_headway_min(row: pd.Series, model: TravelTimeModel) -> float:
    r"""The service-hour mean headway :math:`\bar h` (minutes) of a line (formula in the module docstring)."""
    hours = _hours(row, model)
    peak, off = _num(row.get("headway_peak_min")), _num(row.get("headway_offpeak_min"))
    tpd = _num(row.get("trains_per_day"))
    if peak is None and off is None and tpd is not None:
        return 60.0 * hours / tpd
    if off is None:
        off = max(model.suburban_headway_min, peak or 0.0)
    if peak is None:
        peak = off
    p = min(model.suburban_peak_hours, hours)
    return (p * peak + (hours - p) * off) / hours


def _num(v: Any) -> float | None:
    if v is None:
        return None
    x = float(v)
    return None if math.isnan(x) else x


def _stop_points(lid: str, stops: list[str], stations: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    missing = [s for s in stops if s not in stations.index]
    if missing:
        msg = f"suburban line {lid!r}: unknown station(s) {missing}{did_you_mean(missing[0], stations.index)}"
        raise DataError(msg)
    st = stations.loc[stops]
    return st["lon"].to_numpy(float), st["lat"].to_numpy(float)


def suburban_links(
    lines: pd.DataFrame, stations: pd.DataFrame, model: TravelTimeModel
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    r"""``(station id, station id, attrs)`` of the suburban edges of ``lines``, both directions.

    One edge per ordered pair of a line's stops, lines in id order, pairs in stop order
    (forward then backward). Attributes: ``mode="suburban"``, ``line`` and ``service``
    (the line id), ``kind``, ``trains_per_day`` (published, else :math:`60 S / \bar h`),
    ``wait_s``, ``in_vehicle_s``, ``alight_s``, ``travel_time`` (their sum), ``length``
    (m) and ``speed_kph`` (formulas in the module docstring).

    Raises
    ------
    DataError
        When a stop is not in ``stations`` (e.g. a scenario's station table).
    """
    alight_s = model.alight_min * 60.0
    for lid in sorted(lines.index):
        row = lines.loc[lid]
        stops = [str(s) for s in row["stops"]]
        lon, lat = _stop_points(str(lid), stops, stations)
        cum = np.concatenate([[0.0], np.cumsum(haversine_km(lon[:-1], lat[:-1], lon[1:], lat[1:]))])
        length_km = _num(row.get("length_km"))
        km_total = length_km if length_km is not None else float(cum[-1]) * model.rail_detour
        headway = mean_headway_min(row, model)
        wait_s = min(headway / 2.0, model.max_wait_min) * 60.0
        tpd = _num(row.get("trains_per_day"))
        trains = tpd if tpd is not None else 60.0 * _hours(row, model) / headway
        common = {"mode": "suburban", "line": str(lid), "service": str(lid), "kind": str(row["kind"])}
        n = len(stops)
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
        for i, j in [*pairs, *((j, i) for i, j in pairs)]:
            share = float(abs(cum[j] - cum[i]) / cum[-1])
            ride = float(row["run_time_min"]) * 60.0 * share
            km = km_total * share
            yield (
                stops[i],
                stops[j],
                {
                    **common,
                    "trains_per_day": float(trains),
                    "wait_s": wait_s,
                    "in_vehicle_s": ride,
                    "alight_s": alight_s,
                    "length": km * 1000.0,
                    "speed_kph": km / ride * 3600.0 if ride > 0 else 0.0,
                    "travel_time": wait_s + ride + alight_s,
                },
            )


def _hours(row: pd.Series, model: TravelTimeModel) -> float:
    """A line's service hours: its published span, else the model's ``service_hours``."""
    span = row.get("service_hours")
    return service_span_hours(span) if isinstance(span, str) and span else model.service_hours

"""Track: segments of the open lines and the running time of a train between two stops.

A line (``lines.csv``) is a chain of track segments between adjacent stations. Each
segment has a length (the line's sourced length shared out in proportion to the geodesic
distances of its stops, else the geodesic distance times ``rail_detour``), the line's
operating speed and the line's running factor (fitted per line on the 2016 timetable,
``line_running_2016.csv``; ``TravelTimeModel.rail_speed_factor`` for other lines).
:func:`run_seconds` turns the segments between two consecutive stops into seconds with a
trapezoidal speed profile. Services (:mod:`yrdnet.services`) run on these segments.
"""

from __future__ import annotations

import itertools
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataWarning
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.params import TravelTimeModel
from yrdnet.core.validation import Column
from yrdnet.network.feeds import feed_file
from yrdnet.region.datasets import data_path, read_validated

__all__ = ["Segment", "fastest_segments", "line_segments", "load_line_factors", "run_seconds", "segment_table"]


@dataclass(frozen=True)
class Segment:
    """One stretch of track between adjacent stations of an open line.

    ``factor`` is the line's running-time factor (share of ``speed_kph`` achieved at
    cruise): fitted per line on the 2016 timetable (``line_running_2016.csv``), else
    ``TravelTimeModel.rail_speed_factor``.
    """

    km: float
    speed_kph: float
    line: str
    factor: float = 1.0


def load_line_factors(path: str | Path | None = None, *, feed: int | None = None) -> dict[str, float]:
    """Per-line running-time factors fitted on a timetable feed (default 2016, ``line_running_2016.csv``).

    Parameters
    ----------
    path
        A running-factors CSV (default: the file of ``feed``).
    feed
        Feed year declared in ``region.toml`` (:mod:`yrdnet.network.feeds`); default 2016.
        The factors a network year uses: :func:`yrdnet.network.history.timetable_for_year`.

    Returns
    -------
    dict
        ``line_id -> speed_factor``.

    Raises
    ------
    DataError
        Naming the file, row and field of a bad value; for a ``feed``, a feed not declared
        or a file not there.

    Examples
    --------
    >>> f = load_line_factors()
    >>> 0.3 < f["beijing_shanghai_hsr"] <= 1.2
    True
    """
    if path is None and feed is not None:
        path = feed_file(feed, "line_running")
    p = data_path(path, "line_running_2016.csv")
    df = read_validated(p, _factor_cols(p), key="line_id")
    return {str(k): float(v) for k, v in zip(df["line_id"], df["speed_factor"], strict=True)}


def _factor_cols(path: Path) -> tuple[Column, ...]:
    """Columns of a running-factors file; the count column is named after its feed (``segments_in_2016_services``)."""
    try:
        head = [str(c) for c in pd.read_csv(path, nrows=0, encoding="utf-8").columns]
    except (OSError, ValueError, UnicodeDecodeError):
        head = []  # read_validated reports the unreadable file
    seg = next((c for c in head if re.fullmatch(r"segments_in_\d{4}_services", c)), "segments_in_2016_services")
    return (
        Column("line_id"),
        Column("speed_factor", "float", positive=True, hi=1.5),
        Column(seg, "int", lo=0),
        Column("source"),
    )


def _segment_km(
    stops: list[str], stations: pd.DataFrame, length_km: float, model: TravelTimeModel, line: str
) -> np.ndarray:
    """Track km between consecutive stops: geodesic scaled to the sourced length, else x ``rail_detour``."""
    lon = stations.loc[stops, "lon"].to_numpy(float)
    lat = stations.loc[stops, "lat"].to_numpy(float)
    d = haversine_km(lon[:-1], lat[:-1], lon[1:], lat[1:])
    total = float(d.sum())
    if length_km and not np.isnan(length_km) and total > 0:
        ratio = length_km / total
        if not 0.95 <= ratio <= 1.8:
            warnings.warn(
                f"line {line}: length {length_km:.1f} km is {ratio:.2f} x the geodesic sum of its stops "
                "(expected 0.95-1.8); check its stop list and length",
                DataWarning,
                stacklevel=5,
            )
        return np.asarray(d * ratio)
    return np.asarray(d * model.rail_detour)


def segment_table(
    lines: pd.DataFrame,
    stations: pd.DataFrame,
    model: TravelTimeModel,
    factors: dict[str, float] | None = None,
) -> dict[tuple[str, str], Segment]:
    """Track segments of the given (open) lines, both directions.

    Where two lines share a pair of adjacent stations the segment with the shorter pure
    running time is kept, so adding a line never slows a segment.

    Parameters
    ----------
    lines, stations
        Open lines and the station table.
    model
        Travel-time parameters (``rail_detour``, ``rail_speed_factor``,
        ``line_speed_factors``).
    factors
        Per-line running-time factors (default :func:`load_line_factors` when
        ``model.line_speed_factors``, else none); other lines use
        ``model.rail_speed_factor``.

    Returns
    -------
    dict
        ``(from_station, to_station) -> Segment``.
    """
    return fastest_segments(line_segments(lines, stations, model, factors))


def fastest_segments(by_line: dict[tuple[str, str, str], Segment]) -> dict[tuple[str, str], Segment]:
    """Per pair of adjacent stations, the segment with the shortest pure running time.

    Parameters
    ----------
    by_line
        Segments keyed by ``(line, from, to)`` (:func:`line_segments`), in line order;
        ties keep the first line.

    Returns
    -------
    dict
        ``(from_station, to_station) -> Segment``.
    """
    out: dict[tuple[str, str], Segment] = {}
    for (_, a, b), seg in by_line.items():
        old = out.get((a, b))
        if old is None or seg.km / (seg.factor * seg.speed_kph) < old.km / (old.factor * old.speed_kph):
            out[(a, b)] = seg
    return out


def line_segments(
    lines: pd.DataFrame,
    stations: pd.DataFrame,
    model: TravelTimeModel,
    factors: dict[str, float] | None = None,
) -> dict[tuple[str, str, str], Segment]:
    """Track segments keyed by ``(line, from_station, to_station)``, both directions.

    A service runs on the segments of its own lines (``lines`` column) where they exist,
    so a new parallel line does not change how an existing service runs. A line whose
    ``track_stops`` (:func:`yrdnet.network.history.restrict_lines`) hold stations its
    ``stops`` skip (closed that year) runs through them: the segment between two open
    stops is the sum of the track segments between them.
    """
    if factors is None:
        factors = load_line_factors() if model.line_speed_factors else {}
    out: dict[tuple[str, str, str], Segment] = {}
    for lid, ln in lines.iterrows():
        stops = list(ln["stops"])
        track = ln.get("track_stops")
        track = list(track) if isinstance(track, list) and track else stops
        km = _segment_km(track, stations, ln.get("length_km", np.nan), model, str(lid))
        if track != stops:  # a station closed that year: the segments beside it merge
            km = np.diff(np.concatenate([[0.0], np.cumsum(km)])[_positions(stops, track)])
        f = float(factors.get(str(lid), model.rail_speed_factor))
        for k, (a, b) in enumerate(itertools.pairwise(stops)):
            seg = Segment(float(km[k]), float(ln["operating_speed_kph"]), str(lid), f)
            out[(str(lid), a, b)] = out[(str(lid), b, a)] = seg
    return out


def _positions(stops: list[str], track: list[str]) -> np.ndarray:
    """Index of each stop in ``track`` (a subsequence, in order)."""
    pos, j = [], 0
    for s in stops:
        while track[j] != s:
            j += 1
        pos.append(j)
    return np.asarray(pos, dtype=np.int64)


def _route_segments(
    route: list[str],
    own: list[str],
    segments: dict[tuple[str, str], Segment],
    by_line: dict[tuple[str, str, str], Segment] | None,
) -> list[Segment]:
    out = []
    for a, b in itertools.pairwise(route):
        seg = None
        if by_line is not None:
            seg = next((by_line[(ln, a, b)] for ln in own if (ln, a, b) in by_line), None)
        out.append(seg if seg is not None else segments[(a, b)])
    return out


def run_seconds(segments: list[Segment], cap_kph: float, accel_ms2: float) -> float:
    r"""Seconds for one run between consecutive stops (trapezoidal speed profile).

    .. math::

        t = \sum_s \frac{L_s}{f_s \min(v_s, v_{cap})} + \frac{v_c}{a}
        \quad (L \ge v_c^2 / a), \qquad t = 2\sqrt{L / a} \quad \text{otherwise}

    with :math:`v_c = \max_s f_s \min(v_s, v_{cap})` the cruising speed, :math:`L` the
    run's length and :math:`a` the acceleration and braking rate: a train accelerating
    and braking at ``a`` loses ``v_c / a`` against running the whole way at cruise, and a
    run too short to reach cruise takes :math:`2\sqrt{L/a}`.

    Parameters
    ----------
    segments
        The run's track segments, in order.
    cap_kph
        Top speed of the train class (``inf`` for none).
    accel_ms2
        Acceleration and braking rate, m/s².

    Returns
    -------
    float
        Seconds.

    Examples
    --------
    >>> round(run_seconds([Segment(100.0, 300.0, "x", 1.0)], float("inf"), 0.25))  # 1200 s + 333 s
    1533
    """
    pure = sum(s.km / (s.factor * min(s.speed_kph, cap_kph)) * 3600.0 for s in segments)
    vc = max(s.factor * min(s.speed_kph, cap_kph) for s in segments) / 3.6
    length_m = sum(s.km for s in segments) * 1000.0
    if length_m >= vc * vc / accel_ms2:
        return pure + vc / accel_ms2
    return 2.0 * float(np.sqrt(length_m / accel_ms2))

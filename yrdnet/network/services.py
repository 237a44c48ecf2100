r"""Rail services: stopping patterns and frequencies that run on the curated lines.

A *line* (``lines.csv``) is track: an ordered list of stations with a length and an
operating speed. A *service* is what passengers ride: an ordered ``route`` of stations
the train passes, the ``stops`` it makes among them (first and last included), its train
class and how many trains a day run it. Two sources give services:

* ``services.csv`` — derived from the 2016 national timetable (``gtfs_yrd_2016.zip``) by
  ``tools/derive_services.py``: every 2016 train clipped to the curated network, grouped
  by identical route, stops and class; ``trains_per_day`` counts the trains. A service
  runs in every network year in which all of its route's track is open.
* :func:`default_services` — for lines the 2016 trains do not cover (lines opened after
  March 2016, planned lines, a scenario's new line): an all-stop service and an express
  stopping at the termini and the stations named after their prefecture city
  (``南京南``, ``苏州北``; not ``昆山南``), both ways, at frequencies derived from the 2016
  services of lines of the same kind (:class:`yrdnet.TravelTimeModel`). A conventional
  line (``kind = conventional``) gets one all-stop K-class service each way, at the
  frequency derived from the 2023 timetable's conventional trains.

In-vehicle time
---------------
A run between two consecutive stops over track segments of ``L_s`` km at speed ``v_s``
(the line's operating speed, capped at the train class's top speed) follows a
trapezoidal speed profile (:func:`run_seconds`):

.. math::

    t_{run} = \sum_s \frac{L_s}{f_s \, \min(v_s, v_{class})} + \frac{v_c}{a}

with ``f_s`` the line's running-time factor (fitted per line on the 2016 timetable,
``line_running_2016.csv``; ``rail_speed_factor`` for other lines), ``v_c`` the cruising
speed and ``a`` = ``rail_accel_ms2``; a run too short to reach cruise takes
:math:`2\sqrt{L/a}`. Each intermediate stop adds ``dwell_min``. A trip from stop ``i``
to stop ``j`` of one service is the sum of its runs and dwells.

Waiting and frequency
---------------------
Between stations ``a`` and ``b`` several services may run; sorted by in-vehicle time
``t_1 \le t_2 \le \dots`` with ``f_i`` trains a day, the *k*-th level of the pair is
"take the first train among services ``1..k``" (the attractive set of the common-lines
problem [1]_ [2]_): its frequency is ``F_k = \sum_{i \le k} f_i``, its expected ride the
frequency-weighted mean ``\bar t_k = \sum_{i \le k} f_i t_i / F_k``, and its cost

.. math::

    c_k = w(F_k) + \bar t_k + a, \qquad
    w(F) = \min\left(\frac{60 H}{2 F}, \; w_{max}\right)

(half the headway over a service day of ``H`` hours, capped at ``w_max``, fitted on the
2016 timetable's mean door-to-door time over departure minutes (R5-style); planned trips
on an infrequent timetable wait less [3]_, so lower ``max_wait_min`` to model those;
``a`` = ``alight_min``). The graph gets one rail edge per level that lowers the pair's cost
(plus the fastest level, whose ride ``t_1`` the policy's "fastest train" definition
needs), from the station hall of ``a`` to that of ``b``. As ``c`` is the smaller of
``60H/(2F) + \bar t`` (minimised over sets by a prefix in ride-time order [1]_) and
``w_max + \bar t`` (minimised by the fastest service alone), the best level is the best
attractive set over all subsets of services; adding a service therefore never raises a
pair's cost, and never lengthens a trip.

References
----------
.. [1] Chriqui, C. and Robillard, P. (1975). "Common bus lines." *Transportation
   Science* 9(2), 115-121. https://doi.org/10.1287/trsc.9.2.115
.. [2] Spiess, H. and Florian, M. (1989). "Optimal strategies: a new assignment model
   for transit networks." *Transportation Research Part B* 23(2), 83-102.
   https://doi.org/10.1016/0191-2615(89)90034-9
.. [3] Fan, W. and Machemehl, R. B. (2009). "Do transit users just wait for buses or wait
   with strategies? Some numerical results that transit planners should see."
   *Transportation Research Record* 2111, 169-176. https://doi.org/10.3141/2111-19
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.core.geodesy import haversine_km
from yrdnet.core.params import TravelTimeModel
from yrdnet.core.validation import Column, Problems, did_you_mean
from yrdnet.network.feeds import feed_file
from yrdnet.network.service_levels import (
    CONVENTIONAL_CLASSES,
    TRAIN_CLASSES,
    _stop_positions,  # noqa: F401  (tools/calibrate_rail.py imports it from here)
    levels_from_records,
    levels_of_pairs,
    pair_levels,
    pair_records,
    service_stop_times,
    wait_seconds,
)
from yrdnet.network.track import Segment, line_segments, load_line_factors, run_seconds, segment_table
from yrdnet.region.datasets import data_path, load_stations, read_validated

__all__ = [
    "CONVENTIONAL_CLASSES",
    "SERVICE_COLUMNS",
    "TRAIN_CLASSES",
    "covered_lines",
    "default_services",
    "levels_from_records",
    "levels_of_pairs",
    "line_segments",
    "load_line_factors",
    "load_services",
    "on_open_track",
    "pair_levels",
    "pair_records",
    "run_seconds",
    "segment_table",
    "service_stop_times",
    "services_for_network",
    "wait_seconds",
]

log = logging.getLogger(__name__)

#: Columns of a services table (``services.csv`` and :func:`default_services`).
SERVICE_COLUMNS = ("service_id", "route", "stops", "train_class", "trains_per_day", "pattern", "lines", "source")

_SERVICE_COLS = (
    Column("service_id"),
    Column("route", "list"),
    Column("stops", "list"),
    Column("train_class", "choice", choices=TRAIN_CLASSES),
    Column("trains_per_day", "int", positive=True, hi=1000),
    Column("pattern", "choice", choices=("non-stop", "limited-stop", "all-stop")),
    Column("lines", "list"),
    Column("source"),
)


def load_services(
    path: str | Path | None = None, *, stations_path: str | Path | None = None, feed: int | None = None
) -> pd.DataFrame:
    """Load the rail services derived from a timetable feed (default: 2016, ``services.csv``).

    Parameters
    ----------
    path
        A services CSV (default: the services file of ``feed``).
    stations_path
        Stations file the ids refer to (default: the shipped ``stations.csv``).
    feed
        Feed year declared in ``region.toml`` (:mod:`yrdnet.network.feeds`), e.g. 2016 or
        2023; default 2016, the shipped ``services.csv``. Which feed a network year uses:
        :func:`yrdnet.network.history.timetable_for_year`.

    Returns
    -------
    pandas.DataFrame
        Index ``service_id``; columns ``route`` and ``stops`` (lists of station ids),
        ``train_class`` (one of :data:`TRAIN_CLASSES`), ``trains_per_day``, ``pattern``,
        ``lines`` (list of line ids the route runs on), ``source``.

    Raises
    ------
    DataError
        Listing every bad row: unknown station ids, stops that are not on the route in
        order, fewer than two stops, a route whose ends are not stops; or, for a ``feed``,
        a feed not declared or a services file not there.

    Examples
    --------
    >>> s = load_services()
    >>> bool((s["trains_per_day"] > 0).all())
    True
    """
    if path is None and feed is not None:
        path = feed_file(feed, "services")
    p = data_path(path, "services.csv")
    df = read_validated(p, _SERVICE_COLS, key="service_id")
    station_ids = set(load_stations(stations_path).index)
    probs = Problems(p)
    for i, rec in enumerate(df.to_dict("records")):
        route, stops = list(rec["route"]), list(rec["stops"])
        for s in dict.fromkeys(route + stops):
            if s not in station_ids:
                probs.add(i + 2, "route", f"unknown station {s!r}{did_you_mean(s, station_ids)}")
        if len(stops) < 2:
            probs.add(i + 2, "stops", f"expected at least 2 stops, found {len(stops)}")
        elif route and (stops[0] != route[0] or stops[-1] != route[-1]):
            probs.add(i + 2, "stops", "the first and last station of the route must be stops")
        if not _in_order(stops, route):
            probs.add(i + 2, "stops", "every stop must lie on the route, in route order")
    probs.raise_if_any()
    return df.set_index("service_id")


def _in_order(stops: list[str], route: list[str]) -> bool:
    it = iter(route)
    return all(any(s == r for r in it) for s in stops)


# --------------------------------------------------------------------- default services


def _major(stations: pd.DataFrame, cities: pd.DataFrame) -> pd.Series:
    """Stations named after their prefecture city (``南京南`` in 南京市): express stops by default."""
    city_name = cities["name_zh"].astype(str).str.replace("市", "", regex=False)
    names = stations["name_zh"].astype(str)
    prefix = stations["adcode"].astype(int).map(city_name).fillna("\0")
    return pd.Series([n.startswith(p) for n, p in zip(names, prefix, strict=True)], index=stations.index)


_DEFAULT_SOURCE = (
    "default service (yrdnet.services.default_services; frequencies derived from the 2016 "
    "timetable, see TravelTimeModel.default_express_trains / default_allstop_trains)"
)
_CONVENTIONAL_SOURCE = (
    "default service of a conventional line (yrdnet.services.default_services; frequency derived from the "
    "2023 timetable's conventional trains, see TravelTimeModel.default_conventional_trains)"
)
_SCENARIO_SOURCE = "scenario service: the trains_per_day / express_stops of the line's add_line edit"


def _row(
    sid: str, route: list[str], stops: list[str], cls: str, trains: int, lines: list[str], source: str = _DEFAULT_SOURCE
) -> dict[str, object]:
    pattern = "all-stop" if len(stops) == len(route) else ("non-stop" if len(stops) == 2 else "limited-stop")
    return {
        "service_id": sid,
        "route": route,
        "stops": stops,
        "train_class": cls,
        "trains_per_day": int(trains),
        "pattern": pattern,
        "lines": lines,
        "source": source,
    }


def _set(ln: pd.Series, col: str) -> Any:
    """A line's optional cell (``None`` when the column is absent or the cell empty)."""
    v = ln.get(col)
    if isinstance(v, list):
        return v
    return None if v is None or pd.isna(v) else v


def _variants(
    stops: list[str], ln: pd.Series, sc: _StationClass, model: TravelTimeModel, is_covered: bool
) -> tuple[list[tuple[str, list[str], int]], int, str]:
    """``(name, stops, trains a day)`` of a line's own services, its through-express trains and their source.

    A scenario line may set ``express_trains``, ``allstop_trains`` and ``express_stops``
    (its add_line edit's ``trains_per_day`` and ``express_stops``); what it leaves unset
    keeps the default rule. An explicit express runs even when it stops everywhere.
    """
    n_exp_set, n_all_set, exp_set = (_set(ln, c) for c in ("express_trains", "allstop_trains", "express_stops"))
    explicit = any(v is not None for v in (n_exp_set, n_all_set, exp_set))
    conventional = _is_conventional(ln)
    n_all = model.default_conventional_trains if conventional else model.default_allstop_trains
    n_all = model.covered_allstop_trains if is_covered else n_all
    n_all = int(n_all_set) if n_all_set is not None else n_all
    n_exp = int(n_exp_set) if n_exp_set is not None else model.default_express_trains
    express = [x for x in exp_set if x in stops] if exp_set is not None else _express(stops, sc)
    out = [("all", stops, n_all)] if n_all > 0 else []
    wanted = (n_exp_set is not None or exp_set is not None) or (len(express) < len(stops) and not conventional)
    if n_exp > 0 and wanted and not is_covered and len(express) >= 2:
        out.append(("express", express, n_exp))
    default = _CONVENTIONAL_SOURCE if conventional else _DEFAULT_SOURCE
    return out, n_exp, (_SCENARIO_SOURCE if explicit else default)


def _is_conventional(line: pd.Series) -> bool:
    return str(line.get("kind", "")) == "conventional"


def _line_class(*lines: pd.Series) -> str:
    """Train class of a default service over these lines: K on conventional track, else G at 300+, else D."""
    if any(_is_conventional(ln) for ln in lines):
        return "K"
    return "G" if min(float(ln["operating_speed_kph"]) for ln in lines) >= 300 else "D"


@dataclass(frozen=True)
class _StationClass:
    """What the default express rule needs of each station (computed once per build)."""

    major: dict[str, bool]
    city: dict[str, int]
    centre_km: dict[str, float]

    @classmethod
    def of(cls, stations: pd.DataFrame, cities: pd.DataFrame) -> _StationClass:
        city = stations["adcode"].astype(int)
        c = cities.reindex(city.to_numpy())
        km = haversine_km(
            c["lon"].to_numpy(float),
            c["lat"].to_numpy(float),
            stations["lon"].to_numpy(float),
            stations["lat"].to_numpy(float),
        )
        ids = [str(x) for x in stations.index]
        return cls(
            dict(zip(ids, _major(stations, cities).astype(bool).tolist(), strict=True)),
            dict(zip(ids, city.tolist(), strict=True)),
            dict(zip(ids, np.asarray(km, dtype=float).tolist(), strict=True)),
        )


def _express(stops: list[str], sc: _StationClass) -> list[str]:
    """Express stops of a route: its ends, and per prefecture city one station named after it.

    The chosen station is the city-named one nearest the city centre among the route's
    stations (the ends included, so a city-named terminus nearer the centre takes the
    place of an intermediate stop).
    """
    keep = {stops[0], stops[-1]}
    best: dict[int, str] = {}
    for st in stops:
        if sc.major.get(st, False):
            c = sc.city[st]
            if c not in best or sc.centre_km[st] < sc.centre_km[best[c]]:
                best[c] = st
    keep.update(best.values())
    return [st for st in stops if st in keep]


def _through_routes(a: list[str], b: list[str]) -> list[list[str]]:
    """Routes that run along ``a`` onto ``b`` at a station they share (each way along both).

    The junction is the first shared station along ``a`` (read from either end); a
    route never visits a station twice and has at least one station of each line beyond
    the junction.
    """
    out = []
    for la in (a, a[::-1]):
        k = next((i for i, st in enumerate(la) if st in b and i > 0), None)
        if k is None:
            continue
        head = la[: k + 1]
        j = b.index(la[k])
        for tail in (b[j:], b[: j + 1][::-1]):
            if len(tail) >= 2 and not set(head) & set(tail[1:]):
                out.append(head + tail[1:])
    return out


def default_services(
    lines: pd.DataFrame,
    stations: pd.DataFrame,
    cities: pd.DataFrame,
    model: TravelTimeModel,
    *,
    covered: set[str] | None = None,
    only: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Documented default services for lines that no timetable-derived service covers.

    Each such line gets, in both directions, an all-stop service with
    ``model.default_allstop_trains`` trains a day and an express with
    ``model.default_express_trains`` (only when it skips a station) that stops at its
    termini and, in every prefecture city it crosses, at one station named after
    the city (``南京南``, not ``昆山南``): the one nearest the city centre. Where
    ``lines.csv`` says a line runs through onto another (``through_to``), an express
    runs through as well, each way along the other line from the first shared station
    (its stops chosen the same way), unless timetable services cover both lines. The
    train class is G for lines run at 300 km/h or more, D otherwise; a conventional line
    (``kind = conventional``) gets K-class trains instead, an all-stop service of
    ``model.default_conventional_trains`` trains a day each way and no express (its
    stations are the stops of its timetable trains already). A scenario's new line
    may set its own frequencies and express stops (``express_trains``, ``allstop_trains``,
    ``express_stops``: the ``trains_per_day`` and ``express_stops`` of its add_line edit);
    its through expresses then run its express frequency. A covered line gets
    only a connectivity floor: an all-stop service of ``model.covered_allstop_trains``
    (1) train a day each way, so that each of its stations stays served in years when the
    timetable services need track not yet open; it adds next to no frequency. Every rule
    depends on the line, its stations and the coverage only, never on which other lines
    are open, so adding a line never changes another line's services.

    Parameters
    ----------
    lines
        Lines to consider (already filtered to a network year).
    stations, cities
        The station and city tables (the city names decide the express stops).
    model
        Travel-time parameters (default frequencies).
    covered
        Line ids that timetable services cover (they get the connectivity floor only).
    only
        Make the services of just these lines (default: every line of ``lines``); through
        services still look for their partner line in all of ``lines``. A line's services
        depend on that line, its partner lines and the coverage only, so the rows are
        those the full call makes for these lines.

    Returns
    -------
    pandas.DataFrame
        A services table (:data:`SERVICE_COLUMNS`), index ``service_id`` =
        ``default:<line>:<all|express>:<up|down>`` or ``default:<line>>ther>:<k>``.
    """
    covered = covered or set()
    wanted = None if only is None else set(only)  # once: ``only`` may be a one-pass iterator
    todo = lines if wanted is None else lines.loc[[x for x in lines.index if x in wanted]]
    if wanted is not None:  # the station classes of the stations involved (each row's own)
        ids = {str(st) for lid in todo.index for x in [lid, *(todo.loc[lid, "through_to"] or [])]
               if x in lines.index for st in lines.loc[x, "stops"]}  # fmt: skip
        stations = stations.loc[[x for x in stations.index if x in ids]]
    sc = _StationClass.of(stations, cities)
    rows = []
    for lid, ln in todo.iterrows():
        is_covered = str(lid) in covered
        stops = list(ln["stops"])
        cls = _line_class(ln)
        variants, n_through, src = _variants(stops, ln, sc, model, is_covered)
        for name, st, trains in variants:
            for direction, route, sts in (("down", stops, st), ("up", stops[::-1], st[::-1])):
                rows.append(_row(f"default:{lid}:{name}:{direction}", route, sts, cls, trains, [str(lid)], src))
        for other in ln["through_to"] or []:
            if other not in lines.index or (str(lid) in covered and other in covered) or n_through <= 0:
                continue
            o = lines.loc[other]
            cls2 = _line_class(ln, o)
            for k, route in enumerate(_through_routes(stops, list(o["stops"]))):
                sts = _express(route, sc)
                for direction, r, st in (("down", route, sts), ("up", route[::-1], sts[::-1])):
                    sid = f"default:{lid}>{other}:{k}:{direction}"
                    rows.append(_row(sid, r, st, cls2, n_through, [str(lid), str(other)], src))
    if not rows:
        return pd.DataFrame(columns=list(SERVICE_COLUMNS)).set_index("service_id")
    out = pd.DataFrame(rows, columns=list(SERVICE_COLUMNS)).drop_duplicates("service_id")
    return out.set_index("service_id")


def services_for_network(
    lines: pd.DataFrame,
    stations: pd.DataFrame,
    cities: pd.DataFrame,
    model: TravelTimeModel,
    services: pd.DataFrame | None = None,
    extra: pd.DataFrame | None = None,
    *,
    segments: dict[tuple[str, str], Segment] | None = None,
    covered: set[str] | frozenset[str] | None = None,
) -> pd.DataFrame:
    """The services that run on a network: timetable services whose track is open, plus defaults.

    Parameters
    ----------
    lines
        Open lines of the network year (after scenario edits).
    stations, cities
        Station and city tables.
    model
        Travel-time parameters.
    services
        Timetable-derived services (default :func:`load_services`). The lines they run on
        are *covered*, whatever the year.
    extra
        More services (e.g. a scenario's); they run when their track is open and never
        change which lines are covered.
    segments
        The open track (:func:`segment_table` of ``lines``), when the caller has it already.
    covered
        The covered lines (default: :func:`covered_lines` of ``services``); a year's
        network passes its feed's (:attr:`yrdnet.network.history.YearTimetable.covered`),
        as its services have lost the stations not open that year.

    Returns
    -------
    pandas.DataFrame
        A services table. A service runs when every segment of its route is track of an
        open line. Every open line also gets :func:`default_services`: an all-stop service
        (a one-train-a-day connectivity floor on covered lines), and, when no timetable
        service covers it, the express and through expresses. Coverage is a property of
        the services table, not of the year or of the other lines, so opening a line or
        adding a service only ever adds services: no trip gets longer.
    """
    if services is None:
        services = load_services()
    pool = services if extra is None or extra.empty else pd.concat([services, extra])
    segs = segment_table(lines, stations, model) if segments is None else segments
    kept = on_open_track(pool, segs)
    cov = covered_lines(services) if covered is None else set(covered)
    defaults = default_services(lines, stations, cities, model, covered=cov)
    if defaults.empty:
        return kept
    return pd.concat([kept, defaults])


def covered_lines(services: pd.DataFrame) -> set[str]:
    """The lines a services table runs on: they get no default express services."""
    return {str(x) for lns in services["lines"].tolist() for x in lns}


def on_open_track(services: pd.DataFrame, segments: dict[tuple[str, str], Segment]) -> pd.DataFrame:
    """The services every segment of whose route is open track (a key of ``segments``)."""
    keep = [all(k in segments for k in itertools.pairwise(r)) for r in services["route"]]
    return services[np.asarray(keep, dtype=bool)]

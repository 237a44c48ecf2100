"""The rail network as it really stood in a year: open lines, open stations, their services.

The one home of the year rules; the full build (:func:`yrdnet.network.graph.graph_from_tables`)
and the incremental one (:mod:`yrdnet.network.delta`, :mod:`yrdnet.scenarios.prepared_base`)
both go through :func:`network_of_year` and :func:`timetable_for_year`, so they stay equal.

Rules (a network year ``y`` is the network as it stood at the end of ``y``)
-----------------------------------------------------------------------------
* **Lines** (:func:`lines_in_year`): ``status == "open"``, ``opened <= y`` and, for a
  section that stopped carrying passengers (``lines.csv`` ``closed``, e.g. a temporary
  alignment into a station later replaced), ``y < closed``. ``y = None``: every open line
  that has not closed.
* **Speeds** (:func:`lines_in_year`, :func:`year_speeds`): a line runs at the speed of the
  ``line_speeds.csv`` period covering ``y`` (:func:`yrdnet.load_line_speeds`, e.g.
  沪宁城际 at 350 in 2010, before the speed reduction of 2011-07-01), else at its
  ``lines.csv`` ``operating_speed_kph``. ``y = None`` (today's network): no period
  applies. **A scenario's speed wins**: a line whose speed a scenario edit set
  (``set_speed``, ``open_line`` with ``speed_kph``; column :data:`SPEED_SET_COLUMN`
  true) runs at that speed in every year, whatever the periods say. The per-line running
  factors (``line_running_<feed>.csv``) multiply the year's speed.
* **Stations** (:func:`open_stations`): ``opened`` empty or ``<= y``; not closed then
  (``closed`` empty, or ``y < closed``, or reopened by ``y``). The dates are those of
  :func:`yrdnet.load_stations` (curated in ``station_dates.csv``, else derived from the
  lines); empty = no constraint.
* **Stops of a line** (:func:`restrict_lines`): only its open stations. The track still
  runs through a closed station, so the two segments beside it merge into one (their km
  add up: the full stop list is kept as ``track_stops``); a line left with fewer than two
  open stops does not run.
* **Services** (:func:`restrict_services`): closed stations leave ``route`` and ``stops``;
  a closed terminal shortens the service to its first and last open stops; a service left
  with fewer than two stops does not run. No service calls at a station in a year it was
  not open.
* **Timetable** (:func:`timetable_for_year`): the services and running factors of the
  feed nearest the year, per train class the nearest feed that has the class
  (:mod:`yrdnet.network.feeds`). Lines the year's feed does not run on get default
  services (coverage is that feed's, whatever the year).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.feeds import available_feeds, log_missing, nearest_feed
from yrdnet.network.services import SERVICE_COLUMNS, covered_lines, load_services
from yrdnet.network.track import load_line_factors
from yrdnet.region.datasets import load_line_speeds

__all__ = [
    "SPEED_SET_COLUMN",
    "YearNetwork",
    "YearTimetable",
    "factors_for_year",
    "feed_order",
    "lines_in_year",
    "network_of_year",
    "open_stations",
    "restrict_lines",
    "restrict_services",
    "station_is_open",
    "timetable_for_year",
    "year_speeds",
]

log = logging.getLogger(__name__)

#: Line columns that list stations and follow the restriction to open stations.
_STATION_LIST_COLS = ("express_stops",)
#: Line column (bool; absent = false) marking a speed a scenario edit set: no
#: ``line_speeds.csv`` period replaces it (:mod:`yrdnet.scenarios.scenario`).
SPEED_SET_COLUMN = "speed_set_by_scenario"


def _years(df: pd.DataFrame, col: str) -> np.ndarray:
    """A year column as float (NaN where empty or absent)."""
    if col not in df.columns:
        return np.full(len(df), np.nan)
    return np.array(pd.to_numeric(df[col], errors="coerce"), dtype=float)


def station_is_open(stations: pd.DataFrame, year: int | None) -> pd.Series:
    """Whether each station was open at the end of ``year`` (all open for ``None``).

    Examples
    --------
    >>> import yrdnet
    >>> st = yrdnet.load_stations()
    >>> ok = station_is_open(st, 2010)
    >>> bool(ok["nanjing"]), bool(ok["nanjing_south"]), bool(ok["hangzhou_east"])
    (True, False, False)
    """
    if year is None:
        return pd.Series(True, index=stations.index)
    y = float(year)
    opened, closed, reopened = (_years(stations, c) for c in ("opened", "closed", "reopened"))
    started = np.isnan(opened) | (opened <= y)
    shut = ~np.isnan(closed) & (closed <= y) & (np.isnan(reopened) | (y < reopened))
    return pd.Series(started & ~shut, index=stations.index)


def open_stations(stations: pd.DataFrame, year: int | None) -> frozenset[str]:
    """Ids of the stations open at the end of ``year`` (:func:`station_is_open`)."""
    ok = station_is_open(stations, year)
    return frozenset(str(s) for s in ok.index[ok.to_numpy(bool)])


def lines_in_year(lines: pd.DataFrame, year: int | None, speeds: pd.DataFrame | None = None) -> pd.DataFrame:
    """The lines open at the end of ``year``, each at its speed of that year.

    Open lines, opened by then and not yet closed; ``year=None``: every open line that
    has not closed. Lines without an opening year are never open in a year. Their
    ``operating_speed_kph`` is the year's (:func:`year_speeds`).

    Parameters
    ----------
    lines
        Lines (after a scenario's edits).
    year
        Network year (``None``: today's network).
    speeds
        Periods of other speeds (default :func:`yrdnet.load_line_speeds`).
    """
    keep = np.array(lines["status"] == "open", dtype=bool)
    closed = _years(lines, "closed")
    if year is None:
        keep &= np.isnan(closed)
    else:
        opened = _years(lines, "opened")
        keep &= (opened <= year) & (np.isnan(closed) | (year < closed))
    return year_speeds(lines[keep], year, speeds)


def _speed_set(lines: pd.DataFrame) -> np.ndarray:
    """Whether a scenario set each line's speed (:data:`SPEED_SET_COLUMN`; absent or empty = no)."""
    if SPEED_SET_COLUMN not in lines.columns:
        return np.zeros(len(lines), dtype=bool)
    return np.array([v is True or (isinstance(v, (bool, np.bool_)) and bool(v)) for v in lines[SPEED_SET_COLUMN]])


def year_speeds(lines: pd.DataFrame, year: int | None, speeds: pd.DataFrame | None = None) -> pd.DataFrame:
    """``lines`` with ``operating_speed_kph`` of ``year``: a period's speed where one covers the year.

    A period of ``speeds`` (default :func:`yrdnet.load_line_speeds`) covers ``year`` when
    ``from_year <= year <= to_year``; joined by line id. A line whose speed a scenario set
    (:data:`SPEED_SET_COLUMN`) keeps it; ``year=None`` changes nothing.

    Examples
    --------
    >>> import yrdnet
    >>> lines = yrdnet.load_lines().loc[["shanghai_nanjing_intercity"]]
    >>> [int(year_speeds(lines, y).iloc[0]["operating_speed_kph"]) for y in (2010, 2011, None)]
    [350, 300, 300]
    """
    if year is None or lines.empty:
        return lines
    periods = load_line_speeds() if speeds is None else speeds
    now = periods[(periods["from_year"] <= year) & (year <= periods["to_year"])]
    by_line = dict(zip(now["line_id"].astype(str), now["operating_speed_kph"].astype(int), strict=True))
    hit = np.array([str(lid) in by_line for lid in lines.index], dtype=bool) & ~_speed_set(lines)
    if not hit.any():
        return lines
    out = lines.copy()
    v = out["operating_speed_kph"].to_numpy().copy()
    v[hit] = [by_line[str(lid)] for lid in out.index[hit]]
    out["operating_speed_kph"] = v
    return out


def _restrict_list(stops: Iterable[str], ok: frozenset[str]) -> list[str]:
    return [s for s in stops if s in ok]


def restrict_lines(lines: pd.DataFrame, ok: frozenset[str] | None) -> pd.DataFrame:
    """Lines with their stops restricted to the stations of ``ok`` (``None``: unchanged).

    Adds ``track_stops`` (the full stop list, which the track still runs through: the
    segments beside a closed station merge, :func:`yrdnet.network.track.line_segments`).
    A line with fewer than two open stops is dropped; ``express_stops`` (a scenario's
    stopping pattern) is restricted alike.
    """
    out = lines.copy()
    out["track_stops"] = [list(v) for v in lines["stops"]]
    if ok is None:
        return out
    stops = [_restrict_list(v, ok) for v in lines["stops"]]
    out["stops"] = stops
    for c in _STATION_LIST_COLS:
        if c in out.columns:
            out[c] = [_restrict_list(v, ok) if isinstance(v, list) else v for v in out[c]]
    keep = np.array([len(s) >= 2 for s in stops], dtype=bool)
    dropped = [str(x) for x in lines.index[~keep]]
    if dropped:
        log.debug("lines with fewer than two open stations do not run: %s", dropped)
    return out[keep]


def _pattern(route: list[str], stops: list[str]) -> str:
    return "all-stop" if len(stops) == len(route) else ("non-stop" if len(stops) == 2 else "limited-stop")


def restrict_services(services: pd.DataFrame, ok: frozenset[str] | None) -> pd.DataFrame:
    """Services without their closed stations (``ok``: the open ones; ``None``: unchanged).

    A closed station leaves the route and the stops; a closed terminal shortens the
    service to its first and last open stops (the route is cut there); a service left
    with fewer than two stops is dropped. Rows keep their ids and order.
    """
    if ok is None or services.empty:
        return services
    routes, stops, keep, changed = [], [], [], False
    for route_, stops_ in zip(services["route"], services["stops"], strict=True):
        r, s = list(route_), list(stops_)
        if all(x in ok for x in r):
            routes.append(r)
            stops.append(s)
            keep.append(True)
            continue
        changed = True
        s2 = _restrict_list(s, ok)
        r2 = _restrict_list(r, ok)
        if len(s2) >= 2:
            r2 = r2[r2.index(s2[0]) : r2.index(s2[-1]) + 1]
        routes.append(r2)
        stops.append(s2)
        keep.append(len(s2) >= 2)
    if not changed:
        return services
    out = services.copy()
    out["route"], out["stops"] = routes, stops
    out["pattern"] = [_pattern(r, s) for r, s in zip(routes, stops, strict=True)]
    return out[np.asarray(keep, dtype=bool)]


@dataclass(frozen=True)
class YearNetwork:
    """What runs in a network year (:func:`network_of_year`).

    Attributes
    ----------
    year
        The network year (``None``: every open line, no station dates).
    lines
        Open lines, stops restricted to open stations (``track_stops``: the full list).
    services, extra
        Timetable services and extra services, closed stations removed.
    stations
        Ids of the open stations (``None``: no constraint).
    """

    year: int | None
    lines: pd.DataFrame
    services: pd.DataFrame
    extra: pd.DataFrame | None
    stations: frozenset[str] | None
    timetable: YearTimetable

    def factors(self, model: TravelTimeModel) -> dict[str, float]:
        """The running factors the build uses: the timetable's, none when ``model.line_speed_factors`` is off."""
        return dict(self.timetable.factors) if model.line_speed_factors else {}


def network_of_year(
    lines: pd.DataFrame,
    stations: pd.DataFrame,
    year: int | None,
    timetable: YearTimetable | pd.DataFrame | None = None,
    extra: pd.DataFrame | None = None,
    speeds: pd.DataFrame | None = None,
) -> YearNetwork:
    """The lines (at their speeds of the year), stations and services that ran at the end of ``year``.

    Parameters
    ----------
    lines
        Lines (after a scenario's edits); filtered with :func:`lines_in_year`.
    stations
        Stations with ``opened``/``closed``/``reopened`` (:func:`yrdnet.load_stations`);
        stations without them (a scenario's new ones) are open.
    year
        Network year; ``None`` applies no station dates.
    timetable
        The timetable (default :func:`timetable_for_year` of ``year``), or a services
        table to use instead (:meth:`YearTimetable.given`).
    extra
        More services (same columns), e.g. a plan's; they never change coverage.
    speeds
        Periods of other line speeds (default :func:`yrdnet.load_line_speeds`;
        :func:`year_speeds`).

    Returns
    -------
    YearNetwork
        See the module's rules; ``extra`` holds the timetable's extra classes and
        ``extra``, closed stations removed.

    Examples
    --------
    >>> import yrdnet
    >>> net = network_of_year(yrdnet.load_lines(), yrdnet.load_stations(), 2015)
    >>> net.lines.loc["hangzhou_ningbo_hsr", "stops"][:2]  # Hangzhou South was being rebuilt
    ['hangzhou_east', 'shaoxing_north']
    """
    if timetable is None:
        timetable = timetable_for_year(year)
    elif isinstance(timetable, pd.DataFrame):
        timetable = YearTimetable.given(timetable, year)
    ok = None if year is None else open_stations(stations, year)
    lines_y = restrict_lines(lines_in_year(lines, year, speeds), ok)
    parts = [x for x in (timetable.extra, extra) if x is not None and not x.empty]
    extra_y = restrict_services(pd.concat(parts), ok) if parts else None
    return YearNetwork(year, lines_y, restrict_services(timetable.services, ok), extra_y, ok, timetable)


# ---------------------------------------------------------------- timetables by year


@dataclass(frozen=True)
class YearTimetable:
    """The timetable a network year uses (:func:`timetable_for_year`).

    Attributes
    ----------
    year
        The network year asked for.
    feed
        The year's feed (the nearest present feed); ``None`` when no feed is present.
    services
        The year's feed's services (every class it has).
    extra
        Services of the classes the year's feed lacks, each from the nearest feed that has
        the class (e.g. K/T/Z trains of 2023 for a 2016 year); they never change coverage.
    covered
        The lines the year's feed runs on: they get no default express services.
    factors
        Per-line running factors: the year's feed's, then the other feeds' by nearness.
    class_feeds
        ``{train class: feed year}`` of every class used.
    """

    year: int | None
    feed: int | None
    services: pd.DataFrame
    extra: pd.DataFrame
    covered: frozenset[str]
    factors: dict[str, float]
    class_feeds: dict[str, int]
    feeds: tuple[int, ...] = ()

    @classmethod
    def given(cls, services: pd.DataFrame, year: int | None) -> YearTimetable:
        """A caller's services table as the timetable (coverage from it; the year's running factors)."""
        return cls(
            year, None, services, _empty_services(), frozenset(covered_lines(services)), factors_for_year(year), {}
        )


def _empty_services() -> pd.DataFrame:
    return pd.DataFrame(columns=list(SERVICE_COLUMNS)).set_index("service_id")


def _by_nearness(year: int | None, years: list[int]) -> list[int]:
    """Feed years from the nearest (the one :func:`nearest_feed` picks) to the farthest."""
    out, rest = [], list(years)
    while rest:
        out.append(nearest_feed(year, rest))
        rest.remove(out[-1])
    return out


def timetable_for_year(year: int | None) -> YearTimetable:
    """The services and running factors a network year uses, from the data folder's feeds.

    The year's feed is the nearest present feed (:func:`yrdnet.network.feeds.nearest_feed`:
    up to 2019 the 2016 feed, from 2020 the 2023 feed once ``services_2023.csv`` exists);
    its services run, and each train class it lacks comes from the nearest feed that has
    it (:attr:`YearTimetable.extra`). A missing feed file is logged and skipped, so the
    year falls back to the feeds that are present.

    Examples
    --------
    >>> tt = timetable_for_year(2010)
    >>> tt.feed, tt.class_feeds["G"], tt.class_feeds["D"]
    (2016, 2016, 2016)
    """
    feeds = {f.year: f for f in available_feeds()}
    if not feeds:
        log.warning("no timetable feed is present: every line gets default services")
        return YearTimetable(year, None, _empty_services(), _empty_services(), frozenset(), {}, {}, ())
    order = _by_nearness(year, list(feeds))
    main = order[0]
    loaded = {y: load_services(feeds[y].services) for y in order}
    classes = {y: set(map(str, loaded[y]["train_class"])) for y in order}
    class_feeds = {c: next(y for y in order if c in classes[y]) for c in sorted(set().union(*classes.values()))}
    parts = [loaded[y][loaded[y]["train_class"] == c] for c, y in class_feeds.items() if y != main]
    extra = pd.concat(parts) if parts else _empty_services()
    clash = sorted(set(extra.index) & set(loaded[main].index)) + sorted(extra.index[extra.index.duplicated()])
    if clash:
        raise DataError(f"timetable feeds {order}: service ids used by two feeds: {clash[:5]}")
    covered = frozenset(covered_lines(loaded[main]))
    return YearTimetable(year, main, loaded[main], extra, covered, factors_for_year(year), class_feeds, tuple(order))


def feed_order(year: int | None) -> tuple[int, ...]:
    """The present feeds' years from the nearest to ``year`` (the year's feed first) to the farthest."""
    return tuple(_by_nearness(year, [f.year for f in available_feeds()]))


def factors_for_year(year: int | None) -> dict[str, float]:
    """Per-line running factors of a network year: its feed's, then the next nearest feed's for a line it lacks.

    A line no feed fitted is absent (it runs at ``TravelTimeModel.rail_speed_factor``).
    A declared factors file that is not present is logged once and skipped.
    """
    feeds = {f.year: f for f in available_feeds()}
    factors: dict[str, float] = {}
    for y in reversed(_by_nearness(year, list(feeds))):  # the farthest first: nearer feeds overwrite
        f = feeds[y].line_running
        if f is not None and f.is_file():
            factors.update(load_line_factors(f))
        elif f is not None:
            log_missing(f, f"timetable feed {y}: running factors")
    return factors

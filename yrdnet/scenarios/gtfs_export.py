r"""Export a scenario's rail services as a GTFS feed (:func:`to_gtfs`), for R5 or OpenTripPlanner.

The feed holds exactly the services the model runs for the scenario and its network year:
the same call the graph build makes (:func:`yrdnet.network.graph.running_services` on the
lines :func:`yrdnet.network.graph.filter_network` keeps), and the same stop times
(:func:`yrdnet.services.service_stop_times`). Every trip's ride between two of its stops
is therefore the model's in-vehicle time of that service, to the second.

Feed rules
----------
* ``agency.txt`` — one agency (China Railway, modelled by yrdnet).
* ``feed_info.txt`` — publisher yrdnet, its version, the scenario and network year, and
  (``feed_note``) that the times are modelled, not a published timetable.
* ``calendar.txt`` — one service, ``daily``, running every day from ``service_date``
  (default 1 January of the network year) for ``days`` days.
* ``routes.txt`` — one route per service: ``route_id`` = the service id, ``route_type``
  2 (rail), ``route_short_name`` = the train class (G, D or C; the class
  :func:`yrdnet.timetable.read_gtfs` reads from its first letter), ``route_long_name`` =
  first and last stop, the stopping pattern and the service id (unique).
* ``stops.txt`` — the stations the services stop at: id, Chinese name (``stop_desc`` the
  English one where it differs), WGS84 coordinates of ``stations.csv`` (with a
  scenario's new stations).
* ``stop_times.txt`` — each stop's arrival and departure, relative to the trip's first
  departure, rounded to the nearest second (half up) from the model's seconds; the last
  stop departs when it arrives. ``timepoint`` = 1: the times are the model's own.
  Rounding each time on its own keeps them in order and every ride within one second
  (strictly) of the model's.
* Trips, with a window ``[start, end)`` (default 06:00-24:00, span :math:`S`) and a
  service of :math:`F` trains a day: the headway is :math:`h = \lfloor S / F \rfloor`
  whole seconds and the trains leave at ``start`` + :math:`k h`, :math:`k = 0 .. F-1`
  (all within the window; times after midnight run on past ``24:00:00``).
  With ``frequencies=True`` each service is one template trip (``trip_id`` = the service
  id, timed from ``start``) and ``frequencies.txt`` runs it with ``headway_secs`` =
  :math:`h` from ``start`` to ``start + F h`` (``exact_times=0``): exactly :math:`F`
  departures. A headway over 32,767 s (9.1 h: one train a day over the default window)
  is no frequency: that service's trips are written out (and gtfs-kit reads no longer
  headway). With ``frequencies=False`` every service's :math:`F` trips are written out,
  with the ids the reader gives the runs of a template (``<service>@HH:MM:SS``), so both
  feeds read back into the same timetable.

The zip is written whole to a temporary file beside ``path`` and renamed onto it, its
members in a fixed order with fixed timestamps: the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet._version import __version__
from yrdnet.core.errors import OutputError, ScenarioError
from yrdnet.core.io import write_bytes
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.graph import filter_network, running_services
from yrdnet.network.history import network_of_year
from yrdnet.scenarios.scenario import Scenario, load_scenario, scenario_for_year
from yrdnet.timetable.frequencies import expanded_trip_id

__all__ = ["FeedServices", "feed_services", "to_gtfs"]

log = logging.getLogger(__name__)

#: The project URL of ``pyproject.toml`` (``feed_publisher_url`` is required).
PUBLISHER_URL = "https://example.invalid/yrdnet"
#: ``agency.txt``: id, name, URL, time zone, language.
AGENCY = ("yrdnet", "China Railway (services modelled by yrdnet)", "https://www.12306.cn/", "Asia/Shanghai", "zh")
#: The one ``service_id`` of ``calendar.txt``: every day of the window.
SERVICE_ID = "daily"
#: Longest headway written to ``frequencies.txt``: 32,767 s (9.1 h), the largest that
#: gtfs-kit reads (a 16-bit ``headway_secs``). A service with a longer one (one train a day
#: over the default window) is written as its timed trips.
MAX_HEADWAY_S = 32_767
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CLOCK = re.compile(r"^\s*(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*$")
StopTimes = tuple[str, list[str], np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class FeedServices:
    """What a feed is made of: a scenario's running services and their stop times.

    Attributes
    ----------
    scenario
        The scenario (its year set to ``year``).
    year
        The network year.
    model
        The travel-time parameters (the scenario's overrides applied).
    services
        The services table (:func:`yrdnet.services.services_for_network`).
    stop_times
        :func:`yrdnet.services.service_stop_times` of ``services``.
    stations
        The scenario's station table (new stations included).
    lines
        Ids of the open lines of the year.
    """

    scenario: Scenario
    year: int
    model: TravelTimeModel
    services: pd.DataFrame
    stop_times: list[StopTimes]
    stations: pd.DataFrame
    lines: list[str]


def feed_services(
    scenario: str | Path | Scenario, year: int | None = None, *, model: TravelTimeModel | None = None
) -> FeedServices:
    """The services a scenario runs in its network year, exactly as the graph build makes them.

    Parameters
    ----------
    scenario
        A shipped scenario name, a TOML path or a :class:`Scenario`.
    year
        Network year (default: the scenario's).
    model
        Travel-time parameters; the scenario's ``[model]`` overrides apply on top.

    Returns
    -------
    FeedServices
    """
    sc = scenario_for_year(scenario, year, where="to_gtfs")
    m = sc.travel_time_model(model)
    t = sc.tables()
    lines_y, _ = filter_network(t.lines, t.highways, sc.effective_year)
    net = network_of_year(lines_y, t.stations, sc.effective_year)
    rs = running_services(net, t.stations, t.cities, m)
    return FeedServices(
        scenario=sc,
        year=sc.effective_year,
        model=m,
        services=rs.services,
        stop_times=rs.stop_times(m),
        stations=t.stations,
        lines=[str(x) for x in net.lines.index],
    )


# ---------------------------------------------------------------- a graph's scenario
def _scenario_of_graph(G: nx.MultiDiGraph) -> tuple[Scenario, int]:
    """The scenario and year a yrdnet graph was built from (``G.graph``), or a ScenarioError."""
    g = G.graph
    if "source_format" in g:
        raise ScenarioError(
            f"to_gtfs: graph {g.get('scenario')!r} was built from OpenStreetMap ({g['source_format']}): "
            "its rail is OSM track, not yrdnet services; export a scenario instead, e.g. to_gtfs('baseline_2025', ...)"
        )
    missing = [k for k in ("scenario", "year", "n_services", "lines") if k not in g]
    if missing:
        raise ScenarioError(
            f"to_gtfs: the graph does not say which yrdnet scenario and year it holds (G.graph lacks {missing}); "
            "give the scenario (a name, a .toml path or a Scenario) instead of the graph"
        )
    name, year = str(g["scenario"]), int(g["year"])
    if year < 0:
        raise ScenarioError(f"to_gtfs: graph {name!r} has no network year (built with year=None); give the scenario")
    path = str(g.get("scenario_path") or "")
    try:
        sc = load_scenario(path if path and Path(path).is_file() else name)
    except ScenarioError as e:
        raise ScenarioError(
            f"to_gtfs: cannot find scenario {name!r} of the graph (not a shipped scenario, and no scenario file "
            f"recorded in G.graph['scenario_path']): give the Scenario itself ({e})"
        ) from None
    return sc, year


def _check_graph(G: nx.MultiDiGraph, fs: FeedServices) -> None:
    """The rebuilt services are the graph's: same lines, same count, same fastest rides."""
    where = f"to_gtfs: graph {fs.scenario.name!r} ({fs.year})"
    if str(G.graph["lines"]) != ";".join(fs.lines) or int(G.graph["n_services"]) != len(fs.services):
        raise ScenarioError(
            f"{where}: its open lines or services ({G.graph['n_services']}) differ from those of the scenario as it "
            f"reads now ({len(fs.services)}): the scenario or the data changed since the graph was built, or the graph "
            "was built from other tables or services; rebuild it or give the scenario"
        )
    rides = _rides(fs.stop_times)
    for u, v, d in G.edges(data=True):
        if d.get("mode") != "rail" or int(d.get("level", 0)) != 1:
            continue
        ride = rides.get((str(d["service"]), str(u)[3:], str(v)[3:]))
        if ride is None or not math.isclose(ride, float(d["in_vehicle_s"]), rel_tol=1e-9, abs_tol=1e-3):
            raise ScenarioError(
                f"{where}: rail edge {u} -> {v} rides {float(d['in_vehicle_s']):.1f} s on {d['service']!r}, the "
                f"rebuilt services {ride if ride is None else round(ride, 1)} s: was the graph built with another "
                "TravelTimeModel? Pass it as model="
            )


def _rides(stop_times: list[StopTimes]) -> dict[tuple[str, str, str], float]:
    """``(service, from, to) -> seconds`` of every pair of stops of every service (the fastest if repeated)."""
    out: dict[tuple[str, str, str], float] = {}
    for sid, stops, arr, dep, _ in stop_times:
        for i, a in enumerate(stops):
            for j in range(i + 1, len(stops)):
                key = (sid, a, stops[j])
                out[key] = min(out.get(key, math.inf), float(arr[j] - dep[i]))
    return out


# ---------------------------------------------------------------- feed tables
def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _whole_seconds(arr: np.ndarray, dep: np.ndarray) -> tuple[list[int], list[int]]:
    """Model seconds -> GTFS whole seconds (half up); the last stop departs when it arrives."""
    a = np.floor(np.asarray(arr, dtype=float) + 0.5).astype(np.int64)
    d = np.floor(np.asarray(dep, dtype=float) + 0.5).astype(np.int64)
    d[-1] = a[-1]
    return a.tolist(), d.tolist()


def _departures(start: int, span: int, trains: int, sid: str) -> tuple[int, list[int]]:
    """Headway (whole seconds) and the departures of ``trains`` trains a day over ``span``."""
    h = span // trains
    if h < 1:
        raise ValueError(f"to_gtfs: service {sid!r} runs {trains} trains a day, more than the window has seconds")
    return h, [start + k * h for k in range(trains)]


def _trip_tables(fs: FeedServices, start: int, span: int, frequencies: bool) -> dict[str, list[list[Any]]]:
    """``trips.txt``, ``stop_times.txt`` and (with ``frequencies``) ``frequencies.txt`` rows."""
    trips: list[list[Any]] = []
    stop_times: list[list[Any]] = []
    freq: list[list[Any]] = []
    name = fs.stations["name_zh"].astype(str).to_dict()
    tpd = fs.services["trains_per_day"].astype(int).to_dict()
    for sid, stops, arr, dep, _ in sorted(fs.stop_times, key=lambda r: r[0]):
        a, d = _whole_seconds(arr, dep)
        h, starts = _departures(start, span, tpd[sid], sid)
        if frequencies and h <= MAX_HEADWAY_S:
            runs = [(sid, start)]
            freq.append([sid, _hms(start), _hms(start + len(starts) * h), h, 0])
        else:
            runs = [(expanded_trip_id(sid, t0), t0) for t0 in starts]
        for tid, t0 in runs:
            trips.append([sid, SERVICE_ID, tid, name[stops[-1]]])
            for k, st in enumerate(stops):
                stop_times.append([tid, _hms(t0 + a[k]), _hms(t0 + d[k]), st, k + 1, 1])
    out = {"trips.txt": trips, "stop_times.txt": stop_times}
    if frequencies:
        out["frequencies.txt"] = freq
    return out


_HEADERS = {
    "agency.txt": ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
    "feed_info.txt": [
        "feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date",
        "feed_version", "feed_contact_url", "feed_source", "feed_note",
    ],
    "calendar.txt": [
        "service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "start_date", "end_date",
    ],
    "routes.txt": ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"],
    "stops.txt": ["stop_id", "stop_name", "stop_desc", "stop_lat", "stop_lon"],
    "trips.txt": ["route_id", "service_id", "trip_id", "trip_headsign"],
    "stop_times.txt": ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "timepoint"],
    "frequencies.txt": ["trip_id", "start_time", "end_time", "headway_secs", "exact_times"],
}  # fmt: skip


def _route_rows(fs: FeedServices) -> list[list[Any]]:
    name = fs.stations["name_zh"].astype(str).to_dict()
    rows = []
    cols = zip(fs.services.index, fs.services["stops"], fs.services["train_class"], fs.services["pattern"], strict=True)
    for sid, stops, cls, pattern in sorted(cols, key=lambda r: str(r[0])):
        long_name = f"{name[stops[0]]}-{name[stops[-1]]} ({pattern}, {sid})"
        rows.append([str(sid), AGENCY[0], str(cls), long_name, 2])
    return rows


def _other(desc: object, name: object) -> str:
    """``desc`` where it says more than ``name``, else empty (GTFS: a description is no copy of the name)."""
    return "" if str(desc) == str(name) else str(desc)


def _stop_rows(fs: FeedServices) -> list[list[Any]]:
    served = sorted({st for _, stops, *_ in fs.stop_times for st in stops})
    st = fs.stations.loc[served]
    return [
        [sid, str(r["name_zh"]), _other(r["name_en"], r["name_zh"]), f"{float(r['lat']):.6f}", f"{float(r['lon']):.6f}"]
        for sid, r in zip(served, st.to_dict("records"), strict=True)
    ]


def _info_rows(fs: FeedServices, first: dt.date, last: dt.date, frequencies: bool) -> dict[str, list[list[Any]]]:
    sc = fs.scenario
    ymd = (first.strftime("%Y%m%d"), last.strftime("%Y%m%d"))
    how = "headways (frequencies.txt)" if frequencies else "trains spread evenly over the day window"
    note = (
        f"Modelled, not a published timetable: stopping patterns and trains a day of the services yrdnet runs for "
        f"this scenario and year (data/services.csv from the 2016 timetable, default services for other lines); "
        f"times from the yrdnet travel-time model (trapezoidal runs at the lines' speeds and running factors, "
        f"{fs.model.dwell_min:g} min dwell), rounded to the second; trains a day as {how}"
    )
    return {
        "agency.txt": [list(AGENCY)],
        "feed_info.txt": [
            [
                "yrdnet",
                PUBLISHER_URL,
                "zh",
                *ymd,
                f"yrdnet {__version__} {sc.name} {fs.year}",
                PUBLISHER_URL,
                f"yrdnet scenario {sc.name!r} ({sc.description or 'no description'}), network year {fs.year}",
                note,
            ],
        ],
        "calendar.txt": [[SERVICE_ID, *([1] * 7), *ymd]],
    }


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _zip(tables: dict[str, list[list[Any]]]) -> bytes:
    """The feed as zip bytes: members in :data:`_HEADERS` order, fixed timestamps and modes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, header in _HEADERS.items():
            if name not in tables:
                continue
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, _csv(header, tables[name]), compresslevel=9)
    return buf.getvalue()


# ---------------------------------------------------------------- the entry point
def _window(start: str, end: str) -> tuple[int, int]:
    """``(start, span)`` seconds of the day window ``"HH:MM[:SS]"`` - ``"HH:MM[:SS]"``."""
    secs = []
    for name, v in (("start", start), ("end", end)):
        m = _CLOCK.match(v) if isinstance(v, str) else None
        if m is None:
            raise ValueError(f"to_gtfs: {name} must be 'HH:MM' or 'HH:MM:SS', got {v!r}")
        secs.append(int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3] or 0))
    a, b = secs
    if not a < b <= 48 * 3600:
        raise ValueError(f"to_gtfs: the window must end after it starts and by 48:00, got {start!r}-{end!r}")
    return a, b - a


def _date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            pass
    raise ValueError(f"to_gtfs: service_date must be a date, 'YYYY-MM-DD' or 'YYYYMMDD', got {value!r}")


def _calendar(service_date: str | dt.date | None, days: int, year: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 1, 1) if service_date is None else _date(service_date)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"to_gtfs: days must be a whole number >= 1, got {days!r}")
    return first, first + dt.timedelta(days=days - 1)


def _output(path: str | Path) -> Path:
    p = Path(path)
    if p.suffix.lower() != ".zip":
        raise OutputError(f"to_gtfs: {p} must be a .zip file (GTFS feeds for R5 and OpenTripPlanner are zips)")
    if p.is_dir():
        raise OutputError(f"to_gtfs: {p} is a folder; give the path of the .zip file to write")
    return p


def to_gtfs(
    scenario_or_graph: str | Path | Scenario | nx.MultiDiGraph,
    path: str | Path,
    *,
    year: int | None = None,
    model: TravelTimeModel | None = None,
    service_date: str | dt.date | None = None,
    days: int = 365,
    start: str = "06:00",
    end: str = "24:00",
    frequencies: bool = True,
) -> Path:
    """Write a scenario's rail services as a GTFS feed (a ``.zip``) for R5 or OpenTripPlanner.

    The feed holds the services the model runs for the scenario and its network year,
    timed by the model (see the module notes for every rule).

    Parameters
    ----------
    scenario_or_graph
        A shipped scenario name (``"plan_2035"``), a TOML path, a :class:`Scenario`, or a
        graph built by yrdnet (:func:`yrdnet.build_graph`): its scenario and year are read
        from ``G.graph`` and its services rebuilt, checked against its rail edges.
    path
        The ``.zip`` to write; an existing file is replaced atomically.
    year
        Network year of a scenario (default: its own); not with a graph.
    model
        Travel-time parameters (the scenario's ``[model]`` overrides apply on top); for
        a graph, the ones it was built with.
    service_date
        First day of the calendar (``datetime.date``, ``"YYYY-MM-DD"`` or
        ``"YYYYMMDD"``). Default: 1 January of the network year.
    days
        Days the calendar runs, every day of the week (default 365).
    start, end
        The day window ``"HH:MM[:SS]"`` the trains of a service are spread over (``end``
        may pass 24:00, up to 48:00).
    frequencies
        ``True``: one template trip per service and ``frequencies.txt`` (a service whose
        headway would exceed :data:`MAX_HEADWAY_S` gets its timed trips); ``False``:
        every train written out as a trip.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ScenarioError
        An unknown scenario, or a graph that does not say which scenario it holds (an
        OSM graph, one built from tables directly) or whose rail edges differ from the
        rebuilt services.
    OutputError
        ``path`` is a folder or not a ``.zip``.
    ValueError
        A bad window, date or number of days.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> p = to_gtfs("baseline_2010", tempfile.mkdtemp() + "/baseline_2010_gtfs.zip")
    >>> zipfile.ZipFile(p).namelist()[-1]
    'frequencies.txt'
    """
    out = _output(path)
    t0, span = _window(start, end)
    if isinstance(scenario_or_graph, nx.Graph):
        if year is not None:
            raise ValueError("to_gtfs: year= applies to a scenario; a graph holds its own year")
        sc, year_g = _scenario_of_graph(scenario_or_graph)
        fs = feed_services(sc, year_g, model=model)
        _check_graph(scenario_or_graph, fs)
    else:
        fs = feed_services(scenario_or_graph, year, model=model)
    first, last = _calendar(service_date, days, fs.year)
    tables = _info_rows(fs, first, last, frequencies)
    tables["routes.txt"] = _route_rows(fs)
    tables["stops.txt"] = _stop_rows(fs)
    tables.update(_trip_tables(fs, t0, span, frequencies))
    write_bytes(out, _zip(tables))
    log.info(
        "GTFS %s (%s, %d): %d services, %d trips, %d stops", out, fs.scenario.name, fs.year,
        len(fs.services), len(tables["trips.txt"]), len(tables["stops.txt"]),
    )  # fmt: skip
    return out

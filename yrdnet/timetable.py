"""GTFS timetables and timetable routing with the Connection Scan Algorithm (CSA).

:func:`read_gtfs` loads one service day of a GTFS feed (by default the shipped
``gtfs_yrd_2016.zip``) into a :class:`Timetable`: its stops, its trips and its
*connections* — one per pair of consecutive stops of a trip (a train leaving ``u`` at
``dep_time`` and next stopping at ``v`` at ``arr_time``) — sorted by departure time.

Two routers scan that array once, in order, vectorised with numpy over many sources:

* :func:`earliest_arrival` — earliest arrival at every stop from one or many origins
  leaving at one time (one source per origin);
* :func:`pair_table` — the profile of every origin over the day (one source per
  departure event of the origin), reduced to the fastest scheduled trip, the fastest
  direct train and the door-to-door-at-the-station mean over a departure window.

Conventions shared by all functions

* **Times** are seconds since midnight of the service day (``float``); GTFS times past
  ``24:00:00`` (trains running after midnight) stay above 86 400, so a journey that
  crosses midnight is timed without wrapping. Only trips of the chosen service day are
  loaded: trains of the previous day still running after midnight are not modelled.
* **Transfers** between two trips at a stop need ``min_transfer_min`` minutes
  (:class:`TimetableParams`); staying on the same train needs none, and boarding at the
  origin needs none (the traveller is already at the station).
* **Unreachable** stops get ``inf`` (times) or are left out (:func:`pair_table`).
  Self-pairs are excluded from :func:`pair_table`.
* ``pickup_type`` / ``drop_off_type``, frequencies, transfers.txt and footpaths between
  stations are ignored: every stop time is a stop where passengers may board and alight.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import math
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ._errors import DataError

__all__ = [
    "Timetable",
    "TimetableParams",
    "earliest_arrival",
    "pair_table",
    "read_gtfs",
]

logger = logging.getLogger(__name__)

_SHIPPED = "gtfs_yrd_2016.zip"
_MAX_SHOWN = 25
_TIME_RE = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")
_CLOCK_RE = re.compile(r"^\s*(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_REQUIRED: dict[str, tuple[str, ...]] = {
    "stops.txt": ("stop_id", "stop_name", "stop_lat", "stop_lon"),
    "routes.txt": ("route_id",),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
    "calendar.txt": ("service_id", *_WEEKDAYS, "start_date", "end_date"),
    "calendar_dates.txt": ("service_id", "date", "exception_type"),
}


# ----------------------------------------------------------------------------------------
# parameters
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimetableParams:
    """Defaults of the timetable routers.

    Parameters
    ----------
    min_transfer_min
        Minimum time, minutes, between arriving on one train and departing on another at
        the same station. *Assumption* 15 min: no official minimum connection time is
        published for Chinese HSR stations (12306 sells connecting itineraries without
        stating one). At the big hubs (Shanghai Hongqiao, Nanjing South, Hangzhou East)
        the in-station transfer passage takes about 10-15 min on foot, and boarding
        closes 3-5 min before departure, so 15 min is the shortest transfer a traveller
        can plan on; smaller stations where one must leave and re-enter through security
        need longer (30-40 min), so the default is optimistic there. For comparison, the
        speed-based model charges ``alight_min + wait_min`` = 13 min per change
        (:class:`yrdnet.params.TravelTimeModel`).
    window
        Departure window ``(start, end)`` (``"HH:MM"``, half-open) of the mean
        door-to-door time in :func:`pair_table`. Default ``("07:00", "21:00")``: the
        daytime span in which the YRD HSR timetable runs its regular service (first
        trains leave the hubs around 06:00-07:00, last ones around 21:00-22:00); earlier
        and later minutes would mostly measure the night gap, not the service.
        Conway, Byrd & van der Linden (2017) use a 2-hour peak window; a full day of
        intercity travel needs the longer one.
    """

    min_transfer_min: float = 15.0
    window: tuple[str, str] = ("07:00", "21:00")

    def __post_init__(self) -> None:
        v = self.min_transfer_min
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            msg = f"TimetableParams.min_transfer_min must be a finite number >= 0, got {v!r}"
            raise ValueError(msg)
        _window_seconds(self.window)

    def replace(self, **changes: Any) -> TimetableParams:
        """Return a copy with ``changes`` applied (validated like the constructor)."""
        return dataclasses.replace(self, **changes)


def _resolve(params: TimetableParams | None, **overrides: Any) -> TimetableParams:
    p = params if params is not None else TimetableParams()
    if not isinstance(p, TimetableParams):
        msg = f"params must be a TimetableParams, got {type(p).__name__}"
        raise TypeError(msg)
    changes = {k: v for k, v in overrides.items() if v is not None}
    return p.replace(**changes) if changes else p


def _clock_seconds(value: str | float, name: str) -> float:
    """``"HH:MM[:SS]"`` or a number of seconds -> seconds since midnight."""
    if isinstance(value, str):
        m = _CLOCK_RE.match(value)
        if not m:
            msg = f"{name} must be 'HH:MM' or 'HH:MM:SS' (or seconds since midnight), got {value!r}"
            raise ValueError(msg)
        return float(int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3] or 0))
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not np.isfinite(value):
        msg = f"{name} must be 'HH:MM', 'HH:MM:SS' or a finite number of seconds, got {value!r}"
        raise TypeError(msg)
    return float(value)


def _window_seconds(window: tuple[str, str]) -> tuple[float, float]:
    if not isinstance(window, tuple) or len(window) != 2:
        msg = f"window must be a pair ('HH:MM', 'HH:MM'), got {window!r}"
        raise ValueError(msg)
    a, b = (_clock_seconds(w, "window") for w in window)
    if b <= a:
        msg = f"window must end after it starts, got {window!r}"
        raise ValueError(msg)
    return a, b


# ----------------------------------------------------------------------------------------
# the timetable
# ----------------------------------------------------------------------------------------
def _frozen(a: Any, dtype: Any) -> np.ndarray:
    out = np.array(a, dtype=dtype)  # a copy, so callers' arrays stay writable and untouched
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class Timetable:
    """One service day of a GTFS feed, as arrays ready for the Connection Scan Algorithm.

    Parameters
    ----------
    stops
        Indexed by ``stop_id`` (the integer index of a stop is its position): ``name``,
        ``lon``, ``lat``. Stops served by no trip of the day are kept.
    trips
        Trips running on ``date``, indexed by ``trip_id`` (position = trip index):
        ``route_id``, ``train`` (train number, GTFS ``trip_short_name``) and
        ``train_class`` (``G``/``D``/``C`` from ``route_desc``).
    dep_stop, arr_stop, dep_time, arr_time, trip
        The connections, sorted by ``dep_time`` (then ``arr_time``): stop indices,
        seconds since midnight (float) and trip index.
    event_trip, event_stop, event_arrival, event_departure
        The stop events (GTFS stop times) of the trips, ordered by trip and stop sequence.
    date
        The service day.
    source
        Where the feed was read from.
    """

    stops: pd.DataFrame
    trips: pd.DataFrame
    dep_stop: np.ndarray
    arr_stop: np.ndarray
    dep_time: np.ndarray
    arr_time: np.ndarray
    trip: np.ndarray
    event_trip: np.ndarray
    event_stop: np.ndarray
    event_arrival: np.ndarray
    event_departure: np.ndarray
    date: dt.date | None = None
    source: str = ""
    _blocks: np.ndarray = field(init=False, repr=False)
    _stop_index: Mapping[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n_c = len(self.dep_stop)
        n_e = len(self.event_trip)
        conn = ("dep_stop", "arr_stop", "dep_time", "arr_time", "trip")
        ev = ("event_trip", "event_stop", "event_arrival", "event_departure")
        bad = [f"{k} ({len(getattr(self, k))})" for k in conn if len(getattr(self, k)) != n_c]
        bad += [f"{k} ({len(getattr(self, k))})" for k in ev if len(getattr(self, k)) != n_e]
        if bad:
            msg = f"Timetable: connection arrays must have {n_c} and event arrays {n_e} entries; got {bad}"
            raise ValueError(msg)
        for k in conn + ev:
            kind = np.float64 if k.endswith(("_time", "arrival", "departure")) else np.int64
            object.__setattr__(self, k, _frozen(getattr(self, k), kind))
        if n_c and np.any(np.diff(self.dep_time) < 0):
            msg = "Timetable: connections must be sorted by dep_time"
            raise ValueError(msg)
        if np.any(self.arr_time < self.dep_time):
            msg = "Timetable: a connection arrives before it departs"
            raise ValueError(msg)
        object.__setattr__(self, "_blocks", _independent_blocks(self.dep_time, self.arr_time))
        ids = {str(s): i for i, s in enumerate(self.stops.index)}
        object.__setattr__(self, "_stop_index", MappingProxyType(ids))

    @property
    def n_stops(self) -> int:
        """Number of stops (including those no trip serves)."""
        return len(self.stops)

    @property
    def n_trips(self) -> int:
        """Number of trips running on the service day."""
        return len(self.trips)

    @property
    def n_stop_events(self) -> int:
        """Number of stop times of those trips (connections + trips)."""
        return len(self.event_trip)

    @property
    def n_connections(self) -> int:
        """Number of connections."""
        return len(self.dep_time)

    @property
    def stop_index(self) -> Mapping[str, int]:
        """Read-only mapping ``stop_id -> integer index`` used by the connection arrays."""
        return self._stop_index

    def __repr__(self) -> str:
        return (
            f"Timetable(date={self.date}, n_stops={self.n_stops}, n_trips={self.n_trips}, "
            f"n_connections={self.n_connections}, source={self.source!r})"
        )


def _independent_blocks(dep: np.ndarray, arr: np.ndarray) -> np.ndarray:
    """Boundaries of runs of connections that cannot feed one another.

    A connection ``j`` can only use ``k`` (earlier in the order) if ``arr[k] <= dep[j]``;
    a run where every ``dep[j]`` is before the arrivals of all earlier members is
    processed in one vectorised step with the same result as one-by-one CSA.
    """
    starts = [0]
    m = math.inf
    for j, (d, a) in enumerate(zip(dep.tolist(), arr.tolist(), strict=True)):
        if d >= m:
            starts.append(j)
            m = a
        else:
            m = min(m, a)
    starts.append(len(dep))
    if len(dep) == 0:
        starts = [0, 0]
    return np.asarray(starts, dtype=np.int64)


# ----------------------------------------------------------------------------------------
# reading GTFS
# ----------------------------------------------------------------------------------------
class _Problems:
    """Collect problems across the files of a feed; raise them as one DataError."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, file: str, message: str, *, row: int | None = None, column: str | None = None) -> None:
        where = file
        if row is not None:
            where += f" row {row}"
        if column is not None:
            where += f", column {column!r}"
        self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if not self.items:
            return
        n = len(self.items)
        shown = "\n  - ".join(self.items[:_MAX_SHOWN])
        more = f"\n  ... and {n - _MAX_SHOWN} more" if n > _MAX_SHOWN else ""
        msg = f"GTFS feed {self.source}: {n} problem{'s' if n > 1 else ''}:\n  - {shown}{more}"
        raise DataError(msg)


def _read_tables(path: Path, probs: _Problems) -> dict[str, pd.DataFrame]:
    """Read every GTFS file we use (``None``-free dict of those present)."""
    out: dict[str, pd.DataFrame] = {}

    def parse(name: str, raw: bytes) -> None:
        try:
            df = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as e:
            probs.add(name, f"cannot parse as UTF-8 CSV ({e})")
            return
        df.columns = [c.strip() for c in df.columns]
        out[name] = df

    if path.is_dir():
        for name in _REQUIRED:
            f = path / name
            if f.is_file():
                parse(name, f.read_bytes())
    elif path.is_file():
        try:
            with zipfile.ZipFile(path) as z:
                members = {Path(n).name: n for n in z.namelist() if not n.endswith("/")}
                for name in _REQUIRED:
                    if name in members:
                        parse(name, z.read(members[name]))
        except zipfile.BadZipFile:
            msg = f"GTFS feed {path}: not a zip file or folder"
            raise DataError(msg) from None
    else:
        msg = f"GTFS feed not found: {path} (expected a .zip file or a folder of GTFS .txt files)"
        raise DataError(msg)
    for name in ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt"):
        if name not in out and not any(name in s for s in probs.items):
            probs.add(name, "missing file (required)")
    if "calendar.txt" not in out and "calendar_dates.txt" not in out:
        probs.add("calendar.txt", "missing file (calendar.txt or calendar_dates.txt is required)")
    for name, df in out.items():
        missing = [c for c in _REQUIRED[name] if c not in df.columns]
        if missing:
            probs.add(name, f"missing column(s) {missing}; found {list(df.columns)}")
    return out


def _parse_times(s: pd.Series) -> np.ndarray:
    """``H:MM:SS`` strings -> seconds (NaN where unparseable)."""
    parts = s.str.extract(_TIME_RE)
    h, m, sec = (pd.to_numeric(parts[i], errors="coerce") for i in range(3))
    return (h * 3600 + m * 60 + sec).to_numpy(dtype=np.float64)


def _parse_date(value: Any, name: str, *, gtfs: bool = False) -> dt.date:
    if gtfs and not re.fullmatch(r"\s*\d{8}\s*", str(value)):
        msg = f"{name} must be YYYYMMDD, got {value!r}"
        raise ValueError(msg)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for fmt in ("%Y%m%d", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                pass
    msg = f"{name} must be a date, 'YYYY-MM-DD' or 'YYYYMMDD', got {value!r}"
    raise ValueError(msg)


def _service_dates(tables: dict[str, pd.DataFrame], probs: _Problems) -> dict[str, set[dt.date]]:
    """Dates on which each service runs (calendar rules plus calendar_dates exceptions)."""
    dates: dict[str, set[dt.date]] = {}
    cal = tables.get("calendar.txt")
    if cal is not None:
        for i, rec in enumerate(cal.to_dict("records")):
            line = i + 2
            try:
                a = _parse_date(rec["start_date"], "start_date", gtfs=True)
                b = _parse_date(rec["end_date"], "end_date", gtfs=True)
            except ValueError:
                probs.add(
                    "calendar.txt",
                    f"expected dates YYYYMMDD, found {rec['start_date']!r}..{rec['end_date']!r}",
                    row=line,
                    column="start_date/end_date",
                )
                continue
            flags = []
            for d in _WEEKDAYS:
                v = str(rec[d]).strip()
                if v not in ("0", "1"):
                    probs.add("calendar.txt", f"expected 0 or 1, found {v!r}", row=line, column=d)
                flags.append(v == "1")
            days = dates.setdefault(str(rec["service_id"]), set())
            n = (b - a).days + 1
            days.update(a + dt.timedelta(k) for k in range(max(n, 0)) if flags[(a + dt.timedelta(k)).weekday()])
    cd = tables.get("calendar_dates.txt")
    if cd is not None:
        for i, rec in enumerate(cd.to_dict("records")):
            try:
                when = _parse_date(rec["date"], "date", gtfs=True)
            except ValueError:
                probs.add("calendar_dates.txt", f"expected YYYYMMDD, found {rec['date']!r}", row=i + 2, column="date")
                continue
            kind = str(rec["exception_type"]).strip()
            days = dates.setdefault(str(rec["service_id"]), set())
            if kind == "1":
                days.add(when)
            elif kind == "2":
                days.discard(when)
            else:
                probs.add("calendar_dates.txt", f"expected 1 or 2, found {kind!r}", row=i + 2, column="exception_type")
    return dates


def _check_stops(stops: pd.DataFrame, probs: _Problems) -> pd.DataFrame:
    dup = stops["stop_id"].duplicated()
    for i in np.flatnonzero(dup.to_numpy()):
        probs.add("stops.txt", f"duplicate stop_id {stops['stop_id'].iloc[i]!r}", row=int(i) + 2, column="stop_id")
    out = pd.DataFrame(
        {
            "name": stops["stop_name"].to_numpy(),
            "lon": pd.to_numeric(stops["stop_lon"], errors="coerce").to_numpy(),
            "lat": pd.to_numeric(stops["stop_lat"], errors="coerce").to_numpy(),
        },
        index=pd.Index(stops["stop_id"].to_numpy(), name="stop_id"),
    )
    for col, gcol, lim in (("lon", "stop_lon", 180), ("lat", "stop_lat", 90)):
        v = out[col].to_numpy()
        for i in np.flatnonzero(~(np.abs(v) <= lim)):
            probs.add(
                "stops.txt", f"expected a number in ±{lim}, found {stops[gcol].iloc[i]!r}", row=int(i) + 2, column=gcol
            )
    return out


def _check_stop_times(
    st: pd.DataFrame, stop_ids: pd.Index, trip_ids: pd.Index, probs: _Problems
) -> tuple[pd.DataFrame, np.ndarray]:
    """Validate stop_times.txt; return it sorted by trip and sequence, with times in seconds."""
    f = "stop_times.txt"
    line = np.arange(len(st)) + 2
    trip = st["trip_id"].to_numpy()

    def report(mask: np.ndarray, column: str, what: Any) -> None:
        for i in np.flatnonzero(mask):
            text = what(i) if callable(what) else what
            probs.add(f, f"(trip {trip[i]!r}) {text}", row=int(line[i]), column=column)

    arr = _parse_times(st["arrival_time"])
    dep = _parse_times(st["departure_time"])
    a_empty = st["arrival_time"].str.strip().eq("").to_numpy()
    d_empty = st["departure_time"].str.strip().eq("").to_numpy()
    arr = np.where(a_empty, dep, arr)  # GTFS: one of the two may be left empty
    dep = np.where(d_empty, arr, dep)
    for col, val, empty in (("arrival_time", arr, a_empty), ("departure_time", dep, d_empty)):
        raw = st[col].to_numpy()
        report(np.isnan(val) & ~empty, col, lambda i, raw=raw: f"expected a time H:MM:SS, found {raw[i]!r}")
    report(a_empty & d_empty, "arrival_time", "expected a time H:MM:SS, both arrival_time and departure_time empty")
    seq = pd.to_numeric(st["stop_sequence"], errors="coerce").to_numpy(dtype=np.float64)
    bad_seq = ~(np.isfinite(seq) & (seq == np.round(seq)) & (seq >= 0))
    raw_seq = st["stop_sequence"].to_numpy()
    report(bad_seq, "stop_sequence", lambda i: f"expected a non-negative integer, found {raw_seq[i]!r}")
    stop = st["stop_id"].to_numpy()
    unknown_stop = ~st["stop_id"].isin(stop_ids).to_numpy()
    report(unknown_stop, "stop_id", lambda i: f"unknown stop_id {stop[i]!r} (not in stops.txt)")
    unknown_trip = ~st["trip_id"].isin(trip_ids).to_numpy()
    report(unknown_trip, "trip_id", "unknown trip_id (not in trips.txt)")

    df = pd.DataFrame({"trip_id": trip, "stop_id": stop, "seq": seq, "arr": arr, "dep": dep, "line": line})
    df = df.sort_values(["trip_id", "seq", "line"], kind="stable").reset_index(drop=True)
    ok = np.isfinite(df["seq"].to_numpy())
    same_trip = np.r_[False, df["trip_id"].to_numpy()[1:] == df["trip_id"].to_numpy()[:-1]]
    s = df["seq"].to_numpy()
    dup = same_trip & ok & np.r_[False, s[1:] == s[:-1]]
    a, d, ln, tr = df["arr"].to_numpy(), df["dep"].to_numpy(), df["line"].to_numpy(), df["trip_id"].to_numpy()
    for i in np.flatnonzero(dup):
        probs.add(f, f"(trip {tr[i]!r}) duplicate stop_sequence {int(s[i])}", row=int(ln[i]), column="stop_sequence")
    with np.errstate(invalid="ignore"):
        dwell_bad = d < a
        prev_d = np.r_[np.nan, d[:-1]]
        run_bad = same_trip & (a < prev_d)
    for i in np.flatnonzero(dwell_bad):
        probs.add(
            f,
            f"(trip {tr[i]!r}) times must not decrease: expected departure_time >= arrival_time "
            f"{_hms(a[i])}, found {_hms(d[i])}",
            row=int(ln[i]),
            column="departure_time",
        )
    for i in np.flatnonzero(run_bad):
        probs.add(
            f,
            f"(trip {tr[i]!r}) times must not decrease along the trip: expected arrival_time >= "
            f"{_hms(prev_d[i])} (departure at stop_sequence {int(s[i - 1])}), found {_hms(a[i])}",
            row=int(ln[i]),
            column="arrival_time",
        )
    return df, line


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def read_gtfs(path: str | Path | None = None, *, date: str | dt.date | None = None) -> Timetable:
    """Read one service day of a GTFS feed into a :class:`Timetable`.

    Parameters
    ----------
    path
        A GTFS ``.zip`` or a folder of GTFS ``.txt`` files. Default: the shipped feed
        ``yrdnet.datasets.get_path("gtfs_yrd_2016.zip")``.
    date
        Service day (``datetime.date``, ``"YYYY-MM-DD"`` or ``"YYYYMMDD"``). Default: the
        first date on which any service of the feed runs (the shipped feed has one,
        2016-03-10).

    Returns
    -------
    Timetable
        Every stop of ``stops.txt``; the trips active on ``date`` with their stop times and
        connections.

    Raises
    ------
    DataError
        Listing every problem found, each naming the file, the row (line number, header
        = 1), the trip and the column at fault and what was expected: a missing file or
        column, an unparseable time, date or number, times that decrease along a trip,
        an unknown ``stop_id``, ``trip_id`` or ``route_id``, or no trip on ``date``.

    Notes
    -----
    Reads ``stops``, ``routes``, ``trips``, ``stop_times``, ``calendar`` and
    ``calendar_dates`` (at least one of the last two). A trip runs on ``date`` if its
    ``service_id`` is active that day under the weekly ``calendar.txt`` rule (between
    ``start_date`` and ``end_date`` on a flagged weekday) with the exceptions of
    ``calendar_dates.txt`` (1 adds, 2 removes the day). When one of ``arrival_time`` and
    ``departure_time`` is empty the other is used; interpolating untimed stops is not
    supported. Times past ``24:00:00`` are kept as seconds past 86 400. The train number
    is ``trip_short_name`` (else the route's ``route_short_name``, else ``trip_id``); the
    class is ``route_desc`` (else the first letter of the train number).

    Examples
    --------
    >>> import tempfile
    >>> from yrdnet.testing import tiny_feed
    >>> tt = read_gtfs(tiny_feed(tempfile.mkdtemp()))
    >>> tt
    Timetable(date=2016-03-10, n_stops=7, n_trips=6, n_connections=9, source=...)
    >>> tt.trips.loc["t1", ["train", "train_class"]].tolist()
    ['G7001', 'G']
    """
    if path is None:
        from .datasets import get_path

        path = get_path(_SHIPPED)
    path = Path(path)
    probs = _Problems(path)
    tables = _read_tables(path, probs)
    probs.raise_if_any()

    stops = _check_stops(tables["stops.txt"], probs)
    routes = tables["routes.txt"]
    trips_raw = tables["trips.txt"]
    for name, df, key in (("routes.txt", routes, "route_id"), ("trips.txt", trips_raw, "trip_id")):
        for i in np.flatnonzero(df[key].duplicated().to_numpy()):
            probs.add(name, f"duplicate {key} {df[key].iloc[i]!r}", row=int(i) + 2, column=key)
    unknown_route = ~trips_raw["route_id"].isin(routes["route_id"]).to_numpy()
    for i in np.flatnonzero(unknown_route):
        probs.add(
            "trips.txt",
            f"(trip {trips_raw['trip_id'].iloc[i]!r}) unknown route_id {trips_raw['route_id'].iloc[i]!r} "
            "(not in routes.txt)",
            row=int(i) + 2,
            column="route_id",
        )
    st, _ = _check_stop_times(tables["stop_times.txt"], stops.index, pd.Index(trips_raw["trip_id"]), probs)
    services = _service_dates(tables, probs)
    probs.raise_if_any()

    all_dates = sorted(set().union(*services.values())) if services else []
    if date is None:
        if not all_dates:
            probs.add("calendar.txt", "no service runs on any date")
            probs.raise_if_any()
        day = all_dates[0]
    else:
        day = _parse_date(date, "date")
    active_services = {s for s, days in services.items() if day in days}
    trips = trips_raw[trips_raw["service_id"].isin(active_services)]
    if trips.empty:
        span = f"{all_dates[0]}..{all_dates[-1]}" if all_dates else "none"
        probs.add("trips.txt", f"no trip runs on {day} (service dates in the feed: {span})", column="service_id")
        probs.raise_if_any()
    trips = trips[trips["trip_id"].isin(st["trip_id"])]  # a trip without stop times has no connection

    r = routes.set_index("route_id")
    rshort = r["route_short_name"] if "route_short_name" in r.columns else pd.Series(dtype=str)
    rdesc = r["route_desc"] if "route_desc" in r.columns else pd.Series(dtype=str)
    train = trips["trip_short_name"] if "trip_short_name" in trips.columns else pd.Series("", index=trips.index)
    train = train.where(train.str.strip() != "", trips["route_id"].map(rshort).fillna(""))
    train = train.where(train.str.strip() != "", trips["trip_id"])
    cls = trips["route_id"].map(rdesc).fillna("")
    cls = cls.where(cls.str.strip() != "", train.str[:1])
    trip_df = pd.DataFrame(
        {"route_id": trips["route_id"].to_numpy(), "train": train.to_numpy(), "train_class": cls.to_numpy()},
        index=pd.Index(trips["trip_id"].to_numpy(), name="trip_id"),
    )

    st = st[st["trip_id"].isin(trip_df.index)].reset_index(drop=True)
    ev_trip = trip_df.index.get_indexer(st["trip_id"])
    ev_stop = stops.index.get_indexer(st["stop_id"])
    ev_arr = st["arr"].to_numpy()
    ev_dep = st["dep"].to_numpy()
    nxt = np.r_[ev_trip[1:] == ev_trip[:-1], False] if len(ev_trip) else np.zeros(0, bool)
    first = np.flatnonzero(nxt)  # events followed by another of the same trip
    c = first[np.lexsort((first, ev_arr[first + 1], ev_dep[first]))]
    logger.info("GTFS %s on %s: %d stops, %d trips, %d connections", path.name, day, len(stops), len(trip_df), len(c))
    return Timetable(
        stops=stops,
        trips=trip_df,
        dep_stop=ev_stop[c],
        arr_stop=ev_stop[c + 1],
        dep_time=ev_dep[c],
        arr_time=ev_arr[c + 1],
        trip=ev_trip[c],
        event_trip=ev_trip,
        event_stop=ev_stop,
        event_arrival=ev_arr,
        event_departure=ev_dep,
        date=day,
        source=str(path),
    )


# ----------------------------------------------------------------------------------------
# the Connection Scan Algorithm, vectorised over sources
# ----------------------------------------------------------------------------------------
def _scan(tt: Timetable, start_stop: np.ndarray, start_time: np.ndarray, transfer_s: float) -> np.ndarray:
    """Earliest arrival at every stop for many sources, one CSA pass over the connections.

    Source ``r`` is at stop ``start_stop[r]`` from time ``start_time[r]``; sources must be
    sorted by ``start_time``. Returns ``(n_stops, n_sources)`` seconds (``inf``
    unreachable; the source's own stop holds ``start_time``).

    State (stop-major, so that gathering by stop copies contiguous rows): ``ready[s, r]``
    = earliest time source ``r`` can board a train at ``s`` (``start_time`` at its own
    stop, arrival + transfer elsewhere) and ``on[t, r]`` = source ``r`` is aboard trip
    ``t``. Connections are taken a block at a time (:func:`_independent_blocks`); within
    a block no connection can feed another, so reading the state before the block and
    writing once after gives the result of the one-at-a-time scan.
    """
    n = len(start_stop)
    ready = np.full((tt.n_stops, n), np.inf)
    cols = np.arange(n)
    ready[start_stop, cols] = start_time
    if n == 0 or tt.n_connections == 0:
        return ready
    on = np.zeros((tt.n_trips, n), dtype=bool)
    blocks = tt._blocks
    first_block = int(np.searchsorted(blocks[1:], np.searchsorted(tt.dep_time, start_time[0]), side="right"))
    for b in range(first_block, len(blocks) - 1):
        a, z = int(blocks[b]), int(blocks[b + 1])
        if a == z:
            continue
        k = int(np.searchsorted(start_time, tt.dep_time[z - 1], side="right"))  # sources started by then
        if k == 0:
            continue
        ds, trp, dep = tt.dep_stop[a:z], tt.trip[a:z], tt.dep_time[a:z]
        board = on[trp, :k]
        board |= ready[ds, :k] <= dep[:, None]
        if not board.any():
            continue
        on[trp, :k] = board
        val = np.where(board, (tt.arr_time[a:z] + transfer_s)[:, None], np.inf)
        arr = tt.arr_stop[a:z]
        if z - a > 1 and len(np.unique(arr)) < z - a:
            o = np.argsort(arr, kind="stable")
            arr, val = arr[o], val[o]
            head = np.r_[True, arr[1:] != arr[:-1]]
            val = np.minimum.reduceat(val, np.flatnonzero(head), axis=0)
            arr = arr[head]
        ready[arr, :k] = np.minimum(ready[arr, :k], val)
    ea = ready - transfer_s
    ea[start_stop, cols] = start_time
    return ea


def _stop_positions(tt: Timetable, ids: Iterable[Any] | str, name: str) -> tuple[list[str], np.ndarray]:
    wanted = [ids] if isinstance(ids, str) else [str(i) for i in ids]
    if not wanted:
        msg = f"{name} is empty"
        raise ValueError(msg)
    idx = tt.stops.index.get_indexer(wanted)  # type: ignore[arg-type]  # pandas-stubs: any list-like
    if (idx < 0).any():
        import difflib

        bad = [w for w, i in zip(wanted, idx, strict=True) if i < 0]
        hint = difflib.get_close_matches(bad[0], [str(s) for s in tt.stops.index], n=3)
        msg = f"{name}: unknown stop id(s) {bad[:_MAX_SHOWN]} (not in the timetable's stops; closest: {hint})"
        raise DataError(msg)
    return wanted, idx


def earliest_arrival(
    tt: Timetable,
    origins: str | Iterable[str],
    depart_at: str | float,
    *,
    min_transfer_min: float | None = None,
    params: TimetableParams | None = None,
) -> pd.DataFrame:
    r"""Earliest arrival at every stop from one or many origins, leaving at one time.

    With connections :math:`c = (u_c, v_c, \tau^d_c, \tau^a_c, t_c)` scanned in order of
    departure, the Connection Scan Algorithm sets, for every origin :math:`o`,

    .. math:: c \text{ usable} \iff \mathrm{on}_o(t_c) \,\lor\,
              \bigl(u_c = o \land \tau^d_c \ge \tau_0\bigr) \,\lor\,
              \bigl(u_c \ne o \land \tau^d_c \ge EA_o(u_c) + \delta\bigr)

    and, if usable, :math:`\mathrm{on}_o(t_c) \leftarrow \mathrm{true}` and
    :math:`EA_o(v_c) \leftarrow \min(EA_o(v_c), \tau^a_c)`, where :math:`\tau_0` is
    ``depart_at`` and :math:`\delta` the minimum transfer time.

    Parameters
    ----------
    tt
        The timetable (:func:`read_gtfs`).
    origins
        One stop id or several.
    depart_at
        Time the traveller is at the origin station: ``"HH:MM[:SS]"`` or seconds since
        midnight (may exceed 86 400).
    min_transfer_min
        Minutes needed to change trains at a stop. Default ``params.min_transfer_min``.
    params
        Defaults (:class:`TimetableParams`).

    Returns
    -------
    pandas.DataFrame
        Seconds since midnight, one row per origin (index ``origin``) and one column per
        stop of ``tt`` (``stop``); ``inf`` where the stop cannot be reached that day.

    Notes
    -----
    The origin's own entry is ``depart_at``. A train is boarded at the origin without a
    transfer margin; arriving and staying on the same train needs none either. Times past
    midnight continue beyond 86 400 s within the service day; trains of the next day are
    not in the timetable, so a stop reachable only then is ``inf``. All origins are
    scanned together: the connection array is read once, with per-origin state as numpy
    arrays of shape ``(n_stops, n_origins)`` and ``(n_trips, n_origins)``.

    References
    ----------
    .. [1] Dibbelt, J., Pajor, T., Strasser, B. & Wagner, D. (2018). Connection Scan
       Algorithm. *ACM Journal of Experimental Algorithmics*, 23, 1.7.
       https://doi.org/10.1145/3274661

    Examples
    --------
    >>> import tempfile
    >>> from yrdnet.testing import tiny_feed
    >>> tt = read_gtfs(tiny_feed(tempfile.mkdtemp()))
    >>> ea = earliest_arrival(tt, "shanghai_hongqiao", "07:50", min_transfer_min=15)
    >>> (ea.loc["shanghai_hongqiao", ["nanjing_south", "hefei_south"]] / 3600).round(2).tolist()
    [9.5, 11.17]
    >>> ea = earliest_arrival(tt, "shanghai_hongqiao", "07:50", min_transfer_min=5)
    >>> round(float(ea.loc["shanghai_hongqiao", "hefei_south"]) / 3600, 2)  # the 09:40 is caught
    10.67
    """
    p = _resolve(params, min_transfer_min=min_transfer_min)
    t0 = _clock_seconds(depart_at, "depart_at")
    ids, idx = _stop_positions(tt, origins, "origins")
    ea = _scan(tt, idx, np.full(len(idx), t0), 60.0 * p.min_transfer_min)
    return pd.DataFrame(
        ea.T, index=pd.Index(ids, name="origin"), columns=pd.Index(tt.stops.index, name="stop"), copy=False
    )


# ----------------------------------------------------------------------------------------
# pair table
# ----------------------------------------------------------------------------------------
def _direct(tt: Timetable) -> pd.DataFrame:
    """Per ordered stop pair served by one train: count, fastest time and train."""
    tr, stop = tt.event_trip, tt.event_stop
    if len(tr) == 0:
        return pd.DataFrame(columns=["o", "d", "direct_trains", "fastest_direct_min", "fastest_train"])
    start = np.flatnonzero(np.r_[True, tr[1:] != tr[:-1]])
    length = np.diff(np.r_[start, len(tr)])
    parts = []
    for L in np.unique(length):
        if L < 2:
            continue
        s = start[length == L]
        ev = s[:, None] + np.arange(L)[None, :]  # (n trips, L) event positions
        i, j = np.triu_indices(int(L), 1)
        a, b = ev[:, i].ravel(), ev[:, j].ravel()
        parts.append(np.stack([a, b]))
    a, b = np.concatenate(parts, axis=1)
    df = pd.DataFrame(
        {
            "o": stop[a],
            "d": stop[b],
            "trip": tr[a],
            "dep": tt.event_departure[a],
            "dur": tt.event_arrival[b] - tt.event_departure[a],
        }
    )
    df = df[df["o"] != df["d"]]
    df = df.sort_values(["o", "d", "dur", "dep"], kind="stable")
    g = df.groupby(["o", "d"], sort=False)
    out = g.first()
    out["direct_trains"] = g["trip"].nunique()
    out["fastest_direct_min"] = out["dur"] / 60.0
    out["fastest_train"] = tt.trips["train"].to_numpy()[out["trip"].to_numpy()]
    return out.reset_index()[["o", "d", "direct_trains", "fastest_direct_min", "fastest_train"]]


def pair_table(
    tt: Timetable,
    *,
    stations: Iterable[str] | None = None,
    window: tuple[str, str] | None = None,
    min_transfer_min: float | None = None,
    params: TimetableParams | None = None,
) -> pd.DataFrame:
    r"""Scheduled travel times between every connected ordered pair of stops.

    For origin :math:`o`, destination :math:`d` and a time :math:`t` at which the
    traveller is at :math:`o`, let :math:`EA_{od}(t)` be the earliest arrival at
    :math:`d` (:func:`earliest_arrival`) and :math:`\tau_{od}(t) \ge t` the departure of
    the first train of that journey. Over the departure events :math:`\tau` of :math:`o`
    and the minutes :math:`t \in W` of the window,

    .. math::

        \text{fastest}_{od} = \min_{\tau} \bigl(EA_{od}(\tau) - \tau\bigr), \qquad
        \text{mean}_{od} = \frac{1}{|W_{od}|} \sum_{t \in W_{od}} \bigl(EA_{od}(t) - t\bigr),
        \qquad
        \text{wait}_{od} = \frac{1}{|W_{od}|} \sum_{t \in W_{od}} \bigl(\tau_{od}(t) - t\bigr)

    with :math:`W_{od} = \{t \in W : EA_{od}(t) < \infty\}`.

    Parameters
    ----------
    tt
        The timetable (:func:`read_gtfs`).
    stations
        Restrict origins and destinations to these stop ids (journeys may still change
        trains elsewhere). Default: every stop.
    window
        Departure window ``("HH:MM", "HH:MM")``, half-open, sampled every minute.
        Default ``params.window`` (07:00-21:00, 840 minutes).
    min_transfer_min
        Minutes needed to change trains. Default ``params.min_transfer_min``.
    params
        Defaults (:class:`TimetableParams`).

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair (``origin != destination``) joined by at least one
        journey on the service day, sorted by origin and destination:

        * ``fastest_min`` — the fastest scheduled trip (arrival - departure of the first
          train, transfers allowed), minutes;
        * ``fastest_direct_min`` — the fastest single train (``NaN`` if none);
        * ``direct_trains`` — trains a day that stop at the origin and later at the
          destination (0 if none);
        * ``fastest_train`` — train number of the fastest direct train (``None`` if none;
          ties go to the earlier departure);
        * ``mean_min`` — door-to-door at the station: for every minute :math:`t` of the
          window, earliest arrival when showing up at the origin at :math:`t`, minus
          :math:`t`, averaged over the minutes from which the destination is reachable
          (``NaN`` if none);
        * ``mean_wait_min`` — mean initial wait (first departure minus :math:`t`) of the
          same journeys;
        * ``window_share`` — share of the window's minutes from which the destination is
          reachable the same day.

    Notes
    -----
    ``mean_min`` is the average over departure minutes of the R5 / Conway, Byrd & van
    der Linden (2017) approach [2]_ (Owen & Levinson [3]_ average minute by minute too);
    it includes the initial wait and so measures the frequency of service, while
    ``fastest_min`` is the policy's "fastest scheduled trip" and ignores it. When several
    journeys reach ``d`` equally early, the wait is that of the latest departure among
    them. Journeys may start inside the window and leave or arrive after it, and may
    run past midnight (times continue beyond 24:00). Minutes after the last useful
    departure of the day are left out of the means (``window_share`` < 1); the
    alternative, counting them as infinite, would make every mean infinite.

    The profile is computed by multi-source CSA [1]_: every departure event
    :math:`(o, \tau)` of an origin is a source and the connections are scanned once for
    all of them; :math:`EA_{od}(t)` for a minute :math:`t` is then the value of the
    first departure event at or after :math:`t` (showing up at :math:`\tau` allows every
    later departure, so the profile is non-decreasing). Direct-train columns are counted
    from the stop times; a train calling twice at a stop counts once.

    References
    ----------
    .. [1] Dibbelt, J., Pajor, T., Strasser, B. & Wagner, D. (2018). Connection Scan
       Algorithm. *ACM Journal of Experimental Algorithmics*, 23, 1.7.
       https://doi.org/10.1145/3274661
    .. [2] Conway, M. W., Byrd, A. & van der Linden, M. (2017). Evidence-based transit
       and land use sketch planning using interactive accessibility methods on combined
       schedule and headway-based networks. *Transportation Research Record*, 2653,
       45-53. https://doi.org/10.3141/2653-06
    .. [3] Owen, A. & Levinson, D. M. (2015). Modeling the commute mode share of transit
       using continuous accessibility to jobs. *Transportation Research Part A*, 74,
       110-122. https://doi.org/10.1016/j.tra.2015.02.002

    Examples
    --------
    >>> import tempfile
    >>> from yrdnet.testing import tiny_feed
    >>> tt = read_gtfs(tiny_feed(tempfile.mkdtemp()))
    >>> pt = pair_table(tt, min_transfer_min=15).set_index(["origin", "destination"])
    >>> row = pt.loc[("shanghai_hongqiao", "hefei_south")]
    >>> float(row.fastest_min), float(row.fastest_direct_min), row.fastest_train  # change at Nanjing South
    (190.0, 240.0, 'K8001')
    >>> int(pt.loc[("shanghai_hongqiao", "nanjing_south"), "direct_trains"])
    2
    """
    p = _resolve(params, min_transfer_min=min_transfer_min, window=window)
    w0, w1 = _window_seconds(p.window)
    transfer_s = 60.0 * p.min_transfer_min
    if stations is None:
        keep = np.arange(tt.n_stops)
    else:
        _, keep = _stop_positions(tt, list(stations), "stations")
        keep = np.unique(keep)
    is_kept = np.zeros(tt.n_stops, dtype=bool)
    is_kept[keep] = True

    # sources: distinct departure events (stop, time) of the kept origins, by time
    ev = pd.DataFrame({"s": tt.dep_stop, "t": tt.dep_time})
    ev = ev[is_kept[ev["s"].to_numpy()]].drop_duplicates().sort_values(["t", "s"], kind="stable")
    src_stop = ev["s"].to_numpy()
    src_time = ev["t"].to_numpy()
    logger.info("pair_table: %d departure events of %d origins, %d connections", len(ev), len(keep), tt.n_connections)
    ea = _scan(tt, src_stop, src_time, transfer_s)  # (n_stops, n_sources)

    minutes = np.arange(w0, w1, 60.0)
    ids = tt.stops.index.to_numpy()
    frames = []
    by_origin = pd.Series(np.arange(len(src_stop))).groupby(src_stop)
    for o, rows in by_origin:
        r = rows.to_numpy()  # sorted by time
        tau = src_time[r]
        E = ea[np.ix_(keep, r)]  # (n_dest, k)
        fastest = np.min(E - tau[None, :], axis=1)
        # last departure event with the same earliest arrival (latest departure of the journey)
        k = len(r)
        change = np.ones_like(E, dtype=bool)
        change[:, :-1] = E[:, :-1] != E[:, 1:]
        pos = np.where(change, np.arange(k)[None, :], k)
        last = np.minimum.accumulate(pos[:, ::-1], axis=1)[:, ::-1]
        nk = np.searchsorted(tau, minutes, side="left")
        valid = nk < k
        nkv = np.minimum(nk, k - 1)
        arr_t = np.where(valid[None, :], E[:, nkv], np.inf)
        ok = np.isfinite(arr_t)
        cnt = ok.sum(axis=1)
        wait = tau[last[:, nkv]] - minutes[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(ok, arr_t - minutes[None, :], 0.0).sum(axis=1) / cnt
            mean_wait = np.where(ok, wait, 0.0).sum(axis=1) / cnt
        frames.append(
            pd.DataFrame(
                {
                    "o": int(o),
                    "d": keep,
                    "fastest_min": fastest / 60.0,
                    "mean_min": mean / 60.0,
                    "mean_wait_min": mean_wait / 60.0,
                    "window_share": cnt / len(minutes),
                }
            )
        )
    cols = ["origin", "destination", "fastest_min", "fastest_direct_min", "direct_trains", "fastest_train"]
    cols += ["mean_min", "mean_wait_min", "window_share"]
    if not frames:
        return pd.DataFrame(columns=cols)
    df = pd.concat(frames, ignore_index=True)
    df = df[(df["o"] != df["d"]) & np.isfinite(df["fastest_min"])]
    direct = _direct(tt)
    df = df.merge(direct, on=["o", "d"], how="left")
    df["direct_trains"] = df["direct_trains"].fillna(0).astype(np.int64)
    df["fastest_train"] = df["fastest_train"].astype(object).where(df["direct_trains"] > 0, None)
    df["origin"] = ids[df["o"].to_numpy()]
    df["destination"] = ids[df["d"].to_numpy()]
    df = df.sort_values(["origin", "destination"], kind="stable").reset_index(drop=True)
    return df[cols]

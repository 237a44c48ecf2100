"""Reading GTFS feeds into a :class:`Timetable` (one service day, connections sorted).

:func:`read_gtfs` loads one service day of a GTFS feed (by default the shipped
``gtfs_yrd_2016.zip``): its stops, its trips and its *connections* — one per pair of
consecutive stops of a trip (a train leaving ``u`` at ``dep_time`` and next stopping at
``v`` at ``arr_time``) — sorted by departure time. Every problem of a feed is collected
and raised together as one :class:`yrdnet.DataError` naming the file, row, trip and
column. Routing on a :class:`Timetable` lives in :mod:`yrdnet.timetable`.

Times are seconds since midnight of the service day; GTFS times past ``24:00:00`` stay
above 86 400. Headway-based trips (``frequencies.txt``) are expanded into timed trips
(:mod:`yrdnet.timetable.frequencies`). ``pickup_type`` / ``drop_off_type``,
transfers.txt and footpaths between stations are ignored.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.validation import Problems
from yrdnet.region.datasets import get_path
from yrdnet.timetable.frequencies import expand_frequencies

__all__ = ["Timetable", "read_gtfs"]

logger = logging.getLogger(__name__)

_SHIPPED = "gtfs_yrd_2016.zip"
_MAX_SHOWN = 25
_TIME_RE = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_REQUIRED: dict[str, tuple[str, ...]] = {
    "stops.txt": ("stop_id", "stop_name", "stop_lat", "stop_lon"),
    "routes.txt": ("route_id",),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
    "calendar.txt": ("service_id", *_WEEKDAYS, "start_date", "end_date"),
    "calendar_dates.txt": ("service_id", "date", "exception_type"),
    "frequencies.txt": ("trip_id", "start_time", "end_time", "headway_secs"),
}


# ----------------------------------------------------------------------------------------
# parameters


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
def _read_tables(path: Path, probs: Problems) -> dict[str, pd.DataFrame]:
    """Read every GTFS file we use (``None``-free dict of those present)."""
    out: dict[str, pd.DataFrame] = {}

    def parse(name: str, raw: bytes) -> None:
        try:
            df = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as e:
            probs.add(None, None, f"cannot parse as UTF-8 CSV ({e})", file=name)
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
            probs.add(None, None, "missing file (required)", file=name)
    if "calendar.txt" not in out and "calendar_dates.txt" not in out:
        probs.add(None, None, "missing file (calendar.txt or calendar_dates.txt is required)", file="calendar.txt")
    for name, df in out.items():
        missing = [c for c in _REQUIRED[name] if c not in df.columns]
        if missing:
            probs.add(None, None, f"missing column(s) {missing}; found {list(df.columns)}", file=name)
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


def _service_dates(tables: dict[str, pd.DataFrame], probs: Problems) -> dict[str, set[dt.date]]:
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
                    line,
                    "start_date/end_date",
                    f"expected dates YYYYMMDD, found {rec['start_date']!r}..{rec['end_date']!r}",
                    file="calendar.txt",
                )
                continue
            flags = []
            for d in _WEEKDAYS:
                v = str(rec[d]).strip()
                if v not in ("0", "1"):
                    probs.add(line, d, f"expected 0 or 1, found {v!r}", file="calendar.txt")
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
                probs.add(i + 2, "date", f"expected YYYYMMDD, found {rec['date']!r}", file="calendar_dates.txt")
                continue
            kind = str(rec["exception_type"]).strip()
            days = dates.setdefault(str(rec["service_id"]), set())
            if kind == "1":
                days.add(when)
            elif kind == "2":
                days.discard(when)
            else:
                probs.add(i + 2, "exception_type", f"expected 1 or 2, found {kind!r}", file="calendar_dates.txt")
    return dates


def _check_stops(stops: pd.DataFrame, probs: Problems) -> pd.DataFrame:
    dup = stops["stop_id"].duplicated()
    for i in np.flatnonzero(dup.to_numpy()):
        probs.add(int(i) + 2, "stop_id", f"duplicate stop_id {stops['stop_id'].iloc[i]!r}", file="stops.txt")
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
            probs.add(int(i) + 2, gcol, f"expected a number in ±{lim}, found {stops[gcol].iloc[i]!r}", file="stops.txt")
    return out


def _check_stop_times(
    st: pd.DataFrame, stop_ids: pd.Index, trip_ids: pd.Index, probs: Problems
) -> tuple[pd.DataFrame, np.ndarray]:
    """Validate stop_times.txt; return it sorted by trip and sequence, with times in seconds."""
    f = "stop_times.txt"
    line = np.arange(len(st)) + 2
    trip = st["trip_id"].to_numpy()

    def report(mask: np.ndarray, column: str, what: Any) -> None:
        for i in np.flatnonzero(mask):
            text = what(i) if callable(what) else what
            probs.add(int(line[i]), column, f"(trip {trip[i]!r}) {text}", file=f)

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
        probs.add(int(ln[i]), "stop_sequence", f"(trip {tr[i]!r}) duplicate stop_sequence {int(s[i])}", file=f)
    with np.errstate(invalid="ignore"):
        dwell_bad = d < a
        prev_d = np.r_[np.nan, d[:-1]]
        run_bad = same_trip & (a < prev_d)
    for i in np.flatnonzero(dwell_bad):
        probs.add(
            int(ln[i]),
            "departure_time",
            f"(trip {tr[i]!r}) times must not decrease: expected departure_time >= arrival_time "
            f"{_hms(a[i])}, found {_hms(d[i])}",
            file=f,
        )
    for i in np.flatnonzero(run_bad):
        probs.add(
            int(ln[i]),
            "arrival_time",
            f"(trip {tr[i]!r}) times must not decrease along the trip: expected arrival_time >= "
            f"{_hms(prev_d[i])} (departure at stop_sequence {int(s[i - 1])}), found {_hms(a[i])}",
            file=f,
        )
    return df, line


def _check_frequencies(freq: pd.DataFrame, trip_ids: pd.Index, probs: Problems) -> pd.DataFrame:
    """Validate frequencies.txt; return ``trip_id``, ``start``, ``end``, ``headway`` (seconds) of the good rows."""
    f = "frequencies.txt"
    trip = freq["trip_id"].to_numpy()
    start, end = _parse_times(freq["start_time"]), _parse_times(freq["end_time"])
    head = pd.to_numeric(freq["headway_secs"], errors="coerce").to_numpy(dtype=np.float64)
    exact = freq["exact_times"].str.strip() if "exact_times" in freq.columns else pd.Series("", index=freq.index)
    bad = np.zeros(len(freq), dtype=bool)

    def report(mask: np.ndarray, column: str, what: Any) -> None:
        bad[mask] = True
        for i in np.flatnonzero(mask):
            probs.add(int(i) + 2, column, f"(trip {trip[i]!r}) {what(i) if callable(what) else what}", file=f)

    report(~freq["trip_id"].isin(trip_ids).to_numpy(), "trip_id", "unknown trip_id (not in trips.txt)")
    for col, val in (("start_time", start), ("end_time", end)):
        raw = freq[col].to_numpy()
        report(np.isnan(val), col, lambda i, raw=raw: f"expected a time H:MM:SS, found {raw[i]!r}")
    with np.errstate(invalid="ignore"):
        report(end <= start, "end_time", lambda i: f"expected a time after start_time {_hms(float(start[i]))}, "
               f"found {_hms(float(end[i]))}")  # fmt: skip
        ok_head = np.isfinite(head) & (head == np.round(head)) & (head > 0)
    raw_h = freq["headway_secs"].to_numpy()
    report(~ok_head, "headway_secs", lambda i: f"expected a positive whole number of seconds, found {raw_h[i]!r}")
    raw_x = exact.to_numpy()
    report(
        ~exact.isin(["", "0", "1"]).to_numpy(), "exact_times", lambda i: f"expected 0, 1 or empty, found {raw_x[i]!r}"
    )
    out = pd.DataFrame({"trip_id": trip, "start": start, "end": end, "headway": head, "line": np.arange(len(freq)) + 2})
    out = out[~bad].sort_values(["trip_id", "start"], kind="stable")
    same = out["trip_id"].to_numpy()[1:] == out["trip_id"].to_numpy()[:-1]
    overlap = np.flatnonzero(same & (out["start"].to_numpy()[1:] < out["end"].to_numpy()[:-1])) + 1
    for i in overlap:
        r = out.iloc[i]
        probs.add(int(r["line"]), "start_time", f"(trip {r['trip_id']!r}) overlaps an earlier row of the trip "
                  f"(rows of one trip must not overlap): starts {_hms(r['start'])}", file=f)  # fmt: skip
    return out.drop(columns="line")


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
        an unknown ``stop_id``, ``trip_id`` or ``route_id``, a bad ``frequencies.txt``
        row, or no trip on ``date``.

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

    A trip named in ``frequencies.txt`` (optional) is a template: it runs at
    ``start_time + k * headway_secs`` before ``end_time``, each run keeping the
    template's times relative to its first departure and getting the id
    ``<trip_id>@HH:MM:SS`` of its departure (:mod:`yrdnet.timetable.frequencies`;
    ``exact_times`` 0 and 1 alike). Unknown trips, unparseable or reversed times, a
    headway that is not a positive whole number of seconds and overlapping rows of one
    trip are reported with the other problems.

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
        path = get_path(_SHIPPED)
    path = Path(path)
    probs = Problems(f"GTFS feed {path}")
    tables = _read_tables(path, probs)
    probs.raise_if_any()

    stops = _check_stops(tables["stops.txt"], probs)
    routes = tables["routes.txt"]
    trips_raw = tables["trips.txt"]
    for name, df, key in (("routes.txt", routes, "route_id"), ("trips.txt", trips_raw, "trip_id")):
        for i in np.flatnonzero(df[key].duplicated().to_numpy()):
            probs.add(int(i) + 2, key, f"duplicate {key} {df[key].iloc[i]!r}", file=name)
    unknown_route = ~trips_raw["route_id"].isin(routes["route_id"]).to_numpy()
    for i in np.flatnonzero(unknown_route):
        probs.add(
            int(i) + 2,
            "route_id",
            f"(trip {trips_raw['trip_id'].iloc[i]!r}) unknown route_id {trips_raw['route_id'].iloc[i]!r} "
            "(not in routes.txt)",
            file="trips.txt",
        )
    st, _ = _check_stop_times(tables["stop_times.txt"], stops.index, pd.Index(trips_raw["trip_id"]), probs)
    freq = tables.get("frequencies.txt")
    freq = None if freq is None else _check_frequencies(freq, pd.Index(trips_raw["trip_id"]), probs)
    services = _service_dates(tables, probs)
    probs.raise_if_any()

    all_dates = sorted(set().union(*services.values())) if services else []
    if date is None:
        if not all_dates:
            probs.add(None, None, "no service runs on any date", file="calendar.txt")
            probs.raise_if_any()
        day = all_dates[0]
    else:
        day = _parse_date(date, "date")
    active_services = {s for s, days in services.items() if day in days}
    trips = trips_raw[trips_raw["service_id"].isin(active_services)]
    if trips.empty:
        span = f"{all_dates[0]}..{all_dates[-1]}" if all_dates else "none"
        probs.add(None, "service_id", f"no trip runs on {day} (service dates in the feed: {span})", file="trips.txt")
        probs.raise_if_any()
    trips = trips[trips["trip_id"].isin(st["trip_id"])]  # a trip without stop times has no connection

    r = routes.set_index("route_id")
    blank = pd.Series("", index=r.index, dtype=object)  # an optional column left out: empty text
    rshort = r["route_short_name"] if "route_short_name" in r.columns else blank
    rdesc = r["route_desc"] if "route_desc" in r.columns else blank
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
    if freq is not None:
        st, trip_df = _expand(st, trip_df, freq, probs)
    ev_trip = trip_df.index.get_indexer(pd.Index(st["trip_id"]))
    ev_stop = stops.index.get_indexer(pd.Index(st["stop_id"]))
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


def _expand(
    st: pd.DataFrame, trips: pd.DataFrame, freq: pd.DataFrame, probs: Problems
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`expand_frequencies`, raising if a run's id is already a trip's."""
    st, trips = expand_frequencies(st, trips, freq)
    for tid in trips.index[trips.index.duplicated()].unique():
        probs.add(
            None, "trip_id", f"trip id {tid!r} is both a trip and a run of a frequencies.txt trip", file="trips.txt"
        )
    probs.raise_if_any()
    return st, trips

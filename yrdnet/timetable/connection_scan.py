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
* ``pickup_type`` / ``drop_off_type``, transfers.txt and footpaths between stations are
  ignored: every stop time is a stop where passengers may board and alight. Headway-based
  trips (``frequencies.txt``) are expanded into timed runs by :func:`read_gtfs`.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import Replaceable, resolve_params
from yrdnet.core.validation import did_you_mean
from yrdnet.timetable.gtfs import _MAX_SHOWN, Timetable, read_gtfs

__all__ = [
    "Timetable",
    "TimetableParams",
    "earliest_arrival",
    "pair_table",
    "read_gtfs",
]

logger = logging.getLogger(__name__)

_CLOCK_RE = re.compile(r"^\s*(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*$")


# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimetableParams(Replaceable):
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


def _resolve(params: TimetableParams | None, **overrides: Any) -> TimetableParams:
    return resolve_params(TimetableParams, params, **overrides)


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
        bad = [w for w, i in zip(wanted, idx, strict=True) if i < 0]
        hint = did_you_mean(bad[0], tt.stops.index)
        msg = f"{name}: unknown stop id(s) {bad[:_MAX_SHOWN]} (not in the timetable's stops){hint}"
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

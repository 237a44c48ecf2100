"""Headway-based trips of a GTFS feed (``frequencies.txt``) expanded into timed trips.

A trip named in ``frequencies.txt`` is a *template*: its stop times give the times of
each stop relative to its first departure, and each row ``(start_time, end_time,
headway_secs)`` runs it at ``start_time + k * headway_secs`` for every ``k >= 0`` that
falls before ``end_time``. The template itself does not run. Rows with ``exact_times=1``
(exact departures) and ``exact_times=0`` (a headway, departures left to the rider) are
expanded the same way: the schedule-based reading of a headway that gtfs-kit's
``expand_frequencies`` and R5's scheduled mode use, so a trip's fastest ride and its
number of departures are those of the feed. :func:`yrdnet.timetable.read_gtfs` calls
:func:`expand_frequencies` after checking the file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["expand_frequencies", "expanded_trip_id"]


def expanded_trip_id(trip_id: str, departure_s: float) -> str:
    """Id of the run of template ``trip_id`` leaving at ``departure_s`` (``"<trip_id>@HH:MM:SS"``).

    Examples
    --------
    >>> expanded_trip_id("g1", 6 * 3600 + 90)
    'g1@06:01:30'
    >>> expanded_trip_id("g1", 25 * 3600)  # past midnight, as GTFS writes it
    'g1@25:00:00'
    """
    s = round(float(departure_s))
    return f"{trip_id}@{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _departures(freq: pd.DataFrame) -> pd.DataFrame:
    """One row per run: ``trip_id``, ``t0`` (its first departure, seconds), in file order."""
    rows_t, rows_d = [], []
    for tid, a, b, h in zip(freq["trip_id"], freq["start"], freq["end"], freq["headway"], strict=True):
        t = np.arange(float(a), float(b), float(h))
        rows_t.extend([str(tid)] * len(t))
        rows_d.extend(t.tolist())
    return pd.DataFrame({"trip_id": rows_t, "t0": np.asarray(rows_d, dtype=float)})


def expand_frequencies(
    stop_times: pd.DataFrame, trips: pd.DataFrame, freq: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace each template trip by its runs.

    Parameters
    ----------
    stop_times
        Stop times sorted by trip and stop sequence, with ``trip_id`` and the seconds
        ``arr`` and ``dep`` (other columns are copied).
    trips
        Trips indexed by ``trip_id`` (columns are copied to each run).
    freq
        Checked frequency rows: ``trip_id``, ``start``, ``end``, ``headway`` (seconds).
        Rows of trips absent from ``trips`` are ignored (their service does not run).

    Returns
    -------
    tuple of pandas.DataFrame
        The stop times and trips with every template of ``freq`` replaced by its runs
        (ids :func:`expanded_trip_id`), where the template stood, in order of departure;
        each run keeps the template's times relative to its first departure. Trips without
        frequencies are unchanged; the stop times stay sorted by trip, then stop sequence.
    """
    freq = freq[freq["trip_id"].isin(trips.index)]
    if freq.empty:
        return stop_times, trips
    templates = set(freq["trip_id"])
    runs = _departures(freq)
    tmpl = stop_times[stop_times["trip_id"].isin(templates)]
    first = tmpl.groupby("trip_id", sort=False)["dep"].first()  # departure at the first stop
    runs = runs[runs["trip_id"].isin(first.index)]  # a template without stop times has no run
    runs = runs.assign(new_id=[expanded_trip_id(t, d) for t, d in zip(runs["trip_id"], runs["t0"], strict=True)])
    ev = tmpl.merge(runs, on="trip_id", how="inner", sort=False)
    shift = ev["t0"].to_numpy() - ev["trip_id"].map(first).to_numpy(dtype=float)
    ev = ev.assign(arr=ev["arr"].to_numpy() + shift, dep=ev["dep"].to_numpy() + shift, trip_id=ev["new_id"])
    ev = ev[list(stop_times.columns)]
    keep = stop_times[~stop_times["trip_id"].isin(templates)]
    st = pd.concat([keep, ev], ignore_index=True)
    st = st.sort_values(["trip_id", "seq"], kind="stable").reset_index(drop=True)
    return st, _in_place(trips, runs)


def _in_place(trips: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """``trips`` with each template replaced, where it stood, by its runs in order of departure."""
    plain = trips.index[~trips.index.isin(set(runs["trip_id"]))]
    order = pd.DataFrame(
        {
            "src": [*plain, *runs["trip_id"]],
            "id": [*plain, *runs["new_id"]],
            "t0": np.r_[np.zeros(len(plain)), runs["t0"].to_numpy(dtype=float)],
        }
    )
    order["pos"] = pd.Series(np.arange(len(trips)), index=trips.index).loc[order["src"]].to_numpy()
    order = order.sort_values(["pos", "t0"], kind="stable")
    return trips.loc[order["src"].to_numpy()].set_axis(pd.Index(order["id"].to_numpy(), name=trips.index.name))

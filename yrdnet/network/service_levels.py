r"""Stop times of rail services and the service levels of station pairs (the rail edges).

The rules — trapezoidal run times, dwell, the attractive-set levels of a station pair and
the wait that follows from a pooled frequency — are set out with their references in
:mod:`yrdnet.services`, which re-exports these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.core.params import TravelTimeModel
from yrdnet.network.track import Segment, _route_segments, run_seconds
from yrdnet.network.track import _positions as _stop_positions  # the one home of the rule

__all__ = [
    "CONVENTIONAL_CLASSES",
    "TRAIN_CLASSES",
    "class_top_speed",
    "levels_from_records",
    "levels_of_pairs",
    "pair_levels",
    "pair_records",
    "service_stop_times",
    "wait_seconds",
]


#: Train classes of a services file (the first letter of the train number): G, D, C (EMUs)
#: and the conventional, locomotive-hauled K, T, Z, P, Y.
TRAIN_CLASSES = ("G", "D", "C", "K", "T", "Z", "P", "Y")
#: The conventional classes (capped at their class's top speed, :func:`class_top_speed`).
CONVENTIONAL_CLASSES = ("K", "T", "Z", "P", "Y")


def class_top_speed(train_class: str, model: TravelTimeModel) -> float:
    """Top speed of a train class, km/h (``inf``: the line's speed).

    G and C trains run at the line's operating speed; D trains at most
    ``model.d_train_max_kph``; Z trains ``model.z_train_max_kph``; T trains
    ``model.t_train_max_kph``; K, P, Y trains ``model.conventional_max_kph``.
    """
    caps = {
        "D": model.d_train_max_kph,
        "Z": model.z_train_max_kph,
        "T": model.t_train_max_kph,
    }
    if train_class in caps:
        return float(caps[train_class])
    if train_class in CONVENTIONAL_CLASSES:
        return float(model.conventional_max_kph)
    return float(np.inf)


def service_stop_times(
    services: pd.DataFrame,
    segments: dict[tuple[str, str], Segment],
    model: TravelTimeModel,
    by_line: dict[tuple[str, str, str], Segment] | None = None,
) -> list[tuple[str, list[str], np.ndarray, np.ndarray, np.ndarray]]:
    """Arrival and departure seconds (from the first departure) at each stop of each service.

    Runs take :func:`run_seconds`; every intermediate stop adds ``model.dwell_min``. A
    service runs on its own lines' segments (``by_line``, :func:`line_segments`) where
    they exist, else on the fastest segment between the two stations.

    Returns
    -------
    list of tuple
        ``(service_id, stops, arrive_s, depart_s, km_at_stops)`` per service (km along the
        route at each stop).
    """
    dwell = model.dwell_min * 60.0
    out = []
    cols = zip(
        services.index, services["route"], services["stops"], services["train_class"], services["lines"], strict=True
    )
    for sid, route_, stops_, cls, lines_ in cols:
        route, stops = list(route_), list(stops_)
        cap = class_top_speed(str(cls), model)
        segs = _route_segments(route, list(lines_), segments, by_line)
        cum_km = np.concatenate([[0.0], np.cumsum([s.km for s in segs])])
        pos = _stop_positions(stops, route)
        runs = np.array(
            [run_seconds(segs[pos[k] : pos[k + 1]], cap, model.rail_accel_ms2) for k in range(len(pos) - 1)]
        )
        n = len(pos)
        arrive = np.concatenate([[0.0], np.cumsum(runs)]) + np.maximum(np.arange(n) - 1, 0) * dwell
        depart = arrive + np.where(np.arange(n) > 0, dwell, 0.0)
        out.append((str(sid), stops, arrive, depart, cum_km[pos]))
    return out


def pair_levels(
    services: pd.DataFrame,
    segments: dict[tuple[str, str], Segment],
    model: TravelTimeModel,
    by_line: dict[tuple[str, str, str], Segment] | None = None,
) -> pd.DataFrame:
    r"""Station-to-station service levels: the rail edges of the graph.

    Parameters
    ----------
    services
        Services that run (:func:`services_for_network`).
    segments
        Track segments (:func:`segment_table`).
    model
        Travel-time parameters (running-time factors, acceleration, dwell, wait rule).
    by_line
        Segments by line (:func:`line_segments`), so services keep to their own lines.

    Returns
    -------
    pandas.DataFrame
        One row per kept level: ``origin``, ``destination`` (station ids), ``in_vehicle_s``
        (``\bar t_k``; the fastest service's ride at level 1), ``trains_per_day``
        (``F_k``), ``wait_s`` (``w(F_k)``), ``km``, ``service`` (the
        fastest service of the level), ``services`` (how many services the level pools),
        ``lines`` (the fastest service's lines, ``;``-joined), ``train_class``, ``level``
        (1 = the pair's fastest service). Self-pairs never appear.
    """
    meta = zip(services["trains_per_day"], services["lines"], services["train_class"], strict=True)
    times = service_stop_times(services, segments, model, by_line)
    return levels_from_records(pair_records(zip(times, meta, strict=True)), model)


_LEVEL_COLUMNS = [
    "origin",
    "destination",
    "in_vehicle_s",
    "trains_per_day",
    "wait_s",
    "km",
    "service",
    "services",
    "lines",
    "train_class",
    "level",
]


def pair_records(
    rows: Iterable[tuple[tuple[str, list[str], np.ndarray, np.ndarray, np.ndarray], tuple[object, object, object]]],
) -> pd.DataFrame:
    """One record per (service, ordered pair of its stops): the input of :func:`levels_from_records`.

    ``rows`` pairs each :func:`service_stop_times` tuple with the service's
    ``(trains_per_day, lines, train_class)``.
    """
    recs: dict[str, list[object]] = {k: [] for k in ("o", "d", "t", "f", "km", "sid", "lines", "cls")}
    for (sid, stops, arr, dep, km), (tpd, lns, cls) in rows:
        n = len(stops)
        st = np.asarray(stops, dtype=object)
        i, j = np.triu_indices(n, k=1)
        keep = st[i] != st[j]
        i, j = i[keep], j[keep]
        recs["o"].extend(st[i].tolist())
        recs["d"].extend(st[j].tolist())
        recs["t"].extend((arr[j] - dep[i]).tolist())
        recs["km"].extend((km[j] - km[i]).tolist())
        m = len(i)
        recs["f"].extend([int(tpd)] * m)  # type: ignore[call-overload]
        recs["sid"].extend([sid] * m)
        recs["lines"].extend([";".join(lns)] * m)  # type: ignore[arg-type]
        recs["cls"].extend([str(cls)] * m)
    return pd.DataFrame(
        {
            "origin": recs["o"],
            "destination": recs["d"],
            "in_vehicle_s": np.asarray(recs["t"], dtype=float),
            "f": np.asarray(recs["f"], dtype=float),
            "km": np.asarray(recs["km"], dtype=float),
            "service": recs["sid"],
            "lines": recs["lines"],
            "train_class": recs["cls"],
        }
    )


def _kahan_cumsum(values: list[float]) -> list[float]:
    """Running sums with Kahan compensation, step for step as pandas' grouped ``cumsum``."""
    out, acc, comp = [], 0.0, 0.0
    for v in values:
        y = v - comp
        t = acc + y
        comp = t - acc - y
        acc = t
        out.append(t)
    return out


def levels_of_pairs(
    rows: Iterable[tuple[tuple[str, list[str], np.ndarray, np.ndarray, np.ndarray], tuple[object, object, object]]],
    pairs: set[tuple[str, str]],
    model: TravelTimeModel,
) -> pd.DataFrame:
    """:func:`levels_from_records` of :func:`pair_records` for a few station pairs, in plain Python.

    The same operations in the same order (sort by pair, ride and service; pool equal
    rides; running sums with pandas' Kahan compensation; first level or a lower cost than
    every earlier level), without pandas' fixed cost per call: what an incremental build
    needs for the handful of pairs a new line serves. Tests check it equal to the pandas
    path on the whole network.
    """
    recs = []
    for (sid, stops, arr, dep, km), (tpd, lns, cls) in rows:
        for i, a in enumerate(stops):
            for j in range(i + 1, len(stops)):
                b = stops[j]
                if a != b and (a, b) in pairs:
                    recs.append((a, b, float(arr[j] - dep[i]), sid, float(int(tpd)), float(km[j] - km[i]),  # type: ignore[call-overload]
                                 ";".join(lns), str(cls)))  # type: ignore[arg-type]  # fmt: skip
    recs.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    groups: list[list[Any]] = []  # [o, d, t, f, km, service, n, lines, cls] per (pair, ride)
    for r in recs:
        g = groups[-1] if groups else None
        if g is not None and g[0] == r[0] and g[1] == r[1] and g[2] == r[2]:
            g[3] += r[4]  # whole trains a day: exact in any order
            g[6] += 1
        else:
            groups.append([r[0], r[1], r[2], r[4], r[5], r[3], 1, r[6], r[7]])
    out: dict[str, list[Any]] = {c: [] for c in _LEVEL_COLUMNS}
    start = 0
    while start < len(groups):
        end = start
        while end < len(groups) and groups[end][:2] == groups[start][:2]:
            end += 1
        _pair_levels_py(groups[start:end], model, out)
        start = end
    return pd.DataFrame(out, columns=_LEVEL_COLUMNS)


def _pair_levels_py(gs: list[list[Any]], model: TravelTimeModel, out: dict[str, list[Any]]) -> None:
    """The kept levels of one station pair (rows sorted by ride) appended to ``out``."""
    F = _kahan_cumsum([g[3] for g in gs])
    FT = _kahan_cumsum([g[3] * g[2] for g in gs])
    N = np.cumsum([g[6] for g in gs]).tolist()
    wait = wait_seconds(np.asarray(F, dtype=float), model).tolist()
    best = np.inf
    level = 0
    head = gs[0]
    for k in range(len(gs)):
        ride = FT[k] / F[k]
        cost = wait[k] + ride
        if k == 0 or cost < best:
            level += 1
            for c, v in zip(
                _LEVEL_COLUMNS,
                (head[0], head[1], ride, F[k], wait[k], head[4], head[5], N[k], head[7], head[8], level),
                strict=True,
            ):
                out[c].append(v)
        best = min(best, cost)


def levels_from_records(df: pd.DataFrame, model: TravelTimeModel) -> pd.DataFrame:
    """The kept service levels of each station pair from :func:`pair_records` (see :func:`pair_levels`)."""
    cols = _LEVEL_COLUMNS
    if df.empty:
        return pd.DataFrame(columns=cols)
    # services with the same in-vehicle time pool their trains into one level
    df = df.sort_values(["origin", "destination", "in_vehicle_s", "service"], kind="stable")
    df = (
        df.groupby(["origin", "destination", "in_vehicle_s"], sort=True)
        .agg(
            f=("f", "sum"),
            km=("km", "first"),
            service=("service", "first"),
            n=("service", "size"),
            lines=("lines", "first"),
            train_class=("train_class", "first"),
        )
        .reset_index()
    )
    key = [df["origin"], df["destination"]]
    df["trains_per_day"] = df.groupby(key, sort=False)["f"].cumsum()
    df["services"] = df.groupby(key, sort=False)["n"].cumsum()
    ft = (df["f"] * df["in_vehicle_s"]).groupby(key, sort=False).cumsum()
    df["in_vehicle_s"] = ft / df["trains_per_day"]  # expected ride on the first train of the set
    for col in ("service", "lines", "train_class", "km"):  # describe a level by its fastest service
        df[col] = df.groupby(key, sort=False)[col].transform("first")
    df["wait_s"] = wait_seconds(df["trains_per_day"].to_numpy(), model)
    cost = pd.Series(df["wait_s"].to_numpy() + df["in_vehicle_s"].to_numpy(), index=df.index)
    prev_best = cost.groupby(key, sort=False).cummin().groupby(key, sort=False).shift(1)
    first = df.groupby(key, sort=False).cumcount() == 0
    keep = first | (cost < prev_best.fillna(np.inf))
    out = df[keep].copy()
    out["level"] = out.groupby([out["origin"], out["destination"]], sort=False).cumcount() + 1
    return out[cols].reset_index(drop=True)


def wait_seconds(trains_per_day: np.ndarray, model: TravelTimeModel) -> np.ndarray:
    r"""Expected wait at boarding for a frequency, seconds: :math:`\min(60H/(2F), w_{max})`.

    Parameters
    ----------
    trains_per_day
        Trains a day ``F`` (> 0).
    model
        Supplies ``service_hours`` (``H``) and ``max_wait_min`` (``w_max``).

    Returns
    -------
    numpy.ndarray
        Seconds, float64.

    Examples
    --------
    >>> m = TravelTimeModel()
    >>> bool(wait_seconds(np.array([100.0]), m)[0] < wait_seconds(np.array([5.0]), m)[0])
    True
    """
    f = np.asarray(trains_per_day, dtype=float)
    half_headway_min = model.service_hours * 60.0 / (2.0 * f)
    return np.minimum(half_headway_min, model.max_wait_min) * 60.0

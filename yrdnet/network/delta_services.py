r"""The timetable services of a scenario against its base's (for :func:`yrdnet.network.delta.rail_delta`).

A scenario that only adds runs the base's services plus those of its new or changed
lines (:func:`running`); of these, only the services whose stop times may differ from
the base's are timed again (:func:`changed_services`). When every base service runs
unchanged (the base's track is still open and no service id is shared), the base's rows
are not compared one by one: a base service can only change through one of its own
lines or a fallback segment (:class:`ServiceIndex`), so only those are looked up.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.core.params import TravelTimeModel
from yrdnet.network.delta_state import NeedsBuild, RailState, ServiceIndex
from yrdnet.network.history import YearNetwork
from yrdnet.network.services import default_services, on_open_track
from yrdnet.network.tables import Tables
from yrdnet.network.track import Segment

__all__ = ["Running", "changed_services", "running", "service_index"]

Pair = tuple[str, str]
Meta = tuple[Any, Any, Any]

#: Line columns a scenario may set that the default services read (:mod:`yrdnet.network.services`).
_PATTERN_COLS = ("express_trains", "allstop_trains", "express_stops")


def _cell(v: Any) -> Any:
    """A hashable, comparable form of a line cell (lists as tuples, missing values as None)."""
    if isinstance(v, list):
        return tuple(v)
    return None if v is None or (not isinstance(v, (tuple, str)) and pd.isna(v)) else v


def line_keys(lines: pd.DataFrame) -> dict[str, tuple[Any, ...]]:
    """What the build reads of each line: stops, length, speed, through running, track, pattern."""
    length = lines["length_km"] if "length_km" in lines.columns else pd.Series(np.nan, index=lines.index)
    cols = zip(lines.index, lines["stops"], length, lines["operating_speed_kph"], lines["through_to"], strict=True)
    out: dict[str, tuple[Any, ...]] = {
        str(lid): (tuple(stops), repr(float(km)), float(v), tuple(thr or [])) for lid, stops, km, v, thr in cols
    }
    extra = [c for c in ("track_stops", *_PATTERN_COLS) if c in lines.columns]
    for c in extra:
        for lid, v in zip(lines.index, lines[c], strict=True):
            out[str(lid)] += (_cell(v),)
    return out


def service_rows(running: pd.DataFrame) -> Iterator[tuple[str, tuple[Any, ...], tuple[str, ...], Meta]]:
    """``(service id, content key, route, (trains_per_day, lines, train_class))`` per service."""
    cols = zip(
        running.index,
        running["route"],
        running["stops"],
        running["train_class"],
        running["trains_per_day"],
        running["lines"],
        strict=True,
    )
    for sid, route, stops, cls, tpd, lines in cols:
        key = (tuple(route), tuple(stops), str(cls), int(tpd), tuple(lines))
        yield str(sid), key, key[0], (tpd, lines, cls)


def pool(net: YearNetwork) -> pd.DataFrame:
    """The timetable and extra services of a year's network (as :func:`services_for_network` pools them)."""
    if net.extra is None or net.extra.empty:
        return net.services
    return pd.concat([net.services, net.extra])


def open_track_mask(services: pd.DataFrame, segs: dict[tuple[str, str], Segment]) -> np.ndarray:
    """:func:`yrdnet.network.services.on_open_track`'s row mask."""
    keep = [all(k in segs for k in itertools.pairwise(r)) for r in services["route"]]
    return np.asarray(keep, dtype=bool)


def owner(sids: pd.Index) -> np.ndarray:
    """The line a default service belongs to (``default:<line>:...``, ``default:<line>><other>:...``)."""
    return np.array([str(x).split(":")[1].split(">")[0] for x in sids], dtype=object)


def service_index(
    pool_: pd.DataFrame,
    keep: np.ndarray,
    defaults: pd.DataFrame,
    keys: dict[str, tuple[Any, ...]],
    fallback: dict[str, frozenset[Pair]],
) -> ServiceIndex | None:
    """The :class:`ServiceIndex` of a base (``None`` when a service id repeats)."""
    kept = pool_[keep]
    ids = [str(s) for s in (*pool_.index, *defaults.index)]
    if len(set(ids)) != len(ids):
        return None
    home = {str(s): (0, i) for i, s in enumerate(kept.index)}
    home.update({str(s): (1, i) for i, s in enumerate(defaults.index)})
    by_line: dict[str, set[str]] = {}
    by_seg: dict[Pair, set[str]] = {}
    for sid, key in keys.items():
        for ln in key[4]:
            by_line.setdefault(ln, set()).add(sid)
        for p in fallback[sid]:
            by_seg.setdefault(p, set()).add(sid)
    return ServiceIndex(
        kept,
        home,
        {k: frozenset(v) for k, v in by_line.items()},
        {k: frozenset(v) for k, v in by_seg.items()},
    )


@dataclass(frozen=True)
class Running:
    """The services a scenario runs (:func:`running`).

    ``n`` services run. With ``dropped`` ``None``, ``fresh`` is every running service
    (compare each with the base's); otherwise the base's running services all run
    unchanged except its default services ``dropped`` (made again), and ``fresh`` holds
    the rest: timetable services newly on open track and the defaults made again.
    """

    n: int
    fresh: pd.DataFrame
    dropped: frozenset[str] | None


def _kept(state: RailState, segs: dict[tuple[str, str], Segment]) -> pd.DataFrame:
    """``on_open_track(pool(state.net), segs)``: only the services off the base's track are checked again.

    When every base segment is still open, a service the base kept is kept.
    """
    pool_, keep = state.pool, state.pool_keep
    if pool_ is None or keep is None or not state.segs.keys() <= segs.keys():
        return on_open_track(pool(state.net), segs)
    keep = keep.copy()
    off = np.flatnonzero(~keep)
    routes = pool_["route"].to_numpy()
    keep[off] = [all(k in segs for k in itertools.pairwise(routes[i])) for i in off]
    return pool_[keep]


def running(
    state: RailState, keys: dict[str, tuple[Any, ...]], t1: Tables, model: TravelTimeModel,
    lines_y: pd.DataFrame, segs: dict[tuple[str, str], Segment], changed_lines: set[str],
) -> Running:  # fmt: skip
    """:func:`yrdnet.services.services_for_network` (rows in another order), reusing the base's defaults.

    A line's default services depend on the line, the lines it runs through to and the
    coverage only, so only the changed lines and those running through onto one are
    made again. ``keys``: :func:`line_keys` of ``lines_y``.
    """
    redo = set(changed_lines) | {lid for lid, key in keys.items() if changed_lines.intersection(key[3])}
    new = default_services(lines_y, t1.stations, t1.cities, model, covered=set(state.covered), only=redo)
    drop = np.isin(state.default_owner, list(redo))
    idx, pool_, keep = state.index, state.pool, state.pool_keep
    if idx is not None and pool_ is not None and keep is not None and state.segs.keys() <= segs.keys():
        off = np.flatnonzero(~keep)
        routes = pool_["route"].to_numpy()
        on = [i for i in off if all(k in segs for k in itertools.pairwise(routes[i]))]
        parts = [x for x in (pool_.iloc[on], new) if not x.empty]
        fresh = pd.concat(parts) if len(parts) > 1 else (parts[0] if parts else new)
        dropped = frozenset(str(s) for s in state.defaults.index[drop])
        ids = [str(s) for s in fresh.index]
        if len(set(ids)) == len(ids) and not any(s in idx.home and s not in dropped for s in ids):
            n = len(idx.kept) + len(state.defaults) - len(dropped) + len(fresh)
            return Running(n, fresh, dropped)
    kept = _kept(state, segs)
    parts = [x for x in (kept, state.defaults[~drop], new) if not x.empty]
    table = pd.concat(parts) if parts else kept
    return Running(len(table), table, None)


def _compare(
    state: RailState, rows: pd.DataFrame, meta: dict[str, Meta], changed_lines: set[str], changed_segs: set[Pair]
) -> tuple[list[str], int]:
    """Services of ``rows`` whose stop times may differ from the base's (``meta`` updated); how many the base ran."""
    changed = []
    present = 0
    for sid, key, _, m in service_rows(rows):
        old = state.service_keys.get(sid)
        present += old is not None
        if old is None:
            changed.append(sid)
            meta[sid] = m
        elif old != key:
            if old[1] != key[1]:
                raise NeedsBuild(f"service {sid!r} changed its stops")
            changed.append(sid)
            meta[sid] = m
        elif changed_lines.intersection(key[4]) or not changed_segs.isdisjoint(state.fallback[sid]):
            changed.append(sid)
    return changed, present


def changed_services(
    state: RailState, run: Running, changed_lines: set[str], changed_segs: set[Pair]
) -> tuple[list[str], list[pd.DataFrame], dict[str, Meta]]:
    """Services whose stop times may differ from the base's, their rows, and every service's meta.

    A base service running unchanged has changed stop times only through one of its own
    lines or a fallback segment: looked up in :class:`ServiceIndex` instead of compared.
    """
    meta = dict(state.meta)
    changed, present = _compare(state, run.fresh, meta, changed_lines, changed_segs)
    idx = state.index
    if run.dropped is None or idx is None:
        if present != len(state.service_keys):
            raise NeedsBuild("a base service no longer runs")
        return changed, [run.fresh.loc[changed]] if changed else [], meta
    base_present = len(idx.kept) + len(state.defaults) - len(run.dropped)
    if present + base_present != len(state.service_keys):
        raise NeedsBuild("a base service no longer runs")
    cand: set[str] = set()
    for ln in changed_lines:
        cand |= idx.by_line.get(ln, frozenset())
    for p in changed_segs:
        cand |= idx.by_seg.get(p, frozenset())
    cand -= run.dropped
    at = sorted(idx.home[s] for s in cand)
    frames = [
        idx.kept.iloc[[i for h, i in at if h == 0]],
        state.defaults.iloc[[i for h, i in at if h == 1]],
        run.fresh.loc[changed],
    ]
    sids = [str(s) for f in frames for s in f.index]
    return sids, [f for f in frames if not f.empty], meta

"""What a prepared base keeps across its scenarios' deltas (:func:`yrdnet.network.delta.rail_delta`).

Each entry depends on the base's tables, zones and model only, which every delta checks
first (:func:`yrdnet.network.delta._check_same`: same model, cities and base stations),
and on keys that take few values (a network year, a base station, a base line), so the
memory stays bounded over any number of scenarios:

* the suburban lines and edges of a year (:func:`suburban_delta`);
* the access edges of a base station's hall (each hall's depend on it alone,
  :mod:`yrdnet.network.hall_access`), for the halls scenarios newly serve
  (:func:`hall_access`);
* the map rows of an unchanged line's track (:func:`track_json`);
* the node of a base station's hall (:func:`new_halls`);
* the base's coordinates and the stations its lines and timetable use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from yrdnet.core.modes import Edge
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.delta_state import NeedsBuild, RailState, SuburbanYear
from yrdnet.network.graph import hall_nodes, suburban_edges, track_rows
from yrdnet.network.hall_access import AccessRow, city_access_rows, zone_access_rows
from yrdnet.network.suburban import suburban_lines_of_year, suburban_stops
from yrdnet.network.track import Segment

__all__ = ["hall_access", "new_halls", "pairs_to_lay", "suburban_delta", "track_json"]

Pair = tuple[str, str]


@dataclass(frozen=True)
class SuburbanDelta:
    """A scenario year's suburban lines: open ids, stops of newly opened lines, their edges, all edges by pair."""

    open: list[str]
    stops: set[str]
    new_edges: list[Edge]
    by_pair: dict[Pair, list[dict[str, Any]]]


def _suburban_year(state: RailState, year: int, stations: pd.DataFrame, model: TravelTimeModel) -> SuburbanYear:
    """The year's suburban lines and edges, kept on ``state`` when every stop is a base station.

    Their edges read the lines and their stops' coordinates only, and
    :func:`yrdnet.network.delta._check_same` has checked that the base stations are unchanged.
    """
    hit = state.memo.suburban.get(year)
    if hit is not None:
        return hit
    lines = suburban_lines_of_year(model, year, state.suburban)
    edges = suburban_edges(lines, stations, model)
    by_pair: dict[Pair, list[dict[str, Any]]] = {}
    for u, v, d in edges:
        by_pair.setdefault((u, v), []).append(d)
    out = SuburbanYear(lines, edges, by_pair)
    if set(suburban_stops(lines)) <= set(state.tables.stations.index):
        state.memo.suburban[year] = out
    return out


def suburban_delta(state: RailState, year: int, stations: pd.DataFrame, model: TravelTimeModel) -> SuburbanDelta:
    """The suburban lines of the scenario's year against the base's (their edges depend on nothing else)."""
    sub = _suburban_year(state, year, stations, model)
    lines = sub.lines
    now = [str(x) for x in lines.index]
    gone = sorted(state.suburban_open - set(now))
    if gone:
        raise NeedsBuild(f"suburban line(s) of the base no longer run: {gone}")
    new = [(u, v, d) for u, v, d in sub.edges if d["line"] not in state.suburban_open]
    opened = lines.loc[[x for x in now if x not in state.suburban_open]]
    return SuburbanDelta(now, set(suburban_stops(opened)), new, sub.by_pair)


def pairs_to_lay(
    by_pair: dict[Pair, list[dict[str, Any]]], new_pairs: set[Pair], rail_pairs: set[Pair]
) -> dict[Pair, list[dict[str, Any]]]:
    """Suburban edges (build order) of the pairs whose edges :func:`yrdnet.network.delta.apply_delta` lays again."""
    return {p: by_pair.get(p, []) for p in sorted(new_pairs | (rail_pairs & set(by_pair)))}


def _access_rows(state: RailState, cities: pd.DataFrame, stations: pd.DataFrame, halls: list[str]) -> list[AccessRow]:
    """The access rows of ``halls`` as the build makes them at the base's zone level."""
    zones, model = state.zones, state.model
    if zones.level != "city":  # city zones reach stations as the city build does, other zones as theirs
        return zone_access_rows(zones, stations, model, halls, state.sourced, state.core_of)
    return city_access_rows(cities, stations, model, halls, state.sourced)


def hall_access(state: RailState, cities: pd.DataFrame, stations: pd.DataFrame, halls: list[str]) -> list[Edge]:
    """The access edges of ``halls`` (node ids), in build order; a base station's kept on ``state``.

    The build orders them by zone, then hall: each hall's rows (zone row, edges) are kept
    apart and merged in that order again.
    """
    memo = state.memo.access
    todo = [h for h in halls if h not in memo]
    rows: dict[str, list[tuple[int, list[Edge]]]] = {h: [] for h in todo}
    for r, i, edges in _access_rows(state, cities, stations, todo):
        rows[todo[i]].append((r, edges))
    base = state.tables.stations.index
    for h in todo:
        if h[3:] in base:
            memo[h] = rows[h]
    merged = [(r, i, edges) for i, h in enumerate(halls) for r, edges in (memo[h] if h in memo else rows[h])]
    merged.sort(key=lambda x: (x[0], x[1]))
    return [e for _, _, edges in merged for e in edges]


def new_halls(state: RailState, stations: pd.DataFrame, sids: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """``hall_nodes(stations, sids)``: a base station's node kept on ``state`` (its row is the base's)."""
    memo, base = state.memo.halls, state.tables.stations.index
    out = []
    for sid in sids:
        hit = memo.get(sid)
        if hit is None:
            hit = hall_nodes(stations, [sid])[0]
            if sid in base:
                memo[sid] = hit
        out.append((hit[0], dict(hit[1])))
    return out


def _coords(state: RailState) -> tuple[dict[str, float], dict[str, float]]:
    """Base station longitudes and latitudes as :func:`yrdnet.network.graph._track_json` reads them."""
    if state.memo.coords is None:
        st = state.tables.stations
        state.memo.coords = (st["lon"].astype(float).to_dict(), st["lat"].astype(float).to_dict())
    return state.memo.coords


def track_json(
    state: RailState,
    stations: pd.DataFrame,
    lines: list[str],
    fresh: dict[str, list[tuple[tuple[str, str, str], Segment]]],
) -> str:
    """``_track_json(stations, by_line)`` line by line: an unchanged base line's rows kept on ``state``.

    ``lines``: the scenario's line ids; ``fresh``: the segments of those whose segments
    were made again (every other line has the base's, :attr:`RailState.line_items`).
    """
    lon, lat = _coords(state)
    memo = state.memo.track
    chunks = []
    for ln in sorted(lines):
        if ln in fresh:
            ids = sorted({s for (_, a, b), _ in fresh[ln] for s in (a, b)})
            new = [s for s in ids if s not in lon]
            xy = stations.loc[new, ["lon", "lat"]].astype(float) if new else None
            lo = {s: lon[s] for s in ids if s in lon} | ({} if xy is None else xy["lon"].to_dict())
            la = {s: lat[s] for s in ids if s in lat} | ({} if xy is None else xy["lat"].to_dict())
            chunks.append(track_rows(lo, la, fresh[ln]))
            continue
        if ln not in memo:
            memo[ln] = track_rows(lon, lat, state.line_items[ln])
        chunks.append(memo[ln])
    return "[" + ",".join(c for c in chunks if c) + "]"

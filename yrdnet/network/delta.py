r"""Exact incremental construction of a scenario graph from its base graph (add-only edits).

:func:`yrdnet.build_graph` rebuilds everything: the open track, every service's stop
times, the service levels of every station pair, access and the road network. When a
scenario only opens or adds lines on top of a base with the same model, zones, cities,
stations and expressway links, almost all of that is the base's. :func:`rail_delta`
recomputes only what can change, using the structure of the build:

* **track** — segments are computed per line (:func:`yrdnet.network.track.line_segments`), so a
  line whose stops, length and speed are unchanged keeps its segments;
* **services** — the timetable services whose track is open are selected again; the
  default services of unchanged lines are the base's (a line's defaults depend on the
  line, its through-running partners and the coverage only, see
  :func:`yrdnet.services.default_services`); a service whose route, stops, class,
  frequency and lines are unchanged, none of whose own lines changed and whose
  fallback segments (track of other lines) are unchanged has unchanged stop times
  (:func:`yrdnet.services.service_stop_times` is a function of these);
* **service levels** — a station pair's levels depend only on the records of the
  services stopping at both stations (:func:`yrdnet.services.levels_from_records`
  groups by pair), so only the pairs served by a changed service are recomputed, from
  every service serving them (:func:`yrdnet.services.levels_of_pairs`, the same rule
  without pandas' fixed cost per call);
* **suburban rail** — a suburban line's edges depend on the line, the station table and
  the model only (:func:`yrdnet.network.suburban.suburban_links`), so the base's lines keep
  theirs and lines opened by the scenario's year add theirs (a base line that no longer
  runs needs a build);
* **access** — each station hall's access edges depend on that hall alone
  (:func:`yrdnet.network.graph.zone_access_edges`), so only newly served halls get them; the road
  network depends on zones, cities, links, the expressway sections open in the year and
  model only, so it is the base's when the links and the sections of the year are.

Anything outside these conditions raises :class:`NeedsBuild` and the caller builds the
graph in full. :func:`apply_delta` materialises the scenario graph from the base and a
delta; tests compare it edge for edge (attributes and keys included) with
:func:`yrdnet.build_graph`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.core.errors import NotIncrementalError
from yrdnet.core.modes import Edge
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.delta_reuse import hall_access, new_halls, pairs_to_lay, suburban_delta, track_json
from yrdnet.network.delta_services import (
    changed_services,
    line_keys,
    open_track_mask,
    owner,
    pool,
    running,
    service_index,
    service_rows,
)
from yrdnet.network.delta_state import NeedsBuild, RailState
from yrdnet.network.expressways import road_tables_of_year
from yrdnet.network.graph import _served_stations, _track_json, filter_network, rail_edges, station_id
from yrdnet.network.hall_access import sourced_access
from yrdnet.network.history import (
    YearTimetable,
    feed_order,
    network_of_year,
    open_stations,
    restrict_lines,
)
from yrdnet.network.services import default_services, levels_of_pairs, service_stop_times
from yrdnet.network.suburban import load_suburban_lines, suburban_lines_of_year, suburban_stops
from yrdnet.network.tables import Tables
from yrdnet.network.track import Segment, fastest_segments, line_segments
from yrdnet.region.datasets import data_folder, file_version
from yrdnet.region.zones import Zones

__all__ = [
    "GraphDelta",
    "NeedsBuild",
    "RailState",
    "apply_delta",
    "data_stamp",
    "delta_edits",
    "lay_delta",
    "rail_delta",
    "rail_state",
]


class ScenarioLike(Protocol):
    """What :func:`rail_delta` reads of a :class:`yrdnet.Scenario` (the scenarios wing sits above this one)."""

    name: str
    description: str
    path: Path | None

    @property
    def effective_year(self) -> int:
        """The network year the scenario's lines are filtered by."""
        ...


Pair = tuple[str, str]
_STATION_COLS = ("name_zh", "name_en", "adcode", "lon", "lat")


_DOCS = (".md", ".txt", ".rst")


def data_stamp(extra: tuple[Path, ...] = ()) -> tuple[tuple[str, int, int], ...]:
    """:func:`yrdnet.datasets.file_version` of every data file (not docs) and of ``extra``; a change means rebuild."""
    files = [p for p in sorted(Path(data_folder()).iterdir()) if p.is_file() and p.suffix not in _DOCS]
    return tuple(file_version(p) for p in [*files, *extra])


def rail_state(
    tables: Tables, year: int, model: TravelTimeModel, zones: Zones, graph: nx.MultiDiGraph,
    timetable: YearTimetable | None = None, suburban: pd.DataFrame | None = None,
) -> RailState:  # fmt: skip
    """The reusable parts of the base's build (recomputed here exactly as the build does).

    ``timetable``: the base year's (default :func:`yrdnet.network.history.timetable_for_year`),
    as :func:`yrdnet.build_graph` takes it. ``suburban``: the suburban lines the build used
    (default: the shipped table).
    """
    lines_f, highways_y = filter_network(tables.lines, tables.highways, year)
    sections_y = road_tables_of_year(tables.expressways, year, model)
    net = network_of_year(lines_f, tables.stations, year, timetable)
    lines_y, factors = net.lines, net.factors(model)
    suburban_y = suburban_lines_of_year(model, year, suburban)
    line_items: dict[str, list[tuple[tuple[str, str, str], Segment]]] = {}
    for lid in lines_y.index:
        line_items[str(lid)] = list(line_segments(lines_y.loc[[lid]], tables.stations, model, factors).items())
    by_line = {k: v for items in line_items.values() for k, v in items}
    segs = fastest_segments(by_line)
    covered = net.timetable.covered
    defaults = default_services(lines_y, tables.stations, tables.cities, model, covered=set(covered))
    pool_ = pool(net)
    pool_keep = open_track_mask(pool_, segs)
    kept = pool_[pool_keep]  # on_open_track, as services_for_network; its defaults kept for running()
    base_running = kept if defaults.empty else pd.concat([kept, defaults])
    keys, meta, fallback = {}, {}, {}
    at: dict[str, set[str]] = {}
    for sid, key, route, m in service_rows(base_running):
        keys[sid], meta[sid] = key, m
        own = key[4]
        fallback[sid] = frozenset(
            (a, b) for a, b in itertools.pairwise(route) if not any((ln, a, b) in by_line for ln in own)
        )
        for st in key[1]:
            at.setdefault(str(st), set()).add(sid)
    times = {t[0]: t for t in service_stop_times(base_running, segs, model, by_line)}
    pair_min: dict[Pair, float] = {}
    for u, v, d in graph.edges(data=True):
        if d.get("mode") == "rail":
            p = (u, v)
            pair_min[p] = min(pair_min.get(p, np.inf), float(d["travel_time"]))
    return RailState(
        tables=tables,
        year=year,
        model=model,
        zones=zones,
        net=net,
        factors=factors,
        sourced=sourced_access(model),
        core_of={z: c for c, z in zones.core_zones().items()},
        highways_y=highways_y,
        sections_y=sections_y,
        line_keys=line_keys(lines_y),
        line_items=line_items,
        segs=segs,
        service_keys=keys,
        fallback=fallback,
        stop_times=times,
        meta=meta,
        covered=covered,
        defaults=defaults,
        default_owner=owner(defaults.index),
        at_station={k: frozenset(v) for k, v in at.items()},
        halls=frozenset(_served_stations(base_running)) | frozenset(suburban_stops(suburban_y)),
        pair_min=pair_min,
        suburban=load_suburban_lines() if suburban is None and model.suburban else suburban,
        suburban_open=frozenset(map(str, suburban_y.index)),
        pool=pool_,
        pool_keep=pool_keep,
        index=service_index(pool_, pool_keep, defaults, keys, fallback),
    )


@dataclass(frozen=True)
class GraphDelta:
    """How a scenario graph differs from its base graph (all edits add or replace).

    Attributes
    ----------
    new_nodes
        ``(node id, attrs)`` of the newly served station halls.
    pairs
        Hall pairs ``(u, v)`` (node ids) whose rail edges are replaced by ``rail``.
    rail
        ``(u, v, attrs)``: every rail edge of those pairs in the scenario graph.
    access
        ``(u, v, attrs)``: access edges of the new halls.
    suburban
        ``(u, v, attrs)``: the suburban edges of the lines the scenario opens.
    suburban_pairs
        Every suburban edge of the scenario graph on a hall pair that :attr:`pairs` or
        :attr:`suburban` touches, by pair, in build order (the pair's edges are laid
        again in that order, so edge keys match a full build).
    graph_attrs
        ``G.graph`` entries that differ from the base's (``track`` excluded).
    by_line, stations
        The scenario's track segments by line and station table (for ``G.graph["track"]``).
    track
        ``G.graph["track"]`` when already made from them (``None``: made from them on use).
    """

    new_nodes: list[tuple[str, dict[str, Any]]]
    pairs: list[Pair]
    rail: list[tuple[str, str, dict[str, Any]]]
    access: list[tuple[str, str, dict[str, Any]]]
    graph_attrs: dict[str, Any]
    by_line: dict[tuple[str, str, str], Segment]
    stations: pd.DataFrame
    suburban: list[tuple[str, str, dict[str, Any]]]
    suburban_pairs: dict[Pair, list[dict[str, Any]]]
    track: str | None = None

    def added_edges(self, mode: str, pair_min: dict[Pair, float]) -> list[tuple[str, str, float]]:
        """Edges ``mode`` routes on that are new or faster (rail at the pair's minimum, new suburban edges, access).

        None for ``"road"``; the same list for every other mode.

        Raises :class:`yrdnet.NotIncrementalError` when a pair's fastest edge got slower or
        a pair lost its edges.
        """
        if mode == "road":
            return []
        best: dict[Pair, float] = {}
        for u, v, d in self.rail:
            best[(u, v)] = min(best.get((u, v), np.inf), float(d["travel_time"]))
        out = []
        for p in self.pairs:
            old, new = pair_min.get(p, np.inf), best.get(p, np.inf)
            if new > old:
                msg = f"rail {p[0]!r} -> {p[1]!r} slower ({old:.1f} s -> {new:.1f} s)"
                raise NotIncrementalError(msg)
            if new < old:
                out.append((p[0], p[1], new))
        out += [(u, v, float(d["travel_time"])) for u, v, d in self.suburban]
        out += [(u, v, float(d["travel_time"])) for u, v, d in self.access]
        return out


def _check_same(state: RailState, t1: Tables, model: TravelTimeModel) -> None:
    if model != state.model:
        raise NeedsBuild("the travel-time model differs from the base's")
    if not t1.cities.equals(state.tables.cities):
        raise NeedsBuild("the city table differs")
    old = state.tables.stations.index
    if _leading_rows_equal(t1.stations, state.tables.stations, _STATION_COLS):
        return
    if not old.isin(t1.stations.index).all():
        raise NeedsBuild("a base station is missing")
    cols = list(_STATION_COLS)
    if not pd.DataFrame(t1.stations.loc[old, cols]).equals(pd.DataFrame(state.tables.stations[cols])):
        raise NeedsBuild("a base station changed")


def _leading_rows_equal(new: pd.DataFrame, base: pd.DataFrame, cols: tuple[str, ...]) -> bool:
    """Whether ``new`` starts with ``base``'s rows (same unique ids, dtypes and ``cols`` values).

    ``True`` implies what :func:`_check_same` asks of pandas (``new.loc[base.index, cols]``
    equals ``base[cols]``), without the reindex; ``False`` means undecided.
    """
    n = len(base)
    if len(new) < n or not new.index.is_unique or not new.index[:n].equals(base.index):
        return False
    for c in cols:
        a, b = new[c], base[c]
        if a.dtype != b.dtype:
            return False
        x, y = a.to_numpy()[:n], b.to_numpy()
        if x.dtype != object:
            if not np.array_equal(x, y, equal_nan=x.dtype.kind in "fc"):
                return False
            continue
        try:
            if not all(p == q for p, q in zip(x, y, strict=True)):  # a NaN compares unequal: undecided
                return False
        except (TypeError, ValueError):
            return False
    return True


def _check_open_stations(state: RailState, now: frozenset[str]) -> None:
    """A base station opened or closed by the scenario (its year, its edits) must touch no base line or service.

    ``now``: the stations open in the scenario's year.
    """
    base_ids = state.tables.stations.index
    changed = {s for s in base_ids if (s in now) != (s in (state.net.stations or now))}
    if not changed:
        return
    used = state.memo.used_stations
    if used is None:  # the stations of the base's lines and timetable: kept on the state
        found = {st for stops in state.net.lines["track_stops"] for st in stops}
        tt = state.net.timetable
        found.update(st for table in (tt.services, tt.extra) for route in table["route"] for st in route)
        used = state.memo.used_stations = frozenset(found)
    touched = sorted(changed & used)
    if touched:
        raise NeedsBuild(f"station(s) {touched[:5]} open or closed otherwise than in the base")


def _track(
    state: RailState, keys: dict[str, tuple[Any, ...]], lines_y: pd.DataFrame, stations: pd.DataFrame,
    model: TravelTimeModel,
) -> tuple[dict[tuple[str, str, str], Segment], dict[str, list[tuple[tuple[str, str, str], Segment]]]]:  # fmt: skip
    """Segments by line in build order (the base's for unchanged lines), and those of the changed lines by line.

    ``keys``: :func:`~yrdnet.network.delta_services.line_keys` of ``lines_y``.
    """
    if not state.line_keys.keys() <= keys.keys():
        raise NeedsBuild("a base line is closed")
    by_line: dict[tuple[str, str, str], Segment] = {}
    fresh: dict[str, list[tuple[tuple[str, str, str], Segment]]] = {}
    for lid, key in keys.items():
        if state.line_keys.get(lid) == key:
            by_line.update(state.line_items[lid])
        else:
            fresh[lid] = list(line_segments(lines_y.loc[[lid]], stations, model, state.factors).items())
            by_line.update(fresh[lid])
    return by_line, fresh


def _lines_of_year(state: RailState, t1: Tables, model: TravelTimeModel, year: int) -> pd.DataFrame:
    """The scenario's lines of ``year`` (``network_of_year(...).lines``), after checking its roads and stations."""
    lines_f, highways_y = filter_network(t1.lines, t1.highways, year)
    if not highways_y.equals(state.highways_y):
        raise NeedsBuild("the expressway links differ")
    sections_y, base_sections = road_tables_of_year(t1.expressways, year, model), state.sections_y
    same = sections_y is None if base_sections is None else sections_y is not None and sections_y.equals(base_sections)
    if not same:
        raise NeedsBuild("the expressway sections open in the year differ")
    if year != state.year and feed_order(year) != state.net.timetable.feeds:
        raise NeedsBuild(f"network year {year} uses other timetable feeds than the base's {state.year}")
    ok = open_stations(t1.stations, year)
    _check_open_stations(state, ok)
    # lines_f is lines_in_year(t1.lines, year) already: network_of_year applies it again, which keeps
    # the same rows and sets the same speeds (idempotent), so it is not repeated here
    return restrict_lines(lines_f, ok)


def _service_pairs(
    state: RailState, changed: list[str], times: dict[str, tuple[Any, ...]]
) -> tuple[set[Pair], list[str]]:
    """Station pairs a changed service serves, and every service stopping at both stations of one (sorted)."""
    pairs: set[Pair] = set()
    at: dict[str, set[str]] = {}  # the base's services by station, plus the changed ones, where needed
    for sid in changed:
        stops = times[sid][1]
        for i, a in enumerate(stops):
            if a not in at:
                at[a] = set(state.at_station.get(a, ()))
            at[a].add(sid)
            pairs.update((a, b) for b in stops[i + 1 :] if b != a)
    return pairs, sorted({s for a, b in pairs for s in (at[a] & at[b])})


def rail_delta(state: RailState, sc: ScenarioLike, t1: Tables, model: TravelTimeModel) -> GraphDelta:
    """The :class:`GraphDelta` of scenario ``sc`` (tables ``t1``, model ``model``) against the base.

    Raises
    ------
    NeedsBuild
        When the scenario changes anything but lines and stations added or opened.
    """
    _check_same(state, t1, model)
    year = sc.effective_year
    lines_y = _lines_of_year(state, t1, model, year)
    keys = line_keys(lines_y)
    by_line, fresh = _track(state, keys, lines_y, t1.stations, model)
    segs = fastest_segments(by_line)
    changed_segs = {
        (a, b) for items in fresh.values() for (_, a, b), _ in items if segs[(a, b)] != state.segs.get((a, b))
    }
    run = running(state, keys, t1, model, lines_y, segs, set(fresh))
    changed, frames, meta = changed_services(state, run, set(fresh), changed_segs)
    times = dict(state.stop_times)
    for f in frames:
        for t in service_stop_times(f, segs, model, by_line):
            times[t[0]] = t
    pairs, cands = _service_pairs(state, changed, times)
    levels = levels_of_pairs(((times[s], meta[s]) for s in cands), pairs, model)
    sub = suburban_delta(state, year, t1.stations, model)
    served = sorted(({st for sid in changed for st in times[sid][1]} | sub.stops) - state.halls)
    hall_pairs = {(station_id(a), station_id(b)) for a, b in pairs}  # node ids, as the suburban edges'
    return GraphDelta(
        new_nodes=new_halls(state, t1.stations, served),
        pairs=sorted(hall_pairs),
        rail=list(rail_edges(levels, model)),
        access=hall_access(state, t1.cities, t1.stations, [station_id(h) for h in served]),
        graph_attrs={
            "scenario": sc.name,
            "year": int(year),
            "n_lines": len(lines_y),
            "lines": ";".join(map(str, lines_y.index)),
            "n_services": run.n,
            "n_suburban_lines": len(sub.open),
            "suburban_lines": ";".join(sub.open),
            "description": sc.description,
            "scenario_path": str(sc.path or ""),
        },
        by_line=by_line,
        stations=t1.stations,
        suburban=sub.new_edges,
        suburban_pairs=pairs_to_lay(sub.by_pair, {(u, v) for u, v, _ in sub.new_edges}, hall_pairs),
        track=track_json(state, t1.stations, list(keys), fresh) if t1.stations.index.is_unique else None,
    )


def apply_delta(G_base: nx.MultiDiGraph, delta: GraphDelta) -> nx.MultiDiGraph:
    """The scenario graph: a copy of ``G_base`` with ``delta`` applied (``G_base`` untouched).

    A hall pair's edges are laid in build order, rail before suburban, so that edge keys
    match :func:`yrdnet.build_graph`'s: pairs whose rail edges change or that gain
    suburban edges lose all their edges and get them again.
    """
    return lay_delta(G_base.copy(), delta)


def lay_delta(G: nx.MultiDiGraph, delta: GraphDelta) -> nx.MultiDiGraph:
    """:func:`apply_delta` in place: ``G`` (a base graph or a copy-on-write overlay of one) gets ``delta``."""
    cleared, edges = delta_edits(G, delta)
    for u, v in cleared:
        if G.has_edge(u, v):
            for k in list(G[u][v]):
                G.remove_edge(u, v, key=k)
    G.add_nodes_from(delta.new_nodes)
    G.add_edges_from(edges)
    G.graph.update(delta.graph_attrs)
    G.graph["track"] = track_of(delta)
    return G


def delta_edits(G: nx.MultiDiGraph, delta: GraphDelta) -> tuple[set[tuple[str, str]], list[Edge]]:
    """What laying ``delta`` on base graph ``G`` does: the pairs that lose every edge, then the edges added.

    The edges come after ``delta.new_nodes``, in build order: the new rail edges, the
    rail edges kept on pairs that gain suburban edges (laid again before them), the
    suburban edges, the access edges. :func:`lay_delta` applies them with networkx,
    :func:`yrdnet.scenarios.overlay.lay_copy` on a copy of what they write.
    """
    replaced = set(delta.pairs)
    kept_rail = {}
    for p in delta.suburban_pairs:
        if p not in replaced and G.has_edge(*p):
            kept_rail[p] = [d for d in G[p[0]][p[1]].values() if d.get("mode") == "rail"]
    edges: list[Edge] = [
        *delta.rail,
        *((u, v, d) for (u, v), ds in kept_rail.items() for d in ds),
        *((u, v, d) for (u, v), ds in delta.suburban_pairs.items() for d in ds),
        *delta.access,
    ]
    return replaced | set(delta.suburban_pairs), edges


def track_of(delta: GraphDelta) -> str:
    """``G.graph["track"]`` of the scenario graph (:attr:`GraphDelta.track`, else made from its segments)."""
    return _track_json(delta.stations, delta.by_line) if delta.track is None else delta.track

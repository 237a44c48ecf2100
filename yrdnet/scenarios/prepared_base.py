r"""One base, many scenarios: exact incremental evaluation for sweeps (:class:`IncrementalBase`).

Built once from a base scenario, zones and model, an :class:`IncrementalBase` holds the
base graph, the reusable parts of its build (:mod:`yrdnet.network.delta`) and the
all-node shortest distances of every travel mode. For a scenario that only opens or adds
lines, :meth:`IncrementalBase.travel_times` then needs neither a graph build nor a
Dijkstra run: the scenario's new and faster edges come from
:func:`yrdnet.network.delta.rail_delta` and the zone matrix from the exact min-plus
update (:func:`yrdnet.routing.incremental.update_zone_distances`). Other scenarios fall back to
building their graph (incremental routing when the graph still only adds, full routing
otherwise); the method taken is returned with the matrix.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.core.errors import NotIncrementalError
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.delta import (
    GraphDelta,
    NeedsBuild,
    RailState,
    apply_delta,
    data_stamp,
    rail_delta,
    rail_state,
)
from yrdnet.network.tables import curated_tables
from yrdnet.region.datasets import file_version
from yrdnet.region.region import load_region
from yrdnet.region.zones import Zones
from yrdnet.routing.compile import MODES, check_mode, compile_graph
from yrdnet.routing.incremental import (
    NodeDistances,
    all_node_distances,
    travel_times_incremental,
    update_zone_distances,
)
from yrdnet.routing.matrices import RailLegs, UnreachableWarning, rail_legs, travel_times, unreachable_message
from yrdnet.scenarios.overlay import delta_nodes, edit_copy, lay_copy, overlay, reorder_nodes
from yrdnet.scenarios.scenario import Scenario, build_graph, load_scenario

__all__ = [
    "METHODS",
    "CityTrains",
    "IncrementalBase",
    "ScenarioState",
    "city_train_graph",
    "delta_nodes",
    "overlay",
    "rail_pairs",
    "scenario_rail_pairs",
]

log = logging.getLogger(__name__)

#: What :meth:`IncrementalBase.travel_times` reports as its method.
METHODS = ("incremental", "incremental (graph built)", "full")


@dataclass(frozen=True)
class IncrementalBase:
    """A base scenario prepared for evaluating many scenarios against it.

    Build with :meth:`build`. Picklable (send it to Dask workers once, e.g. with
    ``client.scatter``); treat it as read-only.

    Attributes
    ----------
    scenario
        The base :class:`yrdnet.Scenario`.
    zones
        The zones (:class:`yrdnet.Zones`; the city level is ``load_zones("city")``).
    model
        The ``model`` argument given to :meth:`build` (scenario overrides apply on top).
    graph
        The base graph (``build_graph(scenario, model=model, zones=zones)``).
    distances
        All-node shortest distances (float64 s) of the base graph per mode.
    state
        The reusable parts of the base's build.
    stamp
        Names, content hashes and sizes of the data files (and of the base's
        scenario files) at build time: a later change makes every call raise instead of
        mixing data versions.
    zone_nodes, zone_codes
        The graph's zone node ids and zone ids, in matrix order.

    Examples
    --------
    >>> B = IncrementalBase.build("baseline_2025")
    >>> T, method = B.travel_times("north_yangtze_hsr", "rail", warn_unreachable=False)
    >>> method, T.shape
    ('incremental', (41, 41))
    """

    scenario: Scenario
    zones: Zones
    model: TravelTimeModel | None
    graph: nx.MultiDiGraph
    distances: dict[str, NodeDistances]
    state: RailState
    stamp: tuple[tuple[str, int, int], ...]
    zone_nodes: tuple[str, ...]
    zone_codes: np.ndarray

    @classmethod
    def build(
        cls,
        base: str | Path | Scenario = "baseline_2025",
        *,
        zones: Zones | str | None = None,
        model: TravelTimeModel | None = None,
        modes: Sequence[str] = MODES,
    ) -> IncrementalBase:
        """Build the base graph, its reusable build state and its all-node distances.

        Parameters
        ----------
        base
            Base scenario (name, TOML path or :class:`yrdnet.Scenario`).
        zones
            ``None``/``"city"``, ``"county"`` or a :class:`yrdnet.Zones`.
        model
            Travel-time parameters for the base and every scenario (their ``[model]``
            overrides apply on top).
        modes
            Modes to precompute all-node distances for (others raise later).

        Returns
        -------
        IncrementalBase
            Cost: one graph build and one all-node Dijkstra per mode (about 1.5 s for
            three modes at county level).
        """
        for m in modes:
            check_mode(m)
        sc = load_scenario(base)
        stamp = data_stamp(_files(sc))
        z = load_region().resolve_zones(zones)
        G = build_graph(sc, model=model, zones=z)
        cg = compile_graph(G)
        tables = sc.tables(curated_tables())
        m0 = sc.travel_time_model(model)
        state = rail_state(tables, sc.effective_year, m0, z, G)
        dist = {m: all_node_distances(G, m) for m in modes}
        return cls(sc, z, model, G, dist, state, stamp, tuple(cg.zones), cg.zone_codes.copy())

    # ------------------------------------------------------------------ public
    def delta(self, scenario: str | Path | Scenario) -> GraphDelta:
        """How the scenario's graph differs from the base graph (raises if not add-only).

        Raises
        ------
        yrdnet.NotIncrementalError
            The scenario changes the model, zones, cities, stations, expressway links, or
            closes or changes a line or service of the base.
        """
        self._check_stamp()
        sc = load_scenario(scenario)
        try:
            return self._delta(sc)
        except NeedsBuild as e:
            raise NotIncrementalError(f"scenario {sc.name!r}: {e}") from None

    def scenario_graph(self, scenario: str | Path | Scenario) -> nx.MultiDiGraph:
        """The scenario's graph: the base graph plus :meth:`delta`, else built in full.

        Equal to ``build_graph(scenario, model=model, zones=zones)`` node for node and
        edge for edge (attributes and keys; insertion order may differ).
        """
        self._check_stamp()
        sc = load_scenario(scenario)
        try:
            return apply_delta(self.graph, self._delta(sc))
        except NeedsBuild as e:
            log.info("scenario %r: graph built in full (%s)", sc.name, e)
            return build_graph(sc, model=self.model, zones=self.zones)

    def scenario_state(
        self,
        scenario: str | Path | Scenario,
        modes: Sequence[str] = MODES,
        *,
        data: tuple[tuple[str, int, int], ...] | None = None,
    ) -> ScenarioState:
        """The scenario's graph and travel times from one delta: what a sweep evaluates.

        The graph is :meth:`scenario_graph`'s, but as a copy-on-write :func:`lay_copy` of
        the base graph (read-only: it shares the base's untouched adjacency and every
        attribute dict) when the scenario only adds; the travel times are
        :meth:`evaluate`'s (no unreachable warnings). Built in full otherwise. ``data``:
        ``data_stamp()`` of the data files when the caller has just computed it (the check
        of the data version then hashes only the base's scenario files).
        """
        for m in modes:
            check_mode(m)
        self._check_stamp(data)
        sc = load_scenario(scenario)
        try:
            delta = self._delta(sc)
            transit: list[tuple[str, str, float]] | None = None  # added_edges: one list for every mode but road
            out = {}
            for m in modes:
                if m != "road" and transit is None:
                    transit = delta.added_edges(m, self.state.pair_min)
                out[m] = (self.from_delta(delta, m, edges=None if m == "road" else transit), "incremental")
            G = lay_copy(self.graph, delta)
            P = scenario_rail_pairs(self.rail, delta)
            legs = scenario_rail_legs(self.rail_legs, P, delta)
            return ScenarioState(G, out, delta, P, self._city_trains(P, delta), legs)
        except (NeedsBuild, NotIncrementalError) as e:
            log.info("scenario %r: builds its graph (%s)", sc.name, e)
        G_new = build_graph(sc, model=self.model, zones=self.zones)
        return ScenarioState(G_new, {m: self._from_graph(G_new, m) for m in modes}, None, rail_pairs(G_new), None)

    @functools.cached_property
    def city_trains(self) -> CityTrains | None:
        """The base's daily direct trains per rail pair and per city pair (``None`` if not whole numbers)."""
        return _city_pair_trains(self.rail)

    @functools.cached_property
    def city_train_base(self) -> nx.MultiDiGraph | None:
        """:func:`city_train_graph` of the base (read-only; ``None`` as :attr:`city_trains`)."""
        base = self.city_trains
        return None if base is None else city_train_graph(base.by_city_pair, set(base.cities))

    def _city_trains(self, P: nx.MultiDiGraph, delta: GraphDelta) -> nx.MultiDiGraph | None:
        """:func:`city_train_graph` of the scenario's rail pairs ``P``, from the base's and the delta's pairs.

        A copy-on-write :func:`edit_copy` of :attr:`city_train_base` (read-only) with the
        city pairs the delta lays again, equal to the graph made from all the sums (nodes,
        adjacency and keys in the same order).
        """
        base, T0 = self.city_trains, self.city_train_base
        if base is None or T0 is None:
            return None
        w: dict[tuple[int, int], float] = {}  # the changed city pairs, in the order they first change
        sums = []  # every partial sum: each must be whole for the order not to matter
        city = P.nodes(data="city")
        for u, v in set(delta.pairs) | {(u, v) for u, v, _ in delta.rail}:
            cu, cv = int(city[u]), int(city[v])
            if cu != cv:  # the pair's trains as laid again, instead of the base's
                old = w.get((cu, cv), base.by_city_pair.get((cu, cv), 0.0))
                w[(cu, cv)] = old - base.by_pair.get((u, v), 0.0) + _pair_trains(P, u, v)
                sums.append(w[(cu, cv)])
        if not all(float(x).is_integer() and 0 <= x < 2.0**52 for x in sums):
            return None
        halls = {int(d["city"]) for _, d in delta.new_nodes if d.get("kind") == "station" and d.get("city") is not None}
        cities = sorted(halls - base.cities)
        known = base.by_city_pair
        T = edit_copy(
            T0,
            (),
            [(f"city:{c}", {"kind": "station", "city": c}) for c in cities],
            [(f"city:{a}", f"city:{b}", _trains(x)) for (a, b), x in w.items() if (a, b) not in known],
            replace=[(f"city:{a}", f"city:{b}", 0, _trains(x)) for (a, b), x in w.items() if (a, b) in known],
        )
        if cities:  # city_train_graph adds its nodes in city order
            reorder_nodes(T, [f"city:{c}" for c in sorted(base.cities | halls)])
        return T

    @functools.cached_property
    def rail_legs(self) -> RailLegs:
        """:func:`yrdnet.routing.matrices.rail_legs` of :attr:`rail`, made on first use."""
        return rail_legs(self.rail)

    @functools.cached_property
    def rail(self) -> nx.MultiDiGraph:
        """The base graph's rail pair graph (:func:`rail_pairs`), made on first use."""
        return rail_pairs(self.graph)

    def travel_times(
        self, scenario: str | Path | Scenario, mode: str = "multimodal", *, warn_unreachable: bool = True
    ) -> tuple[pd.DataFrame, str]:
        """Zone travel times of a scenario and the method used (one of :data:`METHODS`).

        Returns what ``yrdnet.travel_times(build_graph(scenario, model=model,
        zones=zones), mode)`` returns (float32 minutes, identical), plus ``"incremental"``
        (no graph build, no routing: :meth:`delta` and the min-plus update),
        ``"incremental (graph built)"`` (the scenario's graph is built and compared with
        the base, then updated incrementally) or ``"full"`` (it is routed in full).
        """
        return self.evaluate(scenario, (mode,), warn_unreachable=warn_unreachable)[mode]

    def evaluate(
        self, scenario: str | Path | Scenario, modes: Sequence[str] = MODES, *, warn_unreachable: bool = True
    ) -> dict[str, tuple[pd.DataFrame, str]]:
        """:meth:`travel_times` for several modes, sharing the scenario's delta or graph."""
        for m in modes:
            check_mode(m)
            if m not in self.distances:
                msg = f"mode {m!r} was not prepared; build with modes including it (have {list(self.distances)})"
                raise ValueError(msg)
        self._check_stamp()
        sc = load_scenario(scenario)
        out: dict[str, tuple[pd.DataFrame, str]] = {}
        try:
            delta = self._delta(sc)
            for m in modes:
                out[m] = (self.from_delta(delta, m), "incremental")
        except (NeedsBuild, NotIncrementalError) as e:
            log.info("scenario %r: builds its graph (%s)", sc.name, e)
            G_new = build_graph(sc, model=self.model, zones=self.zones)
            for m in modes:
                out[m] = self._from_graph(G_new, m)
        for m in modes:
            note = unreachable_message(out[m][0], self.graph, m) if warn_unreachable else None
            if note:
                warnings.warn(note, UnreachableWarning, stacklevel=3)
            log.info("scenario %r, %s: %s", sc.name, m, out[m][1])
        return out

    # ------------------------------------------------------------------ internals
    def _check_stamp(self, data: tuple[tuple[str, int, int], ...] | None = None) -> None:
        files = _files(self.scenario)
        now = data_stamp(files) if data is None else (*data, *(file_version(p) for p in files))
        if now != self.stamp:
            changed = sorted({n for n, *_ in set(now) ^ set(self.stamp)})
            msg = (
                f"data file(s) changed since this IncrementalBase was built: {changed[:5]}; "
                "build a new one with IncrementalBase.build(...)"
            )
            raise ValueError(msg)

    def _delta(self, sc: Scenario) -> GraphDelta:
        t1 = sc.tables(self.state.tables)
        m1 = sc.travel_time_model(self.model)
        return rail_delta(self.state, sc, t1, m1)

    def _frame(self, sec: np.ndarray) -> pd.DataFrame:
        codes = self.zone_codes
        return pd.DataFrame(
            (sec / 60.0).astype(np.float32),
            index=pd.Index(codes, name="origin"),
            columns=pd.Index(codes, name="destination"),
        )

    @functools.cached_property
    def _zone_blocks(self) -> dict[str, np.ndarray]:
        """Per mode, the base's zone-to-zone seconds (``distances[mode].take(zone_nodes)``), filled on use."""
        return {}

    def from_delta(
        self, delta: GraphDelta, mode: str, *, edges: list[tuple[str, str, float]] | None = None
    ) -> pd.DataFrame:
        """Zone travel times (float32 minutes) of the base plus a :meth:`delta`, by the min-plus update.

        ``edges``: ``delta.added_edges(mode, state.pair_min)`` when the caller has it.
        Raises :class:`yrdnet.NotIncrementalError` when the delta slows a station pair.
        """
        if edges is None:
            edges = delta.added_edges(mode, self.state.pair_min)
        new = [n for n, _ in delta.new_nodes]
        D = self.distances[mode]
        block = self._zone_blocks.get(mode)
        if block is None:
            block = self._zone_blocks[mode] = D.take(self.zone_nodes)
        sec, _ = update_zone_distances(D, self.zone_nodes, edges, new_nodes=new, zone_block=block)
        return self._frame(sec)

    def _from_graph(self, G_new: nx.MultiDiGraph, mode: str) -> tuple[pd.DataFrame, str]:
        try:
            T = travel_times_incremental(self.graph, G_new, mode, base=self.distances[mode], warn_unreachable=False)
        except NotIncrementalError as e:
            log.info("full routing (%s)", e)
            return travel_times(G_new, mode, warn_unreachable=False), "full"
        return T, "incremental (graph built)"

    def __repr__(self) -> str:
        level = self.zones.level
        return (
            f"IncrementalBase(base={self.scenario.name!r}, zones={level!r}, "
            f"nodes={self.graph.number_of_nodes()}, modes={list(self.distances)})"
        )


@dataclass(frozen=True)
class ScenarioState:
    """One scenario on a prepared base (:meth:`IncrementalBase.scenario_state`).

    ``graph`` equals ``build_graph(scenario)`` (a read-only overlay of the base graph
    when ``delta`` is set), ``times`` maps each mode to (zone matrix, method of
    :data:`METHODS`), ``delta`` is the scenario's :class:`~yrdnet.network.delta.GraphDelta`
    or ``None`` when its graph was built in full, ``rail`` the graph's rail pair graph
    (:func:`rail_pairs`, read-only), ``trains`` its :func:`city_train_graph` (``None``:
    read the train strength off ``rail``), ``legs`` its
    :func:`~yrdnet.routing.matrices.rail_legs` (``None``: read off ``rail``).
    """

    graph: nx.MultiDiGraph
    times: dict[str, tuple[pd.DataFrame, str]]
    delta: GraphDelta | None
    rail: nx.MultiDiGraph
    trains: nx.MultiDiGraph | None
    legs: RailLegs | None = None


def pair_attrs(edges: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One rail pair's edge: fastest ``in_vehicle_s``, most ``trains_per_day`` (``None``: no rail edge)."""
    rail = [d for d in edges if d.get("mode") == "rail"]
    if not rail:
        return None
    out: dict[str, Any] = {"mode": "rail"}
    ride = [float(d["in_vehicle_s"]) for d in rail if "in_vehicle_s" in d]
    if ride:
        out["in_vehicle_s"] = min(ride)
    most = 0.0
    for d in rail:
        t = d.get("trains_per_day")
        most = max(most, float(t) if t is not None and np.isfinite(float(t)) else 0.0)
    out["trains_per_day"] = most
    return out


def rail_pairs(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The rail pair graph of ``G``: its stations and one rail edge per station pair.

    Each pair's edge holds the pair's fastest ``in_vehicle_s`` and its largest
    ``trains_per_day`` (0 where missing): what
    :func:`yrdnet.routing.matrices.station_times` (fastest rides, changes between
    trains) and :func:`yrdnet.metrics.hierarchy.train_strength` (each pair's trains
    counted once) read of the rail edges, so both give the same on it as on ``G``.
    Nodes: every station and rail-edge end, with ``G``'s attribute dicts; ``G.graph``
    copied.
    """
    P = nx.MultiDiGraph()
    P.graph.update(G.graph)
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for u, v, d in G.edges(data=True):
        if d.get("mode") == "rail":
            by_pair.setdefault((u, v), []).append(d)
    ends = {n for p in by_pair for n in p}
    P.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "station" or n in ends)
    for (u, v), ds in by_pair.items():
        P.add_edge(u, v, **(pair_attrs(ds) or {}))
    return P


def _pair_trains(P: nx.MultiDiGraph, u: str, v: str) -> float:
    """The daily trains of pair ``u -> v`` in a rail pair graph (0 without an edge)."""
    keys = P._adj[u].get(v) if u in P._adj else None
    if not keys:
        return 0.0
    return max(float(d.get("trains_per_day", 0.0)) for d in keys.values())


@dataclass(frozen=True)
class CityTrains:
    """Daily direct trains of a rail pair graph per station pair and per city pair, and its station cities."""

    by_pair: dict[tuple[str, str], float]
    by_city_pair: dict[tuple[int, int], float]
    cities: frozenset[int]


def _city_pair_trains(P: nx.MultiDiGraph) -> CityTrains | None:
    """Daily trains per rail pair and their sums per city pair; ``None`` unless all are whole numbers.

    Whole numbers (below 2**52) add up exactly in any order, so a scenario's city
    sums can be updated pair by pair and still equal a sum over its whole graph.
    """
    city = P.nodes(data="city")
    per_pair = {(u, v): _pair_trains(P, u, v) for u, v in set(P.edges())}
    w: dict[tuple[int, int], float] = {}
    for (u, v), x in per_pair.items():
        cu, cv = int(city[u]), int(city[v])
        if cu != cv:
            w[(cu, cv)] = w.get((cu, cv), 0.0) + x
    if not all(float(x).is_integer() and 0 <= x < 2.0**52 for x in [*per_pair.values(), *w.values()]):
        return None
    cities = frozenset(int(c) for n, c in city if P.nodes[n].get("kind") == "station")
    return CityTrains(per_pair, w, cities)


def _trains(x: float) -> dict[str, Any]:
    """A city pair edge's attributes in :func:`city_train_graph`."""
    return {"mode": "rail", "trains_per_day": x}


def city_train_graph(w: dict[tuple[int, int], float], cities: set[int]) -> nx.MultiDiGraph:
    """One station per city and one rail edge per city pair holding its daily direct trains ``w``.

    :func:`yrdnet.metrics.hierarchy.train_strength` reads the same strength and degree
    off it as off the graph the sums ``w`` come from (whole numbers: exact in any order).
    """
    T = nx.MultiDiGraph()
    T.add_nodes_from((f"city:{c}", {"kind": "station", "city": c}) for c in sorted(cities))
    T.add_edges_from((f"city:{a}", f"city:{b}", _trains(x)) for (a, b), x in w.items())
    return T


def scenario_rail_pairs(P_base: nx.MultiDiGraph, delta: GraphDelta) -> nx.MultiDiGraph:
    """The rail pair graph (:func:`rail_pairs`) of the base plus ``delta``.

    ``P_base`` is the base graph's; the pairs ``delta`` lays again get the pair edge of
    their new rail edges (none when they lost them), new halls join. Equal to
    ``rail_pairs(apply_delta(G_base, delta))`` (a copy-on-write :func:`edit_copy` of
    ``P_base``: read-only).
    """
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for u, v, d in delta.rail:
        by_pair.setdefault((u, v), []).append(d)
    ends = {n for p in by_pair for n in p}
    halls = [(n, d) for n, d in delta.new_nodes if d.get("kind") == "station"]
    known = set(P_base) | {n for n, _ in halls}
    others = []  # the other new rail-edge ends, once each, as add_nodes_from after the halls adds them
    for n, d in delta.new_nodes:
        if n in ends and n not in known:
            others.append((n, d))
            known.add(n)
    edges = [(u, v, a) for (u, v), ds in by_pair.items() if (a := pair_attrs(ds)) is not None]
    P = edit_copy(P_base, set(delta.pairs) | set(by_pair), [*halls, *others], edges)
    P.graph.update(delta.graph_attrs)
    return P


def scenario_rail_legs(base: RailLegs, P: nx.MultiDiGraph, delta: GraphDelta) -> RailLegs:
    """``rail_legs(P)`` of a scenario's rail pair graph ``P`` from the base's legs and ``delta``.

    The same legs (in another order: :func:`yrdnet.routing.matrices.station_times` keeps
    each pair's fastest, so its times are identical): the base's, less those of the
    pairs ``delta`` lays again, plus those pairs' edges in ``P``.
    """
    halls = sorted(n for n, d in P._node.items() if d.get("kind") == "station" and str(n).startswith("st:"))
    index = {h: i for i, h in enumerate(halls)}
    fresh = {n for n, _ in delta.new_nodes}
    if any(h not in index for h in base.halls) or len(halls) - len(base.halls) != len(fresh.intersection(halls)):
        return rail_legs(P)  # a base hall is gone or another node became one: read P
    pos = np.array([index[h] for h in base.halls], dtype=np.int64)
    pairs = set(delta.pairs) | {(u, v) for u, v, _ in delta.rail}
    n = len(halls)
    u, v = pos[base.u], pos[base.v]
    laid = np.array([index[a] * n + index[b] for a, b in pairs if a in index and b in index], dtype=np.int64)
    keep = ~np.isin(u * n + v, laid)
    nu, nv, nw = [], [], []
    adj = P._adj
    for a, b in sorted(pairs):
        if a in index and b in index and b in adj[a]:
            for d in adj[a][b].values():
                if d.get("mode") == "rail" and "in_vehicle_s" in d:
                    nu.append(index[a])
                    nv.append(index[b])
                    nw.append(float(d["in_vehicle_s"]))
    return RailLegs(
        halls,
        np.concatenate([u[keep], np.asarray(nu, dtype=np.int64)]),
        np.concatenate([v[keep], np.asarray(nv, dtype=np.int64)]),
        np.concatenate([base.ride_s[keep], np.asarray(nw, dtype=float)]),
    )


def _files(sc: Scenario) -> tuple[Path, ...]:
    """Scenario files of a base chain (their edits are part of the base's state)."""
    return tuple(s.path for s in sc.chain() if s.path is not None)

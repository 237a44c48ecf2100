"""Zone-to-zone travel times with scipy's compiled Dijkstra.

The graph is compiled once to CSR (:func:`yrdnet.routing.compile.compile_graph`); many-to-many
times come from :func:`scipy.sparse.csgraph.dijkstra` run on chunks of origins so that
memory stays bounded (``settings.chunk_size`` origins x all nodes per call). Results are
float32 minutes.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from yrdnet.core.cache import cache_key, disk_get, disk_put
from yrdnet.core.modes import TRANSIT_MODES
from yrdnet.core.params import TravelTimeModel
from yrdnet.core.settings import settings
from yrdnet.core.validation import did_you_mean
from yrdnet.routing.compile import CompiledGraph, check_mode, compile_graph

__all__ = [
    "RailLegs",
    "UnreachableWarning",
    "node_distances",
    "rail_legs",
    "station_times",
    "travel_times",
    "trip_breakdown",
    "unreachable_message",
]

log = logging.getLogger(__name__)


class UnreachableWarning(UserWarning):
    """Some zone pairs cannot reach each other by the requested mode."""


def unreachable_message(T: pd.DataFrame, G: nx.MultiDiGraph, mode: str) -> str | None:
    """One line naming the cut-off zones of a travel-time matrix, or ``None`` if all connect.

    Cut-off zones are those in at least ``n - 1`` unreachable pairs (e.g. Zhoushan by rail);
    when no zone is cut off, every zone in an unreachable pair is named.
    """
    bad = ~np.isfinite(T.to_numpy())
    if not bad.any():
        return None
    codes = T.index.to_numpy()
    count = bad.sum(axis=0) + bad.sum(axis=1)
    cut = count >= len(codes) - 1
    chosen = codes[cut] if cut.any() else codes[count > 0]
    names = [f"{c} {G.nodes[f'zone:{c}'].get('name', '')}".strip() for c in sorted(chosen)]
    return f"{int(bad.sum())} of {bad.size} zone pairs are unreachable by {mode}; cut-off zones: {', '.join(names)}"


def node_distances(
    G: nx.MultiDiGraph,
    sources: Sequence[str],
    *,
    mode: str = "multimodal",
    targets: Sequence[str] | None = None,
    chunk_size: int | None = None,
) -> np.ndarray:
    """Shortest travel times in **seconds** from ``sources`` to ``targets`` (default all nodes).

    Returns a float64 array of shape ``(len(sources), len(targets))``; unreachable = inf.
    """
    cg = compile_graph(G)
    csr = cg.csr(mode)
    src = np.array([cg.index[s] for s in sources], dtype=np.int64)
    tgt = None if targets is None else np.array([cg.index[t] for t in targets], dtype=np.int64)
    chunk = settings.chunk_size if chunk_size is None else chunk_size
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        msg = f"chunk_size must be a positive integer (origins per Dijkstra call), got {chunk_size!r}"
        raise ValueError(msg)
    ncol = len(cg.nodes) if tgt is None else len(tgt)
    out = np.empty((len(src), ncol), dtype=np.float64)
    for start in range(0, len(src), chunk):
        block = dijkstra(csr, directed=True, indices=src[start : start + chunk])
        out[start : start + chunk] = block if tgt is None else block[:, tgt]
    return out


def travel_times(
    G: nx.MultiDiGraph,
    mode: str = "multimodal",
    *,
    zones: Sequence[int] | None = None,
    chunk_size: int | None = None,
    warn_unreachable: bool = True,
) -> pd.DataFrame:
    """Door-to-door travel times between zones (city centres, county seats, ...), in minutes.

    Parameters
    ----------
    G
        A graph meeting the yrdnet graph contract.
    mode
        ``"multimodal"`` (best over rail and road, including driving to a station of a
        neighbouring city), ``"rail"`` (rail with access/egress by urban road, no
        expressway) or ``"road"`` (expressway only).
    zones
        Zone ids to include (default every zone of ``G``, sorted), in that order: city
        adcodes on a city graph, county adcodes on a county graph (``zone:<id>`` nodes).
    chunk_size
        Origins per Dijkstra call (default ``settings.chunk_size``).
    warn_unreachable
        Emit one :class:`UnreachableWarning` naming the zones involved in unreachable pairs.

    Returns
    -------
    pandas.DataFrame
        float32 minutes, index = origins, columns = destinations (zone ids), diagonal 0,
        ``inf`` where unreachable.

    Notes
    -----
    With ``settings.use_cache = True`` the matrix is kept on disk (see
    :mod:`yrdnet.core.cache`), keyed on the content of the routing arrays of ``mode``
    and the zones asked for, so any graph with the same edges and weights reuses it.

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> T = travel_times(mock_graph(), "road")
    >>> bool((T.to_numpy().diagonal() == 0).all())
    True
    """
    check_mode(mode)
    cg = compile_graph(G)
    if zones is None:
        zn, codes = cg.zones, cg.zone_codes
    else:
        lookup = dict(zip(cg.zone_codes.tolist(), cg.zones, strict=False))
        unknown = [z for z in zones if int(z) not in lookup]
        if unknown:
            msg = f"unknown zone(s) {unknown}; the graph has zones {sorted(lookup)}"
            raise ValueError(msg)
        zn = [lookup[int(z)] for z in zones]
        codes = np.array([int(z) for z in zones], dtype=np.int64)
    key = _matrix_key(cg, mode, zn, codes) if settings.use_cache else None
    cached = disk_get("travel_times", key) if key is not None else None
    if isinstance(cached, pd.DataFrame):
        T = cached
    else:
        log.info("routing %d zones by %s over %d nodes", len(zn), mode, len(cg.nodes))
        sec = node_distances(G, zn, mode=mode, targets=zn, chunk_size=chunk_size)
        T = pd.DataFrame(
            (sec / 60.0).astype(np.float32),
            index=pd.Index(codes, name="origin"),
            columns=pd.Index(codes, name="destination"),
        )
        if key is not None:
            disk_put("travel_times", key, T)
    if warn_unreachable:
        note = unreachable_message(T, G, mode)
        if note:
            warnings.warn(note, UnreachableWarning, stacklevel=2)
    return T


def _matrix_key(cg: CompiledGraph, mode: str, zn: Sequence[str], codes: np.ndarray) -> str:
    """Content address of a travel-time matrix: the mode's edge arrays, the zone nodes and ids."""
    m = cg.mask(mode)
    return cache_key("travel_times", mode, len(cg.nodes), cg.u[m], cg.v[m], cg.w[m], [cg.index[z] for z in zn], codes)


def trip_breakdown(G: nx.MultiDiGraph, origin: int, destination: int, mode: str = "multimodal") -> pd.DataFrame:
    """The legs of the fastest door-to-door trip between two zones, with their minutes.

    Splits a travel time into its door-to-door parts: access (the drive to the station plus
    station entry, ``terminal_min``), waiting/boarding, in-vehicle time per line or
    expressway route, through-running, alighting, transfers (alight + board) and egress.

    Parameters
    ----------
    G
        A graph meeting the yrdnet graph contract.
    origin, destination
        Zone ids (city adcodes on a city graph, county adcodes on a county graph).
    mode
        ``"multimodal"``, ``"rail"`` or ``"road"``.

    Returns
    -------
    pandas.DataFrame
        One row per leg (consecutive road edges of one route merged): ``part`` (access,
        egress, wait/board, alight, in-vehicle, through-running, road), ``line`` (line ids
        or expressway route), ``service`` (the rail service taken: the fastest of the
        pooled service level) and ``trains_per_day`` (the pooled frequency the wait
        follows from), ``from``, ``to`` (node names), ``km``, ``minutes``. The minutes
        sum to ``travel_times(G, mode).loc[origin, destination]``.

    Raises
    ------
    ValueError
        If an id is not a zone of ``G`` or the destination is unreachable by ``mode``.

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> G = mock_graph()
    >>> legs = trip_breakdown(G, 310000, 320500, "road")
    >>> legs["part"].tolist()[0]
    'access'
    """
    check_mode(mode)
    cg = compile_graph(G)
    src, dst = f"zone:{int(origin)}", f"zone:{int(destination)}"
    for z in (src, dst):
        if z not in cg.index:
            msg = f"unknown zone {z[5:]}; the graph has zones {sorted(cg.zone_codes.tolist())}"
            raise ValueError(msg)
    csr = cg.csr(mode)
    dist, pred = dijkstra(csr, directed=True, indices=cg.index[src], return_predecessors=True)
    j = cg.index[dst]
    if not np.isfinite(dist[j]):
        msg = f"{destination} is unreachable from {origin} by {mode}"
        raise ValueError(msg)
    path = [j]
    while path[-1] != cg.index[src]:
        path.append(int(pred[path[-1]]))
    nodes = [cg.nodes[i] for i in reversed(path)]
    legs: list[dict[str, object]] = []
    for u, v in itertools.pairwise(nodes):
        d = min(G[u][v].values(), key=lambda e: e["travel_time"])
        if d.get("mode") in TRANSIT_MODES and "in_vehicle_s" in d:
            legs.extend(_service_legs(G, u, v, d))
            continue
        part = _part(G, u, v, d)
        line = str(d.get("line", d.get("route", "")) or "")
        last = legs[-1] if legs else None
        if last is not None and last["part"] == part and last["line"] == line and part in ("in-vehicle", "road"):
            last["to"] = G.nodes[v].get("name", v)
            last["km"] = float(last["km"]) + d.get("length", 0.0) / 1000.0  # type: ignore[arg-type]
            last["minutes"] = float(last["minutes"]) + d["travel_time"] / 60.0  # type: ignore[arg-type]
            continue
        legs.append(
            _leg(
                part, line, G.nodes[u].get("name", u), G.nodes[v].get("name", v), d.get("length", 0.0), d["travel_time"]
            )
        )
    return pd.DataFrame(legs, columns=["part", "line", "service", "trains_per_day", "from", "to", "km", "minutes"])


def _leg(
    part: str, line: str, a: object, b: object, length_m: float, seconds: float, service: str = "", tpd: float = np.nan
) -> dict[str, object]:
    return {
        "part": part,
        "line": line,
        "service": service,
        "trains_per_day": tpd,
        "from": a,
        "to": b,
        "km": length_m / 1000.0,
        "minutes": seconds / 60.0,
    }


def _service_legs(G: nx.MultiDiGraph, u: str, v: str, d: dict[str, Any]) -> list[dict[str, object]]:
    """A rail service-level or suburban edge as its three legs: wait for the train, ride, alight."""
    a, b = G.nodes[u].get("name", u), G.nodes[v].get("name", v)
    line, svc, tpd = str(d.get("line", "")), str(d.get("service", "")), float(d.get("trains_per_day", np.nan))
    return [
        _leg("wait/board", line, a, a, 0.0, float(d["wait_s"]), svc, tpd),
        _leg("in-vehicle", line, a, b, float(d.get("length", 0.0)), float(d["in_vehicle_s"]), svc, tpd),
        _leg("alight", line, b, b, 0.0, float(d["alight_s"]), svc, tpd),
    ]


def _part(G: nx.MultiDiGraph, u: str, v: str, d: dict[str, object]) -> str:
    m = d.get("mode")
    if m in TRANSIT_MODES:
        return "in-vehicle"
    if m == "road":
        return "road"
    if m == "access":
        return "access" if G.nodes[u].get("kind") == "zone" else "egress"
    if u.startswith("st:"):
        return "wait/board"
    if v.startswith("st:"):
        return "alight"
    return "through-running"


@dataclass(frozen=True)
class RailLegs:
    """The station halls and rail legs of a graph, as :func:`station_times` reads them.

    ``halls``: the station hall node ids (``kind="station"``, ``st:`` prefix), sorted;
    leg ``i`` runs from ``halls[u[i]]`` to ``halls[v[i]]`` in ``ride_s[i]`` seconds
    (``in_vehicle_s`` of a rail edge between two halls).
    """

    halls: list[str]
    u: np.ndarray
    v: np.ndarray
    ride_s: np.ndarray


def rail_legs(G: nx.MultiDiGraph) -> RailLegs:
    """The :class:`RailLegs` of ``G`` (rail edges with ``in_vehicle_s`` between station halls, in edge order)."""
    halls = sorted(n for n, k in G.nodes(data="kind") if k == "station" and str(n).startswith("st:"))
    index = {h: i for i, h in enumerate(halls)}
    u, v, w = [], [], []
    for a, b, d in G.edges(data=True):
        if d.get("mode") == "rail" and "in_vehicle_s" in d and a in index and b in index:
            u.append(index[a])
            v.append(index[b])
            w.append(float(d["in_vehicle_s"]))
    return RailLegs(halls, np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64), np.asarray(w, dtype=float))


def station_times(
    G: nx.MultiDiGraph,
    stations: Sequence[str] | None = None,
    *,
    transfer_min: float | None = None,
    labels: str = "id",
    legs: RailLegs | None = None,
) -> pd.DataFrame:
    r"""Fastest scheduled station-to-station rail times, in minutes (the policy's definition).

    The time of a trip from the departure of its first train to the arrival of its last,
    over the graph's rail service edges:

    .. math::

        T_{ab} = \min_{\text{paths } a \to b} \Bigl( \sum_{legs} t^{ride}_{leg}
        + (n_{legs} - 1)\, \tau \Bigr)

    where :math:`t^{ride}` is a leg's in-vehicle time (``in_vehicle_s`` of the fastest
    service between its two stops) and :math:`\tau` the minimum connection time
    (``transfer_min``). Unlike :func:`travel_times`, it holds no access, terminal, wait
    or egress time: this is how the YRD plans state their "1-1.5 h between core cities"
    targets (fastest train between main stations). Suburban edges (metro, suburban and
    intercity-metro lines, ``mode="suburban"``) are not trains of that definition and
    are left out.

    Parameters
    ----------
    G
        A graph built by :func:`yrdnet.build_graph` (rail edges with ``in_vehicle_s``).
    stations
        Station ids (without the ``st:`` prefix) for rows and columns, in that order
        (default: every served station, sorted).
    transfer_min
        Minimum connection time at a change of train, minutes (default
        ``G.graph["transfer_min"]``, else :class:`yrdnet.TravelTimeModel`'s).
    labels
        ``"id"`` (station ids) or ``"name_zh"`` (Chinese station names) for the index and
        columns; the other is always in ``.attrs["name_zh"]`` (id -> name).
    legs
        ``rail_legs(G)`` when already known (e.g. updated from a scenario's delta).

    Returns
    -------
    pandas.DataFrame
        float64 minutes, origins x destinations, 0 on the diagonal, ``inf`` where no rail
        connection exists.

    Raises
    ------
    ValueError
        On an unknown station id (close matches named) or ``labels``.

    Examples
    --------
    >>> import yrdnet
    >>> T = station_times(yrdnet.build_graph("baseline", year=2016), ["shanghai_hongqiao", "nanjing_south"])
    >>> bool(0 < T.loc["shanghai_hongqiao", "nanjing_south"] < 120)
    True
    """
    if labels not in ("id", "name_zh"):
        msg = f"labels must be 'id' or 'name_zh', got {labels!r}"
        raise ValueError(msg)
    tau = transfer_seconds(G, transfer_min)
    legs = rail_legs(G) if legs is None else legs
    halls = legs.halls
    index = {h: i for i, h in enumerate(halls)}
    ids = [h[3:] for h in halls]
    if stations is None:
        chosen = ids
    else:
        chosen = [str(s) for s in stations]
        bad = [s for s in chosen if f"st:{s}" not in index]
        if bad:
            msg = f"station(s) not served in this graph: {bad}{did_you_mean(bad[0], ids)}"
            raise ValueError(msg)
    u, v = np.asarray(legs.u, dtype=np.int64), np.asarray(legs.v, dtype=np.int64)
    csr = _min_csr(u, v, legs.ride_s + tau, len(halls))
    src = np.array([index[f"st:{s}"] for s in chosen], dtype=np.int64)
    dist = dijkstra(csr, directed=True, indices=src)[:, src] if len(src) else np.zeros((0, 0))
    minutes = np.where(np.isfinite(dist), (dist - tau) / 60.0, np.inf)
    np.fill_diagonal(minutes, 0.0)
    names = {s: str(G.nodes[f"st:{s}"].get("name_zh", s)) for s in chosen}
    lab = chosen if labels == "id" else [names[s] for s in chosen]
    T = pd.DataFrame(minutes, index=pd.Index(lab, name="origin"), columns=pd.Index(lab, name="destination"))
    T.attrs["name_zh"] = names
    return T


def transfer_seconds(G: nx.MultiDiGraph, transfer_min: float | None = None) -> float:
    r""":func:`station_times`' connection time :math:`\tau` in seconds (default ``G.graph["transfer_min"]``)."""
    if transfer_min is None:  # the model's default only when the graph has none (it is built on each call)
        transfer_min = G.graph["transfer_min"] if "transfer_min" in G.graph else TravelTimeModel().transfer_min
    return 60.0 * transfer_min


def group_seconds(legs: RailLegs, tau: float, groups: Sequence[np.ndarray]) -> np.ndarray | None:
    r"""Fastest rail time from the nearest hall of each group to every hall, as :func:`station_times` sums it.

    Row :math:`g` holds :math:`\min_{a \in g} d_{ab}` for every hall :math:`b`, where
    :math:`d_{ab}` is :func:`station_times`' distance in seconds before the last
    :math:`\tau` is taken off (legs weigh ``ride_s + tau``); a hall of the group itself
    is 0. One Dijkstra run per group: a virtual origin per group joined to its halls by
    zero-weight arcs. A path from the virtual origin sums its legs from the first, as a
    run from that hall does (:math:`0 + w = w` exactly), so each entry equals the
    minimum over the group's rows of that run, bit for bit.

    Parameters
    ----------
    legs
        :func:`rail_legs`.
    tau
        Connection time, seconds (:func:`transfer_seconds`).
    groups
        Hall positions (into ``legs.halls``) of each group; empty groups give ``inf`` rows.

    Returns
    -------
    numpy.ndarray or None
        float64 seconds, ``(len(groups), len(legs.halls))``, ``inf`` where unreachable;
        ``None`` when a leg weight is negative or not finite (then use :func:`station_times`).
    """
    n, k = len(legs.halls), len(groups)
    w = legs.ride_s + tau
    if not bool(np.isfinite(w).all()) or bool((w < 0).any()):
        return None
    if not k:
        return np.zeros((0, n))
    members = [np.asarray(g, dtype=np.int64) for g in groups]
    gu = np.repeat(np.arange(n, n + k, dtype=np.int64), [len(g) for g in members])
    u = np.concatenate([np.asarray(legs.u, dtype=np.int64), gu])
    v = np.concatenate([np.asarray(legs.v, dtype=np.int64), *members])
    csr = _min_csr(u, v, np.concatenate([w, np.zeros(len(gu))]), n + k)  # explicit zeros are arcs to csgraph
    return dijkstra(csr, directed=True, indices=np.arange(n, n + k))[:, :n]


def linked_halls(legs: RailLegs) -> np.ndarray:
    """Which halls a leg joins to another hall: the served stations of :func:`station_times` (finite weights)."""
    out = np.zeros(len(legs.halls), dtype=bool)
    other = legs.u != legs.v
    out[legs.u[other]] = True
    out[legs.v[other]] = True
    return out


def _min_csr(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int) -> sp.csr_matrix:
    """:func:`~yrdnet.routing.compile.min_csr` (parallel arcs keep their minimum), built straight from sorted arcs."""
    key = u * n + v
    order = np.argsort(key, kind="stable")
    key, w = key[order], w[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
    key, w = key[first], np.fmin.reduceat(w, first) if len(first) else w  # fmin: NaN only if all are, as min_csr
    indptr = np.searchsorted(key, np.arange(n + 1, dtype=np.int64) * n)
    return sp.csr_matrix((w, key % n, indptr), shape=(n, n))

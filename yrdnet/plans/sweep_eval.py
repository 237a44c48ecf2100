"""Internals of :mod:`yrdnet.sweep`: the job, the shared base state and one scenario's rows.

Everything here runs unchanged in the calling process and on a Dask worker, so the two
paths produce the same rows. A process keeps its prepared bases in :data:`CACHE` (a
module global, one per process, so one per Dask worker), so the base graph and its
all-node distances are built once per worker, not once per task, and once for a run of
sweeps in one process (a greedy search calls the sweep once per round).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.analysis.composite import COMPONENTS, composite_index, core_link_attainment, raw_components
from yrdnet.analysis.indicators import REGISTRY, concrete_keys, label, lookup
from yrdnet.analysis.pipeline import analyze
from yrdnet.analysis.results import ScenarioResult
from yrdnet.analysis.reuse import Reuse, loaded_region
from yrdnet.core.cache import register_cache
from yrdnet.core.params import MetricParams, TravelTimeModel
from yrdnet.core.settings import settings
from yrdnet.network.delta import data_stamp
from yrdnet.region.region import load_region
from yrdnet.region.zones import Zones, load_zones
from yrdnet.routing.compile import MODES
from yrdnet.routing.matrices import travel_times
from yrdnet.scenarios.prepared_base import IncrementalBase
from yrdnet.scenarios.scenario import Scenario, build_graph, load_scenario

__all__: list[str] = []

#: A data version (:func:`yrdnet.network.delta.data_stamp`).
Stamp = tuple[tuple[str, int, int], ...]

log = logging.getLogger("yrdnet.sweep")

#: Columns of the sweep table, in order.
COLUMNS = ("scenario", "indicator", "value", "unit", "label", "zones", "base", "method", "seconds", "status", "error")
#: Of :data:`COLUMNS`, the run times: never written to a result table (``run.log`` instead).
TIMING_COLUMNS = ("seconds",)
#: The composite's fixed scenarios: scored 0 and the reference where no citable target exists.
COMPOSITE_BASE, COMPOSITE_PLAN = "baseline_2010", "plan_2035"
#: Region rows only a timeline produces (not one scenario's analysis).
_TIMELINE_ONLY = ("convergence_core_members_min_per_year",)
_RAW_KEYS = frozenset(c.raw for c in COMPONENTS.values())
_CANDIDATE = "__candidate__"  # the swept scenario's column in the composite's raw table


# ------------------------------------------------------------------ indicator keys
@functools.cache
def region_keys() -> tuple[str, ...]:
    """Concrete region-row keys of the registry that one scenario's analysis can produce."""
    keys = (k for ind in REGISTRY if ind.scale == "region" for k in concrete_keys(ind))
    return tuple(k for k in dict.fromkeys(keys) if k not in _TIMELINE_ONLY)


def describe(key: str) -> tuple[str, str]:
    """``(unit, label)`` of a region key, from the registry."""
    hit = lookup(key, "region")
    unit = hit[0].unit if hit is not None else ""
    return unit, label(key, unit=False)


# ------------------------------------------------------------------ the job
@dataclass(frozen=True)
class Job:
    """What every scenario of one sweep is evaluated with (picklable, shipped to workers)."""

    zones: str
    indicators: tuple[str, ...]
    model: TravelTimeModel | None
    params: MetricParams | None
    incremental: bool
    data_folder: Path | None

    @property
    def centrality(self) -> bool:
        """Whether analyze must compute betweenness: only for the rows built on it."""
        return any("betweenness" in k for k in self.indicators)

    @property
    def composite(self) -> bool:
        """Whether the composite's reference scenarios are needed."""
        return any(k.startswith("composite_") for k in self.indicators)


def fingerprint(sc: Scenario) -> str:
    """A canonical text of what a scenario's network depends on (its base chain's edits)."""
    chain = [
        {"name": s.name, "year": s.year, "edits": s.edits, "model": s.model, "root": str(s.base)}
        if not isinstance(s.base, Scenario)
        else {"name": s.name, "year": s.year, "edits": s.edits, "model": s.model}
        for s in sc.chain()
    ]
    return json.dumps(chain, sort_keys=True, default=str)


def sweep_params(job: Job) -> MetricParams:
    """The metric parameters of a sweep's analyses: the job's, with Rich's city self-potential.

    A sweep routes only the city graph (incrementally, from a prepared base), so the
    city-level potential uses Rich's internal time on the city polygons
    (``MetricParams.city_potential = "rich"``) for every scenario and for the composite's
    references alike; :func:`yrdnet.analyze` on one scenario defaults to the county run
    (issue 20), so its potential columns differ from a sweep's.
    """
    return (job.params or MetricParams()).replace(city_potential="rich")


def zones_of(job: Job) -> Zones:
    """The job's zones (:func:`yrdnet.load_zones` reads them once per data-file version)."""
    return load_zones(job.zones)


# ------------------------------------------------------------------ shared base state
class BaseCache:
    """Prepared bases keyed by (base, zones, model, data version); the ``maxsize`` latest kept.

    A prepared base (:class:`yrdnet.scenarios.prepared_base.IncrementalBase`) holds the base graph,
    its all-node distances per mode (:func:`yrdnet.routing.incremental.all_node_distances`) and the
    reusable parts of its build.
    """

    def __init__(self, maxsize: int = 2) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[tuple[str, ...], IncrementalBase] = OrderedDict()
        self._reuse: dict[tuple[str, ...], Reuse] = {}
        self._lock = threading.Lock()
        self.builds = 0

    @staticmethod
    def _key(base: Scenario, job: Job, stamp: Stamp | None = None) -> tuple[str, ...]:
        stamp = data_stamp() if stamp is None else stamp
        return (fingerprint(base), job.zones, repr(job.model), str(job.data_folder), repr(stamp))

    def entry(self, base: Scenario, job: Job) -> tuple[IncrementalBase, Reuse]:
        """The prepared base (:meth:`get`) and what its scenarios' analyses share (a Reuse)."""
        prepared, shared, _ = self.stamped_entry(base, job)
        return prepared, shared

    def stamped_entry(self, base: Scenario, job: Job) -> tuple[IncrementalBase, Reuse, Stamp]:
        """:meth:`entry` and the data version (:func:`yrdnet.network.delta.data_stamp`) it was keyed on."""
        stamp = data_stamp()
        k = self._key(base, job, stamp)
        prepared = self._get(k, base, job)
        with self._lock:
            if k not in self._reuse:
                self._reuse[k] = Reuse(loaded_region(load_region()))
            return prepared, self._reuse[k], stamp

    def get(self, base: Scenario, job: Job) -> IncrementalBase:
        """The prepared base, built on first use (one build per key while it stays cached)."""
        return self._get(self._key(base, job), base, job)

    def _get(self, k: tuple[str, ...], base: Scenario, job: Job) -> IncrementalBase:
        with self._lock:
            if k in self._items:
                self._items.move_to_end(k)
                return self._items[k]
            t0 = time.perf_counter()
            prepared = IncrementalBase.build(base, zones=zones_of(job), model=job.model)
            self.builds += 1
            log.info("sweep: base %r (%s zones) prepared in %.2f s", base.name, job.zones, time.perf_counter() - t0)
            self._items[k] = prepared
            while len(self._items) > self.maxsize:
                old, _ = self._items.popitem(last=False)
                self._reuse.pop(old, None)
            return prepared

    def clear(self) -> None:
        """Drop every prepared base."""
        with self._lock:
            self._items.clear()
            self._reuse.clear()


#: The prepared bases of this process (module global: one per process, so one per Dask
#: worker), kept across sweeps; a change of the data files makes a new key.
CACHE = BaseCache()
#: The composite's reference rows by (zones, model, params, data version), kept across sweeps.
_REFERENCES: OrderedDict[tuple[str, ...], pd.DataFrame] = OrderedDict()


# ------------------------------------------------------------------ references of the composite
def composite_references(job: Job) -> pd.DataFrame:
    """Raw component values of 2010 and plan_2035, analysed once (for the ``progress`` normalisation).

    The default (``bounds``) composite scores each candidate alone, so :func:`yrdnet.sweep`
    no longer calls this; kept for later sweeps with the same zones, model, parameters
    and data (the 4 latest).
    """
    k = (job.zones, repr(job.model), repr(job.params), str(job.data_folder), repr(data_stamp()))
    if k in _REFERENCES:
        _REFERENCES.move_to_end(k)
        return _REFERENCES[k].copy()
    cols = {}
    for name in (COMPOSITE_BASE, COMPOSITE_PLAN):
        G = build_graph(name, model=job.model, zones=zones_of(job))
        od = {m: travel_times(G, m, warn_unreachable=False) for m in MODES}
        Z = zones_of(job)
        res = analyze(G, zones=Z, travel_times=od, params=sweep_params(job), centrality=False, sensitivity_samples=1)
        cols[name] = _raw_components(res)
    _REFERENCES[k] = pd.DataFrame(cols)
    while len(_REFERENCES) > 4:
        _REFERENCES.popitem(last=False)
    return _REFERENCES[k].copy()


def clear_caches() -> None:
    """Drop the prepared bases and the composite references of this process."""
    CACHE.clear()
    _REFERENCES.clear()


register_cache("plans.sweep_eval.prepared_bases", clear_caches)
register_cache("plans.sweep_eval.region_keys", region_keys.cache_clear)


def _raw_components(res: ScenarioResult) -> pd.Series:
    """The composite's raw component values of one analysis (index: the components' raw keys)."""
    return raw_components([res]).iloc[:, 0]


# ------------------------------------------------------------------ one scenario
def route(sc: Scenario, job: Job, cache: BaseCache) -> tuple[nx.MultiDiGraph, dict[str, pd.DataFrame], str, str]:
    """Graph, travel times per mode, method and the scenario the matrices came from (:func:`routed`)."""
    r = routed(sc, job, cache)
    return r.graph, r.od, r.method, r.base


@dataclass(frozen=True)
class Routed:
    """One scenario routed for a sweep (:func:`routed`)."""

    graph: nx.MultiDiGraph
    od: dict[str, pd.DataFrame]
    method: str
    base: str
    reuse: Reuse | None  # what its analysis shares with the other scenarios of its base


def routed(
    sc: Scenario,
    job: Job,
    cache: BaseCache,
    entry: tuple[IncrementalBase, Reuse] | None = None,
    stamp: Stamp | None = None,
) -> Routed:
    """Graph, travel times per mode, method and the scenario the matrices came from.

    On a scenario base (and ``job.incremental``): the base's prepared state gives the
    scenario graph (base graph plus the added lines, equal to ``build_graph``) and the
    travel times by the exact min-plus update; the method is ``"incremental"`` when every
    mode was updated, ``"full"`` when a mode had to be routed in full. Otherwise the
    scenario's graph is built and routed in full. ``stamp``: the data version ``entry`` was
    keyed on (the data files are then hashed once for the scenario).
    """
    if job.incremental and isinstance(sc.base, Scenario):
        if entry is None:
            prepared, shared, stamp = cache.stamped_entry(sc.base, job)
        else:
            prepared, shared = entry
        state = prepared.scenario_state(sc, MODES, data=stamp)  # one delta: an overlay graph and the min-plus update
        od = {m: T for m, (T, _) in state.times.items()}
        reuse = shared.with_rail(state.rail, state.trains, state.legs)
        if all(how != "full" for _, how in state.times.values()):
            return Routed(state.graph, od, "incremental", prepared.scenario.name, reuse)
        return Routed(state.graph, od, "full", sc.name, reuse)
    G = build_graph(sc, model=job.model, zones=zones_of(job))
    return Routed(G, {m: travel_times(G, m, warn_unreachable=False) for m in MODES}, "full", sc.name, None)


def indicator_values(res: ScenarioResult, job: Job, refs: pd.DataFrame | None) -> dict[str, float | str]:
    """The selected indicators of one analysis: a number, or a message when it has no such row."""
    region = res.region["value"]
    comp: pd.Series | None = None
    out: dict[str, float | str] = {}
    for k in job.indicators:
        if k == "core_link_attainment":
            out[k] = core_link_attainment(res.targets)
        elif k.startswith("composite_") or (k in _RAW_KEYS and k not in region.index):
            if comp is None:  # the default (bounds) composite scores the candidate alone
                raw = _raw_components(res).to_frame(_CANDIDATE)
                comp = pd.concat([composite_index(raw).index.loc[_CANDIDATE], raw[_CANDIDATE]])
            out[k] = float(comp[k])
        elif k in region.index:
            out[k] = float(region[k])
        else:
            out[k] = f"analyze produced no region row {k!r} at zones={job.zones!r}"
    return out


def evaluate(sc: Scenario | str, job: Job, refs: pd.DataFrame | None, cache: BaseCache) -> list[dict[str, Any]]:
    """The rows of one scenario (one per indicator), or one failed row; never raises."""
    t0 = time.perf_counter()
    name = sc.name if isinstance(sc, Scenario) else _display_name(sc)
    base, method = "", ""
    try:
        sc = load_scenario(sc)
        name = sc.name
        entry, stamp = None, None
        if job.incremental and isinstance(sc.base, Scenario):
            builds = cache.builds
            *entry, stamp = cache.stamped_entry(sc.base, job)
            if cache.builds != builds:  # the base's one-off preparation is not this scenario's time
                t0 = time.perf_counter()
        r = routed(sc, job, cache, None if entry is None else (entry[0], entry[1]), stamp)
        method, base = r.method, r.base
        res = analyze(
            r.graph,
            zones=zones_of(job) if r.reuse is None else r.reuse.region.resolve_zones(job.zones),
            travel_times=r.od,
            params=sweep_params(job),
            centrality=job.centrality,
            sensitivity_samples=1,
            reuse=r.reuse,
        )
        values = indicator_values(res, job, refs)
    except Exception as e:  # a failed scenario is a row of the table, never the end of the sweep
        log.info("sweep: scenario %r failed: %s: %s", name, type(e).__name__, e)
        return [failed_row(name, job, f"{type(e).__name__}: {e}", base, method, time.perf_counter() - t0)]
    seconds = time.perf_counter() - t0
    rows = []
    for k, v in values.items():
        unit, label = describe(k)
        ok = not isinstance(v, str)
        rows.append(
            {
                "scenario": name,
                "indicator": k,
                "value": v if ok else np.nan,
                "unit": unit,
                "label": label,
                "zones": job.zones,
                "base": base,
                "method": method,
                "seconds": seconds,
                "status": "ok" if ok else "failed",
                "error": "" if ok else v,
            }
        )
    return rows


def failed_row(
    name: str, job: Job, error: str, base: str = "", method: str = "", seconds: float = 0.0
) -> dict[str, Any]:
    """The one row of a scenario that could not be evaluated."""
    return {
        "scenario": name,
        "indicator": "",
        "value": np.nan,
        "unit": "",
        "label": "",
        "zones": job.zones,
        "base": base,
        "method": method,
        "seconds": seconds,
        "status": "failed",
        "error": error,
    }


def _display_name(item: str | Path) -> str:
    text = str(item)
    return Path(text).stem if text.endswith(".toml") else text


def evaluate_on_worker(sc: Scenario | str, job: Job, refs: pd.DataFrame | None) -> list[dict[str, Any]]:
    """:func:`evaluate` with this worker process's base cache (the Dask task)."""
    if settings.data_folder != job.data_folder:  # the worker reads the client's data
        settings.data_folder = job.data_folder
    return evaluate(sc, job, refs, CACHE)

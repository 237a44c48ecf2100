r"""Many scenarios at once: one tidy table of indicators, in-process or on Dask (issue 13).

:func:`sweep` evaluates scenarios (shipped names, TOML paths or generated
:class:`~yrdnet.Scenario` objects, e.g. from :func:`package_scenario`) and returns one
row per (scenario, indicator) with its provenance. The work a sweep shares is done once:

* for each distinct base scenario, its graph is built once and
  :func:`yrdnet.routing.incremental.all_node_distances` computed once per mode (with the
  reusable parts of the build: :class:`yrdnet.scenarios.prepared_base.IncrementalBase`);
* a scenario on such a base that only adds lines or links gets its graph as the base
  graph plus the added edges (equal to :func:`yrdnet.build_graph`, without rebuilding)
  and its travel times from the exact incremental min-plus update (float32 minutes
  identical to full routing: see :func:`yrdnet.routing.incremental.update_distances`); any other
  scenario (a removal, a slow-down, a base that is the bare ``baseline``) is built and
  routed in full with :func:`yrdnet.travel_times`;
* :func:`yrdnet.analyze` then runs on the precomputed matrices (``travel_times=``),
  with betweenness only when a selected indicator is built on it.

Given a ``distributed.Client`` (or a scheduler address) the same call fans out one task
per scenario over the workers; each worker process builds a base's state once and keeps
it for its later tasks, and the table is the in-process one row for row.

Examples
--------
>>> from yrdnet.plans.sweep import candidate_projects, package_scenario, sweep
>>> candidate_projects()[:2]
['chaohu_maanshan', 'hefei_wuhan_new']
>>> package_scenario(["chaohu_maanshan", "nanjing_huaian"]).name
'chaohu_maanshan+nanjing_huaian'
>>> t = sweep(["north_yangtze_hsr"], indicators=["mean_watt_pop_multimodal"], progress=False)  # doctest: +SKIP

The module is callable: ``yrdnet.sweep(scenarios, ...)`` is :func:`sweep`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from yrdnet.core.callable_module import make_callable
from yrdnet.core.io import write_csv, write_text
from yrdnet.core.params import MetricParams, TravelTimeModel
from yrdnet.core.settings import settings
from yrdnet.core.validation import as_sequence, did_you_mean
from yrdnet.plans import sweep_eval as ev
from yrdnet.scenarios.scenario import Scenario, list_scenarios, load_scenario

if TYPE_CHECKING:  # pragma: no cover
    import distributed

__all__ = [
    "HEADLINE",
    "TIMING_COLUMNS",
    "available_indicators",
    "candidate_projects",
    "clear_cache",
    "local_cluster",
    "package_scenario",
    "sweep",
    "write_sweep",
]

log = logging.getLogger(__name__)

#: Columns of the sweep table that are run times, not results: they differ between
#: identical runs, so :func:`write_sweep` keeps them out of ``sweep.csv`` (``run.log``).
TIMING_COLUMNS: tuple[str, ...] = ev.TIMING_COLUMNS

#: The default indicators of :func:`sweep`: the composite, its four raw components, and the
#: region's mean door-to-door time, efficiency and polycentricity.
HEADLINE: tuple[str, ...] = (
    "composite_index",
    "subcentre_core_balance",
    "metro_logistic_integration",
    "core_link_equivalent_time_min",
    "theil_people_pot_exp_pop_multimodal",
    "mean_watt_pop_multimodal",
    "mean_watt_pop_rail",
    "global_efficiency_multimodal",
    "uci",
    "circle_region_2h",
)

_ZONES = ("city", "county")
_DASK_HINT = 'pip install "yrdnet[dask]"'


# ------------------------------------------------------------------ candidates and packages
def candidate_projects() -> list[str]:
    """Names of the shipped single-project scenarios on ``baseline_2025``, sorted.

    A single project is a shipped scenario whose base is ``baseline_2025`` and whose own
    edits only add to it (``open_line``, ``add_line``, ``add_link``) without a network
    year or model change of its own — so ``plan_2035`` (year 2035, all projects at once)
    is not one.

    Returns
    -------
    list of str
        Scenario names, usable by :func:`load_scenario`, :func:`package_scenario` and
        :func:`sweep`.

    Examples
    --------
    >>> "north_yangtze_hsr" in candidate_projects(), "plan_2035" in candidate_projects()
    (True, False)
    """
    out = []
    for name, r in list_scenarios().iterrows():
        if r["base"] == "baseline_2025" and load_scenario(str(name)).only_adds():
            out.append(str(name))
    return sorted(out)


def package_scenario(
    projects: Sequence[str | Path | Scenario],
    *,
    base: str | Scenario = "baseline_2025",
    name: str | None = None,
    year: int | None = None,
) -> Scenario:
    """One scenario holding several projects: the union of their edits on a common base.

    Parameters
    ----------
    projects
        Project scenarios (names, TOML paths or :class:`Scenario`), each on ``base``.
        Their edits are applied in the order given (each project's in its own order).
    base
        The base every project must have (a name, path or :class:`Scenario`).
    name
        Name of the package; default the project names joined by ``"+"``, or
        ``"baseline"`` for no project.
    year
        Network year; default the latest year a project sets, else none (the base's).

    Returns
    -------
    Scenario
        On ``base``, with the projects' edits and (merged) ``[model]`` overrides. With no
        project, a scenario on ``base`` with no edits: the base network itself.

    Raises
    ------
    ValueError
        A project that cannot be loaded, whose base is not ``base``, given twice, or
        whose ``[model]`` override contradicts another project's.

    Examples
    --------
    >>> pkg = package_scenario(["north_yangtze_hsr", "jinhua_jiande_complete"])
    >>> [e["line"] for e in pkg.edits]
    ['north_yangtze_hsr', 'jinhua_jiande_hsr', 'jinhua_jiande_hsr_lanxi_jinhua']
    """
    b = load_scenario(base)
    key = ev.fingerprint(b)
    loaded = [load_scenario(p) for p in projects]
    names = [p.name for p in loaded]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"project(s) {dup} given more than once; give each project once")
    edits: list[dict[str, Any]] = []
    model: dict[str, Any] = {}
    for p in loaded:
        if not isinstance(p.base, Scenario) or ev.fingerprint(p.base) != key:
            found = p.base.name if isinstance(p.base, Scenario) else p.base
            raise ValueError(f"project {p.name!r} is on base {found!r}, not {b.name!r}; every project needs that base")
        for k, v in p.model.items():
            if k in model and model[k] != v:
                raise ValueError(f"project {p.name!r} sets [model] {k} = {v!r}, another project {model[k]!r}")
            model[k] = v
        edits.extend(dict(e) for e in p.edits)
    if name is None:
        name = "+".join(names) if names else "baseline"
    years = [p.year for p in loaded if p.year is not None]
    return Scenario(
        name=name,
        description=f"{len(loaded)} project(s) on {b.name}: {', '.join(names)}" if names else f"{b.name} itself",
        base=b,
        year=year if year is not None else (max(years) if years else None),
        edits=edits,
        model=model,
        source=" | ".join(f"{p.name}: {p.source}" for p in loaded if p.source),
    )


# ------------------------------------------------------------------ indicators
def available_indicators() -> list[str]:
    """Keys :func:`sweep` accepts: the registry's region rows of one scenario's analysis.

    Region rows of :func:`yrdnet.analyze` (some only at county level, the betweenness
    rows only at city level), ``core_link_attainment`` and the composite's
    ``composite_index`` and ``composite_<component>`` scores. Labels and units come from
    :mod:`yrdnet.indicators`.

    Examples
    --------
    >>> "composite_index" in available_indicators()
    True
    """
    return sorted(ev.region_keys())


def _check_indicators(indicators: Sequence[str] | None) -> tuple[str, ...]:
    if indicators is None:
        return HEADLINE
    if isinstance(indicators, str):
        raise ValueError(f"indicators must be a list of keys, got the string {indicators!r}; use [{indicators!r}]")
    keys = tuple(dict.fromkeys(indicators))
    if not keys:
        raise ValueError("indicators is empty; give at least one key (see available_indicators())")
    valid = ev.region_keys()
    bad = [k for k in keys if k not in valid]
    if bad:
        hints = "; ".join(f"{k!r}{did_you_mean(k, valid) or ' (no close match)'}" for k in bad)
        raise ValueError(f"unknown sweep indicator(s): {hints}; valid keys: yrdnet.sweep.available_indicators()")
    return keys


# ------------------------------------------------------------------ sweep
def sweep(
    scenarios: Iterable[str | Path | Scenario],
    *,
    zones: str = "city",
    indicators: Sequence[str] | None = None,
    client: distributed.Client | str | None = None,
    model: TravelTimeModel | None = None,
    params: MetricParams | None = None,
    progress: bool = True,
    incremental: bool = True,
) -> pd.DataFrame:
    r"""Evaluate many scenarios into one tidy table, in-process or on a Dask cluster.

    Parameters
    ----------
    scenarios
        Shipped names, TOML paths or :class:`Scenario` objects (e.g. from
        :func:`package_scenario`), evaluated in this order.
    zones
        ``"city"`` (41) or ``"county"`` (305) zones, for the graphs and the analysis.
    indicators
        Region-row keys (:func:`available_indicators`); default :data:`HEADLINE`:
        ``composite_index``, its four raw components (``subcentre_core_balance``,
        ``metro_logistic_integration``, ``core_link_equivalent_time_min``,
        ``theil_people_pot_exp_pop_multimodal``), ``mean_watt_pop_multimodal``,
        ``mean_watt_pop_rail``, ``global_efficiency_multimodal``, ``uci`` and
        ``circle_region_2h``.
    client
        ``None`` (in-process), a ``distributed.Client``, or a scheduler address (a client
        is opened and closed here). Needs ``pip install "yrdnet[dask]"``.
    model
        Travel-time parameters (each scenario's ``[model]`` overrides apply on top).
    params
        Metric parameters (default :class:`MetricParams`).
    progress
        Show a progress bar (never when ``settings.quiet`` or ``$YRDNET_QUIET=1``).
    incremental
        Use the incremental update where it applies; ``False`` routes every scenario in
        full (the check that both give the same table).

    Returns
    -------
    pandas.DataFrame
        One row per (scenario, indicator), scenarios in the given order, indicators in
        the selected order: ``scenario``, ``indicator`` (registry key), ``value``,
        ``unit`` and ``label`` (from :mod:`yrdnet.indicators`), ``zones``, ``base`` (the
        scenario whose matrices were reused: the base for ``method="incremental"``, the
        scenario itself for ``"full"``), ``method``, ``seconds`` (graph, routing and
        analysis of that scenario; a base's one-off state is not included; a run time,
        not a result: see *Timings*), ``status``
        (``"ok"`` or ``"failed"``) and ``error`` (empty when ok). A scenario that fails
        (unreadable file, unknown line, any exception) is one ``failed`` row with its
        error and an empty ``indicator``; an indicator the analysis does not produce at
        this zone level is a ``failed`` row with ``NaN``. Neither stops the sweep.

    Raises
    ------
    ValueError
        Unknown indicator (with close matches) or zone level.
    TypeError
        ``scenarios`` is a single name or path (not a list of them) or holds an item of
        another type; ``client`` is neither a ``distributed.Client`` nor an address string.
    ImportError
        ``client`` given but ``distributed`` is not installed.

    Notes
    -----
    **Composite.** ``composite_index`` and ``composite_<component>`` follow
    :func:`yrdnet.composite.composite_index` with its defaults (natural-bounds
    normalisation, equal weights, arithmetic mean) on the raw component rows
    (``subcentre_core_balance``, ``metro_logistic_integration``,
    ``core_link_equivalent_time_min``, ``theil_people_pot_exp_pop_multimodal``):

    .. math:: I_s = \frac{1}{4}\left(H_s + M_s + \frac{90}{90 + t^*_s} + e^{-T_s}\right)

    Each scenario is scored on its own values alone, so its value does not depend on
    which other scenarios are swept, and no reference scenario is analysed (OECD & JRC
    2008, *Handbook on Constructing Composite Indicators*).

    **Method.** ``"incremental"`` when all three modes came from the base's matrices by
    the exact update; ``"full"`` when the scenario's base is not a scenario, when
    ``incremental=False``, or when a mode had to be routed in full (the scenario removes
    or slows something of its base).

    **Exactness.** Betweenness is computed only when a selected key is built on it (the
    other region rows do not depend on it); the analysis is otherwise
    :func:`yrdnet.analyze` with default scope and masses, so each value equals
    ``analyze(scenario, zones=zones).region`` (the tests check this).

    **Dask.** One task per scenario, results gathered in order; scenarios are loaded
    here, so scenario files need only exist on this machine, but the workers need the
    same yrdnet and data (they adopt this process's ``settings.data_folder``). Each
    worker process prepares a base once and keeps it for its later tasks. The table
    equals the in-process one except ``seconds``.

    **Timings.** ``seconds`` (:data:`TIMING_COLUMNS`) is kept in the returned table for
    callers that read it, but it differs between identical runs, so it is never written
    to a result table: :func:`write_sweep` (and ``yrdnet sweep``) writes ``sweep.csv``
    without it, byte-identical between identical runs, and the run times to ``run.log``.
    Drop it (``table.drop(columns=list(TIMING_COLUMNS))``) before comparing tables or
    saving them yourself.

    **Caches.** Each process (this one, each worker) keeps its two latest prepared bases
    and the composite's reference rows for later sweeps, keyed on the base, zones, model,
    parameters and the data files' versions (so a repeated sweep, or a greedy search
    sweeping once per round, prepares nothing twice); :func:`clear_cache` releases them.

    Examples
    --------
    >>> t = sweep(["chaohu_maanshan", "no_such_scenario"], indicators=["uci"], progress=False)  # doctest: +SKIP
    >>> t[["scenario", "indicator", "status"]]  # doctest: +SKIP
    """
    items = _check_items(scenarios)
    if zones not in _ZONES:
        raise ValueError(f"zones must be one of {list(_ZONES)}, got {zones!r}{did_you_mean(str(zones), _ZONES)}")
    job = ev.Job(zones, _check_indicators(indicators), model, params, bool(incremental), settings.data_folder)
    distributed = _import_distributed() if client is not None else None
    if distributed is not None and not isinstance(client, (str, distributed.Client)):
        raise TypeError(f"client must be a distributed.Client or a scheduler address, got {type(client).__name__}")
    t0 = time.perf_counter()
    slots: list[list[dict[str, Any]] | Scenario] = [_load(x, job) for x in items]
    todo = [s for s in slots if isinstance(s, Scenario)]
    refs = None  # the default (bounds) composite needs no reference scenarios
    if distributed is None:
        done = [ev.evaluate(s, job, refs, ev.CACHE) for s in _bar(todo, _show(progress), "sweep")]
    else:
        done = _on_dask(distributed, client, todo, job, refs, _show(progress))
    it = iter(done)
    rows = [r for s in slots for r in (next(it) if isinstance(s, Scenario) else s)]
    table = pd.DataFrame(rows, columns=list(ev.COLUMNS))
    table["value"] = table["value"].astype(float)
    table["seconds"] = table["seconds"].astype(float)
    n_failed = int((table["status"] == "failed").sum())
    log.info("sweep: %d scenarios, %d rows (%d failed) in %.1f s", len(items), len(table), n_failed,
             time.perf_counter() - t0)  # fmt: skip
    return table


def _check_items(scenarios: Iterable[str | Path | Scenario]) -> list[str | Path | Scenario]:
    """The scenarios as a list; a single name, or an item of another type, is a TypeError up front."""
    items = as_sequence(scenarios, "scenarios", "scenario names, .toml paths or Scenario objects")
    for i, x in enumerate(items):
        if not isinstance(x, (str, os.PathLike, Scenario)):
            raise TypeError(
                f"scenarios[{i}] must be a scenario name, a .toml path or a Scenario, got {type(x).__name__} {x!r}"
            )
    return items


def clear_cache() -> None:
    """Release the prepared bases and composite references this process keeps for sweeps.

    Examples
    --------
    >>> clear_cache()
    """
    ev.clear_caches()


def _load(item: str | Path | Scenario, job: ev.Job) -> list[dict[str, Any]] | Scenario:
    """The loaded scenario, or its one failed row."""
    try:
        return load_scenario(item)
    except Exception as e:  # a bad file is a row of the table
        name = item.name if isinstance(item, Scenario) else ev._display_name(item)
        return [ev.failed_row(name, job, f"{type(e).__name__}: {e}")]


def _show(progress: bool) -> bool:
    quiet_env = os.environ.get("YRDNET_QUIET", "").strip().lower() in {"1", "true", "yes", "on"}
    return bool(progress) and not settings.quiet and not quiet_env


def _bar(items: list[Any], show: bool, desc: str, unit: str = "scenario") -> Iterable[Any]:
    if not show:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit=unit)


def _import_distributed() -> Any:
    try:
        return importlib.import_module("distributed")
    except ImportError as e:
        raise ImportError(f"yrdnet.sweep(..., client=...) runs on Dask, which is not installed: {_DASK_HINT}") from e


@contextlib.contextmanager
def local_cluster(n_workers: int, *, silence_logs: int = logging.CRITICAL) -> Iterator[Any]:
    """A client of a local Dask cluster (one thread per worker process), both closed afterwards.

    Parameters
    ----------
    n_workers
        Worker processes.
    silence_logs
        Level below which the cluster's log messages are dropped (default: all but
        critical ones, so no heartbeat noise while the cluster shuts down).

    Yields
    ------
    distributed.Client
        Connected to the cluster (``client.cluster.scheduler_address`` is its address).
        The dashboard and the scheduler take free ports.
    """
    distributed = _import_distributed()
    with (
        distributed.LocalCluster(
            n_workers=n_workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=":0",
            scheduler_port=0,
            silence_logs=silence_logs,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _on_dask(
    distributed: Any, client: Any, todo: list[Scenario], job: ev.Job, refs: pd.DataFrame | None, show: bool
) -> list[list[dict[str, Any]]]:
    """One task per scenario on the cluster; results in the order given."""
    own = isinstance(client, str)
    c = distributed.Client(client) if own else client
    try:
        if not todo:
            return []
        futures = c.map(ev.evaluate_on_worker, todo, job=job, refs=refs, pure=False)
        if show:
            for _ in _bar_iter(distributed.as_completed(futures), len(futures)):
                pass
        return list(c.gather(futures))
    finally:
        if own:
            c.close()


def _bar_iter(it: Iterator[Any], total: int) -> Iterator[Any]:
    from tqdm.auto import tqdm

    yield from tqdm(it, total=total, desc="sweep (dask)", unit="scenario")


def write_sweep(table: pd.DataFrame, folder: str | Path) -> Path:
    """Write a :func:`sweep` table into ``folder``: ``sweep.csv`` and ``run.log``.

    ``sweep.csv`` holds every column but the run times (:data:`TIMING_COLUMNS`), so two
    identical runs write byte-identical files; ``run.log`` holds the seconds of each
    scenario (``<scenario> seconds: 1.234``) and their total. Use it inside
    :func:`yrdnet.core.io.atomic_dir` to write a result folder whole.

    Parameters
    ----------
    table
        A table returned by :func:`sweep`.
    folder
        The folder to write into (created if missing).

    Returns
    -------
    pathlib.Path
        The path of ``sweep.csv``.
    """
    folder = Path(folder)
    timing = [c for c in TIMING_COLUMNS if c in table.columns]
    path = write_csv(folder / "sweep.csv", table.drop(columns=timing), index=False)
    lines = []
    if "seconds" in timing:
        per = table.drop_duplicates("scenario").set_index("scenario")["seconds"].astype(float)
        lines = [f"{name} seconds: {s:.3f}\n" for name, s in per.items()]
        lines.append(f"total seconds: {float(per.sum()):.3f}\n")
    write_text(folder / "run.log", "".join(lines))
    return path


make_callable(__name__, sweep)  # yrdnet.sweep(...) as the issues write it

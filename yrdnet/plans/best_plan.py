r"""Best-plan search: the package of candidate projects within a budget that does most (issue 13, item 3).

:func:`best_plan` chooses, among candidate projects (shipped single-project scenarios on
``baseline_2025``), the package :math:`S` with cost :math:`c(S) = \sum_{j \in S} c_j \le B`
that maximises an indicator :math:`f(S)` (default the composite, :func:`yrdnet.composite_index`)
— or minimises it, for an indicator where less is better (:data:`DIRECTION`).

Methods
-------
``"exhaustive"``
    Every affordable package, one batch of evaluations; exact.
``"greedy"``
    Cost-benefit greedy with lazy re-evaluation (CELF, Leskovec et al. 2007): add the
    project with the largest marginal gain per unit cost, :math:`\Delta_j(S) / c_j`, that
    still fits, re-evaluating a project's gain only when it reaches the top of the queue;
    stop when no affordable project improves the objective. The result is the better of
    that package and the best single affordable project (the safeguard of Khuller, Moss &
    Naor 1999).
``"auto"``
    Exhaustive when :math:`2^k \le` ``max_exhaustive`` (default 256, k = 8), else greedy.

Guarantee
---------
For a *monotone submodular* objective under a knapsack budget, the better of the
cost-benefit greedy and the best single affordable project achieves at least
:math:`\tfrac12 (1 - 1/e) \approx 0.316` of the optimum (Krause & Guestrin 2005; the
same bound Leskovec et al. 2007 prove when the cost-benefit greedy is paired with the
unit-cost greedy instead; the modified greedy itself is Khuller, Moss & Naor's 1999
algorithm for budgeted maximum coverage). Lazy evaluation returns the same package as
plain greedy when the gains are submodular.

Accessibility and composite objectives are in general **neither monotone nor
submodular**: two links that complete a corridor together are worth more than the sum
of each alone (complementarity), and a composite that rewards evenness can fall when a
project favours the core. **No approximation guarantee applies to them**; with a
non-submodular objective the lazy bounds are not true bounds either, so greedy is a
heuristic. Use ``method="exhaustive"`` where :math:`2^k` allows, and compare.

The module is callable: ``yrdnet.best_plan(candidates, budget, ...)`` runs
:func:`best_plan`, while ``from yrdnet.plans.best_plan import load_costs`` keeps working.

References
----------
.. [1] Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J. & Glance, N.
   (2007) Cost-effective outbreak detection in networks. *KDD '07*, 420-429,
   https://doi.org/10.1145/1281192.1281239
.. [2] Khuller, S., Moss, A. & Naor, J. (1999) The budgeted maximum coverage problem.
   *Information Processing Letters* 70(1), 39-45,
   https://doi.org/10.1016/S0020-0190(99)00031-9
.. [3] Krause, A. & Guestrin, C. (2005) A note on the budgeted maximization of
   submodular functions. Technical report CMU-CALD-05-103, Carnegie Mellon University.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.analysis.composite import composite_index, core_link_attainment, raw_components
from yrdnet.analysis.pipeline import analyze
from yrdnet.core.callable_module import make_callable
from yrdnet.core.io import atomic_dir, write_csv, write_json
from yrdnet.core.params import MetricParams
from yrdnet.core.validation import Column, Ref, as_sequence
from yrdnet.plans.sweep import package_scenario, sweep
from yrdnet.region.datasets import data_path, read_validated
from yrdnet.scenarios.scenario import Scenario, list_scenarios, load_scenario

__all__ = ["DIRECTION", "PlanResult", "best_plan", "direction", "load_costs", "local_evaluator", "sweep_evaluator"]

log = logging.getLogger(__name__)

Package = tuple[str, ...]
Evaluator = Callable[[list[Package]], Sequence[float]]

#: Direction of an objective: +1 maximise, -1 minimise. Keys are exact indicator keys or
#: prefixes ending in ``_``. Less is better for travel times (WATT, time to a core), for
#: inequality (Gini, Theil), for ranks (1 = first) and for the core's dominance only if
#: the analyst means convergence — dominance is left to maximise (the composite's
#: hierarchy component reads the sub-centres relative to the core instead,
#: ``subcentre_core_balance``; pass ``direction=`` to override).
DIRECTION: dict[str, int] = {
    "composite_index": 1,
    "subcentre_core_balance": 1,
    "metro_logistic_integration": 1,
    "core_link_attainment": 1,
    "core_link_equivalent_time_min": -1,
    "global_efficiency_": 1,
    "circle_": 1,
    "watt_": -1,
    "mean_watt_": -1,
    "time_to_": -1,
    "gini_": -1,
    "theil_": -1,
    "core_rank_": -1,
}

_EXHAUSTIVE_LIMIT = 256


def direction(objective: str) -> int:
    """+1 to maximise ``objective``, -1 to minimise it (:data:`DIRECTION`; default +1).

    Examples
    --------
    >>> direction("composite_index"), direction("mean_watt_pop_multimodal")
    (1, -1)
    """
    if objective in DIRECTION:
        return DIRECTION[objective]
    hits = [k for k in DIRECTION if k.endswith("_") and objective.startswith(k)]
    return DIRECTION[max(hits, key=len)] if hits else 1


# --------------------------------------------------------------------------- costs
_COST_COLUMNS = (
    Column("project"),
    Column("lines", required=False),
    Column("design_speed_kph", "int", positive=True, hi=600),
    Column("length_km", "float", lo=0, hi=3000),  # typo guard: longer than any Chinese HSR line
    Column("length_basis", required=False),
    Column("investment_cny_100m", "float", required=False, lo=0),
    Column("cost_basis", required=False),
    Column("source", required=False),
    Column("source_date", required=False),
)


def load_costs(path: str | Path | None = None) -> pd.DataFrame:
    """The candidate projects' lengths and investments (``data/project_costs.csv``), validated.

    Read through :func:`yrdnet.region.datasets.read_validated`, the one path of every
    shipped table.

    Parameters
    ----------
    path
        Default the shipped file.

    Returns
    -------
    pandas.DataFrame
        Index ``project``; ``length_km``, ``investment_cny_100m`` (亿元), ``cost_basis``
        (``published`` / ``derived: ...`` / ``km fallback``), sources.

    Raises
    ------
    DataError
        A missing column, an unknown project (no shipped scenario of that name), a
        duplicate, or a negative or non-numeric length or cost — one error naming the
        file and every offending row.
    """
    p = data_path(path, "project_costs.csv")
    known = Ref("project", frozenset(list_scenarios().index), "project", " (no shipped scenario of that name)")
    t = read_validated(p, _COST_COLUMNS, key="project", refs=[known])
    kinds = {c.name: c.kind for c in _COST_COLUMNS}
    for c in t.columns:  # the types pandas would infer: numbers, str, NaN for empty cells
        if kinds.get(c) in {"int", "float"}:
            t[c] = t[c].astype(float if kinds[c] == "float" or t[c].isna().any() else "int64")
            continue
        col = t[c].astype(object).where(t[c].notna() & (t[c] != ""), np.nan)
        try:
            t[c] = pd.to_numeric(col) if c not in kinds else col
        except (ValueError, TypeError):
            t[c] = col
        if t[c].dtype == object:
            t[c] = t[c].astype("str").where(col.notna(), np.nan)
    return t.set_index("project")


def cost_map(candidates: Sequence[str], costs: str | Path | Mapping[str, float] | None) -> dict[str, float]:
    """The cost of each candidate: from a mapping, a costs file, or the shipped table (``"km"``/``"investment"``)."""
    if isinstance(costs, Mapping):
        out = {c: float(costs[c]) for c in candidates if c in costs}
        col = "given"
    else:
        table = load_costs(None if costs in (None, "km", "investment") else Path(str(costs)))
        col = "length_km" if costs == "km" else "investment_cny_100m"
        col_values = pd.to_numeric(table[col], errors="coerce")
        out = {c: float(col_values[c]) for c in candidates if c in table.index and pd.notna(col_values[c])}
    missing = [c for c in candidates if c not in out]
    if missing:
        raise ValueError(f"no cost ({col}) for candidate(s) {missing}; give costs= or use costs='km'")
    bad = {c: v for c, v in out.items() if not (math.isfinite(v) and v >= 0)}
    if bad:
        raise ValueError(f"costs must be finite and >= 0, got {bad}")
    return out


# --------------------------------------------------------------------------- evaluators
def _name(package: Package, base: str) -> str:
    return "+".join(package) if package else base


def sweep_evaluator(
    objective: str = "composite_index", *, base: str = "baseline_2025", zones: str = "city", client: Any = None
) -> Evaluator:
    """An evaluator that scores packages with :func:`yrdnet.sweep.sweep` (one sweep call per batch).

    Each package becomes :func:`yrdnet.sweep.package_scenario` on ``base`` (the empty
    package is ``base`` itself); a batch of packages is one sweep, so with a Dask
    ``client`` a greedy round fans out over the workers. A failed package raises
    ``ValueError`` with the sweep's error.
    """

    def evaluate(packages: list[Package]) -> list[float]:
        scs = [package_scenario(list(p), base=base, name=_name(p, base)) if p else base for p in packages]
        t = sweep(scs, zones=zones, indicators=[objective], client=client, progress=False)
        bad = t[t["status"] != "ok"]
        if not bad.empty:
            raise ValueError(f"evaluating {bad['scenario'].iloc[0]!r} failed: {bad['error'].iloc[0]}")
        v = t.set_index("scenario")["value"].astype(float)
        return [float(v[_name(p, base)]) for p in packages]

    return evaluate


def local_evaluator(objective: str = "composite_index", *, base: str = "baseline_2025") -> Evaluator:
    """A minimal in-process evaluator: build, route and analyse each package (city zones).

    Independent of :mod:`yrdnet.sweep`: each package's edits are concatenated onto
    ``base`` (:class:`yrdnet.Scenario`), analysed with :func:`yrdnet.analyze`
    (``centrality=False``); ``composite_index`` is :func:`yrdnet.composite_index` of the
    package alone (its default normalisation needs no reference scenario), as in the sweep,
    with the sweep's city potential (Rich's internal time, :func:`yrdnet.plans.sweep_eval.sweep_params`).
    """
    params = MetricParams(city_potential="rich")

    def evaluate(packages: list[Package]) -> list[float]:
        out = []
        for p in packages:
            edits = [dict(e) for q in p for e in load_scenario(q).edits]
            sc: str | Scenario = Scenario(name=_name(p, base), base=load_scenario(base), edits=edits) if p else base
            r = analyze(sc, centrality=False, params=params)
            if objective == "composite_index":
                out.append(float(composite_index([r]).index["composite_index"].iloc[0]))
            elif objective == "core_link_attainment":
                out.append(core_link_attainment(r.targets))
            elif objective in r.region.index:
                out.append(float(r.region["value"].astype(float)[objective]))
            else:
                out.append(float(raw_components([r]).loc[objective].iloc[0]))
        return out

    return evaluate


class _Memo:
    """Evaluates packages in batches, once each (keyed by the set of projects)."""

    def __init__(self, evaluate: Evaluator, sign: int) -> None:
        self.evaluate, self.sign = evaluate, sign
        self.value: dict[frozenset[str], float] = {}
        self.order: list[Package] = []
        self.calls = 0

    def __call__(self, packages: Sequence[Package]) -> list[float]:
        todo = list(dict.fromkeys(tuple(sorted(p)) for p in packages if frozenset(p) not in self.value))
        if todo:
            self.calls += 1
            vals = list(self.evaluate(todo))
            if len(vals) != len(todo):
                raise ValueError(f"evaluate returned {len(vals)} values for {len(todo)} packages")
            for p, v in zip(todo, vals, strict=True):
                self.value[frozenset(p)] = float(v)
                self.order.append(p)
        return [self.value[frozenset(p)] for p in packages]

    def score(self, package: Sequence[str]) -> float:
        """Signed objective (larger is better); NaN counts as -inf."""
        v = self.value[frozenset(package)] * self.sign
        return v if math.isfinite(v) else -math.inf


# --------------------------------------------------------------------------- search
def _ratio(gain: float, cost: float) -> float:
    if cost > 0:
        return gain / cost
    return math.inf if gain > 0 else (-math.inf if gain < 0 else 0.0)


def _exhaustive(
    cands: Sequence[str], cost: Mapping[str, float], budget: float, memo: _Memo
) -> tuple[Package, list[dict[str, Any]]]:
    pkgs = [
        c
        for r in range(len(cands) + 1)
        for c in itertools.combinations(cands, r)
        if sum(cost[j] for j in c) <= budget + 1e-9
    ]
    memo(pkgs)
    best = max(pkgs, key=lambda p: (memo.score(p), -sum(cost[j] for j in p), -len(p)))
    trace = [
        {
            "step": 1,
            "action": f"evaluated all {len(pkgs)} affordable packages",
            "project": "",
            "package": "+".join(best),
            "objective": memo.value[frozenset(best)],
        }
    ]
    return best, trace


def _greedy(
    cands: Sequence[str], cost: Mapping[str, float], budget: float, memo: _Memo, lazy_batch: int
) -> tuple[Package, list[dict[str, Any]]]:
    S: Package = ()
    afford = [j for j in cands if cost[j] <= budget + 1e-9]
    memo([(), *[(j,) for j in afford]])  # round 1: every affordable single project, one batch
    trace: list[dict[str, Any]] = []
    heap = [(-_ratio(memo.score((j,)) - memo.score(()), cost[j]), j, 0) for j in afford]
    heapq.heapify(heap)
    step = 0
    while heap:
        spent = sum(cost[j] for j in S)
        neg, j, stamp = heapq.heappop(heap)
        if cost[j] > budget - spent + 1e-9:
            continue  # never fits again: the budget only shrinks
        if stamp == len(S):
            gain = memo.score((*S, j)) - memo.score(S)
            if gain <= 0:
                trace.append(
                    {
                        "step": step + 1,
                        "action": "stop: no affordable project improves the objective",
                        "project": j,
                        "marginal_gain": gain,
                    }
                )
                break
            S = (*S, j)
            step += 1
            trace.append(
                {
                    "step": step,
                    "action": "add",
                    "project": j,
                    "package": "+".join(S),
                    "marginal_gain": gain,
                    "cost": cost[j],
                    "gain_per_cost": -neg,
                    "objective": memo.value[frozenset(S)],
                }
            )
            continue
        stale = [j]
        while heap and len(stale) < lazy_batch and heap[0][2] != len(S):
            k = heapq.heappop(heap)[1]
            if cost[k] <= budget - spent + 1e-9:
                stale.append(k)
        memo([(*S, k) for k in stale])
        trace.append({"step": step, "action": "re-evaluate (lazy)", "project": "+".join(stale)})
        for k in stale:
            heapq.heappush(heap, (-_ratio(memo.score((*S, k)) - memo.score(S), cost[k]), k, len(S)))
    return _safeguard(S, afford, cost, memo, trace, step)


def _safeguard(
    S: Package, afford: Sequence[str], cost: Mapping[str, float], memo: _Memo, trace: list[dict[str, Any]], step: int
) -> tuple[Package, list[dict[str, Any]]]:
    """The better of the greedy package and the best single affordable project (Khuller et al. 1999)."""
    if afford:
        single = max(afford, key=lambda j: (memo.score((j,)), -cost[j]))
        if memo.score((single,)) > memo.score(S):
            trace.append(
                {
                    "step": step + 1,
                    "action": "safeguard: best single project beats the greedy package",
                    "project": single,
                    "package": single,
                    "objective": memo.value[frozenset((single,))],
                }
            )
            S = (single,)
    return S, trace


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class PlanResult:
    """The chosen package and everything evaluated on the way (:func:`best_plan`).

    Attributes
    ----------
    package : tuple of str
        The chosen projects (empty: no affordable project improves on the base).
    cost, objective : float
        Its cost (in ``cost_unit``) and objective value (the indicator itself).
    objective_name, cost_unit, method : str
        The indicator key, ``"亿元 (100 million CNY)"`` / ``"km"`` / ``"given"``, and the
        method used (``"greedy"`` or ``"exhaustive"``).
    direction : int
        +1 maximised, -1 minimised (:func:`direction`).
    budget : float
        The budget.
    evaluated : pandas.DataFrame
        Every package evaluated: ``package`` (projects joined by ``+``, ``""`` = the
        base), ``n_projects``, ``cost``, ``objective``, ``within_budget``, ``chosen``.
    trace : pandas.DataFrame
        The search steps: ``step``, ``action``, ``project``, ``package``,
        ``marginal_gain``, ``cost``, ``gain_per_cost``, ``objective``.
    evaluation_batches : int
        Calls of the evaluator (each one batch, e.g. one sweep).
    """

    package: Package
    cost: float
    objective: float
    objective_name: str
    cost_unit: str
    method: str
    direction: int
    budget: float
    evaluated: pd.DataFrame
    trace: pd.DataFrame
    evaluation_batches: int

    def to_dir(self, path: str | Path) -> Path:
        """Write ``evaluated.csv``, ``trace.csv`` and ``plan.json`` into ``path`` atomically."""
        with atomic_dir(path) as tmp:
            write_csv(tmp / "evaluated.csv", self.evaluated, index=False)
            write_csv(tmp / "trace.csv", self.trace, index=False)
            meta = {
                k: getattr(self, k)
                for k in (
                    "cost",
                    "objective",
                    "objective_name",
                    "cost_unit",
                    "method",
                    "direction",
                    "budget",
                    "evaluation_batches",
                )
            }
            write_json(tmp / "plan.json", {"package": list(self.package), **meta})
        return Path(path)


def _evaluated_table(memo: _Memo, cost: Mapping[str, float], budget: float, chosen: Package) -> pd.DataFrame:
    rows = []
    for p in memo.order:
        c = float(sum(cost[j] for j in p))
        rows.append(
            {
                "package": "+".join(p),
                "n_projects": len(p),
                "cost": c,
                "objective": memo.value[frozenset(p)],
                "within_budget": c <= budget + 1e-9,
                "chosen": frozenset(p) == frozenset(chosen),
            }
        )
    return pd.DataFrame(rows)


def best_plan(
    candidates: Sequence[str] | None,
    budget: float,
    objective: str = "composite_index",
    *,
    method: str = "auto",
    costs: str | Path | Mapping[str, float] | None = None,
    evaluate: Evaluator | None = None,
    base: str = "baseline_2025",
    zones: str = "city",
    client: Any = None,
    max_exhaustive: int = _EXHAUSTIVE_LIMIT,
    lazy_batch: int = 4,
) -> PlanResult:
    r"""Choose the package of candidate projects within ``budget`` that does most for ``objective``.

    .. math:: \max_{S \subseteq K} \; d \, f(S) \quad \text{s.t.} \quad \sum_{j \in S} c_j \le B

    with :math:`d` = :func:`direction` of the objective. See the module docstring for the
    methods and for the guarantee: :math:`\tfrac12(1 - 1/e)` of the optimum for
    monotone submodular objectives with the greedy + best-single safeguard (Krause &
    Guestrin 2005); **none** for accessibility or composite objectives, which are in
    general neither monotone nor submodular (complementary links).

    Parameters
    ----------
    candidates
        Single-project scenario names (e.g. :func:`yrdnet.sweep.candidate_projects`);
        ``None`` = every project of ``data/project_costs.csv``.
    budget
        In the unit of ``costs`` (亿元 by default).
    objective
        A region indicator key (default ``composite_index``).
    method
        ``"greedy"`` (CELF, lazy), ``"exhaustive"`` or ``"auto"`` (exhaustive when
        :math:`2^k \le` ``max_exhaustive``).
    costs
        ``None`` / ``"investment"``: ``investment_cny_100m`` of ``data/project_costs.csv``
        (published, or derived per km); ``"km"``: ``length_km`` (the fallback when costs
        are not trusted); a path to a file of the same layout; or ``{project: cost}``.
    evaluate
        ``f(packages) -> values`` (one batch); default :func:`sweep_evaluator`.
    base, zones, client
        Passed to the default evaluator (``client``: a Dask client for the sweep).
    max_exhaustive
        Largest :math:`2^k` for which ``"auto"`` searches exhaustively.
    lazy_batch
        Stale projects re-evaluated together in one batch by the lazy greedy (1 = plain
        CELF; larger fills a Dask cluster).

    Returns
    -------
    PlanResult

    Raises
    ------
    ValueError
        On an unknown method, a negative budget, a duplicate candidate or a candidate
        without a cost.

    Examples
    --------
    >>> f = lambda pkgs: [len(p) for p in pkgs]
    >>> r = best_plan(["a", "b", "c"], 2, "n", costs={"a": 1, "b": 1, "c": 2}, evaluate=f)
    >>> r.package, r.objective
    (('a', 'b'), 2.0)
    """
    if method not in ("auto", "greedy", "exhaustive"):
        raise ValueError(f"method must be 'auto', 'greedy' or 'exhaustive', got {method!r}")
    if not (isinstance(budget, (int, float)) and math.isfinite(budget) and budget >= 0):
        raise ValueError(f"budget must be a finite number >= 0, got {budget!r}")
    given = None if candidates is None else as_sequence(candidates, "candidates", "project names")
    cands = list(load_costs().index) if given is None else [str(c) for c in given]
    dup = sorted({c for c in cands if cands.count(c) > 1})
    if dup:
        raise ValueError(f"candidate(s) {dup} given more than once")
    cost = cost_map(cands, costs)
    unit = "given" if isinstance(costs, Mapping) else ("km" if costs == "km" else "亿元 (100 million CNY)")
    if evaluate is None:
        evaluate = sweep_evaluator(objective, base=base, zones=zones, client=client)
    if method == "auto":
        method = "exhaustive" if 2 ** len(cands) <= max_exhaustive else "greedy"
    memo = _Memo(evaluate, direction(objective))
    log.info("best_plan: %s over %d candidates, budget %g %s", method, len(cands), budget, unit)
    if method == "exhaustive":
        chosen, trace = _exhaustive(cands, cost, float(budget), memo)
    else:
        chosen, trace = _greedy(cands, cost, float(budget), memo, max(1, int(lazy_batch)))
    return PlanResult(
        package=chosen,
        cost=float(sum(cost[j] for j in chosen)),
        objective=memo.value[frozenset(chosen)],
        objective_name=objective,
        cost_unit=unit,
        method=method,
        direction=direction(objective),
        budget=float(budget),
        evaluated=_evaluated_table(memo, cost, float(budget), chosen),
        trace=pd.DataFrame(trace).reindex(
            columns=["step", "action", "project", "package", "marginal_gain", "cost", "gain_per_cost", "objective"]
        ),
        evaluation_batches=memo.calls,
    )


make_callable(__name__, best_plan)  # yrdnet.best_plan(...) as the issues write it

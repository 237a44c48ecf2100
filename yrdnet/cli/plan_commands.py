"""The plan-comparison commands of the ``yrdnet`` CLI: ``sweep``, ``uncertainty``, ``best-plan``.

Kept apart from :mod:`yrdnet.cli.commands` (one concern each): this module declares their
arguments (:func:`add_parsers`) and runs them (:func:`run`). Every command writes one
result folder atomically (:func:`yrdnet.core.io.atomic_dir`): its CSV tables and its chart.
``--workers N`` starts a local Dask cluster of ``N`` worker processes for the command's
duration; ``--scheduler ADDRESS`` uses a running one (both need ``yrdnet[dask]``).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import logging
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from yrdnet.cli import grammar
from yrdnet.core.io import atomic_dir
from yrdnet.core.settings import settings
from yrdnet.core.validation import did_you_mean
from yrdnet.plans.best_plan import Evaluator, PlanResult, best_plan, cost_map, load_costs, sweep_evaluator
from yrdnet.plans.sweep import (
    available_indicators,
    candidate_projects,
    local_cluster,
    package_scenario,
    sweep,
    write_sweep,
)
from yrdnet.plans.uncertainty import uncertainty
from yrdnet.viz.mapframe import save_figure
from yrdnet.viz.plan_charts import plot_plan, plot_sensitivity

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS = ("sweep", "uncertainty", "best-plan")

Cmd = Callable[[str, str], argparse.ArgumentParser]


def _dask_args(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--workers", type=int, metavar="N", help="run on a local Dask cluster of N worker processes")
    g.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask scheduler, e.g. tcp://10.0.0.5:8786")


def add_parsers(cmd: Cmd) -> None:
    """Declare the three commands on the CLI's sub-parser factory ``cmd(name, help)``."""
    s = cmd("sweep", "evaluate many scenarios or project packages into one tidy table (scenario x indicator)")
    s.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="scenario names or .toml files")
    s.add_argument(
        "--candidates",
        nargs="?",
        const="all",
        metavar="NAMES",
        help="the shipped candidate projects (comma-separated names, default all) instead of SCENARIO",
    )
    s.add_argument(
        "--combinations",
        action="store_true",
        help="every package (2^k combinations) of the candidates; adds the objective-against-cost chart",
    )
    s.add_argument("--k", type=int, metavar="K", help="only the first K candidates")
    s.add_argument("--objective", help="with --combinations: indicator of the cost chart (default: composite_index)")
    s.add_argument(
        "--budget", type=float, help="with --combinations: budget on the cost chart (default: every candidate)"
    )
    s.add_argument("--costs", help="with --combinations: investment, km, or a costs CSV (default: investment)")
    s.add_argument("--indicators", help="comma-separated indicator keys (default: the headline set)")
    s.add_argument("--no-incremental", action="store_true", help="route every scenario in full")
    grammar.add_zones(s)
    grammar.add_out(s, "results/sweep")
    _dask_args(s)

    u = cmd("uncertainty", "model and metric uncertainty: spread, Sobol indices, robustness of the conclusions")
    u.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="default: baseline_2025 plan_2035")
    u.add_argument("--n", type=int, help="base sample size (Sobol N, or Monte Carlo draws)")
    u.add_argument(
        "--method", default="sobol", choices=["sobol", "montecarlo"],
        help="sobol: Saltelli sample, first and total Sobol indices; montecarlo: Latin hypercube, first-order "
        "indices only (default: %(default)s)",
    )  # fmt: skip
    u.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the sample and the bootstrap: same seed, same result (default: %(default)s)",
    )
    u.add_argument("--indicator", default="composite_index", help="indicator of the chart (default: %(default)s)")
    grammar.add_out(u, "results/uncertainty")  # no --zones: the metric measures are defined on cities
    _dask_args(u)

    b = cmd("best-plan", "the package of candidate projects within a budget that does most for an indicator")
    b.add_argument("--budget", type=float, required=True, help="in the unit of --costs (亿元 for investment)")
    b.add_argument("--candidates", help="comma-separated project names (default: every costed project)")
    b.add_argument("--objective", default="composite_index", help="region indicator (default: %(default)s)")
    b.add_argument(
        "--method", default="auto", choices=["auto", "greedy", "exhaustive"],
        help="exhaustive: every package; greedy: best gain per cost, one project at a time; "
        "auto: exhaustive up to 8 candidates (256 packages), else greedy (default: %(default)s)",
    )  # fmt: skip
    b.add_argument("--costs", default="investment", help="investment, km, or a costs CSV (default: %(default)s)")
    grammar.add_zones(b)
    grammar.add_out(b, "results/best_plan")
    _dask_args(b)


@contextlib.contextmanager
def _client(args: argparse.Namespace) -> Iterator[Any]:
    """``None`` (in-process), a scheduler address, or a local cluster closed afterwards."""
    workers = getattr(args, "workers", None)
    if workers is None:
        if getattr(args, "scheduler", None):
            _quiet_dask()
        yield getattr(args, "scheduler", None)
        return
    if workers < 1:
        msg = f"--workers must be >= 1, got {workers}"
        raise ValueError(msg)

    _quiet_dask()
    with local_cluster(workers, silence_logs=logging.WARNING) as client:  # the workers' logs: warnings only
        yield client


#: The loggers of Dask and the libraries its scheduler and dashboard run on.
DASK_LOGGERS = ("distributed", "dask", "bokeh", "tornado")


def _quiet_dask() -> None:
    """Under ``--quiet``, Dask's loggers (set to INFO by its config on import) say warnings only."""
    if not settings.quiet:
        return
    with contextlib.suppress(ImportError):  # without yrdnet[dask] local_cluster says what to install
        import distributed  # noqa: F401  # its config sets the levels on import: override after

    for name in DASK_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _names(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def _candidates(args: argparse.Namespace) -> list[str]:

    names = candidate_projects() if args.candidates == "all" else _names(args.candidates)
    if args.k is not None:
        if not 1 <= args.k <= len(names):
            msg = f"--k must be between 1 and {len(names)} (the candidates), got {args.k}"
            raise ValueError(msg)
        names = names[: args.k]
    return names


def _sweep_items(args: argparse.Namespace) -> list[Any]:

    if args.candidates is None:
        if not args.scenarios:
            msg = "sweep needs SCENARIO names or --candidates"
            raise ValueError(msg)
        if args.combinations or args.k is not None:
            msg = "--combinations and --k apply to --candidates"
            raise ValueError(msg)
        return list(args.scenarios)
    if args.scenarios:
        msg = "give SCENARIO names or --candidates, not both"
        raise ValueError(msg)
    names = _candidates(args)
    if not args.combinations:
        return names
    return [package_scenario(p, name=_package_name(p)) for p in _packages(names)]


def _packages(names: list[str]) -> list[tuple[str, ...]]:
    """Every package of ``names`` (2^k, the empty one first), projects in ``names`` order."""
    return [c for k in range(len(names) + 1) for c in itertools.combinations(names, k)]


def _package_name(package: tuple[str, ...]) -> str:
    return "+".join(package) or "baseline_2025"


def _cost_chart(args: argparse.Namespace, table: Any, folder: Path) -> str:
    """Exhaustive best plan over the swept packages (no re-evaluation) and its cost chart."""
    names = _candidates(args)
    rows = table[(table["indicator"] == args.objective) & (table["status"] == "ok")]
    values = dict(zip(rows["scenario"], rows["value"].astype(float), strict=True))
    missing = [_package_name(p) for p in _packages(names) if _package_name(p) not in values]
    if missing:
        return f"no cost chart: {len(missing)} package(s) without {args.objective}, e.g. {missing[0]}"

    def evaluate(batch: list[tuple[str, ...]]) -> list[float]:
        return [values[_package_name(tuple(x for x in names if x in p))] for p in batch]

    # no budget given: all candidates together, so every package is within it
    budget = args.budget if args.budget is not None else sum(cost_map(names, args.costs).values())
    res = best_plan(
        names, budget, args.objective, method="exhaustive", costs=args.costs, evaluate=evaluate,
        max_exhaustive=2 ** len(names),
    )  # fmt: skip
    res.to_dir(folder / "best_plan")
    searched = f"the {len(values)} swept packages of {len(names)} candidates"
    search = f"exhaustive over {searched}"
    _plan_chart(res, folder / "cost.png", f"sweep: all {searched}")
    chosen = " + ".join(res.package) or "(no project)"
    return f"best within budget ({search}): {chosen} ({res.objective_name} {res.objective:.4f})"


def _plan_chart(res: PlanResult, path: Path, searched: str) -> None:
    """:func:`plot_plan` (its title names the method) with a second line: what was searched, the budget."""
    import matplotlib.pyplot as plt

    fig, ax = plot_plan(res)
    unit = "100 million CNY" if res.cost_unit.startswith("亿元") else res.cost_unit
    ax.set_title(f"{ax.get_title()}\n{searched}; budget {res.budget:g} ({unit})", fontsize=10)
    fig.tight_layout()
    save_figure(fig, path, 200)
    plt.close(fig)


@contextlib.contextmanager
def _counted(evaluate: Evaluator, desc: str) -> Iterator[Evaluator]:
    """``evaluate`` with a progress bar counting the packages evaluated (none under ``--quiet``)."""
    if settings.quiet:
        yield evaluate
        return
    from tqdm.auto import tqdm

    with tqdm(desc=desc, unit="package", leave=False) as bar:

        def counted(batch: list[tuple[str, ...]]) -> list[float]:
            out = list(evaluate(batch))
            bar.update(len(batch))
            return out

        yield counted


def _check_objective(objective: str, indicators: list[str] | None = None) -> None:
    """An unknown ``--objective`` fails before anything runs, with the valid keys."""
    valid = available_indicators() if indicators is None else indicators
    if objective not in valid:
        where = "--indicators" if indicators is not None else "the sweep indicators"
        hint = did_you_mean(objective, valid)
        msg = f"--objective {objective!r} is not one of {where}{hint}; valid: {', '.join(valid)}"
        raise ValueError(msg)


def _check_costs(costs: str) -> None:
    """``--costs`` is ``investment``, ``km`` or a CSV file that exists."""
    if costs not in ("investment", "km") and not Path(costs).is_file():
        msg = f"--costs {costs!r}: expected investment, km or a costs CSV file, and no file {costs} exists"
        raise ValueError(msg)


def _check_sweep_args(args: argparse.Namespace) -> None:
    """The cost-chart options need ``--combinations``; check them before any scenario runs."""
    chart = {"--objective": args.objective, "--budget": args.budget, "--costs": args.costs}
    given = [k for k, v in chart.items() if v is not None]
    if given and not args.combinations:
        verb = "applies" if len(given) == 1 else "apply"
        msg = f"{', '.join(given)} {verb} to the cost chart of --combinations; add --combinations or drop it"
        raise ValueError(msg)
    if not args.combinations:
        return
    args.objective = args.objective or "composite_index"
    args.costs = args.costs or "investment"
    _check_objective(args.objective)
    if args.indicators is not None:
        _check_objective(args.objective, _names(args.indicators))
    if args.budget is not None and not (math.isfinite(args.budget) and args.budget >= 0):
        raise ValueError(f"--budget must be a finite number >= 0, got {args.budget}")
    _check_costs(args.costs)
    cost_map(_candidates(args), args.costs)  # an unknown --costs or a candidate without a cost


def _failures(table: Any) -> str:
    """``""`` when every scenario succeeded, else one line saying how many failed and why."""
    bad = table.loc[table["status"] != "ok", ["scenario", "error"]].drop_duplicates("scenario")
    if bad.empty:
        return ""
    n, first = table["scenario"].nunique(), bad.iloc[0]
    why = f"{first['scenario']}: {' '.join(str(first['error']).split()) or 'no value'}"
    return f"sweep: {len(bad)} of {n} scenario(s) failed ({'e.g. ' if len(bad) > 1 else ''}{why})"


def _sweep(args: argparse.Namespace) -> int:

    _check_sweep_args(args)  # before the 2^k packages are made
    items = _sweep_items(args)
    indicators = _names(args.indicators) or None
    with _client(args) as client:
        table = sweep(
            items, zones=args.zones, indicators=indicators, client=client, incremental=not args.no_incremental
        )
    out = Path(args.out)
    note, failed_line = "", _failures(table)
    failed = table.loc[table["status"] != "ok", ["scenario", "error"]].drop_duplicates()
    if failed_line and not (table["status"] == "ok").any():  # nothing to keep: the old folder stays
        for _, r in failed.iterrows():
            print(f"failed: {r['scenario']}: {r['error']}")
        print(f"yrdnet: error: {failed_line}; nothing written", file=sys.stderr)
        return 1
    with atomic_dir(out) as tmp:
        write_sweep(table, tmp)  # sweep.csv without the run times (they go to run.log)
        if args.combinations:
            note = _cost_chart(args, table, tmp)
    ok = table[table["status"] == "ok"]
    wide = ok.pivot_table(index="scenario", columns="indicator", values="value", sort=False)
    shown = wide.T if len(wide) <= 6 else wide.head(20)
    print(shown.to_string(float_format=lambda v: f"{v:.4g}"))
    if len(wide) > 20:
        print(f"... first 20 of {len(wide)} scenarios; all in sweep.csv")
    for _, r in failed.iterrows():
        print(f"failed: {r['scenario']}: {r['error']}")
    if note:
        print(note)
    n_failed = failed["scenario"].nunique()
    print(f"-> {out / 'sweep.csv'} ({table['scenario'].nunique()} scenarios, {n_failed} failed)")
    if failed_line:
        print(f"yrdnet: error: {failed_line}; the rest is in {out / 'sweep.csv'}", file=sys.stderr)
        return 1
    return 0


def _uncertainty(args: argparse.Namespace) -> int:

    scenarios = tuple(args.scenarios) or ("baseline_2025", "plan_2035")
    with _client(args) as client:
        res = uncertainty(scenarios, n=args.n, method=args.method, seed=args.seed, client=client, progress=True)
    out = Path(args.out)
    with atomic_dir(out) as tmp:
        res.to_dir(tmp / "tables")
        plot_sensitivity(res, args.indicator, filepath=tmp / "sensitivity.png")
    print(res.conclusions.to_string(float_format=lambda v: f"{v:.3f}"))
    print(f"-> {out} ({len(res.draws)} draws, {res.seconds:.0f} s)")
    return 0


def _best_plan(args: argparse.Namespace) -> int:

    _check_objective(args.objective)
    _check_costs(args.costs)
    cands = _names(args.candidates) or [str(c) for c in load_costs().index]
    with _client(args) as client, _counted(sweep_evaluator(args.objective, zones=args.zones, client=client),
                                           "best-plan") as evaluate:  # fmt: skip
        res = best_plan(
            cands, args.budget, args.objective, method=args.method, costs=args.costs,
            evaluate=evaluate,
        )  # fmt: skip
    searched = f"{len(cands)} candidates, {len(res.evaluated)} packages evaluated"
    search = f"{res.method} over {searched}"
    out = Path(args.out)
    with atomic_dir(out) as tmp:
        res.to_dir(tmp / "tables")
        _plan_chart(res, tmp / "best_plan.png", f"best-plan: {searched}")
    print(f"chosen ({search}): {' + '.join(res.package) or '(no project)'}")
    print(f"cost {res.cost:.1f} {res.cost_unit} of budget {res.budget:g}; {res.objective_name} = {res.objective:.4f}")
    print(f"-> {out}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run one of :data:`COMMANDS`; returns the exit status."""
    if args.command == "sweep":
        return _sweep(args)
    if args.command == "uncertainty":
        return _uncertainty(args)
    return _best_plan(args)

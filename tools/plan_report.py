"""Run the best-plan search and the model uncertainty on the shipped data; write CSVs and charts.

    .venv/bin/python tools/plan_report.py --out results/plan [--budget 2000] [--n 8]
        [--objective composite_index] [--method auto] [--skip-uncertainty]

Writes ``<out>/best_plan/`` (evaluated.csv, trace.csv, plan.json, plan.png) and
``<out>/uncertainty/`` (spread.csv, sensitivity.csv, conclusions.csv, draws.csv,
ranges.csv, sobol_<indicator>.png), each folder atomically.
"""

from __future__ import annotations

import argparse
import logging
import time
import warnings
from pathlib import Path

from yrdnet.plans.best_plan import best_plan
from yrdnet.plans.uncertainty import uncertainty
from yrdnet.viz.plan_charts import plot_plan, plot_sensitivity


def main() -> None:
    """Parse the arguments, run, write and print a summary."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="results/plan")
    ap.add_argument("--budget", type=float, default=2000.0, help="亿元 (100 million CNY); default 2000")
    ap.add_argument("--objective", default="composite_index")
    ap.add_argument("--method", default="auto", choices=["auto", "greedy", "exhaustive"])
    ap.add_argument("--costs", default=None, help="'km' for length as cost (default: investment)")
    ap.add_argument("--n", type=int, default=None, help="Sobol base sample (default 8)")
    ap.add_argument("--skip-uncertainty", action="store_true")
    ap.add_argument("--skip-plan", action="store_true")
    a = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    warnings.simplefilter("ignore")
    out = Path(a.out)
    if not a.skip_plan:
        t = time.perf_counter()
        r = best_plan(None, a.budget, a.objective, method=a.method, costs=a.costs)
        r.to_dir(out / "best_plan")
        plot_plan(r, out / "best_plan" / "plan.png")
        print(f"best plan ({r.method}, {time.perf_counter() - t:.0f} s, {len(r.evaluated)} packages evaluated):")
        names = " + ".join(r.package) or "no project"
        print(f"  {names}: cost {r.cost:g} {r.cost_unit}, {a.objective} {r.objective:.6g}")
    if not a.skip_uncertainty:
        u = uncertainty(("baseline_2025", "plan_2035"), n=a.n)
        u.to_dir(out / "uncertainty")
        for ind in ("composite_index", "integration", "dominance_core", "gini_potential"):
            plot_sensitivity(u, ind, filepath=out / "uncertainty" / f"sobol_{ind}.png")
        print(f"uncertainty ({u.method}, {len(u.draws)} draws, {u.seconds:.0f} s):")
        print(u.conclusions.to_string())


if __name__ == "__main__":
    main()

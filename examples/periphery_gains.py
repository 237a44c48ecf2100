"""Who gains in the periphery: county gains in northern Anhui, northern Jiangsu and south-western Zhejiang.

What it shows
-------------
1. County-level analyses of the timeline (``yrdnet.analyze(name, zones="county")``:
   baseline_2010, baseline_2015, baseline_2020, baseline_2025, plan_2035), the 2020
   census masses throughout, so every change is the network's.
2. The gains of every county outside the six metropolitan areas and of every county of
   the three named peripheries (``data/peripheries.csv``), 2010 -> 2025 and
   2025 -> 2035 (``yrdnet.periphery_gains``): potential gain %, average time to the
   region's people, time to Shanghai and to the nearest central city, before and after.
3. The same per periphery, population-weighted (``yrdnet.periphery_summary``).
4. Population within 1 h and 2 h of each centre (Shanghai, the sub-centres and the metro
   cores; each centre is the county zone holding its city centre) per year
   (``yrdnet.population_within``).
5. A county map of each period's potential gain with the peripheries outlined
   (``yrdnet.viz.periphery.plot_periphery_gains``).

Run it::

    python examples/periphery_gains.py                      # writes results/examples/periphery/
    python examples/periphery_gains.py --out /tmp/periphery --fast

``--fast`` (or ``YRDNET_EXAMPLES_FAST=1``) analyses 2010 and 2025 only and draws no
maps. Files written under ``--out`` (atomically, the folder at once):
``periphery_gains_<from>_to_<to>.csv``, ``periphery_summary.csv``,
``population_within.csv`` and, without ``--fast``, ``periphery_gains_<from>_to_<to>.png``.
"""

# %% Options
from __future__ import annotations

import argparse
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

import yrdnet
from yrdnet.core.io import atomic_dir, write_csv
from yrdnet.region.datasets import load_county_boundaries
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.viz.periphery import plot_periphery_gains

ROOT = Path(__file__).resolve().parent.parent
TIMELINE = ("baseline_2010", "baseline_2015", "baseline_2020", "baseline_2025", "plan_2035")
PERIODS = (("baseline_2010", "baseline_2025"), ("baseline_2025", "plan_2035"))


def main(argv: Sequence[str] | None = None) -> None:
    """Run the example; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "results" / "examples" / "periphery"))
    ap.add_argument("--fast", action="store_true", help="2010 and 2025 only, no maps")
    args = ap.parse_args(argv)
    fast = args.fast or os.environ.get("YRDNET_EXAMPLES_FAST") == "1"
    names = ("baseline_2010", "baseline_2025") if fast else TIMELINE
    periods = [p for p in PERIODS if set(p) <= set(names)]
    region = yrdnet.load_region()
    labels = region.peripheries["name_en"].to_dict()

    # %% 1. county analyses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        res = {n: yrdnet.analyze(n, zones="county", centrality=False) for n in names}

    with atomic_dir(args.out) as out:
        # %% 2-3. gains per county and per periphery
        summaries = []
        for a, b in periods:
            gains = yrdnet.periphery_gains(res[a], res[b], region=region)
            write_csv(out / f"periphery_gains_{a}_to_{b}.csv", gains.round(3))
            s = yrdnet.periphery_summary(gains, region=region)
            summaries.append(s.assign(before=a, after=b).set_index(["before", "after"], append=True))
            if not fast:  # %% 5. maps
                plot_periphery_gains(gains, load_county_boundaries(), names=labels,
                                     title=f"Potential accessibility gain (%), {a} to {b}",
                                     filepath=out / f"periphery_gains_{a}_to_{b}.png")  # fmt: skip
        summary = pd.concat(summaries).reorder_levels(["before", "after", "group"])
        write_csv(out / "periphery_summary.csv", summary.round(3))

        # %% 4. population within 1 h and 2 h of each centre
        within = yrdnet.population_within(list(res.values()), region=region)
        write_csv(out / "population_within.csv", within)

    _print_headline(summary, within)
    print(f"wrote {Path(args.out)}")


def _print_headline(summary: pd.DataFrame, within: pd.DataFrame) -> None:
    """The mean gain per periphery and the population within 1 h / 2 h of the centres."""
    cols = ["name_en", "zones", "population", "potential_gain_pct",
            "time_to_shanghai_before_min", "time_to_shanghai_after_min",
            "time_to_nearest_central_city_before_min", "time_to_nearest_central_city_after_min"]  # fmt: skip
    pd.set_option("display.width", 200)
    for (a, b), s in summary.groupby(level=["before", "after"], sort=False):
        print(f"\nMean gain per periphery (population-weighted), {a} -> {b}:")
        t = s.droplevel(["before", "after"])[cols].copy()
        t["population"] = (t["population"] / 1e6).round(2)
        print(t.rename(columns={"population": "population_m"}).round(1).to_string())
    wide = within.pivot_table(index=["centre", "threshold_min"], columns="year", values="population", sort=False)
    print("\nPopulation (million) within 60 / 120 min of each centre, county level, by year:")
    print((wide / 1e6).round(2).to_string())


if __name__ == "__main__":
    main()

"""A scripted comparison of infrastructure plans, including a plan of your own.

What it shows
-------------
1. Writing a custom scenario TOML (format: the docstring of :mod:`yrdnet.scenarios.scenario`). Ours,
   ``north_yangtze_plus``, starts from the shipped ``north_yangtze_hsr`` scenario and adds
   two edits: a ``set_speed`` edit raising the Hefei–Nanjing railway from 200 to 350 km/h,
   and an ``add_line`` edit with a new station east of Hefei on a 350 km/h line to
   Ma'anshan East.
2. ``yrdnet.compare(base, *plans)`` on the 2025 baseline against three plans: the North
   Yangtze HSR, the Nantong–Suzhou–Jiaxing–Ningbo HSR and the custom file.
3. Reading the :class:`yrdnet.Comparison`: which plan raises the spatial-structure index
   most, and which one does most for Hefei (potential accessibility and the
   population-weighted average travel time, WATT), then ``.to_dir`` for CSV and Markdown.

Run it::

    python examples/compare_plans.py              # writes to results/examples/compare_plans/
    python examples/compare_plans.py --fast --out /tmp/plans

``--fast`` (or ``YRDNET_EXAMPLES_FAST=1``) analyses each plan once without betweenness
centrality and passes the :class:`yrdnet.ScenarioResult` objects to ``compare`` (which
accepts names, paths, scenarios or results). Files written under ``--out``:
``north_yangtze_plus.toml``, ``ranking.csv`` and the comparison folder ``comparison/``
(``region.csv``, ``cities.csv``, ``metros.csv``, ``gainers.csv``, ``comparison.md``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

import yrdnet

ROOT = Path(__file__).resolve().parent.parent
BASE = "baseline_2025"
SHIPPED_PLANS = ("north_yangtze_hsr", "nantong_suzhou_jiaxing_ningbo")
HEFEI = 340100

CUSTOM_TOML = """\
# A custom plan: the North Yangtze HSR plus two upgrades around Hefei.
[scenario]
name = "north_yangtze_plus"
description = "North Yangtze HSR + Hefei-Nanjing at 350 km/h + a Hefei East-Ma'anshan 350 km/h line"
base = "north_yangtze_hsr"          # a shipped scenario name (or a path to another .toml)
source = "examples/compare_plans.py (illustrative, not a real plan)"

[[edits]]
op = "set_speed"                    # upgrade an existing line
line = "hefei_nanjing_railway"
speed_kph = 350

[[edits]]
op = "add_line"                     # a new line with one new station
line = "hefei_maanshan_express"
name_en = "Hefei East-Ma'anshan express"
name_zh = "合马快线"
kind = "hsr"
speed_kph = 350
stops = ["hefei_south", "hefei_east_new", "maanshan_east"]

[[edits.stations]]                  # new stations of the line above (TOML 1.0 inline
id = "hefei_east_new"               # tables must fit on one line, so use sub-tables)
name_en = "Hefei East (new)"
name_zh = "合肥东（新）"
adcode = 340100
lon = 117.55
lat = 31.80
"""


def _options(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Compare infrastructure plans with yrdnet.")
    p.add_argument(
        "--fast",
        action="store_true",
        default=os.environ.get("YRDNET_EXAMPLES_FAST") == "1",
        help="skip betweenness centrality, for the test suite (also YRDNET_EXAMPLES_FAST=1)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=ROOT / "results" / "examples" / "compare_plans",
        help="output folder (default: %(default)s)",
    )
    return p.parse_args(argv)


def ranking(cmp: yrdnet.Comparison) -> pd.DataFrame:
    """One row per plan: structure-index gain and Hefei's accessibility gain."""
    si = cmp.region.loc["structure_index"].set_index("scenario")
    pot = cmp.cities[(cmp.cities["adcode"] == HEFEI) & (cmp.cities["indicator"] == "pot_exp_pop_multimodal")]
    hefei = cmp.gainers[cmp.gainers["adcode"] == HEFEI].set_index("scenario")
    return pd.DataFrame(
        {
            "structure_index": si["value"],
            "structure_index_gain": si["delta"],
            "hefei_pot_gain_pct": pot.set_index("scenario")["delta_pct"],
            "hefei_watt_saving_min": hefei["watt_saving_min"],
        }
    ).loc[cmp.others]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the example; returns the exit status."""
    opts = _options(argv)
    out: Path = opts.out
    out.mkdir(parents=True, exist_ok=True)

    # 1. The custom scenario file, checked before any work.
    toml = out / "north_yangtze_plus.toml"
    toml.write_text(CUSTOM_TOML, encoding="utf-8")
    custom = yrdnet.load_scenario(toml)
    custom.validate()  # raises ScenarioError naming the edit and the unknown id, if any
    print(f"{custom!r} from {toml}")

    # 2. Compare. Names, paths, Scenario objects and ScenarioResults are all accepted.
    plans: list[str | Path | yrdnet.ScenarioResult] = [*SHIPPED_PLANS, toml]
    base: str | yrdnet.ScenarioResult = BASE
    if opts.fast:
        base = yrdnet.analyze(BASE, centrality=False, sensitivity_samples=20)
        plans = [yrdnet.analyze(p, centrality=False, sensitivity_samples=20) for p in plans]
    cmp = yrdnet.compare(base, *plans)
    print(f"\nCompared {cmp.others} with {cmp.base}")

    # 3. Read the comparison.
    rank = ranking(cmp)
    print("\nPlans against the 2025 baseline:")
    print(rank.to_string(float_format=lambda v: f"{v:.4f}"))
    best_si = rank["structure_index_gain"].idxmax()
    best_hefei = rank["hefei_pot_gain_pct"].idxmax()
    print(f"\nLargest gain in the structure index: {best_si} (+{rank.loc[best_si, 'structure_index_gain']:.4f})")
    print(
        f"Largest gain for Hefei: {best_hefei} "
        f"(potential accessibility +{rank.loc[best_hefei, 'hefei_pot_gain_pct']:.1f} %, "
        f"WATT -{rank.loc[best_hefei, 'hefei_watt_saving_min']:.1f} min)"
    )

    print("\nCities gaining most per plan (multimodal WATT saving, min):")
    for name, g in cmp.gainers.groupby("scenario", sort=False):
        top = ", ".join(f"{r.name_en} {r.watt_saving_min:.1f}" for r in g.head(3).itertuples())
        print(f"  {name:32s} {top}")

    rank.to_csv(out / "ranking.csv", index_label="scenario")
    folder = cmp.to_dir(out / "comparison")
    written = ", ".join(sorted(p.name for p in folder.iterdir()))
    print(f"\n-> {out / 'ranking.csv'}, {folder} ({written})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time replacing space, drawn: time-space maps of the YRD beside geography, and Janelle convergence.

What it shows
-------------
1. Door-to-door multimodal travel times between the zones (41 cities, or 305 counties
   with ``--level county``) on the baseline networks of each year (``yrdnet.analyze``).
2. For each year, the geographic map beside the time-space map (``yrdnet.time_space_map``:
   classical MDS of the times, Procrustes-aligned to geography, one hour = 60 km in every
   year), and the years' time-space maps side by side
   (``yrdnet.viz.time_space.write_time_space_maps``).
3. Janelle's convergence of every pair of zones, per period and over the whole span:
   minutes saved a year and the relative (log) rate in per cent a year
   (``yrdnet.janelle_convergence``), with the mean over every pair and over the core
   links (``yrdnet.core_links``: Shanghai to Nanjing, Hangzhou, Hefei, Suzhou and
   Ningbo; ``yrdnet.convergence_summary``), and the pairs that converged most.

Run it::

    python examples/time_space_maps.py                   # 2010 2015 2020 2025, cities
    python examples/time_space_maps.py --level county    # the 305 counties
    python examples/time_space_maps.py --out /tmp/ts --years 2010 2025

Files written under ``--out`` (default ``results/examples/time_space/<level>/``):
``time_space_<year>.png`` (geography left, time-space right), ``time_space_<first>_<last>.png``,
``time_space_coords.csv``, ``time_space_fit.csv``, ``janelle_convergence.csv`` (one row per
pair of zones) and ``janelle_convergence_summary.csv``.
"""

# %% Options
from __future__ import annotations

import argparse
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

import yrdnet
from yrdnet.viz.time_space import write_time_space_maps

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> None:
    """Run the example; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=None, help="output folder (default results/examples/time_space/<level>)")
    ap.add_argument("--years", nargs="+", type=int, default=[2010, 2015, 2020, 2025], help="baseline network years")
    ap.add_argument("--level", choices=("city", "county"), default="city", help="zones: 41 cities or 305 counties")
    ap.add_argument("--speed", type=float, default=60.0, help="map km per hour of travel (default 60)")
    args = ap.parse_args(argv)
    out = Path(args.out or ROOT / "results" / "examples" / "time_space" / args.level)
    zones = yrdnet.load_zones(args.level)

    # %% 1. travel times of each year's baseline network
    results = []
    for year in sorted(set(args.years)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", yrdnet.UnreachableWarning)
            G = yrdnet.build_graph("baseline", year=year, zones=zones)
            results.append(yrdnet.analyze(G, zones=zones, centrality=False, sensitivity_samples=5))

    # %% 2-3. maps beside geography, convergence per pair, summaries (one writer)
    paths = write_time_space_maps(results, out, speed_kph=args.speed)
    print(f"{len(paths)} files in {out}:", ", ".join(p.name for p in paths))
    print(pd.read_csv(out / "time_space_fit.csv", index_col="year").round(3).to_string())
    summary = pd.read_csv(out / "janelle_convergence_summary.csv", index_col="period")
    print("\nMean Janelle convergence, minutes a year (relative, % a year), every pair and the core links:")
    print(summary.round(2).to_string())

    table = pd.read_csv(out / "janelle_convergence.csv")
    first, last = min(args.years), max(args.years)
    rate, rel = f"convergence_{first}_{last}_min_per_year", f"relative_convergence_{first}_{last}_pct_per_year"
    names = [c for c in ("name_a", "city_a", "name_b", "city_b") if c in table.columns]
    show = [*names, f"minutes_{first}", f"minutes_{last}", rate, rel]
    print(f"\nCore links, {first}-{last}:")
    print(table.loc[table["core_link"], show].round(2).to_string(index=False))
    print(f"\nTop 10 converging pairs, {first}-{last} (minutes saved a year):")
    print(table.nlargest(10, rate)[show].round(2).to_string(index=False))
    core = summary.loc[f"{first}-{last}"]
    print(f"\nmean Janelle convergence of the core links, {first}-{last}: "
          f"{core['core_mean_convergence_min_per_year']:.2f} min a year "
          f"({core['core_mean_relative_convergence_pct_per_year']:.2f} % a year)")  # fmt: skip


if __name__ == "__main__":
    main()

"""Time replacing space, drawn: time-space maps of the YRD for 2010 and 2025 and the core links' convergence.

What it shows
-------------
1. Door-to-door multimodal travel times between the 41 cities on the networks of 2010
   and 2025 (``yrdnet.travel_times``).
2. A time-space map of each year (``yrdnet.time_space_map``: classical MDS of the times,
   Procrustes-aligned to geography, one hour = 60 km on both maps) drawn beside the
   geographic positions (``yrdnet.viz.time_space.plot_time_space``).
3. Janelle's convergence rate, minutes saved a year, of every core link (the region's
   ``core_link`` targets: Shanghai to Nanjing, Hangzhou, Hefei, Suzhou and Ningbo) and
   their mean (``yrdnet.metrics.integration.time_space_convergence``).

Run it::

    python examples/time_space_maps.py                  # writes to results/examples/time_space/
    python examples/time_space_maps.py --out /tmp/ts --years 2010 2025

Files written under ``--out``: ``time_space_<first>_<last>.png``, ``time_space_coords.csv``
(one row per year and city: time-space and geographic positions), ``time_space_fit.csv``
(scale, stress, explained share per year) and ``core_link_convergence.csv``.
"""

# %% Options
from __future__ import annotations

import argparse
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

import yrdnet
from yrdnet.metrics.integration import time_space_convergence
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.viz.time_space import plot_time_space

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> None:
    """Run the example; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "results" / "examples" / "time_space"))
    ap.add_argument("--years", nargs=2, type=int, default=[2010, 2025], metavar=("FIRST", "LAST"))
    ap.add_argument("--speed", type=float, default=60.0, help="map km per hour of travel (default 60)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    first, last = args.years
    cities = yrdnet.load_cities()

    # %% 1-2. travel times and time-space maps
    times, maps = {}, {}
    for year in (first, last):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnreachableWarning)
            times[year] = yrdnet.travel_times(yrdnet.build_graph("baseline", year=year), "multimodal")
        maps[year] = yrdnet.time_space_map(times[year], cities, speed_kph=args.speed)
    fit = pd.DataFrame(
        {y: {"scale": m.scale, "stress": m.stress, "explained": m.explained} for y, m in maps.items()}
    ).T.rename_axis("year")
    print(fit.round(3).to_string())
    fit.to_csv(out / "time_space_fit.csv")
    coords = pd.concat({y: m.coords for y, m in maps.items()}, names=["year", "city"])
    coords.round(3).to_csv(out / "time_space_coords.csv")
    region = yrdnet.load_region()
    label = (region.core, *region.subcentres)
    plot_time_space(maps, names=cities["name_en"].to_dict(), label=label,
                    filepath=out / f"time_space_{first}_{last}.png")  # fmt: skip

    # %% 3. Janelle convergence of the core links
    targets = yrdnet.load_targets()
    core = targets[targets["kind"] == "core_link"]
    rows = []
    for a, b in sorted({(int(x), int(y)) for x, y in zip(core["from_adcode"], core["to_adcode"], strict=True)}):
        rate = time_space_convergence(times[first], times[last], last - first, [(a, b), (b, a)])
        rows.append({"from": cities.at[a, "name_en"], "to": cities.at[b, "name_en"],
                     f"minutes_{first}": 0.5 * (times[first].at[a, b] + times[first].at[b, a]),
                     f"minutes_{last}": 0.5 * (times[last].at[a, b] + times[last].at[b, a]),
                     "convergence_min_per_year": rate})  # fmt: skip
    conv = pd.DataFrame(rows)
    conv.round(3).to_csv(out / "core_link_convergence.csv", index=False)
    print(conv.round(2).to_string(index=False))
    print(f"mean Janelle convergence of the core links, {first}-{last}: "
          f"{conv['convergence_min_per_year'].mean():.2f} min a year")  # fmt: skip


if __name__ == "__main__":
    main()

"""Producing maps: what ``make maps`` does, step by step, plus a custom map of your own.

What it shows
-------------
1. ``make maps`` runs ``yrdnet map plan_2035 --base baseline_2025``, which is four calls:
   build both graphs, analyse both, then :func:`yrdnet.cli.report.write_maps` draws every map
   of the plan (network, potential accessibility, rail WATT, 2-hour population, metros,
   rank-size chart, isochrones from Shanghai and Hefei, and the change maps against the base) as
   200-dpi PNGs, plus the interactive HTML web map (needs folium, extra ``maps``).
2. The same maps one by one with the :mod:`yrdnet.viz.plot` functions, which take a city
   table (``res.cities``), optional boundaries and ``figsize``/``dpi``/``filepath``, and
   return ``(fig, ax)`` for further drawing.
3. A custom map with :func:`yrdnet.viz.plot.plot_accessibility` on a column of your choice:
   here the hours from each city to Shanghai by the fastest mode under the 2035 plan,
   classified into quantiles.

Run it::

    python examples/make_maps.py                  # writes to results/examples/maps/
    python examples/make_maps.py --fast --out /tmp/maps

``--fast`` (or ``YRDNET_EXAMPLES_FAST=1``) draws only the network and the change map at
a small size instead of calling ``write_maps``, skips the HTML map, and still draws the
custom map. Every PNG is listed in ``maps.txt`` under ``--out``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")  # files only: no window needed

import geopandas as gpd
import matplotlib.pyplot as plt
import networkx as nx

import yrdnet
from yrdnet.cli import report
from yrdnet.region.boundaries import load_boundaries
from yrdnet.viz import plot

ROOT = Path(__file__).resolve().parent.parent
BASE, PLAN = "baseline_2025", "plan_2035"


def _options(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Producing yrdnet maps.")
    p.add_argument(
        "--fast",
        action="store_true",
        default=os.environ.get("YRDNET_EXAMPLES_FAST") == "1",
        help="two small maps and no HTML, for the test suite (also YRDNET_EXAMPLES_FAST=1)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=ROOT / "results" / "examples" / "maps",
        help="output folder (default: %(default)s)",
    )
    return p.parse_args(argv)


def standard_maps(
    res_plan: yrdnet.ScenarioResult,
    res_base: yrdnet.ScenarioResult,
    G_plan: nx.MultiDiGraph,
    G_base: nx.MultiDiGraph,
    out: Path,
    *,
    fast: bool,
) -> list[Path]:
    """Every map ``make maps`` writes, or two of them drawn directly in fast mode."""
    if not fast:
        # Exactly what `make maps` / `yrdnet map plan_2035 --base baseline_2025` does.
        return report.write_maps(res_plan, G_plan, out, base=res_base, base_graph=G_base, html=True)
    # The same drawing functions write_maps uses, called one at a time at a small size.
    bnd = load_boundaries()
    small = {"figsize": (4.0, 4.0), "dpi": 100}
    files = [out / f"network_{PLAN}.png", out / f"change_watt_{PLAN}_vs_{BASE}.png"]
    fig, _ = plot.plot_network(G_plan, res_plan.cities, bnd, labels=False, filepath=files[0], **small)
    plt.close(fig)
    fig, _ = plot.plot_change(
        res_base.cities,
        res_plan.cities,
        "watt_pop_multimodal",
        boundaries=bnd,
        higher_is_better=False,
        labels=False,
        scenario=f"{PLAN} vs {BASE}",
        year=res_plan.year,
        filepath=files[1],
        **small,
    )
    plt.close(fig)
    return files


def custom_map(res: yrdnet.ScenarioResult, out: Path, *, fast: bool) -> Path:
    """Hours to Shanghai by the fastest mode, classified into quantiles."""
    cities = res.cities.copy()  # metrics never mutate their input; neither should we
    cities["hours_to_shanghai"] = cities["time_to_core_multimodal"] / 60.0
    path = out / f"custom_hours_to_shanghai_{res.name}.png"
    fig, ax = plot.plot_accessibility(
        cities,
        "hours_to_shanghai",
        boundaries=load_boundaries(),
        scheme="Quantiles",
        k=5,
        cmap="YlOrRd",
        legend_title="hours to Shanghai (door to door)",
        title="Hours to Shanghai, fastest mode",
        scenario=res.name,
        year=res.year,
        labels=not fast,
        figsize=(4.0, 4.0) if fast else (8.0, 8.0),
    )
    # (fig, ax) can be drawn on before saving. The axes are in plot.YRD_CRS (an Albers
    # projection), so project lon/lat first: here, stars on the core and the sub-centres.
    region = yrdnet.load_region()
    centres = cities.loc[[region.core, *region.subcentres]]
    xy = gpd.GeoSeries(gpd.points_from_xy(centres["lon"], centres["lat"]), crs="EPSG:4326").to_crs(plot.YRD_CRS)
    ax.scatter(xy.x, xy.y, marker="*", s=120, color="black", zorder=10, label="core and sub-centres")
    fig.savefig(path, dpi=100 if fast else 200)
    plt.close(fig)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the example; returns the exit status."""
    opts = _options(argv)
    out: Path = opts.out
    out.mkdir(parents=True, exist_ok=True)

    # 1. Graphs and results, as `yrdnet map` builds them.
    G_base, G_plan = yrdnet.build_graph(BASE), yrdnet.build_graph(PLAN)
    res_base = yrdnet.analyze(G_base, centrality=not opts.fast)
    res_plan = yrdnet.analyze(G_plan, centrality=not opts.fast)
    print(f"{res_base!r}\n{res_plan!r}")

    # 2. The standard maps.
    files = standard_maps(res_plan, res_base, G_plan, G_base, out, fast=opts.fast)

    # 3. A custom map.
    files.append(custom_map(res_plan, out, fast=opts.fast))

    (out / "maps.txt").write_text("\n".join(p.name for p in files) + "\n", encoding="utf-8")
    for p in files:
        print(f"{p.stat().st_size / 1e3:8.0f} kB  {p}")
    print(f"{len(files)} files in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""County-level zones: 305 districts and counties instead of 41 cities, and zones of your own.

What it shows
-------------
1. ``yrdnet.load_zones("county")``: the :class:`yrdnet.Zones` of the 305 county-level
   units, their parent cities, masses by census year and metropolitan membership (a
   county belongs to the metros of its city).
2. ``yrdnet.build_graph(..., zones=Z)``: the county graph (rail access from every seat,
   expressway links split at junctions near the seats, local roads between neighbouring
   counties), door-to-door times from Kunshan to Shanghai's centre by mode and the legs of
   the fastest road trip.
3. ``yrdnet.analyze(..., zones=Z)`` for 2010 and 2025: metropolitan integration over the
   member counties, and ``.cities`` (the counties aggregated to cities).
4. ``yrdnet.zones_from_gdf``: your own polygons (here Suzhou's nine counties, as if they
   came from a file) as zones.

Run it::

    python examples/county_zones.py              # writes to results/examples/county_zones/
    python examples/county_zones.py --fast --out /tmp/county

``--fast`` (or ``YRDNET_EXAMPLES_FAST=1``) skips betweenness and the maps. Files written
under ``--out``: ``integration_2010_2025.csv``, ``trip_kunshan_huangpu.csv``,
``zones_2025.csv`` and, without ``--fast``, ``access_county_2025.png`` and
``reach_shanghai_2025.png``.
"""

from __future__ import annotations

import argparse
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

import yrdnet
from yrdnet.routing.matrices import UnreachableWarning

ROOT = Path(__file__).resolve().parent.parent
KUNSHAN, HUANGPU = 320583, 310101


def main(argv: Sequence[str] | None = None) -> None:
    """Run the example; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "results" / "examples" / "county_zones"))
    ap.add_argument("--fast", action="store_true", help="no betweenness, no maps")
    args = ap.parse_args(argv)
    fast = args.fast or os.environ.get("YRDNET_EXAMPLES_FAST") == "1"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # 1. the zones
    Z = yrdnet.load_zones("county")
    print(Z, "- Kunshan's parent city:", int(Z.parent[KUNSHAN]))
    members, cores = Z.metro_members(yrdnet.load_metros())
    print({m: len(v) for m, v in members.items()}, "core of the Shanghai metro:", cores["shanghai"])

    # 2. the county graph and its times
    G = yrdnet.build_graph("baseline_2025", zones=Z)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)  # some counties have no station within reach
        times = {m: float(yrdnet.travel_times(G, m).loc[KUNSHAN, HUANGPU]) for m in ("multimodal", "rail", "road")}
    print("Kunshan -> Huangpu (min):", {m: round(t, 1) for m, t in times.items()})
    legs = yrdnet.trip_breakdown(G, KUNSHAN, HUANGPU, "road")
    legs.to_csv(out / "trip_kunshan_huangpu.csv", index=False)

    # 3. integration at county level, 2010 and 2025
    res = {y: yrdnet.analyze(f"baseline_{y}", zones=Z, centrality=not fast) for y in (2010, 2025)}
    cols = ["n_members", "pairs_within_share", "core_pop_within_share", "pop_weighted_mean_time_min"]
    table = pd.concat({y: r.metros[cols] for y, r in res.items()}, axis=1)
    table.to_csv(out / "integration_2010_2025.csv")
    print(table.round(3).to_string())
    res[2025].zones.drop(columns="geometry").to_csv(out / "zones_2025.csv")
    print("Suzhou, counties aggregated:", round(float(res[2025].cities.loc[320500, "watt_pop_multimodal"]), 1), "min")

    # 4. zones of your own: polygons with a population column
    b = yrdnet.datasets.load_county_boundaries()
    c = yrdnet.datasets.load_counties()
    mine = b.loc[c.index[c["city"] == 320500]].join(c[["population", "name_en"]]).reset_index()
    U = yrdnet.zones_from_gdf(mine, mass="population", id_col="adcode", name_col="name_en")
    T = yrdnet.travel_times(yrdnet.build_graph("baseline_2025", zones=U), "road")
    print(f"{U}: longest road trip within Suzhou {float(T.to_numpy().max()):.0f} min")

    if not fast:
        from yrdnet.viz import plot

        polys = yrdnet.datasets.load_county_boundaries()
        r = res[2025]
        fig, _ = plot.plot_accessibility(
            r.zones, "pot_exp_pop_multimodal", boundaries=polys, labels=False, scheme="FisherJenks",
            filepath=out / "access_county_2025.png",
        )  # fmt: skip
        mem = members["shanghai"]
        fig2, _ = plot.plot_isochrones(
            r.od["multimodal"].loc[mem, mem], cores["shanghai"], r.zones.loc[mem], polys.loc[mem],
            bands=(30, 45, 60, 90), labels=False, contours=False, filepath=out / "reach_shanghai_2025.png",
        )  # fmt: skip
        import matplotlib.pyplot as plt

        plt.close(fig)
        plt.close(fig2)
    print(f"-> {out}")


if __name__ == "__main__":
    main()

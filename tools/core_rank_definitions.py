"""Shanghai's rank by potential accessibility, per year, over definitions and half-lives (issue 20, item 1).

Prints, for each timeline scenario, the core's rank among the 41 cities (1 = highest
multimodal Hansen potential) and its margin over the best other city
(``P_core / max_other - 1``) under each definition of :func:`yrdnet.core_rank`
(:mod:`yrdnet.analysis.city_potential`) and half-lives 45, 60, 90 and 120 min, then
the range over the zone-consistent definitions. Nothing is tuned: every definition is
evaluated on the same travel times.

Definitions: the county run aggregated to cities by population (the default of
``analyze`` since issue 20); the county run at the county holding the city centre; the
city zones with the internal time modelled between the city's counties; the city zones
with Rich's internal time on the city polygon (the default before issue 20; not
zone-consistent).

Run: ``.venv/bin/python tools/core_rank_definitions.py`` (about 40 s).
"""

from __future__ import annotations

import warnings

import pandas as pd

from yrdnet.analysis.city_potential import core_rank
from yrdnet.scenarios.scenario import TIMELINE

if __name__ == "__main__":
    warnings.simplefilter("ignore")
    tables = pd.concat([core_rank(s) for s in TIMELINE], ignore_index=True)
    pd.set_option("display.width", 220)
    ranks = tables.pivot_table(index=["definition", "half_life_min"], columns="year", values="core_rank")
    print("Shanghai's rank by multimodal potential (1 = first of 41):")
    print(ranks.astype(int).to_string())
    margins = tables.pivot_table(index=["definition", "half_life_min"], columns="year", values="core_margin")
    print("\nShanghai's margin over the best other city (potential ratio - 1; < 0: behind):")
    print(margins.to_string(float_format=lambda v: f"{v:+.3f}"))
    zc = tables[tables["zone_consistent"]]
    summary = zc.groupby("year").agg(
        rank_best=("core_rank", "min"),
        rank_worst=("core_rank", "max"),
        margin_min=("core_margin", "min"),
        margin_max=("core_margin", "max"),
    )
    default = tables[
        (tables["definition"] == "county run, population-weighted mean (default)") & (tables["half_life_min"] == 60)
    ].set_index("year")
    summary.insert(0, "rank_default", default["core_rank"])
    summary.insert(1, "leader_default", default["best_other_city_name"])
    print("\nZone-consistent definitions x half-lives 45-120 min:")
    print(summary.to_string(float_format=lambda v: f"{v:+.3f}"))

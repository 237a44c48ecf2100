"""A tour of the yrdnet API, cell by cell (open it as a notebook or run it as a script).

What it shows
-------------
1. The curated data: the 41 cities, the six metropolitan areas and the rail lines.
2. The 2025 multimodal graph and how to inspect it with OSMnx (``osmnx.graph_to_gdfs``).
3. Door-to-door travel times by mode (``multimodal``, ``rail``, ``road``) for a few city
   pairs, and what an unreachable pair looks like (Zhoushan has no railway in 2025).
4. ``yrdnet.analyze`` on the 2025 baseline: the top cities by potential accessibility,
   the metropolitan integration table and a few region indices.
5. Changing parameters: a shorter decay half-life (``MetricParams(beta=...)``) and a
   shorter cap on the waiting time at stations (``TravelTimeModel(max_wait_min=...)``).

Run it::

    python examples/api_tour.py                   # writes to results/examples/api_tour/
    python examples/api_tour.py --fast --out /tmp/tour

``--fast`` (or ``YRDNET_EXAMPLES_FAST=1``) skips the betweenness centrality and the
parameter sweep's second value, for the test suite. Files written under ``--out``:
``travel_times.csv``, ``top_cities.csv``, ``metros.csv``, ``region_indices.csv``,
``parameters.csv``, ``graph_nodes.csv`` and the full result folder ``baseline_2025/``.

The cells are separated by ``# %%`` markers (VS Code, Spyder, Jupytext).
"""

# %% Options
from __future__ import annotations

import argparse
import math
import os
import sys
import warnings
from pathlib import Path

import osmnx as ox
import pandas as pd

import yrdnet

ROOT = Path(__file__).resolve().parent.parent


def _options() -> argparse.Namespace:
    p = argparse.ArgumentParser(description="A tour of the yrdnet API.")
    p.add_argument(
        "--fast",
        action="store_true",
        default=os.environ.get("YRDNET_EXAMPLES_FAST") == "1",
        help="reduced run for the test suite (also YRDNET_EXAMPLES_FAST=1)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=ROOT / "results" / "examples" / "api_tour",
        help="output folder (default: %(default)s)",
    )
    # In a notebook kernel sys.argv holds the kernel's own arguments: ignore them there.
    return p.parse_known_args()[0] if "ipykernel" in sys.modules else p.parse_args()


opts = _options()
OUT: Path = opts.out
OUT.mkdir(parents=True, exist_ok=True)
pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 12)
print(f"yrdnet {yrdnet.__version__}, fast={opts.fast}, out={OUT}")

# %% 1. The curated data
cities = yrdnet.load_cities()  # GeoDataFrame, index adcode, EPSG:4326
metros = yrdnet.load_metros()  # index metro id, members = list of adcodes
lines = yrdnet.load_lines()  # index line id, stops = list of station ids
print(f"\n{len(cities)} cities, {cities['population'].sum() / 1e6:.1f} M people (2020 census)")
print(cities.nlargest(5, "population")[["name_en", "province", "population", "gdp"]])
print(f"\n{len(metros)} metropolitan areas:")
print(metros[["name_en", "core_adcode", "n_members"]])
print(f"\n{len(lines)} rail lines by status:", lines["status"].value_counts().to_dict())

# Short city names for the tables below.
NAME = cities["name_en"]

# %% 2. The 2025 graph, inspected with OSMnx
G = yrdnet.build_graph("baseline", year=2025)
print(f"\n{G}: scenario={G.graph['scenario']!r}, year={G.graph['year']}, crs={G.graph['crs']}")
nodes, edges = ox.graph_to_gdfs(G)  # the graph is OSMnx-compatible
print("nodes by kind:", nodes["kind"].value_counts().to_dict())
print("edges by mode:", edges["mode"].value_counts().to_dict())
rail = edges[edges["mode"] == "rail"]
print(
    f"rail: {rail['length'].sum() / 2e3:,.0f} route km (each track is two directed edges), "
    f"top operating speed {rail['speed_kph'].max():.0f} km/h"
)
nodes.drop(columns="geometry").to_csv(OUT / "graph_nodes.csv")

# %% 3. Travel times by mode for a few city pairs (minutes, door to door)
PAIRS = {
    "Shanghai-Nanjing": (310000, 320100),
    "Shanghai-Hefei": (310000, 340100),
    "Shanghai-Hangzhou": (310000, 330100),
    "Hangzhou-Ningbo": (330100, 330200),
    "Nanjing-Hefei": (320100, 340100),
    "Ningbo-Zhoushan": (330200, 330900),  # no railway to Zhoushan yet: rail is inf
}
T = {}
for mode in ("multimodal", "rail", "road"):
    # Unreachable pairs raise one UnreachableWarning per call; record it instead.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", yrdnet.UnreachableWarning)
        T[mode] = yrdnet.travel_times(G, mode)
    for w in caught:
        print(f"note ({mode}): {str(w.message)[:90]}...")
pairs = pd.DataFrame(
    {mode: [T[mode].loc[a, b] for a, b in PAIRS.values()] for mode in T},
    index=pd.Index(list(PAIRS), name="pair"),
)
print("\nTravel times 2025 (min):")
print(pairs.to_string(float_format=lambda v: f"{v:.1f}"))
pairs.to_csv(OUT / "travel_times.csv")

# %% 4. Analyse the 2025 baseline
res = yrdnet.analyze(G, centrality=not opts.fast)  # a graph, or a scenario name
print(f"\n{res!r}")
POT = "pot_exp_pop_multimodal"  # potential accessibility, exponential decay, population
top = res.cities.nlargest(10, POT)[["name_en", POT, "watt_pop_multimodal", "cum_pop_t120_multimodal"]]
print("\nTop 10 cities by potential accessibility (multimodal):")
print(top.to_string(float_format=lambda v: f"{v:,.0f}"))
top.to_csv(OUT / "top_cities.csv")

print("\nMetropolitan integration (1-hour commuting threshold):")
mcols = ["name_en", "n_members", "pairs_within_share", "mean_time_min", "core_pop_within_share"]
print(res.metros[mcols].to_string(float_format=lambda v: f"{v:.3f}"))
res.metros.to_csv(OUT / "metros.csv")

INDICES = [
    "structure_index",
    "component_polycentricity",
    "component_integration",
    "component_linkage",
    "component_equity",
    "uci",
    "circle_region_2h",
    "core_link_compliance",
    "mean_watt_pop_multimodal",
]
region = res.region.loc[INDICES, ["value", "description"]]
print("\nRegion indices:")
print(region.to_string(float_format=lambda v: f"{v:.3f}", max_colwidth=70))
region.to_csv(OUT / "region_indices.csv")
res.to_dir(OUT / "baseline_2025")  # CSV, GeoPackage and JSON, written atomically

# %% 5. Changing parameters
# MetricParams: decay of potential accessibility. The default half-life is 60 min
# (beta = ln 2 / 60); a 30-min half-life weighs nearby cities much more.
rows = [
    {
        "variant": "default",
        "beta": yrdnet.MetricParams().beta,
        "max_wait_min": yrdnet.TravelTimeModel().max_wait_min,
        "structure_index": res.index("structure_index"),
        "shanghai_nanjing_min": T["multimodal"].loc[310000, 320100],
    }
]
half_lives = (30,) if opts.fast else (30, 90)
for hl in half_lives:
    p = yrdnet.MetricParams(beta=math.log(2) / hl)
    r = yrdnet.analyze(G, params=p, centrality=False, sensitivity_samples=20)
    lead = r.cities[POT].idxmax()
    print(
        f"\nbeta = ln2/{hl} = {p.beta:.4f}: structure index {r.index('structure_index'):.3f}, "
        f"highest potential: {NAME[lead]} ({r.cities[POT].max():,.0f})"
    )
    rows.append(
        {
            "variant": f"half-life {hl} min",
            "beta": p.beta,
            "max_wait_min": yrdnet.TravelTimeModel().max_wait_min,
            "structure_index": r.index("structure_index"),
            "shanghai_nanjing_min": T["multimodal"].loc[310000, 320100],
        }
    )

# TravelTimeModel: how network kilometres become minutes. The wait at boarding is half the
# headway of the services a trip can take, capped at max_wait_min (19 min); a 5-min cap
# shortens every rail trip on infrequent services; the graph must be rebuilt with it.
model = yrdnet.TravelTimeModel(max_wait_min=5)
G5 = yrdnet.build_graph("baseline", year=2025, model=model)
T5 = yrdnet.travel_times(G5, "multimodal")
r5 = yrdnet.analyze(G5, centrality=False, sensitivity_samples=20)
for label, (a, b) in list(PAIRS.items())[:3]:
    print(f"{label}: {T['multimodal'].loc[a, b]:.1f} -> {T5.loc[a, b]:.1f} min with max_wait_min=5")
rows.append(
    {
        "variant": "wait 5 min",
        "beta": math.log(2) / 60,
        "max_wait_min": model.max_wait_min,
        "structure_index": r5.index("structure_index"),
        "shanghai_nanjing_min": T5.loc[310000, 320100],
    }
)
params = pd.DataFrame(rows).set_index("variant")
print("\nParameter variants:")
print(params.to_string(float_format=lambda v: f"{v:.4f}"))
params.to_csv(OUT / "parameters.csv")

# Frozen dataclasses: .replace() gives a validated copy; invalid values fail at once.
try:
    model.replace(max_wait_min=-1)
except ValueError as e:
    print(f"\nValidation: {e}")
print(f"\nWrote {sorted(p.name for p in OUT.iterdir())} to {OUT}")

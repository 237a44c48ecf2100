"""Cross-check yrdnet's prefecture road times against the modelled road times of Ma & Tang.

Ma & Tang (2024) [1]_ publish prefecture-to-prefecture road travel times for 1994-2024
(``pref_pair/time_cost_prefecture_pair_road.csv`` of GitHub
``malin84/transportation_networks_of_china``, GPL-3.0, facts cited): a fast-marching model
over a raster of design speeds by road vintage, class and terrain, 10 km/h off the
network, between the prefecture points of their ``cityinfo.csv``. This is a **model
comparison**, not a validation: both sides are models, with different networks, speeds
and end points. We report, per year, the Spearman rank correlation of the two sets of
times, the median ratio yrdnet / Ma & Tang and the share of pairs within +-25 % of each
other.

Usage::

    python tools/compare_ma_tang.py [tests/data/ma_tang_road_pairs.csv] [--years 2010 2015 2020]

The excerpt ``tests/data/ma_tang_road_pairs.csv`` holds the verbatim rows of the 91 pairs
of 14 YRD prefectures (``tests/data/README_ma_tang.md``).

References
----------
.. [1] Ma, L. and Tang, Y. (2024). The distributional impacts of transportation networks
   in China. *Journal of International Economics* 148, 103873.
   https://doi.org/10.1016/j.jinteco.2023.103873
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXCERPT = ROOT / "tests" / "data" / "ma_tang_road_pairs.csv"
#: yrdnet scenario of each year (the historical baselines).
BASELINES = {2010: "baseline_2010", 2015: "baseline_2015", 2020: "baseline_2020", 2025: "baseline_2025"}


def read_excerpt(path: Path, cities: pd.Index) -> pd.DataFrame:
    """The Ma & Tang rows as a long table: ``from_adcode, to_adcode, year, ma_tang_min``.

    Their four-digit prefecture codes become yrdnet adcodes (``dzcode * 100``; a
    municipality's ``3101`` is ``310000``). A code that matches no city is an error.
    """
    raw = pd.read_csv(path, dtype={"origin": int, "destination": int})
    for col in ("origin", "destination"):
        if col not in raw.columns:
            raise SystemExit(f"{path}: column {col!r} missing (expected the Ma & Tang header)")

    def adcode(dz: int) -> int:
        for cand in (dz * 100, (dz // 100) * 10000):
            if cand in cities:
                return int(cand)
        raise SystemExit(f"{path}: prefecture code {dz} matches no city of data/cities.csv")

    years = [c for c in raw.columns if c.startswith("year_")]
    long = raw.melt(id_vars=["origin", "destination"], value_vars=years, var_name="year", value_name="hours")
    long["year"] = long["year"].str.removeprefix("year_").astype(int)
    long["from_adcode"] = long["origin"].map(adcode)
    long["to_adcode"] = long["destination"].map(adcode)
    long["ma_tang_min"] = long["hours"].astype(float) * 60.0
    return long[["from_adcode", "to_adcode", "year", "ma_tang_min"]]


def yrdnet_road_minutes(year: int) -> pd.DataFrame:
    """City-to-city road times (minutes) of the baseline of ``year``."""
    import yrdnet

    T = yrdnet.travel_times(yrdnet.build_graph(BASELINES[year]), "road")
    return T


def compare(excerpt: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """One row per year: pairs, Spearman rho, median ratio and share within +-25 %."""
    rows = []
    for y in years:
        ref = excerpt[excerpt["year"] == min(y, int(excerpt["year"].max()))]
        T = yrdnet_road_minutes(y)
        a = ref["from_adcode"].to_numpy()
        b = ref["to_adcode"].to_numpy()
        ours = np.array([0.5 * (T.at[i, j] + T.at[j, i]) for i, j in zip(a, b, strict=True)])
        theirs = ref["ma_tang_min"].to_numpy()
        ok = np.isfinite(ours) & np.isfinite(theirs) & (theirs > 0)
        ratio = ours[ok] / theirs[ok]
        rho = spearmanr(ours[ok], theirs[ok]).statistic if ok.sum() > 2 else np.nan
        rows.append(
            {
                "year": y,
                "ma_tang_year": int(ref["year"].iloc[0]) if len(ref) else np.nan,
                "pairs": int(ok.sum()),
                "spearman_rho": float(rho),
                "median_ratio_yrdnet_to_ma_tang": float(np.median(ratio)) if len(ratio) else np.nan,
                "share_within_25pct": float(np.mean(np.abs(ratio - 1.0) <= 0.25)) if len(ratio) else np.nan,
                "yrdnet_mean_min": float(ours[ok].mean()) if ok.any() else np.nan,
                "ma_tang_mean_min": float(theirs[ok].mean()) if ok.any() else np.nan,
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """Compare yrdnet with the Ma & Tang excerpt and print the table (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("excerpt", nargs="?", type=Path, default=DEFAULT_EXCERPT)
    ap.add_argument("--years", nargs="+", type=int, default=[2010, 2015, 2020])
    args = ap.parse_args(argv)
    if not args.excerpt.is_file():
        print(f"{args.excerpt}: no such file (the Ma & Tang excerpt)", file=sys.stderr)
        return 2
    import yrdnet

    cities = yrdnet.load_cities().index
    bad = [y for y in args.years if y not in BASELINES]
    if bad:
        print(f"years {bad}: no yrdnet baseline (have {sorted(BASELINES)})", file=sys.stderr)
        return 2
    out = compare(read_excerpt(args.excerpt, cities), args.years)
    with pd.option_context("display.width", 160, "display.float_format", "{:.3f}".format):
        print(out.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

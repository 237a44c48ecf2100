"""Fit the typical-traffic road model on part of the published driving times; report the rest.

The model (:mod:`yrdnet.network.road_times`, ``road_period = "typical"``): an expressway
section takes ``km / (v * road_typical_speed_factor)``; leaving a town (and entering one)
takes the free-flow exit plus ``town_exit_min * (P / 1e6) ** town_exit_exponent`` minutes,
``P`` the population of the built-up area left; ordinary roads are driven at
``local_road_typical_speed_kph``. Four parameters, fitted on a bounded grid:

* ``road_typical_speed_factor`` in [0.60, 0.95] (step 0.025): 0.95 is the free-flow factor
  (typical traffic is not faster than empty roads), 0.60 (72 km/h at 120) a floor far
  below any published typical expressway speed;
* ``town_exit_min`` in [0, 30] min (step 0.1): the delay, over the free-flow exit
  (``road_access_min`` / ``county_access_min``), of leaving a town of 1 million people;
* ``town_exit_exponent`` in [0, 1] (step 0.01): 0 every town alike, 0.5 the radius of a
  town of even density, 1 proportional to population;
* ``local_road_typical_speed_kph`` in [30, 60] km/h (step 5): the average speed on the
  ordinary roads (国道/省道) between neighbouring seats; 60 is the free-flow value (the
  lower design speed of first-class highways), 30 a floor of congested town roads.

Rows (:mod:`yrdnet.analysis.road_validation`): the ``road`` rows of
``tests/data/validation_times.csv`` (city centre to city centre) and
``tests/data/validation_county_road.csv`` (county seats), re-read at each run. The split
is fixed (:func:`yrdnet.analysis.road_validation.split_of`, a hash of the unordered pair
of cities): the fit uses the ``fit`` rows whose ends are seats or centres (town-end rows
lie beyond what the model routes to); the ``holdout`` rows are never used to fit and are
reported apart. The objective is the mean |log(model / published)| over the fit rows.

The expressway factor and the ordinary-road speed need graph rebuilds (about a minute per
point for the 25 networks of the rows' years), so they are searched coarse to fine on
their grids (:func:`fit`; ``--jobs 2`` runs two rebuilds at once). For each point the
graphs are built once with no delay; a road trip enters the
road network once at each end, so the time with delays is that time plus the two
delays, computed for the whole (delay minutes, exponent) grid at once. The fitted model
is then rebuilt in full and must give the same times (checked).

Usage::

    python tools/calibrate_roads.py --jobs 2   # prints the fit, the scores and the values for params.py
    python tools/calibrate_roads.py --rows     # and every row, published against modelled
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from yrdnet.analysis.road_validation import end_populations, modelled_minutes, road_rows, road_scores
from yrdnet.core.params import TravelTimeModel

ROOT = Path(__file__).resolve().parents[1]
CITY_CSV = ROOT / "tests" / "data" / "validation_times.csv"
COUNTY_CSV = ROOT / "tests" / "data" / "validation_county_road.csv"
SPEED_GRID = np.round(np.arange(0.60, 0.95 + 1e-9, 0.025), 3)
LOCAL_GRID = np.arange(30.0, 60.0 + 1e-9, 5.0)
EXIT_GRID = np.round(np.arange(0.0, 30.0 + 1e-9, 0.1), 1)
EXPONENT_GRID = np.round(np.arange(0.0, 1.0 + 1e-9, 0.01), 2)


def _zero_exit(f: float, local_kph: float) -> TravelTimeModel:
    return TravelTimeModel().replace(
        road_period="typical", road_typical_speed_factor=float(f), local_road_typical_speed_kph=float(local_kph),
        town_exit_min=0.0,
    )  # fmt: skip


def _base_minutes(args: tuple[pd.DataFrame, float, float]) -> np.ndarray:
    sub, f, v = args
    return modelled_minutes(sub, _zero_exit(f, v))


def fit(
    rows: pd.DataFrame, tables: tuple[str, ...] = ("city", "county"), jobs: int = 1
) -> tuple[dict[str, float], float]:
    """The grid point with the lowest mean |log(model / published)| over the fit rows of ``tables``.

    The exit delay and exponent are searched on their whole grids for every (speed factor,
    ordinary-road speed) point evaluated. Those two need graph rebuilds (about a minute per
    point), so they are searched coarse to fine: every fourth speed factor and every other
    ordinary-road speed of their grids first, then every grid neighbour (one step and two)
    of the best point, until the best point has no unevaluated neighbour. Returns the
    fitted values and the objective there; ties go to the smaller parameters (deterministic).
    """
    use = ((rows["split"] == "fit") & ~rows["town_end"] & rows["table"].isin(tables)).to_numpy()
    sub = rows[use]
    pa, pb = end_populations(sub)
    # exit minutes per unit town_exit_min, for every exponent: (exponents, rows)
    scale = (pa / 1e6) ** EXPONENT_GRID[:, None] + (pb / 1e6) ** EXPONENT_GRID[:, None]
    published = sub["minutes"].to_numpy(float)
    done: dict[tuple[int, int], tuple[float, float, float]] = {}

    def evaluate(points: list[tuple[int, int]]) -> None:
        todo = sorted(set(points) - set(done))
        args = [(sub, float(SPEED_GRID[i]), float(LOCAL_GRID[k])) for i, k in todo]
        if jobs > 1 and len(todo) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=jobs) as ex:
                bases = list(ex.map(_base_minutes, args))
        else:
            bases = [_base_minutes(a) for a in args]
        for (i, k), base in zip(todo, bases, strict=True):
            ok = np.isfinite(base)
            t = base[ok] + EXIT_GRID[:, None, None] * scale[None, :, ok]  # (exit minutes, exponents, rows)
            obj = np.abs(np.log(t / published[ok])).mean(axis=2)
            m, e = np.unravel_index(int(np.argmin(obj)), obj.shape)
            done[(i, k)] = (float(obj[m, e]), float(EXIT_GRID[m]), float(EXPONENT_GRID[e]))
            print(f"  speed factor {SPEED_GRID[i]:.3f}, ordinary roads {LOCAL_GRID[k]:.0f} km/h: "
                  f"objective {obj[m, e]:.4f}", flush=True)  # fmt: skip

    evaluate([(i, k) for i in range(0, len(SPEED_GRID), 4) for k in range(0, len(LOCAL_GRID), 2)])
    while True:
        bi, bk = min(done, key=lambda p: (done[p][0], p))
        near = [
            (bi + di, bk + dk)
            for di in (-2, -1, 0, 1, 2)
            for dk in (-1, 0, 1)
            if 0 <= bi + di < len(SPEED_GRID) and 0 <= bk + dk < len(LOCAL_GRID)
        ]
        if set(near) <= set(done):
            break
        evaluate(near)
    obj, exit_min, exponent = done[(bi, bk)]
    values = {"road_typical_speed_factor": float(SPEED_GRID[bi]), "town_exit_min": exit_min,
              "town_exit_exponent": exponent, "local_road_typical_speed_kph": float(LOCAL_GRID[bk])}  # fmt: skip
    return values, obj


def check_decomposition(rows: pd.DataFrame, model: TravelTimeModel, full: np.ndarray) -> float:
    """Largest |full - decomposed| minutes; raises when the decomposition the fit used does not hold."""
    pa, pb = end_populations(rows)
    exits = model.town_exit_min * ((pa / 1e6) ** model.town_exit_exponent + (pb / 1e6) ** model.town_exit_exponent)
    decomposed = modelled_minutes(rows, _zero_exit(model.road_typical_speed_factor, model.local_road_typical_speed_kph))
    decomposed = decomposed + exits
    diff = float(np.nanmax(np.abs(full - decomposed)))
    if diff > 0.05:
        msg = f"the fit's decomposition (no-delay time + two delays) is off by {diff:.2f} min: the fit is not valid"
        raise RuntimeError(msg)
    return diff


def _pair(rows: pd.DataFrame, m: np.ndarray, a: int, b: int) -> str:
    t = rows[(rows["table"] == "city") & (rows["from_adcode"] == a) & (rows["to_adcode"] == b)]
    pub = ", ".join(f"{v:.0f}" for v in t["minutes"]) or "none"
    return f"{m[t.index[0]]:.0f} min (published {pub})" if len(t) else "no row"


def _report(rows: pd.DataFrame, runs: dict[str, np.ndarray], show_rows: bool) -> None:
    for name, m in runs.items():
        print(f"\n== {name}: share within ±25 % and median |error|, per table and set")
        s = road_scores(rows, m)
        s20 = road_scores(rows, m, tol=0.20)
        s["within_20"] = s20["within"]
        print(s.to_string(float_format=lambda x: f"{x:.3f}"))
        seat = rows["town_end"].to_numpy()
        print("  seat and centre rows only:")
        print(road_scores(rows[~seat].reset_index(drop=True), m[~seat]).to_string(float_format=lambda x: f"{x:.3f}"))
        print(f"  Shanghai-Hangzhou {_pair(rows, m, 310000, 330100)}; Shanghai-Suzhou {_pair(rows, m, 310000, 320500)}")
    if show_rows:
        cols = ["table", "split", "from_adcode", "to_adcode", "graph", "town_end", "minutes"]
        t = rows[cols].assign(**{k: np.round(v, 1) for k, v in runs.items()})
        with pd.option_context("display.width", 200, "display.max_rows", 500):
            print("\n", t.to_string())


def main(argv: list[str] | None = None) -> int:
    """Fit, check and report (see the module docstring)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--city", type=Path, default=CITY_CSV, help="validation_times.csv (its road rows)")
    ap.add_argument("--county", type=Path, default=COUNTY_CSV, help="validation_county_road.csv")
    ap.add_argument("--rows", action="store_true", help="print every row")
    ap.add_argument(
        "--fit-tables", default="city,county", help="tables whose fit rows are fitted on (default both; "
        "one table is an exploration, the other table's rows then test it too)",
    )  # fmt: skip
    ap.add_argument("--jobs", type=int, default=1, help="processes for the graph rebuilds of the fit")
    args = ap.parse_args(argv)
    tables = tuple(t.strip() for t in args.fit_tables.split(","))
    if not tables or not set(tables) <= {"city", "county"}:
        ap.error(f"--fit-tables must name city and/or county, got {args.fit_tables!r}")
    rows = road_rows(args.city, args.county)
    counts = rows.groupby(["table", "split"]).size().to_dict()
    n_fit = int(((rows["split"] == "fit") & ~rows["town_end"] & rows["table"].isin(tables)).sum())
    print(f"rows: {counts}; fit uses {n_fit} (fit set of {', '.join(tables)}, no town ends)")
    values, objective = fit(rows, tables, jobs=args.jobs)
    model = TravelTimeModel().replace(road_period="typical", **values)
    typical = modelled_minutes(rows, model)
    diff = check_decomposition(rows, model, typical)
    free = modelled_minutes(rows, TravelTimeModel(road_period="free_flow"))
    print(f"fitted: {values}; mean |log error| on the fit rows {objective:.4f}; decomposition checked ({diff:.3f} min)")
    at_bound = [
        k
        for k, g in zip(values, (SPEED_GRID, EXIT_GRID, EXPONENT_GRID, LOCAL_GRID), strict=True)
        if values[k] in (g[0], g[-1])
    ]
    if at_bound:
        print(f"WARNING: at a bound of its grid: {at_bound}")
    _report(rows, {"free_flow": free, "typical (fitted)": typical}, args.rows)
    print("\nfor yrdnet/core/params.py:")
    for k, v in values.items():
        print(f"    {k} = {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

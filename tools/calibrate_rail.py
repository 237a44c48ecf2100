"""Fit the rail running-time model on a timetable feed (in-sample) and write the line factors.

Two feeds: 2016 (``data/gtfs_yrd_2016.zip`` -> ``data/line_running_2016.csv``, and the
model-wide values below) and 2023 (``--feed-year 2023``: ``data/gtfs_yrd_2023.zip`` ->
``data/line_running_2023.csv``, per-line factors only, at the 2016 ``rail_accel_ms2``; a
network year uses the factors of its feed, :mod:`yrdnet.network.feeds`).

The model (``yrdnet.services``): a run of ``L`` km between two consecutive stops over
track segments ``s`` (km ``L_s``, line speed ``v_s`` capped at the train class's top
speed, line factor ``f_s``) takes

    t_run = sum_s L_s / (f_s v_s) + v_c / a       if L >= v_c^2 / a   (v_c = max_s f_s v_s)
    t_run = 2 sqrt(L / a)                          otherwise (too short to reach v_c)

(a trapezoidal speed profile: accelerate and brake at ``a``), and each intermediate
stop adds ``dwell``. What comes from where:

* ``dwell_min`` — *derived*: the median scheduled dwell at intermediate YRD stops.
* ``service_hours`` — *derived*: the median, over stations with at least 20 departures a
  day, of the hours between a station's first and last departure.
* ``default_allstop_trains`` / ``default_express_trains`` — *derived*: medians of the
  2016 trains a day (per direction) stopping at the lines' other stations and, above
  that, at the stations named after their prefecture city.
* ``data/line_running_2016.csv`` — per-line factors ``f_l`` *fitted* jointly with
  ``rail_accel_ms2`` (``a``) for the lines the 2016 trains ran on (in-sample by
  construction).
* ``rail_speed_factor`` (``f`` for lines without 2016 trains) — *fitted* as one factor for
  every line at that ``a``.
* ``max_wait_min`` — *fitted* last (:func:`fit_wait_cap`), on the timetable's mean
  door-to-door time at the station averaged over departure minutes (R5-style).

Pairs: every ordered pair of YRD stations that one 2016 train serves on the curated
network (both stops in one piece of a train, ``tools/derive_services.py``); the target is
the timetable's fastest direct train. The objective is the mean |log(model/timetable)|.
The out-of-sample check is ``tests/routing/test_validation_times.py`` (published fastest times of
other years, never used here).

Usage::

    python tools/calibrate_rail.py            # prints the values and writes data/line_running_2016.csv
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import derive_services as ds  # noqa: E402

import yrdnet  # noqa: E402
from yrdnet.network.history import lines_in_year  # noqa: E402
from yrdnet.network.service_levels import class_top_speed  # noqa: E402
from yrdnet.network.services import _major, _stop_positions  # noqa: E402
from yrdnet.network.track import fastest_segments, line_segments  # noqa: E402


def _seconds(hms: pd.Series) -> np.ndarray:
    parts = hms.str.split(":", expand=True).astype(int)
    return (parts[0] * 3600 + parts[1] * 60 + parts[2]).to_numpy()


def timetable_pairs(feed: Path, year: int = 2016, max_detour: float = 1.6) -> tuple[pd.DataFrame, float, float]:
    """Fastest direct time and trains a day per station pair on the curated network; dwell; service hours."""
    st, trips = ds.read_feed(feed)
    st = st.assign(arr=_seconds(st["arrival_time"]), dep=_seconds(st["departure_time"]))
    graphs, _ = ds.track_graphs(year)
    cls_of = dict(zip(trips["trip_id"], trips["cls"], strict=True))
    coords = yrdnet.load_stations()[["lon", "lat"]]
    rows, dwells = [], []
    for trip, g in st.groupby("trip_id", sort=True):
        cls = cls_of[str(trip)]
        if not isinstance(cls, str):  # suburban S trains: data/suburban_lines.csv
            continue
        H = graphs["fast" if cls in ds.HIGH_SPEED else "conventional"]
        stops = g["stop_id"].tolist()
        arr, dep = g["arr"].to_numpy(), g["dep"].to_numpy()
        for _route, made in ds.pieces(stops, H, coords, max_detour):
            start = stops.index(made[0])
            pos = list(range(start, start + len(made)))
            dwells.extend(int(dep[p] - arr[p]) for p in pos[1:-1])
            rows.extend(
                (stops[i], stops[j], (arr[j] - dep[i]) / 60.0, j == i + 1) for i, j in itertools.combinations(pos, 2)
            )
    df = pd.DataFrame(rows, columns=["origin", "destination", "minutes", "run"])
    pairs = df.groupby(["origin", "destination"]).agg(
        fastest_min=("minutes", "min"), trains=("minutes", "size"), run=("run", "any")
    )
    dep_by_station = st.groupby("stop_id")["dep"].agg(["min", "max", "size"])
    busy = dep_by_station[dep_by_station["size"] >= 20]
    hours = float(((busy["max"] - busy["min"]) / 3600.0).median())
    return pairs.reset_index(), float(np.median(dwells)) / 60.0, hours


class Terms:
    """Arrays of every run (consecutive stops) of every 2016 service, for fast evaluation."""

    def __init__(self, year: int = 2016, feed: int = 2016) -> None:
        m = yrdnet.TravelTimeModel()
        lines = lines_in_year(yrdnet.load_lines(), year)  # open by then and not closed
        by_line = line_segments(lines, yrdnet.load_stations(), m, {})  # factor 1: the fit supplies them
        segs = fastest_segments(by_line)
        services = yrdnet.load_services(feed=feed)
        self.lines = sorted(lines.index)
        li = {line: i for i, line in enumerate(self.lines)}
        seg_run, seg_line, seg_km, seg_v = [], [], [], []
        run_service = []
        pair_rows = []
        run_id = 0
        for sid, sv in services.iterrows():
            route, stops = list(sv["route"]), list(sv["stops"])
            if not all(k in segs for k in itertools.pairwise(route)):
                continue
            cap = class_top_speed(str(sv["train_class"]), m)
            pos = _stop_positions(stops, route)
            first_run = run_id
            for k in range(len(pos) - 1):
                for i in range(pos[k], pos[k + 1]):
                    # a service runs on its own lines' track where they have it, as in the model
                    # (yrdnet.network.service_levels.service_stop_times), else the fastest
                    a, b = route[i], route[i + 1]
                    s = next((by_line[(ln, a, b)] for ln in sv["lines"] if (ln, a, b) in by_line), segs[(a, b)])
                    seg_run.append(run_id)
                    seg_line.append(li[s.line])
                    seg_km.append(s.km)
                    seg_v.append(min(s.speed_kph, cap))
                run_service.append(str(sid))
                run_id += 1
            for i, j in itertools.combinations(range(len(stops)), 2):
                pair_rows.append((stops[i], stops[j], first_run + i, first_run + j, j - i - 1))
        self.seg_run = np.asarray(seg_run)
        self.seg_line = np.asarray(seg_line)
        self.seg_km = np.asarray(seg_km, dtype=float)
        self.seg_v = np.asarray(seg_v, dtype=float)
        self.n_runs = run_id
        self.run_km = np.bincount(self.seg_run, weights=self.seg_km, minlength=run_id)
        p = pd.DataFrame(pair_rows, columns=["origin", "destination", "r0", "r1", "inter"])
        self.pairs = p

    def pair_minutes(self, factors: np.ndarray, accel: float, dwell: float) -> pd.Series:
        """Model fastest direct minutes per (origin, destination)."""
        f = factors[self.seg_line]
        pure = np.bincount(self.seg_run, weights=self.seg_km / (f * self.seg_v) * 3600.0, minlength=self.n_runs)
        vc = np.zeros(self.n_runs)
        np.maximum.at(vc, self.seg_run, f * self.seg_v / 3.6)
        L = self.run_km * 1000.0
        full = vc**2 / accel <= L
        run_s = np.where(full, pure + vc / accel, 2.0 * np.sqrt(L / accel))
        cum = np.concatenate([[0.0], np.cumsum(run_s)])
        p = self.pairs
        t = (cum[p["r1"].to_numpy()] - cum[p["r0"].to_numpy()]) / 60.0 + p["inter"].to_numpy() * dwell
        return pd.Series(t).groupby([p["origin"], p["destination"]]).min()


def evaluate(terms: Terms, pairs: pd.DataFrame, factors: np.ndarray, accel: float, dwell: float) -> pd.DataFrame:
    """Timetable pairs joined to the model's fastest direct minutes, with relative errors."""
    best = terms.pair_minutes(factors, accel, dwell).rename("model_min").reset_index()
    j = pairs.merge(best, on=["origin", "destination"], how="inner")
    j["error"] = j["model_min"] / j["fastest_min"] - 1.0
    return j


def _objective(x: np.ndarray, terms: Terms, pairs: pd.DataFrame, dwell: float, n_lines: int, shared: bool) -> float:
    factors = np.full(n_lines, x[0]) if shared else x[:-1]
    accel = x[-1]
    if accel <= 0.01 or (factors <= 0.3).any() or (factors > 1.2).any():
        return 1e9
    j = evaluate(terms, pairs, factors, accel, dwell)
    return float(np.mean(np.abs(np.log(j["model_min"] / j["fastest_min"]))))


def default_frequencies() -> tuple[float, float]:
    """Median trains a day per direction at minor stations, and the extra at city-named stations."""
    services = yrdnet.load_services()
    stations, cities = yrdnet.load_stations(), yrdnet.load_cities()
    major = _major(stations, cities)
    lines = yrdnet.load_lines()
    calls: dict[tuple[str, str], float] = {}
    for lids, stops, n in zip(services["lines"], services["stops"], services["trains_per_day"], strict=True):
        for lid in lids:
            for s in stops:
                if s in lines.loc[lid, "stops"]:
                    calls[(lid, s)] = calls.get((lid, s), 0.0) + n / 2.0  # both directions -> per direction
    df = pd.Series(calls).rename("trains").reset_index()
    df.columns = pd.Index(["line", "station", "trains"])
    df["major"] = df["station"].map(major).fillna(False).astype(bool)
    allstop = float(df.loc[~df["major"], "trains"].median())
    express = float(df.loc[df["major"], "trains"].median()) - allstop
    return allstop, express


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feed-year", type=int, default=2016, choices=sorted(ds.FEEDS), help="which shipped feed")
    ap.add_argument("--feed", type=Path, default=None, help="GTFS zip (default: the feed of --feed-year)")
    ap.add_argument("--out", type=Path, default=None, help="factors CSV (default: line_running_<feed year>.csv)")
    ap.add_argument(
        "--factors-only",
        action="store_true",
        help="2016 too: re-fit only the per-line factors at the model's acceleration and dwell",
    )
    ap.add_argument(
        "--runs-weight", type=float, default=0.5, help="weight of the runs' mean |log error| in the factor fit"
    )
    a = ap.parse_args(argv)
    feed = a.feed or ROOT / "data" / ds.FEEDS[a.feed_year][0]
    out = a.out or ds.registered_feed(a.feed_year).line_running
    if a.feed_year != 2016 or a.factors_only:
        return fit_feed_factors(feed, a.feed_year, out, a.runs_weight)
    pairs, dwell, hours = timetable_pairs(feed)
    print(f"derived: dwell_min = {dwell:.2f} (median scheduled dwell at intermediate stops)")
    print(f"derived: service_hours = {hours:.2f} (median first-to-last departure span, stations >= 20 departures)")
    allstop, express = default_frequencies()
    print(f"derived: default_allstop_trains = {allstop:.1f}, default_express_trains = {express:.1f} (per direction)")
    terms = Terms()
    n = len(terms.lines)
    one = minimize(_objective, np.array([0.9, 0.2]), args=(terms, pairs, dwell, n, True), method="Nelder-Mead")
    f_global, a_global = float(one.x[0]), float(one.x[1])
    j1 = evaluate(terms, pairs, np.full(n, f_global), a_global, dwell)
    print(f"fitted (one factor for all lines): rail_speed_factor = {f_global:.3f}, rail_accel_ms2 = {a_global:.3f}")
    _report("in-sample, one factor", j1)
    x0 = np.r_[np.full(n, f_global), a_global]
    per = minimize(
        _objective,
        x0,
        args=(terms, pairs, dwell, n, False),
        method="Powell",
        options={"maxiter": 20000, "xtol": 1e-3, "ftol": 1e-6},
    )
    factors, accel = per.x[:-1], float(per.x[-1])
    j2 = evaluate(terms, pairs, factors, accel, dwell)
    print(f"fitted (a factor per line): rail_accel_ms2 = {accel:.3f}")
    _report("in-sample, per-line factors", j2)

    def one_factor(x: np.ndarray) -> float:
        return _objective(np.r_[x[0], accel], terms, pairs, dwell, n, True)

    f_new = float(minimize(one_factor, np.array([f_global]), method="Nelder-Mead").x[0])
    print(f"fitted (one factor at rail_accel_ms2 = {accel:.3f}, for other lines): rail_speed_factor = {f_new:.3f}")
    _report("in-sample, that one factor", evaluate(terms, pairs, np.full(n, f_new), accel, dwell))
    note = f"per-line factors jointly with rail_accel_ms2 = {accel:.3f}, minimising mean |log(model/timetable)|"
    _write_factors(terms, factors, 2016, feed, note, len(j2), out)
    fit_wait_cap()
    return 0


def fit_feed_factors(feed: Path, year: int, out: Path, runs_weight: float = 0.5) -> int:
    """Per-line factors of another feed at the model's (2016) acceleration and dwell; writes ``out``."""
    m = yrdnet.TravelTimeModel()
    pairs, dwell, hours = timetable_pairs(feed, year)
    print(
        f"feed {year}: {len(pairs)} station pairs with direct trains; median scheduled dwell {dwell:.2f} min, "
        f"service span {hours:.2f} h (the model keeps dwell_min = {m.dwell_min}, service_hours = {m.service_hours})"
    )
    terms = Terms(year, feed=year)
    n = len(terms.lines)
    accel = float(m.rail_accel_ms2)

    # the loss is the mean |log error| over every pair plus that over the runs (pairs some
    # train runs between without a stop): through trips alone let a line's factor soak up
    # time spent elsewhere (hub dwells, reversals); each run lies on one or two lines, so the
    # second term ties a line's factor to its own running times
    runs = pairs[pairs["run"]]

    def objective(x: np.ndarray) -> float:
        if (x <= 0.3).any() or (x > 1.2).any():
            return 1e9
        j = evaluate(terms, pairs, x, accel, float(m.dwell_min))
        le = np.abs(np.log(j["model_min"] / j["fastest_min"]))
        return float(le.mean() + runs_weight * le[j["run"].to_numpy(bool)].mean())

    start = np.full(n, float(m.rail_speed_factor))
    _report(f"in-sample {year}, one factor {m.rail_speed_factor}", evaluate(terms, pairs, start, accel, m.dwell_min))
    per = minimize(objective, start, method="Powell", options={"maxiter": 20000, "xtol": 1e-3, "ftol": 1e-6})
    j = evaluate(terms, pairs, per.x, accel, float(m.dwell_min))
    _report(f"in-sample {year}, per-line factors, the {len(runs)} runs", j[j["run"].to_numpy(bool)])
    _report(f"in-sample {year}, per-line factors", j)
    note = (
        f"per-line factors at rail_accel_ms2 = {accel:.3f} and dwell_min = {m.dwell_min} (the 2016 fit), minimising "
        f"the mean |log(model/timetable)| over all pairs plus {runs_weight} x that over the {len(runs)} runs (pairs "
        "a train runs between without a stop)"
    )
    _write_factors(terms, per.x, year, feed, note, len(j), out)
    return 0


def _write_factors(terms: Terms, factors: np.ndarray, year: int, feed: Path, how: str, n_pairs: int, out: Path) -> None:
    used = pd.Series(terms.seg_line).map(dict(enumerate(terms.lines))).value_counts()
    col = f"segments_in_{year}_services"
    df = pd.DataFrame(
        {
            "line_id": terms.lines,
            "speed_factor": np.round(factors, 3),
            col: [int(used.get(line, 0)) for line in terms.lines],
            "source": f"fitted by tools/calibrate_rail.py on the {year} timetable (data/{feed.name}): {how}; "
            f"{n_pairs} station pairs with direct trains (in-sample)",
        }
    )
    df = df[df[col] > 0]
    ds.write_atomic(df, out)
    print(df.drop(columns="source").to_string(index=False))
    print(f"wrote {out}")


def fit_wait_cap(caps: tuple[float, ...] = (19, 30, 45, 60, 70, 80, 90, 100, 120)) -> float:
    """Fit ``max_wait_min`` against the timetable's mean door-to-door time (R5-style).

    ``yrdnet.timetable.pair_table``'s ``mean_min`` averages, over every departure minute of
    07:00-21:00, the wait plus ride of the first journey a traveller arriving at random
    can take. The model's counterpart is the rail path cost between the two station halls
    (wait from frequency + ride + changes) minus the final alighting. Pairs: those with a
    direct 2016 train on the curated network and a same-day journey from at least 90 % of
    the window. The cap with the smallest median |error| is chosen (ties: the smaller).
    """
    from yrdnet.routing.matrices import node_distances
    from yrdnet.timetable.connection_scan import pair_table, read_gtfs

    pt = pair_table(read_gtfs())
    direct = set()
    for st in yrdnet.load_services()["stops"]:
        direct.update((st[i], st[j]) for i in range(len(st)) for j in range(i + 1, len(st)))
    pt = pt[[(o, d) in direct for o, d in zip(pt["origin"], pt["destination"], strict=True)]]
    pt = pt[pt["window_share"] > 0.9]
    best: tuple[float, float] | None = None
    for cap in caps:
        m = yrdnet.TravelTimeModel(max_wait_min=cap)
        G = yrdnet.build_graph("baseline", year=2016, model=m)
        halls = sorted(n for n in G if str(n).startswith("st:"))
        idx = {h[3:]: i for i, h in enumerate(halls)}
        p = pt[pt["origin"].isin(idx) & pt["destination"].isin(idx)]
        D = node_distances(G, halls, mode="rail", targets=halls)
        model = np.array([D[idx[o], idx[d]] for o, d in zip(p["origin"], p["destination"], strict=True)]) / 60.0
        err = (model - m.alight_min) / p["mean_min"].to_numpy() - 1.0
        med = float(np.median(np.abs(err)))
        print(
            f"max_wait_min = {cap:5.0f}: {len(p)} pairs, median |error| {med:.1%}, bias {np.median(err):+.1%}, "
            f"{(np.abs(err) <= 0.20).mean():.1%} within ±20 %"
        )
        if best is None or med < best[1] - 1e-9:
            best = (float(cap), med)
    assert best is not None
    print(f"fitted: max_wait_min = {best[0]:.0f} (in-sample, R5-style mean door-to-door at the station)")
    return best[0]


def _report(label: str, j: pd.DataFrame) -> None:
    busy = j[j["trains"] >= 20]
    print(
        f"{label}: {len(j)} pairs, {(j['error'].abs() <= 0.20).mean():.1%} within ±20 %, "
        f"median |error| {j['error'].abs().median():.1%}; pairs with >= 20 trains: {len(busy)}, "
        f"median |error| {busy['error'].abs().median():.1%}"
    )


if __name__ == "__main__":
    raise SystemExit(main())

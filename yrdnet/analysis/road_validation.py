"""Modelled driving times against published ones: the rows, the split, the scores.

Two tables of published driving times (``tests/data``): ``validation_times.csv`` (rows of
mode ``road``, city centre to city centre, on the city graph of the row's year) and
``validation_county_road.csv`` (county seat or whole city, on the county graph of the
row's year: expressway sections open by then). :func:`road_rows` reads both into one
frame, :func:`modelled_minutes` gives the model's time of every row for a
:class:`~yrdnet.TravelTimeModel`, :func:`road_scores` summarises.

**The split** (:func:`split_of`), fixed before any fit: a row belongs to the *holdout*
set when the BLAKE2b hash of its unordered pair of prefecture-level cities (a county end
stands for its city) is 0 modulo 3, else to the *fit* set. One statement quoted in both
tables (a county and its city) therefore falls on one side, and so do both directions of
a pair. ``tools/calibrate_roads.py`` fits on the fit rows whose ends are seats or city
centres (town ends, ``END IS A TOWN`` in the notes, lie beyond what the model routes to)
and reports the holdout.

**Any graph.** The rules of ``tests/data/validation_county_road.csv`` (see its README), fixed before the
model's times were looked at, in one place so that the curated county network and an
OpenStreetMap road graph (:func:`yrdnet.graph_from_osm` with ``zones="county"``) are
scored the same way:

* a whole-city end (an adcode that is a city, not a zone of the graph) is the zone
  holding the city's centre (:meth:`yrdnet.Zones.core_zones`);
* the model time is :func:`yrdnet.travel_times` by ``road`` on the given graph;
* rows whose end is a town rather than the seat (``END IS A TOWN`` in ``notes``) are
  flagged (``town_end``): the model routes seat to seat.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path
from typing import cast

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import TravelTimeModel
from yrdnet.region.datasets import load_counties
from yrdnet.region.zones import Zones, load_zones, resolve_zones
from yrdnet.routing.matrices import UnreachableWarning, travel_times
from yrdnet.scenarios.scenario import build_graph

__all__ = [
    "TOL",
    "TOWN_END",
    "end_populations",
    "modelled_minutes",
    "road_rows",
    "road_scores",
    "road_time_validation",
    "split_of",
    "validation_summary",
]

#: Tolerance of the shares within (the county table's bar, issue 10: ±25 %).
TOL = 0.25
#: The marker in a row's ``notes`` for an end that is a town, not the seat the model routes to.
TOWN_END = "END IS A TOWN"
_FIRST, _LAST = 2008, 2025  # the years of the shipped timetables and the dated road network
_COLS = ["table", "from_adcode", "to_adcode", "minutes", "year", "graph", "from_zone", "to_zone", "town_end"]


def split_of(city_a: int, city_b: int) -> str:
    """``"holdout"`` or ``"fit"``: the fixed rule on the unordered pair of city adcodes."""
    lo, hi = sorted((int(city_a), int(city_b)))
    digest = hashlib.blake2b(f"{lo}-{hi}".encode(), digest_size=8).digest()
    return "holdout" if int.from_bytes(digest, "big") % 3 == 0 else "fit"


def _city_rows(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"from_city_adcode": int, "to_city_adcode": int})
    df = df[df["mode"] == "road"]
    years = [_network_year(y) for y in df["year"]]
    return pd.DataFrame(
        {
            "table": "city",
            "from_adcode": df["from_city_adcode"].to_numpy(),
            "to_adcode": df["to_city_adcode"].to_numpy(),
            "minutes": df["minutes"].to_numpy(float),
            "year": years,
            "graph": [f"baseline@{y}" for y in years],
            "from_zone": df["from_city_adcode"].to_numpy(),
            "to_zone": df["to_city_adcode"].to_numpy(),
            "town_end": False,
        }
    )


def _network_year(year: float) -> int:
    """The network year a row is modelled on: its year, within the shipped span (no year: 2025)."""
    return min(max(int(year), _FIRST), _LAST) if pd.notna(year) else _LAST


def _county_rows(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path)
    core = load_zones("county").core_zones()

    def zone(code: int) -> int:
        return int(core.get(int(code), int(code)))

    return pd.DataFrame(
        {
            "table": "county",
            "from_adcode": df["from_adcode"].astype(int).to_numpy(),
            "to_adcode": df["to_adcode"].astype(int).to_numpy(),
            "minutes": df["minutes"].to_numpy(float),
            "year": df["year"].to_numpy(float),
            "graph": [f"baseline@{_network_year(y)}" for y in df["year"]],
            "from_zone": [zone(c) for c in df["from_adcode"]],
            "to_zone": [zone(c) for c in df["to_adcode"]],
            "town_end": df["notes"].fillna("").str.contains(TOWN_END, regex=False).to_numpy(),
        }
    )


def road_rows(city_csv: str | Path | None, county_csv: str | Path | None) -> pd.DataFrame:
    """Both tables' rows in one frame, with their graph, zones and set (``split``).

    Parameters
    ----------
    city_csv, county_csv
        ``validation_times.csv`` (its ``road`` rows are read) and
        ``validation_county_road.csv``; ``None`` leaves a table out.

    Returns
    -------
    pandas.DataFrame
        Columns ``table`` (``city`` / ``county``), ``from_adcode``, ``to_adcode``,
        ``minutes`` (published), ``year``, ``graph`` (the network the row is modelled
        on), ``from_zone``, ``to_zone``, ``town_end``, ``split`` (``fit`` / ``holdout``).
    """
    parts = [_city_rows(Path(city_csv))] if city_csv is not None else []
    if county_csv is not None:
        parts.append(_county_rows(Path(county_csv)))
    if not parts:
        return pd.DataFrame(columns=[*_COLS, "split"])
    rows = pd.concat(parts, ignore_index=True)
    city_of = load_counties()["city"].astype(int).to_dict()
    ca = [city_of.get(int(c), int(c)) for c in rows["from_adcode"]]
    cb = [city_of.get(int(c), int(c)) for c in rows["to_adcode"]]
    rows["split"] = [split_of(a, b) for a, b in zip(ca, cb, strict=True)]
    return rows


def _graph(table: str, graph: str, model: TravelTimeModel) -> nx.MultiDiGraph:
    zones = load_zones("county") if table == "county" else None
    return build_graph("baseline", year=int(graph.split("@")[1]), model=model, zones=zones)


def modelled_minutes(rows: pd.DataFrame, model: TravelTimeModel | None = None) -> np.ndarray:
    """The model's road time of each row of :func:`road_rows`, minutes (``NaN`` if unreachable)."""
    model = model if model is not None else TravelTimeModel()
    out = np.full(len(rows), np.nan)
    for key, idx in rows.groupby(["table", "graph"]).indices.items():
        table, graph = (str(k) for k in cast("tuple[str, str]", key))
        G = _graph(table, graph, model)
        sub = rows.iloc[idx]
        zones = sorted(set(sub["from_zone"]).union(sub["to_zone"]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnreachableWarning)
            T = travel_times(G, "road", zones=zones)
        out[idx] = [float(T.loc[a, b]) for a, b in zip(sub["from_zone"], sub["to_zone"], strict=True)]
    return out


def road_scores(rows: pd.DataFrame, modelled: np.ndarray, *, tol: float = TOL) -> pd.DataFrame:
    """Share within ``±tol`` and median |error| per table and set, and for all rows.

    Returns
    -------
    pandas.DataFrame
        Index ``(table, split)`` with ``all`` rows of each; columns ``n``, ``within``
        (share of rows with |modelled / published - 1| <= ``tol``), ``median_abs_error``.
    """
    err = np.abs(np.asarray(modelled, float) / rows["minutes"].to_numpy(float) - 1.0)
    df = rows[["table", "split"]].assign(err=err).dropna()
    out = []
    for table in [*sorted(df["table"].unique()), "all"]:
        t = df if table == "all" else df[df["table"] == table]
        for split in ("fit", "holdout", "all"):
            s = t if split == "all" else t[t["split"] == split]
            share, median = _share_and_median(s["err"].to_numpy(), tol)
            out.append({"table": table, "split": split, "n": len(s), "within": share, "median_abs_error": median})
    return pd.DataFrame(out).set_index(["table", "split"])


def _share_and_median(abs_err: np.ndarray, tol: float) -> tuple[float, float]:
    """Share of ``abs_err <= tol`` and the median of ``abs_err`` (``NaN`` for no rows)."""
    if not len(abs_err):
        return float("nan"), float("nan")
    return float(np.mean(abs_err <= tol)), float(np.median(abs_err))


def end_populations(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Population sizing the town exit at each end of each row (:func:`~yrdnet.network.road_times.town_population`).

    City rows size their ends as city centres, county rows as the county zones they are
    modelled on. With these, the typical-period time of a row is its time with exits of
    zero plus ``town_exit_min * (P / 1e6) ** town_exit_exponent`` at each end (a road
    trip enters the road network once at each end), which ``tools/calibrate_roads.py``
    uses to fit the exit parameters without rebuilding graphs.
    """
    from yrdnet.network.road_times import town_population
    from yrdnet.region.datasets import load_cities

    cities, counties = load_cities(), load_zones("county").table
    pa, pb = np.full(len(rows), np.nan), np.full(len(rows), np.nan)
    for table, level, frame in (("city", "city", cities), ("county", "county", counties)):
        mask = (rows["table"] == table).to_numpy()
        if not mask.any():
            continue
        codes = sorted(set(rows.loc[mask, "from_zone"]).union(rows.loc[mask, "to_zone"]))
        pop = dict(zip(codes, town_population(frame.loc[codes], level=level), strict=True))
        pa[mask] = [pop[z] for z in rows.loc[mask, "from_zone"]]
        pb[mask] = [pop[z] for z in rows.loc[mask, "to_zone"]]
    return pa, pb


_COLUMNS = ("from_adcode", "to_adcode", "minutes")


def road_time_validation(
    G: nx.MultiDiGraph, table: pd.DataFrame | str | Path, zones: Zones | str = "county"
) -> pd.DataFrame:
    """Published driving times beside the model's road times on ``G``, row by row.

    Parameters
    ----------
    G
        A contract graph whose zones are ``zones`` (e.g. ``build_graph(..., zones="county")``
        or ``graph_from_osm(area, zones="county")``).
    table
        The validation table or its CSV path: columns ``from_adcode``, ``to_adcode``,
        ``minutes``, optionally ``notes``.
    zones
        The graph's zones (default the shipped counties).

    Returns
    -------
    pandas.DataFrame
        The table with ``from_zone``, ``to_zone``, ``model_min``, ``error``
        (``model_min / minutes - 1``) and ``town_end``; ``attrs`` hold
        :func:`validation_summary` (``share_within_tol`` of ±25 %, ``median_abs_error``).

    Raises
    ------
    DataError
        On a missing column, or an adcode that is neither a zone of ``G`` nor a city with
        a core zone (naming the row).
    """
    df = pd.read_csv(table) if isinstance(table, (str, Path)) else table.copy()
    where = str(table) if isinstance(table, (str, Path)) else "validation table"
    missing = [c for c in _COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"{where}: missing column(s) {missing}; expected {list(_COLUMNS)}")
    Z = resolve_zones(zones)
    core = Z.core_zones()
    graph_zones = {int(str(n)[5:]) for n, k in G.nodes(data="kind") if k == "zone"}

    def zone(code: int, row: int) -> int:
        z = int(code) if int(code) in graph_zones else core.get(int(code), -1)
        if z not in graph_zones:
            msg = f"{where}, row {row + 2}: adcode {code} is neither a zone of the graph nor a city with a core zone"
            raise DataError(msg)
        return z

    df["from_zone"] = [zone(c, i) for i, c in enumerate(df["from_adcode"])]
    df["to_zone"] = [zone(c, i) for i, c in enumerate(df["to_adcode"])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        T = travel_times(G, "road", zones=sorted(set(df["from_zone"]).union(df["to_zone"])))
    df["model_min"] = [float(T.loc[a, b]) for a, b in zip(df["from_zone"], df["to_zone"], strict=True)]
    df["error"] = df["model_min"] / pd.to_numeric(df["minutes"], errors="coerce") - 1.0
    notes = df["notes"].astype(str) if "notes" in df.columns else pd.Series("", index=df.index)
    df["town_end"] = notes.str.contains(TOWN_END, regex=False)
    df.attrs.update(validation_summary(df))
    return df


def validation_summary(df: pd.DataFrame, tol: float = TOL) -> dict[str, float]:
    """Share of rows within ``±tol`` and the median absolute error of a validation table."""
    share, median = _share_and_median(df["error"].abs().to_numpy(float), tol)
    return {"tol": tol, "share_within_tol": share, "median_abs_error": median}

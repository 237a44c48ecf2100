"""Model road times against published driving times: the county road validation, for any graph.

The rules of ``tests/data/validation_county_road.csv`` (see its README), fixed before the
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

import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.region.zones import Zones, resolve_zones
from yrdnet.routing.matrices import UnreachableWarning, travel_times

__all__ = ["road_time_validation", "validation_summary"]

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
        T = travel_times(G, "road")
    df["model_min"] = [float(T.loc[a, b]) for a, b in zip(df["from_zone"], df["to_zone"], strict=True)]
    df["error"] = df["model_min"] / pd.to_numeric(df["minutes"], errors="coerce") - 1.0
    notes = df["notes"].astype(str) if "notes" in df.columns else pd.Series("", index=df.index)
    df["town_end"] = notes.str.contains("END IS A TOWN", regex=False)
    df.attrs.update(validation_summary(df))
    return df


def validation_summary(df: pd.DataFrame, tol: float = 0.25) -> dict[str, float]:
    """Share of rows within ``±tol`` and the median absolute error of a validation table."""
    err = df["error"].abs().to_numpy(float)
    if not len(err):
        return {"tol": tol, "share_within_tol": float("nan"), "median_abs_error": float("nan")}
    return {"tol": tol, "share_within_tol": float(np.mean(err <= tol)), "median_abs_error": float(np.median(err))}

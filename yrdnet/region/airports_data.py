"""The airports table (``airports.csv``), validated on load.

Split from :mod:`yrdnet.region.datasets` (which re-exports every name here); see its
docstring for the checks every loader makes.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from yrdnet.core.validation import Column, Problems
from yrdnet.region.data_files import (
    _city_ref,
    _in_region,
    data_path,
    read_validated,
)

FIRST_CIVIL_FLIGHT_YEAR = 1920

_AIRPORT_COLS = (
    Column("iata"),
    Column("icao"),
    Column("name_zh"),
    Column("name_en"),
    Column("city", "adcode"),
    Column("lon", "float"),
    Column("lat", "float"),
    Column("role", "choice", choices=("international_hub", "regional")),
    Column("source"),
    Column("opened", "year", required=False, lo=FIRST_CIVIL_FLIGHT_YEAR),
    Column("closed", "year", required=False, lo=FIRST_CIVIL_FLIGHT_YEAR),
    Column("dates_source"),
)


def _airport_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    iata = rec.get("iata") or ""
    if not (len(iata) == 3 and iata.isascii() and iata.isupper()):
        probs.add(line, "iata", f"expected a 3-letter IATA code, found {iata!r}")
    opened, closed = rec.get("opened"), rec.get("closed")
    if opened is not None and closed is not None and closed <= opened:
        probs.add(line, "closed", f"expected a year after opened {opened}, found {closed}")


def _service_years(rec: dict[str, Any]) -> tuple[float, float]:
    """The years ``[opened, closed)`` an airport row is in service (open-ended when empty)."""
    opened, closed = rec.get("opened"), rec.get("closed")
    lo = float("-inf") if opened is None or pd.isna(opened) else float(opened)
    hi = float("inf") if closed is None or pd.isna(closed) else float(closed)
    return lo, hi


def _airport_codes_check(df: pd.DataFrame, path: Path) -> None:
    """An IATA code may repeat only over disjoint service years (a code moved to a new site).

    Raises
    ------
    DataError
        Naming the file and both rows (file lines, header = 1) of every overlap.
    """
    probs = Problems(path)
    recs = df.to_dict("records")
    for (i, a), (j, b) in itertools.combinations(enumerate(recs), 2):
        if a["iata"] != b["iata"]:
            continue
        (a0, a1), (b0, b1) = _service_years(a), _service_years(b)
        if a0 < b1 and b0 < a1:
            msg = f"duplicate id {b['iata']!r} in service in the same years as row {i + 2} (set opened/closed)"
            probs.add(j + 2, "iata", msg)
    probs.raise_if_any()


def load_airports(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the civil airports serving the YRD.

    Parameters
    ----------
    path
        Alternative ``airports.csv``.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``iata``; columns ``icao``, ``name_zh``, ``name_en``, ``city`` (adcode of
        the city it lies in), ``lon``, ``lat`` (WGS84), ``role`` (``international_hub``
        or ``regional``), ``source``, ``opened`` / ``closed`` (nullable Int64: the years
        civil flights began and ended at the site; empty ``opened`` = open in every year,
        empty ``closed`` = still open), ``dates_source``; point geometry; EPSG:4326. A
        code moved to a new site (Hefei's HFE in 2013) repeats, over disjoint years: pick
        a year's airports with :func:`yrdnet.metrics.airports.airports_in_year`.

    Raises
    ------
    DataError
        Naming the file, row and column of every problem (years outside
        [:data:`FIRST_CIVIL_FLIGHT_YEAR`, 2060], ``closed`` <= ``opened``, a code in
        service twice in one year).

    Examples
    --------
    >>> airports = load_airports()
    >>> sorted(airports.index[airports["role"] == "international_hub"])
    ['PVG', 'SHA']
    """
    p = data_path(path, "airports.csv")
    checks = [_in_region(), _airport_row_check]
    df = read_validated(p, _AIRPORT_COLS, row_checks=checks, refs=[_city_ref("city")])
    _airport_codes_check(df, p)
    for c in ("opened", "closed"):
        df[c] = pd.array(df[c], dtype="Int64")
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
    return gdf.set_index("iata")

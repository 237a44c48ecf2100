"""The dated county expressway network: ``data/expressways.csv``.

One row per expressway section between the interchange areas of two county-level units
(their seats), derived by ``tools/derive_expressways.py`` from the curated route chains
of ``data/expressway_routes/``. :mod:`yrdnet.network.expressways` builds the road layer
from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from yrdnet.core.validation import Column, Problems, Ref
from yrdnet.region.datasets import data_path, load_counties, read_validated
from yrdnet.region.plausibility import WARN_SECTION_RATIO, check_link_lengths, check_road_speeds

__all__ = ["EXPRESSWAY_COLUMNS", "load_expressways"]

#: Schema of ``expressways.csv`` (see ``data/SCHEMA.md``).
EXPRESSWAY_COLUMNS = (
    Column("section_id"),
    Column("route"),
    Column("name_zh"),
    Column("branch", required=False),
    Column("from_adcode", "adcode"),
    Column("to_adcode", "adcode"),
    Column("km", "float", positive=True, hi=500.0),
    Column("km_method"),
    Column("speed_kph", "int", lo=40, hi=120),
    Column("speed_method"),
    Column("opened", "year", lo=1984, hi=2060),
    Column("source"),
)


def _section_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    if rec["from_adcode"] is not None and rec["from_adcode"] == rec["to_adcode"]:
        probs.add(line, "to_adcode", "a section must join two different county-level units")


def load_expressways(path: str | Path | None = None) -> pd.DataFrame:
    """Load the dated county expressway sections.

    Parameters
    ----------
    path
        Alternative ``expressways.csv`` (default: the shipped file).

    Returns
    -------
    pandas.DataFrame
        Index ``section_id``; columns ``route``, ``name_zh``, ``branch`` (empty for a
        route's main chain), ``from_adcode``, ``to_adcode`` (county-level units of
        ``data/counties.csv``), ``km``, ``km_method`` (sourced or how it was derived),
        ``speed_kph`` (design speed), ``speed_method``, ``opened`` (year the section
        opened to traffic), ``source``.

    Raises
    ------
    yrdnet.DataError
        Every problem of the file at once (file, row, field, expected, found).
    """
    p = data_path(path, "expressways.csv")
    counties = frozenset(int(c) for c in load_counties().index)
    refs = [Ref("from_adcode", counties, "county adcode"), Ref("to_adcode", counties, "county adcode")]
    df = read_validated(p, EXPRESSWAY_COLUMNS, key="section_id", row_checks=[_section_check], refs=refs)
    check_link_lengths(df, load_counties(), p, what="county seats", min_ratio=None, warn_ratio=WARN_SECTION_RATIO)
    check_road_speeds(df["speed_kph"], p)
    df["branch"] = df["branch"].fillna("").astype(str)
    for c in ("from_adcode", "to_adcode", "speed_kph", "opened"):
        df[c] = df[c].astype("int64")
    return df.set_index("section_id")

"""When each station was open: curated dates (``station_dates.csv``) and dates derived from the lines.

A station is open in network year ``y`` (the network as it stood at the end of ``y``) when

* ``opened`` is empty or ``opened <= y``, and
* it is not closed then: ``closed`` is empty, or ``y < closed``, or it reopened by then
  (``reopened <= y``), for a station closed for rebuilding (杭州东 2010-2013, 宁波 2010-2013).

Empty means "no constraint". Curated rows of ``station_dates.csv`` (``station_id, opened,
closed, reopened, source``) are joined by key onto ``stations.csv``. A station without a
curated row gets ``opened`` = the earliest opening year of the open lines of ``lines.csv``
that list it, and a ``dates_source`` saying so; a station that no open line lists gets no
constraint. :func:`yrdnet.network.history.open_stations` applies the rule.

Private to the region wing: :func:`yrdnet.region.datasets.load_stations` calls
:func:`station_dates`. Imports only :mod:`yrdnet.core`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from yrdnet.core.validation import Column, Problems, Ref

__all__ = ["DATES_FILE", "station_dates"]

#: The curated station dates of a data folder.
DATES_FILE = "station_dates.csv"

_DATE_COLS = (
    Column("station_id"),
    Column("opened", "year", required=False),
    Column("closed", "year", required=False),
    Column("reopened", "year", required=False),
    Column("source"),
)
_OUT = ("opened", "closed", "reopened", "dates_source")


def _date_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    o, c, r = rec.get("opened"), rec.get("closed"), rec.get("reopened")
    if c is not None and o is not None and c <= o:
        probs.add(line, "closed", f"expected a year after opened {o}, found {c}")
    if r is not None and c is None:
        probs.add(line, "reopened", "a station can only reopen after a closing year ('closed' is empty)")
    elif r is not None and c is not None and r <= c:
        probs.add(line, "reopened", f"expected a year after closed {c}, found {r}")


def _derived(ids: Iterable[str], lines: pd.DataFrame | None) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Earliest opening year of the open lines listing each station, and those lines (earliest first)."""
    first: dict[str, int] = {}
    by: dict[str, list[tuple[int, str]]] = {}
    if lines is not None:
        cols = zip(lines["line_id"], lines["status"], lines["opened"], lines["stops"], strict=True)
        for lid, status, opened, stops in cols:
            if status != "open" or opened is None:
                continue
            for s in stops or []:
                by.setdefault(str(s), []).append((int(opened), str(lid)))
    wanted = set(ids)
    for s, rows in by.items():
        if s in wanted:
            first[s] = min(y for y, _ in rows)
    return first, {s: [lid for _, lid in sorted(rows)] for s, rows in by.items()}


_NONE = "no constraint: no open line of lines.csv lists it"


def _derived_source(lines: list[str]) -> str:
    names = ", ".join(lines[:3]) + (", ..." if len(lines) > 3 else "")
    return f"derived: opened = the earliest opening year of the open lines of lines.csv that list it ({names})"


def station_dates(
    ids: pd.Index,
    read: Callable[..., pd.DataFrame],
    *,
    dates_path: Path | None,
    lines: pd.DataFrame | None,
    stations_file: str = "stations.csv",
) -> pd.DataFrame:
    """The dates of every station of ``ids``: curated where ``dates_path`` has a row, else derived.

    Parameters
    ----------
    ids
        Station ids (the index of ``stations.csv``).
    read
        The validating reader of the datasets module
        (:func:`yrdnet.region.datasets.read_validated`).
    dates_path
        ``station_dates.csv`` (``None``: no curated dates).
    lines
        The validated ``lines.csv`` rows (``line_id``, ``status``, ``opened``, ``stops``),
        for the derived dates (``None``: none derived).
    stations_file
        Name of the stations file, for messages.

    Returns
    -------
    pandas.DataFrame
        Index ``ids``; ``opened``, ``closed``, ``reopened`` (nullable Int64; empty = no
        constraint) and ``dates_source`` (where the dates come from).

    Raises
    ------
    DataError
        Naming ``station_dates.csv``, the row and the field: an unknown station id,
        ``closed`` not after ``opened``, ``reopened`` without or not after ``closed``, a
        duplicate id.
    """
    curated = pd.DataFrame(columns=["station_id", *_OUT[:3], "source"])
    if dates_path is not None:
        ref = Ref("station_id", frozenset(str(x) for x in ids), f"station id of {stations_file}")
        curated = read(dates_path, _DATE_COLS, key="station_id", row_checks=[_date_row_check], refs=[ref])
    names = [str(x) for x in ids]
    first, by = _derived(names, lines)
    cols: dict[str, list[Any]] = {
        "opened": [first.get(n) for n in names],
        "closed": [None] * len(names),
        "reopened": [None] * len(names),
        "dates_source": [_derived_source(by[n]) if n in first else _NONE for n in names],
    }
    at = {n: i for i, n in enumerate(names)}
    for rec in curated.to_dict("records"):
        i = at[str(rec["station_id"])]
        for c in _OUT[:3]:
            cols[c][i] = rec[c]
        cols["dates_source"][i] = f"curated: {rec['source']}"
    out = pd.DataFrame({c: pd.array(cols[c], dtype="Int64") for c in _OUT[:3]}, index=ids)
    out["dates_source"] = cols["dates_source"]
    return out

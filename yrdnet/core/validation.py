"""Table validation: collect every problem in a file, then raise one error naming them all."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pandas as pd

from yrdnet.core.errors import DataError

__all__ = ["Column", "InBBox", "Problems", "validate_table"]

YEAR_RANGE = (1950, 2060)
_MAX_SHOWN = 25


class Problems:
    """Accumulate validation problems for one file and raise them together."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.items: list[str] = []

    def add(self, row: int | None, field: str | None, message: str) -> None:
        """Record a problem at file line ``row`` (header = line 1) and column ``field``."""
        where = []
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field {field!r}")
        self.items.append((", ".join(where) + ": " if where else "") + message)

    def raise_if_any(self) -> None:
        """Raise :class:`DataError` listing every problem, if there are any."""
        if not self.items:
            return
        shown = self.items[:_MAX_SHOWN]
        more = len(self.items) - len(shown)
        lines = "\n  - ".join(shown)
        tail = f"\n  ... and {more} more" if more else ""
        n = len(self.items)
        msg = f"{self.path.name}: {n} problem{'s' if n > 1 else ''} in {self.path}:\n  - {lines}{tail}"
        raise DataError(msg)


@dataclass(frozen=True)
class Column:
    """Schema of one column.

    Parameters
    ----------
    name
        Column name.
    kind
        ``"int"``, ``"float"``, ``"str"``, ``"adcode"``, ``"year"``, ``"list"`` or ``"choice"``.
    required
        Whether an empty cell is a problem.
    choices
        Allowed values for ``kind="choice"``.
    positive
        For numbers: the value must be > 0.
    lo, hi
        Inclusive numeric bounds.
    """

    name: str
    kind: str = "str"
    required: bool = True
    choices: tuple[str, ...] = ()
    positive: bool = False
    lo: float | None = None
    hi: float | None = None


def _is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""


def _convert(col: Column, raw: Any) -> tuple[Any, str | None]:  # noqa: PLR0911
    s = str(raw).strip()
    if col.kind in {"int", "year", "adcode"}:
        try:
            f = float(s)
        except ValueError:
            return None, f"expected an integer, found {s!r}"
        if not f.is_integer():
            return None, f"expected an integer, found {s!r}"
        v = int(f)
        if col.kind == "adcode" and not (100000 <= v <= 999999):
            return None, f"expected a 6-digit adcode, found {s!r}"
        if col.kind == "year" and not (YEAR_RANGE[0] <= v <= YEAR_RANGE[1]):
            return None, f"expected a year in {YEAR_RANGE[0]}-{YEAR_RANGE[1]}, found {v}"
        return v, None
    if col.kind == "float":
        try:
            x = float(s)
        except ValueError:
            return None, f"expected a number, found {s!r}"
        if math.isnan(x) or math.isinf(x):
            return None, f"expected a finite number, found {s!r}"
        return x, None
    if col.kind == "choice":
        if s not in col.choices:
            return None, f"expected one of {list(col.choices)}, found {s!r}"
        return s, None
    if col.kind == "list":
        return [p.strip() for p in s.split(";") if p.strip()], None
    return s, None


def validate_table(
    df: pd.DataFrame,
    columns: Iterable[Column],
    path: Path | str,
    *,
    key: str | None = None,
    row_checks: Iterable[Callable[[dict[str, Any], int, Problems], None]] = (),
) -> pd.DataFrame:
    """Check ``df`` (read as strings) against ``columns`` and return it with typed values.

    Every problem in the file is collected first; then one :class:`DataError` names the
    file, each row (line number in the file, header = 1), field, what was expected and
    what was found.
    """
    cols = list(columns)
    probs = Problems(path)
    missing = [c.name for c in cols if c.name not in df.columns]
    if missing:
        probs.add(None, None, f"missing required column(s) {missing}; found {list(df.columns)}")
        probs.raise_if_any()
    records: list[dict[str, Any]] = []
    for i, raw in enumerate(df.to_dict("records")):
        line = i + 2
        rec = dict(cast("dict[str, Any]", raw))  # columns read from CSV headers are str
        for col in cols:
            v = raw[col.name]
            if _is_empty(v):
                if col.required:
                    probs.add(line, col.name, "expected a value, found an empty cell")
                rec[col.name] = [] if col.kind == "list" else None
                continue
            conv, err = _convert(col, v)
            if err is not None:
                probs.add(line, col.name, err)
                rec[col.name] = None
                continue
            if isinstance(conv, (int, float)) and not isinstance(conv, bool):
                if col.positive and conv <= 0:
                    probs.add(line, col.name, f"expected a value > 0, found {conv}")
                if col.lo is not None and conv < col.lo:
                    probs.add(line, col.name, f"expected >= {col.lo}, found {conv}")
                if col.hi is not None and conv > col.hi:
                    probs.add(line, col.name, f"expected <= {col.hi}, found {conv}")
            rec[col.name] = conv
        for check in row_checks:
            check(rec, line, probs)
        records.append(rec)
    if key is not None:
        seen: dict[Any, int] = {}
        for i, rec in enumerate(records):
            k = rec[key]
            if k is None:
                continue
            if k in seen:
                probs.add(i + 2, key, f"duplicate id {k!r} (first on row {seen[k]})")
            else:
                seen[k] = i + 2
    probs.raise_if_any()
    out = pd.DataFrame.from_records(records, columns=list(df.columns))
    return out


@dataclass(frozen=True)
class InBBox:
    """Row check: ``lon``/``lat`` lie inside a bounding box (a value, so checked tables cache).

    Parameters
    ----------
    bbox
        ``(lon_min, lat_min, lon_max, lat_max)``, WGS84 (the region's, :attr:`yrdnet.Region.bbox`).
    area
        The region's name in messages.
    """

    bbox: tuple[float, float, float, float]
    area: str = "region"

    def __call__(self, rec: dict[str, Any], line: int, probs: Problems) -> None:
        """Add a problem for a row whose point lies outside the box."""
        lon, lat = rec.get("lon"), rec.get("lat")
        if lon is None or lat is None:
            return
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            probs.add(
                line,
                "lon/lat",
                f"expected a point inside the {self.area} bounding box lon {x0}-{x1}, lat {y0}-{y1} (WGS84), "
                f"found ({lon}, {lat})",
            )

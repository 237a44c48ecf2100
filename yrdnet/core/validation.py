"""Table validation: collect every problem in a file, then raise one error naming them all."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pandas as pd

from yrdnet.core.errors import DataError

__all__ = ["Column", "InBBox", "Problems", "Ref", "as_sequence", "did_you_mean", "validate_table"]

YEAR_RANGE = (1950, 2060)
_MAX_SHOWN = 25


def did_you_mean(word: Any, options: Iterable[Any]) -> str:
    """The one "did you mean" hint of every unknown-id message: ``" (closest valid: a, b)"`` or ``""``.

    Parameters
    ----------
    word
        The unknown id or name as given.
    options
        The valid ids or names (compared as strings).

    Returns
    -------
    str
        Up to three close matches in the form ``" (closest valid: a, b, c)"``, to be
        appended to a message; empty when nothing is close.

    Examples
    --------
    >>> did_you_mean("nanjing_sooth", ["nanjing_south", "suzhou"])
    ' (closest valid: nanjing_south)'
    >>> did_you_mean("zzz", ["nanjing_south"])
    ''
    """
    opts = [str(o) for o in options]
    close = difflib.get_close_matches(str(word), opts, n=3, cutoff=0.5)
    return f" (closest valid: {', '.join(close)})" if close else ""


class Problems:
    """Collect every problem of one input, then raise them together as one error.

    The one collect-then-raise home: CSV tables, GTFS feeds and scenario edits all report
    through it.

    Parameters
    ----------
    source
        The file (or feed, or description such as ``"the scenario"``) the problems are
        in. ``None`` when each problem names its own place (scenario checks do).
    error
        The exception class raised (default :class:`~yrdnet.DataError`).

    Notes
    -----
    Each problem reads ``[file ][row N, ][field 'x']: message`` (``file`` for inputs of
    several files, e.g. a GTFS feed; rows are file lines, header = 1). One problem is
    raised on one line, ``"<source>: <problem>"``; several as
    ``"N problems in <source>:"`` followed by one line each (the first 25 shown).

    Examples
    --------
    >>> probs = Problems("cities.csv")
    >>> probs.add(3, "lon", "expected a number, found 'x'")
    >>> probs.raise_if_any()
    Traceback (most recent call last):
    ...
    yrdnet.core.errors.DataError: cities.csv: row 3, field 'lon': expected a number, found 'x'
    """

    def __init__(
        self, source: Path | str | None, *, error: type[Exception] = DataError, subject: str | None = None
    ) -> None:
        self.source = source
        self.error = error
        self.subject = subject
        self.items: list[str] = []

    def add(self, row: int | None, field: str | None, message: str, *, file: str | None = None) -> None:
        """Record a problem at file line ``row`` (header = line 1) and column ``field`` (of ``file``)."""
        where = []
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field {field!r}")
        place = ", ".join(where)
        if file is not None:
            place = f"{file} {place}" if place else file
        self.items.append((place + ": " if place else "") + message)

    def note(self, message: str) -> None:
        """Record a problem whose message already says where it is."""
        self.items.append(message)

    def extend(self, messages: Iterable[str]) -> None:
        """Record several self-locating problems (see :meth:`note`)."""
        for m in messages:
            self.note(m)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def message(self) -> str:
        """The text of the error :meth:`raise_if_any` raises (``""`` when there is no problem)."""
        n = len(self.items)
        if n == 0:
            return ""
        if n == 1:
            return self.items[0] if self.source is None else f"{self.source}: {self.items[0]}"
        where = self.subject or (str(self.source) if self.source is not None else "the input")
        shown = "\n  - ".join(self.items[:_MAX_SHOWN])
        tail = f"\n  ... and {n - _MAX_SHOWN} more" if n > _MAX_SHOWN else ""
        return f"{n} problems in {where}:\n  - {shown}{tail}"

    def raise_if_any(self) -> None:
        """Raise :attr:`error` listing every problem, if there are any."""
        if self.items:
            raise self.error(self.message())


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
        Inclusive numeric bounds (for ``kind="year"`` they replace the default year range
        1950-2060).
    """

    name: str
    kind: str = "str"
    required: bool = True
    choices: tuple[str, ...] = ()
    positive: bool = False
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class Ref:
    """A reference check: every value of ``column`` must be one of ``ids``.

    Parameters
    ----------
    column
        Column holding the references (a ``"list"`` column checks each item).
    ids
        The valid ids (compared as given and as strings).
    what
        What an id names, for the message: ``"unknown <what> <value><note>"``.
    note
        Said after the value, e.g. ``" (no shipped scenario of that name)"``.
    """

    column: str
    ids: frozenset[Any]
    what: str
    note: str = ""

    def check(self, rec: dict[str, Any], line: int, probs: Problems) -> None:
        """Add a problem for each value of ``rec[column]`` that is not a known id."""
        v = rec.get(self.column)
        for item in v if isinstance(v, list) else [v]:
            if item is None or item in self.ids or str(item) in self.ids:
                continue
            probs.add(line, self.column, f"unknown {self.what} {item!r}{self.note}{did_you_mean(item, self.ids)}")


def _is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""


def _year_range(col: Column) -> tuple[int, int]:
    """Valid years of a ``"year"`` column: its own ``lo``/``hi`` where set, else :data:`YEAR_RANGE`."""
    lo = YEAR_RANGE[0] if col.lo is None else int(col.lo)
    hi = YEAR_RANGE[1] if col.hi is None else int(col.hi)
    return lo, hi


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
        lo, hi = _year_range(col)
        if col.kind == "year" and not (lo <= v <= hi):
            return None, f"expected a year in {lo}-{hi}, found {v}"
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
    refs: Iterable[Ref] = (),
) -> pd.DataFrame:
    """Check ``df`` (read as strings) against ``columns`` and return it with typed values.

    Every problem in the file is collected first; then one :class:`DataError` names the
    file, each row (line number in the file, header = 1), field, what was expected and
    what was found. ``refs`` check that a column's values (or each item of a list
    column) are known ids of another table, naming close matches when not.
    """
    cols = list(columns)
    refs = tuple(refs)
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
        for ref in refs:
            ref.check(rec, line, probs)
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


def as_sequence(value: Any, name: str, what: str) -> list[Any]:
    """``value`` as a list, or a TypeError if one item was passed where a sequence is expected.

    A string is iterable, so ``sweep("plan_2035")`` would otherwise run one scenario per
    character; a path, bytes or any non-iterable is refused the same way.

    Parameters
    ----------
    value
        The argument as given.
    name
        The parameter's name, for the message.
    what
        What the items are, e.g. ``"scenario names, paths or Scenario objects"``.

    Returns
    -------
    list
        The items.

    Raises
    ------
    TypeError
        Naming the parameter, what was given and how to pass one item.

    Examples
    --------
    >>> as_sequence(("a", "b"), "scenarios", "scenario names")
    ['a', 'b']
    >>> as_sequence("plan_2035", "scenarios", "scenario names")
    Traceback (most recent call last):
    ...
    TypeError: scenarios must be a list or tuple of scenario names, got the single str 'plan_2035'; use ['plan_2035']
    """
    import os

    if isinstance(value, (str, bytes, os.PathLike)) or not isinstance(value, Iterable):
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        raise TypeError(
            f"{name} must be a list or tuple of {what}, got the single {type(value).__name__} {shown}; use [{shown}]"
        )
    return list(value)

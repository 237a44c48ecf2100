r"""Janelle's time-space convergence per pair of zones over a timeline ("time replaces space").

Two places *converge* in time-space when the travel time between them falls (Janelle
1968, 1969). For a pair of zones :math:`\{i, j\}` with travel times :math:`T_{ij}(y)`
(minutes) in network years :math:`y_1 < y_2`, this module reports

.. math::

    \bar T_{ij}(y) &= \tfrac12 \bigl(T_{ij}(y) + T_{ji}(y)\bigr)
        \quad \text{(both directions averaged, as in } \texttt{time\_space\_map}\text{)}

    CR_{ij}(y_1, y_2) &= \frac{\bar T_{ij}(y_1) - \bar T_{ij}(y_2)}{y_2 - y_1}
        \quad \text{(minutes a year; Janelle's convergence rate)}

    RCR_{ij}(y_1, y_2) &= 100 \cdot \frac{\ln \bar T_{ij}(y_1) - \ln \bar T_{ij}(y_2)}{y_2 - y_1}
        \quad \text{(per cent a year)}

    S_{ij}(y_1, y_2) &= 100 \cdot \Bigl(1 - \frac{\bar T_{ij}(y_2)}{\bar T_{ij}(y_1)}\Bigr)
        \quad \text{(per cent of the time saved)}

for every consecutive period of the timeline and over the whole span (first to last
year). :math:`CR > 0`: the places approach each other; :math:`CR < 0`: they diverge.

The absolute rate is Janelle's; it favours long links, which have more minutes to lose.
The relative rate is the continuously compounded annual rate of decline of the time
(:math:`\bar T(y_2) = \bar T(y_1)\, e^{-RCR\,(y_2 - y_1)/100}`), comparable between short
and long links. It is chosen over the linear share :math:`S / (y_2 - y_1)` because it is
additive over periods: the whole span's rate is the period rates' mean weighted by their
lengths, as the absolute rate is. :math:`S` is the "relative time compression" of the
indicator digest (§1.8), reported over the whole span.

Pairs are **unordered** (:math:`i < j` in sorted id order), each counted once. A pair
unreachable in either year of a period has no rate there (``NaN``), and summaries are
means over the pairs reachable in both years, with their count.

References
----------
.. [1] Janelle, D. G. (1968). Central place development in a time-space framework.
   *The Professional Geographer*, 20(1), 5-10.
.. [2] Janelle, D. G. (1969). Spatial reorganization: a model and concept. *Annals of
   the Association of American Geographers*, 59(2), 348-364.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError

__all__ = ["convergence_periods", "convergence_summary", "janelle_convergence"]

_RATE = re.compile(r"^convergence_(\d+)_(\d+)_min_per_year$")
_PairLike = Iterable[tuple[Hashable, Hashable]]


def convergence_periods(years: Iterable[int]) -> list[tuple[int, int]]:
    """The periods reported for a timeline: each consecutive pair of years, then the whole span.

    Examples
    --------
    >>> convergence_periods([2025, 2010, 2015])
    [(2010, 2015), (2015, 2025), (2010, 2025)]
    >>> convergence_periods([2010, 2025])
    [(2010, 2025)]
    """
    ys = sorted(int(y) for y in years)
    steps = list(pairwise(ys))
    return steps if len(steps) < 2 else [*steps, (ys[0], ys[-1])]


def _rate_columns(y1: int, y2: int) -> tuple[str, str]:
    return f"convergence_{y1}_{y2}_min_per_year", f"relative_convergence_{y1}_{y2}_pct_per_year"


def _as_years(times: Mapping[int, pd.DataFrame] | Iterable[tuple[int, pd.DataFrame]]) -> dict[int, pd.DataFrame]:
    """``{year: matrix}`` with int years, refusing duplicates and fewer than two years."""
    items = list(times.items()) if isinstance(times, Mapping) else list(times)
    out: dict[int, pd.DataFrame] = {}
    for year, T in items:
        y = int(year)
        if y in out:
            raise DataError(f"janelle_convergence: year {y} is given twice; give one travel-time matrix per year")
        out[y] = T
    if len(out) < 2:
        raise DataError(f"janelle_convergence: need travel times of at least two years, got {sorted(out)}")
    return out


def _symmetric(years: dict[int, pd.DataFrame]) -> tuple[list[Any], dict[int, np.ndarray]]:
    """One zone-id list shared by every year, and each year's symmetrised matrix over it."""
    first = min(years)
    ids = sorted(years[first].index)
    for y in sorted(years):
        T = years[y]
        if not T.index.is_unique or sorted(T.columns) != sorted(T.index):
            msg = f"janelle_convergence: the {y} matrix must be square with the same zone ids as rows and columns"
            raise DataError(msg)
        rows = set(T.index)
        if rows != set(ids):
            extra, missing = sorted(rows - set(ids), key=str), sorted(set(ids) - rows, key=str)
            raise DataError(
                f"janelle_convergence: the zones of {y} differ from those of {first}: "
                f"{len(extra)} extra {extra[:8]}, {len(missing)} missing {missing[:8]}"
            )
    out = {}
    for y, T in years.items():
        M = T.loc[ids, ids].to_numpy(float)
        out[y] = 0.5 * (M + M.T)
    return ids, out


def janelle_convergence(
    times: Mapping[int, pd.DataFrame] | Iterable[tuple[int, pd.DataFrame]],
    *,
    core: _PairLike | None = None,
) -> pd.DataFrame:
    r"""Time-space convergence of every pair of zones over a timeline (Janelle 1968).

    Parameters
    ----------
    times
        Travel-time matrices in minutes by network year: ``{year: T}`` or ``(year, T)``
        pairs, in any order. Each ``T`` is square (index and columns zone ids, any order;
        ``inf`` where unreachable); every year must have the same zones.
    core
        Pairs of zone ids flagged in a ``core_link`` column (order within a pair does not
        matter), e.g. :func:`yrdnet.analysis.time_space.core_links`.

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair (``zone_a`` < ``zone_b``), sorted by the pair:
        ``minutes_<year>`` for every year (both directions averaged); for each period
        of :func:`convergence_periods`, ``convergence_<y1>_<y2>_min_per_year``
        (:math:`CR`) and ``relative_convergence_<y1>_<y2>_pct_per_year`` (:math:`RCR`);
        ``time_saved_<first>_<last>_pct`` (:math:`S`); ``core_link`` when ``core`` is
        given. Formulas in the module docstring.

    Raises
    ------
    DataError
        (a :class:`ValueError`) when a year is given twice, fewer than two years are
        given, a matrix is not square, or the years' zone sets differ (naming the year
        and the zones).

    References
    ----------
    .. [1] Janelle, D. G. (1968). Central place development in a time-space framework.
       *The Professional Geographer*, 20(1), 5-10.
    .. [2] Janelle, D. G. (1969). Spatial reorganization: a model and concept. *Annals
       of the Association of American Geographers*, 59(2), 348-364.

    Examples
    --------
    >>> ids = [1, 2]
    >>> T = {2010: pd.DataFrame([[0, 120], [100, 0]], index=ids, columns=ids),
    ...      2020: pd.DataFrame([[0, 60], [60, 0]], index=ids, columns=ids)}
    >>> row = janelle_convergence(T).iloc[0]
    >>> float(row["minutes_2010"]), float(row["convergence_2010_2020_min_per_year"])
    (110.0, 5.0)
    >>> round(float(row["relative_convergence_2010_2020_pct_per_year"]), 2)
    6.06
    """
    years = _as_years(times)
    ids, M = _symmetric(years)
    ys = sorted(M)
    iu = np.triu_indices(len(ids), 1)
    idx = np.asarray(ids, dtype=object)
    cols: dict[str, Any] = {"zone_a": idx[iu[0]].tolist(), "zone_b": idx[iu[1]].tolist()}
    for y in ys:
        cols[f"minutes_{y}"] = M[y][iu]
    with np.errstate(divide="ignore", invalid="ignore"):
        for y1, y2 in convergence_periods(ys):
            a, b = M[y1][iu], M[y2][iu]
            ok = np.isfinite(a) & np.isfinite(b)
            absolute, relative = _rate_columns(y1, y2)
            cols[absolute] = np.where(ok, (a - b) / (y2 - y1), np.nan)
            cols[relative] = np.where(ok & (a > 0) & (b > 0), 100.0 * np.log(a / b) / (y2 - y1), np.nan)
        a, b = M[ys[0]][iu], M[ys[-1]][iu]
        ok = np.isfinite(a) & np.isfinite(b) & (a > 0)
        cols[f"time_saved_{ys[0]}_{ys[-1]}_pct"] = np.where(ok, 100.0 * (1.0 - b / a), np.nan)
    out = pd.DataFrame(cols)
    if core is not None:
        wanted = {frozenset((a, b)) for a, b in core}
        out["core_link"] = [frozenset((a, b)) in wanted for a, b in zip(out["zone_a"], out["zone_b"], strict=True)]
    return out


def convergence_summary(table: pd.DataFrame, *, core: _PairLike | None = None) -> pd.DataFrame:
    r"""Mean convergence per period over every pair and over the core links.

    Parameters
    ----------
    table
        A :func:`janelle_convergence` table.
    core
        The core links (pairs of zone ids, either order); default the table's
        ``core_link`` column, if any.

    Returns
    -------
    pandas.DataFrame
        Index ``period`` (``"2010-2015"``, ..., the whole span last); columns
        ``from_year``, ``to_year``, ``pairs`` (reachable in both years),
        ``mean_convergence_min_per_year``, ``mean_relative_convergence_pct_per_year``,
        and, with core links, ``core_links`` (reachable), ``core_mean_convergence_min_per_year``,
        ``core_mean_relative_convergence_pct_per_year``. Plain (unweighted) means over
        pairs of :math:`CR` and :math:`RCR`.

    Raises
    ------
    DataError
        If ``table`` has no convergence columns.

    Examples
    --------
    >>> ids = [1, 2, 3]
    >>> T0 = pd.DataFrame([[0, 100, 200], [100, 0, 150], [200, 150, 0]], index=ids, columns=ids)
    >>> s = convergence_summary(janelle_convergence({2010: T0, 2020: T0 / 2}), core=[(2, 1)])
    >>> r = s.loc["2010-2020"]
    >>> int(r["pairs"]), float(r["mean_convergence_min_per_year"]), float(r["core_mean_convergence_min_per_year"])
    (3, 7.5, 5.0)
    """
    periods = [(int(m.group(1)), int(m.group(2))) for c in table.columns if (m := _RATE.match(str(c)))]
    if not periods:
        raise DataError("convergence_summary: the table has no convergence_<y1>_<y2>_min_per_year columns")
    is_core: np.ndarray | None = None
    if core is not None:
        wanted = {frozenset((a, b)) for a, b in core}
        is_core = np.array([frozenset((a, b)) in wanted for a, b in zip(table["zone_a"], table["zone_b"], strict=True)])
    elif "core_link" in table.columns:
        is_core = table["core_link"].to_numpy(bool)
    rows = {}
    for y1, y2 in periods:
        absolute, relative = _rate_columns(y1, y2)
        row: dict[str, float | int] = {"from_year": y1, "to_year": y2, **_means(table, absolute, relative, "")}
        if is_core is not None:
            row |= _means(table[is_core], absolute, relative, "core_")
        rows[f"{y1}-{y2}"] = row
    out = pd.DataFrame.from_dict(rows, orient="index").rename_axis("period")
    counts = [c for c in ("from_year", "to_year", "pairs", "core_links") if c in out.columns]
    return out.astype(dict.fromkeys(counts, int))


def _means(t: pd.DataFrame, absolute: str, relative: str, prefix: str) -> dict[str, float | int]:
    ok = t[absolute].notna()
    n = int(ok.sum())
    return {
        ("core_links" if prefix else "pairs"): n,
        f"{prefix}mean_convergence_min_per_year": float(t.loc[ok, absolute].mean()) if n else float("nan"),
        f"{prefix}mean_relative_convergence_pct_per_year": float(t[relative].mean()) if n else float("nan"),
    }

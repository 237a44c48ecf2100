"""Zones grouped by their city, summed exactly as pandas sums groups (private; for the city steps).

:class:`Groups` is a grouping computed once (per zone table) that sums every scenario's
values with the very additions of ``Series.groupby(labels).sum()``, without pandas'
per-call overhead (bit-identical results); :class:`CityMeans` averages zone columns per
city. The analysis keeps them across a sweep's scenarios with
:func:`yrdnet.analysis.reuse.last_value`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CityMeans", "Groups"]

#: Whether this pandas sums sorted groups with ``np.add.reduceat`` (pandas >= 3.1); else
#: :meth:`Groups.sum` always lets pandas add them.
try:
    from pandas.core.groupby.ops import BaseGrouper  # type: ignore[attr-defined]

    _REDUCEAT = hasattr(BaseGrouper, "_reduceat_aggregate")
except ImportError:  # pragma: no cover - pandas moved it: let pandas add
    _REDUCEAT = False


class Groups:
    """Rows grouped by label (sorted labels, as ``groupby``), summed as pandas sums them.

    Parameters
    ----------
    labels
        One label per row (integers, e.g. city adcodes).

    Examples
    --------
    >>> g = Groups(np.array([2, 1, 2]))
    >>> g.codes.tolist(), g.sum(np.array([1.0, 2.0, 3.0])).tolist()
    ([1, 2], [2.0, 4.0])
    """

    def __init__(self, labels: np.ndarray) -> None:
        self.labels = np.asarray(labels)
        self.codes, inverse = np.unique(self.labels, return_inverse=True)
        self.inverse = inverse.reshape(-1)
        self.counts = np.bincount(self.inverse, minlength=len(self.codes))
        #: rows sorted by group: pandas then sums each group with ``np.add.reduceat``
        self.monotonic = bool((np.diff(self.inverse) >= 0).all())
        self.starts = np.flatnonzero(np.r_[True, self.inverse[1:] != self.inverse[:-1]]) if len(self.inverse) else None

    def sum(self, x: np.ndarray) -> np.ndarray:
        """Sums of the rows of ``x`` (float, ``(n,)`` or ``(n, m)``) per group, NaN skipped.

        The additions of ``Series.groupby(labels).sum()`` (``DataFrame``'s per column):
        on rows sorted by group without NaN pandas adds each group with
        ``np.add.reduceat``, as here; otherwise pandas itself sums them.
        """
        x = np.asarray(x, dtype=np.float64)
        if _REDUCEAT and self.monotonic and self.starts is not None and not np.isnan(x).any():
            return np.add.reduceat(x, self.starts, axis=0)
        frame = pd.Series(x) if x.ndim == 1 else pd.DataFrame(x)
        return np.asarray(frame.groupby(self.labels).sum().to_numpy(np.float64))


class CityMeans:
    r"""Population-weighted means of zone columns per city, computed for all cities at once.

    .. math:: x_c = \frac{\sum_{i \in c} P_i x_i}{\sum_{i \in c} P_i}

    Bit-identical to averaging each city's rows on its own (``np.average`` of each
    column): the cities with the same number of zones are stacked, and each city's
    products are summed along one contiguous row, as for one city. A column with a
    missing or infinite value in a city is averaged for that city as
    :meth:`column_mean` says.

    Parameters
    ----------
    city
        Each zone's city.
    w
        Each zone's weight (population).

    Examples
    --------
    >>> m = CityMeans(np.array([1, 2, 1]), np.array([1.0, 1.0, 3.0]))
    >>> m.order, m.means(np.array([[2.0], [5.0], [6.0]])).ravel().tolist()
    ([1, 2], [5.0, 5.0])
    """

    def __init__(self, city: np.ndarray, w: np.ndarray) -> None:
        self.order: list[int] = sorted(set(city.tolist()))
        perm = np.argsort(city, kind="stable")
        cs = city[perm]
        starts = np.flatnonzero(np.r_[True, cs[1:] != cs[:-1]]) if len(cs) else np.zeros(0, dtype=np.int64)
        sizes = np.diff(np.r_[starts, len(cs)])
        #: per zone count: the cities (positions in ``order``), their zones' rows, weights, weight sums
        self.blocks = []
        for size in np.unique(sizes):
            g = np.flatnonzero(sizes == size)
            rows = perm[starts[g][:, None] + np.arange(size)[None, :]]
            wr = w[rows]
            self.blocks.append((g, rows, wr, wr.sum(axis=1)))

    def means(self, X: np.ndarray) -> np.ndarray:
        """The means of the columns of ``X`` (zones x columns), one row per city of ``order``."""
        out = np.empty((len(self.order), X.shape[1]))
        for g, rows, wr, wsum in self.blocks:
            x = X[rows]  # cities x zones x columns
            with np.errstate(invalid="ignore"):  # a missing or infinite value: averaged below
                prod = np.ascontiguousarray((x * wr[:, :, None]).transpose(0, 2, 1))
                out[g] = prod.sum(axis=2) / wsum[:, None]
            bad = ~np.isfinite(x).all(axis=1)
            if bad.any():
                i, j = np.nonzero(bad)
                out[g[i], j] = self._unclean(x[i, :, j], wr[i])
        return out

    def _unclean(self, cols: np.ndarray, w: np.ndarray) -> np.ndarray:
        """:meth:`column_mean` of each row of ``cols`` (weights ``w``), the averages stacked by length."""
        nan = np.isnan(cols)
        n_ok = (~nan).sum(axis=1)
        inf = np.isinf(cols).any(axis=1)
        out = np.where(inf, np.where((cols > 0).any(axis=1), np.inf, -np.inf), np.nan)  # all missing: nan
        avg = (n_ok > 0) & ~inf
        for n in np.unique(n_ok[avg]):
            sel = np.flatnonzero(avg & (n_ok == n))
            keep = np.argsort(nan[sel], axis=1, kind="stable")[:, :n]  # the values, in order
            xs, ws = np.take_along_axis(cols[sel], keep, axis=1), np.take_along_axis(w[sel], keep, axis=1)
            scale = ws.sum(axis=1)
            if not scale.all():  # np.average raises
                return np.array([self.column_mean(c, wc) for c, wc in zip(cols, w, strict=True)])
            out[sel] = np.multiply(xs, ws).sum(axis=1) / scale  # np.average's operations, row by row
        return out

    @staticmethod
    def column_mean(col: np.ndarray, w: np.ndarray) -> float:
        """One city's mean of a column with a missing or infinite value.

        Missing values are left out, all missing gives ``nan``, an ``inf`` gives ``inf``
        (``-inf`` if none is positive), else ``np.average``.
        """
        ok = ~np.isnan(col)
        if not ok.any():
            return float("nan")
        x, wk = col[ok], w[ok]
        if np.isinf(x).any():
            return float("inf") if (x > 0).any() else float("-inf")
        scale = wk.sum()
        if scale == 0.0:
            return float(np.average(x, weights=wk))  # raises as np.average does
        return float(np.multiply(x, wk).sum() / scale)  # np.average's own operations

"""Zones grouped by their city, summed exactly as pandas sums groups (private; for the city steps).

:class:`Groups` is a grouping computed once (per zone table) that sums every scenario's
values with the very additions of ``Series.groupby(labels).sum()``, without pandas'
per-call overhead (bit-identical results); :class:`Slot` keeps the last value of a
computation while its input arrays are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd

__all__ = ["Groups", "Slot"]

V = TypeVar("V")


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
        if self.monotonic and self.starts is not None and not np.isnan(x).any():
            return np.add.reduceat(x, self.starts, axis=0)
        frame = pd.Series(x) if x.ndim == 1 else pd.DataFrame(x)
        return np.asarray(frame.groupby(self.labels).sum().to_numpy(np.float64))


class Slot(Generic[V]):
    """A single-slot memo: the last value, kept while its inputs are bitwise the same arrays.

    Bounded memory over any number of calls (one entry); inputs are compared by their
    bytes, shape and dtype, so a hit is exact.
    """

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._value: Any = None

    def get(self, arrays: tuple[np.ndarray, ...], make: Callable[[], V], extra: Any = None) -> V:
        """The value made last for these ``arrays`` (and ``extra``, compared by ``==``), else ``make()``."""
        key = (extra, *((a.dtype.str, a.shape, a.tobytes()) for a in map(np.asarray, arrays)))
        if self._key is None or self._key != key:
            self._value, self._key = make(), key
        return self._value  # type: ignore[no-any-return]

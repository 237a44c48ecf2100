"""Input checks shared by the metrics: one OD matrix, masses aligned on its labels, parameters.

:func:`_od` validates a travel-time matrix once (square, same labels on both axes,
numeric, no ``NaN``, non-negative, zero diagonal), :func:`_align` aligns a mass Series on
its index and names missing ids, :func:`_resolve` applies keyword overrides to a
:class:`~yrdnet.params.MetricParams`; the rest are the small array helpers of the
accessibility and efficiency formulas. Private to the metrics wing (the conventions are
stated in :mod:`yrdnet.metrics.accessibility`), but for :func:`checked_once`: inside it a
matrix or Series object that passed a check is not checked again (an analysis hands
the same matrices to every metric).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams, resolve_params

__all__: list[str] = ["checked_once"]


_MAX_SHOWN = 8
_V = TypeVar("_V")
#: Inside :func:`checked_once`: the checked inputs (kept alive, compared by identity) and their results.
_CHECKED: ContextVar[dict[Hashable, tuple[tuple[Any, ...], Any]] | None] = ContextVar("_CHECKED", default=None)


@contextmanager
def checked_once() -> Iterator[None]:
    """Check each input object once inside the block (values unchanged; errors still raised).

    For callers that hand the same unchanged matrices and Series to many metrics (an
    analysis: :func:`yrdnet.analyze` with ``reuse``); results hold fresh arrays each call.
    Do not change an input in place inside the block.
    """
    token = _CHECKED.set({})
    try:
        yield
    finally:
        _CHECKED.reset(token)


def _fresh(v: Any) -> Any:
    """``v`` with its numpy arrays copied in their memory layout (a tuple's too; sums stay bit-identical)."""
    if isinstance(v, np.ndarray):
        return v.copy(order="K")
    if isinstance(v, tuple):
        return tuple(_fresh(x) for x in v)
    return v


def _once(kind: str, objs: tuple[Any, ...], extra: Hashable, make: Callable[[], _V]) -> _V:
    """``make()``, or inside :func:`checked_once` the result of the same check (or metric) of the same objects.

    ``extra`` holds the other arguments by value (hashable); ``objs`` are compared by
    identity and kept alive in the memo, which :func:`checked_once` drops at its end.
    """
    memo = _CHECKED.get()
    if memo is None:
        return make()
    key = (kind, tuple(map(id, objs)), extra)
    hit = memo.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], objs, strict=True)):
        return _fresh(hit[1])
    out = make()
    memo[key] = (objs, _fresh(out))
    return out


# ----------------------------------------------------------------------------------------
# private helpers shared with polycentricity, integration and structure
# ----------------------------------------------------------------------------------------
def _show(ids: Iterable[Any]) -> str:
    ids = list(ids)
    head = ", ".join(repr(i.item() if isinstance(i, np.generic) else i) for i in ids[:_MAX_SHOWN])
    more = f" and {len(ids) - _MAX_SHOWN} more" if len(ids) > _MAX_SHOWN else ""
    return f"[{head}{more}]"


def _resolve(params: MetricParams | None, **overrides: Any) -> MetricParams:
    """Return ``params`` (or the defaults) with the non-``None`` overrides applied."""
    return resolve_params(MetricParams, params, **overrides)


def _square(M: pd.DataFrame, name: str, *, zero_diagonal: bool = True) -> pd.DataFrame:
    """Validate a labelled square matrix; return it with columns ordered like the index."""
    return _once("square", (M,), zero_diagonal, lambda: _square_checked(M, name, zero_diagonal=zero_diagonal))


def _square_checked(M: pd.DataFrame, name: str, *, zero_diagonal: bool) -> pd.DataFrame:
    if not isinstance(M, pd.DataFrame):
        msg = f"{name} must be a pandas DataFrame, got {type(M).__name__}"
        raise TypeError(msg)
    problems: list[str] = []
    if M.shape[0] != M.shape[1]:
        problems.append(f"not square ({M.shape[0]} rows x {M.shape[1]} columns)")
    if M.index.has_duplicates:
        problems.append(f"duplicate row ids {_show(M.index[M.index.duplicated()].unique())}")
    if M.columns.has_duplicates:
        problems.append(f"duplicate column ids {_show(M.columns[M.columns.duplicated()].unique())}")
    if not problems and not M.index.equals(M.columns):
        only_rows = M.index.difference(M.columns)
        only_cols = M.columns.difference(M.index)
        if len(only_rows) or len(only_cols):
            problems.append(
                f"row and column ids differ (only in rows: {_show(only_rows)}; only in columns: {_show(only_cols)})"
            )
        else:
            M = M.loc[:, M.index]
    if problems:
        raise DataError(f"{name}: " + "; ".join(problems))
    _check_values(M, name, zero_diagonal=zero_diagonal)
    return M


def _check_values(M: pd.DataFrame, name: str, *, zero_diagonal: bool) -> None:
    """Collect NaN, negative and non-zero-diagonal problems of a square matrix."""
    try:
        a = M.to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"{name}: values must be numeric ({exc})"
        raise DataError(msg) from None
    problems: list[str] = []
    nan = np.isnan(a)
    if nan.any():
        r, c = np.nonzero(nan)
        problems.append(
            f"{int(nan.sum())} NaN value(s), e.g. at "
            f"{_show(zip(M.index[r], M.columns[c], strict=True))} (use inf for unreachable)"
        )
    neg = a < 0
    if neg.any():
        r, c = np.nonzero(neg)
        problems.append(
            f"{int(neg.sum())} negative value(s), e.g. at {_show(zip(M.index[r], M.columns[c], strict=True))}"
        )
    diag = np.diag(a)
    if zero_diagonal and np.any(diag[~np.isnan(diag)] != 0):
        bad = M.index[(diag != 0) & ~np.isnan(diag)]
        problems.append(f"diagonal must be 0, non-zero for ids {_show(bad)}")
    if problems:
        raise DataError(f"{name}: " + "; ".join(problems))


def _od(T: pd.DataFrame, name: str = "T") -> tuple[pd.DataFrame, np.ndarray]:
    """Validate a travel-time matrix; return it (columns ordered) and its float values."""
    return _once("od", (T,), None, lambda: _od_checked(T, name))


def _od_checked(T: pd.DataFrame, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    T = _square(T, name)
    if T.shape[0] == 0:
        msg = f"{name} is empty"
        raise DataError(msg)
    return T, T.to_numpy(dtype=np.float64)


def _like(M: pd.DataFrame, T: pd.DataFrame, name: str) -> np.ndarray:
    """Validate a matrix that must carry the same ids as ``T``; return it in T's order."""
    return _once("like", (M, T), None, lambda: _like_checked(M, T, name))


def _like_checked(M: pd.DataFrame, T: pd.DataFrame, name: str) -> np.ndarray:
    M = _square(M, name)
    if not M.index.equals(T.index) and set(M.index) != set(T.index):
        msg = (
            f"{name} must have the ids of T: missing {_show(T.index.difference(M.index))}, "
            f"extra {_show(M.index.difference(T.index))}"
        )
        raise DataError(msg)
    same = M.index.equals(T.index)  # _square ordered the columns like the index
    a = (M if same else M.loc[T.index, T.index]).to_numpy(dtype=np.float64)
    if not np.isfinite(a).all():
        msg = f"{name}: values must be finite"
        raise DataError(msg)
    return a


def _align(s: pd.Series, index: pd.Index, name: str, *, allow_inf: bool = False) -> np.ndarray:
    """Align a per-zone Series on ``index``; extra ids are dropped, missing ids raise."""
    return _once("align", (s, index), allow_inf, lambda: _align_checked(s, index, name, allow_inf=allow_inf))


def _align_checked(s: pd.Series, index: pd.Index, name: str, *, allow_inf: bool) -> np.ndarray:
    if not isinstance(s, pd.Series):
        msg = f"{name} must be a pandas Series indexed by zone id, got {type(s).__name__}"
        raise TypeError(msg)
    if s.index.has_duplicates:
        msg = f"{name}: duplicate ids {_show(s.index[s.index.duplicated()].unique())}"
        raise DataError(msg)
    same = s.index.equals(index)
    missing = index[:0] if same else index.difference(s.index)
    if len(missing):
        msg = f"{name} has no value for ids {_show(missing)} of T"
        raise DataError(msg)
    try:
        v = (s if same else s.reindex(index)).to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"{name}: values must be numeric ({exc})"
        raise DataError(msg) from None
    problems = []
    if np.isnan(v).any():
        problems.append(f"NaN for ids {_show(index[np.isnan(v)])}")
    if (v < 0).any():
        problems.append(f"negative for ids {_show(index[v < 0])}")
    if not allow_inf and np.isinf(v).any():
        problems.append(f"infinite for ids {_show(index[np.isinf(v)])}")
    if problems:
        raise DataError(f"{name}: " + "; ".join(problems))
    return v


@lru_cache(maxsize=4)
def _offdiag(n: int) -> np.ndarray:
    """The ``n x n`` off-diagonal mask (read-only: one array per ``n``, shared)."""
    off = ~np.eye(n, dtype=bool)
    off.flags.writeable = False
    return off


def _positive_offdiag(t: np.ndarray, T: pd.DataFrame, what: str) -> None:
    """Raise unless every off-diagonal time ``t`` of ``T`` is positive (checked once per ``T`` in checked_once)."""
    _once("positive_offdiag", (T,), None, lambda: _positive_offdiag_checked(t, T, what))


def _positive_offdiag_checked(t: np.ndarray, T: pd.DataFrame, what: str) -> None:
    zero = (t == 0) & _offdiag(t.shape[0])
    if zero.any():
        r, c = np.nonzero(zero)
        msg = (
            f"T: {what} needs positive off-diagonal times; zero at {_show(zip(T.index[r], T.columns[c], strict=True))}"
        )
        raise DataError(msg)


def _inverse_times(t: np.ndarray) -> np.ndarray:
    """``1/T`` off the diagonal with ``1/inf = 0`` and 0 on the diagonal."""
    off = _offdiag(t.shape[0])
    safe = np.where(off, t, 1.0)
    return np.where(off, 1.0 / safe, 0.0)


def _inverse_of(T: pd.DataFrame, t: np.ndarray) -> np.ndarray:
    """:func:`_inverse_times` of ``t``, the values of ``T`` (as :func:`_od` returns them); once per ``T``."""
    return _once("inverse_times", (T,), None, lambda: _inverse_times(t))


@lru_cache(maxsize=4)
def _upper(n: int) -> np.ndarray:
    """The ``n x n`` mask of pairs ``i < j`` (read-only: one array per ``n``, shared)."""
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    upper.flags.writeable = False
    return upper


def _floats(s: pd.Series) -> np.ndarray | None:
    """The values of ``s`` as floats, ``None`` when some are not numbers."""
    try:
        return s.to_numpy(float)
    except (TypeError, ValueError):
        return None


def _positions(index: pd.Index) -> dict[Hashable, int] | None:
    """Label -> position of a unique integer index (``get_loc`` / ``get_indexer`` by dict); ``None`` otherwise."""
    if index.dtype.kind not in "iu" or not index.is_unique:
        return None
    return {z: i for i, z in enumerate(index)}


def _masses(
    population: pd.Series, values: np.ndarray | None, at: dict[Hashable, int] | None, ids: list[Hashable]
) -> np.ndarray:
    """``population.reindex(ids)`` as floats (``NaN`` where missing); ``values``, ``at``: its floats and positions."""
    if values is None or at is None:
        return population.reindex(ids).to_numpy(float)  # raises on duplicate labels
    pos = np.array([at.get(j, -1) for j in ids], dtype=np.intp)
    return np.where(pos >= 0, values[pos], np.nan)


def _ideal_times(d: np.ndarray, speed_kph: float) -> np.ndarray:
    """Straight-line times ``60 d / v`` in minutes."""
    return 60.0 * d / speed_kph


def _threshold(value: float, name: str = "threshold") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        msg = f"{name} must be a number of minutes, got {value!r}"
        raise TypeError(msg)
    if not np.isfinite(value) or value <= 0:
        msg = f"{name} must be a positive finite number of minutes, got {value!r}"
        raise ValueError(msg)
    return float(value)

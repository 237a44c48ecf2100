"""Inequality of a per-zone measure: Gini, coefficient of variation and Theil's T.

Use them on accessibility values (equity of access, a territorial-cohesion proxy) or on
centre sizes (morphological polycentricity, :mod:`yrdnet.metrics.polycentricity`). Every function
accepts a :class:`pandas.Series` (indexed by zone id) or a 1-D array-like; when both
``values`` and ``weights``/``groups`` are Series they are aligned on ``values.index``
(extra ids ignored, missing ids raise :class:`yrdnet.core.errors.DataError`).

Values must be finite and non-negative: replace unreachable (``inf``) accessibility before
calling (e.g. use potential accessibility, which is always finite). The functions are
pure and never mutate their input. Because masses are fixed across scenarios, a change in
the inequality of accessibility between scenarios is the network's doing alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError

__all__ = ["coefficient_of_variation", "gini", "theil", "theil_groups"]

ArrayLike: TypeAlias = pd.Series | np.ndarray | Sequence[float]


def _values(values: ArrayLike, name: str = "values") -> tuple[np.ndarray, pd.Index | None]:
    index = values.index if isinstance(values, pd.Series) else None
    try:
        v = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"{name} must be numeric ({exc})"
        raise DataError(msg) from None
    if v.ndim != 1:
        msg = f"{name} must be one-dimensional, got shape {v.shape}"
        raise DataError(msg)
    if v.size == 0:
        msg = f"{name} is empty"
        raise DataError(msg)
    bad = ~np.isfinite(v) | (v < 0)
    if bad.any():
        where = list(index[bad]) if index is not None else np.flatnonzero(bad).tolist()
        msg = f"{name} must be finite and >= 0; bad at {where[:8]}"
        raise DataError(msg)
    return v, index


def _companion(other: ArrayLike, index: pd.Index | None, n: int, name: str) -> np.ndarray:
    """Align ``weights`` or ``groups`` with ``values`` (by label when both are Series)."""
    if isinstance(other, pd.Series) and index is not None:
        if other.index.has_duplicates:
            msg = f"{name}: duplicate ids"
            raise DataError(msg)
        missing = index.difference(other.index)
        if len(missing):
            msg = f"{name} has no value for ids {list(missing[:8])}"
            raise DataError(msg)
        return other.reindex(index).to_numpy()
    arr = np.asarray(other)
    if arr.shape != (n,):
        msg = f"{name} must have one entry per value ({n}), got shape {arr.shape}"
        raise DataError(msg)
    return arr


def gini(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    r"""Gini coefficient, optionally weighted (e.g. by population).

    .. math:: G = \frac{\sum_i \sum_j w_i w_j |x_i - x_j|}{2 W^2 \mu_w}, \qquad
              W = \sum_i w_i,\; \mu_w = \sum_i w_i x_i / W

    With ``w_i = 1`` this is :math:`\sum_i\sum_j |x_i - x_j| / (2 N^2 \mu)`.

    Parameters
    ----------
    values
        Non-negative finite values ``x_i``.
    weights
        Non-negative weights ``w_i``; ``None`` = unweighted.

    Returns
    -------
    float
        In ``[0, 1 - 1/N]`` unweighted (0 = perfectly equal; one non-zero value gives the
        maximum ``1 - 1/N``). No small-sample correction ``N/(N-1)`` is applied.

    Raises
    ------
    DataError
        If a value or weight is negative, infinite or ``NaN``, or the (weighted) mean is 0.

    Notes
    -----
    Computed in :math:`O(N \log N)` from the sorted values:
    :math:`\sum_{i,j} w_i w_j |x_i - x_j| = 2 \sum_i w_i (x_i C_i - S_i)` with
    :math:`C_i, S_i` the cumulative weight and weighted sum of the smaller values.

    References
    ----------
    .. [1] Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Tipografia di Paolo
       Cuppini.
    .. [2] López, E., Gutiérrez, J. & Gómez, G. (2008). Measuring regional cohesion
       effects of large-scale transport infrastructure investments: an accessibility
       approach. *European Planning Studies*, 16(2), 277-301.
       https://doi.org/10.1080/09654310701814629

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4])  # 1 - 1/N
    0.75
    >>> round(gini([1, 2, 3]), 4)  # (2*1 + 2*2 + 2*1) / (2 * 9 * 2)
    0.2222
    """
    x, index = _values(values)
    w = np.ones_like(x) if weights is None else _values(_companion(weights, index, x.size, "weights"), "weights")[0]
    total_w = w.sum()
    if total_w <= 0:
        msg = "weights must not all be 0"
        raise DataError(msg)
    mean = (w * x).sum() / total_w
    if mean <= 0:
        msg = "Gini is undefined when the (weighted) mean is 0"
        raise DataError(msg)
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cum_w = np.cumsum(ws) - ws
    cum_s = np.cumsum(ws * xs) - ws * xs
    pair_sum = 2.0 * (ws * (xs * cum_w - cum_s)).sum()
    return float(max(pair_sum / (2.0 * total_w**2 * mean), 0.0))


def coefficient_of_variation(values: ArrayLike, *, ddof: int = 0) -> float:
    r"""Coefficient of variation, standard deviation over mean.

    .. math:: \mathrm{CV} = \sigma(x) / \mu(x), \qquad
              \sigma^2 = \frac{1}{N - \mathrm{ddof}} \sum_i (x_i - \mu)^2

    Parameters
    ----------
    values
        Non-negative finite values.
    ddof
        Delta degrees of freedom: 0 (default) = population SD, 1 = sample SD.

    Returns
    -------
    float
        Dimensionless, ``>= 0``; in ``[0, sqrt(N-1)]`` with ``ddof=0``.

    Raises
    ------
    DataError
        If the mean is 0 or fewer than ``ddof + 1`` values are given.

    Notes
    -----
    The usual dispersion index of accessibility in Chinese HSR studies; scale-free, so
    comparable across scenarios with the same masses.

    References
    ----------
    .. [1] Wang, L., Liu, Y., Mao, L. & Sun, C. (2018). Potential impacts of China 2030
       high-speed rail network on accessibility and its equity. *Sustainability*, 10(4),
       1270. https://doi.org/10.3390/su10041270

    Examples
    --------
    >>> coefficient_of_variation([2, 4])  # sd 1, mean 3
    0.3333333333333333
    """
    x, _ = _values(values)
    if x.size <= ddof:
        msg = f"coefficient of variation needs more than ddof={ddof} values, got {x.size}"
        raise DataError(msg)
    mean = x.mean()
    if mean <= 0:
        msg = "coefficient of variation is undefined when the mean is 0"
        raise DataError(msg)
    return float(x.std(ddof=ddof) / mean)


def _xlogx_mean(r: np.ndarray) -> float:
    """Mean of ``r ln r`` with ``0 ln 0 = 0``."""
    pos = r > 0
    return float(np.where(pos, r * np.log(np.where(pos, r, 1.0)), 0.0).mean())


def theil_groups(values: ArrayLike, groups: ArrayLike) -> pd.DataFrame:
    r"""Per-group terms of the Theil T decomposition.

    .. math:: s_g = \frac{N_g \mu_g}{N \mu}, \qquad
              T_W = \sum_g s_g T_g, \qquad T_B = \sum_g s_g \ln \frac{\mu_g}{\mu}

    Parameters
    ----------
    values
        Non-negative finite values.
    groups
        One group label per value (e.g. province or metropolitan area). Groups must
        partition the values: a city in two metropolitan areas must be assigned to one.

    Returns
    -------
    pandas.DataFrame
        Indexed by group (sorted), columns ``n``, ``mean``, ``share`` (``s_g``),
        ``theil`` (``T_g``, within the group), ``within`` (``s_g T_g``) and ``between``
        (``s_g ln(mu_g / mu)``); the last two columns sum to
        :func:`theil`'s ``within`` and ``between``.

    Raises
    ------
    DataError
        If a group label is missing or ``NaN``, or the overall mean is 0.

    Notes
    -----
    Groups whose mean is 0 have share 0 and contribute 0 (``0 ln 0 = 0``).

    References
    ----------
    .. [1] Theil, H. (1967). *Economics and Information Theory*. Amsterdam: North-Holland.
    .. [2] Shorrocks, A. F. (1980). The class of additively decomposable inequality
       measures. *Econometrica*, 48(3), 613-625. https://doi.org/10.2307/1913126

    Examples
    --------
    >>> parts = theil_groups([1, 1, 3, 3], ["a", "a", "b", "b"])
    >>> parts["share"].to_dict()  # 2*1 / (4*2), 2*3 / (4*2)
    {'a': 0.25, 'b': 0.75}
    """
    x, index = _values(values)
    g = _companion(groups, index, x.size, "groups")
    labels = pd.Series(g)
    if labels.isna().any():
        msg = "groups must not contain missing labels"
        raise DataError(msg)
    mean = x.mean()
    if mean <= 0:
        msg = "Theil index is undefined when the mean is 0"
        raise DataError(msg)
    codes, uniques = pd.factorize(labels, sort=True)
    k = len(uniques)
    n_g = np.bincount(codes, minlength=k).astype(np.float64)
    mean_g = np.bincount(codes, weights=x, minlength=k) / n_g
    share = n_g * mean_g / (x.size * mean)
    # T_g = mean over members of r ln r with r = x / mu_g (0 when mu_g = 0)
    r = np.divide(x, mean_g[codes], out=np.zeros_like(x), where=mean_g[codes] > 0)
    pos = r > 0
    rlogr = np.where(pos, r * np.log(np.where(pos, r, 1.0)), 0.0)
    theil_g = np.bincount(codes, weights=rlogr, minlength=k) / n_g
    pos_g = mean_g > 0
    between = np.where(pos_g, share * np.log(np.where(pos_g, mean_g, 1.0) / mean), 0.0)
    return pd.DataFrame(
        {
            "n": n_g.astype(np.int64),
            "mean": mean_g,
            "share": share,
            "theil": theil_g,
            "within": share * theil_g,
            "between": between,
        },
        index=pd.Index(uniques, name="group"),
    )


def theil(values: ArrayLike, groups: ArrayLike | None = None) -> pd.Series:
    r"""Theil's T index with its within/between-group decomposition.

    .. math:: T = \frac{1}{N} \sum_i \frac{x_i}{\mu} \ln \frac{x_i}{\mu}
              = \underbrace{\sum_g s_g T_g}_{\text{within}}
              + \underbrace{\sum_g s_g \ln \frac{\mu_g}{\mu}}_{\text{between}}

    Parameters
    ----------
    values
        Non-negative finite values.
    groups
        One group label per value (a partition, see :func:`theil_groups`); ``None`` =
        one group (``within = total``, ``between = 0``).

    Returns
    -------
    pandas.Series
        ``total``, ``within`` and ``between`` (``total = within + between``), named
        ``"theil"``; ``total`` is in ``[0, ln N]`` (0 = equal, ``ln N`` = one non-zero
        value).

    Raises
    ------
    DataError
        If the mean is 0, a value is negative or non-finite, or a group label is missing.

    Notes
    -----
    ``0 ln 0 = 0``. Liu, Wan & Zhang (2020) decompose HSR centrality this way between
    regions; in yrdnet use provinces or a partition of the metropolitan areas.

    References
    ----------
    .. [1] Theil, H. (1967). *Economics and Information Theory*. Amsterdam: North-Holland.
    .. [2] Liu, S., Wan, Y. & Zhang, A. (2020). Does China's high-speed rail development
       lead to regional disparities? A network perspective. *Transportation Research Part
       A*, 138, 299-321. https://doi.org/10.1016/j.tra.2020.06.010

    Examples
    --------
    >>> theil([1, 1, 3, 3], ["a", "a", "b", "b"]).round(4).tolist()
    [0.1308, 0.0, 0.1308]
    """
    x, _ = _values(values)
    mean = x.mean()
    if mean <= 0:
        msg = "Theil index is undefined when the mean is 0"
        raise DataError(msg)
    total = _xlogx_mean(x / mean)
    if groups is None:
        within, between = total, 0.0
    else:
        parts = theil_groups(values, groups)
        within, between = float(parts["within"].sum()), float(parts["between"].sum())
    return pd.Series({"total": total, "within": within, "between": between}, name="theil", dtype=float)

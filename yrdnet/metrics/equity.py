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

__all__ = ["coefficient_of_variation", "gini", "split_memberships", "theil", "theil_groups"]

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


def _weights(weights: ArrayLike | None, index: pd.Index | None, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    w = _values(_companion(weights, index, n, "weights"), "weights")[0]
    if w.sum() <= 0:
        msg = "weights must not all be 0"
        raise DataError(msg)
    return w


def _weighted_mean(x: np.ndarray, w: np.ndarray) -> float:
    mean = float((w * x).sum() / w.sum())
    if mean <= 0:
        msg = "Theil index is undefined when the (weighted) mean is 0"
        raise DataError(msg)
    return mean


def split_memberships(
    values: pd.Series, weights: pd.Series, memberships: pd.Series, *, sep: str = ";", outside: str = "outside"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One observation per (zone, group) with the zone's weight split evenly over its groups.

    The explicit rule for overlapping groups (a county in two metropolitan areas): a zone
    in *k* groups counts ``1/k`` of its weight (its people) in each; a zone in none is in
    ``outside``. Each zone's total weight is kept, so the weighted distribution of
    ``values`` is unchanged: :func:`theil` of the result equals :func:`theil` of the
    zones, and its within/between parts decompose it over the groups.

    Parameters
    ----------
    values, weights
        Per zone (Series indexed by zone id); ``weights`` aligned by id.
    memberships
        Per zone, the group labels joined by ``sep`` (``"nanjing;hefei"``; empty = none).

    Returns
    -------
    tuple of numpy.ndarray
        ``values``, ``weights`` and ``groups`` of the observations, sorted by (zone, group),
        so the result never depends on the order of rows or of labels.
    """
    ids = sorted(values.index)
    w = _companion(weights, pd.Index(ids), len(ids), "weights")
    m = _companion(memberships, pd.Index(ids), len(ids), "memberships")
    xs, ws, gs = [], [], []
    for zid, wi, labels in zip(ids, w, m, strict=True):
        groups = sorted({g.strip() for g in str(labels if isinstance(labels, str) else "").split(sep) if g.strip()})
        groups = groups or [outside]
        for g in groups:
            xs.append(float(values[zid]))
            ws.append(float(wi) / len(groups))
            gs.append(g)
    return np.asarray(xs), np.asarray(ws), np.asarray(gs, dtype=object)


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
    .. [3] Delbosc, A. & Currie, G. (2011). Using Lorenz curves to assess public transport
       equity. *Journal of Transport Geography*, 19(6), 1252-1259.
       https://doi.org/10.1016/j.jtrangeo.2011.02.008 (weights by population: equity
       among people, not zones)

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


def theil_groups(values: ArrayLike, groups: ArrayLike, weights: ArrayLike | None = None) -> pd.DataFrame:
    r"""Per-group terms of the Theil T decomposition.

    .. math:: s_g = \frac{W_g \mu_g}{W \mu}, \qquad
              T_W = \sum_g s_g T_g, \qquad T_B = \sum_g s_g \ln \frac{\mu_g}{\mu}

    with :math:`W_g` the weight of group *g* (its count, unweighted), :math:`\mu_g` its
    weighted mean and :math:`T_g` its weighted Theil T (see :func:`theil`).

    Parameters
    ----------
    values
        Non-negative finite values.
    groups
        One group label per value (e.g. province or metropolitan area). Groups must
        partition the values; for overlapping groups (a zone in two metropolitan areas)
        split each zone's weight over its groups first (:func:`split_memberships`).
    weights
        Non-negative weights (e.g. population: inequality among people); ``None`` = 1 each.

    Returns
    -------
    pandas.DataFrame
        Indexed by group (sorted), columns ``n`` (values), ``weight`` (``W_g``), ``mean``, ``share`` (``s_g``),
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
    w = _weights(weights, index, x.size)
    labels = pd.Series(g)
    if labels.isna().any():
        msg = "groups must not contain missing labels"
        raise DataError(msg)
    mean = _weighted_mean(x, w)
    codes, uniques = pd.factorize(labels, sort=True)
    k = len(uniques)
    n_g = np.bincount(codes, minlength=k)
    w_g = np.bincount(codes, weights=w, minlength=k)
    mean_g = np.divide(np.bincount(codes, weights=w * x, minlength=k), w_g, out=np.zeros(k), where=w_g > 0)
    share = w_g * mean_g / (w.sum() * mean)
    # T_g = weighted mean over members of r ln r with r = x / mu_g (0 when mu_g = 0)
    r = np.divide(x, mean_g[codes], out=np.zeros_like(x), where=mean_g[codes] > 0)
    pos = r > 0
    rlogr = np.where(pos, r * np.log(np.where(pos, r, 1.0)), 0.0)
    theil_g = np.divide(np.bincount(codes, weights=w * rlogr, minlength=k), w_g, out=np.zeros(k), where=w_g > 0)
    pos_g = mean_g > 0
    between = np.where(pos_g, share * np.log(np.where(pos_g, mean_g, 1.0) / mean), 0.0)
    return pd.DataFrame(
        {
            "n": n_g.astype(np.int64),
            "weight": w_g,
            "mean": mean_g,
            "share": share,
            "theil": theil_g,
            "within": share * theil_g,
            "between": between,
        },
        index=pd.Index(uniques, name="group"),
    )


def theil(values: ArrayLike, groups: ArrayLike | None = None, weights: ArrayLike | None = None) -> pd.Series:
    r"""Theil's T index with its within/between-group decomposition.

    .. math:: T = \sum_i p_i \frac{x_i}{\mu} \ln \frac{x_i}{\mu}
              = \underbrace{\sum_g s_g T_g}_{\text{within}}
              + \underbrace{\sum_g s_g \ln \frac{\mu_g}{\mu}}_{\text{between}},
              \qquad p_i = \frac{w_i}{\sum_j w_j},\; \mu = \sum_i p_i x_i

    Unweighted, :math:`p_i = 1/N`. Weighted by population, it is the Theil index over
    people (each person carries the value of their zone).

    Parameters
    ----------
    values
        Non-negative finite values.
    groups
        One group label per value (a partition, see :func:`theil_groups`); ``None`` =
        one group (``within = total``, ``between = 0``).
    weights
        Non-negative weights, e.g. population; ``None`` = 1 each.

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
    .. [3] Lucas, K., van Wee, B. & Maat, K. (2016). A method to evaluate equitable
       accessibility: combining ethical theories and accessibility-based approaches.
       *Transportation*, 43(3), 473-490. https://doi.org/10.1007/s11116-015-9585-2

    Examples
    --------
    >>> theil([1, 1, 3, 3], ["a", "a", "b", "b"]).round(4).tolist()
    [0.1308, 0.0, 0.1308]
    >>> theil([1, 3], weights=[2, 2]).round(4).tolist() == theil([1, 1, 3, 3]).round(4).tolist()
    True
    """
    x, index = _values(values)
    w = _weights(weights, index, x.size)
    mean = _weighted_mean(x, w)
    r = x / mean
    pos = r > 0
    total = float((w * np.where(pos, r * np.log(np.where(pos, r, 1.0)), 0.0)).sum() / w.sum())
    if groups is None:
        within, between = total, 0.0
    else:
        parts = theil_groups(values, groups, weights)
        within, between = float(parts["within"].sum()), float(parts["between"].sum())
    return pd.Series({"total": total, "within": within, "between": between}, name="theil", dtype=float)

"""Morphological and (potential) functional polycentricity of a set of centres.

The functional indices live in :mod:`yrdnet.metrics.functional` and are re-exported here.

Morphological indices (:func:`rank_size_slope`, :func:`primacy`, :func:`hhi`,
:func:`entropy`, :func:`stepwise_curve`, :func:`urban_centrality_index`, and
:func:`yrdnet.metrics.equity.gini`) take a ``sizes`` Series — population, GDP, or, for
*accessibility-based* polycentricity, potential accessibility or betweenness of the
centres (the six metropolitan cores or the top-n YRD cities) — indexed by zone id.
A 1-D array-like is accepted too (labelled 0..N-1). Sizes must be finite and ``>= 0``
with a positive total. Centres are ranked largest first; ties are broken by label so
results do not depend on input order.

Functional indices (:func:`green_index`) need a flow matrix. yrdnet has no observed
flows, so :func:`gravity_flows` models them from the travel-time matrix ``T`` and fixed
masses: the result is **potential functional polycentricity** — what the infrastructure
*enables*, a deterministic transform of the masses and travel times, not observed
integration. Always report it with its decay sensitivity (:func:`functional_sensitivity`).

``T`` follows the conventions of :mod:`yrdnet.metrics.accessibility` (square, labelled, minutes,
zero diagonal, ``inf`` unreachable). Masses are fixed across scenarios, so a scenario's
change in any index computed from ``T`` is the network's doing alone. Self-pairs
(intrazonal flows) are excluded throughout.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Hashable, Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams
from yrdnet.metrics.functional import (
    GreenIndex,
    core_subcentre_linkage,
    functional_sensitivity,
    gravity_flows,
    green_index,
)
from yrdnet.metrics.inputs import _align, _resolve, _show, _square

__all__ = [
    "UCI",
    "GreenIndex",
    "RankSizeFit",
    "core_subcentre_linkage",
    "entropy",
    "functional_sensitivity",
    "gravity_flows",
    "green_index",
    "hhi",
    "primacy",
    "rank_size_slope",
    "stepwise_curve",
    "urban_centrality_index",
]

logger = logging.getLogger(__name__)

STEPWISE_INDICES = ("rank_size_slope", "entropy", "hhi", "gini", "cv")


class RankSizeFit(NamedTuple):
    """OLS fit of ``ln M_r = intercept - slope * ln r`` on the ``n`` largest centres."""

    slope: float
    r2: float
    intercept: float
    n: int


class UCI(NamedTuple):
    """Urban Centrality Index and its parts (Pereira et al. 2013)."""

    uci: float
    location_coefficient: float
    proximity_index: float
    venables: float
    venables_max: float


# ----------------------------------------------------------------------------------------
# morphological
# ----------------------------------------------------------------------------------------
def _sizes(sizes: pd.Series | Sequence[float] | np.ndarray) -> pd.Series:
    """Validate sizes; return them sorted largest first (ties by label), as float."""
    s = sizes if isinstance(sizes, pd.Series) else pd.Series(np.asarray(sizes))
    if s.index.has_duplicates:
        msg = f"sizes: duplicate ids {_show(s.index[s.index.duplicated()].unique())}"
        raise DataError(msg)
    try:
        v = s.to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"sizes must be numeric ({exc})"
        raise DataError(msg) from None
    if v.ndim != 1 or v.size == 0:
        msg = "sizes must be a non-empty one-dimensional Series or array"
        raise DataError(msg)
    bad = ~np.isfinite(v) | (v < 0)
    if bad.any():
        msg = f"sizes must be finite and >= 0; bad for ids {_show(s.index[bad])}"
        raise DataError(msg)
    if v.sum() <= 0:
        msg = "sizes must have a positive total"
        raise DataError(msg)
    if s.index.dtype.kind in "iu":  # integer ids: the same order in one lexsort (size down, then id up)
        order = np.lexsort((s.index.to_numpy(), -v))
        return pd.Series(v[order], index=s.index[order], name=s.name)
    s = pd.Series(v, index=s.index, name=s.name)
    with contextlib.suppress(TypeError):  # unorderable mixed labels: input order for ties
        s = s.sort_index()
    return s.sort_values(ascending=False, kind="stable")


def rank_size_slope(
    sizes: pd.Series | Sequence[float] | np.ndarray,
    top_n: int | None = None,
    *,
    params: MetricParams | None = None,
) -> RankSizeFit:
    r"""Rank-size (Zipf) slope of the largest centres, by OLS.

    .. math:: \ln M_r = C - q \ln r, \qquad r = 1, \dots, n

    Parameters
    ----------
    sizes
        Size of each centre (``> 0`` for the ``n`` largest).
    top_n
        Number of largest centres in the fit (Meijers & Burger use 2, 3 and 4). Default
        ``params.top_n``; if fewer centres are given, all are used (``RankSizeFit.n``
        says how many).
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    RankSizeFit
        ``slope`` ``q >= 0`` (0 = equal-sized centres, most polycentric; 1 = Zipf;
        larger = more monocentric), ``r2`` of the fit (1 when all sizes are equal, a
        perfect horizontal fit), ``intercept`` ``C`` and ``n``.

    Raises
    ------
    DataError
        If fewer than 2 centres are given or one of the ``n`` largest is 0.

    Notes
    -----
    Ranks are 1..n in descending size; tied sizes take consecutive ranks (the fit does
    not depend on how ties are ordered). ``q >= 0`` always holds for sorted sizes. The
    index is highly sensitive to ``n`` in the YRD [3]_: report :func:`stepwise_curve`.

    References
    ----------
    .. [1] Meijers, E. J. & Burger, M. J. (2010). Spatial structure and productivity in US
       metropolitan areas. *Environment and Planning A*, 42(6), 1383-1402.
       https://doi.org/10.1068/a42151
    .. [2] Liu, X., Derudder, B. & Wu, K. (2016). Measuring polycentric urban development
       in China: an intercity transportation network perspective. *Regional Studies*,
       50(8), 1302-1315. https://doi.org/10.1080/00343404.2015.1004535
    .. [3] Stepwise polycentricity, *Urban Studies* (2019).
       https://doi.org/10.1177/0042098019843061

    Examples
    --------
    >>> fit = rank_size_slope([100, 50, 25], top_n=3)  # ln M = ln 100 - q ln r
    >>> round(fit.slope, 4), round(fit.r2, 4)
    (1.2337, 0.9777)
    >>> rank_size_slope([10, 10, 10]).slope
    0.0
    """
    p = _resolve(params, top_n=top_n)
    s = _sizes(sizes)
    if len(s) < 2:
        msg = f"rank-size slope needs at least 2 centres, got {len(s)}"
        raise DataError(msg)
    n = min(p.top_n, len(s))
    top = s.to_numpy()[:n]
    if (top <= 0).any():
        msg = f"rank-size slope needs sizes > 0 among the {n} largest centres"
        raise DataError(msg)
    x = np.log(np.arange(1, n + 1, dtype=np.float64))
    y = np.log(top)
    xc, yc = x - x.mean(), y - y.mean()
    b = float((xc * yc).sum() / (xc * xc).sum())
    q = max(-b, 0.0) + 0.0  # no negative zero
    ss_tot = float((yc * yc).sum())
    resid = yc - b * xc
    r2 = 1.0 if ss_tot == 0 else float(1.0 - (resid * resid).sum() / ss_tot)
    return RankSizeFit(slope=q, r2=r2, intercept=float(y.mean() + q * x.mean()), n=n)


def primacy(sizes: pd.Series | Sequence[float] | np.ndarray) -> pd.Series:
    r"""Primacy indices S2, S4 and S11 (首位度) of the largest centre.

    .. math:: S_2 = \frac{M_1}{M_2}, \quad S_4 = \frac{M_1}{M_2 + M_3 + M_4}, \quad
              S_{11} = \frac{2 M_1}{M_2 + \dots + M_{11}}

    Parameters
    ----------
    sizes
        Size of each centre.

    Returns
    -------
    pandas.Series
        ``s2``, ``s4``, ``s11`` named ``"primacy"``; ``NaN`` when fewer than 2, 4 or 11
        centres are given, ``inf`` when the denominator is 0. Ideal Zipf values are 2,
        0.923 and 0.990.

    Notes
    -----
    Higher = more dominated by the first centre. Sizes are ranked largest first.

    References
    ----------
    .. [1] Jefferson, M. (1939). The law of the primate city. *Geographical Review*,
       29(2), 226-232. https://doi.org/10.2307/209944

    Examples
    --------
    >>> primacy([100, 50, 30, 20]).tolist()
    [2.0, 1.0, nan]
    """
    v = _sizes(sizes).to_numpy()

    def ratio(num: float, den: np.ndarray, need: int) -> float:
        if v.size < need:
            return math.nan
        total = float(den.sum())
        return math.inf if total == 0 else num / total

    return pd.Series(
        {
            "s2": ratio(v[0], v[1:2], 2),
            "s4": ratio(v[0], v[1:4], 4),
            "s11": ratio(2.0 * v[0], v[1:11], 11),
        },
        name="primacy",
        dtype=float,
    )


def hhi(sizes: pd.Series | Sequence[float] | np.ndarray, *, normalised: bool = True) -> float:
    r"""Herfindahl-Hirschman concentration index of the centres' shares.

    .. math:: H = \sum_i s_i^2, \quad s_i = M_i / \textstyle\sum_k M_k, \qquad
              H^* = \frac{H - 1/N}{1 - 1/N}

    Parameters
    ----------
    sizes
        Size of each centre.
    normalised
        Return ``H*`` in ``[0, 1]`` (0 = equal shares, 1 = one centre holds everything)
        instead of ``H`` in ``[1/N, 1]``.

    Returns
    -------
    float
        Concentration (higher = more monocentric).

    Raises
    ------
    DataError
        If ``normalised`` and fewer than 2 centres are given.

    Notes
    -----
    ``1 - H*`` is a polycentricity score in ``[0, 1]``.

    References
    ----------
    .. [1] Hirschman, A. O. (1964). The paternity of an index. *American Economic Review*,
       54(5), 761.

    Examples
    --------
    >>> hhi([1, 1, 1, 1])
    0.0
    >>> hhi([3, 1], normalised=False)  # 0.75**2 + 0.25**2
    0.625
    """
    v = _sizes(sizes).to_numpy()
    shares = v / v.sum()
    h = float((shares * shares).sum())
    if not normalised:
        return h
    n = v.size
    if n < 2:
        msg = "normalised HHI needs at least 2 centres"
        raise DataError(msg)
    return float(np.clip((h - 1.0 / n) / (1.0 - 1.0 / n), 0.0, 1.0)) + 0.0


def entropy(sizes: pd.Series | Sequence[float] | np.ndarray, *, normalised: bool = True) -> float:
    r"""Shannon entropy of the centres' shares.

    .. math:: E = -\sum_i s_i \ln s_i, \qquad E^* = E / \ln N

    Parameters
    ----------
    sizes
        Size of each centre.
    normalised
        Return ``E*`` in ``[0, 1]`` (1 = perfectly even, 0 = one centre) instead of ``E``
        in nats (``[0, ln N]``).

    Returns
    -------
    float
        Evenness (higher = more polycentric).

    Raises
    ------
    DataError
        If ``normalised`` and fewer than 2 centres are given.

    Notes
    -----
    ``0 ln 0 = 0``: centres of size 0 lower ``E*`` through ``N`` only.

    References
    ----------
    .. [1] Shannon, C. E. (1948). A mathematical theory of communication. *Bell System
       Technical Journal*, 27(3), 379-423.
       https://doi.org/10.1002/j.1538-7305.1948.tb01338.x

    Examples
    --------
    >>> round(entropy([5, 5, 5]), 12)
    1.0
    >>> entropy([1, 0, 0])
    0.0
    """
    v = _sizes(sizes).to_numpy()
    shares = v / v.sum()
    pos = shares > 0
    e = float(-(shares[pos] * np.log(shares[pos])).sum())
    if not normalised:
        return max(e, 0.0) + 0.0
    if v.size < 2:
        msg = "normalised entropy needs at least 2 centres"
        raise DataError(msg)
    return float(np.clip(e / math.log(v.size), 0.0, 1.0)) + 0.0


def stepwise_curve(
    sizes: pd.Series | Sequence[float] | np.ndarray,
    indices: Iterable[str] = ("rank_size_slope", "entropy", "hhi", "gini"),
) -> pd.DataFrame:
    r"""Polycentricity indices recomputed as centres are added one by one, largest first.

    .. math:: I(n) = I(M_1, \dots, M_n), \qquad n = 2, \dots, N

    Parameters
    ----------
    sizes
        Size of each centre.
    indices
        Any of ``"rank_size_slope"`` (``q`` of :func:`rank_size_slope` on all ``n``),
        ``"entropy"`` (normalised), ``"hhi"`` (normalised), ``"gini"`` and ``"cv"``
        (population SD).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``n`` (2..N), columns ``centre`` (id of the n-th centre), ``size`` and
        one column per index. ``rank_size_slope`` is ``NaN`` once a zero size is included.

    Raises
    ------
    ValueError
        If an index name is unknown.
    DataError
        If fewer than 2 centres are given.

    Notes
    -----
    Vectorised with cumulative sums over the sorted sizes; each row equals the single-index
    function applied to the ``n`` largest centres. The YRD's polycentricity is "highly
    sensitive to the choice of the number of cities" [1]_: report the curve, not one ``n``.

    References
    ----------
    .. [1] Stepwise polycentricity, *Urban Studies* (2019).
       https://doi.org/10.1177/0042098019843061

    Examples
    --------
    >>> curve = stepwise_curve([4, 4, 2], indices=["entropy", "gini"])
    >>> curve[["entropy", "gini"]].round(4).values.tolist()
    [[1.0, 0.0], [0.9602, 0.1333]]
    """
    wanted = list(indices)
    unknown = [i for i in wanted if i not in STEPWISE_INDICES]
    if unknown:
        msg = f"unknown stepwise indices {unknown}; choose from {list(STEPWISE_INDICES)}"
        raise ValueError(msg)
    s = _sizes(sizes)
    x = s.to_numpy()
    n_all = x.size
    if n_all < 2:
        msg = f"stepwise curve needs at least 2 centres, got {n_all}"
        raise DataError(msg)
    n = np.arange(1, n_all + 1, dtype=np.float64)
    cum = np.cumsum(x)
    cols: dict[str, np.ndarray] = {}
    if "rank_size_slope" in wanted:
        with np.errstate(divide="ignore", invalid="ignore"):
            lx = np.log(n)
            ly = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
            sx, sy = np.cumsum(lx), np.cumsum(ly)
            sxx, sxy = np.cumsum(lx * lx), np.cumsum(lx * ly)
            var = sxx - sx * sx / n
            cov = sxy - sx * sy / n
            slope = np.where(var > 0, -cov / np.where(var > 0, var, 1.0), np.nan)
        cols["rank_size_slope"] = np.maximum(slope, 0.0)
    if "entropy" in wanted:
        xlogx = np.cumsum(np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0))
        e = np.log(cum) - xlogx / cum
        with np.errstate(divide="ignore", invalid="ignore"):
            cols["entropy"] = np.clip(e / np.log(n), 0.0, 1.0)
    if "hhi" in wanted:
        h = np.cumsum(x * x) / (cum * cum)
        with np.errstate(divide="ignore", invalid="ignore"):
            cols["hhi"] = np.clip((h - 1.0 / n) / (1.0 - 1.0 / n), 0.0, 1.0)
    if "gini" in wanted:
        # x descending: sum_{i<j<=n} (x_i - x_j) = cumsum(S_{j-1} - (j-1) x_j)
        pair = np.cumsum((cum - x) - (n - 1.0) * x)
        cols["gini"] = np.maximum(pair / (n * cum), 0.0)
    if "cv" in wanted:
        mean = cum / n
        var = np.maximum(np.cumsum(x * x) / n - mean * mean, 0.0)
        cols["cv"] = np.sqrt(var) / mean
    out = pd.DataFrame(
        {"centre": s.index, "size": x, **{k: cols[k] for k in wanted}},
        index=pd.Index(n.astype(np.int64), name="n"),
    )
    return out.iloc[1:]


def urban_centrality_index(
    sizes: pd.Series,
    D: pd.DataFrame,
    *,
    self_distance: float | pd.Series | None = None,
    border: Iterable[Hashable] | None = None,
) -> UCI:
    r"""Urban Centrality Index (Pereira et al. 2013), here on travel times between centres.

    .. math:: \mathrm{LC} = \tfrac12 \sum_i |s_i - 1/N|, \quad V = s^\top D s, \quad
              \mathrm{PI} = 1 - \frac{V}{\max(V, V_{\max})}, \quad
              \mathrm{UCI} = \mathrm{LC} \cdot \mathrm{PI}

    Parameters
    ----------
    sizes
        Size of each centre, indexed by id (all ids must be in ``D``).
    D
        Separation matrix with the ids of ``sizes`` (a larger matrix such as the whole
        ``T`` is fine): geodesic km as in the original, or travel time (minutes).
    self_distance
        Self-separation ``D_ii`` (one number or a Series per id; Pereira et al. use
        ``sqrt(area / pi)``). Default 0.
    border
        Ids over which activity is spread evenly to obtain ``V_max`` (Pereira et al.'s
        heuristic: the units on the study area's boundary). Default all centres in
        ``sizes``.

    Returns
    -------
    UCI
        ``uci`` in ``[0, 1 - 1/N]`` (0 = polycentric, towards 1 = monocentric), the
        location coefficient, the proximity index, ``V`` and ``V_max``.

    Raises
    ------
    DataError
        If ids are missing from ``D``, ``D`` holds ``inf`` among the centres, or fewer
        than 2 border ids are given.

    Notes
    -----
    The UCI was designed for grid cells inside one city with Euclidean distances. Using
    door-to-door travel time ``T`` between the YRD's cities is a **non-standard
    extension**: it measures how close (in time) the activity is concentrated, so a
    faster network lowers ``V`` for every distribution. ``T`` is symmetrised implicitly by
    the quadratic form. ``PI`` is capped at ``[0, 1]`` as in the ``uci`` package.

    References
    ----------
    .. [1] Pereira, R. H. M., Nadalin, V., Monasterio, L. & Albuquerque, P. H. M. (2013).
       Urban centrality: a simple index. *Geographical Analysis*, 45(1), 77-89.
       https://doi.org/10.1111/gean.12002
    .. [2] Midelfart-Knarvik, K. H., Overman, H. G., Redding, S. J. & Venables, A. J.
       (2000). The location of European industry. European Commission, Economic Papers 142.

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 330100]
    >>> D = pd.DataFrame([[0, 60, 60], [60, 0, 60], [60, 60, 0]], ids, ids, dtype=float)
    >>> urban_centrality_index(pd.Series([1.0, 0, 0], ids), D).uci  # LC 2/3, PI 1
    0.6666666666666666
    >>> urban_centrality_index(pd.Series([1.0, 1, 1], ids), D).uci
    0.0
    """
    if not isinstance(sizes, pd.Series):
        msg = f"sizes must be a pandas Series indexed by id, got {type(sizes).__name__}"
        raise TypeError(msg)
    s = _sizes(sizes)
    Dm = _square(D, "D")
    missing = s.index.difference(Dm.index)
    if len(missing):
        msg = f"D has no row/column for ids {_show(missing)}"
        raise DataError(msg)
    ids = s.index
    d = Dm.loc[ids, ids].to_numpy(dtype=np.float64)
    if not np.isfinite(d).all():
        bad = ~np.isfinite(d)
        cut = ids[(bad.sum(axis=0) + bad.sum(axis=1)) > 0]
        msg = (
            f"D: separations between the centres must be finite; {int(bad.sum())} pair(s) are unreachable, "
            f"involving {_show(cut)} (use a mode that reaches them, or drop those zones)"
        )
        raise DataError(msg)
    if self_distance is not None:
        if isinstance(self_distance, pd.Series):
            dii = _align(self_distance, ids, "self_distance")
        else:
            dii = np.full(len(ids), float(self_distance))
            if not np.isfinite(dii).all() or (dii < 0).any():
                msg = f"self_distance must be finite and >= 0, got {self_distance!r}"
                raise ValueError(msg)
        d = d.copy()
        np.fill_diagonal(d, dii)
    b_ids = ids if border is None else pd.Index(list(border))
    bad = b_ids.difference(ids)
    if len(bad):
        msg = f"border ids are not centres: {_show(bad)}"
        raise DataError(msg)
    if len(b_ids) < 2:
        msg = "border needs at least 2 ids"
        raise DataError(msg)
    share = s.to_numpy() / s.sum()
    n = share.size
    lc = 0.5 * float(np.abs(share - 1.0 / n).sum())
    v = float(share @ d @ share)
    b_pos = ids.get_indexer(b_ids)
    v_max = float(d[np.ix_(b_pos, b_pos)].mean())
    top = max(v, v_max)
    if top <= 0:
        msg = "D is zero between all centres; the UCI is undefined"
        raise DataError(msg)
    pi = 1.0 - v / top
    return UCI(uci=lc * pi, location_coefficient=lc, proximity_index=pi, venables=v, venables_max=v_max)

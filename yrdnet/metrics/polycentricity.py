"""Morphological and (potential) functional polycentricity of a set of centres.

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
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams
from yrdnet.metrics.inputs import _align, _od, _resolve, _show, _square

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


class GreenIndex(NamedTuple):
    """Green's functional polycentricity ``p_f = (1 - nodal_sd / nodal_sd_max) * density``."""

    p_f: float
    nodal_sd: float
    nodal_sd_max: float
    density: float


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


# ----------------------------------------------------------------------------------------
# functional (modelled flows)
# ----------------------------------------------------------------------------------------
def gravity_flows(
    T: pd.DataFrame,
    mass_o: pd.Series,
    mass_d: pd.Series | None = None,
    *,
    beta: float | None = None,
    model: Literal["gravity", "doubly_constrained"] = "gravity",
    tol: float = 1e-9,
    max_iter: int = 10_000,
    params: MetricParams | None = None,
) -> pd.DataFrame:
    r"""Model inter-city flows from travel times: unconstrained gravity or doubly constrained.

    .. math:: \text{gravity: } F_{ij} = O_i D_j e^{-\beta T_{ij}}, \qquad
              \text{doubly constrained: } F_{ij} = A_i O_i B_j D_j e^{-\beta T_{ij}},

    .. math:: A_i = \Big(\sum_j B_j D_j e^{-\beta T_{ij}}\Big)^{-1}, \quad
              B_j = \Big(\sum_i A_i O_i e^{-\beta T_{ij}}\Big)^{-1}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    mass_o
        Origin masses ``O_i`` (trip generation), indexed by zone id.
    mass_d
        Destination masses ``D_j``. Default ``mass_o``.
    beta
        Decay per minute. Default ``params.flow_beta`` (half-life 60 min).
    model
        ``"gravity"`` (scale ``k = 1``; flows grow when the network improves) or
        ``"doubly_constrained"`` (Wilson 1970: row sums equal ``O`` and column sums equal
        ``D``, so a scenario *redistributes* a fixed total).
    tol
        Balancing stops when every row sum is within ``tol * sum(O)`` of ``O_i``.
    max_iter
        Maximum balancing iterations.
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.DataFrame
        Flows labelled like ``T``, zero diagonal; units ``O*D`` (gravity) or those of
        ``O`` (doubly constrained).

    Raises
    ------
    DataError
        If ``sum(O) != sum(D)`` for the doubly constrained model, a zone with positive
        mass can reach no other zone, or balancing does not converge (the margins are
        infeasible without intrazonal flows, e.g. one zone generating more trips than all
        others can attract).

    Notes
    -----
    Intrazonal flows are excluded (``F_ii = 0``); unreachable pairs get ``e^{-inf} = 0``.
    ``k`` is immaterial for :func:`green_index`, which is scale-free.

    References
    ----------
    .. [1] Wilson, A. G. (1970). *Entropy in Urban and Regional Modelling*. London: Pion.
    .. [2] Wilson, A. G. (1971). A family of spatial interaction models, and associated
       developments. *Environment and Planning A*, 3(1), 1-32.
       https://doi.org/10.1068/a030001

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 330100]
    >>> T = pd.DataFrame([[0, 60, 60], [60, 0, 60], [60, 60, 0]], ids, ids, dtype=float)
    >>> m = pd.Series([2.0, 2, 2], ids)
    >>> F = gravity_flows(T, m, model="doubly_constrained")
    >>> F.sum(axis=1).round(6).tolist()
    [2.0, 2.0, 2.0]
    """
    if model not in ("gravity", "doubly_constrained"):
        msg = f"model must be 'gravity' or 'doubly_constrained', got {model!r}"
        raise ValueError(msg)
    p = _resolve(params, flow_beta=beta)
    T, t = _od(T)
    o = _align(mass_o, T.index, "mass_o")
    dm = o if mass_d is None else _align(mass_d, T.index, "mass_d")
    f = np.exp(-p.flow_beta * t)
    np.fill_diagonal(f, 0.0)
    if model == "gravity":
        return pd.DataFrame(o[:, None] * f * dm[None, :], index=T.index, columns=T.index)
    total = o.sum()
    if total <= 0 or not math.isclose(total, dm.sum(), rel_tol=1e-9):
        msg = f"doubly constrained: sum(mass_o)={total:g} must equal sum(mass_d)={dm.sum():g} > 0"
        raise DataError(msg)
    isolated = ((o > 0) & (f @ (dm > 0) == 0)) | ((dm > 0) & (f.T @ (o > 0) == 0))
    if isolated.any():
        msg = f"doubly constrained: zones reach no other zone with mass: {_show(T.index[isolated])}"
        raise DataError(msg)
    b = np.ones_like(o)
    err = math.inf
    for _ in range(max_iter):
        den_a = f @ (b * dm)
        a = np.divide(1.0, den_a, out=np.zeros_like(den_a), where=den_a > 0)
        den_b = f.T @ (a * o)
        b = np.divide(1.0, den_b, out=np.zeros_like(den_b), where=den_b > 0)
        rows = a * o * (f @ (b * dm))
        err = float(np.abs(rows - o).max() / total)
        if err < tol:
            break
    else:
        msg = (
            f"doubly constrained balancing did not converge in {max_iter} iterations "
            f"(max row error {err:.2e} of total); the margins may be infeasible without "
            "intrazonal flows"
        )
        raise DataError(msg)
    flows = (a * o)[:, None] * f * (b * dm)[None, :]
    return pd.DataFrame(flows, index=T.index, columns=T.index)


def green_index(F: pd.DataFrame) -> GreenIndex:
    r"""Green's (2007) functional polycentricity of a valued flow matrix.

    .. math:: P_F = \Big(1 - \frac{\sigma_{ND}}{\sigma_{ND\max}}\Big) \Delta, \quad
              ND_i = \sum_{j \ne i} (F_{ij} + F_{ji}), \quad
              \sigma_{ND\max} = \frac{\max_i ND_i}{2}, \quad
              \Delta = \frac{\sum_{i \ne j} F_{ij}}{N(N-1) \max_{i \ne j} F_{ij}}

    Parameters
    ----------
    F
        Square flow matrix labelled by zone id (``F[i, j]`` from ``i`` to ``j``), finite
        and non-negative; the diagonal is ignored.

    Returns
    -------
    GreenIndex
        ``p_f`` in ``[0, 1]`` (1 = all centres equally and maximally linked), the nodal
        degree SD, its maximum and the valued density ``Delta``.

    Raises
    ------
    DataError
        If ``F`` has fewer than 2 zones, non-finite or negative values, or no flow.

    Notes
    -----
    Nodal degree is the valued in+out flow of each centre. Both SDs are population SDs
    (``ddof=0``): the SD of the two-node network ``{max ND, 0}`` is ``max ND / 2``, which
    bounds the SD of any ``N`` values in ``[0, max ND]``, so ``P_F`` stays in ``[0, 1]``.
    Density is valued: total flow over the flow if every link carried the largest flow.
    With flows from :func:`gravity_flows` this is **potential** functional
    polycentricity (modelled, not observed flows).

    References
    ----------
    .. [1] Green, N. (2007). Functional polycentricity: a formal definition in terms of
       social network analysis. *Urban Studies*, 44(11), 2077-2103.
       https://doi.org/10.1080/00420980701518941
    .. [2] Burger, M. & Meijers, E. (2012). Form follows function? Linking morphological
       and functional polycentricity. *Urban Studies*, 49(5), 1127-1149.
       https://doi.org/10.1177/0042098011407095

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [1, 2, 3]
    >>> F = pd.DataFrame([[0, 1, 1], [1, 0, 1], [1, 1, 0]], ids, ids, dtype=float)
    >>> green_index(F).p_f
    1.0
    """
    Fm = _square(F, "F", zero_diagonal=False)
    f = Fm.to_numpy(dtype=np.float64)
    n = f.shape[0]
    if n < 2:
        msg = "F: Green's index needs at least 2 zones"
        raise DataError(msg)
    if not np.isfinite(f).all():
        msg = "F: flows must be finite"
        raise DataError(msg)
    off = ~np.eye(n, dtype=bool)
    f = np.where(off, f, 0.0)
    fmax = float(f.max())
    if fmax <= 0:
        msg = "F: no flow between distinct zones"
        raise DataError(msg)
    nd = f.sum(axis=1) + f.sum(axis=0)
    sd = float(nd.std())
    sd_max = float(nd.max()) / 2.0
    density = float(f.sum() / (n * (n - 1) * fmax))
    p_f = float(np.clip(1.0 - sd / sd_max, 0.0, 1.0)) * density
    return GreenIndex(p_f=p_f, nodal_sd=sd, nodal_sd_max=sd_max, density=density)


def functional_sensitivity(
    T: pd.DataFrame,
    mass: pd.Series,
    betas: Iterable[float] | None = None,
    *,
    model: Literal["gravity", "doubly_constrained"] = "gravity",
) -> pd.DataFrame:
    r"""How potential functional polycentricity (Green's index) moves with the flow decay.

    .. math:: P_F(\beta), \qquad F_{ij}(\beta) \text{ from } :func:`gravity_flows`

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    mass
        Masses used as both origins and destinations.
    betas
        Decay rates per minute. Default the half-lives 30, 45, 60, 90 and 120 min
        (``beta = ln 2 / t_half``).
    model
        Flow model, see :func:`gravity_flows`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``beta``, columns ``half_life_min``, ``p_f``, ``sd_ratio``
        (``sigma_ND / sigma_NDmax``) and ``density``.

    Notes
    -----
    A steep decay typically concentrates modelled flows on short links, lowering density; a flat
    decay approaches the pure mass product. Report the band, never one ``beta``.
    With ``model="doubly_constrained"`` and the same masses as origins and destinations,
    every nodal degree is fixed at ``O_i + D_i = 2 M_i``: ``sd_ratio`` is then purely
    morphological and only the density term responds to the network.

    References
    ----------
    .. [1] Green, N. (2007). Functional polycentricity: a formal definition in terms of
       social network analysis. *Urban Studies*, 44(11), 2077-2103.
       https://doi.org/10.1080/00420980701518941

    Examples
    --------
    >>> import math, pandas as pd
    >>> ids = [1, 2, 3]
    >>> T = pd.DataFrame([[0, 60, 60], [60, 0, 60], [60, 60, 0]], ids, ids, dtype=float)
    >>> functional_sensitivity(T, pd.Series([1.0, 1, 1], ids), [math.log(2) / 60])["p_f"].tolist()
    [1.0]
    """
    grid = [math.log(2) / h for h in (30.0, 45.0, 60.0, 90.0, 120.0)] if betas is None else [float(b) for b in betas]
    if not grid:
        msg = "betas is empty"
        raise ValueError(msg)
    rows = []
    for b in grid:
        g = green_index(gravity_flows(T, mass, beta=b, model=model))
        rows.append(
            {
                "beta": b,
                "half_life_min": math.log(2) / b,
                "p_f": g.p_f,
                "sd_ratio": g.nodal_sd / g.nodal_sd_max,
                "density": g.density,
            }
        )
    return pd.DataFrame(rows).set_index("beta")


def core_subcentre_linkage(
    T: pd.DataFrame,
    core: Hashable,
    subcentres: Iterable[Hashable],
    *,
    threshold: float | None = None,
    params: MetricParams | None = None,
) -> pd.DataFrame:
    r"""Travel time between the core and each sub-centre, both directions.

    .. math:: \bar t_s = \tfrac12 (T_{c s} + T_{s c}), \qquad
              \text{linked}_s = \mathbf{1}[\bar t_s \le T^{\mathrm{link}}]

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    core
        Core id (Shanghai, 310000).
    subcentres
        Sub-centre ids (Nanjing 320100, Hangzhou 330100, Hefei 340100).
    threshold
        Linkage target, minutes. Default ``params.core_link_min`` (90: the 2020 YRD
        transport plan's 1-1.5 h between central cities).
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``subcentre``: ``from_core_min``, ``to_core_min``, ``mean_min`` and
        ``linked`` (bool). ``inf`` when unreachable (never linked).

    Raises
    ------
    DataError
        If an id is not in ``T`` or the core is listed as a sub-centre.

    Notes
    -----
    The simple core-periphery proxy of the indicators digest (§3.2): how closely the
    sub-centres are tied to Shanghai. :mod:`yrdnet.metrics.structure` scores it.

    References
    ----------
    .. [1] NDRC & MoT (2020). 长江三角洲地区交通运输更高质量一体化发展规划 [Plan for
       higher-quality integrated transport development in the YRD].

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 330100]
    >>> T = pd.DataFrame([[0, 80, 50], [90, 0, 100], [60, 100, 0]], ids, ids, dtype=float)
    >>> core_subcentre_linkage(T, 310000, [320100, 330100])["mean_min"].tolist()
    [85.0, 55.0]
    """
    p = _resolve(params, core_link_min=threshold)
    T, t = _od(T)
    subs = list(subcentres)
    if not subs:
        msg = "subcentres is empty"
        raise ValueError(msg)
    missing = [k for k in [core, *subs] if k not in T.index]
    if missing:
        msg = f"ids not in T: {_show(missing)}"
        raise DataError(msg)
    if core in subs:
        msg = f"core {core!r} is also listed as a sub-centre"
        raise DataError(msg)
    c = T.index.get_loc(core)
    idx = T.index.get_indexer(subs)  # type: ignore[arg-type]  # pandas-stubs: get_indexer takes any list-like
    frm, to = t[c, idx], t[idx, c]
    mean = (frm + to) / 2.0
    return pd.DataFrame(
        {
            "from_core_min": frm,
            "to_core_min": to,
            "mean_min": mean,
            "linked": mean <= p.core_link_min,
        },
        index=pd.Index(subs, name="subcentre"),
    )

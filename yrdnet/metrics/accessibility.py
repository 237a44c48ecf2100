"""Accessibility of zones, computed from an OD travel-time matrix.

Every function takes the door-to-door travel-time matrix ``T`` (a square
:class:`pandas.DataFrame` of minutes, ``index == columns`` == zone ids, diagonal 0,
``numpy.inf`` for unreachable pairs) and, where needed, a ``mass`` Series (population or
GDP) and a geodesic distance matrix ``dist_km`` with the same labels. ``T[i, j]`` is the
time *from* ``i`` *to* ``j``; the per-zone measures are *outbound* (row) measures, which
equal the inbound ones when ``T`` is symmetric.

Conventions shared by all functions

* **Inputs are validated once** at the top: ``T`` square with the same labels on both
  axes (columns in another order are reordered), numeric, no ``NaN``, non-negative, zero
  diagonal. ``mass`` may hold extra ids (it is aligned on ``T.index``); missing ids raise
  :class:`yrdnet.core.errors.DataError` naming them.
* **Self-pairs are excluded** (``j != i``) unless a function says otherwise
  (``self_potential``, ``include_self``).
* **Unreachable pairs** (``inf``) are excluded from averages (WATT, network efficiency),
  contribute 0 to sums of impedances (potential: ``f(inf) = 0``; efficiency, harmonic
  closeness and straightness: ``1/inf = 0``) and never count as "within" a threshold.
* **Masses are fixed across scenarios** (``data/cities.csv``), so a scenario's change in
  any of these measures is the network's doing alone (indicators digest §0.4).
* Parameters left as ``None`` are taken from ``params`` (a
  :class:`~yrdnet.params.MetricParams`, default ``MetricParams()``); an explicit argument
  overrides ``params``.

The results are *infrastructure* accessibility when ``T`` comes from speeds rather than
timetables (indicators digest §0.2). Network efficiency, closeness and straightness live in
:mod:`yrdnet.metrics.efficiency`, the contour measures (cumulative opportunities, daily
accessibility) in :mod:`yrdnet.metrics.contour` (both re-exported here); the input checks in
:mod:`yrdnet.metrics.inputs`.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams
from yrdnet.metrics.contour import (
    _within,  # noqa: F401 - moved there, kept importable here
    cumulative_opportunities,
    daily_accessibility,
)
from yrdnet.metrics.efficiency import (
    closeness,
    global_efficiency,
    harmonic_closeness,
    network_efficiency,
    nodal_efficiency,
    straightness,
)
from yrdnet.metrics.inputs import (
    _align,
    _od,
    _offdiag,
    _once,
    _positive_offdiag,
    _resolve,
    _show,
)

__all__ = [
    "closeness",
    "cumulative_opportunities",
    "daily_accessibility",
    "global_efficiency",
    "harmonic_closeness",
    "n_reachable",
    "network_efficiency",
    "nodal_efficiency",
    "potential_accessibility",
    "reachable_share",
    "rich_self_time",
    "straightness",
    "time_to",
    "watt",
    "weighted_mean",
]

logger = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------------
# location indicators
# ----------------------------------------------------------------------------------------
def n_reachable(T: pd.DataFrame) -> pd.Series:
    r"""Count the other zones reachable from each zone (finite ``T_ij``, ``j != i``).

    .. math:: n_i = \#\{j \ne i : T_{ij} < \infty\}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.

    Returns
    -------
    pandas.Series
        Integer counts named ``"n_reachable"``, indexed like ``T``.

    Notes
    -----
    Report it next to :func:`watt` and :func:`network_efficiency`, which average over
    reachable destinations only.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, np.inf], [60, 0, 90], [np.inf, 90, 0]], ids, ids)
    >>> n_reachable(T).tolist()
    [1, 2, 1]
    """
    T, t = _od(T)
    counts = (np.isfinite(t) & _offdiag(t.shape[0])).sum(axis=1)
    return pd.Series(counts, index=T.index, name="n_reachable")


def reachable_share(T: pd.DataFrame, mass: pd.Series) -> pd.Series:
    r"""Share of the other zones' mass reachable from each zone (the companion of WATT).

    .. math:: R_i = \frac{\sum_{j \ne i,\, T_{ij} < \infty} M_j}{\sum_{j \ne i} M_j}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    mass
        Destination masses, indexed by zone id.

    Returns
    -------
    pandas.Series
        In [0, 1], named ``"reachable_share"``.

    Notes
    -----
    :func:`watt` averages over reachable destinations only, so a network that connects a
    distant zone can *raise* WATT; reading WATT beside :math:`R_i` is the one way this
    package handles unreachable pairs in every year (no invented penalty time).
    Self-pairs are excluded.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ids = [1, 2, 3]
    >>> T = pd.DataFrame([[0, 60, np.inf], [60, 0, 90], [np.inf, 90, 0]], ids, ids)
    >>> reachable_share(T, pd.Series({1: 1.0, 2: 1.0, 3: 3.0})).tolist()
    [0.25, 1.0, 0.5]
    """
    T, t = _od(T)
    m = _align(mass, T.index, "mass")
    off = _offdiag(t.shape[0])
    return pd.Series(_reachable_share(m, np.isfinite(t) & off, off), index=T.index, name="reachable_share")


def _reachable_share(m: np.ndarray, reach: np.ndarray, off: np.ndarray) -> np.ndarray:
    """:func:`reachable_share` of masses ``m``; ``reach`` the finite off-diagonal pairs, ``off`` the off-diagonal."""
    within = reach.astype(float) @ m
    total = off.astype(float) @ m
    return np.divide(within, total, out=np.zeros_like(within), where=total > 0)


def watt(T: pd.DataFrame, mass: pd.Series) -> pd.Series:
    r"""Weighted average travel time (WATT), the "location" indicator.

    .. math:: \mathrm{WATT}_i = \frac{\sum_{j \ne i,\, T_{ij}<\infty} T_{ij} M_j}
              {\sum_{j \ne i,\, T_{ij}<\infty} M_j}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    mass
        Destination masses ``M_j`` (population or GDP), indexed by zone id.

    Returns
    -------
    pandas.Series
        Minutes (lower = better), named ``"watt"``, indexed like ``T``.

    Notes
    -----
    Self-pairs are excluded. Unreachable destinations are excluded from both sums, so the
    value is the average over *reachable* destinations; :func:`n_reachable` gives how many
    there are (an info message is logged when any pair is unreachable). A zone that
    reaches no destination of positive mass gets ``NaN``. The relative location index is
    ``watt / watt.mean() * 100``.

    References
    ----------
    .. [1] Gutiérrez, J., González, R. & Gómez, G. (1996). The European high-speed train
       network: predicted effects on accessibility patterns. *Journal of Transport
       Geography*, 4(4), 227-238. https://doi.org/10.1016/S0966-6923(96)00033-6
    .. [2] Gutiérrez, J. (2001). Location, economic potential and daily accessibility: an
       analysis of the accessibility impact of the high-speed line Madrid-Barcelona-French
       border. *Journal of Transport Geography*, 9(4), 229-242.
       https://doi.org/10.1016/S0966-6923(01)00017-5

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 120], [60, 0, 90], [120, 90, 0]], ids, ids, dtype=float)
    >>> mass = pd.Series([2, 1, 1], index=ids)
    >>> watt(T, mass).tolist()  # 310000: (60*1 + 120*1) / 2
    [90.0, 70.0, 110.0]
    """
    T, t = _od(T)
    m = _align(mass, T.index, "mass")
    return pd.Series(_watt(t, m, np.isfinite(t) & _offdiag(t.shape[0])), index=T.index, name="watt")


def _watt(t: np.ndarray, m: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """:func:`watt` of times ``t`` and masses ``m``; ``reach`` the finite off-diagonal pairs."""
    if reach.sum() < reach.size - t.shape[0]:
        logger.info(
            "WATT: %d of %d ordered pairs unreachable; averaging over reachable ones",
            int(reach.size - t.shape[0] - reach.sum()),
            reach.size - t.shape[0],
        )
    w = np.where(reach, m[None, :], 0.0)
    num = (np.where(reach, t, 0.0) * w).sum(axis=1)
    den = w.sum(axis=1)
    return np.divide(num, den, out=np.full(t.shape[0], np.nan), where=den > 0)


def time_to(T: pd.DataFrame, targets: Hashable | Iterable[Hashable]) -> pd.Series:
    r"""Travel time from every zone to a target zone, or to the nearest of several.

    .. math:: \tau_i = \min_{k \in K} T_{ik}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    targets
        One zone id (e.g. Shanghai, 310000) or several (e.g. the sub-centres Nanjing,
        Hangzhou and Hefei).

    Returns
    -------
    pandas.Series
        Minutes, named ``"time_to"``, indexed like ``T``; 0 for the targets themselves and
        ``inf`` when no target can be reached.

    Notes
    -----
    Direction is *from* zone ``i`` *to* the target (row of ``T``).

    References
    ----------
    .. [1] Tao, Z., Yang, Y. & Liang, C. (2016). 高铁对长三角地区可达性的影响 [The impact of
       high-speed rail on accessibility in the Yangtze River Delta]. 经济地理 (Economic
       Geography), 36(8), 40-46.

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 120], [60, 0, 90], [120, 90, 0]], ids, ids, dtype=float)
    >>> time_to(T, 310000).tolist()
    [0.0, 60.0, 120.0]
    >>> time_to(T, [320100, 340100]).tolist()
    [60.0, 0.0, 0.0]
    """
    T, t = _od(T)
    many = isinstance(targets, Iterable) and not isinstance(targets, (str, bytes))
    wanted = list(targets) if many else [targets]  # type: ignore[arg-type]
    if not wanted:
        msg = "targets is empty"
        raise ValueError(msg)
    missing = [k for k in wanted if k not in T.index]
    if missing:
        msg = f"targets not in T: {_show(missing)}"
        raise DataError(msg)
    cols = T.index.get_indexer(wanted)  # type: ignore[arg-type]  # pandas-stubs: get_indexer takes any list-like
    return pd.Series(t[:, cols].min(axis=1), index=T.index, name="time_to")


# ----------------------------------------------------------------------------------------
# potential and cumulative measures
# ----------------------------------------------------------------------------------------
def _impedance(t: np.ndarray, p: MetricParams) -> np.ndarray:
    if p.decay == "exp":
        return np.exp(-p.beta * t)  # exp(-inf) = 0
    finite = np.isfinite(t) & (t > 0)
    return np.where(finite, np.where(finite, t, 1.0) ** -p.power_a, 0.0)


def potential_accessibility(
    T: pd.DataFrame,
    mass: pd.Series,
    *,
    decay: str | None = None,
    beta: float | None = None,
    power_a: float | None = None,
    self_potential: bool | None = None,
    self_time_min: float | pd.Series | None = None,
    params: MetricParams | None = None,
) -> pd.Series:
    r"""Hansen potential (gravity) accessibility, exponential or power decay.

    .. math:: A_i = \sum_{j \ne i} M_j f(T_{ij}) \; [+\, M_i f(t_{ii})], \qquad
              f(T) = e^{-\beta T} \text{ or } T^{-a}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    mass
        Destination masses ``M_j``, indexed by zone id.
    decay
        ``"exp"`` or ``"power"``. Default ``params.decay``.
    beta
        Exponential decay per minute (half-life ``ln 2 / beta``). Default ``params.beta``.
    power_a
        Power exponent ``a``. Default ``params.power_a``.
    self_potential
        Add the zone's own mass at its internal time ``t_ii``. Default
        ``params.self_potential`` (``True`` since issue 11).
    self_time_min
        Internal time ``t_ii`` in minutes: one number or a Series per zone (e.g. Rich's
        ``0.5 sqrt(area/pi) / v``). Default ``params.self_time_min``.
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.Series
        Mass units (persons or GDP) discounted by the decay, named ``"potential"``.

    Raises
    ------
    DataError
        If ``decay="power"`` and an off-diagonal time is 0 (the power impedance is
        infinite there).

    Notes
    -----
    Unreachable pairs contribute ``f(inf) = 0``. Self-pairs are excluded unless
    ``self_potential`` is set; the self-potential choice changes results materially in
    urbanised regions [3]_, so hold it fixed across scenarios. Never compare absolute
    values computed with different ``beta`` or ``a``.

    References
    ----------
    .. [1] Hansen, W. G. (1959). How accessibility shapes land use. *Journal of the
       American Institute of Planners*, 25(2), 73-76.
       https://doi.org/10.1080/01944365908978307
    .. [2] Gutiérrez, J. (2001). Location, economic potential and daily accessibility.
       *Journal of Transport Geography*, 9(4), 229-242.
       https://doi.org/10.1016/S0966-6923(01)00017-5
    .. [3] Condeço-Melhorado, A. et al. (2016). On the choice of self-potential in
       accessibility measures. *European Journal of Transport and Infrastructure
       Research*, 16(2), 300-318.

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 120], [60, 0, 90], [120, 90, 0]], ids, ids, dtype=float)
    >>> mass = pd.Series([2, 1, 1], index=ids)
    >>> potential_accessibility(T, mass, decay="power", power_a=1, self_potential=False).round(4).tolist()
    [0.025, 0.0444, 0.0278]
    """
    self_series = self_time_min if isinstance(self_time_min, pd.Series) else None
    p = _resolve(
        params,
        decay=decay,
        beta=beta,
        power_a=power_a,
        self_potential=self_potential,
        self_time_min=None if self_series is not None else self_time_min,
    )
    T, t = _od(T)
    m = _align(mass, T.index, "mass")
    if p.decay == "power":
        _positive_offdiag(t, T, "power decay")
    tii = None
    if p.self_potential:
        if self_series is not None:
            tii = _align(self_series, T.index, "self_time_min")
            if (tii <= 0).any():
                msg = f"self_time_min must be > 0, got 0 for ids {_show(T.index[tii <= 0])}"
                raise DataError(msg)
        else:
            tii = np.full(t.shape[0], p.self_time_min)
    # inside checked_once the impedance is kept per T: its diagonal is zeroed again, which changes nothing
    f = _once("impedance", (T,), (p.decay, p.beta, p.power_a), lambda: _impedance(t, p))
    return pd.Series(_potential_sum(f, m, p, tii), index=T.index, name="potential")


def potential_values(t: np.ndarray, m: np.ndarray, p: MetricParams, self_time: np.ndarray | None = None) -> np.ndarray:
    """The sums of :func:`potential_accessibility` on arrays already checked (its formula and references).

    ``t``: the travel times (min, zone x zone, laid out as ``T.to_numpy()``, which
    :func:`potential_accessibility` reads: the product's rounding follows the layout);
    ``m`` the masses; ``p`` the decay; ``self_time`` the internal times when the zone's
    own mass counts (``None``: it does not). The same operations as
    :func:`potential_accessibility`, so the same values bit for bit; for callers that hold
    arrays (the county core rank of :mod:`yrdnet.analysis.city_potential`). Not in
    ``__all__``.
    """
    return _potential_sum(_impedance(t, p), m, p, self_time)


def _potential_sum(f: np.ndarray, m: np.ndarray, p: MetricParams, self_time: np.ndarray | None) -> np.ndarray:
    """``sum_{j != i} m_j f_ij`` (+ ``m_i f(self_time_i)``); zeroes the diagonal of ``f`` in place."""
    np.fill_diagonal(f, 0.0)
    out = f @ m
    if self_time is not None:
        out = out + m * _impedance(self_time, p)
    return out


def rich_self_time(area_km2: pd.Series, *, speed_kph: float = 20.0) -> pd.Series:
    r"""Internal (self) travel time of each zone by Rich's formula, minutes.

    .. math:: t_{ii} = \frac{0.5\, r_i}{v}, \qquad r_i = \sqrt{A_i / \pi}

    half the radius of the circle with the zone's area, at speed :math:`v`.

    Parameters
    ----------
    area_km2
        Zone areas :math:`A_i`, km², indexed by zone id.
    speed_kph
        Internal speed :math:`v` (default 20 km/h, the application quoted in the
        project's indicators digest, §0.3).

    Returns
    -------
    pandas.Series
        Minutes, named ``"self_time_min"``.

    Raises
    ------
    DataError
        On a non-positive or missing area, or a non-positive speed.

    Notes
    -----
    Used as :math:`t_{ii}` of the self-potential term :math:`M_i f(t_{ii})` of
    :func:`potential_accessibility`. A larger zone gets a longer internal time, so its
    own mass is discounted more; the choice changes results materially in urbanised
    regions [2]_.

    References
    ----------
    .. [1] Rich (1978), the internal-distance formula as quoted by the project's
       indicators digest (§0.3, from a Mazovia-region application with v = 20 km/h);
       the original and its bibliographic details were not retrieved (unverified).
       Frost & Spence (1995), named by issue 11 for self-potential, is not in the
       digest either (unverified).
    .. [2] Condeço-Melhorado, A. et al. (2016). On the choice of self-potential in
       accessibility measures. *European Journal of Transport and Infrastructure
       Research*, 16(2), 300-318.

    Examples
    --------
    >>> import math
    >>> a = pd.Series({1: math.pi * 40.0**2})  # a 40 km radius
    >>> rich_self_time(a).tolist()  # 0.5 * 40 km at 20 km/h = 1 h
    [60.0]
    """
    a = pd.Series(area_km2, dtype=float)
    bad = a.index[~(a > 0)]
    if len(bad):
        msg = f"rich_self_time: areas must be > 0 km², got {a[bad].tolist()[:3]} for ids {_show(bad)}"
        raise DataError(msg)
    if not speed_kph > 0:
        msg = f"rich_self_time: speed_kph must be > 0, got {speed_kph!r}"
        raise DataError(msg)
    return (0.5 * np.sqrt(a / np.pi) / speed_kph * 60.0).rename("self_time_min")


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    r"""Weighted (e.g. person-weighted) regional mean of a per-zone measure.

    .. math:: \bar{x} = \sum_i x_i w_i \big/ \sum_i w_i

    Parameters
    ----------
    values
        Per-zone values, indexed by zone id.
    weights
        Non-negative weights (population), aligned on ``values.index``.

    Returns
    -------
    float
        The weighted mean (``inf`` if an infinite value has positive weight).

    Notes
    -----
    Zones with zero weight are ignored, so an infinite value with zero weight does not
    propagate. ``NaN`` values raise.

    References
    ----------
    .. [1] Levinson, D., Giacomin, D. & Badsey-Ellis, A. (2016). Accessibility and the
       choice of network investments in the London Underground. *Journal of Transport and
       Land Use*, 9(1), 131-150. https://doi.org/10.5198/jtlu.2015.810

    Examples
    --------
    >>> import pandas as pd
    >>> weighted_mean(pd.Series([10.0, 40.0], [1, 2]), pd.Series([3, 1], [1, 2]))
    17.5
    """
    if not isinstance(values, pd.Series):
        msg = f"values must be a pandas Series, got {type(values).__name__}"
        raise TypeError(msg)
    v = values.to_numpy(dtype=np.float64)
    if np.isnan(v).any():
        msg = f"values: NaN for ids {_show(values.index[np.isnan(v)])}"
        raise DataError(msg)
    w = _align(weights, values.index, "weights")
    if w.sum() <= 0:
        msg = "weights must not all be 0"
        raise DataError(msg)
    pos = w > 0
    return float((v[pos] * w[pos]).sum() / w[pos].sum())

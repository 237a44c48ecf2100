"""Accessibility and efficiency of zones, computed from an OD travel-time matrix.

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
timetables (indicators digest §0.2).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams, resolve_params

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

_MAX_SHOWN = 8


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
    T = _square(T, name)
    if T.shape[0] == 0:
        msg = f"{name} is empty"
        raise DataError(msg)
    return T, T.to_numpy(dtype=np.float64)


def _like(M: pd.DataFrame, T: pd.DataFrame, name: str) -> np.ndarray:
    """Validate a matrix that must carry the same ids as ``T``; return it in T's order."""
    M = _square(M, name)
    if set(M.index) != set(T.index):
        msg = (
            f"{name} must have the ids of T: missing {_show(T.index.difference(M.index))}, "
            f"extra {_show(M.index.difference(T.index))}"
        )
        raise DataError(msg)
    a = M.loc[T.index, T.index].to_numpy(dtype=np.float64)
    if not np.isfinite(a).all():
        msg = f"{name}: values must be finite"
        raise DataError(msg)
    return a


def _align(s: pd.Series, index: pd.Index, name: str, *, allow_inf: bool = False) -> np.ndarray:
    """Align a per-zone Series on ``index``; extra ids are dropped, missing ids raise."""
    if not isinstance(s, pd.Series):
        msg = f"{name} must be a pandas Series indexed by zone id, got {type(s).__name__}"
        raise TypeError(msg)
    if s.index.has_duplicates:
        msg = f"{name}: duplicate ids {_show(s.index[s.index.duplicated()].unique())}"
        raise DataError(msg)
    missing = index.difference(s.index)
    if len(missing):
        msg = f"{name} has no value for ids {_show(missing)} of T"
        raise DataError(msg)
    try:
        v = s.reindex(index).to_numpy(dtype=np.float64)
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


def _offdiag(n: int) -> np.ndarray:
    return ~np.eye(n, dtype=bool)


def _positive_offdiag(t: np.ndarray, T: pd.DataFrame, what: str) -> None:
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
    reach = (np.isfinite(t) & off).astype(float) @ m
    total = off.astype(float) @ m
    return pd.Series(
        np.divide(reach, total, out=np.zeros_like(reach), where=total > 0), index=T.index, name="reachable_share"
    )


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
    reach = np.isfinite(t) & _offdiag(t.shape[0])
    if reach.sum() < reach.size - t.shape[0]:
        logger.info(
            "WATT: %d of %d ordered pairs unreachable; averaging over reachable ones",
            int(reach.size - t.shape[0] - reach.sum()),
            reach.size - t.shape[0],
        )
    w = np.where(reach, m[None, :], 0.0)
    num = (np.where(reach, t, 0.0) * w).sum(axis=1)
    den = w.sum(axis=1)
    out = np.divide(num, den, out=np.full(t.shape[0], np.nan), where=den > 0)
    return pd.Series(out, index=T.index, name="watt")


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
    f = _impedance(t, p)
    np.fill_diagonal(f, 0.0)
    acc = f @ m
    if p.self_potential:
        if self_series is not None:
            tii = _align(self_series, T.index, "self_time_min")
            if (tii <= 0).any():
                msg = f"self_time_min must be > 0, got 0 for ids {_show(T.index[tii <= 0])}"
                raise DataError(msg)
        else:
            tii = np.full(t.shape[0], p.self_time_min)
        acc = acc + m * _impedance(tii, p)
    return pd.Series(acc, index=T.index, name="potential")


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


def cumulative_opportunities(
    T: pd.DataFrame,
    mass: pd.Series,
    threshold: float,
    *,
    include_self: bool = False,
) -> pd.Series:
    r"""Cumulative opportunities (contour measure): mass reachable within a threshold.

    .. math:: \mathrm{CO}_i(T^*) = \sum_{j \ne i} M_j \, \mathbf{1}[T_{ij} \le T^*]

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    mass
        Destination masses, indexed by zone id.
    threshold
        ``T*`` in minutes (60/120/180 are the "1-2-3" travel circles,
        ``MetricParams.thresholds_min``).
    include_self
        Count the zone's own mass (``T_ii = 0``). Default ``False``, like every other
        measure of this module.

    Returns
    -------
    pandas.Series
        Mass units, named ``"cumulative_opportunities"``.

    Notes
    -----
    Unreachable pairs are never within the threshold; the comparison is inclusive
    (``<=``). The person-weighted regional mean of [2]_ is
    ``weighted_mean(co, population)``.

    References
    ----------
    .. [1] Cao, J., Liu, X. C., Wang, Y. & Li, Q. (2013). Accessibility impacts of China's
       high-speed rail network. *Journal of Transport Geography*, 28, 12-21.
       https://doi.org/10.1016/j.jtrangeo.2012.10.008
    .. [2] Levinson, D., Giacomin, D. & Badsey-Ellis, A. (2016). Accessibility and the
       choice of network investments in the London Underground. *Journal of Transport and
       Land Use*, 9(1), 131-150. https://doi.org/10.5198/jtlu.2015.810

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 120], [60, 0, 90], [120, 90, 0]], ids, ids, dtype=float)
    >>> mass = pd.Series([2, 1, 1], index=ids)
    >>> cumulative_opportunities(T, mass, 60).tolist()
    [1.0, 2.0, 0.0]
    """
    thr = _threshold(threshold)
    T, t = _od(T)
    m = _align(mass, T.index, "mass")
    within = t <= thr
    if not include_self:
        within &= _offdiag(t.shape[0])
    return pd.Series(within @ m, index=T.index, name="cumulative_opportunities")


def daily_accessibility(
    T: pd.DataFrame,
    mass: pd.Series,
    threshold: float | None = None,
    *,
    include_self: bool = False,
    params: MetricParams | None = None,
) -> pd.Series:
    r"""Daily accessibility: mass reachable within a same-day one-way limit (4 h).

    .. math:: \mathrm{DA}_i = \sum_{j \ne i} M_j \, \mathbf{1}[T_{ij} \le 240]

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    mass
        Destination masses, indexed by zone id.
    threshold
        One-way limit in minutes. Default ``params.daily_min`` (240).
    include_self
        Count the zone's own mass. Default ``False``.
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.Series
        Mass units, named ``"daily_accessibility"``.

    Notes
    -----
    :func:`cumulative_opportunities` at the daily threshold; same conventions. In the YRD
    4 h covers almost every pair; the 60 and 120 min contours are more informative.

    References
    ----------
    .. [1] Gutiérrez, J. (2001). Location, economic potential and daily accessibility.
       *Journal of Transport Geography*, 9(4), 229-242.
       https://doi.org/10.1016/S0966-6923(01)00017-5

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 300], [60, 0, 90], [300, 90, 0]], ids, ids, dtype=float)
    >>> mass = pd.Series([2, 1, 1], index=ids)
    >>> daily_accessibility(T, mass).tolist()
    [1.0, 3.0, 1.0]
    """
    p = _resolve(params, daily_min=threshold)
    out = cumulative_opportunities(T, mass, p.daily_min, include_self=include_self)
    return out.rename("daily_accessibility")


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


# ----------------------------------------------------------------------------------------
# efficiency and closeness
# ----------------------------------------------------------------------------------------
def network_efficiency(
    T: pd.DataFrame,
    dist_km: pd.DataFrame,
    mass: pd.Series,
    *,
    ideal_speed_kph: float | None = None,
    params: MetricParams | None = None,
) -> pd.Series:
    r"""Gutiérrez-Monzón network efficiency: mass-weighted ratio of real to ideal time.

    .. math:: \mathrm{NE}_i = \frac{\sum_{j \ne i} (T_{ij} / \hat T_{ij}) M_j}
              {\sum_{j \ne i} M_j}, \qquad \hat T_{ij} = 60\, d_{ij} / v

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    dist_km
        Geodesic distances, km, same ids as ``T``.
    mass
        Destination masses, indexed by zone id.
    ideal_speed_kph
        Straight-line speed ``v`` of the ideal network. Default
        ``params.ideal_speed_kph`` (350 km/h); hold it fixed across scenarios.
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.Series
        Dimensionless, named ``"network_efficiency"``; ``>= 1`` whenever no trip beats the
        ideal speed, closer to 1 = more efficient.

    Raises
    ------
    DataError
        If two distinct zones are 0 km apart (the ideal time would be 0).

    Notes
    -----
    Self-pairs are excluded; unreachable destinations are excluded from both sums (as in
    :func:`watt`); ``NaN`` if nothing is reachable. Values below 1 mean some trip is faster
    than ``v`` in a straight line — raise ``v``.

    References
    ----------
    .. [1] Gutiérrez, J., Monzón, A. & Piñero, J. M. (1998). Accessibility, network
       efficiency, and transport infrastructure planning. *Environment and Planning A*,
       30(8), 1337-1350. https://doi.org/10.1068/a301337

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 120], [60, 0, 90], [120, 90, 0]], ids, ids, dtype=float)
    >>> d = pd.DataFrame([[0, 175, 350], [175, 0, 175], [350, 175, 0]], ids, ids, dtype=float)
    >>> mass = pd.Series([2, 1, 1], index=ids)
    >>> network_efficiency(T, d, mass).round(3).tolist()  # ideal: 30, 60 and 30 min
    [2.0, 2.333, 2.333]
    """
    p = _resolve(params, ideal_speed_kph=ideal_speed_kph)
    T, t = _od(T)
    d = _like(dist_km, T, "dist_km")
    m = _align(mass, T.index, "mass")
    off = _offdiag(t.shape[0])
    zero = (d == 0) & off
    if zero.any():
        r, c = np.nonzero(zero)
        msg = f"dist_km: distinct zones 0 km apart (ideal time 0) at {_show(zip(T.index[r], T.index[c], strict=True))}"
        raise DataError(msg)
    ideal = _ideal_times(np.where(off, d, 1.0), p.ideal_speed_kph)
    reach = np.isfinite(t) & off
    ratio = np.where(reach, np.where(reach, t, 0.0) / ideal, 0.0)
    w = np.where(reach, m[None, :], 0.0)
    den = w.sum(axis=1)
    out = np.divide((ratio * w).sum(axis=1), den, out=np.full(t.shape[0], np.nan), where=den > 0)
    if np.nanmin(out, initial=np.inf) < 1:
        logger.info("network efficiency < 1: some trips beat %s km/h", p.ideal_speed_kph)
    return pd.Series(out, index=T.index, name="network_efficiency")


def _efficiency_parts(
    T: pd.DataFrame,
    dist_km: pd.DataFrame | None,
    ideal_speed_kph: float | None,
    params: MetricParams | None,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray | None]:
    """Row sums of ``1/T`` and (if ``dist_km``) of ``1/T_hat``."""
    p = _resolve(params, ideal_speed_kph=ideal_speed_kph)
    T, t = _od(T)
    if t.shape[0] < 2:
        msg = "T: efficiency needs at least 2 zones"
        raise DataError(msg)
    _positive_offdiag(t, T, "efficiency")
    inv = _inverse_times(t).sum(axis=1)
    if dist_km is None:
        return T, inv, None
    d = _like(dist_km, T, "dist_km")
    off = _offdiag(t.shape[0])
    if ((d == 0) & off).any():
        msg = "dist_km: distinct zones 0 km apart make the ideal efficiency infinite"
        raise DataError(msg)
    ideal = _inverse_times(np.where(off, _ideal_times(d, p.ideal_speed_kph), 0.0)).sum(axis=1)
    return T, inv, ideal


def nodal_efficiency(
    T: pd.DataFrame,
    dist_km: pd.DataFrame | None = None,
    *,
    ideal_speed_kph: float | None = None,
    params: MetricParams | None = None,
) -> pd.Series:
    r"""Weighted Latora-Marchiori nodal (local-to-node) efficiency.

    .. math:: E_i = \frac{1}{N-1} \sum_{j \ne i} \frac{1}{T_{ij}}, \qquad
              E_i^{\mathrm{norm}} = \frac{\sum_{j \ne i} 1/T_{ij}}
              {\sum_{j \ne i} 1/\hat T_{ij}}, \quad \hat T_{ij} = 60\, d_{ij}/v

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    dist_km
        Geodesic distances, km. If given, the result is divided by the efficiency of the
        ideal complete graph with straight-line times at ``ideal_speed_kph``.
    ideal_speed_kph
        Speed of the ideal graph. Default ``params.ideal_speed_kph``.
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.Series
        ``1/min`` (raw) or dimensionless in ``[0, 1]`` (normalised, when no trip beats the
        ideal speed); named ``"nodal_efficiency"``.

    Notes
    -----
    Unreachable pairs contribute ``1/inf = 0``; self-pairs are excluded. Computed from the
    weighted OD matrix — ``networkx.global_efficiency`` ignores weights and must not be
    used. Without ``dist_km`` this equals :func:`harmonic_closeness`.

    References
    ----------
    .. [1] Latora, V. & Marchiori, M. (2001). Efficient behavior of small-world networks.
       *Physical Review Letters*, 87(19), 198701.
       https://doi.org/10.1103/PhysRevLett.87.198701
    .. [2] Latora, V. & Marchiori, M. (2003). Economic small-world behavior in weighted
       networks. *European Physical Journal B*, 32, 249-263.
       https://doi.org/10.1140/epjb/e2003-00095-5

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 120], [60, 0, 90], [120, 90, 0]], ids, ids, dtype=float)
    >>> (nodal_efficiency(T) * 720).tolist()  # 310000: (1/60 + 1/120) / 2 = 9/720
    [9.0, 10.0, 7.0]
    """
    T, inv, ideal = _efficiency_parts(T, dist_km, ideal_speed_kph, params)
    out = inv / (len(T) - 1) if ideal is None else inv / ideal
    return pd.Series(out, index=T.index, name="nodal_efficiency")


def global_efficiency(
    T: pd.DataFrame,
    dist_km: pd.DataFrame | None = None,
    *,
    ideal_speed_kph: float | None = None,
    params: MetricParams | None = None,
) -> float:
    r"""Weighted Latora-Marchiori global efficiency, optionally normalised by the ideal graph.

    .. math:: E = \frac{1}{N(N-1)} \sum_{i \ne j} \frac{1}{T_{ij}}, \qquad
              E^{\mathrm{norm}} = \frac{\sum_{i \ne j} 1/T_{ij}}
              {\sum_{i \ne j} 1/\hat T_{ij}}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    dist_km
        Geodesic distances, km; if given, normalise by the ideal complete graph
        ``T_hat = 60 d / v``.
    ideal_speed_kph
        Speed of the ideal graph. Default ``params.ideal_speed_kph``.
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    float
        ``1/min`` (raw) or dimensionless (normalised; in ``[0, 1]`` when no trip beats the
        ideal speed).

    Notes
    -----
    Unreachable pairs contribute 0. The normalisation is a ratio of sums,
    ``E(G) / E(G_ideal)``, not the mean of :func:`nodal_efficiency` ratios.

    References
    ----------
    .. [1] Latora, V. & Marchiori, M. (2001). Efficient behavior of small-world networks.
       *Physical Review Letters*, 87(19), 198701.
       https://doi.org/10.1103/PhysRevLett.87.198701
    .. [2] Latora, V. & Marchiori, M. (2003). Economic small-world behavior in weighted
       networks. *European Physical Journal B*, 32, 249-263.
       https://doi.org/10.1140/epjb/e2003-00095-5

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 120], [60, 0, 90], [120, 90, 0]], ids, ids, dtype=float)
    >>> round(global_efficiency(T) * 720, 6)  # (9 + 10 + 7) / 3
    8.666667
    """
    T, inv, ideal = _efficiency_parts(T, dist_km, ideal_speed_kph, params)
    n = len(T)
    return float(inv.sum() / (n * (n - 1)) if ideal is None else inv.sum() / ideal.sum())


def closeness(T: pd.DataFrame) -> pd.Series:
    r"""Compute closeness centrality from the OD matrix (Wasserman-Faust scaling).

    .. math:: C_i = \frac{r_i}{\sum_{j \in R_i} T_{ij}} \cdot \frac{r_i}{N-1},
              \qquad R_i = \{j \ne i : T_{ij} < \infty\},\; r_i = |R_i|

    Parameters
    ----------
    T
        Travel-time matrix, minutes.

    Returns
    -------
    pandas.Series
        ``1/min``, named ``"closeness"``; 0 for a zone that reaches nothing.

    Notes
    -----
    Outbound (row) times; for a symmetric ``T`` this equals
    ``networkx.closeness_centrality(G, distance=..., wf_improved=True)``. Unreachable
    zones are left out of the sum and the factor ``r_i / (N-1)`` penalises them.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis: Methods and
       Applications*. Cambridge University Press. https://doi.org/10.1017/CBO9780511815478
    .. [2] Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
       *Social Networks*, 1(3), 215-239. https://doi.org/10.1016/0378-8733(78)90021-7

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 120], [60, 0, 90], [120, 90, 0]], ids, ids, dtype=float)
    >>> (closeness(T) * 180).round(4).tolist()  # 310000: 2 / (60 + 120)
    [2.0, 2.4, 1.7143]
    """
    T, t = _od(T)
    n = t.shape[0]
    _positive_offdiag(t, T, "closeness")
    reach = np.isfinite(t) & _offdiag(n)
    r = reach.sum(axis=1).astype(np.float64)
    total = np.where(reach, t, 0.0).sum(axis=1)
    scale = r / (n - 1) if n > 1 else np.zeros(n)
    out = np.divide(r, total, out=np.zeros(n), where=total > 0) * scale
    return pd.Series(out, index=T.index, name="closeness")


def harmonic_closeness(T: pd.DataFrame) -> pd.Series:
    r"""Harmonic closeness centrality (mean inverse travel time), robust to unreachable zones.

    .. math:: H_i = \frac{1}{N-1} \sum_{j \ne i} \frac{1}{T_{ij}}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.

    Returns
    -------
    pandas.Series
        ``1/min``, named ``"harmonic_closeness"``.

    Notes
    -----
    ``1/inf = 0``. Divided by ``N-1`` (networkx's ``harmonic_centrality`` is the
    undivided sum), so it equals the raw :func:`nodal_efficiency`.

    References
    ----------
    .. [1] Rochat, Y. (2009). Closeness centrality extended to unconnected graphs: the
       harmonic centrality index. *ASNA 2009*, Zürich.
    .. [2] Boldi, P. & Vigna, S. (2014). Axioms for centrality. *Internet Mathematics*,
       10(3-4), 222-262. https://doi.org/10.1080/15427951.2013.865686

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, np.inf], [60, 0, 90], [np.inf, 90, 0]], ids, ids)
    >>> (harmonic_closeness(T) * 360).tolist()  # 310000: (1/60 + 0) / 2
    [3.0, 5.0, 2.0]
    """
    return nodal_efficiency(T).rename("harmonic_closeness")


def straightness(
    T: pd.DataFrame,
    dist_km: pd.DataFrame,
    *,
    ideal_speed_kph: float | None = None,
    params: MetricParams | None = None,
) -> pd.Series:
    r"""Straightness centrality with travel times (Crucitti, Latora & Porta 2006).

    .. math:: S_i = \frac{1}{N-1} \sum_{j \ne i} \frac{d_{ij} / v}{T_{ij}}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    dist_km
        Geodesic distances, km, same ids as ``T``.
    ideal_speed_kph
        Reference speed ``v``. Default ``params.ideal_speed_kph``.
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.Series
        Dimensionless, named ``"straightness"``; in ``[0, 1]`` when no trip beats ``v``
        (1 = every destination reached at ``v`` in a straight line).

    Notes
    -----
    Unreachable pairs contribute 0 and count in ``N-1``. Per pair it is the inverse of the
    :func:`network_efficiency` ratio. Computed from the OD matrix (zones only), not on the
    whole graph.

    References
    ----------
    .. [1] Crucitti, P., Latora, V. & Porta, S. (2006). Centrality measures in spatial
       networks of urban streets. *Physical Review E*, 73(3), 036125.
       https://doi.org/10.1103/PhysRevE.73.036125

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 340100]
    >>> T = pd.DataFrame([[0, 60, 120], [60, 0, 90], [120, 90, 0]], ids, ids, dtype=float)
    >>> d = pd.DataFrame([[0, 175, 350], [175, 0, 175], [350, 175, 0]], ids, ids, dtype=float)
    >>> straightness(T, d).round(4).tolist()  # 310000: (30/60 + 60/120) / 2
    [0.5, 0.4167, 0.4167]
    """
    p = _resolve(params, ideal_speed_kph=ideal_speed_kph)
    T, t = _od(T)
    n = t.shape[0]
    if n < 2:
        msg = "T: straightness needs at least 2 zones"
        raise DataError(msg)
    _positive_offdiag(t, T, "straightness")
    d = _like(dist_km, T, "dist_km")
    out = (_ideal_times(d, p.ideal_speed_kph) * _inverse_times(t)).sum(axis=1) / (n - 1)
    return pd.Series(out, index=T.index, name="straightness")

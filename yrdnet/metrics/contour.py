r"""Contour (cumulative-opportunity) accessibility: the mass within a travel-time threshold.

Split from :mod:`yrdnet.metrics.accessibility` (which still exports these names) for
size; the conventions of that module apply (``T`` a square matrix of minutes, ``mass``
aligned on ``T.index``, self-pairs excluded unless ``include_self``, unreachable pairs
never within a threshold, thresholds inclusive). Contour measures count what lies within
a fixed time, a step decay of impedance (Geurs & van Wee 2004; indicators digest §1.1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdnet.core.params import MetricParams
from yrdnet.metrics.inputs import _align, _od, _offdiag, _resolve, _threshold

__all__ = ["cumulative_opportunities", "daily_accessibility"]


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
    return pd.Series(_within(t, m, thr, include_self=include_self), index=T.index, name="cumulative_opportunities")


def _within(t: np.ndarray, m: np.ndarray, thr: float, *, include_self: bool = False) -> np.ndarray:
    """:func:`cumulative_opportunities` of times ``t`` and masses ``m`` at a checked threshold ``thr``."""
    within = t <= thr
    if not include_self:
        within &= _offdiag(t.shape[0])
    return within @ m


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

"""Network efficiency, closeness and straightness of zones, from an OD travel-time matrix.

The efficiency side of the measures computed from the door-to-door matrix ``T``:
Gutiérrez–Monzón network efficiency (travel time against the ideal straight-line time),
nodal and global efficiency (Latora & Marchiori), closeness, harmonic closeness and
straightness. Inputs, self-pairs, unreachable pairs and parameters follow the
conventions of :mod:`yrdnet.metrics.accessibility` (where these functions are also
re-exported); the references are in each function's docstring.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams
from yrdnet.metrics.inputs import (
    _align,
    _ideal_times,
    _inverse_of,
    _inverse_times,
    _like,
    _od,
    _offdiag,
    _once,
    _positive_offdiag,
    _resolve,
    _show,
)

__all__ = [
    "closeness",
    "global_efficiency",
    "harmonic_closeness",
    "network_efficiency",
    "nodal_efficiency",
    "straightness",
]

logger = logging.getLogger(__name__)


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
    :func:`~yrdnet.metrics.accessibility.watt`); ``NaN`` if nothing is reachable. Values
    below 1 mean some trip is faster than ``v`` in a straight line — raise ``v``.

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
    ideal = _network_ideal(dist_km, d, T.index, p.ideal_speed_kph)
    out = _network_efficiency(t, m, ideal, np.isfinite(t) & _offdiag(t.shape[0]), p.ideal_speed_kph)
    return pd.Series(out, index=T.index, name="network_efficiency")


def _network_ideal(dist_km: pd.DataFrame, d: np.ndarray, index: pd.Index, speed_kph: float) -> np.ndarray:
    """Ideal times ``60 d / v`` off the diagonal (1 km on it) of :func:`network_efficiency`; once per ``dist_km``.

    ``d`` is ``dist_km`` in the order of ``index`` (as ``_like`` gives it). Raises if two
    distinct zones are 0 km apart.
    """

    def make() -> np.ndarray:
        off = _offdiag(d.shape[0])
        zero = (d == 0) & off
        if zero.any():
            r, c = np.nonzero(zero)
            msg = f"dist_km: distinct zones 0 km apart (ideal time 0) at {_show(zip(index[r], index[c], strict=True))}"
            raise DataError(msg)
        return _ideal_times(np.where(off, d, 1.0), speed_kph)

    return _once("network_ideal", (dist_km,), (speed_kph, tuple(index)), make)


def _network_efficiency(
    t: np.ndarray, m: np.ndarray, ideal: np.ndarray, reach: np.ndarray, speed_kph: float
) -> np.ndarray:
    """:func:`network_efficiency` of times ``t``, masses ``m``, ideal times and the finite off-diagonal pairs."""
    ratio = np.where(reach, np.where(reach, t, 0.0) / ideal, 0.0)
    w = np.where(reach, m[None, :], 0.0)
    den = w.sum(axis=1)
    out = np.divide((ratio * w).sum(axis=1), den, out=np.full(t.shape[0], np.nan), where=den > 0)
    if np.nanmin(out, initial=np.inf) < 1:
        logger.info("network efficiency < 1: some trips beat %s km/h", speed_kph)
    return out


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
    inv = _inverse_of(T, t).sum(axis=1)
    if dist_km is None:
        return T, inv, None
    d = _like(dist_km, T, "dist_km")
    key = (p.ideal_speed_kph, tuple(T.index))  # the ideal sums depend on dist_km, the speed and T's order
    return T, inv, _once("ideal_efficiency", (dist_km,), key, lambda: _ideal_efficiency(d, p.ideal_speed_kph))


def _ideal_efficiency(d: np.ndarray, speed_kph: float) -> np.ndarray:
    """Row sums of ``1/T_hat`` of the ideal complete graph (``T_hat = 60 d / v``) on distances ``d``."""
    off = _offdiag(d.shape[0])
    if ((d == 0) & off).any():
        msg = "dist_km: distinct zones 0 km apart make the ideal efficiency infinite"
        raise DataError(msg)
    return _inverse_times(np.where(off, _ideal_times(d, speed_kph), 0.0)).sum(axis=1)


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
    _positive_offdiag(t, T, "closeness")
    return pd.Series(_closeness(t, np.isfinite(t) & _offdiag(t.shape[0])), index=T.index, name="closeness")


def _closeness(t: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """:func:`closeness` of positive off-diagonal times ``t``; ``reach`` the finite off-diagonal pairs."""
    n = t.shape[0]
    r = reach.sum(axis=1).astype(np.float64)
    total = np.where(reach, t, 0.0).sum(axis=1)
    scale = r / (n - 1) if n > 1 else np.zeros(n)
    return np.divide(r, total, out=np.zeros(n), where=total > 0) * scale


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
    out = (_ideal_times(d, p.ideal_speed_kph) * _inverse_of(T, t)).sum(axis=1) / (n - 1)
    return pd.Series(out, index=T.index, name="straightness")

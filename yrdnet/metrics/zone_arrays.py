"""The per-zone accessibility and efficiency measures of one travel-time matrix, on arrays.

:func:`yrdnet.analyze` asks for a dozen per-zone measures of each mode's matrix.
Computed one public function at a time, each checks the inputs again and builds its
own Series; :func:`mode_arrays` checks them once and runs the same kernels as those
functions (:func:`~yrdnet.metrics.accessibility.watt`,
:func:`~yrdnet.metrics.contour.cumulative_opportunities`,
:func:`~yrdnet.metrics.accessibility.reachable_share`,
:func:`~yrdnet.metrics.efficiency.network_efficiency`,
:func:`~yrdnet.metrics.efficiency.nodal_efficiency`,
:func:`~yrdnet.metrics.efficiency.closeness`,
:func:`~yrdnet.metrics.efficiency.harmonic_closeness`,
:func:`~yrdnet.metrics.efficiency.straightness`,
:func:`~yrdnet.metrics.accessibility.time_to`), so every value is the one the function
gives, bit for bit. Formulas and references are in those functions' docstrings; the
input conventions in :mod:`yrdnet.metrics.accessibility`. Not part of the package's
``__all__`` (the analysis' fast path).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from yrdnet.core.params import MetricParams
from yrdnet.metrics.accessibility import _reachable_share, _watt
from yrdnet.metrics.contour import _within
from yrdnet.metrics.efficiency import _closeness, _efficiency_parts, _network_efficiency, _network_ideal
from yrdnet.metrics.inputs import (
    _align,
    _ideal_times,
    _inverse_of,
    _like,
    _od,
    _offdiag,
    _positive_offdiag,
    _threshold,
)

__all__: list[str] = []


class ZoneArrays(NamedTuple):
    """The measures of :func:`mode_arrays`, one value per zone of ``zones``."""

    zones: pd.Index
    watt_pop: np.ndarray
    watt_gdp: np.ndarray  # NaN when some GDP is unknown
    cumulative: tuple[np.ndarray, ...]  # one per threshold of params.thresholds_min
    reachable_share: np.ndarray
    daily: np.ndarray
    network_efficiency: np.ndarray
    nodal_efficiency: np.ndarray
    closeness: np.ndarray
    harmonic_closeness: np.ndarray
    straightness: np.ndarray
    time_to_core: np.ndarray
    time_to_subcentre: np.ndarray


def _columns(index: pd.Index, labels: list[object]) -> np.ndarray:
    """Positions of ``labels`` (all in ``index``) as :func:`~yrdnet.metrics.accessibility.time_to` finds them."""
    return np.asarray(index.get_indexer(pd.Index(labels)), dtype=np.intp)


def mode_arrays(
    T: pd.DataFrame,
    population: pd.Series,
    gdp: pd.Series,
    dist_km: pd.DataFrame,
    params: MetricParams,
    core: object,
    subcentres: tuple[object, ...],
) -> ZoneArrays:
    """Every per-zone measure of one mode's matrix ``T``, each as its metric function gives it.

    WATT by population and by GDP (``NaN`` when some GDP is not finite), the contour
    measures at ``params.thresholds_min`` and ``params.daily_min``, the reachable share,
    network and nodal efficiency against ``dist_km`` at ``params.ideal_speed_kph``,
    closeness, harmonic closeness, straightness, and the time to ``core`` and to the
    nearest of ``subcentres``; masses by population but the GDP WATT.

    Raises
    ------
    ValueError
        On inputs the metric functions reject (fewer than 2 zones, missing targets ...)
        or any check of :mod:`yrdnet.metrics.inputs` (``DataError``): call the metric
        functions themselves for their own message.
    """
    T, t = _od(T)
    n = t.shape[0]
    if n < 2 or not subcentres or core not in T.index or any(c not in T.index for c in subcentres):
        raise ValueError("left to the metric functions")  # they raise the proper error
    m = _align(population, T.index, "mass")
    d = _like(dist_km, T, "dist_km")
    _positive_offdiag(t, T, "closeness")
    off = _offdiag(n)
    reach = np.isfinite(t) & off
    has_gdp = bool(np.isfinite(gdp.to_numpy()).all())
    g = _align(gdp, T.index, "mass") if has_gdp else None
    speed = params.ideal_speed_kph
    _, inv, ideal_inv = _efficiency_parts(T, dist_km, None, params)
    if ideal_inv is None:  # pragma: no cover - dist_km is given
        raise ValueError("no ideal efficiency")
    return ZoneArrays(
        zones=T.index,
        watt_pop=_watt(t, m, reach),
        watt_gdp=_watt(t, g, reach) if g is not None else np.full(n, np.nan),
        cumulative=tuple(_within(t, m, _threshold(thr)) for thr in params.thresholds_min),
        reachable_share=_reachable_share(m, reach, off),
        daily=_within(t, m, _threshold(params.daily_min)),
        network_efficiency=_network_efficiency(t, m, _network_ideal(dist_km, d, T.index, speed), reach, speed),
        nodal_efficiency=inv / ideal_inv,
        closeness=_closeness(t, reach),
        harmonic_closeness=inv / (n - 1),
        straightness=(_ideal_times(d, speed) * _inverse_of(T, t)).sum(axis=1) / (n - 1),
        time_to_core=t[:, _columns(T.index, [core])].min(axis=1),
        time_to_subcentre=t[:, _columns(T.index, list(subcentres))].min(axis=1),
    )

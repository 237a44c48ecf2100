r"""Normalisation and aggregation of the composite (:mod:`yrdnet.analysis.composite`).

The steps 5 and 6 of OECD & JRC (2008), kept apart from the framework:

* **normalisation** of a raw component :math:`x_{k,s}` (component :math:`k`, scenario
  :math:`s`, normative direction :math:`d_k = \pm 1`) to a score :math:`c_{k,s}`:

  ``bounds`` (default)
      a fixed map onto :math:`[0, 1]` given by the measure's natural bounds or an
      external target (stated per component in :data:`yrdnet.analysis.composite.COMPONENTS`);
      a scenario's score depends on that scenario alone.
  ``minmax``
      :math:`c = (x - \min_R x) / (\max_R x - \min_R x)`, reversed for :math:`d_k = -1`,
      over a reference set :math:`R` of scenarios (e.g. every shipped scenario and
      timeline year); 0.5 where the component is constant over :math:`R`.
  ``zscore``
      :math:`c = d_k (x - \bar x_R) / \sigma_R` (population standard deviation); 0 where
      constant.
  ``progress``
      :func:`distance_to_target` from a base scenario (0) to a reference scenario (1):
      a *description* of the share of a plan's change achieved, never a ranking — the
      reference scores 1 by construction.

* **aggregation**: arithmetic :math:`I = \sum_k w_k c_k` (default, fully compensatory,
  defined at 0 and for negative z-scores) or geometric :math:`I = \prod_k
  \max(\varepsilon, c_k)^{w_k}` (partially compensatory; :math:`\varepsilon` is a stated
  choice so that a zero score does not zero the index, explored in the uncertainty
  analysis), weights normalised to sum 1.

References
----------
.. [1] OECD & JRC (2008) *Handbook on Constructing Composite Indicators: Methodology and
   User Guide*. Paris: OECD Publishing, https://doi.org/10.1787/9789264043466-en
   (steps 5 normalisation, 6 weighting and aggregation).
.. [2] Nardo, M., Saisana, M., Saltelli, A. & Tarantola, S. (2005) *Tools for Composite
   Indicators Building*. EUR 21682 EN, European Commission JRC, Ispra.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd

__all__ = [
    "AGGREGATIONS",
    "FLOOR",
    "NORMALISATIONS",
    "aggregate",
    "arithmetic_index",
    "distance_to_target",
    "effective_weights",
    "geometric_index",
    "reference_scores",
]

#: Smallest score of the geometric aggregation (:math:`\varepsilon`): a stated choice.
FLOOR = 0.01
#: Normalisation methods (module docstring).
NORMALISATIONS = ("bounds", "minmax", "zscore", "progress")
#: Aggregation methods (module docstring).
AGGREGATIONS = ("arithmetic", "geometric")


def distance_to_target(value: np.ndarray | float, base: np.ndarray | float, target: np.ndarray | float) -> np.ndarray:
    r"""Distance-to-target normalisation: the base = 0, the target = 1.

    .. math:: c = \frac{x - x_{0}}{x^* - x_{0}}

    Parameters
    ----------
    value, base, target
        The raw value :math:`x`, the base value :math:`x_0` and the target :math:`x^*`
        (broadcast together). A target below the base (a gap to close) gives a positive
        score to a fall.

    Returns
    -------
    numpy.ndarray
        The score; above 1 beyond the target, below 0 behind the base; ``NaN`` where the
        target equals the base.

    Notes
    -----
    Used by the ``progress`` normalisation only. With a scenario's own value as the
    target that scenario scores 1 by construction, so the score describes progress along
    that scenario and cannot rank it against alternatives; the composite's default is
    the ``bounds`` normalisation.

    References
    ----------
    .. [1] OECD & JRC (2008) Handbook on Constructing Composite Indicators, step 5.

    Examples
    --------
    >>> distance_to_target(np.array([0.4, 0.7, 1.0]), 0.4, 1.0).round(2).tolist()
    [0.0, 0.5, 1.0]
    >>> float(distance_to_target(4.0, 5.0, 3.0))
    0.5
    """
    v, b, t = (np.asarray(x, dtype=float) for x in (value, base, target))
    d = t - b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d != 0, (v - b) / np.where(d != 0, d, 1.0), np.nan)


def reference_scores(x: np.ndarray, ref: np.ndarray, direction: np.ndarray, method: str) -> np.ndarray:
    r"""Min-max or z-score normalisation of raw values against a reference set.

    .. math:: c^{\mathrm{minmax}} = \frac{x - \min_R x}{\max_R x - \min_R x}
              \ (d = +1), \qquad
              c^{z} = d\,\frac{x - \bar x_R}{\sigma_R}

    Parameters
    ----------
    x
        Raw values, shape ``(..., n, K)``: scenarios on the second-to-last axis,
        components on the last.
    ref
        Raw values of the reference set :math:`R`, shape ``(..., n_ref, K)`` (leading
        axes broadcast with ``x``'s, e.g. one reference set per uncertainty draw).
    direction
        :math:`d_k = +1` (more is better) or :math:`-1`, one per component; for
        ``minmax`` and :math:`d = -1` the score is :math:`(\max_R x - x) / (\max_R x - \min_R x)`.
    method
        ``"minmax"`` or ``"zscore"``.

    Returns
    -------
    numpy.ndarray
        Scores, shaped like ``x``. A component constant
        over :math:`R` scores 0.5 (min-max) or 0 (z-score) everywhere: it then cannot
        change a ranking under either aggregation.

    References
    ----------
    .. [1] OECD & JRC (2008) Handbook on Constructing Composite Indicators, step 5
       (min-max and standardisation).

    Examples
    --------
    >>> ref = np.array([[0.0, 10.0], [1.0, 20.0]])
    >>> reference_scores(np.array([[0.5, 12.0]]), ref, np.array([1, -1]), "minmax").tolist()
    [[0.5, 0.8]]
    >>> reference_scores(np.array([[1.0, 20.0]]), ref, np.array([1, -1]), "zscore").tolist()
    [[1.0, -1.0]]
    """
    x = np.asarray(x, dtype=float)
    ref = np.asarray(ref, dtype=float)
    d = np.asarray(direction, dtype=float)
    if method == "minmax":
        lo, hi = ref.min(axis=-2, keepdims=True), ref.max(axis=-2, keepdims=True)
        span = hi - lo
        with np.errstate(divide="ignore", invalid="ignore"):
            up = (x - lo) / np.where(span > 0, span, 1.0)
        return np.where(span > 0, np.where(d > 0, up, 1.0 - up), 0.5)
    if method == "zscore":
        mu, sd = ref.mean(axis=-2, keepdims=True), ref.std(axis=-2, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = d * (x - mu) / np.where(sd > 0, sd, 1.0)
        return np.where(sd > 0, z, 0.0)
    raise ValueError(f"method must be 'minmax' or 'zscore', got {method!r}")


def arithmetic_index(scores: np.ndarray, weights: np.ndarray | Sequence[float]) -> np.ndarray:
    r"""Weighted arithmetic mean of component scores.

    .. math:: I = \sum_k \frac{w_k}{\sum_j w_j}\, c_k

    Parameters
    ----------
    scores
        Component scores, components on the last axis (any leading shape).
    weights
        Non-negative weights, one per component or broadcasting against ``scores``.

    Returns
    -------
    numpy.ndarray
        The index, shape ``scores.shape[:-1]`` (broadcast with the weights).

    Notes
    -----
    Fully compensatory: a unit lost on one component is made up by a unit gained on
    another at the weights' rate (OECD & JRC 2008, step 6). Defined for any real score,
    so no floor is needed.

    Examples
    --------
    >>> float(arithmetic_index(np.array([1.0, 0.0]), [3, 1]))
    0.75
    """
    s = np.asarray(scores, dtype=float)
    w = _weights(weights)
    return cast(np.ndarray, (s * w).sum(axis=-1))


def geometric_index(scores: np.ndarray, weights: np.ndarray | Sequence[float], floor: float = FLOOR) -> np.ndarray:
    r"""Weighted geometric mean of component scores, floored and capped.

    .. math:: I = \prod_k \tilde c_k^{\,w_k / \sum_j w_j}, \qquad
              \tilde c_k = \min(1, \max(\varepsilon, c_k))

    Parameters
    ----------
    scores
        Component scores, components on the last axis (any leading shape).
    weights
        Non-negative weights, one per component, or an array broadcasting against
        ``scores`` (e.g. one weight vector per draw); normalised to sum 1 on the last axis.
    floor
        :math:`\varepsilon > 0`: a score below it counts as :math:`\varepsilon`, so a
        zero component does not zero the index.

    Returns
    -------
    numpy.ndarray
        The index, shape ``scores.shape[:-1]`` (broadcast with the weights), in
        ``[floor, 1]``; ``NaN`` if a score is ``NaN``.

    Notes
    -----
    Partially compensatory (OECD & JRC 2008). The ``bounds`` and ``minmax`` scores lie
    in :math:`[0, 1]`, so the cap does not act on them; :math:`\varepsilon` acts only on
    scores below it (a min-max score of 0) and is a stated choice, varied in the
    uncertainty analysis.

    References
    ----------
    .. [1] OECD & JRC (2008) Handbook on Constructing Composite Indicators, step 6.

    Examples
    --------
    >>> round(float(geometric_index(np.array([1.0, 0.25]), [1, 1])), 6)
    0.5
    >>> round(float(geometric_index(np.array([0.0, 1.0]), [1, 1], floor=0.01)), 6)
    0.1
    """
    s = np.asarray(scores, dtype=float)
    if floor <= 0:
        raise ValueError(f"floor must be > 0, got {floor}")
    w = _weights(weights)
    return cast(np.ndarray, np.exp((np.log(np.clip(s, floor, 1.0)) * w).sum(axis=-1)))


def aggregate(
    scores: np.ndarray, weights: np.ndarray | Sequence[float], aggregation: str, floor: float = FLOOR
) -> np.ndarray:
    """:func:`arithmetic_index` or :func:`geometric_index` by name (:data:`AGGREGATIONS`).

    Examples
    --------
    >>> float(aggregate(np.array([0.25, 1.0]), [1, 1], "geometric"))
    0.5
    """
    if aggregation == "arithmetic":
        return arithmetic_index(scores, weights)
    if aggregation == "geometric":
        return geometric_index(scores, weights, floor)
    raise ValueError(f"aggregation must be one of {AGGREGATIONS}, got {aggregation!r}")


def _weights(weights: np.ndarray | Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if (w < 0).any() or not (w.sum(axis=-1) > 0).all():
        raise ValueError("weights must be non-negative with a positive sum")
    return cast(np.ndarray, w / w.sum(axis=-1, keepdims=True))


def effective_weights(
    scores: pd.DataFrame,
    weights: Sequence[float] | np.ndarray,
    floor: float = FLOOR,
    *,
    aggregation: str = "geometric",
) -> pd.DataFrame:
    r"""Effective weights: each component's share of the index's variance across scenarios.

    The index is linear in :math:`\ell_k` — the score :math:`c_k` (arithmetic) or
    :math:`\ln \max(\varepsilon, \min(1, c_k))` (geometric, on the log scale) — so with
    :math:`L = \sum_k w_k \ell_k` its variance splits exactly:

    .. math:: S_k = \frac{w_k \operatorname{Cov}(\ell_k, L)}{\operatorname{Var}(L)},
              \qquad \sum_k S_k = 1, \qquad
              R_k = \frac{\rho(\ell_k, L)^2}{\sum_j \rho(\ell_j, L)^2}

    Parameters
    ----------
    scores
        Normalised scores, one row per scenario, one column per component.
    weights
        Nominal weights (normalised to sum 1).
    floor
        :math:`\varepsilon` of :func:`geometric_index` (geometric only).
    aggregation
        ``"geometric"`` (default, as in 0.2) or ``"arithmetic"``.

    Returns
    -------
    pandas.DataFrame
        Index component: ``nominal``, ``effective`` (:math:`S_k`; may be negative for a
        component moving against the index) and ``correlation_ratio`` (:math:`R_k`).

    Notes
    -----
    :math:`R_k` is the linear estimate of the first-order correlation ratio
    :math:`\operatorname{Var}(E[I \mid c_k]) / \operatorname{Var}(I)` that Paruolo,
    Saisana & Saltelli (2013) propose as a component's importance, rescaled to sum 1.
    With a handful of scenarios both are descriptive. A constant component gets 0; if the
    index does not vary, both columns are ``NaN``.

    References
    ----------
    .. [1] OECD & JRC (2008) Handbook on Constructing Composite Indicators.
    .. [2] Paruolo, P., Saisana, M. & Saltelli, A. (2013) Ratings and rankings: voodoo or
       science? *J. R. Stat. Soc. A* 176(3), 609-634,
       https://doi.org/10.1111/j.1467-985X.2012.01059.x

    Examples
    --------
    >>> s = pd.DataFrame({"a": [0.01, 1.0], "b": [0.01, 0.01]})
    >>> effective_weights(s, [0.5, 0.5])["effective"].tolist()
    [1.0, 0.0]
    >>> effective_weights(s, [0.5, 0.5], aggregation="arithmetic")["effective"].tolist()
    [1.0, 0.0]
    """
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"aggregation must be one of {AGGREGATIONS}, got {aggregation!r}")
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    s = scores.to_numpy(float)
    ell = np.log(np.clip(s, floor, 1.0)) if aggregation == "geometric" else s
    L = ell @ w
    var = float(np.var(L))
    if var <= 0 or not np.isfinite(var):
        eff = np.full(len(w), np.nan)
        cr = np.full(len(w), np.nan)
    else:
        dl = L - L.mean()
        cov = ((ell - ell.mean(axis=0)) * dl[:, None]).mean(axis=0)
        eff = w * cov / var
        sd = ell.std(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            rho = cov / (sd * L.std())
        r2 = np.where(sd > 0, rho**2, 0.0)
        cr = r2 / r2.sum()
    return pd.DataFrame(
        {"nominal": w, "effective": np.round(eff, 12), "correlation_ratio": cr},
        index=pd.Index(list(scores.columns), name="component"),
    )

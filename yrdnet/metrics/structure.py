r"""Spatial-structure optimisation index (空间结构优化): a documented composite in [0, 1].

The index summarises four components of the target structure of the YRD — "Shanghai as
core, Nanjing / Hangzhou / Hefei as sub-centres, six metropolitan areas integrating" —
each scored in ``[0, 1]`` (1 = better) by a **fixed transform** that does not depend on
the scenario set (no per-scenario min-max scaling), so that adding or dropping a scenario
never changes another scenario's score:

============== ================================================ ==========================
component      raw value                                        score
============== ================================================ ==========================
polycentricity normalised entropy of potential accessibility    identity (already [0, 1])
               across the centres (default: metro cores)
integration    mean over metros of the share of member pairs    identity (already [0, 1])
               within ``integration_min`` (60 min)
linkage        mean core-sub-centre time (minutes, both ways)   mean of
                                                                ``2 ** (-t_s / h)``,
                                                                ``h = core_link_min``
equity         Gini of potential accessibility over all zones   ``1 - Gini``
============== ================================================ ==========================

The linkage score halves for every ``core_link_min`` (90) minutes: 1 at 0 min, 0.5 at
90 min, 0.25 at 180 min, 0 if unreachable; every minute saved counts, with no cap at
the policy target.

The composite is the weighted mean :math:`I = \sum_k w_k c_k / \sum_k w_k` with
:class:`~yrdnet.params.StructureWeights` (equal by default; no published weighting
exists). :func:`weight_sensitivity` shows how much the index and the ranking of
scenarios depend on that choice. Masses are fixed across scenarios, so differences in
the index are the network's doing alone. The index is a *normative summary*; report the
components next to it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams, StructureWeights
from yrdnet.metrics.accessibility import potential_accessibility
from yrdnet.metrics.equity import gini
from yrdnet.metrics.inputs import _od, _resolve
from yrdnet.metrics.integration import metro_integration
from yrdnet.metrics.polycentricity import core_subcentre_linkage, entropy

__all__ = ["COMPONENTS", "structure_components", "structure_index", "weight_sensitivity"]

#: Metro id type (any hashable; ``members`` and ``cores`` share it).
_K = TypeVar("_K", bound=Hashable)

COMPONENTS = ("polycentricity", "integration", "linkage", "equity")

_TRANSFORMS = {
    "polycentricity": "identity (normalised entropy of potential accessibility of centres)",
    "integration": "identity (mean share of intra-metro pairs within integration_min)",
    "linkage": "mean of 2**(-t/core_link_min) over sub-centres (raw: mean minutes)",
    "equity": "1 - Gini of potential accessibility over all zones",
}


def structure_components(
    T: pd.DataFrame,
    mass: pd.Series,
    *,
    members: Mapping[_K, Sequence[Hashable]],
    cores: Mapping[_K, Hashable],
    core: Hashable,
    subcentres: Iterable[Hashable],
    centres: Iterable[Hashable] | None = None,
    population: pd.Series | None = None,
    params: MetricParams | None = None,
) -> pd.DataFrame:
    r"""Raw values and fixed-transform scores of the four structure components.

    .. math:: c_{\mathrm{poly}} = E^*(A_{\mathrm{centres}}), \quad
              c_{\mathrm{int}} = \overline{S_m}, \quad
              c_{\mathrm{link}} = \frac{1}{|S|} \sum_{s \in S} 2^{-\bar t_{cs}/h},
              \quad c_{\mathrm{eq}} = 1 - G(A)

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    mass
        Masses (population or GDP), fixed across scenarios, for potential accessibility
        ``A`` (:func:`~yrdnet.metrics.accessibility.potential_accessibility` with ``params``).
    members
        Metro id -> member zone ids.
    cores
        Metro id -> core zone id.
    core
        The regional core (Shanghai, 310000).
    subcentres
        Regional sub-centres (Nanjing, Hangzhou, Hefei).
    centres
        Centres for the polycentricity component. Default the metropolitan cores.
    population
        Population for :func:`~yrdnet.metrics.integration.metro_integration`. Default ``mass``.
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``component`` (:data:`COMPONENTS` order): ``raw``, ``score`` (in
        ``[0, 1]``, higher = closer to the target structure) and ``transform`` (text).

    Notes
    -----
    ``integration`` averages the metros' ``pairs_within_share`` with equal weight per
    metro, skipping one-member metros. The transforms are listed in the module docstring
    and never depend on other scenarios.

    References
    ----------
    .. [1] NDRC (2019). 长江三角洲区域一体化发展规划纲要 [Outline of the YRD regional
       integration plan].
    .. [2] OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology
       and User Guide*. Paris: OECD. https://doi.org/10.1787/9789264043466-en

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 330100]
    >>> T = pd.DataFrame([[0, 90, 90], [90, 0, 90], [90, 90, 0]], ids, ids, dtype=float)
    >>> m = pd.Series([1.0, 1, 1], ids)
    >>> comp = structure_components(T, m, members={"sh": ids}, cores={"sh": 310000},
    ...                             core=310000, subcentres=[320100, 330100],
    ...                             centres=ids)
    >>> comp["score"].round(3).tolist()  # even, no pair within 60, 2**-1, no inequality
    [1.0, 0.0, 0.5, 1.0]
    """
    p = _resolve(params)
    T, _ = _od(T)
    acc = potential_accessibility(T, mass, params=p)
    centre_ids = list(dict.fromkeys(cores.values() if centres is None else centres))
    missing = [c for c in centre_ids if c not in acc.index]
    if missing:
        msg = f"centres not in T: {missing}"
        raise DataError(msg)
    poly = entropy(acc.loc[centre_ids])  # type: ignore[index]  # pandas-stubs: labels may be any Hashable
    metros = metro_integration(T, members, cores, mass if population is None else population, params=p)
    shares = metros["pairs_within_share"].dropna()
    if shares.empty:
        msg = "integration needs at least one metro with 2 or more members"
        raise DataError(msg)
    integ = float(shares.mean())
    link = core_subcentre_linkage(T, core, subcentres, params=p)
    t_link = link["mean_min"].to_numpy()
    link_score = float(np.exp2(-t_link / p.core_link_min).mean())  # 2**-inf = 0
    g = gini(acc)
    raw = [poly, integ, float(t_link.mean()), g]
    score = [poly, integ, link_score, 1.0 - g]
    return pd.DataFrame(
        {"raw": raw, "score": score, "transform": [_TRANSFORMS[c] for c in COMPONENTS]},
        index=pd.Index(COMPONENTS, name="component"),
    )


def _scores(components: Mapping[str, float] | pd.Series | pd.DataFrame) -> np.ndarray:
    """Scores of one scenario as an array in COMPONENTS order, validated."""
    if isinstance(components, pd.DataFrame):
        if "score" not in components.columns:
            msg = "a components DataFrame needs a 'score' column (see structure_components)"
            raise DataError(msg)
        components = components["score"]
    if not isinstance(components, (Mapping, pd.Series)):
        msg = f"components must be a mapping, Series or DataFrame, got {type(components).__name__}"
        raise TypeError(msg)
    keys = set(components.keys())
    problems = []
    missing = [c for c in COMPONENTS if c not in keys]
    if missing:
        problems.append(f"missing {missing}")
    extra = sorted(str(k) for k in keys - set(COMPONENTS))
    if extra:
        problems.append(f"unknown {extra} (valid: {list(COMPONENTS)})")
    if problems:
        raise DataError("components: " + "; ".join(problems))
    try:
        v = np.array([float(components[c]) for c in COMPONENTS])
    except (TypeError, ValueError) as exc:
        msg = f"components: scores must be numbers ({exc})"
        raise DataError(msg) from None
    bad = [c for c, x in zip(COMPONENTS, v, strict=True) if not (0.0 <= x <= 1.0)]
    if bad:
        msg = f"components: scores must be in [0, 1]; bad for {bad}"
        raise DataError(msg)
    return v


def _weights(weights: StructureWeights | None) -> np.ndarray:
    w = weights if weights is not None else StructureWeights()
    if not isinstance(w, StructureWeights):
        msg = f"weights must be a StructureWeights, got {type(w).__name__}"
        raise TypeError(msg)
    arr = np.array([getattr(w, c) for c in COMPONENTS], dtype=np.float64)
    return arr / arr.sum()


def structure_index(
    components: Mapping[str, float] | pd.Series | pd.DataFrame,
    weights: StructureWeights | None = None,
) -> float:
    r"""Spatial-structure optimisation index: weighted mean of the component scores.

    Superseded by :func:`yrdnet.composite.composite_index` (issue 11, item 6: one
    component per idea, distance-to-target normalisation, geometric aggregation,
    effective weights); kept because the ``structure_index`` region row is scripted
    against.

    .. math:: I = \frac{\sum_k w_k c_k}{\sum_k w_k}, \qquad
              k \in \{\text{polycentricity, integration, linkage, equity}\}

    Parameters
    ----------
    components
        Scores in ``[0, 1]`` keyed by component (a mapping or Series), or the DataFrame of
        :func:`structure_components` (its ``score`` column is used).
    weights
        Component weights; ``None`` uses ``StructureWeights()`` (equal). They are
        normalised to sum 1.

    Returns
    -------
    float
        In ``[0, 1]`` (1 = every component at its best).

    Raises
    ------
    DataError
        If a component is missing or unknown, or a score is outside ``[0, 1]``.

    Notes
    -----
    Scores must come from the fixed transforms of :func:`structure_components` so that
    the index is comparable across scenarios. A weighted arithmetic mean lets a strong
    component compensate a weak one; inspect the components too.

    References
    ----------
    .. [1] OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology
       and User Guide*. Paris: OECD. https://doi.org/10.1787/9789264043466-en

    Examples
    --------
    >>> structure_index({"polycentricity": 1, "integration": 0, "linkage": 0.5, "equity": 1})
    0.625
    >>> w = StructureWeights(polycentricity=1, integration=0, linkage=0, equity=0)
    >>> structure_index({"polycentricity": 0.8, "integration": 0, "linkage": 0, "equity": 0}, w)
    0.8
    """
    return float(np.clip(_scores(components) @ _weights(weights), 0.0, 1.0))


def _scenario_table(
    components: Mapping[str, float] | pd.Series | pd.DataFrame | Mapping[Hashable, object],
) -> pd.DataFrame:
    """Scenario x component score table from one scenario or a mapping of scenarios."""
    if isinstance(components, pd.DataFrame) and "score" not in components.columns:
        rows = {k: _scores(components.loc[k]) for k in components.index}
    elif (
        isinstance(components, Mapping)
        and components
        and all(isinstance(v, (Mapping, pd.Series, pd.DataFrame)) for v in components.values())
    ):
        rows = {k: _scores(v) for k, v in components.items()}  # type: ignore[arg-type]
    else:
        rows = {"scenario": _scores(components)}  # type: ignore[arg-type]
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(COMPONENTS))


def weight_sensitivity(
    components: Mapping[str, float] | pd.Series | pd.DataFrame | Mapping[Hashable, object],
    weights: StructureWeights | None = None,
    *,
    n: int = 1000,
    seed: int | None = 0,
    concentration: float = 20.0,
    delta: float = 0.5,
) -> pd.DataFrame:
    r"""How the structure index (and the ranking of scenarios) moves when weights change.

    .. math:: w \sim \mathrm{Dirichlet}(\kappa\, w^0), \qquad
              I^{(d)}_s = \sum_k w^{(d)}_k c_{sk}, \quad d = 1, \dots, n

    Parameters
    ----------
    components
        One scenario's scores (as for :func:`structure_index`), a mapping scenario ->
        scores, or a DataFrame with one row per scenario and one column per component.
    weights
        Base weights ``w0``; ``None`` uses ``StructureWeights()``.
    n
        Number of Dirichlet draws.
    seed
        Seed of :func:`numpy.random.default_rng` (``None`` = fresh entropy).
    concentration
        ``kappa``: larger = draws closer to ``w0`` (with equal weights and ``kappa = 20``
        each weight has SD about 0.09). Zero base weights stay zero.
    delta
        One-at-a-time perturbation: each weight in turn is multiplied by ``1 - delta`` and
        ``1 + delta`` (then all are renormalised).

    Returns
    -------
    pandas.DataFrame
        One row per scenario (index ``scenario``): ``base`` (index at ``w0``), ``mean``,
        ``std``, ``min``, ``p05``, ``p50``, ``p95``, ``max`` over the draws, ``oat_min`` and
        ``oat_max`` (range over the one-at-a-time variants), ``rank_base`` (1 = best at
        ``w0``), ``rank_stability`` (share of draws keeping that rank) and ``prob_best``
        (share of draws in which the scenario has the highest index).

    Raises
    ------
    ValueError
        If ``n < 1``, ``concentration <= 0`` or ``delta`` is not in ``(0, 1)``.

    Notes
    -----
    Ranks use the "min" method (ties share the better rank). With one scenario,
    ``rank_stability`` and ``prob_best`` are 1. Deterministic for a given ``seed``.

    References
    ----------
    .. [1] Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity
       analysis techniques as tools for the quality assessment of composite indicators.
       *Journal of the Royal Statistical Society A*, 168(2), 307-323.
       https://doi.org/10.1111/j.1467-985X.2005.00350.x

    Examples
    --------
    >>> c = {"polycentricity": 0.5, "integration": 0.5, "linkage": 0.5, "equity": 0.5}
    >>> weight_sensitivity(c, n=50)[["base", "min", "max"]].round(6).values.tolist()
    [[0.5, 0.5, 0.5]]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        msg = f"n must be a positive integer, got {n!r}"
        raise ValueError(msg)
    if not np.isfinite(concentration) or concentration <= 0:
        msg = f"concentration must be > 0, got {concentration!r}"
        raise ValueError(msg)
    if not 0 < delta < 1:
        msg = f"delta must be in (0, 1), got {delta!r}"
        raise ValueError(msg)
    table = _scenario_table(components)
    s = table.to_numpy()
    w0 = _weights(weights)
    rng = np.random.default_rng(seed)
    active = w0 > 0
    draws = np.zeros((n, w0.size))
    draws[:, active] = rng.dirichlet(concentration * w0[active], size=n)
    idx = s @ draws.T  # (scenario, draw)
    base = s @ w0
    k = w0.size
    factors = np.ones((2 * k, k))
    factors[np.arange(k), np.arange(k)] = 1 - delta
    factors[k + np.arange(k), np.arange(k)] = 1 + delta
    oat_w = factors * w0[None, :]
    oat_w /= oat_w.sum(axis=1, keepdims=True)
    oat = s @ oat_w.T
    rank_base = 1 + (base[None, :] > base[:, None]).sum(axis=1)
    ranks = 1 + (idx[None, :, :] > idx[:, None, :]).sum(axis=1)
    out = pd.DataFrame(
        {
            "base": base,
            "mean": idx.mean(axis=1),
            "std": idx.std(axis=1),
            "min": idx.min(axis=1),
            "p05": np.quantile(idx, 0.05, axis=1),
            "p50": np.quantile(idx, 0.50, axis=1),
            "p95": np.quantile(idx, 0.95, axis=1),
            "max": idx.max(axis=1),
            "oat_min": oat.min(axis=1),
            "oat_max": oat.max(axis=1),
            "rank_base": rank_base,
            "rank_stability": (ranks == rank_base[:, None]).mean(axis=1),
            "prob_best": (ranks == 1).mean(axis=1),
        },
        index=pd.Index(table.index, name="scenario"),
    )
    return out

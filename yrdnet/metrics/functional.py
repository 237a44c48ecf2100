"""Potential functional polycentricity: modelled gravity flows and Green's index.

yrdnet has no observed flows, so :func:`gravity_flows` models them from the travel-time
matrix ``T`` and fixed masses: the result is **potential functional polycentricity** —
what the infrastructure *enables*, a deterministic transform of the masses and travel
times, not observed integration. Always report it with its decay sensitivity
(:func:`functional_sensitivity`). :func:`core_subcentre_linkage` tabulates the modelled
flows between the core and the sub-centres. ``T`` follows the conventions of
:mod:`yrdnet.metrics.accessibility`; self-pairs (intrazonal flows) are excluded
throughout. The morphological indices are in :mod:`yrdnet.metrics.polycentricity`, which
re-exports these names.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable, Iterable
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams
from yrdnet.metrics.inputs import _align, _od, _resolve, _show, _square

__all__ = ["GreenIndex", "core_subcentre_linkage", "functional_sensitivity", "gravity_flows", "green_index"]

logger = logging.getLogger(__name__)


class GreenIndex(NamedTuple):
    """Green's functional polycentricity ``p_f = (1 - nodal_sd / nodal_sd_max) * density``."""

    p_f: float
    nodal_sd: float
    nodal_sd_max: float
    density: float


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

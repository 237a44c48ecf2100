r"""Metropolitan integration (同城化): the 1-hour commuting circle and the "1-2-3" circles.

Inputs: the travel-time matrix ``T`` (conventions of :mod:`yrdnet.metrics.accessibility`),
``members`` (metro id -> member zone ids, the core included; a city may belong to several
metropolitan areas), ``cores`` (metro id -> core zone id) and ``population`` (a Series by
zone id; extra ids allowed).

Conventions

* **Pair time.** Pair measures use the symmetrised time
  :math:`\bar t_{ij} = (T_{ij} + T_{ji}) / 2` — half a round trip — over unordered pairs
  ``i < j``; for a symmetric ``T`` this is just ``T_ij``. The same applies to core
  coverage (member to core and back).
* **Unreachable pairs** (``inf``) are never "within" a threshold; mean times are over
  reachable pairs (``n_unreachable`` reports the others) and maximum times become ``inf``.
* **Self-pairs** are excluded from pair counts; a core is within 0 min of itself, so its
  population always counts as covered.
* Thresholds are inclusive (``<=``).
* Populations are fixed across scenarios, so changes between scenarios are the network's
  doing alone. A travel-time circle is a *potential* integration measure, not observed
  commuting (indicators digest §4).

The continuous measures (:func:`logistic_decay`, :func:`core_member_integration`,
:func:`time_space_convergence`) live in :mod:`yrdnet.metrics.core_member` and are
exported here too.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from itertools import combinations
from typing import TypeVar, cast

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.params import MetricParams
from yrdnet.metrics.core_member import (
    GEURS_VAN_ECK_B,  # noqa: F401 - moved there, kept importable here
    core_member_integration,
    logistic_decay,
    time_space_convergence,
)
from yrdnet.metrics.inputs import _align, _od, _once, _resolve, _show, _upper

__all__ = [
    "core_link_compliance",
    "core_links",
    "core_member_integration",
    "logistic_decay",
    "metro_integration",
    "time_space_convergence",
    "travel_circles",
]

#: Metro id type (any hashable; ``members`` and ``cores`` share it).
_K = TypeVar("_K", bound=Hashable)


def _pair_times(t: np.ndarray) -> np.ndarray:
    """Symmetrised times ``(T + T')/2`` (``inf`` if either direction is unreachable)."""
    return (t + t.T) / 2.0


def _pair_times_of(T: pd.DataFrame, t: np.ndarray) -> np.ndarray:
    """:func:`_pair_times` of ``t``, the values of ``T`` (as ``_od`` returns them); once per ``T`` in checked_once."""
    return _once("pair_times", (T,), None, lambda: _pair_times(t))


def _membership(T: pd.DataFrame, members: Mapping[_K, Sequence[Hashable]]) -> tuple[list[_K], np.ndarray]:
    """Boolean (metro x zone) membership matrix, with every problem reported at once."""
    if not isinstance(members, Mapping) or not members:
        msg = "members must be a non-empty mapping metro id -> list of zone ids"
        raise DataError(msg)
    metros = list(members)
    mb = np.zeros((len(metros), len(T)), dtype=bool)
    problems = []
    for k, metro in enumerate(metros):
        ids = list(members[metro])
        if not ids:
            problems.append(f"metro {metro!r} has no members")
            continue
        missing = [i for i in ids if i not in T.index]
        if missing:
            problems.append(f"metro {metro!r}: ids not in T {_show(missing)}")
            continue
        mb[k, T.index.get_indexer(ids)] = True  # type: ignore[arg-type]  # pandas-stubs: get_indexer takes any list-like
    if problems:
        raise DataError("members: " + "; ".join(problems))
    return metros, mb


def _core_positions(T: pd.DataFrame, metros: list[_K], cores: Mapping[_K, Hashable], mb: np.ndarray) -> np.ndarray:
    problems = []
    no_core = [m for m in metros if m not in cores]
    if no_core:
        problems.append(f"no core for metros {_show(no_core)}")
    extra = [m for m in cores if m not in metros]
    if extra:
        problems.append(f"cores given for unknown metros {_show(extra)}")
    pos = np.zeros(len(metros), dtype=np.int64)
    for k, metro in enumerate(metros):
        if metro not in cores:
            continue
        core = cores[metro]
        if core not in T.index:
            problems.append(f"core {core!r} of {metro!r} not in T")
        elif not mb[k, T.index.get_loc(core)]:
            problems.append(f"core {core!r} of {metro!r} is not among its members")
        else:
            pos[k] = cast(int, T.index.get_loc(core))  # _od checked the ids are unique
    if problems:
        raise DataError("cores: " + "; ".join(problems))
    return pos


def metro_integration(
    T: pd.DataFrame,
    members: Mapping[_K, Sequence[Hashable]],
    cores: Mapping[_K, Hashable],
    population: pd.Series,
    *,
    threshold: float | None = None,
    params: MetricParams | None = None,
) -> pd.DataFrame:
    r"""Integration of each metropolitan area: pairs within the commuting threshold and more.

    .. math:: S_m = \frac{\#\{i<j \in m : \bar t_{ij} \le T^*\}}{n_m (n_m - 1) / 2},
              \quad \bar T_m^{P} = \frac{\sum_{i<j \in m} P_i P_j \bar t_{ij}}
              {\sum_{i<j \in m} P_i P_j}, \quad
              C_m = \frac{\sum_{j \in m} P_j \mathbf{1}[\bar t_{c_m j} \le T^*]}
              {\sum_{j \in m} P_j}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    members
        Metro id -> member zone ids (core included).
    cores
        Metro id -> core zone id.
    population
        Population by zone id.
    threshold
        Commuting threshold ``T*``, minutes. Default ``params.integration_min`` (60).
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.DataFrame
        One row per metro (index ``metro``): ``core``, ``n_members``, ``n_pairs``,
        ``pairs_within``, ``pairs_within_share``, ``mean_time_min``,
        ``pop_weighted_mean_time_min``, ``max_time_min``, ``n_unreachable``,
        ``population``, ``core_pop_within`` (persons within ``T*`` of the core, core
        included) and ``core_pop_within_share``.

    Raises
    ------
    DataError
        If a member or core is not in ``T``, a core is not a member of its metro, a metro
        lacks a core, or population is missing for a zone.

    Notes
    -----
    Shares and means are ``NaN`` for a one-member metro (no pairs). Means are over
    reachable pairs. See the module docstring for the pair-time convention.

    References
    ----------
    .. [1] NDRC (2019). 关于培育发展现代化都市圈的指导意见 [Guiding opinions on cultivating
       modern metropolitan areas]: "以1小时通勤圈为基本范围".
    .. [2] NDRC & MoT (2020). 长江三角洲地区交通运输更高质量一体化发展规划.

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320500, 330400]
    >>> T = pd.DataFrame([[0, 40, 70], [40, 0, 50], [70, 50, 0]], ids, ids, dtype=float)
    >>> pop = pd.Series([24.9, 12.7, 5.4], ids)
    >>> out = metro_integration(T, {"shanghai": ids}, {"shanghai": 310000}, pop)
    >>> row = out.loc["shanghai", ["pairs_within", "mean_time_min", "core_pop_within"]]
    >>> row.astype(float).round(3).tolist()  # 40 and 50 <= 60; (40+70+50)/3; 24.9+12.7
    [2.0, 53.333, 37.6]
    """
    p = _resolve(params, integration_min=threshold)
    if not isinstance(members, Mapping) or not isinstance(cores, Mapping):
        return _metro_integration(T, members, cores, population, p)  # raises the input errors
    extra = (tuple((m, tuple(v)) for m, v in members.items()), tuple(cores.items()), p.integration_min)
    out = _once(
        "metro_integration", (T, population), extra, lambda: _metro_integration(T, members, cores, population, p)
    )
    return out.copy()  # the caller may change it: the one kept for the same call (checked_once) stays as made


def _metro_integration(
    T: pd.DataFrame,
    members: Mapping[_K, Sequence[Hashable]],
    cores: Mapping[_K, Hashable],
    population: pd.Series,
    p: MetricParams,
) -> pd.DataFrame:
    """:func:`metro_integration` at ``p.integration_min``."""
    thr = p.integration_min
    T, t = _od(T)
    pop = _align(population, T.index, "population")
    metros, mb = _membership(T, members)
    core_pos = _core_positions(T, metros, cores, mb)
    tb = _pair_times_of(T, t)
    n = len(T)
    upper = _upper(n)
    pairs = mb[:, :, None] & mb[:, None, :] & upper[None]  # (metro, i, j), i < j
    reach = pairs & np.isfinite(tb)[None]
    tb0 = np.where(np.isfinite(tb), tb, 0.0)
    n_members = mb.sum(axis=1)
    n_pairs, n_reach, within, max_pair = _pair_counts(mb, tb, thr)
    pp = pop[:, None] * pop[None, :]
    w_sum = (reach * pp[None]).sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n_pairs > 0, within / np.maximum(n_pairs, 1), np.nan)
        mean_t = np.where(n_reach > 0, (reach * tb0[None]).sum(axis=(1, 2)) / np.maximum(n_reach, 1), np.nan)
        pw_mean = np.where(
            w_sum > 0,
            (reach * (pp * tb0)[None]).sum(axis=(1, 2)) / np.where(w_sum > 0, w_sum, 1.0),
            np.nan,
        )
    max_t = np.where(n_pairs > 0, max_pair, np.nan)
    member_pop = (mb * pop[None]).sum(axis=1)
    covered = mb & (tb[core_pos] <= thr)
    core_pop = (covered * pop[None]).sum(axis=1)
    core_share = np.divide(core_pop, member_pop, out=np.full(len(metros), np.nan), where=member_pop > 0)
    return pd.DataFrame(
        {
            "core": [T.index[c] for c in core_pos],
            "n_members": n_members,
            "n_pairs": n_pairs,
            "pairs_within": within.astype(np.float64),
            "pairs_within_share": share,
            "mean_time_min": mean_t,
            "pop_weighted_mean_time_min": pw_mean,
            "max_time_min": max_t,
            "n_unreachable": n_pairs - n_reach,
            "population": member_pop,
            "core_pop_within": core_pop,
            "core_pop_within_share": core_share,
        },
        index=pd.Index(metros, name="metro"),
    )


def _pair_counts(mb: np.ndarray, tb: np.ndarray, thr: float) -> tuple[np.ndarray, ...]:
    """Per metro (row of ``mb``): member pairs ``i < j``, those reachable, those within ``thr``, the largest time.

    Counted on each metro's members only (exact: counts and a maximum); ``-inf`` as the
    maximum of a metro without pairs.
    """
    counts = np.zeros((3, mb.shape[0]), dtype=np.int_)
    largest = np.full(mb.shape[0], -np.inf)
    for k in range(mb.shape[0]):
        idx = np.flatnonzero(mb[k])
        v = tb[np.ix_(idx, idx)][np.triu_indices(len(idx), k=1)]
        counts[:, k] = v.size, np.isfinite(v).sum(), (v <= thr).sum()
        if v.size:
            largest[k] = v.max()
    return counts[0], counts[1], counts[2], largest


def core_links(
    T: pd.DataFrame,
    cores: Mapping[_K, Hashable],
    *,
    threshold: float | None = None,
    params: MetricParams | None = None,
) -> pd.DataFrame:
    r"""Travel time between every pair of metropolitan cores.

    .. math:: \bar t_{ab} = \tfrac12 (T_{c_a c_b} + T_{c_b c_a}), \qquad
              \text{within}_{ab} = \mathbf{1}[\bar t_{ab} \le T^{\mathrm{link}}]

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    cores
        Metro id -> core zone id (the six YRD cores give 15 pairs).
    threshold
        Target ``T^link``, minutes. Default ``params.core_link_min`` (90; the 2020 YRD
        transport plan targets 1-1.5 h between central cities).
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair of metros (in the order of ``cores``): ``metro_a``,
        ``metro_b``, ``core_a``, ``core_b``, ``time_min`` and ``within`` (bool).

    Raises
    ------
    DataError
        If a core is not in ``T`` or fewer than 2 cores are given.

    Notes
    -----
    ``inf`` (unreachable) pairs are not within.

    References
    ----------
    .. [1] NDRC & MoT (2020). 长江三角洲地区交通运输更高质量一体化发展规划.

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 330100]
    >>> T = pd.DataFrame([[0, 80, 50], [80, 0, 100], [50, 100, 0]], ids, ids, dtype=float)
    >>> cores = {"shanghai": 310000, "nanjing": 320100, "hangzhou": 330100}
    >>> core_links(T, cores)["within"].tolist()
    [True, True, False]
    """
    p = _resolve(params, core_link_min=threshold)
    T, t = _od(T)
    if not isinstance(cores, Mapping) or len(cores) < 2:
        msg = "cores must map at least 2 metros to their core ids"
        raise DataError(msg)
    missing = [c for c in cores.values() if c not in T.index]
    if missing:
        msg = f"cores not in T: {_show(missing)}"
        raise DataError(msg)
    tb = _pair_times_of(T, t)
    rows = []
    for a, b in combinations(cores, 2):
        ia, ib = T.index.get_loc(cores[a]), T.index.get_loc(cores[b])
        rows.append((a, b, cores[a], cores[b], float(tb[ia, ib])))
    out = pd.DataFrame(rows, columns=["metro_a", "metro_b", "core_a", "core_b", "time_min"])
    out["within"] = out["time_min"] <= p.core_link_min
    return out


def core_link_compliance(
    T: pd.DataFrame,
    cores: Mapping[_K, Hashable],
    *,
    threshold: float | None = None,
    params: MetricParams | None = None,
) -> float:
    r"""Share of core-to-core pairs connected within the linkage target.

    .. math:: K = \frac{\#\{a<b : \bar t_{ab} \le T^{\mathrm{link}}\}}{K(K-1)/2}

    Parameters
    ----------
    T
        Travel-time matrix, minutes.
    cores
        Metro id -> core zone id.
    threshold
        Target, minutes. Default ``params.core_link_min`` (90).
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    float
        In ``[0, 1]``.

    Notes
    -----
    Summary of :func:`core_links`; same conventions.

    References
    ----------
    .. [1] NDRC & MoT (2020). 长江三角洲地区交通运输更高质量一体化发展规划.

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320100, 330100]
    >>> T = pd.DataFrame([[0, 80, 50], [80, 0, 100], [50, 100, 0]], ids, ids, dtype=float)
    >>> cores = {"shanghai": 310000, "nanjing": 320100, "hangzhou": 330100}
    >>> round(core_link_compliance(T, cores), 4)
    0.6667
    """
    return float(core_links(T, cores, threshold=threshold, params=params)["within"].mean())


def travel_circles(
    T: pd.DataFrame,
    members: Mapping[_K, Sequence[Hashable]],
    *,
    thresholds: Sequence[float] | None = None,
    params: MetricParams | None = None,
) -> pd.DataFrame:
    r"""Shares of city pairs inside the "1-2-3" travel circles (全国123出行交通圈).

    .. math:: S_{1h} = \frac{\#\{i<j \text{ sharing a metro} : \bar t_{ij} \le 60\}}
              {\#\{i<j \text{ sharing a metro}\}}, \qquad
              S_{kh} = \frac{\#\{i<j : \bar t_{ij} \le 60k\}}{N(N-1)/2}, \; k = 2, 3

    Parameters
    ----------
    T
        Travel-time matrix, minutes (all YRD cities).
    members
        Metro id -> member zone ids; pairs that share at least one metropolitan area form
        the 1 h circle's scope (each pair counted once even if it shares several metros).
    thresholds
        The three circle thresholds, minutes. Default ``params.thresholds_min``
        (60, 120, 180).
    params
        Metric parameters; ``None`` uses ``MetricParams()``.

    Returns
    -------
    pandas.DataFrame
        Rows ``metro_1h``, ``region_2h``, ``region_3h`` (index ``circle``); columns
        ``scope``, ``threshold_min``, ``n_pairs``, ``n_within``, ``share``.

    Raises
    ------
    ValueError
        If not exactly three thresholds are given.

    Notes
    -----
    The national policy's 3 h circle links main cities across China; within the YRD it
    is read as "all YRD city pairs within 3 h". Unreachable pairs are outside every
    circle.

    References
    ----------
    .. [1] 中共中央 国务院 (2019). 交通强国建设纲要; (2021). 国家综合立体交通网规划纲要.

    Examples
    --------
    >>> import pandas as pd
    >>> ids = [310000, 320500, 340100]
    >>> T = pd.DataFrame([[0, 40, 200], [40, 0, 150], [200, 150, 0]], ids, ids, dtype=float)
    >>> out = travel_circles(T, {"shanghai": [310000, 320500]})
    >>> out["share"].round(4).tolist()
    [1.0, 0.3333, 0.6667]
    """
    p = params if params is not None else MetricParams()
    thr = tuple(p.thresholds_min if thresholds is None else thresholds)
    if len(thr) != 3:
        msg = f"thresholds must be three numbers of minutes (1 h, 2 h, 3 h), got {thr!r}"
        raise ValueError(msg)
    _resolve(p, thresholds_min=thr)  # validates the values
    T, t = _od(T)
    _, mb = _membership(T, members)
    tb = _pair_times_of(T, t)
    n = len(T)
    upper = _upper(n)
    shared = (mb.T.astype(np.int64) @ mb.astype(np.int64) > 0) & upper
    rows = []
    for name, scope, mask, limit in (
        ("metro_1h", "pairs sharing a metropolitan area", shared, thr[0]),
        ("region_2h", "all pairs", upper, thr[1]),
        ("region_3h", "all pairs", upper, thr[2]),
    ):
        n_pairs = int(mask.sum())
        n_within = int((mask & (tb <= limit)).sum())
        share = n_within / n_pairs if n_pairs else np.nan
        rows.append((name, scope, float(limit), n_pairs, n_within, share))
    out = pd.DataFrame(rows, columns=["circle", "scope", "threshold_min", "n_pairs", "n_within", "share"])
    return out.set_index("circle")

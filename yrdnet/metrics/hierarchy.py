r"""A visible hierarchy: the core's dominance, the sub-centres' balance, demand and frequency.

Measures meant to show the region's core (Shanghai) and its sub-centres (Nanjing,
Hangzhou, Hefei) rather than the evenness of the whole set of cities:

* :func:`dominance_index` — Limtanakool, Dijst & Schwanen (2007) dominance of each city
  in modelled (gravity) flows;
* :func:`subcentre_evenness` — normalised entropy among the sub-centres only;
* :func:`polycentricity_gap` — Burger & Meijers (2012) morphological minus functional
  rank-size slope;
* :func:`gravity_betweenness` — betweenness weighted by modelled demand;
* :func:`train_strength` — daily direct trains between cities (strength) beside the
  number of cities served directly (degree).

Modelled flows are a deterministic transform of masses and travel times ("potential
functional" measures, indicators digest §3.3): they show what the network enables, not
observed travel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple, cast

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.metrics.polycentricity import entropy, rank_size_slope
from yrdnet.routing.compile import compile_graph

__all__ = [
    "GapFit",
    "city_flows",
    "dominance_index",
    "gravity_betweenness",
    "hierarchy_indicators",
    "polycentricity_gap",
    "subcentre_evenness",
    "train_strength",
]


def dominance_index(F: pd.DataFrame) -> pd.Series:
    r"""Limtanakool dominance index of each node in a flow matrix.

    .. math:: DI_j = \frac{D_j}{\frac{1}{N}\sum_k D_k}, \qquad
              D_j = \sum_{k \ne j} (F_{jk} + F_{kj})

    Parameters
    ----------
    F
        Flows, origins x destinations, labelled alike (e.g.
        :func:`yrdnet.metrics.polycentricity.gravity_flows`).

    Returns
    -------
    pandas.Series
        :math:`DI_j` (dimensionless; > 1 dominant, 1 average), named ``"dominance"``.

    Raises
    ------
    DataError
        On negative or non-finite flows, or a matrix without flows.

    Notes
    -----
    Self-flows (the diagonal) are ignored. Unreachable pairs carry no flow
    (:math:`e^{-\beta\infty} = 0`), so an isolated node has :math:`DI = 0`.

    References
    ----------
    .. [1] Limtanakool, N., Dijst, M., & Schwanen, T. (2007). A theoretical framework
       and methodology for characterising national urban systems on the basis of flows
       of people. *Urban Studies*, 44(11), 2123-2145. (Index form as in the
       indicators digest §3.2; DOI not retrieved.)

    Examples
    --------
    >>> F = pd.DataFrame([[0, 4, 2], [4, 0, 0], [2, 0, 0]], index=list("abc"), columns=list("abc"))
    >>> dominance_index(F).tolist()  # D = (12, 8, 4), mean 8
    [1.5, 1.0, 0.5]
    """
    a = F.to_numpy(float).copy()
    if not np.isfinite(a).all() or (a < 0).any():
        raise DataError("dominance_index: flows must be finite and >= 0")
    np.fill_diagonal(a, 0.0)
    d = a.sum(axis=1) + a.sum(axis=0)
    if d.sum() <= 0:
        raise DataError("dominance_index: the flow matrix holds no flow")
    return pd.Series(d / d.mean(), index=F.index, name="dominance")


def subcentre_evenness(values: pd.Series, subcentres: Sequence[int]) -> float:
    r"""Normalised entropy of a measure among the sub-centres only (the core left out).

    .. math:: E^* = -\frac{1}{\ln n}\sum_{i \in S} s_i \ln s_i, \qquad
              s_i = x_i / \sum_{k \in S} x_k

    over the sub-centres :math:`S` (:math:`n = |S|`); 1 = perfectly balanced
    sub-centres, whatever the core's lead.

    Parameters
    ----------
    values
        The measure per zone (e.g. potential accessibility), positive.
    subcentres
        Sub-centre ids (at least two).

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    ValueError
        With fewer than two sub-centres, or one missing from ``values``.

    Notes
    -----
    Leaving the core out is the point: the entropy over the six metropolitan cores is
    maximal when all cores are equal, the opposite of "Shanghai as core, three
    sub-centres" (issue 11).

    Examples
    --------
    >>> round(subcentre_evenness(pd.Series({1: 10.0, 2: 5.0, 3: 5.0, 4: 5.0}), [2, 3, 4]), 12)
    1.0
    """
    subs = list(subcentres)
    if len(subs) < 2:
        raise ValueError(f"subcentre_evenness needs at least two sub-centres, got {subs}")
    missing = [s for s in subs if s not in values.index]
    if missing:
        raise ValueError(f"sub-centres {missing} are not in the values")
    return float(entropy(values.loc[subs].astype(float)))


class GapFit(NamedTuple):
    """Morphological and functional rank-size slopes and their gap (functional - morphological)."""

    morphological: float
    functional: float
    gap: float
    n: int


def polycentricity_gap(size: pd.Series, F: pd.DataFrame, top_n: int | None = None) -> GapFit:
    r"""Burger & Meijers morphological vs functional polycentricity of the largest centres.

    .. math:: \ln M_r = c - q_{morph} \ln r, \qquad \ln I_r = c' - q_{func} \ln r,
              \qquad \mathrm{gap} = q_{func} - q_{morph}

    where :math:`M` is the centres' size and :math:`I_j = \sum_{i \ne j} F_{ij}` their
    incoming intra-regional flows, each ranked on its own, on the ``top_n`` largest
    (:func:`yrdnet.metrics.polycentricity.rank_size_slope`; smaller :math:`q` = more
    polycentric).

    Parameters
    ----------
    size
        Nodal size (population).
    F
        Flows labelled like ``size``.
    top_n
        Number of centres (default ``MetricParams().top_n``).

    Returns
    -------
    GapFit
        ``gap > 0``: the region is more polycentric in form than in function (flows
        concentrate on fewer centres than people do), as Burger & Meijers found for most
        Dutch regions.

    Notes
    -----
    Self-flows are ignored; a centre without incoming flow is dropped from the
    functional fit (a log of 0). With modelled flows the gap measures what the network
    enables (potential functional polycentricity).

    References
    ----------
    .. [1] Burger, M., & Meijers, E. (2012). Form follows function? Linking morphological
       and functional polycentricity. *Urban Studies*, 49(5), 1127-1149. (As in the
       indicators digest §3.2; DOI not retrieved.)

    Examples
    --------
    >>> size = pd.Series({1: 6.0, 2: 3.0, 3: 2.0})  # Zipf: q = 1
    >>> F = pd.DataFrame([[0, 1, 1], [8, 0, 1], [8, 1, 0]], index=[1, 2, 3], columns=[1, 2, 3], dtype=float)
    >>> g = polycentricity_gap(size, F)
    >>> round(g.morphological, 3), bool(g.gap > 0)
    (1.0, True)
    """
    a = F.to_numpy(float).copy()
    np.fill_diagonal(a, 0.0)
    inflow = pd.Series(a.sum(axis=0), index=F.columns)
    s = size.astype(float)
    s = s[s > 0]
    inflow = inflow[inflow > 0]
    n = min(len(s), len(inflow)) if top_n is None else min(top_n, len(s), len(inflow))
    if n < 2:
        raise DataError("polycentricity_gap needs at least two centres with size and incoming flow")
    m = rank_size_slope(s, n).slope
    f = rank_size_slope(inflow, n).slope
    return GapFit(float(m), float(f), float(f - m), int(n))


def _zone_key(z: str) -> int:
    return int(z.split(":", 1)[1])


def gravity_betweenness(
    G: nx.MultiDiGraph,
    F: pd.DataFrame,
    *,
    mode: str = "multimodal",
    normalized: bool = True,
) -> pd.Series:
    r"""City betweenness weighted by modelled demand: the flow routed through each city.

    .. math:: C^G_B(c) = \frac{\sum_{s,t:\ \mathrm{city}(s) \ne c \ne \mathrm{city}(t)}
              F_{st}\, \mathbf{1}[c \in \pi_{st}]}
              {\sum_{s,t:\ \mathrm{city}(s) \ne c \ne \mathrm{city}(t)} F_{st}}

    where :math:`\pi_{st}` is the fastest path from zone :math:`s` to zone :math:`t`
    and :math:`c \in \pi_{st}` means one of its nodes (station, platform, road junction)
    belongs to city :math:`c`.

    Parameters
    ----------
    G
        A graph meeting the yrdnet contract. Not modified.
    F
        Zone x zone demand (e.g. gravity flows), labelled by zone id.
    mode
        ``"multimodal"``, ``"rail"`` or ``"road"``.
    normalized
        Divide by the demand not starting or ending in the city (share in [0, 1]);
        else the raw routed demand.

    Returns
    -------
    pandas.Series
        Indexed by city adcode (every city of any node), named
        ``gravity_betweenness_<mode>``.

    Notes
    -----
    One fastest path per pair (scipy's Dijkstra predecessors): exact ties between
    routes are broken arbitrarily rather than shared as in :func:`city_betweenness`
    (timetabled times rarely tie). With :math:`F_{st} = 1` for every zone pair and no
    ties it equals the unnormalised :func:`yrdnet.metrics.centrality.city_betweenness`.
    Unreachable pairs route nothing; self-pairs are excluded.

    References
    ----------
    .. [1] Indicators digest §2 ("gravity-weighted betweenness", a standard
       generalisation of Freeman's betweenness; unverified against one original).
    .. [2] Everett, M. G., & Borgatti, S. P. (1999). The centrality of groups and
       classes. *Journal of Mathematical Sociology*, 23(3), 181-201.
       https://doi.org/10.1080/0022250X.1999.9990219

    Examples
    --------
    >>> from yrdnet.testing import mock_graph
    >>> G = mock_graph()
    >>> ids = [310000, 320100, 320500, 330100, 330200, 330900, 340100]
    >>> F = pd.DataFrame(1.0, index=ids, columns=ids)
    >>> gb = gravity_betweenness(G, F, mode="rail")
    >>> float(gb[330900])
    0.0
    """
    from scipy.sparse.csgraph import dijkstra

    cg = compile_graph(G)
    csr = cg.csr(mode)
    city_of = dict(G.nodes(data="city"))
    codes, ncity = np.unique(np.array([int(cast(int, city_of[n])) for n in cg.nodes]), return_inverse=True)
    zidx = np.array([cg.index[z] for z in cg.zones])
    zid = [_zone_key(z) for z in cg.zones]
    dem = F.reindex(index=zid, columns=zid).fillna(0.0).to_numpy(float, copy=True)
    np.fill_diagonal(dem, 0.0)
    dist, pred = dijkstra(csr, indices=zidx, return_predecessors=True)
    q = len(codes)
    routed = np.zeros(q)
    zcity = ncity[zidx]
    for a in range(len(zidx)):
        for b in range(len(zidx)):
            f = dem[a, b]
            if a == b or f == 0.0 or not np.isfinite(dist[a, zidx[b]]):
                continue
            seen = np.zeros(q, dtype=bool)
            v = zidx[b]
            while v >= 0:
                seen[ncity[v]] = True
                v = pred[a, v]
            seen[zcity[a]] = seen[zcity[b]] = False
            routed[seen] += f
    if normalized:
        total = np.zeros(q)
        for c in range(q):
            keep = (zcity != c)[:, None] & (zcity != c)[None, :]
            total[c] = dem[keep].sum()
        routed = np.divide(routed, total, out=np.zeros_like(routed), where=total > 0)
    return pd.Series(routed, index=pd.Index(codes, name="city"), name=f"gravity_betweenness_{mode}")


def train_strength(G: nx.MultiDiGraph) -> pd.DataFrame:
    r"""Daily direct trains between cities (strength) and cities served directly (degree).

    .. math:: s_c = \sum_{d \ne c} w_{cd}, \qquad k_c = \#\{d \ne c : w_{cd} > 0\},
              \qquad w_{cd} = \sum_{(u, v):\ \mathrm{city}(u) = c,\ \mathrm{city}(v) = d}
              \max_{e \in E_{uv}} \mathrm{trains\_per\_day}_e

    over the station pairs :math:`(u, v)` joined by rail edges :math:`E_{uv}`. A pair's
    edges are its *service levels* (:mod:`yrdnet.services`): level :math:`k` pools the
    trains of the :math:`k` fastest services, so its ``trains_per_day`` is a running sum
    and the pair's largest one counts its direct trains once (summing the levels would
    count the fastest service's trains at every level). :math:`w_{cd}` thus counts the
    daily trains from city :math:`c` that reach city :math:`d` without a change (the
    services a pair's levels pool; a service slower and less frequent than the kept
    levels adds no level and is not counted).

    Parameters
    ----------
    G
        A graph from :func:`yrdnet.build_graph` (rail edges with ``trains_per_day``).

    Returns
    -------
    pandas.DataFrame
        Index city adcode (every city of a station); ``train_strength`` (trains/day)
        and ``train_degree`` (cities).

    Notes
    -----
    Intra-city hops are left out. Edges without ``trains_per_day`` (graphs not built
    from services) count as 0 trains. Strength, not topology-only degree, is what HSR
    papers use (Liu, Wan & Zhang 2020, indicators digest §2).

    References
    ----------
    .. [1] Liu, Wan & Zhang (2020), *Transportation Research Part A*: scheduled time
       and daily frequency of each OD pair in three centralities (as cited by the
       indicators digest §2; title, pages and DOI not retrieved).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("st:a", city=1, kind="station"); G.add_node("st:b", city=2, kind="station")
    >>> _ = G.add_edge("st:a", "st:b", mode="rail", trains_per_day=4.0, level=1)  # the fastest service
    >>> _ = G.add_edge("st:a", "st:b", mode="rail", trains_per_day=10.0, level=2)  # it and 6 slower trains
    >>> train_strength(G).loc[1].tolist()
    [10.0, 1.0]
    """
    strength, degree = train_sums(G)
    idx = pd.Index(sorted(strength), name="city")
    return pd.DataFrame(
        {"train_strength": [strength[c] for c in idx], "train_degree": [degree[c] for c in idx]}, index=idx
    )


def train_sums(G: nx.MultiDiGraph) -> tuple[dict[int, float], dict[int, float]]:
    """The strength and degree of :func:`train_strength` per city, as dicts (every city of a station).

    One pass over the successor dicts in the order of ``G.edges``: each station pair's
    largest ``trains_per_day`` (its service levels), added to its city pair's trains, in
    the order pairs first appear.
    """
    node: dict = G._node  # type: ignore[attr-defined]  # the plain dicts behind G.nodes and G.succ: no views
    succ: dict = G._succ  # type: ignore[attr-defined]
    stations = sorted({int(d.get("city")) for d in node.values() if d.get("kind") == "station"})
    w: dict[tuple[int, int], float] = {}
    city: dict = {}  # int(city) of the nodes met, read when first needed
    for u, nbrs in succ.items():
        for v, keys in nbrs.items():
            best = None
            for d in keys.values():
                if d.get("mode") != "rail":
                    continue
                t = d.get("trains_per_day")
                x = float(t) if t is not None else 0.0
                base = 0.0 if best is None else best
                best = x if x > base and x != math.inf else base  # max(base, x), a non-finite x as 0: running sums
            if best is None:
                continue
            cu = city[u] if u in city else city.setdefault(u, int(node[u].get("city")))
            cv = city[v] if v in city else city.setdefault(v, int(node[v].get("city")))
            if cu != cv:
                w[(cu, cv)] = w.get((cu, cv), 0.0) + best
    strength = dict.fromkeys(stations, 0.0)
    degree = dict.fromkeys(stations, 0.0)
    for (cu, _cv), x in w.items():
        strength[cu] = strength.get(cu, 0.0) + x
        if x > 0:
            degree[cu] = degree.get(cu, 0.0) + 1.0
    return strength, degree


def city_flows(F: pd.DataFrame, city_of: pd.Series) -> pd.DataFrame:
    """Zone flows summed to their parent cities (``city_of``: zone id -> city adcode).

    Flows between zones of one city land on the diagonal (ignored by the indices here).

    Examples
    --------
    >>> F = pd.DataFrame([[0, 1, 2], [1, 0, 3], [2, 3, 0]], index=[11, 12, 21], columns=[11, 12, 21], dtype=float)
    >>> city_flows(F, pd.Series({11: 1, 12: 1, 21: 2})).to_numpy().tolist()
    [[2.0, 5.0], [5.0, 0.0]]
    """
    c = city_of.reindex(F.index).astype(int).to_numpy()
    g = pd.DataFrame(F.to_numpy(float), index=c, columns=c)
    out = g.T.groupby(level=0).sum().T.groupby(level=0).sum()
    out.index.name = None
    return out


def hierarchy_indicators(
    *,
    flows: pd.DataFrame,
    population: pd.Series,
    potential: pd.Series,
    potential_no_self: pd.Series,
    core: int,
    subcentres: Sequence[int],
    strength: pd.Series | None = None,
    gravity_btw: pd.Series | None = None,
    top_n: int = 10,
) -> dict[str, float]:
    """The region rows of the hierarchy group, all at city scale: ``{key: value}``.

    ``flows`` are city x city modelled flows, ``potential`` the city potential with
    self-potential and ``potential_no_self`` without it (to state the choice's effect).
    Ranks are 1 = highest (ties share the lowest rank). Each key's description is its
    entry in the indicator registry (:func:`yrdnet.indicators.region_meta`), which the
    analysis attaches (a metric does not read the registry).
    """

    def rank(s: pd.Series) -> float:
        s = s.astype(float)
        if s.index.is_unique:  # one more than the values above the core's (NaN: no rank), as rank() counts
            v = float(s.get(core, np.nan))
            return np.nan if np.isnan(v) else float(1 + (s.to_numpy() > v).sum())
        return float(s.rank(ascending=False, method="min").get(core, np.nan))

    di = dominance_index(flows)
    rows = [
        ("dominance_core", float(di.get(core, np.nan))),
        ("core_rank_dominance", rank(di)),
        ("core_rank_potential", rank(potential)),
        ("core_rank_potential_without_self", rank(potential_no_self)),
    ]
    if strength is not None:
        rows.append(("core_rank_train_strength", rank(strength)))
    if gravity_btw is not None:
        rows.append(("core_rank_gravity_betweenness", rank(gravity_btw)))
    subs = [s for s in subcentres if s in potential.index]
    if len(subs) >= 2:
        rows.append(("evenness_subcentres_potential", subcentre_evenness(potential, subs)))
        core_pot = float(potential.get(core, np.nan))
        rows.append(("core_lead_potential", core_pot / float(potential.loc[subs].mean())))
    gap = polycentricity_gap(population.reindex(flows.index), flows, top_n)
    rows += [
        ("rank_size_slope_morphological", gap.morphological),
        ("rank_size_slope_functional", gap.functional),
        ("polycentricity_gap", gap.gap),
    ]
    return dict(rows)

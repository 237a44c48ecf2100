r"""A zone-consistent city potential and the core's rank as a range (issue 20, item 1).

Why
---
A city's Hansen potential includes its own population at an internal time
:math:`t_{ii}` (self-potential). On the city polygons the default internal time was
Rich's :math:`t_{ii} = 0.5\sqrt{A/\pi}/v`; Shanghai's polygon (7,996 km², the estuary
included) gives 75.7 min, longer than the modelled time from Suzhou or Jiaxing into
Shanghai, so the core's own 25 million people counted for less at home than next door.
The zone size, not the network, decided the core's rank — the self-potential problem
of Frost & Spence (1995) and the modifiable areal unit problem.

What
----
By default (``MetricParams.city_potential = "county"``) the city-level potential is the
*county run aggregated by population*: the potential of each of the 305 districts and
counties on the county graph of the same network, each with its own (small) Rich
internal time, averaged over each city's counties weighted by population,

.. math::

   P_c = \frac{\sum_{k \in c} p_k P_k}{\sum_{k \in c} p_k}, \qquad
   P_k = \sum_j p_j f(t_{kj}),

the potential met by the average resident of city :math:`c`. Travel within a city is
routed like travel between cities, so one definition holds at both levels.
``city_potential = "rich"`` keeps Rich's time on the city polygons.

How sure
--------
:func:`core_rank_table` reports the core's rank and its margin over the best other city
(:math:`P_{core} / \max_{c \ne core} P_c - 1`: above 0 the core leads by that share,
below 0 it trails the leader by it) for four definitions and four half-lives (45, 60,
90, 120 min: the range of the indicators digest §1.2). Three definitions are
zone-consistent: the county run averaged over each city's residents; the county run
at the county holding the city centre (the central place itself); the city zones with
the internal time *modelled* between the city's own counties. Rich's polygon time is
shown for comparison. :func:`core_rank_rows`
summarises the zone-consistent ones as region rows (best and worst rank, margin range).

References
----------
Frost, M. E. & Spence, N. A. (1995). The rediscovery of accessibility and economic
potential: the critical issue of self-potential. *Environment and Planning A* 27(11),
1833-1848. Condeço-Melhorado, A., Demirel, H., Kompil, M., Navajas, E. & Christidis, P.
(2016). The impact of measuring internal travel distances on selected accessibility
indicators. *EJTIR* 16(2), 300-318. Rich, D. C. (1978). Population potential, potential
transportation cost and industrial location. *Area* 10(3), 222-226.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.analysis.city_groups import Groups
from yrdnet.analysis.steps import potential_columns, self_times
from yrdnet.core.cache import cache_key
from yrdnet.core.params import MetricParams, TravelTimeModel
from yrdnet.metrics import accessibility as acc
from yrdnet.region.datasets import data_versions
from yrdnet.region.region import Region, load_region
from yrdnet.routing.compile import MODES
from yrdnet.routing.matrices import UnreachableWarning, travel_times
from yrdnet.scenarios.scenario import Scenario, build_graph, graph_source, scenario_for_year

__all__ = [
    "DEFINITIONS",
    "HALF_LIVES",
    "CountyArrays",
    "CountyRun",
    "city_potential",
    "city_potentials",
    "core_rank",
    "core_rank_rows",
    "core_rank_table",
    "county_rank_table",
    "county_run",
    "modelled_internal_times",
    "zone_potential",
]

#: Half-lives (min) of the core-rank range: the indicators digest §1.2 range (45-120 min).
HALF_LIVES = (45.0, 60.0, 90.0, 120.0)
#: The definitions of :func:`core_rank_table`, zone-consistent first.
DEFINITIONS = {
    "county": "county run, population-weighted mean (default)",
    "centre": "county run, the county holding the city centre",
    "modelled": "city zones, internal time modelled between the city's counties",
    "rich": "city zones, Rich's internal time on the city polygon",
}
_MEMO: OrderedDict[str, dict[str, pd.DataFrame]] = OrderedDict()
_MEMO_SIZE = 6


@dataclass(frozen=True)
class CountyRun:
    """The county run of a network: what the city-level potential is aggregated from.

    Attributes
    ----------
    od
        County travel times per mode (``"multimodal"``, ``"rail"``, ``"road"``), min.
    table
        The county zones: ``population`` (the run's masses), ``gdp``, ``city``.
    self_time
        Each county's Rich internal time (min), :func:`yrdnet.analysis.steps.self_times`.
    centres
        The county holding each city's centre, ``{city adcode: zone id}``
        (:meth:`yrdnet.Zones.core_zones`).
    """

    od: dict[str, pd.DataFrame]
    table: pd.DataFrame
    self_time: pd.Series
    centres: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CountyArrays:
    """The multimodal part of a county run as arrays, in the order of its zones (:func:`county_rank_table`).

    Attributes
    ----------
    t
        Multimodal travel times (min), zone x zone, laid out as ``T.to_numpy()`` of a
        travel-time frame (column-major).
    pop, tii
        The zones' population and Rich internal time (min).
    groups
        The zones grouped by city (:class:`~yrdnet.analysis.city_groups.Groups`).
    pop_sum
        ``groups.sum(pop)``: each city's population.
    centres
        ``(city, zone position)`` of the county holding each city's centre.
    """

    t: np.ndarray
    pop: np.ndarray
    tii: np.ndarray
    groups: Groups
    pop_sum: np.ndarray
    centres: tuple[tuple[int, int], ...]

    @property
    def centre_pos(self) -> list[int]:
        """The centres' zone positions."""
        return [z for _, z in self.centres]

    def labels(self) -> dict[str, list[int]]:
        """The cities of the ``"county"`` (every city) and ``"centre"`` (the centres') values."""
        return {"county": [int(c) for c in self.groups.codes], "centre": [c for c, _ in self.centres]}


def _route(G: nx.MultiDiGraph) -> dict[str, pd.DataFrame]:
    with warnings.catch_warnings():  # the city run notes unreachable pairs; the county run adds none
        warnings.simplefilter("ignore", UnreachableWarning)
        return {mode: travel_times(G, mode) for mode in MODES}


def county_run(
    scenario_or_graph: str | Path | Scenario | nx.MultiDiGraph,
    *,
    region: Region,
    p: MetricParams,
    year: int | None = None,
    model: TravelTimeModel | None = None,
    masses: str = "2020",
    network_year: int | None = None,
    given: Mapping[str, pd.DataFrame] | None = None,
) -> CountyRun | str:
    """The county run of the network a city-level analysis is given, or why there is none.

    ``given`` (county travel times per mode) is used as is; otherwise a scenario is built
    at county level, and a graph of :func:`yrdnet.build_graph` is rebuilt from its
    scenario and model (:func:`yrdnet.scenarios.scenario.graph_source`). County times are
    memoised in the process by the content of scenario, model and data. Returns a
    sentence (``str``) when the region has no county level or a graph was made otherwise.
    """
    if "county" not in region.levels:
        return f"region {region.name!r} has no county level"
    Zc = region.resolve_zones("county")
    if given is not None:
        od = {m: given[m] for m in MODES if m in given}
        if len(od) < len(MODES):
            return f"county_travel_times must hold one matrix per mode {list(MODES)}"
    else:
        if isinstance(scenario_or_graph, nx.MultiDiGraph):
            src = graph_source(scenario_or_graph)
            if src is None:
                return "the graph was not made by build_graph, so its county network is unknown"
            sc, model = src
        else:
            sc = scenario_for_year(scenario_or_graph, year, where="analyze")
        k = cache_key("county_od", sc, sc.travel_time_model(model), data_versions())
        if k not in _MEMO:
            _MEMO[k] = _route(build_graph(sc, model=model, zones=Zc))
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
        _MEMO.move_to_end(k)
        od = _MEMO[k]
    table = Zc.to_frame(masses=masses, year=network_year)
    ids = pd.Index([i for i in od["multimodal"].index if i in table.index])
    od = {m: T.loc[ids, ids] for m, T in od.items()}
    centres = {c: z for c, z in Zc.core_zones(region.cities).items() if z in ids}
    return CountyRun(od=od, table=table.loc[ids], self_time=self_times(Zc, ids, p), centres=centres)


def _by_city(values: pd.DataFrame | pd.Series, run: CountyRun) -> pd.DataFrame | pd.Series:
    pop = run.table["population"].astype(float)
    city = run.table["city"].astype(int).to_numpy()
    weighted = values.mul(pop, axis=0)
    return weighted.groupby(city).sum().div(pop.groupby(city).sum(), axis=0)


def city_potentials(run: CountyRun, p: MetricParams) -> pd.DataFrame:
    r"""The city-level potential columns from the county run: population-weighted means.

    :math:`P_c = \sum_{k \in c} p_k P_k / \sum_{k \in c} p_k` for each potential column
    of :func:`yrdnet.analysis.steps.potential_columns` (Hansen 1959 potential over the
    county masses, each county's own Rich internal time for its self-potential).

    Examples
    --------
    Two counties of city 1 (100 and 300 people) and one of city 2 (200), all 30 min apart,
    internal times 30 min, half-life 30 min (every other mass and the own mass count half):

    >>> T = pd.DataFrame(30.0 * (1 - np.eye(3)), index=[11, 12, 21], columns=[11, 12, 21])
    >>> tab = pd.DataFrame({"population": [100.0, 300.0, 200.0], "gdp": 1.0, "city": [1, 1, 2]}, index=T.index)
    >>> run = CountyRun({"multimodal": T}, tab, pd.Series(30.0, index=T.index))
    >>> out = city_potentials(run, MetricParams(beta=np.log(2) / 30))["pot_exp_pop_multimodal"]
    >>> float(out[1]), float(out[2])  # every county: 600 people at half weight
    (300.0, 300.0)
    """
    return _by_city(potential_columns(run.od, run.table, p, run.self_time), run)


def zone_potential(run: CountyRun, p: MetricParams, mode: str = "multimodal") -> pd.Series:
    """The exponential population potential of each county of the run, for one mode.

    The column ``pot_exp_pop_<mode>`` of :func:`city_potentials` before aggregation; the
    one potential the core's rank and the metric-choice measures need.
    """
    pop = run.table["population"].astype(float)
    return acc.potential_accessibility(run.od[mode], pop, decay="exp", params=p, self_time_min=run.self_time)


def city_potential_from(zone_pot: pd.Series, run: CountyRun) -> pd.Series:
    """Zone potentials of the run averaged over each city's residents."""
    return cast(pd.Series, _by_city(zone_pot, run))


def city_potential(run: CountyRun, p: MetricParams, mode: str = "multimodal") -> pd.Series:
    r"""The city-level exponential population potential of one mode, :math:`P_c` of :func:`city_potentials`."""
    return city_potential_from(zone_potential(run, p, mode), run)


def modelled_internal_times(run: CountyRun) -> pd.Series:
    r"""Each city's internal time modelled between its own counties (min).

    Population-weighted mean multimodal time over the ordered pairs of the city's counties,
    each county's own Rich time on the diagonal:
    :math:`t_{cc} = \sum_{k,l \in c} p_k p_l t_{kl} / (\sum_{k \in c} p_k)^2`.
    """
    D = run.od["multimodal"].to_numpy(float).copy()
    np.fill_diagonal(D, run.self_time.reindex(run.od["multimodal"].index).to_numpy(float))
    pop = run.table["population"].astype(float).to_numpy()
    city = run.table["city"].astype(int).to_numpy()
    out = {}
    for c in np.unique(city):
        sel = city == c
        w = np.outer(pop[sel], pop[sel])
        out[int(c)] = float((D[np.ix_(sel, sel)] * w).sum() / w.sum())
    return pd.Series(out, name="internal_time_min")


def _rank_and_margin(s: pd.Series, core: int) -> tuple[int, float, int]:
    s = s.astype(float)
    others = s.drop(index=core)
    rank = int(s.rank(ascending=False, method="min")[core])
    return rank, float(s[core] / others.max() - 1.0), int(others.idxmax())


def _rank_and_margin_of(values: np.ndarray, labels: Sequence[int] | pd.Index, at: int) -> tuple[int, float, int] | None:
    """:func:`_rank_and_margin` of the values at positions (``at`` the core's), or ``None`` on a NaN.

    The rank with ties at the lowest is one more than the values above the core's; the
    best other city is the first largest other value, as ``idxmax``.
    """
    if np.isnan(values).any():
        return None
    v = values[at]
    others = np.delete(values, at)
    best = int(np.argmax(others))
    return 1 + int((values > v).sum()), float(v / others[best] - 1.0), int(labels[best + (best >= at)])


def _rank_margin_series(s: pd.Series, core: int) -> tuple[int, float, int]:
    """:func:`_rank_and_margin` on the values when the labels are unique and no value is missing."""
    got = (
        _rank_and_margin_of(s.to_numpy(float), s.index, cast(int, s.index.get_loc(core))) if s.index.is_unique else None
    )
    return got if got is not None else _rank_and_margin(s, core)


#: Columns of :func:`core_rank_table`.
_RANK_COLUMNS = ["definition", "zone_consistent", "half_life_min", "core_rank", "core_margin", "best_other_city"]


def _with_half_life(p: MetricParams, h: float) -> MetricParams:
    """``p`` with the exponential decay of half-life ``h`` (min), as :func:`core_rank_table` sets it."""
    return p.replace(beta=float(np.log(2) / h), decay="exp")


def core_rank_table(
    core: int,
    p: MetricParams,
    *,
    run: CountyRun | None = None,
    city_times: pd.DataFrame | None = None,
    city_table: pd.DataFrame | None = None,
    city_self_time: pd.Series | None = None,
    half_lives: Sequence[float] = HALF_LIVES,
) -> pd.DataFrame:
    """The core's rank on multimodal potential per definition and half-life, with its margin.

    Parameters
    ----------
    core
        The core city's adcode.
    p
        Metric parameters (the exponential decay's half-life is replaced by each of
        ``half_lives``).
    run
        The county run (:func:`county_run`): the ``"county"`` definition, and with
        ``city_times`` the ``"modelled"`` one.
    city_times, city_table
        Multimodal city travel times (min, city x city) and the cities with
        ``population``: the city-zone definitions.
    city_self_time
        Rich internal time of each city (min): the ``"rich"`` definition.
    half_lives
        Half-lives of the exponential decay, min.

    Returns
    -------
    pandas.DataFrame
        One row per definition and half-life: ``definition``, ``zone_consistent``,
        ``half_life_min``, ``core_rank`` (1 = highest), ``core_margin`` (core potential /
        best other city's - 1: above 0 a lead, below 0 a gap to the leader),
        ``best_other_city`` (adcode of the highest city other than the core).
    """
    pop = None if city_times is None or city_table is None else city_table["population"].astype(float)
    rows = []
    tii = None  # the modelled internal times do not depend on the half-life
    if run is not None and city_times is not None:
        tii = modelled_internal_times(run).reindex(city_times.index).fillna(p.self_time_min)
    for h in half_lives:
        q = _with_half_life(p, float(h))
        defs: dict[str, pd.Series] = {}
        if run is not None:  # one zone potential per half-life: its city means and its centres
            zone_pot = zone_potential(run, q)
            defs["county"] = city_potential_from(zone_pot, run)
            if run.centres:
                defs["centre"] = pd.Series({c: zone_pot[z] for c, z in run.centres.items()})
        if tii is not None and pop is not None and city_times is not None:
            defs["modelled"] = acc.potential_accessibility(city_times, pop, params=q, self_time_min=tii)
        if city_self_time is not None and pop is not None and city_times is not None:
            defs["rich"] = acc.potential_accessibility(city_times, pop, params=q, self_time_min=city_self_time)
        for name, s in defs.items():
            if core in s.index and len(s) > 1:
                rank, margin, other = _rank_margin_series(s, core)
                rows.append((DEFINITIONS[name], name != "rich", float(h), rank, margin, other))
    return pd.DataFrame(rows, columns=_RANK_COLUMNS)


def county_rank_table(
    core: int, p: MetricParams, zones: CountyArrays, half_lives: Sequence[float] = HALF_LIVES
) -> pd.DataFrame:
    """:func:`core_rank_table` of a county run given as arrays (its ``"county"`` and ``"centre"`` rows).

    The same potentials (:func:`zone_potential`'s, by
    :func:`yrdnet.metrics.accessibility.potential_values` on the same arrays), city
    means (the additions of ``groupby().sum()``, :class:`Groups`) and
    ranks, without building the run's frames: the same table, as :func:`yrdnet.analyze`
    reads it at county level.
    """
    rows = []
    labels = zones.labels()
    at = {name: [i for i, c in enumerate(cities) if c == core] for name, cities in labels.items()}
    for h in half_lives:
        q = _with_half_life(p, float(h))
        pot = acc.potential_values(zones.t, zones.pop, q, zones.tii if q.self_potential else None)
        defs = {"county": zones.groups.sum(pot * zones.pop) / zones.pop_sum, "centre": pot[zones.centre_pos]}
        for name, values in defs.items():
            if not at[name] or len(values) < 2:
                continue
            got = _rank_and_margin_of(values, labels[name], at[name][0])
            if got is None:
                got = _rank_and_margin(pd.Series(values, index=pd.Index(labels[name])), core)
            rows.append((DEFINITIONS[name], True, float(h), *got))
    return pd.DataFrame(rows, columns=_RANK_COLUMNS)


def core_rank_rows(table: pd.DataFrame) -> dict[str, float]:
    """Region rows of the core-rank range over the zone-consistent rows of :func:`core_rank_table`.

    ``core_rank_potential_best`` / ``_worst`` (the core's best and worst rank) and
    ``core_margin_potential_min`` / ``_max`` (its margin over the best other city, range).
    Missing values when the table has no zone-consistent row.
    """
    if table["zone_consistent"].dtype == bool:  # the same minima and maxima, NaN left out, on arrays
        zc_rows = table["zone_consistent"].to_numpy()
        if zc_rows.any():
            ranks = _range(table["core_rank"].to_numpy()[zc_rows])
            margins = _range(table["core_margin"].to_numpy()[zc_rows])
            if ranks is not None and margins is not None:
                return {
                    "core_rank_potential_best": ranks[0],
                    "core_rank_potential_worst": ranks[1],
                    "core_margin_potential_min": margins[0],
                    "core_margin_potential_max": margins[1],
                }
    zc = table[table["zone_consistent"]]
    if zc.empty:
        return dict.fromkeys(
            ["core_rank_potential_best", "core_rank_potential_worst", "core_margin_potential_min",
             "core_margin_potential_max"], np.nan,
        )  # fmt: skip
    return {
        "core_rank_potential_best": float(zc["core_rank"].min()),
        "core_rank_potential_worst": float(zc["core_rank"].max()),
        "core_margin_potential_min": float(zc["core_margin"].min()),
        "core_margin_potential_max": float(zc["core_margin"].max()),
    }


def _range(v: np.ndarray) -> tuple[float, float] | None:
    """``(min, max)`` of numbers as pandas takes them (NaN left out, none left: NaN); ``None`` for other values."""
    if v.dtype.kind not in "iuf":
        return None
    v = v[~np.isnan(v)] if v.dtype.kind == "f" else v
    return (float(v.min()), float(v.max())) if len(v) else (np.nan, np.nan)


def core_rank(
    scenario: str | Path | Scenario = "baseline_2025",
    *,
    year: int | None = None,
    model: TravelTimeModel | None = None,
    params: MetricParams | None = None,
    masses: str = "2020",
    region: Region | None = None,
    half_lives: Sequence[float] = HALF_LIVES,
) -> pd.DataFrame:
    """The core's rank on potential accessibility, per definition and half-life, for one network.

    Builds and routes the city and county graphs of ``scenario`` and returns
    :func:`core_rank_table` with ``scenario``, ``year`` and the best other city's English
    name (``best_other_city_name``) added.

    Examples
    --------
    >>> t = core_rank("baseline_2025")  # doctest: +SKIP
    >>> t[t["zone_consistent"]]["core_rank"].agg(["min", "max"])  # doctest: +SKIP
    """
    R = region or load_region()
    p = params or MetricParams()
    G = build_graph(scenario, year, model=model)
    net_year = int(G.graph.get("year", -1))
    T = _route_one(G)
    Zcity = R.resolve_zones("city")
    cities = Zcity.to_frame(masses=masses, year=net_year).loc[T.index]
    run = county_run(G, region=R, p=p, masses=masses, network_year=net_year)
    table = core_rank_table(
        R.core, p, run=run if isinstance(run, CountyRun) else None, city_times=T, city_table=cities,
        city_self_time=self_times(Zcity, T.index, p), half_lives=half_lives,
    )  # fmt: skip
    table.insert(0, "year", net_year)
    table.insert(0, "scenario", str(G.graph.get("scenario", scenario)))
    table["best_other_city_name"] = R.cities["name_en"].reindex(table["best_other_city"]).to_numpy()
    return table


def _route_one(G: nx.MultiDiGraph) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        return travel_times(G, "multimodal")

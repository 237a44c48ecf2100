"""The town-country and hierarchy steps of :func:`yrdnet.analyze`, the city table, convergence.

Private (see :mod:`yrdnet.analysis.steps`): :func:`town_country` gives the airport,
hinterland and town-country rows over the zones in scope; :func:`hierarchy` builds the
city table (:func:`aggregate_to_cities` at county or custom level) and the hierarchy
rows; :func:`convergence` is the timeline's Janelle row. What the scenarios of a sweep
share (the zones' city grouping, the city rows, the metro splits) is kept in ``a.reuse``
as single-slot memos (:func:`~yrdnet.analysis.reuse.last_value`): the same numbers.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import cast

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.analysis import city_potential as cpot
from yrdnet.analysis import steps as asm
from yrdnet.analysis.city_groups import CityMeans, Groups
from yrdnet.analysis.results import ScenarioResult
from yrdnet.analysis.reuse import cached, last_value
from yrdnet.analysis.steps import POTENTIAL, Assembly
from yrdnet.core.errors import DataError
from yrdnet.core.keys import key
from yrdnet.metrics import accessibility as acc
from yrdnet.metrics import equity as eq
from yrdnet.metrics import hierarchy as hier
from yrdnet.metrics import hinterland as hl
from yrdnet.metrics import integration as integ
from yrdnet.region.region import Region, load_region

__all__ = ["aggregate_to_cities", "convergence", "hierarchy", "town_country"]

#: Non-measure columns of a zone table, not averaged when zones are aggregated to cities.
_ZONE_ATTRS = ("city", "lon", "lat", "population", "gdp", "urban", "rural", "population_2010", "label", "central_area")


def town_country(a: Assembly) -> dict[str, float]:
    """Airport, core-hinterland and town-country rows over the zones in scope."""
    rows: dict[str, float] = {}
    table, T, pop = a.table, a.T, a.pop
    for col in ("time_to_airport_min", "time_to_international_hub_min"):
        v = table[col].astype(float)
        ok = np.isfinite(v)
        rows[f"mean_{col}"] = acc.weighted_mean(v[ok], pop[ok]) if ok.any() else np.nan  # no airports: none
    names = list(a.area.centres)  # row names of the core and sub-centres, e.g. "shanghai"
    centres = {n: z for n, z in zip(names, (a.core, *a.subcentres), strict=False) if z in T.index}
    for name, r in hl.coverage_rows(T, pop.reindex(T.columns).astype(float).to_numpy(), centres, (60.0, 120.0)).items():
        for t in (60, 120):
            rows[f"population_within_{t}min_of_{name}"] = r[f"population_within_{t}min"]
    pot = table[POTENTIAL].astype(float)
    tc = _town_country_parts(a, pot.index)
    x = pot.to_numpy()
    # over zones, by the same explicit rule: a zone in k metros counts 1/k in each (never "the first listed");
    # over people, overlapping metros by the explicit rule of eq.split_memberships
    for prefix, (rep, w, g) in (("theil_potential", tc.zones), ("theil_people_potential", tc.people)):
        th = eq.theil(x[rep], g, weights=w)
        for part in ("within", "between"):
            rows[f"{prefix}_{part}_metros"] = float(th[part])
    if tc.urban is not None and tc.urban.any() and not tc.urban.all():
        kinds = np.where(tc.urban, "district", "county").astype(object)
        rows["theil_potential_between_districts_counties"] = float(eq.theil(x, kinds)["between"])
        if not np.isfinite(x).all():
            raise DataError("town_country_gap: values must be finite")
        rows["potential_ratio_districts_to_counties"] = hl.town_country_means(x, tc.urban, tc.pop)["ratio"]
        w = table[key("watt", "multimodal", pop=None)].astype(float).to_numpy()
        if np.isfinite(w).all():
            gap = hl.town_country_means(w, tc.urban, tc.pop)
            rows["watt_difference_counties_minus_districts_min"] = -gap["difference"]
        if tc.urban_rural is not None:
            rows["potential_ratio_urban_to_rural"] = hl.urban_rural_means(x, *tc.urban_rural)["ratio"]
    return rows


@dataclass(frozen=True)
class _TownCountry:
    """What :func:`town_country` reads off the zone table besides the potential (the same every scenario).

    ``zones`` and ``people``: :func:`~yrdnet.metrics.equity.split_memberships` of the
    potential over the metros, weights 1 and population, as (positions of the
    potential's values, weights, groups); ``urban`` (``kind`` is a district, ``None``
    without ``kind``), ``pop`` and ``urban_rural`` (urban and rural population, ``None``
    without them) aligned on the potential.
    """

    zones: tuple[np.ndarray, np.ndarray, np.ndarray]
    people: tuple[np.ndarray, np.ndarray, np.ndarray]
    urban: np.ndarray | None
    pop: np.ndarray
    urban_rural: tuple[np.ndarray, np.ndarray] | None


def _town_country_parts(a: Assembly, index: pd.Index) -> _TownCountry:
    """The :class:`_TownCountry` of ``a.table`` on ``index``, kept in ``a.reuse`` while its inputs are the same."""
    table = a.table
    cols = [c for c in ("metros", "kind", "urban", "rural") if c in table.columns]
    keys = (index.to_numpy(), a.pop.index.to_numpy(), a.pop.to_numpy(), *(table[c].to_numpy() for c in cols))
    return last_value(a.reuse, "town_country", (tuple(cols), *keys), lambda: _make_town_country(table, a.pop, index))


def _make_town_country(table: pd.DataFrame, pop: pd.Series, index: pd.Index) -> _TownCountry:
    labels = table["metros"].fillna("").astype(str)
    at = pd.Series(np.arange(len(index), dtype=float), index=index)  # split the positions: the values' order
    splits = []
    for weights in (pd.Series(1.0, index=index), pop.reindex(index)):
        x, w, g = eq.split_memberships(at, weights, labels)
        splits.append((x.astype(np.intp), w, g))
    urban = table["kind"].reindex(index).isin(hl.URBAN_KINDS).to_numpy() if "kind" in table.columns else None
    ur = None
    if {"urban", "rural"} <= set(table.columns):
        ur = (
            table["urban"].reindex(index).astype(float).to_numpy(),
            table["rural"].reindex(index).astype(float).to_numpy(),
        )
    return _TownCountry(splits[0], splits[1], urban, pop.reindex(index).astype(float).to_numpy(), ur)


def hierarchy(a: Assembly) -> dict[str, float]:
    """The city table (``tables["cities"]``, zone table ``tables["zones"]``) and the hierarchy rows.

    At city level the city table is the zone table; otherwise the zones aggregated to
    their cities (:func:`aggregate_to_cities`) with the sampled city betweenness. The
    hierarchy columns (dominance, train strength, demand betweenness) are added to it.
    """
    if a.level == "city":
        city_table, a.tables["zones"] = a.table, pd.DataFrame()
    else:
        a.tables["zones"] = a.table
        city_table = _cities_of(a)
    a.tables["cities"] = city_table
    core = a.area.core
    if core not in city_table.index or len(a.ids) < 2:
        return {}
    Fc, cpop, no_self_city = _city_sums(a)
    dom = hier.dominance_index(Fc)
    strength, degree = hier.train_sums(_train_graph(a))  # train_strength, reindexed: 0 for a city without
    cities = city_table.index.tolist()
    city_table["dominance_flows_multimodal"] = dom.reindex(city_table.index).to_numpy(float)
    city_table["train_strength"] = np.array([strength.get(c, 0.0) for c in cities], dtype=float)
    city_table["train_degree"] = np.array([degree.get(c, 0.0) for c in cities], dtype=float)
    gb = None
    if a.centrality:
        gb = hier.gravity_betweenness(a.G, a.flows).reindex(city_table.index).fillna(0.0)
        city_table["gravity_betweenness_multimodal"] = gb.to_numpy(float)
    metro_cores = [int(c) for c in a.metros["core_adcode"].unique() if int(c) in Fc.index]
    cp = hl.core_periphery_coefficient(Fc, metro_cores) if len(Fc) - len(metro_cores) >= 2 else np.nan
    rows = {"core_periphery_coefficient": cp}
    rows |= hier.hierarchy_indicators(
        flows=Fc,
        population=cpop,
        potential=city_table[POTENTIAL],
        potential_no_self=no_self_city,
        core=core,
        subcentres=a.area.subcentres,
        strength=city_table["train_strength"],
        gravity_btw=gb,
        top_n=a.p.top_n,
    )
    rows |= cpot.core_rank_rows(core_rank_of(a))
    return rows


def _city_sums(a: Assembly) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Gravity flows (:func:`~yrdnet.metrics.hierarchy.city_flows`), population, potential without self per city.

    Sums over each city's zones in scope (the potential weighted by population); with
    every zone in scope, on a city grouping kept in ``a.reuse`` (the same additions).
    """
    pop = a.pop
    no_self = acc.potential_accessibility(a.T, pop, decay="exp", params=a.p, self_potential=False)
    ids = pd.Index(a.ids)
    whole = a.level != "city" and a.zt.index.equals(ids) and a.flows.index.equals(ids) and pop.index.equals(ids)
    city = a.zt["city"].to_numpy() if whole else None
    if city is None or city.dtype.kind not in "iu" or not no_self.index.equals(ids):
        city_of = a.zt.loc[a.ids, "city"] if a.level != "city" else pd.Series(a.ids, index=a.ids)
        cpop = pop.groupby(city_of.to_numpy()).sum()
        return hier.city_flows(a.flows, city_of), cpop, (no_self * pop).groupby(city_of.to_numpy()).sum() / cpop
    p = pop.to_numpy()
    groups, pop_sum = last_value(a.reuse, "county_groups", (city, p), lambda: _grouped(city, p))
    codes = pd.Index(groups.codes)
    F = a.flows.to_numpy(float)
    Fc = pd.DataFrame(groups.sum(groups.sum(F.T).T), index=codes, columns=codes)  # as groupby: columns, then rows
    no_self_city = pd.Series(groups.sum(no_self.to_numpy() * p) / pop_sum, index=codes)
    return Fc, pd.Series(pop_sum, index=codes, name="population"), no_self_city


def _train_graph(a: Assembly) -> nx.MultiDiGraph:
    """The graph the train strength is read off: a sweep's city train or rail pair graph (same values), else ``G``."""
    r = a.reuse
    if r is None:
        return a.G
    return r.trains if r.trains is not None else r.rail if r.rail is not None else a.G


def core_rank_of(a: Assembly) -> pd.DataFrame:
    """The core's rank table (:func:`~yrdnet.analysis.city_potential.core_rank_table`) of an analysis.

    At city level over the city zones in scope (and the county run behind the city
    potential, when there is one); at county level over the county zones in scope
    aggregated to their cities; empty at a custom level.
    """
    core = a.area.core
    if a.level == "city":
        run = a.county_run
        if run is not None:
            keep = run.table["city"].astype(int).isin(a.ids).to_numpy()
            ids = run.table.index[keep]
            centres = {c: z for c, z in run.centres.items() if z in ids}
            run = cpot.CountyRun({m: T.loc[ids, ids] for m, T in run.od.items()}, run.table.loc[ids],
                                 run.self_time.loc[ids], centres)  # fmt: skip
        tii = asm.zone_self_times(a, pd.Index(a.ids))
        return cpot.core_rank_table(core, a.p, run=run, city_times=a.T, city_table=a.zt.loc[a.ids], city_self_time=tii)
    if a.level == "county":
        ids = pd.Index(a.ids)
        by_city = cached(a.reuse, ("core_zones", a.level), lambda: a.Z.core_zones(a.cities))
        centres = {c: z for c, z in by_city.items() if z in ids}
        arrays = _county_arrays(a, ids, centres)
        if arrays is not None:
            return cpot.county_rank_table(core, a.p, arrays)
        run = cpot.CountyRun({m: T.loc[ids, ids] for m, T in a.od.items()}, a.zt.loc[ids],
                             asm.zone_self_times(a, ids), centres)  # fmt: skip
        return cpot.core_rank_table(core, a.p, run=run)
    return cpot.core_rank_table(core, a.p)


def _county_arrays(a: Assembly, ids: pd.Index, centres: dict[int, int]) -> cpot.CountyArrays | None:
    """The county run of a county-level analysis as arrays, or ``None`` when not every zone is in scope.

    The arrays :func:`core_rank_of` would read off its run's frames: the travel times laid
    out as ``T.loc[ids, ids].to_numpy()``, the population, the internal times; the city
    grouping is kept in ``a.reuse`` while the zones' cities and population are the same.
    ``None`` too on values the potential rejects (it then raises on the frames).
    """
    T, zt = a.od["multimodal"], a.zt
    if not (T.index.equals(ids) and T.columns.equals(ids) and zt.index.equals(ids)):
        return None
    t = np.asfortranarray(T.to_numpy(dtype=np.float64))
    pop = zt["population"].astype(float).to_numpy(dtype=np.float64)
    self_time = asm.zone_self_times(a, ids)
    ok = self_time.index.equals(ids) and not np.diagonal(t).any() and t.min(initial=0.0) >= 0  # NaN: False
    tii = self_time.to_numpy(dtype=np.float64)
    if not (ok and np.isfinite(pop).all() and (pop >= 0).all() and np.isfinite(tii).all() and (tii > 0).all()):
        return None
    city = zt["city"].astype(int).to_numpy()
    groups, pop_sum = last_value(a.reuse, "county_groups", (city, pop), lambda: _grouped(city, pop))
    where = ids.get_indexer(pd.Index(list(centres.values())))
    return cpot.CountyArrays(t, pop, tii, groups, pop_sum, tuple(zip(centres, where.tolist(), strict=True)))


def _grouped(city: np.ndarray, pop: np.ndarray) -> tuple[Groups, np.ndarray]:
    groups = Groups(city)
    return groups, groups.sum(pop)


def aggregate_to_cities(
    zones: pd.DataFrame,
    cities: pd.DataFrame,
    metros: pd.DataFrame,
    *,
    extra: dict[str, pd.Series] | None = None,
) -> gpd.GeoDataFrame:
    r"""Zone measures aggregated to their parent cities, weighted by population.

    .. math:: x_c = \frac{\sum_{i \in c} P_i x_i}{\sum_{i \in c} P_i}

    over the zones :math:`i` of city :math:`c` with a non-missing value (an unreachable
    zone's ``inf`` stays ``inf``). ``population`` and ``gdp`` are summed.

    Parameters
    ----------
    zones
        A zone table with ``city``, ``population`` and numeric measure columns.
    cities
        :func:`yrdnet.load_cities` (names, centre, central_area, geometry).
    metros
        :func:`yrdnet.load_metros` (for the ``metros`` column).
    extra
        City-level series to add as columns (e.g. city group betweenness).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per city with zones (index adcode), the columns of ``cities`` then the
        averaged measures, ``n_zones`` and ``metros``; city-centre points, EPSG:4326.
    """
    return _aggregate(zones, _city_frame(zones, cities, metros), extra)


def _city_means(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Population-weighted means of one city's zones (rows), per column, as ``np.average`` of each.

    A column's missing values are left out, all missing gives ``nan``, an ``inf`` gives
    ``inf`` (``-inf`` if none is positive); :class:`~yrdnet.analysis.city_groups.CityMeans`
    of one city.
    """
    return CityMeans(np.zeros(len(x), dtype=np.int64), w).means(x)[0]


@dataclass(frozen=True)
class _CityFrame:
    """What :func:`aggregate_to_cities` reads off the zones' cities, population and gdp.

    The same for every scenario of a sweep (kept by :func:`_cities_of`): the grouping
    (:class:`~yrdnet.analysis.city_groups.CityMeans`), the city rows with summed
    ``population`` and ``gdp``, and the ``n_zones`` and ``metros`` columns.
    """

    means: CityMeans
    base: pd.DataFrame
    tail: dict[str, object]


def _city_frame(zones: pd.DataFrame, cities: pd.DataFrame, metros: pd.DataFrame) -> _CityFrame:
    city = zones["city"].astype(int).to_numpy()
    means = CityMeans(city, zones["population"].astype(float).to_numpy())
    order = means.order
    base = pd.DataFrame(cities.loc[order])  # made a GeoDataFrame with the measures
    base["population"] = zones.groupby("city")["population"].sum().reindex(order).to_numpy()
    base["gdp"] = zones.groupby("city")["gdp"].sum().reindex(order).to_numpy()
    members = {cast(str, m): {int(x) for x in v} for m, v in metros["members"].items()}
    tail = {
        "n_zones": pd.Series(city).value_counts().reindex(order).to_numpy(),
        "metros": [";".join(sorted(m for m, v in members.items() if c in v)) for c in base.index],
    }
    return _CityFrame(means, base, tail)


def _cities_of(a: Assembly) -> gpd.GeoDataFrame:
    """``aggregate_to_cities(a.table, a.cities, a.metros, extra=a.city_btw)``, the city part kept in ``a.reuse``.

    The city part is made again when the zones' ``city``, ``population`` or ``gdp``
    (read with the measures, as floats) or the cities or metros tables change.
    """
    z = a.table
    num = _measures(z)
    keys = ["city", "population", "gdp"]
    if not (z.columns.is_unique and {*keys, *num} <= set(z.columns)):
        return aggregate_to_cities(z, a.cities, a.metros, extra=a.city_btw)
    X = z.take(z.columns.get_indexer(pd.Index([*num, *keys])), axis=1).to_numpy(dtype=float)  # faster than [[...]]
    inputs = (X[:, len(num) :], a.cities, a.metros)
    frame = last_value(a.reuse, "city_frame", inputs, lambda: _city_frame(z, a.cities, a.metros))
    return _aggregate(z, frame, a.city_btw, (num, X[:, : len(num)]))


def _measures(zones: pd.DataFrame) -> list[Hashable]:
    """The zone columns averaged to cities: numeric, not boolean, not an attribute (``_ZONE_ATTRS``)."""
    return [
        c
        for c, dt in zones.dtypes.items()
        if c not in _ZONE_ATTRS and c != "geometry" and pd.api.types.is_numeric_dtype(dt)
        and not pd.api.types.is_bool_dtype(dt)
    ]  # fmt: skip


def _aggregate(
    zones: pd.DataFrame,
    cf: _CityFrame,
    extra: dict[str, pd.Series] | None,
    measures: tuple[list[Hashable], np.ndarray] | None = None,
) -> gpd.GeoDataFrame:
    """The city table of :func:`aggregate_to_cities` from its city part ``cf`` (and the measures, when read)."""
    if measures is None:
        num = _measures(zones)
        X = zones[num].to_numpy(dtype=float) if num else np.zeros((len(zones), 0))
    else:
        num, X = measures
    order = cf.means.order
    idx = pd.Index(order, name="adcode")
    agg = pd.DataFrame(cf.means.means(X) if order else None, index=idx, columns=pd.Index(num))
    extra = extra or {}
    names = [*cf.base.columns, *num, *extra, *cf.tail]
    if zones.columns.is_unique and len(set(names)) == len(names):  # every column new: one frame
        more = {name: series.reindex(idx).to_numpy(float) for name, series in extra.items()} | cf.tail
        table = pd.concat([cf.base, agg, pd.DataFrame(more, index=cf.base.index)], axis=1)
    else:
        table = cf.base.join(agg)
        for name, series in extra.items():
            table[name] = series.reindex(idx).to_numpy(float)
        for name, values in cf.tail.items():
            table[name] = values
    return gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326")


def _core_member_pairs(res: ScenarioResult, region: Region) -> tuple[list[tuple[int, int]], list[float]]:
    """Core-member zone pairs of the region's default metros and the members' population."""
    metros = region.metros()
    if res.level == "city":
        members = {cast(str, m): [int(x) for x in v] for m, v in metros["members"].items()}
        cores = {m: int(cast(int, metros.loc[m, "core_adcode"])) for m in members}
    elif res.level in region.levels:
        members, cores = region.zones(res.level).metro_members(metros, region.cities)
    else:
        return [], []
    ids = set(res.od["multimodal"].index)
    z = res.zones if res.zones is not None else res.cities
    pairs = [(cores[m], j) for m, js in members.items() for j in js if j != cores[m] and j in ids and cores[m] in ids]
    w = [float(z["population"].get(j, 0.0)) if j in z.index else 0.0 for _, j in pairs]
    return pairs, w


def convergence(base: ScenarioResult, res: ScenarioResult, region: Region | None = None) -> float:
    """Janelle's rate from ``base`` to ``res`` over core-member pairs (multimodal), min/year.

    The pairs are those of ``region``'s default metros (default :func:`yrdnet.load_region`).
    """
    if res.year <= base.year:
        return 0.0 if res is base or res.year == base.year else float("nan")
    pairs, w = _core_member_pairs(res, region or load_region())
    if not pairs or sum(w) <= 0:
        return float("nan")
    return integ.time_space_convergence(
        base.od["multimodal"], res.od["multimodal"], res.year - base.year, pairs, weights=w
    )

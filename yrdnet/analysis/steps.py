"""The assembly steps of :func:`yrdnet.analyze`: per-zone measures, then region rows step by step.

Private. :func:`yrdnet.analyze` routes once, fills an :class:`Assembly` with what every
step reads (zones, travel times, metros, parameters), computes the per-zone measures
(:func:`zone_measures`) and runs the steps of :data:`yrdnet.analysis.pipeline.STEPS` in order.
Each step calls the pure metric functions and returns its region rows as
``{key: value}``; the group, label, unit and description of every row come from the
indicator registry (:mod:`yrdnet.indicators`), where each row is declared once with the
step that produces it, and :meth:`Assembly.add_rows` refuses a row the registry does not
declare for that step. Steps also leave their tables (stepwise curves, linkage,
metros ...) in :attr:`Assembly.tables`. The town-country and hierarchy steps live in
:mod:`yrdnet.analysis.city_steps`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.analysis.indicators import lookup, region_meta
from yrdnet.analysis.reuse import Reuse, cached, last_value
from yrdnet.core.errors import DataError
from yrdnet.core.geodesy import area_km2
from yrdnet.core.keys import key
from yrdnet.core.params import MetricParams
from yrdnet.metrics import accessibility as acc
from yrdnet.metrics import airports as air
from yrdnet.metrics import centrality as cen
from yrdnet.metrics import equity as eq
from yrdnet.metrics import hinterland as hl
from yrdnet.metrics import integration as integ
from yrdnet.metrics import polycentricity as poly
from yrdnet.metrics import structure as struct
from yrdnet.metrics import zone_arrays as za
from yrdnet.region.region import Region, load_region
from yrdnet.region.zones import Zones
from yrdnet.routing.compile import MODES

__all__ = ["Assembly", "self_times"]

#: Origin zones sampled for city group betweenness at county or custom level.
BETWEENNESS_SOURCES = 60
#: The multimodal Hansen potential, the size measure of the structure rows.
POTENTIAL = key("pot", "multimodal", exp=None, pop=None)


@dataclass
class Assembly:
    """What the assembly steps read (set by :func:`yrdnet.analyze`) and what they leave.

    ``zt`` is the zone table of every zone, ``ids`` the zones in scope, ``od`` the
    travel times per mode over ``zt``'s zones, ``members`` / ``metro_cores`` the
    metropolitan areas over zones, ``area`` the study area (:class:`~yrdnet.Region`),
    ``core`` / ``subcentres`` the zones holding its core and sub-centre cities.
    :func:`zone_measures` sets ``table`` (the zones in scope with every measure) and
    ``city_btw``; the steps fill ``rows`` (through :meth:`add_rows`) and ``tables``.
    The steps read the matrices over the zones in scope from :attr:`scoped_od` and
    :attr:`scoped_dist` (selected once). With ``reuse`` (a sweep), a step keeps what it
    computes from an input that may not change between scenarios (a mode's matrix, a
    size measure) in a single slot (:func:`~yrdnet.analysis.reuse.last_value`).
    """

    G: nx.MultiDiGraph
    Z: Zones
    area: Region
    p: MetricParams
    cities: pd.DataFrame
    metros: pd.DataFrame
    zt: pd.DataFrame
    ids: list[int]
    od: dict[str, pd.DataFrame]
    dist: pd.DataFrame
    members: dict[str, list[int]]
    metro_cores: dict[str, int]
    core: int
    subcentres: tuple[int, ...]
    centrality: bool = True
    sensitivity_samples: int = 200
    reuse: Any = None  # what analyses of one base share (analysis.reuse.Reuse), or None
    county_run: Any = None  # the county run behind the city-level potential (analysis.city_potential.CountyRun)
    city_potential: pd.DataFrame | None = None  # its potential columns per city, replacing the city run's
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    city_btw: dict[str, pd.Series] = field(default_factory=dict)
    rows: dict[str, float] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def level(self) -> str:
        """The zone level (``Z.level``)."""
        return self.Z.level

    @cached_property
    def scoped_od(self) -> dict[str, pd.DataFrame]:
        """Travel times per mode among the zones in scope (``od`` itself when every zone is in scope)."""
        if self._all_in_scope:
            return dict(self.od)
        return {m: T.loc[self.ids, self.ids] for m, T in self.od.items()}

    @cached_property
    def scoped_dist(self) -> pd.DataFrame:
        """Distances between the seats of the zones in scope (``dist`` itself when every zone is in scope)."""
        return self.dist if self._all_in_scope else self.dist.loc[self.ids, self.ids]

    @cached_property
    def _all_in_scope(self) -> bool:
        """Whether ``ids`` are every zone of ``od`` and ``dist``, in their order (no selection needed)."""
        ids = pd.Index(self.ids)
        return all(M.index.equals(ids) and M.columns.equals(ids) for M in (*self.od.values(), self.dist))

    @cached_property
    def T(self) -> pd.DataFrame:  # noqa: N802 - the travel-time matrix is T throughout yrdnet
        """Multimodal travel times among the zones in scope."""
        return self.scoped_od["multimodal"]

    @cached_property
    def pop(self) -> pd.Series:
        """Population of the zones in scope."""
        return self.zt.loc[self.ids, "population"].astype(float)

    @cached_property
    def flows(self) -> pd.DataFrame:
        """Modelled gravity flows among the zones in scope (:func:`yrdnet.metrics.polycentricity.gravity_flows`)."""
        return poly.gravity_flows(self.T, self.pop, params=self.p)

    @cached_property
    def scoped(self) -> tuple[dict[str, list[int]], dict[str, int], list[int]]:
        """Metros with two or more members and their core in scope, their cores, the sub-centres in scope."""
        id_set = set(self.ids)
        in_scope = {m: [c for c in v if c in id_set] for m, v in self.members.items()}
        in_scope = {m: v for m, v in in_scope.items() if len(v) >= 2 and self.metro_cores[m] in id_set}
        cores = {m: self.metro_cores[m] for m in in_scope}
        return in_scope, cores, [s for s in self.subcentres if s in id_set]

    def add_rows(self, step: str, rows: dict[str, float]) -> None:
        """Add a step's region rows, each declared in the registry as produced by ``step``."""
        for name, value in rows.items():
            ind, _ = region_meta(name)
            if ind.step != step:
                msg = f"region row {name!r} comes from step {step!r} but the registry declares step {ind.step!r}"
                raise ValueError(msg)
            self.rows[name] = float(value)

    def region(self) -> pd.DataFrame:
        """The region table: index ``indicator``; ``value``, and ``group`` and ``description`` from the registry."""
        out = []
        for name, value in self.rows.items():
            ind, description = region_meta(name)
            out.append({"indicator": name, "value": value, "group": ind.group, "description": description})
        return pd.DataFrame(out).set_index("indicator")


def self_times(Z: Zones, ids: pd.Index, p: MetricParams) -> pd.Series:
    """Internal time of each zone for self-potential: Rich's formula on the zone's polygon.

    :func:`yrdnet.metrics.accessibility.rich_self_time` at ``p.self_speed_kph`` on the area of
    each zone's polygon (the city boundaries at city level, the county boundaries at
    county level); ``p.self_time_min`` where a zone has no polygon (point zones).
    """
    polys = Z.polygons
    out = pd.Series(p.self_time_min, index=ids, name="self_time_min", dtype=float)
    if polys is not None:
        g = polys.reindex(ids)
        known = g.notna() & ~g.is_empty
        if known.any():
            area = area_km2(gpd.GeoSeries(g[known], crs="EPSG:4326"))
            out.loc[area.index] = acc.rich_self_time(area, speed_kph=p.self_speed_kph)
    return out


def zone_self_times(a: Assembly, ids: pd.Index) -> pd.Series:
    """:func:`self_times` of the analysis' zones (kept in ``a.reuse`` when given)."""
    key_ = ("self_times", a.level, tuple(ids), a.p.self_time_min, a.p.self_speed_kph)
    return cached(a.reuse, key_, lambda: self_times(a.Z, ids, a.p))


def _attached_airports(
    Z: Zones, airports: pd.DataFrame | None, zt: pd.DataFrame, year: int | None
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The airports in service in ``year`` and the zones they attach to (``None``: none)."""
    ap = None if airports is None else air.airports_in_year(airports, year)
    if ap is None or ap.empty:
        return None
    polys = Z.polygons
    return ap, air.airport_zones(ap, zt, polys.reindex(zt.index) if polys is not None else None)


def _airport_times(a: Assembly, T: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Multimodal time to the nearest airport and international hub (airports attached to zones).

    Only the airports in service in the network ``year`` count
    (:func:`~yrdnet.metrics.airports.airports_in_year`). Missing values where the region
    has no airports that year.
    """
    cols = ["time_to_airport_min", "time_to_international_hub_min"]
    key_ = ("airports", a.level, tuple(a.zt.index), year)
    hit = cached(a.reuse, key_, lambda: _attached_airports(a.Z, a.area.airports, a.zt, year))
    if hit is None:
        return pd.DataFrame(np.nan, index=T.index, columns=cols)
    ap, attached = hit
    return air.time_to_airports(T, attached, ap["role"])


def network_year(G: nx.MultiDiGraph) -> int | None:
    """The year of network ``G`` (graph attribute ``year``), ``None`` when unknown."""
    year = G.graph.get("year")
    return None if year is None or int(year) < 0 else int(year)


def potential_columns(
    od: Mapping[str, pd.DataFrame], table: pd.DataFrame, p: MetricParams, self_time: pd.Series | None = None
) -> pd.DataFrame:
    """The potential-accessibility columns per zone and mode (population exp and power, GDP power).

    One home for the three potentials of :func:`city_measures`, also used for the
    county run behind the city-level potential (:mod:`yrdnet.analysis.city_potential`).
    The GDP column is missing values where some zone's GDP is unknown.
    """
    pop, gdp = table["population"].astype(float), table["gdp"].astype(float)
    cols: dict[str, pd.Series] = {}
    for mode, T in od.items():
        cols.update(_potentials(mode, T, pop, gdp, p, self_time))
    return pd.DataFrame(cols)


def _potentials(
    mode: str, T: pd.DataFrame, pop: pd.Series, gdp: pd.Series, p: MetricParams, self_time: pd.Series | None
) -> dict[str, pd.Series]:
    """The three potential columns of one mode (:func:`potential_columns`)."""
    kw: dict[str, Any] = {"params": p, "self_time_min": self_time}
    has_gdp = bool(np.isfinite(gdp.to_numpy()).all())
    return {
        key("pot", mode, exp=None, pop=None): acc.potential_accessibility(T, pop, decay="exp", **kw),
        key("pot", mode, power=None, pop=None): acc.potential_accessibility(T, pop, decay="power", **kw),
        key("pot", mode, power=None, gdp=None): (
            acc.potential_accessibility(T, gdp, decay="power", **kw) if has_gdp else pd.Series(np.nan, index=T.index)
        ),
    }


def _mode_measures(
    mode: str,
    T: pd.DataFrame,
    pop: pd.Series,
    gdp: pd.Series,
    dist: pd.DataFrame,
    p: MetricParams,
    core: int,
    subcentres: tuple[int, ...],
) -> dict[str, pd.Series]:
    """The columns of :func:`city_measures` but the potentials, for one mode.

    Computed on arrays once (:func:`yrdnet.metrics.zone_arrays.mode_arrays`: the metric
    functions' own kernels on one checked matrix); on any problem with the inputs, by
    the metric functions themselves (:func:`_mode_series`), which raise their errors.
    """
    try:
        z = za.mode_arrays(T, pop, gdp, dist, p, core, subcentres)
    except (DataError, TypeError, ValueError, KeyError, IndexError):
        return _mode_series(mode, T, pop, gdp, dist, p, core, subcentres)
    cols = {key("watt", mode, pop=None): z.watt_pop, key("watt", mode, gdp=None): z.watt_gdp}
    for t, values in zip(p.thresholds_min, z.cumulative, strict=True):
        cols[key("cum", mode, pop=None, t=int(t))] = values
    cols[key("reachable_share", mode, pop=None)] = z.reachable_share
    cols[key("daily", mode, pop=None)] = z.daily
    cols[key("neteff", mode)] = z.network_efficiency
    cols[key("nodaleff", mode)] = z.nodal_efficiency
    cols[key("closeness", mode)] = z.closeness
    cols[key("harmonic", mode)] = z.harmonic_closeness
    cols[key("straightness", mode)] = z.straightness
    cols[key("time_to_core", mode)] = z.time_to_core
    cols[key("time_to_subcentre", mode)] = z.time_to_subcentre
    return {k: pd.Series(v, index=z.zones) for k, v in cols.items()}


def _mode_series(
    mode: str,
    T: pd.DataFrame,
    pop: pd.Series,
    gdp: pd.Series,
    dist: pd.DataFrame,
    p: MetricParams,
    core: int,
    subcentres: tuple[int, ...],
) -> dict[str, pd.Series]:
    """:func:`_mode_measures` by the public metric functions, one call per column."""
    has_gdp = bool(np.isfinite(gdp.to_numpy()).all())
    cols: dict[str, pd.Series] = {}
    cols[key("watt", mode, pop=None)] = acc.watt(T, pop)
    cols[key("watt", mode, gdp=None)] = acc.watt(T, gdp) if has_gdp else pd.Series(np.nan, index=T.index)
    for t in p.thresholds_min:
        cols[key("cum", mode, pop=None, t=int(t))] = acc.cumulative_opportunities(T, pop, t)
    cols[key("reachable_share", mode, pop=None)] = acc.reachable_share(T, pop)
    cols[key("daily", mode, pop=None)] = acc.daily_accessibility(T, pop, params=p)
    cols[key("neteff", mode)] = acc.network_efficiency(T, dist, pop, params=p)
    cols[key("nodaleff", mode)] = acc.nodal_efficiency(T, dist, params=p)
    cols[key("closeness", mode)] = acc.closeness(T)
    cols[key("harmonic", mode)] = acc.harmonic_closeness(T)
    cols[key("straightness", mode)] = acc.straightness(T, dist, params=p)
    cols[key("time_to_core", mode)] = acc.time_to(T, core)
    cols[key("time_to_subcentre", mode)] = acc.time_to(T, list(subcentres))
    return cols


def city_measures(
    od: dict[str, pd.DataFrame],
    cities: pd.DataFrame,
    dist: pd.DataFrame,
    p: MetricParams,
    core: int,
    subcentres: tuple[int, ...],
    self_time: pd.Series | None = None,
    reuse: Reuse | None = None,
) -> pd.DataFrame:
    """Accessibility and closeness columns per zone and mode (the registry's zone columns).

    The GDP-weighted columns are missing values where some zone's GDP is unknown (a
    user's zones without a GDP column). With ``reuse`` (a sweep), a mode's columns are
    kept per mode and given back while its matrix and the other inputs are unchanged
    (:func:`~yrdnet.analysis.reuse.last_value`: a rail line leaves the road columns).
    """
    pop, gdp = cities["population"].astype(float), cities["gdp"].astype(float)
    pots: dict[str, pd.Series] = {}
    rest: dict[str, pd.Series] = {}
    for mode, T in od.items():

        def make(mode: str = mode, T: pd.DataFrame = T) -> tuple[dict[str, pd.Series], dict[str, pd.Series]]:
            pot = _potentials(mode, T, pop, gdp, p, self_time)
            return pot, _mode_measures(mode, T, pop, gdp, dist, p, core, subcentres)

        inputs = (T, dist, pop, gdp, self_time, p, core, tuple(subcentres))
        pot, other = last_value(reuse, ("city_measures", mode), inputs, make)
        pots.update(pot)
        rest.update(other)
    return _frame({**pots, **rest})


def _frame(cols: dict[str, pd.Series]) -> pd.DataFrame:
    """``pd.DataFrame(cols)``; built from one array when every column is float on one index (no alignment)."""
    first = next(iter(cols.values()), None)
    if first is None or not all(
        c.dtype == np.float64 and (c.index is first.index or c.index.identical(first.index)) for c in cols.values()
    ):
        return pd.DataFrame(cols)
    values = np.vstack([c.to_numpy() for c in cols.values()])  # one row per column: each column contiguous
    return pd.DataFrame(values.T, index=first.index, columns=list(cols))


def _betweenness(G: nx.MultiDiGraph, measures: pd.DataFrame, level: str, n_zones: int) -> dict[str, pd.Series]:
    """City betweenness: a zone column at city level (exact), else city series (sampled origins)."""
    out: dict[str, pd.Series] = {}
    for mode in ("multimodal", "rail"):
        if level == "city":
            measures[key("betweenness", mode)] = cen.city_betweenness(G, mode=mode)
        else:
            k = min(BETWEENNESS_SOURCES, n_zones)
            out[key("betweenness", mode)] = cen.city_betweenness(G, mode=mode, k=k, seed=0)
    return out


def zone_measures(a: Assembly) -> None:
    """Every zone column (accessibility, centrality, hinterland, airports): sets ``a.table`` and ``a.city_btw``."""
    tii = zone_self_times(a, a.zt.index)
    self_time = tii if a.p.self_potential else None
    measures = city_measures(a.od, a.zt, a.dist, a.p, a.core, a.subcentres, self_time, reuse=a.reuse)
    if a.city_potential is not None:  # the zone-consistent city potential (MetricParams.city_potential)
        measures.update(a.city_potential.reindex(index=measures.index, columns=measures.columns.intersection(
            a.city_potential.columns)))  # fmt: skip
    a.city_btw = _betweenness(a.G, measures, a.level, len(a.zt)) if a.centrality else {}
    table = a.zt.join(measures)
    to_core = hl.time_to_metro_core(a.od["multimodal"], a.members, a.metro_cores)
    table["time_to_metro_core_multimodal"] = to_core.reindex(table.index)
    table = table.join(_airport_times(a, a.od["multimodal"], network_year(a.G)))
    if a.level == "city":
        table["metros"] = [";".join(sorted(m for m, v in a.members.items() if c in v)) for c in table.index]
    undeclared = [c for c in [*measures.columns, *a.city_btw] if lookup(c, "zone") is None]
    if undeclared:
        msg = f"zone columns {undeclared} are not declared in yrdnet.indicators.REGISTRY"
        raise ValueError(msg)
    a.table = table.loc[a.ids]


def _size_rows(
    rows: dict[str, float], sizes: dict[str, pd.Series], top_n: int, reuse: Reuse | None = None
) -> list[pd.DataFrame]:
    """Morphological polycentricity rows per size measure; returns the stepwise curves.

    With ``reuse`` (a sweep) each measure's rows and curve are kept and given back
    while its sizes are unchanged (population and GDP: every scenario of a sweep).
    """
    stepwise = []
    for sname, raw_sizes in sizes.items():
        make = partial(_size_measure, sname, raw_sizes, top_n)
        got, sw = last_value(reuse, ("size_rows", sname), (raw_sizes, top_n), make)
        rows.update(got)
        if sw is not None:
            stepwise.append(sw)
    return stepwise


def _size_measure(sname: str, raw_sizes: pd.Series, top_n: int) -> tuple[dict[str, float], pd.DataFrame | None]:
    """The rows and the stepwise curve of one size measure (``{}, None`` with fewer than two positive sizes)."""
    rows: dict[str, float] = {}
    s = raw_sizes[raw_sizes > 0]
    if len(s) < 2:
        return rows, None
    rows[f"rank_size_slope_{sname}"] = poly.rank_size_slope(s, min(top_n, len(s))).slope
    rows[f"entropy_{sname}"] = poly.entropy(s)
    rows[f"hhi_{sname}"] = poly.hhi(s)
    rows[f"gini_{sname}"] = eq.gini(s.to_numpy())
    for k_, v in poly.primacy(s).items():
        rows[f"primacy_{k_}_{sname}"] = v
    sw = poly.stepwise_curve(s)
    sw.insert(0, "size_measure", sname)
    return rows, sw.reset_index()


def polycentricity(a: Assembly) -> dict[str, float]:
    """Morphological polycentricity per size measure, the UCI and Green's functional index."""
    rows: dict[str, float] = {}
    sizes = {"population": a.pop, "gdp": a.zt.loc[a.ids, "gdp"].astype(float), "potential": a.table[POTENTIAL]}
    if a.centrality and a.level == "city":
        sizes["betweenness"] = a.table[key("betweenness", "multimodal")]
    stepwise = _size_rows(rows, sizes, min(a.p.top_n, len(a.ids)), a.reuse)
    a.tables["stepwise"] = pd.concat(stepwise, ignore_index=True) if stepwise else pd.DataFrame()
    rows["uci"] = poly.urban_centrality_index(a.pop, a.T).uci
    rows["green_pf_potential"] = poly.green_index(a.flows).p_f
    a.tables["functional"] = poly.functional_sensitivity(a.T, a.pop)
    return rows


def equity(a: Assembly) -> dict[str, float]:
    """Per mode: Gini and CV of potential and WATT, global efficiency, reachable share, mean WATT; Theil.

    Gini and Theil of potential are given over zones (each zone counts once) and over
    people (each zone weighted by its population). With ``a.reuse`` (a sweep), a mode's
    rows are given back while its matrix and columns are unchanged
    (:func:`~yrdnet.analysis.reuse.last_value`).
    """
    rows: dict[str, float] = {}
    pop, table = a.pop, a.table
    for mode in MODES:
        cols = [key("pot", mode, exp=None, pop=None), key("watt", mode, pop=None)]
        cols.append(key("reachable_share", mode, pop=None))
        inputs = (a.scoped_od[mode], a.scoped_dist, table[cols], pop, a.p)
        rows.update(last_value(a.reuse, ("equity", mode), inputs, partial(_equity_rows, a, mode)))
    rows["theil_pot_exp_pop_multimodal"] = float(eq.theil(table[POTENTIAL].to_numpy(float)).iloc[0])
    rows["theil_people_pot_exp_pop_multimodal"] = float(eq.theil(table[POTENTIAL].astype(float), weights=pop)["total"])
    return rows


def _equity_rows(a: Assembly, mode: str) -> dict[str, float]:
    """The rows of :func:`equity` for one mode."""
    rows: dict[str, float] = {}
    pop, table = a.pop, a.table
    pairs = (("pot_exp_pop", key("pot", mode, exp=None, pop=None)), ("watt_pop", key("watt", mode, pop=None)))
    for mname, col in pairs:
        vals = table[col].to_numpy(float)
        ok = np.isfinite(vals)
        rows[f"gini_{mname}_{mode}"] = eq.gini(vals[ok])
        rows[f"cv_{mname}_{mode}"] = eq.coefficient_of_variation(vals[ok])
        if mname == "pot_exp_pop":  # over people: each zone weighted by its population (joined by id)
            v = table[col].astype(float)
            rows[f"gini_people_{mname}_{mode}"] = eq.gini(v[ok], pop)
    rows[f"global_efficiency_{mode}"] = acc.global_efficiency(a.scoped_od[mode], a.scoped_dist, params=a.p)
    rows[f"reachable_share_pop_{mode}"] = acc.weighted_mean(table[key("reachable_share", mode, pop=None)], pop)
    w = table[key("watt", mode, pop=None)]
    ok = np.isfinite(w)
    rows[f"mean_watt_pop_{mode}"] = acc.weighted_mean(w[ok], pop[ok])
    return rows


def linkage(a: Assembly) -> dict[str, float]:
    """Core-sub-centre and metro-core links, the '1-2-3' circles, metro integration (``linkage``, ``metros``)."""
    rows: dict[str, float] = {}
    T, p, pot = a.T, a.p, a.table[POTENTIAL]
    metro_in_scope, cores, subs = a.scoped
    parts = []
    if a.core in set(a.ids) and subs:
        lk = poly.core_subcentre_linkage(T, a.core, subs, params=p).reset_index()
        lk.insert(0, "kind", "core-subcentre")
        parts.append(lk)
    if len(cores) >= 2:
        cl = integ.core_links(T, cores, params=p)
        cl.insert(0, "kind", "metro cores")
        parts.append(cl)
        rows["core_link_compliance"] = integ.core_link_compliance(T, cores, params=p)
    a.tables["linkage"] = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    mtab = pd.DataFrame()
    if metro_in_scope:
        mtab = integ.metro_integration(T, metro_in_scope, cores, a.pop, params=p)
        for c_name, r in integ.travel_circles(T, metro_in_scope, params=p).iterrows():
            rows[f"circle_{c_name}"] = r["share"]
        ent = {m: poly.entropy(pot.loc[v]) if len(v) >= 2 else np.nan for m, v in metro_in_scope.items()}
        mtab["entropy_potential"] = [float(ent[m]) for m in mtab.index]  # mtab's rows: the metros in scope
        cm = integ.core_member_integration(
            T, metro_in_scope, cores, a.pop, midpoint=p.integration_min, slope=p.integration_slope
        )
        mtab = mtab.join(cm[["core_mean_time_min", "logistic_integration"]])
        if "rail" in a.od:  # the same by rail alone (suburban rail included): what new lines change
            cr = integ.core_member_integration(
                a.scoped_od["rail"], metro_in_scope, cores, a.pop,
                midpoint=p.integration_min, slope=p.integration_slope,
            )  # fmt: skip
            mtab = mtab.join(cr[["core_mean_time_min", "logistic_integration"]].add_prefix("rail_"))
        for k_ in ("logistic_integration", "core_mean_time_min"):
            rows[f"metro_{k_}"] = cm.attrs.get(k_, np.nan)
        mtab.insert(0, "name_en", a.metros.loc[list(mtab.index), "name_en"])
    a.tables["metros"] = mtab
    return rows


def structure(a: Assembly) -> dict[str, float]:
    """The four structure components and the structure index, with its weight sensitivity."""
    rows: dict[str, float] = {}
    metro_in_scope, cores, subs = a.scoped
    a.tables["sensitivity"] = pd.DataFrame()
    if a.core in set(a.ids) and subs and metro_in_scope:
        comp = struct.structure_components(
            a.T, a.pop, members=metro_in_scope, cores=cores, core=a.core, subcentres=subs, population=a.pop, params=a.p
        )
        for cname, r in comp.iterrows():
            rows[f"component_{cname}"] = r["score"]
        rows["structure_index"] = struct.structure_index(comp, a.p.weights)
        a.tables["sensitivity"] = struct.weight_sensitivity(comp, a.p.weights, n=a.sensitivity_samples)
    return rows


def __getattr__(name: str) -> int | tuple[int, ...]:
    """``CORE`` and ``SUBCENTRES``: the default region's core and sub-centre cities (PEP 562).

    Kept for scripts of 0.1; code reads them from a :class:`~yrdnet.Region`.
    """
    if name == "CORE":
        return load_region().core
    if name == "SUBCENTRES":
        return load_region().subcentres
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)

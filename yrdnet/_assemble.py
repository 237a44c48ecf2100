"""Row and column builders of :func:`yrdnet.analyze` (hierarchy, town-country, airports, self-potential).

Private: split out of :mod:`yrdnet.analysis` to keep it short; each builder calls the pure
metric functions and returns rows ``(key, value, ...)`` or columns.
"""

from __future__ import annotations

from typing import Any, cast

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from . import accessibility as acc
from . import airports as air
from . import equity as eq
from . import hierarchy as hier
from . import hinterland as hl
from . import integration as integ
from . import polycentricity as poly
from ._geo import area_km2
from ._keys import key
from .datasets import load_metros
from .params import MetricParams
from .results import ScenarioResult
from .zones import Zones, load_zones

#: The region's core (Shanghai) and sub-centres (Nanjing, Hangzhou, Hefei) named by the
#: 2019 YRD Integration Outline.
CORE = 310000
SUBCENTRES = (320100, 330100, 340100)


def _region_rows(out: list[dict[str, Any]], name: str, value: float, group: str, description: str) -> None:
    out.append({"indicator": name, "value": float(value), "group": group, "description": description})


_CENTRE_NAMES = ("shanghai", "nanjing", "hangzhou", "hefei")


def self_times(Z: Zones | None, ids: pd.Index, p: MetricParams) -> pd.Series:
    """Internal time of each zone for self-potential: Rich's formula on the zone's polygon.

    :func:`yrdnet.accessibility.rich_self_time` at ``p.self_speed_kph`` on the area of
    each zone's polygon (the city boundaries at city level, the county boundaries at
    county level); ``p.self_time_min`` where a zone has no polygon (point zones).
    """
    polys = (Z if Z is not None else load_zones("city")).polygons
    out = pd.Series(p.self_time_min, index=ids, name="self_time_min", dtype=float)
    if polys is not None:
        g = polys.reindex(ids)
        known = g.notna() & ~g.is_empty
        if known.any():
            area = area_km2(gpd.GeoSeries(g[known], crs="EPSG:4326"))
            out.loc[area.index] = acc.rich_self_time(area, speed_kph=p.self_speed_kph)
    return out


def _airport_times(Z: Zones | None, zt: pd.DataFrame, T: pd.DataFrame) -> pd.DataFrame:
    """Multimodal time to the nearest airport and international hub (airports attached to zones)."""
    from .datasets import load_airports

    ap = load_airports()
    polys = (Z if Z is not None else load_zones("city")).polygons
    attached = air.airport_zones(ap, zt, polys.reindex(zt.index) if polys is not None else None)
    return air.time_to_airports(T, attached, ap["role"])


def _hierarchy(
    G: nx.MultiDiGraph,
    zt: pd.DataFrame,
    ids: list[int],
    T: pd.DataFrame,
    city_table: pd.DataFrame,
    p: MetricParams,
    *,
    level: str,
    centrality: bool,
) -> list[tuple[str, float, str]]:
    """Hierarchy rows (city scale) and the new city columns, added to ``city_table`` in place."""
    pop = zt.loc[ids, "population"].astype(float)
    F = poly.gravity_flows(T, pop, params=p)
    city_of = zt.loc[ids, "city"] if level != "city" else pd.Series(ids, index=ids)
    Fc = hier.city_flows(F, city_of)
    cpop = pop.groupby(city_of.to_numpy()).sum()
    no_self = acc.potential_accessibility(T, pop, decay="exp", params=p, self_potential=False)
    no_self_city = (no_self * pop).groupby(city_of.to_numpy()).sum() / cpop
    pot = city_table[key("pot", "multimodal", exp=None, pop=None)]
    dom = hier.dominance_index(Fc)
    ts = hier.train_strength(G).reindex(city_table.index).fillna(0.0)
    city_table["dominance_flows_multimodal"] = dom.reindex(city_table.index).to_numpy(float)
    city_table["train_strength"] = ts["train_strength"].to_numpy(float)
    city_table["train_degree"] = ts["train_degree"].to_numpy(float)
    gb = None
    if centrality:
        gb = hier.gravity_betweenness(G, F).reindex(city_table.index).fillna(0.0)
        city_table["gravity_betweenness_multimodal"] = gb.to_numpy(float)
    metro_cores = [int(c) for c in load_metros()["core_adcode"].unique() if int(c) in Fc.index]
    cp = hl.core_periphery_coefficient(Fc, metro_cores) if len(Fc) - len(metro_cores) >= 2 else np.nan
    return [
        (
            "core_periphery_coefficient",
            cp,
            "correlation of modelled city flows with an ideal metro-core/periphery pattern",
        ),
        *hier.hierarchy_indicators(
            flows=Fc,
            population=cpop,
            potential=pot,
            potential_no_self=no_self_city,
            core=CORE,
            subcentres=SUBCENTRES,
            strength=city_table["train_strength"],
            gravity_btw=gb,
            top_n=p.top_n,
        ),
    ]


def _size_rows(rows: list[dict[str, Any]], sizes: dict[str, pd.Series], top_n: int) -> list[pd.DataFrame]:
    """Morphological polycentricity rows per size measure; returns the stepwise curves."""
    stepwise = []
    for sname, raw_sizes in sizes.items():
        s = raw_sizes[raw_sizes > 0]
        if len(s) >= 2:
            fit = poly.rank_size_slope(s, min(top_n, len(s)))
            _region_rows(
                rows,
                f"rank_size_slope_{sname}",
                fit.slope,
                "polycentricity",
                f"rank-size slope q of the top {fit.n} centres by {sname} (0 = equal centres)",
            )
            _region_rows(
                rows,
                f"entropy_{sname}",
                poly.entropy(s),
                "polycentricity",
                f"normalised entropy of {sname} shares (1 = perfectly even)",
            )
            _region_rows(
                rows,
                f"hhi_{sname}",
                poly.hhi(s),
                "polycentricity",
                f"normalised Herfindahl-Hirschman index of {sname} (1 = monocentric)",
            )
            _region_rows(rows, f"gini_{sname}", eq.gini(s.to_numpy()), "polycentricity", f"Gini of {sname}")
            prim = poly.primacy(s)
            for k_, v in prim.items():
                _region_rows(rows, f"primacy_{k_}_{sname}", v, "polycentricity", f"primacy index {k_} of {sname}")
            sw = poly.stepwise_curve(s)
            sw.insert(0, "size_measure", sname)
            stepwise.append(sw.reset_index())
    return stepwise


def _town_country(
    table: pd.DataFrame,
    T: pd.DataFrame,
    pop: pd.Series,
    core: int,
    subcentres: tuple[int, ...],
) -> list[tuple[str, float, str, str]]:
    """Airport, town-country and core-hinterland rows ``(key, value, group, description)`` over the zones in scope."""
    out: list[tuple[str, float, str, str]] = []
    for col in ("time_to_airport_min", "time_to_international_hub_min"):
        v = table[col].astype(float)
        ok = np.isfinite(v)
        what = col[:-4].replace("_", " ")
        desc = f"population-weighted mean {what} (multimodal; airport in its zone), min"
        out.append((f"mean_{col}", acc.weighted_mean(v[ok], pop[ok]), "accessibility", desc))
    centres = {n: z for n, z in zip(_CENTRE_NAMES, (core, *subcentres), strict=False) if z in T.index}
    cov = hl.hinterland_coverage(T, pop, centres)
    for name, r in cov.iterrows():
        for t in (60, 120):
            out.append(
                (
                    f"population_within_{t}min_of_{name}",
                    float(r[f"population_within_{t}min"]),
                    "hinterland",
                    f"population within {t} min of {str(name).title()} (multimodal, own zone included)",
                )
            )
    pot = table[key("pot", "multimodal", exp=None, pop=None)].astype(float)
    groups = table["metros"].astype(str).str.split(";").str[0].replace("", "outside")
    th = eq.theil(pot.to_numpy(), groups.to_numpy())
    for part in ("within", "between"):
        out.append(
            (
                f"theil_potential_{part}_metros",
                float(th[part]),
                "town_country",
                f"Theil T of potential accessibility {part} metropolitan areas (a zone in its first area)",
            )
        )
    if (
        "kind" in table.columns
        and table["kind"].isin(hl.URBAN_KINDS).any()
        and not table["kind"].isin(hl.URBAN_KINDS).all()
    ):
        kinds = table["kind"].isin(hl.URBAN_KINDS).map({True: "district", False: "county"})
        tk = eq.theil(pot.to_numpy(), kinds.to_numpy())
        out.append(("theil_potential_between_districts_counties", float(tk["between"]), "town_country",
                    "Theil T of potential between urban districts and counties"))  # fmt: skip
        g = hl.town_country_gap(pot, table["kind"], pop)
        out.append(("potential_ratio_districts_to_counties", float(g["ratio"]), "town_country",
                    "potential of districts over counties, population-weighted (> 1: towns ahead)"))  # fmt: skip
        w = table[key("watt", "multimodal", pop=None)].astype(float)
        if np.isfinite(w).all():
            gw = hl.town_country_gap(w, table["kind"], pop)
            out.append(("watt_difference_counties_minus_districts_min", -float(gw["difference"]), "town_country",
                        "multimodal WATT of counties minus districts, min (> 0: the country is farther)"))  # fmt: skip
        if {"urban", "rural"} <= set(table.columns):
            ur = hl.urban_rural_gap(pot, table["urban"], table["rural"])
            out.append(("potential_ratio_urban_to_rural", float(ur["ratio"]), "town_country",
                        "potential accessibility as the urban over the rural population sees it"))  # fmt: skip
    return out


def _core_member_pairs(res: ScenarioResult) -> tuple[list[tuple[int, int]], list[float]]:
    """Core-member zone pairs of the current metros and the members' population."""
    metros = load_metros()
    if res.level == "city":
        members = {cast(str, m): [int(x) for x in v] for m, v in metros["members"].items()}
        cores = {m: int(cast(int, metros.loc[m, "core_adcode"])) for m in members}
    elif res.level == "county":
        members, cores = load_zones("county").metro_members(metros)
    else:
        return [], []
    ids = set(res.od["multimodal"].index)
    z = res.zones if res.zones is not None else res.cities
    pairs = [(cores[m], j) for m, js in members.items() for j in js if j != cores[m] and j in ids and cores[m] in ids]
    w = [float(z["population"].get(j, 0.0)) if j in z.index else 0.0 for _, j in pairs]
    return pairs, w


def _convergence(base: ScenarioResult, res: ScenarioResult) -> float:
    """Janelle's rate from ``base`` to ``res`` over core-member pairs (multimodal), min/year."""
    if res.year <= base.year:
        return 0.0 if res is base or res.year == base.year else float("nan")
    pairs, w = _core_member_pairs(res)
    if not pairs or sum(w) <= 0:
        return float("nan")
    return integ.time_space_convergence(
        base.od["multimodal"], res.od["multimodal"], res.year - base.year, pairs, weights=w
    )

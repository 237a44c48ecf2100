"""The indicator registry: every result column and region row declared once.

Each :class:`Indicator` names a key (a pattern whose ``{mode}``, ``{size}``, ``{t}``,
``{centre}``, ``{part}`` and ``{k}`` placeholders expand to the values listed in
:data:`PLACEHOLDERS`), its group, unit, scale (``zone``/``city`` columns, ``metro``
rows, ``region`` rows), a label in words for maps and reports, a description, its
reference and the function computing it. :func:`lookup` finds the entry of a concrete
key, :func:`label` gives the words and unit for a legend, and :func:`to_markdown`
renders ``docs/indicators.md`` (``tools/make_indicator_docs.py``; a test keeps it up to
date). A test also checks that every region row and measure column that
:func:`yrdnet.analyze` produces is declared here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

__all__ = ["PLACEHOLDERS", "REGISTRY", "Indicator", "label", "lookup", "registry_table", "to_markdown"]

PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "mode": ("multimodal", "rail", "road"),
    "size": ("population", "gdp", "potential", "betweenness"),
    "t": ("60", "120", "180"),
    "centre": ("shanghai", "nanjing", "hangzhou", "hefei"),
    "part": ("within", "between"),
    "k": ("s2", "s4", "s11"),
    "mass": ("pop", "gdp"),
    "circle": ("metro_1h", "region_2h", "region_3h"),
    "component": ("polycentricity", "integration", "linkage", "equity"),
    "pillar": ("core_hierarchy", "metro_integration", "intercity_linkage", "core_hinterland_equity"),
}


@dataclass(frozen=True)
class Indicator:
    """One declared indicator (see the module docstring)."""

    key: str
    group: str
    unit: str
    scale: str
    label: str
    description: str
    reference: str = ""
    function: str = ""


_A = "accessibility"
_Z = "zone"
_R = "region"
REGISTRY: tuple[Indicator, ...] = (
    # ------------------------------------------------------------------ zone / city columns
    Indicator("watt_{mass}_{mode}", _A, "min", _Z, "weighted average travel time by {mode}",
              "WATT to every other zone weighted by its population (pop) or GDP; reachable destinations only",
              "Gutiérrez 2001", "yrdnet.accessibility.watt"),
    Indicator("pot_exp_pop_{mode}", _A, "persons", _Z, "potential accessibility by {mode}",
              "Hansen potential, exponential decay (half-life 60 min), with self-potential (Rich's internal time)",
              "Hansen 1959; Rich 1978", "yrdnet.accessibility.potential_accessibility"),
    Indicator("pot_power_{mass}_{mode}", _A, "persons/min or GDP/min", _Z, "economic potential by {mode}",
              "Hansen potential, power decay a = 1, with self-potential", "Gutiérrez 2001",
              "yrdnet.accessibility.potential_accessibility"),
    Indicator("cum_pop_t{t}_{mode}", _A, "persons", _Z, "population within {t} min by {mode}",
              "cumulative opportunities (other zones)", "Cao et al. 2012",
              "yrdnet.accessibility.cumulative_opportunities"),
    Indicator("reachable_share_pop_{mode}", _A, "share", _Z, "share of the population reachable by {mode}",
              "read beside WATT, which averages over reachable destinations only", "",
              "yrdnet.accessibility.reachable_share"),
    Indicator("daily_pop_{mode}", _A, "persons", _Z, "population within 4 h by {mode}", "daily accessibility",
              "Gutiérrez 2001", "yrdnet.accessibility.daily_accessibility"),
    Indicator("neteff_{mode}", _A, "ratio", _Z, "network efficiency by {mode}",
              "Gutiérrez-Monzón ratio of network to ideal time (1 = ideal)", "Gutiérrez et al. 1998",
              "yrdnet.accessibility.network_efficiency"),
    Indicator("nodaleff_{mode}", _A, "index", _Z, "nodal efficiency by {mode}", "Latora-Marchiori, ideal-normalised",
              "Latora & Marchiori 2001", "yrdnet.accessibility.nodal_efficiency"),
    Indicator("closeness_{mode}", "centrality", "1/min", _Z, "closeness by {mode}", "Wasserman-Faust closeness",
              "", "yrdnet.accessibility.closeness"),
    Indicator("harmonic_{mode}", "centrality", "1/min", _Z, "harmonic closeness by {mode}", "mean inverse time",
              "Rochat 2009", "yrdnet.accessibility.harmonic_closeness"),
    Indicator("straightness_{mode}", "centrality", "ratio", _Z, "straightness by {mode}",
              "ideal over network time", "Crucitti, Latora & Porta 2006", "yrdnet.accessibility.straightness"),
    Indicator("time_to_core_{mode}", _A, "min", _Z, "time to Shanghai by {mode}", "door to door", "Tao et al. 2016",
              "yrdnet.accessibility.time_to"),
    Indicator("time_to_subcentre_{mode}", _A, "min", _Z, "time to the nearest sub-centre by {mode}",
              "Nanjing, Hangzhou or Hefei", "", "yrdnet.accessibility.time_to"),
    Indicator("time_to_metro_core_multimodal", "hinterland", "min", _Z, "time to the metro core",
              "door to door from the core of the zone's metropolitan area (nearest if several)", "",
              "yrdnet.hinterland.time_to_metro_core"),
    Indicator("time_to_airport_min", _A, "min", _Z, "time to the nearest airport",
              "multimodal, airport attached to the zone holding it", "", "yrdnet.airports.time_to_airports"),
    Indicator("time_to_international_hub_min", _A, "min", _Z, "time to the nearest international hub",
              "Pudong or Hongqiao; multimodal, airport attached to its zone", "", "yrdnet.airports.time_to_airports"),
    Indicator("betweenness_{mode}", "centrality", "share", "city", "betweenness by {mode}",
              "city group betweenness over zone pairs", "Everett & Borgatti 1999",
              "yrdnet.centrality.city_betweenness"),
    Indicator("gravity_betweenness_multimodal", "hierarchy", "share", "city", "demand-weighted betweenness",
              "share of modelled gravity demand routed through the city", "indicators digest §2",
              "yrdnet.hierarchy.gravity_betweenness"),
    Indicator("dominance_flows_multimodal", "hierarchy", "index", "city", "dominance in modelled flows",
              "Limtanakool dominance index (> 1 dominant)", "Limtanakool et al. 2007",
              "yrdnet.hierarchy.dominance_index"),
    Indicator("train_strength", "hierarchy", "trains/day", "city", "daily direct trains to other cities",
              "strength: trains a day from the city's stations reaching another city without a change",
              "Liu, Wan & Zhang 2020", "yrdnet.hierarchy.train_strength"),
    Indicator("train_degree", "hierarchy", "cities", "city", "cities served by a direct train", "degree", "",
              "yrdnet.hierarchy.train_strength"),
    # ------------------------------------------------------------------ region rows
    Indicator("rank_size_slope_{size}", "polycentricity", "slope", _R, "rank-size slope of {size}",
              "OLS slope q of the top centres (0 = equal centres)", "Meijers & Burger 2010",
              "yrdnet.polycentricity.rank_size_slope"),
    Indicator("entropy_{size}", "polycentricity", "index", _R, "entropy of {size}", "normalised entropy (1 = even)",
              "", "yrdnet.polycentricity.entropy"),
    Indicator("hhi_{size}", "polycentricity", "index", _R, "concentration of {size}", "normalised HHI, 1 = monocentric",
              "", "yrdnet.polycentricity.hhi"),
    Indicator("gini_{size}", "polycentricity", "index", _R, "Gini of {size}", "", "", "yrdnet.equity.gini"),
    Indicator("primacy_{k}_{size}", "polycentricity", "ratio", _R, "primacy {k} of {size}", "Jefferson primacy",
              "Jefferson 1939", "yrdnet.polycentricity.primacy"),
    Indicator("uci", "polycentricity", "index", _R, "Urban Centrality Index", "travel time for distance",
              "Pereira et al. 2013", "yrdnet.polycentricity.urban_centrality_index"),
    Indicator("green_pf_potential", "polycentricity", "index", _R, "potential functional polycentricity",
              "Green's index on modelled gravity flows", "Green 2007", "yrdnet.polycentricity.green_index"),
    Indicator("gini_pot_exp_pop_{mode}", "equity", "index", _R, "Gini of potential by {mode}", "", "",
              "yrdnet.equity.gini"),
    Indicator("gini_watt_pop_{mode}", "equity", "index", _R, "Gini of WATT by {mode}", "", "", "yrdnet.equity.gini"),
    Indicator("cv_pot_exp_pop_{mode}", "equity", "ratio", _R, "CV of potential by {mode}", "", "",
              "yrdnet.equity.coefficient_of_variation"),
    Indicator("cv_watt_pop_{mode}", "equity", "ratio", _R, "CV of WATT by {mode}", "", "",
              "yrdnet.equity.coefficient_of_variation"),
    Indicator("global_efficiency_{mode}", _A, "index", _R, "global efficiency by {mode}",
              "weighted Latora-Marchiori, ideal-normalised", "Latora & Marchiori 2001",
              "yrdnet.accessibility.global_efficiency"),
    Indicator("reachable_share_pop_{mode}", _A, "share", _R, "reachable population share by {mode}",
              "population-weighted", "", "yrdnet.accessibility.reachable_share"),
    Indicator("mean_watt_pop_{mode}", _A, "min", _R, "mean WATT by {mode}", "population-weighted, reachable only",
              "Gutiérrez 2001", "yrdnet.accessibility.watt"),
    Indicator("theil_pot_exp_pop_multimodal", "equity", "index", _R, "Theil of potential", "", "Theil 1967",
              "yrdnet.equity.theil"),
    Indicator("core_link_compliance", "linkage", "share", _R, "metro-core pairs within 90 min",
              "door to door (see targets for the policy definition)", "2020 YRD transport plan",
              "yrdnet.integration.core_link_compliance"),
    Indicator("circle_{circle}", "integration", "share", _R, "'1-2-3' circle share", "", "交通强国建设纲要 2019",
              "yrdnet.integration.travel_circles"),
    Indicator("metro_logistic_integration", "integration", "index", _R, "metro integration (log-logistic)",
              "core-to-member, decay one half at 60 min, metros by population", "Geurs & van Eck 2001",
              "yrdnet.integration.core_member_integration"),
    Indicator("metro_core_mean_time_min", "integration", "min", _R, "mean core-to-member time",
              "population-weighted over members, metros by population", "",
              "yrdnet.integration.core_member_integration"),
    Indicator("convergence_core_members_min_per_year", "integration", "min/year", _R, "time-space convergence",
              "Janelle's rate against the first scenario of a timeline", "Janelle 1968",
              "yrdnet.integration.time_space_convergence"),
    Indicator("component_{component}", "structure", "score", _R, "structure component {component}", "", "",
              "yrdnet.structure.structure_components"),
    Indicator("structure_index", "structure", "score", _R, "spatial-structure optimisation index",
              "weighted mean of the four components; superseded by composite_index", "",
              "yrdnet.structure.structure_index"),
    Indicator("core_link_attainment", "composite", "share", _R, "attainment of the core-link targets",
              "mean over the core_link targets of min(1, threshold / fastest station-to-station time); inf = 0",
              "NDRC & MoT 2020 YRD transport plan (data/targets.csv)", "yrdnet.composite.core_link_attainment"),
    Indicator("composite_{pillar}", "composite", "score", _R, "composite component {pillar}",
              "distance to target: 2010 = 0, target = 1 (the plan_2035 value where no citable target)",
              "OECD & JRC 2008", "yrdnet.composite.distance_to_target"),
    Indicator("composite_index", "composite", "score", _R, "spatial-structure composite",
              "weighted geometric mean of the four component scores, floored at 0.01 and capped at 1",
              "OECD & JRC 2008", "yrdnet.composite.composite_index"),
    Indicator("mean_time_to_airport_min", _A, "min", _R, "mean time to the nearest airport", "population-weighted",
              "", "yrdnet.airports.time_to_airports"),
    Indicator("mean_time_to_international_hub_min", _A, "min", _R, "mean time to an international hub",
              "population-weighted", "", "yrdnet.airports.time_to_airports"),
    Indicator("population_within_{t}min_of_{centre}", "hinterland", "persons", _R,
              "population within {t} min of {centre}", "multimodal, own zone included", "",
              "yrdnet.hinterland.hinterland_coverage"),
    Indicator("theil_potential_{part}_metros", "town_country", "index", _R, "Theil of potential {part} metros",
              "a zone in its first metropolitan area", "Theil 1967", "yrdnet.equity.theil"),
    Indicator("theil_potential_between_districts_counties", "town_country", "index", _R,
              "Theil of potential between districts and counties", "", "Theil 1967", "yrdnet.equity.theil"),
    Indicator("potential_ratio_districts_to_counties", "town_country", "ratio", _R, "district/county potential",
              "population-weighted", "", "yrdnet.hinterland.town_country_gap"),
    Indicator("watt_difference_counties_minus_districts_min", "town_country", "min", _R,
              "county minus district WATT", "multimodal, population-weighted", "",
              "yrdnet.hinterland.town_country_gap"),
    Indicator("potential_ratio_urban_to_rural", "town_country", "ratio", _R, "urban/rural potential",
              "as the urban and rural population see it", "", "yrdnet.hinterland.urban_rural_gap"),
    Indicator("core_periphery_coefficient", "hierarchy", "correlation", _R, "core-periphery coefficient",
              "modelled city flows vs the ideal metro-core pattern", "Borgatti & Everett 1999",
              "yrdnet.hinterland.core_periphery_coefficient"),
    Indicator("dominance_core", "hierarchy", "index", _R, "Shanghai's dominance in modelled flows", "",
              "Limtanakool et al. 2007", "yrdnet.hierarchy.dominance_index"),
    Indicator("core_rank_dominance", "hierarchy", "rank", _R, "Shanghai's rank by dominance", "1 = first", "",
              "yrdnet.hierarchy.hierarchy_indicators"),
    Indicator("core_rank_potential", "hierarchy", "rank", _R, "Shanghai's rank by potential",
              "with self-potential", "", "yrdnet.hierarchy.hierarchy_indicators"),
    Indicator("core_rank_potential_without_self", "hierarchy", "rank", _R, "Shanghai's rank by potential, no self",
              "the pre-issue-11 choice", "", "yrdnet.hierarchy.hierarchy_indicators"),
    Indicator("core_rank_train_strength", "hierarchy", "rank", _R, "Shanghai's rank by direct trains", "", "",
              "yrdnet.hierarchy.hierarchy_indicators"),
    Indicator("core_rank_gravity_betweenness", "hierarchy", "rank", _R, "Shanghai's rank by demand betweenness",
              "", "", "yrdnet.hierarchy.hierarchy_indicators"),
    Indicator("evenness_subcentres_potential", "hierarchy", "index", _R, "sub-centre evenness",
              "entropy of potential among Nanjing, Hangzhou, Hefei (the core left out)", "",
              "yrdnet.hierarchy.subcentre_evenness"),
    Indicator("core_lead_potential", "hierarchy", "ratio", _R, "Shanghai's lead in potential",
              "over the sub-centres' mean", "", "yrdnet.hierarchy.hierarchy_indicators"),
    Indicator("rank_size_slope_morphological", "hierarchy", "slope", _R, "morphological rank-size slope",
              "population", "Burger & Meijers 2012", "yrdnet.hierarchy.polycentricity_gap"),
    Indicator("rank_size_slope_functional", "hierarchy", "slope", _R, "functional rank-size slope",
              "incoming modelled flows", "Burger & Meijers 2012", "yrdnet.hierarchy.polycentricity_gap"),
    Indicator("polycentricity_gap", "hierarchy", "slope", _R, "morphological-functional gap",
              "functional minus morphological slope", "Burger & Meijers 2012", "yrdnet.hierarchy.polycentricity_gap"),
)  # fmt: skip


def _pattern(key: str) -> re.Pattern[str]:
    out = re.escape(key)
    for name, values in PLACEHOLDERS.items():
        out = out.replace(re.escape("{" + name + "}"), "(?P<" + name + ">" + "|".join(map(re.escape, values)) + ")")
    return re.compile(out + r"\Z")


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], Indicator], ...]:
    return tuple((_pattern(i.key), i) for i in REGISTRY)


def lookup(key: str) -> tuple[Indicator, dict[str, str]] | None:
    """The registry entry of a concrete key and its placeholder values, or ``None``.

    Examples
    --------
    >>> ind, vals = lookup("watt_pop_rail")
    >>> ind.unit, vals["mode"]
    ('min', 'rail')
    """
    for pat, ind in _compiled():
        m = pat.match(key)
        if m:
            return ind, {k: v for k, v in m.groupdict().items() if v is not None}
    return None


def label(key: str, *, unit: bool = True) -> str:
    """Words for a key (for a legend or a table header), with its unit; the key if unknown.

    Examples
    --------
    >>> label("pot_exp_pop_rail")
    'potential accessibility by rail (persons)'
    """
    hit = lookup(key)
    if hit is None:
        return key
    ind, vals = hit
    text = ind.label.format(**{k: vals.get(k, k) for k in PLACEHOLDERS})
    return f"{text} ({ind.unit})" if unit and ind.unit else text


def registry_table() -> pd.DataFrame:
    """The registry as a table (one row per declared key pattern)."""
    return pd.DataFrame([vars(i) for i in REGISTRY])


def to_markdown() -> str:
    """``docs/indicators.md``: every indicator by group, generated from the registry."""
    out = [
        "# yrdnet indicators",
        "",
        "Generated from `yrdnet.indicators.REGISTRY` by `tools/make_indicator_docs.py`; do not edit.",
        "Placeholders: " + "; ".join(f"`{{{k}}}` = {', '.join(v)}" for k, v in PLACEHOLDERS.items()) + ".",
        "",
    ]
    t = registry_table()
    for group in dict.fromkeys(t["group"]):
        out += [f"## {group}", "", "| key | scale | unit | label | description | reference | function |",
                "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for r in t[t["group"] == group].itertuples(index=False):
            cells = [f"`{r.key}`", r.scale, r.unit, r.label, r.description, r.reference, f"`{r.function}`"]
            out.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
        out.append("")
    return "\n".join(out)

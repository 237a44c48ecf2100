r"""Who gains in the periphery (中心城市与边缘腹地): county gains between two results.

* :func:`periphery_gains` — one row per county outside the metropolitan areas or in a
  named periphery (northern Anhui, northern Jiangsu, south-western Zhejiang): its
  potential accessibility, average time to the region's people, time to the core and to
  the nearest central city, before and after, and the change;
* :func:`periphery_summary` — the same, population-weighted, per periphery;
* :func:`population_within` — population within 1 h and 2 h of each centre (the core,
  the sub-centres and the metropolitan cores) per result.

Each takes :class:`~yrdnet.analysis.results.ScenarioResult` objects of the same zone
level, normally county (``analyze(name, zones="county")``). A centre stands for the zone
holding its city centre (:meth:`yrdnet.Zones.core_zones`: at county level the district
whose polygon covers the city's ``lon``/``lat``, e.g. Huangpu for Shanghai). Masses are
those of the results (the 2020 census unless ``masses="census"``), so the gains are the
network's alone.

References
----------
Gutiérrez, J. (2001). Location, economic potential and daily accessibility: an analysis
of the accessibility impact of the high-speed line Madrid-Barcelona-French border.
*Journal of Transport Geography* 9(4), 229-242.

Vickerman, R. (2015). High-speed rail and regional development: the case of
intermediate stations. *Journal of Transport Geography* 42, 157-165.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from yrdnet.analysis.results import ScenarioResult
from yrdnet.core.errors import DataError
from yrdnet.metrics import hinterland as hl
from yrdnet.metrics import periphery as pm
from yrdnet.region.region import Region, load_region

__all__ = ["PeripheryOptions", "centre_zones", "periphery_gains", "periphery_summary", "population_within"]


@dataclass(frozen=True)
class PeripheryOptions:
    """What the periphery tables measure.

    Parameters
    ----------
    mode
        Travel-time matrix and accessibility mode (default ``"multimodal"``).
    potential
        Stem of the potential column (``pot_exp_pop``: exponential decay, population
        masses; the column is ``<potential>_<mode>``).
    watt
        Stem of the weighted-average-travel-time column (``watt_pop``).
    thresholds
        Minutes of :func:`population_within` (the 1 h and 2 h circles).
    """

    mode: str = "multimodal"
    potential: str = "pot_exp_pop"
    watt: str = "watt_pop"
    thresholds: tuple[float, ...] = (60.0, 120.0)


#: The measures of :func:`periphery_gains`: name -> how a change is stated.
_MEASURES = {
    "potential": "pct",
    "average_time_to_people": "min",
    "time_to_core": "min",
    "time_to_nearest_central_city": "min",
    "time_to_nearest_metro_core": "min",
}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def centre_zones(res: ScenarioResult, region: Region | None = None) -> pd.DataFrame:
    """The centres and the zones standing for them in a result.

    The core and the sub-centres (:attr:`yrdnet.Region.centres`, keys such as
    ``shanghai``), then the core city of each metropolitan area not already listed
    (keyed by its English name: ``suzhou``, ``ningbo``).

    Returns
    -------
    pandas.DataFrame
        Index centre key; ``city`` (adcode), ``zone`` (the zone holding the city centre,
        :meth:`yrdnet.Zones.core_zones`), ``role`` (``core``, ``subcentre``,
        ``metro core``).
    """
    R = load_region() if region is None else region
    if res.level not in R.levels:
        raise DataError(f"periphery tables need a result on the region's zones {list(R.levels)}, got {res.level!r}")
    zone_of = R.zones(res.level).core_zones(R.cities)
    rows = [(k, c, "core" if c == R.core else "subcentre") for k, c in R.centres.items()]
    names = R.cities["name_en"]
    for core in dict.fromkeys(int(c) for c in R.metros()["core_adcode"]):
        if core not in {r[1] for r in rows}:
            rows.append((_key(str(names.get(core, core))), core, "metro core"))
    out = pd.DataFrame(rows, columns=["centre", "city", "role"]).set_index("centre")
    out["zone"] = [zone_of.get(c, -1) for c in out["city"]]
    return out[out["zone"].isin(res.od[next(iter(res.od))].index)]


def _measures(res: ScenarioResult, centres: pd.DataFrame, opt: PeripheryOptions) -> pd.DataFrame:
    """The five measures of :data:`_MEASURES` per zone of one result."""
    T, z = res.od[opt.mode], res.zones
    assert z is not None
    core = centres.loc[centres["role"] == "core", "zone"]
    central = centres.loc[centres["role"] != "metro core", "zone"].tolist()
    nearest, which = pm.time_to_nearest(T, central)
    return pd.DataFrame(
        {
            "potential": z[f"{opt.potential}_{opt.mode}"],
            "average_time_to_people": z[f"{opt.watt}_{opt.mode}"],
            "time_to_core": T[int(core.iloc[0])] if len(core) else np.nan,
            "time_to_nearest_central_city": nearest,
            "time_to_nearest_metro_core": pm.time_to_nearest(T, centres["zone"].tolist())[0],
            "nearest_central_city": which.map({int(v): k for k, v in centres["zone"].items()}),
        },
        index=z.index,
    )


def periphery_gains(
    before: ScenarioResult,
    after: ScenarioResult,
    *,
    region: Region | None = None,
    options: PeripheryOptions | None = None,
) -> pd.DataFrame:
    r"""County gains from ``before`` to ``after`` outside the metros and in the named peripheries.

    For each zone :math:`i` with potential :math:`A_i = \sum_j P_j e^{-\beta T_{ij}}`:

    * ``potential_gain_pct`` :math:`= 100 (A_i^{after} / A_i^{before} - 1)`;
    * ``average_time_to_people_*`` — the weighted average travel time
      :math:`\sum_{j \ne i} T_{ij} P_j / \sum_{j \ne i} P_j` (Gutiérrez 2001 "location"),
      minutes, before, after, change;
    * ``time_to_<core>_*`` (``time_to_shanghai_before_min``, ...) — :math:`T_{ic}` to the
      core's zone (Shanghai's Huangpu);
    * ``time_to_nearest_central_city_*`` — :math:`\min_c T_{ic}` over the core and the
      sub-centres (Shanghai, Nanjing, Hangzhou, Hefei), with ``nearest_central_city``
      (after);
    * ``time_to_nearest_metro_core_*`` — the same over every metropolitan core.

    Parameters
    ----------
    before, after
        Results of the same zones (e.g. ``analyze("baseline_2010", zones="county")`` and
        ``analyze("baseline_2025", zones="county")``).
    region
        The region (default the shipped YRD): peripheries, centres, metros.
    options
        :class:`PeripheryOptions` (mode and columns).

    Returns
    -------
    pandas.DataFrame
        Index zone id; ``name_en``, ``name_zh``, ``city``, ``city_name``, ``periphery``
        (id, ``""`` for none), ``metros`` (``";"``-joined, ``""`` outside every metro),
        ``population``, then ``<measure>_before``, ``_after`` and ``_gain_pct`` /
        ``_change_min``. Rows: every zone outside all metros, and every zone of a named
        periphery (Bengbu, Huainan and Huai'an are periphery members inside a metro).
        ``attrs``: ``before``, ``after`` (scenario names), ``years``.

    Raises
    ------
    DataError
        If the two results are on different zones or levels.
    """
    opt = PeripheryOptions() if options is None else options
    R = load_region() if region is None else region
    za, zb = after.zones, before.zones
    assert za is not None and zb is not None
    if before.level != after.level or not za.index.equals(zb.index):
        raise DataError(f"periphery_gains: {before.name!r} and {after.name!r} are not on the same zones")
    centres = centre_zones(after, R)
    members = {str(k): [int(c) for c in v] for k, v in R.peripheries["members"].items()}
    labels = pm.periphery_labels(za["city"], members)
    metros = za["metros"].fillna("").astype(str)
    keep = (labels != "") | (metros == "")
    g = pm.gain_table(_measures(before, centres, opt), _measures(after, centres, opt), _MEASURES)
    core_key = str(centres.index[centres["role"] == "core"][0]) if (centres["role"] == "core").any() else "core"
    g.columns = [_minutes(c).replace("time_to_core", f"time_to_{core_key}") for c in g.columns]
    head = pd.DataFrame(
        {
            "name_en": za["name_en"],
            "name_zh": za["name_zh"],
            "city": za["city"].astype(int),
            "city_name": za["city"].map(R.cities["name_en"]),
            "periphery": labels,
            "metros": metros,
            "population": za["population"].astype(float),
        }
    )
    out = pd.concat([head, g, _measures(after, centres, opt)[["nearest_central_city"]]], axis=1).loc[keep]
    order = {p: i for i, p in enumerate(R.peripheries.index)}
    out = out.assign(_o=out["periphery"].map(order).fillna(len(order))).sort_values(["_o", "city"], kind="stable")
    out = out.drop(columns="_o")
    out.attrs.update(before=before.name, after=after.name, years=(before.year, after.year))
    return out


def _minutes(col: str) -> str:
    """``time_to_core_before`` -> ``time_to_core_before_min`` (every time column says its unit)."""
    return col + "_min" if col.startswith(("average_time", "time_to")) and not col.endswith("_min") else col


def periphery_summary(gains: pd.DataFrame, *, region: Region | None = None) -> pd.DataFrame:
    r"""Population-weighted means of :func:`periphery_gains` per periphery.

    .. math:: \bar x_G = \sum_{i \in G} P_i x_i \Big/ \sum_{i \in G} P_i

    Groups: each named periphery; ``other_outside_metros`` (zones outside every metro
    and in no periphery); ``all_outside_metros``.

    Returns
    -------
    pandas.DataFrame
        Index group; ``name_en``, ``zones``, ``population`` and the population-weighted
        mean of every ``_before``, ``_after``, ``_gain_pct`` and ``_change_min`` column.
    """
    R = load_region() if region is None else region
    groups = {str(p): gains["periphery"] == p for p in R.peripheries.index}
    groups["other_outside_metros"] = (gains["periphery"] == "") & (gains["metros"] == "")
    groups["all_outside_metros"] = gains["metros"] == ""
    cols = [c for c in gains.columns if c.endswith(("_before", "_after", "_gain_pct", "_min"))]
    cols = [c for c in cols if pd.api.types.is_numeric_dtype(gains[c])]
    out = pm.weighted_summary(gains, groups, "population", cols)
    names = R.peripheries["name_en"] if "name_en" in R.peripheries.columns else pd.Series(dtype=object)
    extra = {
        "other_outside_metros": "Other counties outside the metros",
        "all_outside_metros": "All counties outside the metros",
    }
    out.insert(0, "name_en", [names.get(g, extra.get(str(g), g)) for g in out.index])
    out.attrs.update(gains.attrs)
    return out


def population_within(
    results: ScenarioResult | Sequence[ScenarioResult],
    *,
    region: Region | None = None,
    options: PeripheryOptions | None = None,
) -> pd.DataFrame:
    r"""Population within each threshold of each centre, per result.

    .. math:: H_c(\tau) = \sum_j P_j \, \mathbf{1}[T_{z(c)\,j} \le \tau]

    where :math:`z(c)` is the zone holding centre :math:`c`'s city centre
    (:func:`centre_zones`), :math:`T` the result's travel times from it (``options.mode``)
    and :math:`P_j` the zones' population; the centre's own zone counts
    (:func:`yrdnet.metrics.hinterland.hinterland_coverage`). At county level a threshold
    reaches county by county, so the count moves as the network moves.

    Parameters
    ----------
    results
        One result or several (e.g. the timeline, county level).
    region
        The region (default the shipped YRD).
    options
        :class:`PeripheryOptions` (``thresholds``, ``mode``).

    Returns
    -------
    pandas.DataFrame
        One row per result, centre and threshold: ``scenario``, ``year``, ``centre``,
        ``role``, ``zone``, ``threshold_min``, ``population``, ``share`` (of all the
        zones' population).
    """
    opt = PeripheryOptions() if options is None else options
    R = load_region() if region is None else region
    rows = []
    for res in [results] if isinstance(results, ScenarioResult) else list(results):
        assert res.zones is not None
        centres = centre_zones(res, R)
        zones: dict[str, int] = {str(k): int(v) for k, v in centres["zone"].items()}
        cov = hl.hinterland_coverage(res.od[opt.mode], res.zones["population"], zones, opt.thresholds)
        for c, r in cov.iterrows():
            for t in opt.thresholds:
                rows.append({"scenario": res.name, "year": res.year, "centre": c, "role": centres.at[c, "role"],
                             "zone": zones[str(c)], "threshold_min": t,
                             "population": r[f"population_within_{t:g}min"],
                             "share": r[f"share_within_{t:g}min"]})  # fmt: skip
    return pd.DataFrame(rows)

"""Scripted comparison of infrastructure plans: per-city, per-metro and region deltas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from yrdnet.analysis.pipeline import analyze
from yrdnet.analysis.results import Comparison, ScenarioResult
from yrdnet.core.keys import key
from yrdnet.core.params import MetricParams
from yrdnet.region.region import Region, load_region
from yrdnet.region.zones import Zones
from yrdnet.scenarios.scenario import Scenario

__all__ = ["compare"]

ScenarioLike = str | Path | Scenario | ScenarioResult
_ZONE_FIXED = ("lon", "lat", "population", "gdp", "city", "urban", "rural", "population_2010", "label")


def _result(
    s: ScenarioLike, scope: str, params: MetricParams | None, zones: Zones, masses: str, region: Region
) -> ScenarioResult:
    if isinstance(s, ScenarioResult):
        return s
    return analyze(s, scope, zones=zones, masses=masses, params=params, sensitivity_samples=50, region=region)


def _long_delta(base: pd.DataFrame, other: pd.DataFrame, id_name: str) -> pd.DataFrame:
    num = [c for c in base.columns if c in other.columns and pd.api.types.is_numeric_dtype(base[c])]
    b = base[num].astype(float)
    o = other[num].astype(float).reindex(b.index)
    delta = o - b
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = delta / b.abs() * 100.0
    out = pd.DataFrame(
        {
            id_name: np.repeat(b.index.to_numpy(), len(num)),
            "indicator": np.tile(num, len(b)),
            "base": b.to_numpy().ravel(),
            "value": o.to_numpy().ravel(),
            "delta": delta.to_numpy().ravel(),
            "delta_pct": pct.to_numpy().ravel(),
        }
    )
    return out


def compare(
    base: ScenarioLike,
    *others: ScenarioLike,
    scope: str = "yrd",
    params: MetricParams | None = None,
    zones: Zones | str | None = None,
    masses: str = "2020",
    region: Region | None = None,
) -> Comparison:
    """Compare one or more scenarios with a base scenario.

    Parameters
    ----------
    base
        The reference scenario (name, path, :class:`Scenario` or an existing
        :class:`ScenarioResult`).
    *others
        Scenarios to compare with it (at least one).
    scope, params, zones, masses, region
        Passed to :func:`yrdnet.analyze` (``zones="county"`` for the county level).

    Returns
    -------
    Comparison
        ``.cities`` / ``.metros`` / ``.region``: long tables of base value, scenario value,
        delta and delta in % of every numeric measure; ``.gainers``: the cities that gain
        most. ``.to_dir(path)`` writes CSV and a Markdown report. At county or custom
        level, ``.cities`` compares the zones aggregated to cities and ``.zones`` holds
        the per-zone deltas.

    Notes
    -----
    Masses are the same in every scenario, so every delta is the network's doing.
    ``delta_pct`` is relative to the base value's magnitude (undefined where the base is 0
    or infinite). For travel times (WATT, time to core) a negative delta is a gain.

    Examples
    --------
    >>> cmp = compare("baseline_2020", "baseline_2025")  # doctest: +SKIP
    >>> cmp.gainers.head()  # doctest: +SKIP
    """
    if isinstance(base, (list, tuple)):  # compare(["a", "b"]) instead of compare("a", "b")
        kind = type(base).__name__
        msg = f"compare() takes the scenarios as separate arguments, got one {kind}; use compare(*{base!r})"
        raise TypeError(msg)
    if not others:
        msg = "compare() needs a base and at least one other scenario"
        raise ValueError(msg)
    R = region or load_region()
    Z = R.resolve_zones(zones)
    rb = _result(base, scope, params, Z, masses, R)
    cities, metros, region_rows, gainers, zone_parts = [], [], [], [], []
    names = []
    for s in others:
        ro = _result(s, scope, params, Z, masses, R)
        names.append(ro.name)
        c = _long_delta(
            pd.DataFrame(rb.cities.drop(columns="geometry")), pd.DataFrame(ro.cities.drop(columns="geometry")), "adcode"
        )
        c = c[~c["indicator"].isin(["lon", "lat", "population", "gdp"])]
        c.insert(0, "scenario", ro.name)
        cities.append(c)
        if rb.level != "city" and rb.zones is not None and ro.zones is not None:
            z = _long_delta(
                pd.DataFrame(rb.zones.drop(columns="geometry")), pd.DataFrame(ro.zones.drop(columns="geometry")), "zone"
            )
            z = z[~z["indicator"].isin(_ZONE_FIXED)]
            z.insert(0, "scenario", ro.name)
            zone_parts.append(z)
        if not rb.metros.empty:
            m = _long_delta(rb.metros, ro.metros, "metro")
            m.insert(0, "scenario", ro.name)
            metros.append(m)
        r = _long_delta(
            rb.region[["value"]].T.reset_index(drop=True), ro.region[["value"]].T.reset_index(drop=True), "row"
        )
        r = r.drop(columns="row")
        r.insert(0, "scenario", ro.name)
        region_rows.append(r)
        w = key("watt", "multimodal", pop=None)
        p = key("pot", "multimodal", exp=None, pop=None)
        g = pd.DataFrame(
            {
                "scenario": ro.name,
                "adcode": rb.cities.index,
                "name_en": rb.cities["name_en"].to_numpy(),
                "watt_base_min": rb.cities[w].to_numpy(),
                "watt_min": ro.cities[w].reindex(rb.cities.index).to_numpy(),
                "pot_gain_pct": (ro.cities[p].reindex(rb.cities.index) / rb.cities[p] - 1).to_numpy() * 100,
            }
        )
        g["watt_saving_min"] = g["watt_base_min"] - g["watt_min"]
        gainers.append(g.sort_values(["watt_saving_min", "pot_gain_pct"], ascending=False))
    region_df = pd.concat(region_rows, ignore_index=True).set_index("indicator")
    return Comparison(
        base=rb.name,
        others=names,
        cities=pd.concat(cities, ignore_index=True),
        metros=pd.concat(metros, ignore_index=True) if metros else pd.DataFrame(),
        region=region_df,
        gainers=pd.concat(gainers, ignore_index=True),
        zones=pd.concat(zone_parts, ignore_index=True) if zone_parts else pd.DataFrame(),
    )

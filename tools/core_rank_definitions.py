"""Shanghai's rank by potential accessibility under documented self-potential definitions (issue 11).

Prints one row per definition and one column per timeline scenario (rank of Shanghai
among the 41 cities, 1 = highest multimodal Hansen potential, exponential decay with a
60-minute half-life unless stated), then the top three cities of the county-level
definition. Nothing is tuned: every variant is a definition from the literature or the
model's own county-level run, evaluated on the same travel times.

Definitions
-----------
* city, Rich 0.5 r at 20 km/h: the default (``MetricParams``), internal time
  ``t_ii = 0.5 sqrt(A/pi) / v`` on the city polygon (Rich 1978, as quoted by the digest).
* city, no self-potential: the pre-issue-11 choice.
* city, Frost & Spence weight w: ``t_ii = w sqrt(A/pi) / v`` for w = 1/3, 1/2, 1. Frost &
  Spence (1995) show that the weighting of the radius of the circle with the zone's
  area, which most studies use for the internal impedance, shapes the potential
  surface; they give no single value, so the usual range is reported.
* city, modelled internal time: ``t_ii`` = population-weighted mean modelled time between
  the city's own counties (each county's own Rich time on the diagonal).
* county run: potential computed for the 305 counties and districts, each city the
  population-weighted mean of its zones (``analyze(zones="county").cities``,
  ``aggregate_to_cities``), with the county Rich weight 1/3, 1/2, 1 and half-lives 45
  and 90 min.

References: Frost, M. E. & Spence, N. A. (1995). The rediscovery of accessibility and
economic potential: the critical issue of self-potential. *Environment and Planning A*
27(11), 1833-1848. https://doi.org/10.1068/a271833 ; Condeço-Melhorado et al. (2016),
*EJTIR* 16(2), 300-318 (self-potential choices change results in urbanised regions).

Run: ``.venv/bin/python tools/core_rank_definitions.py`` (about 30 s).
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

from yrdnet.analysis.pipeline import TIMELINE, analyze
from yrdnet.analysis.steps import CORE, self_times
from yrdnet.core.geodesy import area_km2
from yrdnet.core.params import MetricParams
from yrdnet.metrics import accessibility as acc
from yrdnet.region.zones import load_zones

POT = "pot_exp_pop_multimodal"


def _rank(s: pd.Series) -> int:
    return int(s.astype(float).rank(ascending=False, method="min")[CORE])


def _radius_km(level: str, ids: pd.Index) -> pd.Series:
    g = load_zones(level).polygons.reindex(ids)
    known = g.notna() & ~g.is_empty
    return np.sqrt(area_km2(gpd.GeoSeries(g[known], crs="EPSG:4326")) / np.pi).reindex(ids)


def _city_mean(s: pd.Series, pop: pd.Series, city: np.ndarray) -> pd.Series:
    return (s * pop).groupby(city).sum() / pop.groupby(city).sum()


def ranks(scenario: str, p: MetricParams) -> tuple[dict[str, int], pd.Series]:
    """Shanghai's rank under each definition, and the county-run city potentials."""
    rc = analyze(scenario, centrality=False, sensitivity_samples=5)
    rz = analyze(scenario, zones="county", centrality=False, sensitivity_samples=5)
    T, pop = rc.od["multimodal"], rc.cities["population"].astype(float)
    Tz = rz.od["multimodal"]
    zpop = rz.zones["population"].reindex(Tz.index).astype(float)
    city = rz.zones["city"].reindex(Tz.index).to_numpy()
    kw = {"decay": "exp", "params": p}
    no_self = acc.potential_accessibility(T, pop, self_potential=False, **kw)
    out = {"city, Rich 0.5 r at 20 km/h (default)": _rank(rc.cities[POT]), "city, no self-potential": _rank(no_self)}
    r = _radius_km("city", T.index)
    for w, name in ((1 / 3, "1/3"), (0.5, "1/2"), (1.0, "1")):
        tii = w * r / p.self_speed_kph * 60
        out[f"city, Frost & Spence weight {name}"] = _rank(acc.potential_accessibility(T, pop, self_time_min=tii, **kw))
    D = Tz.to_numpy(float).copy()
    np.fill_diagonal(D, self_times(load_zones("county"), Tz.index, p).to_numpy(float))
    tii_model = {}
    for c in T.index:
        sel = city == c
        wts = np.outer(zpop.to_numpy()[sel], zpop.to_numpy()[sel])
        tii_model[c] = float((D[np.ix_(sel, sel)] * wts).sum() / wts.sum())
    s = acc.potential_accessibility(T, pop, self_time_min=pd.Series(tii_model), **kw)
    out["city, internal time = modelled time between its counties"] = _rank(s)
    rz_ = _radius_km("county", Tz.index)
    for w, name in ((1 / 3, "1/3"), (0.5, "1/2 (analyze default)"), (1.0, "1")):
        tii = (w * rz_ / p.self_speed_kph * 60).fillna(p.self_time_min)
        s = acc.potential_accessibility(Tz, zpop, self_time_min=tii, **kw)
        out[f"county run, Rich weight {name}"] = _rank(_city_mean(s, zpop, city))
    tii = (0.5 * rz_ / p.self_speed_kph * 60).fillna(p.self_time_min)
    for half in (45, 90):
        s = acc.potential_accessibility(Tz, zpop, beta=np.log(2) / half, self_time_min=tii, **kw)
        out[f"county run, half-life {half} min"] = _rank(_city_mean(s, zpop, city))
    out["county run, no self-potential"] = _rank(
        _city_mean(acc.potential_accessibility(Tz, zpop, self_potential=False, **kw), zpop, city)
    )
    out["dominance in modelled flows (city run)"] = int(rc.index("core_rank_dominance"))
    out["daily direct trains (city run)"] = int(rc.index("core_rank_train_strength"))
    named = rz.cities[POT].set_axis(rz.cities["name_en"])
    return out, named.sort_values(ascending=False)


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    params = MetricParams()
    cols, tops = {}, {}
    for scen in TIMELINE:
        cols[scen], top = ranks(scen, params)
        tops[scen] = ", ".join(f"{n} {v / 1e6:.2f} M" for n, v in top.head(3).items())
    pd.set_option("display.width", 200)
    print(pd.DataFrame(cols).to_string())
    print()
    for scen, line in tops.items():
        print(f"{scen} county run, top three: {line}")

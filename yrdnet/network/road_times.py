"""Times on the road layer: one home for how long an expressway section and a town exit take.

Every road builder (the city links of :mod:`yrdnet.network.graph`, the county network of
:mod:`yrdnet.network.county_roads`, the dated expressway network and the OpenStreetMap
graphs) asks this module, so a change of the road model is made once.

Two periods (``TravelTimeModel.road_period``):

``"free_flow"``
    Empty roads. An expressway section takes ``km / (v * road_speed_factor)``; leaving a
    town (centre to the expressway, and the same back) takes ``road_access_min`` for a
    city centre and ``county_access_min`` for a county seat or custom zone, whatever the
    town's size.
``"typical"``
    Traffic of an ordinary day. An expressway section takes
    ``km / (v * road_typical_speed_factor)``; leaving a town takes its free-flow exit
    plus a delay of ``town_exit_min * (P / 1e6) ** town_exit_exponent`` minutes, ``P``
    the population of the built-up area the trip leaves (:func:`town_population`): the
    radius of a town of even density grows as ``sqrt(P)`` and its peak speeds fall as it
    grows (Baidu Maps, 2020 annual report: commuting-peak speed 29.2 km/h in Hefei, 27.7
    Hangzhou, 27.1 Nanjing, 24.9 Shanghai), so the delay grows with the town. Traffic
    only adds time: with ``road_typical_speed_factor <= road_speed_factor`` the typical
    time is never below the free-flow one. The three parameters are fitted by
    ``tools/calibrate_roads.py`` on a fixed part of the published driving times and
    checked on the rest (:mod:`yrdnet.analysis.road_validation`).

Both periods multiply expressway time by ``road_congestion`` (a scenario knob, 1 = none).
The exit *length* does not depend on the period (``road_access_km`` / ``county_access_km``).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from yrdnet.core.params import TravelTimeModel

__all__ = [
    "ROAD_MODEL_FIELDS",
    "expressway_seconds",
    "local_road_kph",
    "town_exit_km",
    "town_exit_seconds",
    "town_population",
]

#: The :class:`TravelTimeModel` fields this module reads (for the caches of road networks).
ROAD_MODEL_FIELDS = (
    "road_period",
    "road_speed_factor",
    "road_typical_speed_factor",
    "road_congestion",
    "road_access_min",
    "road_access_km",
    "county_access_min",
    "county_access_km",
    "town_exit_min",
    "town_exit_exponent",
    "local_road_speed_kph",
    "local_road_typical_speed_kph",
    "local_road_detour",
)


def _period(model: TravelTimeModel) -> str:
    period = str(model.road_period)
    if period not in ("free_flow", "typical"):  # the constructor checks it; a guard for hand-made objects
        msg = f"road_period must be 'free_flow' or 'typical', got {period!r}"
        raise ValueError(msg)
    return period


def expressway_seconds(km: float | np.ndarray, speed_kph: float | np.ndarray, model: TravelTimeModel) -> np.ndarray:
    """In-vehicle seconds on expressway sections of ``km`` at design speed ``speed_kph``.

    ``t = km / (v * factor) * 3600 * road_congestion``, at least one second; ``factor`` is
    ``road_speed_factor`` in the free-flow period and ``road_typical_speed_factor`` in the
    typical one.
    """
    factor = model.road_speed_factor if _period(model) == "free_flow" else model.road_typical_speed_factor
    km_a = np.asarray(km, dtype=float)
    v = np.asarray(speed_kph, dtype=float) * factor
    return np.maximum(km_a / v * 3600.0 * model.road_congestion, 1.0)


@cache
def _district_population() -> pd.Series:
    """Population (2020 census) of the districts (市辖区) of each city, by city adcode."""
    from yrdnet.region.datasets import load_counties

    c = load_counties()
    return c[c["kind"] == "district"].groupby("city")["population"].sum().astype(float)


def _own_population(zones: pd.DataFrame) -> np.ndarray:
    """Each row's ``urban`` population where known, else its ``population``."""
    if "population" not in zones.columns and "urban" not in zones.columns:
        msg = (
            "road_period 'typical' needs a 'population' (or 'urban') column in the zone table to size "
            f"the town exits; the zones have only {list(zones.columns)} (use road_period='free_flow')"
        )
        raise ValueError(msg)
    own = pd.to_numeric(zones.get("population", pd.Series(np.nan, index=zones.index)), errors="coerce")
    if "urban" in zones.columns:
        own = pd.to_numeric(zones["urban"], errors="coerce").astype(float).fillna(own)
    return own.to_numpy(dtype=float)


def town_population(zones: pd.DataFrame, *, level: str) -> np.ndarray:
    """Population of the built-up area a trip from each zone must leave, one per row.

    A city centre (``level="city"``, rows indexed by city adcode) and a district
    (``kind == "district"``, column ``city``) leave their city's districts: the 2020
    census population of all districts of that city (``counties.csv``). A county, a
    county-level city or a custom zone leaves its own town: its ``urban`` population
    where known, else its ``population``. A city without districts in ``counties.csv``
    uses its own ``population``.

    Raises
    ------
    ValueError
        When a row has no population to use (no column, or a missing value).
    """
    own = _own_population(zones)
    districts = _district_population()
    if level == "city":
        city = pd.Series(zones.index, index=zones.index)
        is_district = np.ones(len(zones), dtype=bool)
    else:
        city = zones["city"] if "city" in zones.columns else pd.Series(np.nan, index=zones.index)
        kind = zones["kind"] if "kind" in zones.columns else pd.Series("", index=zones.index)
        is_district = (kind == "district").to_numpy()
    whole = pd.to_numeric(city, errors="coerce").map(districts).to_numpy(dtype=float)
    pop = np.where(is_district & np.isfinite(whole), whole, own)
    bad = ~(np.isfinite(pop) & (pop > 0))
    if bad.any():
        names = [str(i) for i in zones.index[bad][:5]]
        msg = f"road_period 'typical': no population to size the town exit of zone(s) {', '.join(names)}"
        raise ValueError(msg)
    return pop


def town_exit_seconds(zones: pd.DataFrame, model: TravelTimeModel, *, level: str) -> np.ndarray:
    """Seconds from each zone's centre to the expressway network (and back), one per row.

    Parameters
    ----------
    zones
        Zone rows. The free-flow period reads none of their columns; the typical one
        reads the population columns of :func:`town_population`.
    model
        Travel-time parameters (``road_period`` chooses the formula, see the module).
    level
        ``"city"`` for city centres, anything else for county seats and custom zones.

    Returns
    -------
    numpy.ndarray
        Seconds, at least one.
    """
    if _period(model) == "free_flow":
        minutes = model.road_access_min if level == "city" else model.county_access_min
        return np.full(len(zones), max(float(minutes) * 60.0, 1.0))
    if len(zones) == 0:
        return np.zeros(0)
    base = model.road_access_min if level == "city" else model.county_access_min
    pop = town_population(zones, level=level)
    delay = model.town_exit_min * (pop / 1e6) ** model.town_exit_exponent
    return np.maximum((base + delay) * 60.0, 1.0)


def local_road_kph(model: TravelTimeModel) -> float:
    """Driving speed on ordinary roads: ``local_road_speed_kph`` (free flow) or ``local_road_typical_speed_kph``."""
    return float(model.local_road_speed_kph if _period(model) == "free_flow" else model.local_road_typical_speed_kph)


def town_exit_km(zones: pd.DataFrame, model: TravelTimeModel, *, level: str) -> np.ndarray:
    """Length in km of the drive of :func:`town_exit_seconds`, one per row (any period)."""
    km = model.road_access_km if level == "city" else model.county_access_km
    return np.full(len(zones), float(km))

"""Times on the road layer: one home for how long an expressway section and a town exit take.

Every road builder (the city links of :mod:`yrdnet.network.graph`, the county network of
:mod:`yrdnet.network.county_roads`, the dated expressway network and the OpenStreetMap
graphs) asks this module, so a change of the road model (congestion, periods of the day,
urban exits) is made once.

* :func:`expressway_seconds` -- in-vehicle time on an expressway section:
  ``km / (speed_kph * road_speed_factor) * 3600 * road_congestion`` (at least 1 s).
* :func:`town_exit_seconds` -- time from a zone's centre to the expressway network (the
  same back): ``road_access_min`` for a city centre, ``county_access_min`` for a county
  seat or custom zone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdnet.core.params import TravelTimeModel

__all__ = ["expressway_seconds", "town_exit_km", "town_exit_seconds"]


def expressway_seconds(km: float | np.ndarray, speed_kph: float | np.ndarray, model: TravelTimeModel) -> np.ndarray:
    """In-vehicle seconds on expressway sections of ``km`` at design speed ``speed_kph``.

    ``t = km / (v * road_speed_factor) * 3600 * road_congestion``, at least one second.
    """
    km_a = np.asarray(km, dtype=float)
    v = np.asarray(speed_kph, dtype=float) * model.road_speed_factor
    return np.maximum(km_a / v * 3600.0 * model.road_congestion, 1.0)


def town_exit_seconds(zones: pd.DataFrame, model: TravelTimeModel, *, level: str) -> np.ndarray:
    """Seconds from each zone's centre to the expressway network (and back), one per row.

    Parameters
    ----------
    zones
        Zone rows (any columns; the default model uses none of them).
    model
        Travel-time parameters.
    level
        ``"city"`` for city centres (``road_access_min``), anything else for county seats
        and custom zones (``county_access_min``).
    """
    minutes = model.road_access_min if level == "city" else model.county_access_min
    return np.full(len(zones), max(float(minutes) * 60.0, 1.0))


def town_exit_km(zones: pd.DataFrame, model: TravelTimeModel, *, level: str) -> np.ndarray:
    """Length in km of the drive of :func:`town_exit_seconds`, one per row."""
    km = model.road_access_km if level == "city" else model.county_access_km
    return np.full(len(zones), float(km))

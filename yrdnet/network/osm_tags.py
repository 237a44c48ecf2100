"""What OpenStreetMap tags say about speed and direction: one home for every OSM builder.

:func:`parse_maxspeed` reads ``maxspeed``; :data:`DEFAULT_SPEEDS_KPH` is the speed of a
way without a usable one, by class; :func:`way_direction` reads ``oneway`` and
``junction=roundabout`` the way OSMnx does (``osmnx.graph._is_path_one_way``,
``_is_path_reversed``) [1]_. Used by the file builders of :mod:`yrdnet.network.osm` and
by :func:`yrdnet.graph_from_osm`.

References
----------
.. [1] OpenStreetMap Wiki, "Key:maxspeed", "Key:oneway". https://wiki.openstreetmap.org/
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

__all__ = ["DEFAULT_SPEEDS_KPH", "parse_maxspeed", "way_direction"]

#: Speed (km/h) of a kept way without a usable ``maxspeed``, by class. *Assumptions*: the
#: Chinese design speeds of expressways (120), class-1 highways (100), primary (80) and
#: secondary (60) roads, interchange ramps (60), trunk links (50) and other links (40);
#: 300 for high-speed lines (``highspeed=yes``) and 160 for other main lines
#: (``usage=main``). Multiplied by the model's speed factors like ``maxspeed``.
DEFAULT_SPEEDS_KPH: dict[str, float] = dict(
    motorway=120.0,
    motorway_link=60.0,
    trunk=100.0,
    trunk_link=50.0,
    primary=80.0,
    primary_link=40.0,
    secondary=60.0,
    secondary_link=40.0,
    rail_highspeed=300.0,
    rail=160.0,
)
_MPH_KPH = 1.609344
_SPEED_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km/h|kmh|kph|mph)?\s*$", re.IGNORECASE)
_ONEWAY = frozenset({"yes", "true", "1"})
_REVERSE = frozenset({"-1", "reverse"})


def parse_maxspeed(value: str | None) -> float | None:
    """Parse an OSM ``maxspeed`` value to km/h.

    Parameters
    ----------
    value
        The tag value: ``"120"``, ``"120 km/h"``, ``"75 mph"`` or a ``;``-separated list
        such as ``"120;100"``.

    Returns
    -------
    float or None
        km/h; the mean of the parsed entries of a list (as OSMnx's ``add_edge_speeds``
        does); ``None`` for missing, zero, symbolic (``"none"``, ``"signals"``,
        ``"CN:motorway"``) or unparseable values, so that the class default applies.

    Examples
    --------
    >>> parse_maxspeed("120"), parse_maxspeed("100;80"), round(parse_maxspeed("75 mph"), 1)
    (120.0, 90.0, 120.7)
    >>> parse_maxspeed("CN:motorway") is None
    True
    """
    if not value:
        return None
    speeds = []
    for part in str(value).split(";"):
        m = _SPEED_RE.match(part)
        if m is None:
            continue
        v = float(m.group(1)) * (_MPH_KPH if (m.group(2) or "").lower() == "mph" else 1.0)
        if v > 0:
            speeds.append(v)
    return float(np.mean(speeds)) if speeds else None


def way_direction(tags: Mapping[str, str], cls: str) -> int:
    """Direction of travel on a way: 1 forward only, -1 reverse only, 0 both ways.

    ``oneway=yes|true|1`` and ``junction=roundabout`` are forward only, ``oneway=-1|reverse``
    reverse only; rail (``cls`` starting with ``"rail"``) is always two-way.

    Examples
    --------
    >>> way_direction({"oneway": "yes"}, "motorway"), way_direction({"oneway": "-1"}, "primary")
    (1, -1)
    >>> way_direction({}, "primary"), way_direction({"oneway": "yes"}, "rail")
    (0, 0)
    """
    if cls.startswith("rail"):
        return 0
    ow = str(tags.get("oneway", "")).lower()
    if ow in _REVERSE:
        return -1
    if ow in _ONEWAY or tags.get("junction") == "roundabout":
        return 1
    return 0

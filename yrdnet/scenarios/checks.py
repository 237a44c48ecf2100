"""Checks of scenario edits and [model] overrides: every problem of a file, in one error.

Each check returns a list of problem strings (empty when the edit is sound) so that
:meth:`yrdnet.Scenario.tables` can report every bad value of a file together, naming the
file, the edit number, the field, what was expected and what was found, with close
matches for unknown ids. Nothing here mutates the tables.
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataWarning, OutputError
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.io import safe_name
from yrdnet.core.params import TravelTimeModel, describe
from yrdnet.core.validation import did_you_mean
from yrdnet.region.boundaries import load_boundaries
from yrdnet.region.datasets import LINE_KINDS
from yrdnet.region.region import load_region

__all__ = ["EDIT_KEYS", "MODEL_RANGES", "check_edit", "check_model", "check_name"]

#: Keys each edit op accepts (anything else is a typo: ``speed = 300`` for ``speed_kph``).
EDIT_KEYS: dict[str, frozenset[str]] = {
    "open_line": frozenset({"op", "line", "opened", "speed_kph", "source"}),
    "close_line": frozenset({"op", "line", "source"}),
    "set_speed": frozenset({"op", "line", "speed_kph", "source"}),
    "add_line": frozenset(
        {
            "op",
            "line",
            "name_zh",
            "name_en",
            "kind",
            "speed_kph",
            "design_speed_kph",
            "stops",
            "stations",
            "length_km",
            "through_to",
            "trains_per_day",
            "express_stops",
            "source",
        }
    ),
    "add_link": frozenset({"op", "link", "route", "from", "to", "km", "speed_kph", "source"}),
}
_STATION_KEYS = frozenset({"id", "name_zh", "name_en", "adcode", "lon", "lat", "source"})
#: Operating speeds a rail edit (open_line, set_speed, add_line) accepts, km/h, inclusive: the
#: one bound of a line speed, checked here before any edit is applied. Stated choice, a typo
#: guard: below 30 or above 600 km/h is no passenger railway's speed but a unit slip (m/s) or
#: a dropped digit. The lower end is 30, not 0, for that reason.
RAIL_SPEED = (30.0, 600.0)
#: Expressway speeds an add_link edit accepts, km/h: stated choice, a typo guard around the
#: 100-120 km/h design speeds of highways.csv.
ROAD_SPEED = (20.0, 150.0)
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}")  # ids: matched whole (fullmatch)


def _model_ranges() -> dict[str, tuple[float, float]]:
    out = {}
    for f in dataclasses.fields(TravelTimeModel):
        r = describe(TravelTimeModel, f.name).valid
        if r is not None:
            out[f.name] = r.bounds
    return out


#: Valid ranges of [model] overrides (inclusive), read from the metadata of every numeric
#: :class:`yrdnet.TravelTimeModel` field (:func:`yrdnet.params.parameter_table`, ``valid_*``);
#: outside them is a typo or a unit slip.
MODEL_RANGES: dict[str, tuple[float, float]] = _model_ranges()


def _is_number(v: Any) -> TypeGuard[int | float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


def _is_int(v: Any) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def check_name(name: Any, where: str) -> list[str]:
    """A scenario name is used in file names: checked by the one guard, :func:`yrdnet.core.io.safe_name`."""
    try:
        safe_name(name, what="[scenario] name")
    except OutputError as e:
        return [f"{where}: {e} (it becomes a file name)"]
    return []


def check_model(model: dict[str, Any], fields: dict[str, Any], where: str) -> list[str]:
    """Types and plausible ranges of [model] overrides (unknown keys are checked by the loader)."""
    out = []
    for key, v in model.items():
        default = getattr(fields.get(key), "default", None)
        if isinstance(default, bool):
            if not isinstance(v, bool):
                out.append(f"{where}: [model] {key} must be true or false, found {v!r}")
            continue
        if isinstance(default, str):  # a choice, e.g. road_period
            choices = describe(TravelTimeModel, key).choices or ()
            if v not in choices:
                allowed = " or ".join(repr(c) for c in choices)
                out.append(f"{where}: [model] {key} must be {allowed}, found {v!r}")
            continue
        if not _is_number(v):
            out.append(f"{where}: [model] {key} must be a finite number, found {v!r}")
            continue
        r = describe(TravelTimeModel, key).valid if key in MODEL_RANGES else None
        if r is not None and v not in r:
            out.append(
                f"{where}: [model] {key} = {v!r} is outside the plausible range [{r.low:g}, {r.high:g}] ({r.reason})"
            )
    return out


def _speed(e: dict[str, Any], lo_hi: tuple[float, float], where: str, *, required: bool = True) -> list[str]:
    if "speed_kph" not in e:
        return [f"{where}: needs 'speed_kph'"] if required else []
    v = e["speed_kph"]
    lo, hi = lo_hi
    if not _is_number(v) or not lo <= float(v) <= hi:
        return [f"{where}: speed_kph must be a number in [{lo:g}, {hi:g}] km/h, found {v!r}"]
    return []


def _keys(e: dict[str, Any], op: str, where: str) -> list[str]:
    extra = sorted(set(e) - EDIT_KEYS[op])
    return [
        f"{where}: unknown key {k!r}{did_you_mean(k, EDIT_KEYS[op])}; {op} accepts {sorted(EDIT_KEYS[op])}"
        for k in extra
    ]


#: Edit and station fields that hold free text (anything but a string is a slip).
_TEXT_KEYS = ("source", "name_zh", "name_en", "route")


def _texts(e: dict[str, Any], where: str) -> list[str]:
    return [
        f"{where}: {k!r} must be a string, found {short(e[k])}"
        for k in _TEXT_KEYS
        if k in e and not isinstance(e[k], str)
    ]


def short(v: Any, limit: int = 120) -> str:
    """``repr(v)`` cut to ``limit`` characters (a hostile file may hold a huge or deeply nested value)."""
    try:
        r = repr(v)
    except RecursionError:  # pragma: no cover - nesting is bounded by the loader
        r = f"<{type(v).__name__} nested too deep>"
    return r if len(r) <= limit else r[: limit - 3] + "..."


def check_edit(
    e: dict[str, Any],
    lines: pd.DataFrame,
    stations: pd.DataFrame,
    cities: pd.DataFrame,
    where: str,
    highways: pd.DataFrame | None = None,
) -> list[str]:
    """Every problem of one edit against the tables as they stand before it.

    ``highways`` (the expressway links before the edit) lets an ``add_link`` that reuses an
    existing link id be checked: allowed only as a change of the same link (the same two
    cities, either order), an error otherwise.
    """
    op = str(e.get("op"))
    if op not in EDIT_KEYS:
        return [f"{where}: unknown op {short(e.get('op'))}; expected one of {list(EDIT_KEYS)}"]
    probs = _keys(e, op, where) + _texts(e, where)
    line = e.get("line")
    if op in ("open_line", "close_line", "set_speed"):
        if not isinstance(line, str):
            return [*probs, f"{where}: needs 'line' (a line id string), found {line!r}"]
        if line not in lines.index:
            return [*probs, f"{where}: unknown line {line!r}{did_you_mean(line, lines.index)}"]
        status = str(lines.at[line, "status"])
        if op == "close_line" and status != "open":
            probs.append(f"{where}: line {line!r} is not open (status {status!r}); nothing to close")
        if op == "set_speed":
            if status != "open":
                probs.append(f"{where}: line {line!r} is not open (status {status!r}); open it first")
            probs += _speed(e, RAIL_SPEED, where)
        if op == "open_line":
            probs += _speed(e, RAIL_SPEED, where, required=False)
            if "opened" in e and not (_is_int(e["opened"]) and 2000 <= e["opened"] <= 2060):
                probs.append(f"{where}: opened must be an integer year in 2000-2060, found {e['opened']!r}")
    elif op == "add_line":
        probs += _check_add_line(e, lines, stations, cities, where)
    elif op == "add_link":
        probs += _check_add_link(e, cities, where, highways)
    return probs


def _check_new_station(st: Any, stations: pd.DataFrame, cities: pd.DataFrame, where: str) -> list[str]:
    if not isinstance(st, dict):
        return [f"{where}: each [[edits.stations]] entry must be a table, found {st!r}"]
    sid = st.get("id")
    w = f"{where}: new station {short(sid)}"
    probs = [f"{w}: unknown key {k!r}{did_you_mean(k, _STATION_KEYS)}" for k in sorted(set(st) - _STATION_KEYS)]
    probs += _texts(st, w)
    if not isinstance(sid, str) or not sid:
        return [*probs, f"{where}: a new station needs an 'id' string, found {sid!r}"]
    lon, lat, adcode = st.get("lon"), st.get("lat"), st.get("adcode")
    if sid in stations.index and lon is None and lat is None and adcode is None:
        return probs  # reuses an existing station
    if not (_is_number(lon) and _is_number(lat)):
        probs.append(f"{w}: lon and lat must be numbers (WGS84 degrees), found {lon!r}, {lat!r}")
    else:
        region = load_region()
        x0, y0, x1, y1 = region.bbox
        if not (x0 <= float(lon) <= x1 and y0 <= float(lat) <= y1):
            probs.append(f"{w}: ({lon}, {lat}) is outside the {region.title} bounding box {region.bbox}")
        if sid in stations.index:
            old = (float(stations["lon"].astype(float)[sid]), float(stations["lat"].astype(float)[sid]))
            d = float(haversine_km(float(lon), float(lat), *old))
            if d > 0.5:
                probs.append(
                    f"{w}: the id already exists at ({old[0]:.5f}, {old[1]:.5f}), "
                    f"{d:.1f} km from the given point; reuse it without coordinates or choose a new id"
                )
    if not _is_int(adcode):
        probs.append(f"{w}: adcode must be an integer city adcode, found {adcode!r}")
    elif adcode not in cities.index:
        probs.append(f"{w}: unknown city adcode {adcode}{did_you_mean(str(adcode), map(str, cities.index))}")
    elif not probs and _is_number(lon) and _is_number(lat):
        _warn_if_outside(float(lon), float(lat), int(adcode), w)
    return probs


def _warn_if_outside(lon: float, lat: float, adcode: int, where: str, limit_km: float = 5.0) -> None:
    """Warn when a new station lies more than ``limit_km`` outside its city's boundary."""
    import geopandas as gpd
    from shapely.geometry import Point

    b = load_boundaries()
    if adcode not in b.index:
        return
    poly = gpd.GeoSeries([b.geometry[adcode]], crs="EPSG:4326").to_crs(32651).iloc[0]
    pt = gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs(32651).iloc[0]
    km = float(poly.distance(pt)) / 1000.0
    if km > limit_km:
        warnings.warn(
            f"{where}: ({lon}, {lat}) lies {km:.0f} km outside city {adcode}; check its adcode and coordinates",
            DataWarning,
            stacklevel=6,
        )


def _twice(new: list[Any], where: str) -> list[str]:
    """A station id given twice in one edit's [[edits.stations]] (the first would silently win)."""
    ids = [st.get("id") for st in new if isinstance(st, dict) and isinstance(st.get("id"), str)]
    twice = sorted({x for x in ids if ids.count(x) > 1})
    if twice:
        return [f"{where}: station id(s) {twice} given more than once in [[edits.stations]]; each id once"]
    return []


def _check_add_line(
    e: dict[str, Any], lines: pd.DataFrame, stations: pd.DataFrame, cities: pd.DataFrame, where: str
) -> list[str]:
    probs: list[str] = []
    lid = e.get("line")
    if not isinstance(lid, str) or not _NAME_RE.fullmatch(lid):
        probs.append(f"{where}: 'line' must be an id of letters, digits, '_', '-' or '.', found {lid!r}")
    elif lid in lines.index:
        probs.append(f"{where}: line {lid!r} already exists; use open_line or choose a new id")
    new = e.get("stations", [])
    if not isinstance(new, list):
        probs.append(f"{where}: 'stations' must be an array of tables, found {new!r}")
        new = []
    probs += _twice(new, where)
    known = set(stations.index)
    lon_of = stations["lon"].astype(float).to_dict()
    lat_of = stations["lat"].astype(float).to_dict()
    coords = {s: (float(lon_of[s]), float(lat_of[s])) for s in known}
    for st in new:
        probs += _check_new_station(st, stations, cities, where)
        if (
            isinstance(st, dict)
            and isinstance(st.get("id"), str)
            and _is_number(st.get("lon"))
            and _is_number(st.get("lat"))
        ):
            known.add(st["id"])
            coords.setdefault(st["id"], (float(st["lon"]), float(st["lat"])))
    stops = e.get("stops")
    if not isinstance(stops, list) or not all(isinstance(x, str) for x in stops):
        probs.append(f"{where}: 'stops' must be an array of station ids, found {stops!r}")
        stops = []
    if stops and len(stops) < 2:
        probs.append(f"{where}: stops needs at least 2 stations, found {stops}")
    dup = sorted({x for x in stops if stops.count(x) > 1})
    if dup:
        probs.append(f"{where}: station(s) {dup} appear more than once in stops")
    for x in stops:
        if x not in known:
            probs.append(f"{where}: unknown station {x!r}{did_you_mean(x, known)}")
    probs += _speed(e, RAIL_SPEED, where)
    if "design_speed_kph" in e:
        probs += _speed({"speed_kph": e["design_speed_kph"]}, RAIL_SPEED, f"{where} (design_speed_kph)")
    kind = e.get("kind", "hsr")
    if kind not in LINE_KINDS:
        hint = did_you_mean(str(kind), LINE_KINDS)
        probs.append(f"{where}: kind must be one of {list(LINE_KINDS)}, found {kind!r}{hint}")
    through = e.get("through_to", [])
    if not isinstance(through, list) or not all(isinstance(x, str) for x in through):
        probs.append(f"{where}: through_to must be an array of line ids, found {through!r}")
    else:
        for x in through:
            if x not in lines.index:
                probs.append(f"{where}: through_to: unknown line {x!r}{did_you_mean(x, lines.index)}")
    probs += _check_trains(e, stops, where)
    if "length_km" in e:
        km = e["length_km"]
        ok_stops = stops and all(x in coords for x in stops)
        if not _is_number(km) or float(km) <= 0:
            probs.append(f"{where}: length_km must be a number > 0, found {km!r}")
        elif ok_stops and len(stops) >= 2:
            xy = np.array([coords[x] for x in stops])
            straight = float(np.sum(haversine_km(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])))
            if float(km) < 0.95 * straight:
                probs.append(
                    f"{where}: length_km = {km} is shorter than the straight line through its stops "
                    f"({straight:.1f} km); expected at least that"
                )
    return probs


#: Trains a day an add_line edit accepts per pattern (inclusive): a typo guard, stated choice
#: (the busiest 2016 YRD pairs see about 200 trains a day each way).
TRAINS_PER_DAY = (0, 500)


def _trains_ok(v: Any) -> bool:
    return _is_int(v) and TRAINS_PER_DAY[0] <= v <= TRAINS_PER_DAY[1]


def _check_trains(e: dict[str, Any], stops: list[str], where: str) -> list[str]:
    """``trains_per_day`` (a number, or a table of express / all_stop) and ``express_stops`` of an add_line."""
    probs: list[str] = []
    lo, hi = TRAINS_PER_DAY
    if "trains_per_day" in e:
        tpd = e["trains_per_day"]
        if isinstance(tpd, dict):
            bad = sorted(set(tpd) - {"express", "all_stop"})
            probs += [f"{where}: trains_per_day: unknown key {k!r}; expected express and/or all_stop" for k in bad]
            for k in ("express", "all_stop"):
                if k in tpd and not _trains_ok(tpd[k]):
                    probs.append(f"{where}: trains_per_day.{k} must be an integer in [{lo}, {hi}], found {tpd[k]!r}")
            if not bad and tpd and all(tpd.get(k, 1) == 0 for k in ("express", "all_stop")):
                probs.append(f"{where}: trains_per_day runs no train (express and all_stop both 0)")
        elif not (_trains_ok(tpd) and tpd > 0):
            probs.append(
                f"{where}: trains_per_day must be an integer in [1, {hi}] or a table "
                f"{{ express = ..., all_stop = ... }}, found {tpd!r}"
            )
    if "express_stops" in e:
        exp = e["express_stops"]
        if not isinstance(exp, list) or not all(isinstance(x, str) for x in exp) or len(exp) < 2:
            probs.append(f"{where}: express_stops must be an array of at least 2 station ids, found {exp!r}")
        elif stops:
            off = [x for x in exp if x not in stops]
            if off:
                probs.append(f"{where}: express_stops {off} are not stops of the line (stops: {stops})")
            elif [x for x in stops if x in exp] != exp:
                probs.append(f"{where}: express_stops must follow the order of stops, found {exp}")
            elif exp[0] != stops[0] or exp[-1] != stops[-1]:
                probs.append(
                    f"{where}: express_stops must start and end at the line's ends {stops[0]!r}, {stops[-1]!r}"
                )
    return probs


def _check_add_link(e: dict[str, Any], cities: pd.DataFrame, where: str, highways: pd.DataFrame | None) -> list[str]:
    probs: list[str] = []
    lk = e.get("link")
    if not isinstance(lk, str) or not _NAME_RE.fullmatch(lk):
        probs.append(f"{where}: 'link' must be an id of letters, digits, '_', '-' or '.', found {short(lk)}")
    elif highways is not None and lk in highways.index:
        old = {int(highways.at[lk, "from_adcode"]), int(highways.at[lk, "to_adcode"])}
        new = {e.get("from"), e.get("to")}
        if new != old:
            probs.append(
                f"{where}: link id {lk!r} already exists between cities {sorted(old)}; reusing an id only "
                f"changes that same link (from/to {sorted(old)}), found from = {short(e.get('from'))}, "
                f"to = {short(e.get('to'))}: choose a new id"
            )
    ends = []
    for key in ("from", "to"):
        v = e.get(key)
        if not _is_int(v):
            probs.append(f"{where}: '{key}' must be an integer city adcode, found {v!r}")
        elif v not in cities.index:
            probs.append(f"{where}: '{key}': unknown city adcode {v}{did_you_mean(str(v), map(str, cities.index))}")
        else:
            ends.append(int(v))
    if len(ends) == 2 and ends[0] == ends[1]:
        probs.append(f"{where}: a link from city {ends[0]} to itself")
    km_raw = e.get("km")
    km = float(km_raw) if _is_number(km_raw) else math.nan
    if not km > 0:
        probs.append(f"{where}: km must be a number > 0, found {km_raw!r}")
    elif len(ends) == 2 and ends[0] != ends[1]:
        a, b = cities.loc[ends[0]], cities.loc[ends[1]]
        straight = float(haversine_km(float(a["lon"]), float(a["lat"]), float(b["lon"]), float(b["lat"])))
        if km < 0.95 * straight:
            probs.append(
                f"{where}: km = {km_raw} is shorter than the straight line between the two city centres "
                f"({straight:.1f} km); expected at least that"
            )
    probs += _speed(e, ROAD_SPEED, where)
    return probs


# ---------------------------------------------------------------- whole files
#: Network years a scenario accepts (inclusive).
YEAR_MIN, YEAR_MAX = 2000, 2060
#: Deepest nesting of tables and arrays a scenario file may hold (the deepest legal value,
#: ``trains_per_day`` of an edit, sits at 4); deeper is a broken or hostile file.
MAX_DEPTH = 8
#: Longest string a scenario file may hold (a description or a source is a sentence or two).
MAX_TEXT = 4000
_TOP_KEYS = ("scenario", "edits", "model")
_HEAD_KEYS = frozenset({"name", "description", "base", "year", "source"})


def check_year(y: Any, where: str) -> list[str]:
    """A network year: an integer in 2000-2060."""
    if _is_int(y) and YEAR_MIN <= y <= YEAR_MAX:
        return []
    return [f"{where}: year must be an integer in {YEAR_MIN}-{YEAR_MAX}, got {short(y)}"]


def check_shape(doc: Any, where: str) -> list[str]:
    """Nesting deeper than :data:`MAX_DEPTH` or a string longer than :data:`MAX_TEXT` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    while stack:
        v, d = stack.pop()
        if d > MAX_DEPTH:
            return [f"{where}: tables and arrays nested deeper than {MAX_DEPTH} levels; not a scenario file"]
        if isinstance(v, str) and len(v) > MAX_TEXT:
            return [f"{where}: a string of {len(v)} characters (at most {MAX_TEXT}): {short(v, 60)}"]
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
            stack.extend((k, d + 1) for k in v)
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return []


def check_document(doc: dict[str, Any], where: str) -> list[str]:
    """Every problem of a parsed scenario file that needs no data: shape, keys, types, ranges.

    Covers the top-level keys, the ``[scenario]`` table (keys, name, year, base), that
    ``[[edits]]`` is an array of tables each with a known ``op``, and ``[model]`` (unknown
    parameters, types and the valid ranges of the parameter metadata, :func:`check_model`).
    An empty file (no ``[scenario]``, ``[[edits]]`` or ``[model]``) is an error: it does not
    silently mean the 2025 network. The edits' references to the data (lines, stations,
    cities) are checked by :func:`check_edit`.
    """
    shape = check_shape(doc, where)
    if shape:
        return shape
    if not doc:
        return [f"{where}: empty scenario file; expected a [scenario] table (name, base, ...), [[edits]] or [model]"]
    probs = [
        f"{where}: unknown top-level key {k!r}{did_you_mean(k, _TOP_KEYS)}; expected [scenario], [[edits]], [model]"
        for k in sorted(set(doc) - set(_TOP_KEYS))
    ]
    probs += _check_head(doc.get("scenario", {}), where)
    edits = doc.get("edits", [])
    if not isinstance(edits, list):
        probs.append(f"{where}: [[edits]] must be an array of tables, found {short(edits)}")
        edits = []
    for i, e in enumerate(edits):
        if not isinstance(e, dict):
            probs.append(f"{where}: edit #{i + 1} must be a table, found {short(e)}")
        elif e.get("op") not in EDIT_KEYS:
            op = e.get("op")
            probs.append(
                f"{where}: edit #{i + 1}: unknown op {short(op)}; expected one of {list(EDIT_KEYS)}"
                f"{did_you_mean(str(op), EDIT_KEYS)}"
            )
    model = doc.get("model", {})
    if not isinstance(model, dict):
        return [*probs, f"{where}: [model] must be a table of TravelTimeModel parameters, found {short(model)}"]
    fields = TravelTimeModel.__dataclass_fields__
    probs += [
        f"{where}: unknown [model] parameter {k!r}{did_you_mean(k, fields)}" for k in sorted(set(model) - set(fields))
    ]
    return probs + check_model({k: v for k, v in model.items() if k in fields}, fields, where)


def _check_head(head: Any, where: str) -> list[str]:
    """Keys, year, base and name of a file's [scenario] table."""
    if not isinstance(head, dict):
        return [f"{where}: [scenario] must be a table, found {short(head)}"]
    probs = [
        f"{where}: unknown key {k!r} in [scenario]{did_you_mean(k, _HEAD_KEYS)}; expected {sorted(_HEAD_KEYS)}"
        for k in sorted(set(head) - _HEAD_KEYS)
    ]
    probs += [f"{where}: [scenario] {k} must be a string, found {short(head[k])}"
              for k in ("description", "source") if k in head and not isinstance(head[k], str)]  # fmt: skip
    if "year" in head:
        probs += check_year(head["year"], where)
    base = head.get("base", "baseline")
    if not isinstance(base, str) or not base:
        probs.append(f"{where}: [scenario] base must be a scenario name or a path string, found {short(base)}")
    if "name" in head:
        probs += check_name(head["name"], where)
    return probs

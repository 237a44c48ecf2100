"""Scenario edits that put a rail line into service: ``add_line`` (with its trains) and ``open_line``.

An ``add_line`` edit may give its trains (checked by
:func:`yrdnet.scenarios.checks.check_edit` before any edit applies)::

    trains_per_day = 30                               # every train one pattern, each way
    trains_per_day = { express = 20, all_stop = 10 }  # each pattern its own number
    express_stops = ["hefei_south", "chuzhou", "nanjing_north"]

* ``trains_per_day = N``: N trains a day each way, all on one pattern: ``express_stops``
  if given, else every stop.
* ``trains_per_day = {express = E, all_stop = A}``: E express trains a day each way (on
  ``express_stops``, else the default express rule) and A all-stop trains; a key left out
  keeps the model's default (``default_express_trains``, ``default_allstop_trains``), 0
  runs none.
* ``express_stops`` alone: the express pattern, at the default frequencies.

Without either key the line gets the default services, as before
(:func:`yrdnet.network.services.default_services`). The edit's values become the line's
``express_trains``, ``allstop_trains`` and ``express_stops``.

A line that a scenario opens or adds opens its stations too: a station the data dates
later than the scenario year (or closed then) counts as open in that scenario, noted in
its ``dates_source`` (e.g. 宁波东, closed 2013, reopened by the Ningbo–Zhoushan railway).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from yrdnet.core.errors import ScenarioError
from yrdnet.core.validation import did_you_mean
from yrdnet.network.history import SPEED_SET_COLUMN, station_is_open
from yrdnet.network.tables import Tables
from yrdnet.region.region import load_region

__all__ = ["add_line", "line_pattern", "open_line_stations", "set_line_speed"]

#: Line columns an add_line edit's trains set (read by the default services).
PATTERN_COLUMNS = ("express_trains", "allstop_trains", "express_stops")


def line_pattern(e: dict[str, Any]) -> dict[str, Any]:
    """``express_trains``, ``allstop_trains`` and ``express_stops`` of a (checked) add_line edit (``None``: default)."""
    tpd = e.get("trains_per_day")
    exp = [str(x) for x in e["express_stops"]] if "express_stops" in e else None
    n_exp: int | None = None
    n_all: int | None = None
    if isinstance(tpd, int):
        n_exp, n_all = (int(tpd), 0) if exp is not None else (0, int(tpd))
    elif isinstance(tpd, dict):
        n_exp = int(tpd["express"]) if "express" in tpd else None
        n_all = int(tpd["all_stop"]) if "all_stop" in tpd else None
    return {"express_trains": n_exp, "allstop_trains": n_all, "express_stops": exp}


def open_line_stations(t: Tables, stops: list[str], year: int, note: str) -> None:
    """Open, in ``year``, every station of ``stops`` the data have not open then (noted in ``dates_source``)."""
    st = t.stations
    if "opened" not in st.columns:
        return
    here = [s for s in dict.fromkeys(stops) if s in st.index]
    shut = station_is_open(st.loc[here], year)
    opened = pd.to_numeric(st["opened"], errors="coerce")
    for sid in shut.index[~shut.to_numpy(bool)]:
        if float(opened[sid]) > year:  # NaN (no constraint) compares False
            st.at[sid, "opened"] = year
        st.at[sid, "closed"] = pd.NA
        st.at[sid, "reopened"] = pd.NA
        st.at[sid, "dates_source"] = f"{st['dates_source'][sid]!s}; open in {year}: {note}"


def set_line_speed(t: Tables, lid: str, v: int) -> None:
    """Set a line's speed as the scenario's (``SPEED_SET_COLUMN``): no period of other speeds replaces it.

    See :func:`yrdnet.network.history.year_speeds`: a scenario's speed holds in every year.
    """
    if SPEED_SET_COLUMN not in t.lines.columns:
        t.lines[SPEED_SET_COLUMN] = pd.Series(False, index=t.lines.index, dtype=object)
    t.lines.loc[lid, "operating_speed_kph"] = v
    t.lines.loc[lid, SPEED_SET_COLUMN] = True


def _ensure_columns(lines: pd.DataFrame) -> None:
    """The pattern columns exist (empty), so that a new line can set them."""
    for c in PATTERN_COLUMNS:
        if c not in lines.columns:
            lines[c] = pd.Series([None] * len(lines), index=lines.index, dtype=object)


def add_line(t: Tables, e: dict[str, Any], where: str, scenario: str, source: str, year: int) -> None:
    """Apply a (checked) add_line edit: its new stations, the line, its trains, its stations opened."""
    lid = str(e["line"])
    if lid in t.lines.index:
        raise ScenarioError(f"{where}: line {lid!r} already exists; use open_line")
    for st in e.get("stations", []):
        add_station(t, st, where, scenario)
    stops = [str(x) for x in e["stops"]]
    for x in stops:
        if x not in t.stations.index:
            raise ScenarioError(f"{where}: unknown station {x!r}{did_you_mean(x, t.stations.index)}")
    v = int(e["speed_kph"])
    row = {
        "name_zh": e.get("name_zh", lid),
        "name_en": e.get("name_en", lid),
        "kind": e.get("kind", "hsr"),
        "design_speed_kph": int(e.get("design_speed_kph", v)),
        "operating_speed_kph": v,
        "opened": year,
        "planned_open": pd.NA,
        "status": "open",
        "stops": stops,
        "length_km": float(e.get("length_km", float("nan"))),
        "through_to": list(e.get("through_to", [])),
        "source": f"scenario {scenario}: {e.get('source', source)}",
        "closed": pd.NA,
    }
    pattern = line_pattern(e)
    if any(x is not None for x in pattern.values()):
        _ensure_columns(t.lines)
    t.lines.loc[lid] = pd.Series(row)
    # pandas-stubs: .at also sets object cells (here lists)
    t.lines.at[lid, "stops"] = stops  # type: ignore[assignment]
    t.lines.at[lid, "through_to"] = list(e.get("through_to", []))  # type: ignore[assignment]
    for c, val in pattern.items():
        if c in t.lines.columns:
            t.lines.at[lid, c] = val
    set_line_speed(t, lid, v)
    open_line_stations(t, stops, year, f"scenario {scenario} adds line {lid}")


def add_station(t: Tables, st: dict[str, Any], where: str, scenario: str) -> None:
    """Add a new station of an add_line edit (an existing id is reused as it is)."""
    sid = str(st.get("id", ""))
    if not sid:
        raise ScenarioError(f"{where}: a new station needs an 'id'")
    if sid in t.stations.index:
        return
    try:
        lon, lat, adcode = float(st["lon"]), float(st["lat"]), int(st["adcode"])
    except (KeyError, TypeError, ValueError):
        raise ScenarioError(f"{where}: new station {sid!r} needs lon, lat and adcode") from None
    if adcode not in t.cities.index:
        raise ScenarioError(f"{where}: new station {sid!r}: unknown city adcode {adcode}")
    region = load_region()
    x0, y0, x1, y1 = region.bbox
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        raise ScenarioError(f"{where}: new station {sid!r} at ({lon}, {lat}) is outside the {region.title}")
    from shapely.geometry import Point

    row: dict[str, Any] = {
        "name_zh": st.get("name_zh", sid),
        "name_en": st.get("name_en", sid),
        "adcode": adcode,
        "lon": lon,
        "lat": lat,
        "source": st.get("source", f"scenario {scenario}"),
        "geometry": Point(lon, lat),
    }
    if "opened" in t.stations.columns:
        row.update(opened=pd.NA, closed=pd.NA, reopened=pd.NA, dates_source=f"new station of scenario {scenario}")
    t.stations.loc[sid] = pd.Series(row)

"""Applying one scenario edit (``open_line``, ``add_line``, ``close_line``, ``set_speed``, ``add_link``) to the tables.

Split from :mod:`yrdnet.scenarios.scenario` (which imports these helpers back); each
problem names its scenario, file and edit (:class:`yrdnet.ScenarioError`).
"""

from __future__ import annotations

from typing import Any, Protocol, cast

import pandas as pd

from yrdnet.core.errors import ScenarioError
from yrdnet.core.validation import Problems, did_you_mean
from yrdnet.network.tables import Tables
from yrdnet.scenarios.line_edits import add_line, open_line_stations, set_line_speed


class _EditedScenario(Protocol):
    """What an edit reads of its :class:`yrdnet.scenarios.scenario.Scenario` (no import of it: no circle)."""

    name: str
    source: str

    def _where(self) -> str: ...


#: The edit operations a scenario file may use.
_OPS = ("open_line", "add_line", "close_line", "set_speed", "add_link")


# ---------------------------------------------------------------- edits
def _problems() -> Problems:
    """Collect a scenario's problems (each names its scenario, file and edit) for one ScenarioError."""
    return Problems(None, error=ScenarioError, subject="the scenario")


def _need(e: dict[str, Any], key: str, s: _EditedScenario, i: int) -> Any:
    if key not in e:
        raise ScenarioError(f"{s._where()}: edit #{i + 1} ({e.get('op')}) needs {key!r}")
    return e[key]


def _line_ref(t: Tables, e: dict[str, Any], s: _EditedScenario, i: int) -> str:
    lid = str(_need(e, "line", s, i))
    if lid not in t.lines.index:
        raise ScenarioError(
            f"{s._where()}: edit #{i + 1} ({e['op']}): unknown line {lid!r}{did_you_mean(lid, t.lines.index)}"
        )
    return lid


def _speed(e: dict[str, Any], s: _EditedScenario, i: int) -> int:
    # checked once, before any edit applies: yrdnet.scenarios.checks.check_edit (RAIL_SPEED)
    return int(_need(e, "speed_kph", s, i))


def _apply(t: Tables, e: dict[str, Any], s: _EditedScenario, i: int, *, year: int) -> None:
    op = e.get("op")
    if op not in _OPS:
        raise ScenarioError(
            f"{s._where()}: edit #{i + 1}: unknown op {op!r}; expected one of {list(_OPS)}{did_you_mean(str(op), _OPS)}"
        )
    if op == "open_line":
        lid = _line_ref(t, e, s, i)
        t.lines.loc[lid, "status"] = "open"
        t.lines.loc[lid, "opened"] = min(year, int(e.get("opened", year)))
        if "closed" in t.lines.columns:
            t.lines.loc[lid, "closed"] = pd.NA  # switched on: runs whatever its closing year
        if "speed_kph" in e:
            set_line_speed(t, lid, _speed(e, s, i))
        stops = cast(list[str], t.lines.at[lid, "stops"])
        open_line_stations(t, list(stops), year, f"scenario {s.name} opens line {lid}")
    elif op == "close_line":
        lid = _line_ref(t, e, s, i)
        t.lines.loc[lid, "status"] = "planned"
        t.lines.loc[lid, "opened"] = pd.NA
    elif op == "set_speed":
        lid = _line_ref(t, e, s, i)
        v = _speed(e, s, i)
        set_line_speed(t, lid, v)
        design = cast(int, t.lines.loc[lid, "design_speed_kph"])
        t.lines.loc[lid, "design_speed_kph"] = max(v, int(design))
    elif op == "add_line":
        add_line(t, e, f"{s._where()}: edit #{i + 1} (add_line {e.get('line')!r})", s.name, s.source, year)
    elif op == "add_link":
        lk = str(_need(e, "link", s, i))
        a, b = int(_need(e, "from", s, i)), int(_need(e, "to", s, i))
        for c in (a, b):
            if c not in t.cities.index:
                raise ScenarioError(
                    f"{s._where()}: edit #{i + 1} (add_link {lk!r}): unknown city adcode {c}"
                    f"{did_you_mean(str(c), map(str, t.cities.index))}"
                )
        km = _need(e, "km", s, i)
        if not isinstance(km, (int, float)) or km <= 0:
            raise ScenarioError(f"{s._where()}: edit #{i + 1} (add_link {lk!r}): km must be > 0, got {km!r}")
        t.highways.loc[lk] = pd.Series(
            {
                "route": str(e.get("route", lk)),
                "from_adcode": a,
                "to_adcode": b,
                "km": float(km),
                "speed_kph": _speed(e, s, i),
                "opened": year,
                "source": f"scenario {s.name}: {e.get('source', s.source)}",
            }
        )

"""Infrastructure scenarios: a base network plus edits, read from small TOML files.

A scenario file::

    [scenario]
    name = "north_yangtze_hsr"
    description = "North Yangtze River HSR: Shanghai-Nantong-Taizhou-Yangzhou-Nanjing North-Hefei"
    base = "baseline_2025"          # a shipped scenario name or a path; or "baseline"
    year = 2025                     # only with base = "baseline": lines opened by this year
    source = "..."

    [[edits]]
    op = "open_line"                # switch on a line of lines.csv (under construction/planned)
    line = "north_yangtze_hsr"

    [[edits]]
    op = "add_line"                 # a new line; new stations inline
    line = "my_line"
    name_en = "My line"
    kind = "hsr"
    speed_kph = 350
    stops = ["hefei_south", "new_stop"]
    trains_per_day = { express = 20, all_stop = 10 }   # optional; or one number for all trains
    express_stops = ["hefei_south", "new_stop"]        # optional express pattern (ends included)

    [[edits.stations]]              # new stations of the line above
    id = "new_stop"
    name_en = "New Stop"
    name_zh = "新站"
    adcode = 340100
    lon = 117.3
    lat = 31.9

    [[edits]]
    op = "close_line"               # remove a line
    line = "..."

    [[edits]]
    op = "set_speed"                # change a line's operating speed (every year: see below)
    line = "..."
    speed_kph = 300

    [[edits]]
    op = "add_link"                 # add an expressway link (an existing id: change that same link)
    link = "g_new_a_b"
    route = "G99"
    from = 320100
    to = 340100
    km = 160
    speed_kph = 120

    [model]                         # TravelTimeModel overrides
    wait_min = 8

Edits apply in order. An ``add_link`` with the id of an existing link changes that link
(its km and speed) and must join the same two cities; a reused id between other cities is
an error, as is a station id given twice in one ``add_line``. Masses (population, GDP) are
never edited: scenarios change the network only, so comparisons isolate the network's
effect. ``trains_per_day`` and ``express_stops`` of ``add_line`` are set out in :mod:`yrdnet.scenarios.line_edits`; a
line a scenario opens or adds opens its stations too, whatever their dates in the data.

A speed a scenario sets (``set_speed``, ``open_line`` with ``speed_kph``) wins over the
history: the line runs at it in every network year, whatever the periods of
``line_speeds.csv`` say (:func:`yrdnet.network.history.year_speeds`). Every other line
runs at its speed of the scenario year (e.g. 沪宁城际 at 350 in 2010).
"""

from __future__ import annotations

import copy
import logging
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from yrdnet.core.cache import cache_key, disk_get, disk_put
from yrdnet.core.errors import ScenarioError
from yrdnet.core.io import safe_name
from yrdnet.core.params import TravelTimeModel
from yrdnet.core.settings import settings
from yrdnet.core.validation import did_you_mean
from yrdnet.network.graph import graph_from_tables
from yrdnet.network.tables import Tables, curated_tables
from yrdnet.region.datasets import data_folder, data_versions
from yrdnet.region.region import load_region
from yrdnet.region.zones import Zones, resolve_zones
from yrdnet.scenarios.checks import (
    YEAR_MIN,
    check_document,
    check_edit,
    check_model,
    check_name,
    check_shape,
    check_year,
    short,
)
from yrdnet.scenarios.edit_ops import _OPS, _apply, _line_ref, _need, _problems, _speed  # noqa: F401  (split for size)
from yrdnet.scenarios.files import MAX_BASES, ChainError, base_path, check_not_before_base, read_toml
from yrdnet.scenarios.line_edits import add_line, open_line_stations, set_line_speed  # noqa: F401

__all__ = [
    "TIMELINE",
    "Scenario",
    "Tables",
    "build_graph",
    "graph_source",
    "list_scenarios",
    "load_scenario",
    "scenario_for_year",
]

log = logging.getLogger(__name__)

#: Default timeline: historical networks and the combined 2035 plan.
TIMELINE = ("baseline_2010", "baseline_2015", "baseline_2020", "baseline_2025", "plan_2035")

_ADDING_OPS = ("open_line", "add_line", "add_link")


@dataclass
class Scenario:
    """A network scenario: a base plus ordered edits and model overrides.

    Attributes
    ----------
    name, description, source
        Identity and provenance.
    base
        ``"baseline"`` or another :class:`Scenario` (resolved from a name or path).
    year
        Network year: lines opened by the end of it (inherited from the base if unset).
    edits
        Ordered list of edit tables (see the module docstring).
    model
        :class:`TravelTimeModel` overrides.
    path
        File the scenario was read from, if any.
    """

    name: str
    description: str = ""
    base: Scenario | str = "baseline"
    year: int | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    model: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    path: Path | None = None

    # ------------------------------------------------------------ resolution
    @property
    def effective_year(self) -> int:
        """The network year after inheriting from the base chain."""
        if self.year is not None:
            return int(self.year)
        if isinstance(self.base, Scenario):
            return self.base.effective_year
        return 2025

    def chain(self) -> list[Scenario]:
        """Scenarios from the root base to this one."""
        out: list[Scenario] = []
        s: Scenario | str = self
        while isinstance(s, Scenario):
            out.append(s)
            s = s.base
        return out[::-1]

    def travel_time_model(self, model: TravelTimeModel | None = None) -> TravelTimeModel:
        """The TravelTimeModel with every override along the base chain applied.

        Raises
        ------
        ScenarioError
            A bad override: with every problem of the scenario (its edits too), in one error.
        """
        m = model or TravelTimeModel()
        if self._model_problems():
            self.validate()  # raises with the edit problems too: one error lists everything
        overrides: dict[str, Any] = {}
        for s in self.chain():
            overrides.update(s.model)
        try:
            return m.replace(**overrides) if overrides else m
        except (TypeError, ValueError) as e:
            raise ScenarioError(f"{self._where()}: invalid [model] override: {e}") from None

    def only_adds(self) -> bool:
        """Whether this scenario's own edits only add links (no close/speed/model changes)."""
        return not self.model and self.year is None and all(e["op"] in _ADDING_OPS for e in self.edits)

    def tables(self, base_tables: Tables | None = None) -> Tables:
        """Apply the base chain's edits (in order) to the curated tables.

        Raises
        ------
        ScenarioError
            Every problem of the edits and of the ``[model]`` overrides along the chain, in one error.
        """
        t, found = self._edit_pass(base_tables)
        if found:
            probs = _problems()
            probs.extend(found)
            probs.extend(self._model_problems())
            probs.raise_if_any()
        return t

    def problems(self, base_tables: Tables | None = None) -> list[str]:
        """Every problem of the scenario along its base chain: edits against the data, then ``[model]``."""
        return [*self._edit_pass(base_tables)[1], *self._model_problems()]

    def validate(self, base_tables: Tables | None = None) -> None:
        """Check every edit and override before any work: one :class:`ScenarioError` lists every problem."""
        probs = _problems()
        probs.extend(self.problems(base_tables))
        probs.raise_if_any()

    def _model_problems(self) -> list[str]:
        fields = TravelTimeModel.__dataclass_fields__
        return [p for s in self.chain() for p in check_model(s.model, fields, s._where())]

    def _edit_pass(self, base_tables: Tables | None, *, known_ops: bool = False) -> tuple[Tables, list[str]]:
        """The tables with every sound edit applied, and the problems of the others.

        ``known_ops``: skip edits that are not tables of a known op (the loader reports them).
        """
        t = (base_tables or curated_tables()).copy()
        found: list[str] = []
        for s in self.chain():
            for i, e in enumerate(s.edits):
                if not isinstance(e, dict) or e.get("op") not in _OPS:
                    if not known_ops:
                        found.append(f"{s._where()}: edit #{i + 1} must be a table with a known op, found {short(e)}")
                    continue
                w = f"{s._where()}: edit #{i + 1} ({e.get('op')})"
                bad = check_edit(e, t.lines, t.stations, t.cities, w, highways=t.highways)
                if bad:
                    found.extend(bad)  # later edits are still checked, against the tables without this one
                    continue
                _apply(t, e, s, i, year=self.effective_year)
        return t, found

    def _where(self) -> str:
        return f"scenario {self.name!r}" + (f" ({self.path})" if self.path else "")

    def __repr__(self) -> str:
        base = self.base.name if isinstance(self.base, Scenario) else self.base
        return f"Scenario(name={self.name!r}, base={base!r}, year={self.effective_year}, edits={len(self.edits)})"


# ---------------------------------------------------------------- loading
def scenarios_folder() -> Path:
    """Folder of the shipped scenario files."""
    return data_folder() / "scenarios"


def list_scenarios() -> pd.DataFrame:
    """Shipped scenarios with their one-line descriptions (index ``name``)."""
    rows = []
    for p in sorted(scenarios_folder().glob("*.toml")):
        s = load_scenario(p)
        base = s.base.name if isinstance(s.base, Scenario) else s.base
        rows.append(
            {
                "name": s.name,
                "year": s.effective_year,
                "base": base,
                "edits": len(s.edits),
                "description": s.description,
            }
        )
    return (
        pd.DataFrame(rows).set_index("name") if rows else pd.DataFrame(columns=["year", "base", "edits", "description"])
    )


def _baseline(year: int) -> Scenario:
    return Scenario(
        name=f"baseline_{year}",
        description=f"Network open by the end of {year}",
        year=year,
        source="data/lines.csv and data/highways.csv opening years",
    )


def load_scenario(name_or_path: str | Path | Scenario, *, _seen: tuple[str, ...] = ()) -> Scenario:
    """Load a scenario from a shipped name (``"plan_2035"``), a TOML path, or pass one through.

    ``"baseline"`` is the 2025 network; ``"baseline_YYYY"`` without a shipped file is the
    network open by the end of that year.

    A file is checked whole before anything runs: every problem found (unknown keys, wrong
    types, a bad name or year, unknown ops, ``[model]`` values outside the ranges of the
    parameter metadata, and the edits checked against the data) is reported together, in
    one :class:`ScenarioError` naming the file, the edit number and the field.

    Rules (stated choices):

    * an empty file (no ``[scenario]``, ``[[edits]]`` or ``[model]``) is an error;
    * a ``year`` earlier than its base's network year (``year = 2010`` on
      ``base = "baseline_2025"``) is an error naming both years: the base's edits were made
      to the later network. Only ``base = "baseline"`` takes any year;
    * a base chain is at most :data:`MAX_BASES` files deep and must not loop;
    * a scenario name becomes a file name, so it must pass
      :func:`yrdnet.core.io.safe_name` (as must a shipped name given here).

    Raises
    ------
    ScenarioError
        Unknown name (with the closest shipped names), unreadable TOML, or any of the
        problems above.
    """
    if isinstance(name_or_path, Scenario):
        return name_or_path
    found = _locate(str(name_or_path))
    if isinstance(found, Scenario):
        return found
    p = found
    if str(p.resolve()) in _seen:
        raise ChainError(f"scenario base cycle: {' -> '.join([*_seen, str(p.resolve())])}")
    if len(_seen) >= MAX_BASES:
        raise ChainError(f"{_seen[0]}: base chain deeper than {MAX_BASES} files (at {p}); shorten it")
    doc = read_toml(p)
    head = doc.get("scenario", {}) if isinstance(doc.get("scenario", {}), dict) else {}
    name = head.get("name", p.stem)
    where = f"scenario {short(name)} ({p})"
    shape = check_shape(doc, where)
    if shape:
        raise ScenarioError(shape[0])
    probs = _problems()
    probs.extend(check_document(doc, where))
    base_ref = head.get("base", "baseline")
    base: Scenario | str | None = "baseline" if base_ref == "baseline" else None
    if base is None and isinstance(base_ref, str) and base_ref:
        try:
            base = load_scenario(base_path(p, base_ref), _seen=(*_seen, str(p.resolve())))
        except ChainError:
            raise
        except ScenarioError as e:
            probs.note(f"{where}: base {base_ref!r}: {e}")
    year = head.get("year")
    if base == "baseline" and year is None:
        year = 2025
    if isinstance(base, Scenario) and isinstance(year, int) and YEAR_MIN <= year < base.effective_year:
        probs.note(
            f"{where}: year = {year} is earlier than the network year {base.effective_year} of its base "
            f"{base.name!r}: a scenario builds on its base's network; give year >= {base.effective_year} "
            'or base = "baseline"'
        )
    if "name" not in head:
        probs.extend(check_name(name, f"{where} (the name defaults to the file's stem)"))
    edits = doc.get("edits", [])
    sc = Scenario(
        name=str(name),
        description=str(head.get("description", "")),
        base=base if base is not None else "baseline",
        year=year if isinstance(year, int) else None,
        edits=copy.deepcopy(edits) if isinstance(edits, list) else [],
        model=dict(doc["model"]) if isinstance(doc.get("model"), dict) else {},
        source=str(head.get("source", "")),
        path=p,
    )
    if probs:
        probs.extend(_edit_problems(sc))
        probs.raise_if_any()
    return sc


def _locate(text: str) -> Path | Scenario:
    """The file of a scenario name or path, or the built-in baseline it names."""
    p = Path(text)
    if text.endswith(".toml") or p.is_file():
        if not p.is_file():
            raise ScenarioError(f"scenario file not found: {p}")
        return p
    safe_name(text, what="scenario", error=ScenarioError)  # a name never reaches a path unchecked
    cand = scenarios_folder() / f"{text}.toml"
    if cand.is_file():
        return cand
    if text == "baseline":
        return _baseline(2025)
    if text.startswith("baseline_") and text[9:].isdigit():
        y = int(text[9:])
        _check_year(y, text)
        return _baseline(y)
    names = sorted(q.stem for q in scenarios_folder().glob("*.toml"))
    raise ScenarioError(
        f"unknown scenario {text!r}{did_you_mean(text, names)}; shipped scenarios: {names} "
        "(or give a path to a .toml file)"
    )


def _edit_problems(sc: Scenario) -> list[str]:
    """The data problems of ``sc``'s own edits of a known op, against its base's tables (best effort)."""
    try:
        base = sc.base.tables() if isinstance(sc.base, Scenario) else None
        probe = Scenario(name=sc.name, base="baseline", year=sc.year, edits=sc.edits, path=sc.path)
        return probe._edit_pass(base, known_ops=True)[1]
    except ScenarioError:  # the base's own problems are reported already
        return []


def _check_year(y: Any, where: str) -> None:
    probs = check_year(y, where)
    if probs:
        raise ScenarioError(probs[0])


def scenario_for_year(scenario: str | Path | Scenario, year: int | None = None, *, where: str = "year") -> Scenario:
    """The scenario (:func:`load_scenario`) with its network year set to ``year`` (``None``: its own).

    ``"baseline"`` with a year is the network open by the end of that year.

    Raises
    ------
    ScenarioError
        An unknown scenario, or a year outside 2000-2060 (the message starts with ``where``).
    """
    if year is not None:
        _check_year(year, where)
    if isinstance(scenario, str) and scenario == "baseline" and year is not None:
        return _baseline(year)
    sc = load_scenario(scenario)
    if year is None:
        return sc
    check_not_before_base(sc, year, where)
    return Scenario(
        name=sc.name,
        description=sc.description,
        base=sc.base,
        year=year,
        edits=sc.edits,
        model=sc.model,
        source=sc.source,
        path=sc.path,
    )


def build_graph(
    scenario: str | Path | Scenario = "baseline",
    year: int | None = None,
    *,
    model: TravelTimeModel | None = None,
    zones: Zones | str | None = None,
) -> nx.MultiDiGraph:
    """Build the multimodal graph of a scenario.

    Parameters
    ----------
    scenario
        Shipped scenario name (``"baseline_2025"``, ``"plan_2035"``), path to a TOML file,
        or a :class:`Scenario`. ``"baseline"`` is the network of ``year``.
    year
        Network year (lines opened by the end of it). Overrides the scenario's year.
    model
        Travel-time parameters; the scenario's ``[model]`` overrides apply on top.
    zones
        ``None`` or ``"city"`` (one zone per city centre, the default), ``"county"``, or
        a :class:`yrdnet.Zones`. County and custom zones get an approximate road network
        (expressway links split near their seats, local roads between neighbours; see
        :func:`yrdnet.graph_from_tables`).

    Returns
    -------
    networkx.MultiDiGraph
        A graph meeting the yrdnet graph contract; ``G.graph`` records scenario and year.

    Notes
    -----
    With ``settings.use_cache = True`` the graph is kept on disk (see
    :mod:`yrdnet.core.cache`), keyed on the scenario's content along its base chain, the
    model, the zones, the versions of the data files and the yrdnet version; a later
    call with the same inputs loads it instead of building it.

    Examples
    --------
    >>> G = build_graph("baseline", year=2025)
    >>> G.graph["year"], G.graph["crs"]
    (2025, 'EPSG:4326')
    """
    sc = scenario_for_year(scenario, year, where="build_graph")
    if settings.use_cache:
        key = cache_key("graph", sc, sc.travel_time_model(model), resolve_zones(zones), data_versions())
        cached = disk_get("graphs", key)
        if isinstance(cached, nx.MultiDiGraph):
            _BUILT[cached] = (sc, model)
            return cached
        G = _build(sc, model, zones)
        disk_put("graphs", key, G)
    else:
        G = _build(sc, model, zones)
    _BUILT[G] = (sc, model)
    return G


#: The scenario and model each graph of :func:`build_graph` was built from (while it lives).
_BUILT: weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple[Scenario, TravelTimeModel | None]] = (
    weakref.WeakKeyDictionary()
)


def graph_source(G: nx.MultiDiGraph) -> tuple[Scenario, TravelTimeModel | None] | None:
    """The scenario (at its network year) and model a graph of :func:`build_graph` was built from.

    ``None`` for a graph made any other way (OSM, :func:`graph_from_tables`, a graph
    delta). Lets an analysis rebuild the same network at another zone level
    (:func:`yrdnet.analysis.city_potential.county_run`). A graph edited in place after
    :func:`build_graph` is not tracked: build it again instead.
    """
    return _BUILT.get(G)


def _build(sc: Scenario, model: TravelTimeModel | None, zones: Zones | str | None) -> nx.MultiDiGraph:
    t = sc.tables()
    m = sc.travel_time_model(model)
    return graph_from_tables(
        t.cities,
        t.stations,
        t.lines,
        t.highways,
        year=sc.effective_year,
        model=m,
        scenario=sc.name,
        extra_graph_attrs={"description": sc.description, "scenario_path": str(sc.path or "")},
        zones=load_region().resolve_zones(zones),
        expressways=t.expressways,
    )

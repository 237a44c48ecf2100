"""The curated tables a graph is built from: cities, stations, lines, expressway links and sections.

A scenario's edits (:mod:`yrdnet.scenarios.scenario`) change a copy of these tables, and
:func:`yrdnet.network.graph.graph_from_tables` builds the graph from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from yrdnet.region.datasets import load_cities, load_highways, load_lines, load_stations
from yrdnet.region.expressways import load_expressways

__all__ = ["Tables", "curated_tables"]


@dataclass
class Tables:
    """The curated tables a graph is built from (after a scenario's edits).

    ``highways`` are the expressway links between city centres (``highways.csv``) plus
    the links a scenario adds; ``expressways`` the dated county expressway sections
    (``expressways.csv``); ``None`` (the default) means the shipped table, loaded when a
    graph needs it.
    """

    cities: pd.DataFrame
    stations: pd.DataFrame
    lines: pd.DataFrame
    highways: pd.DataFrame
    expressways: pd.DataFrame | None = None

    def copy(self) -> Tables:
        """Deep copy (list cells included)."""
        xw = None if self.expressways is None else self.expressways.copy()
        return Tables(self.cities.copy(), self.stations.copy(), _copy_lines(self.lines), self.highways.copy(), xw)


def _copy_lines(lines: pd.DataFrame) -> pd.DataFrame:
    out = lines.copy()
    for c in ("stops", "through_to"):
        out[c] = out[c].map(lambda v: list(v) if isinstance(v, list) else [])
    if "express_stops" in out.columns:  # a scenario line's express pattern; None elsewhere
        out["express_stops"] = [list(v) if isinstance(v, list) else None for v in out["express_stops"]]
    return out


def curated_tables() -> Tables:
    """Load the shipped tables (validated)."""
    return Tables(load_cities(), load_stations(), load_lines(), load_highways(), load_expressways())

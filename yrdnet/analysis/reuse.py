"""What :func:`yrdnet.analyze` may reuse across the scenarios of one base (private; for sweeps).

A sweep analyses many scenarios with the same zones, region, masses and parameters: the
zone table, the distances between zone seats, the zones' internal times, the zones
airports attach to, the target table and the region's tables do not change from one
scenario to the next. A :class:`Reuse` holds them once (:meth:`Reuse.get`) for a run
of analyses; the per-scenario part, :attr:`Reuse.rail`, is the scenario's rail pair
graph (:func:`yrdnet.scenarios.prepared_base.rail_pairs`), on which the station times and the train strength are
computed instead of the whole graph (same rows: they read one number per station pair).
Everything here gives results identical to an analysis without it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import networkx as nx
import pandas as pd

from yrdnet.region.datasets import load_targets
from yrdnet.region.region import Region
from yrdnet.routing.matrices import RailLegs

__all__ = ["Reuse", "cached", "loaded_region"]

V = TypeVar("V")


@dataclass(frozen=True)
class Reuse:
    """Pieces of :func:`yrdnet.analyze` shared by the analyses of one sweep.

    Attributes
    ----------
    region
        The region with every table read once (:func:`loaded_region`).
    memo
        Values keyed by what they depend on (zones level, masses, year, parameters ...);
        filled by :meth:`get`.
    rail
        The analysed graph's rail pair graph (:func:`yrdnet.scenarios.prepared_base.rail_pairs`), or ``None``: the
        whole graph is read.
    trains
        Its city train graph (:func:`yrdnet.scenarios.prepared_base.city_train_graph`:
        one edge per city pair with the daily direct trains), or ``None``: the train
        strength is read off ``rail``.
    legs
        The station halls and rail legs of ``rail``
        (:func:`yrdnet.routing.matrices.rail_legs`), or ``None``: read off ``rail``.
    """

    region: Region
    memo: dict[Hashable, Any] = field(default_factory=dict)
    rail: nx.MultiDiGraph | None = None
    trains: nx.MultiDiGraph | None = None
    legs: RailLegs | None = None

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value under ``key``, made by ``make()`` on first use."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]  # type: ignore[no-any-return]

    def with_rail(
        self, rail: nx.MultiDiGraph | None, trains: nx.MultiDiGraph | None = None, legs: RailLegs | None = None
    ) -> Reuse:
        """The same shared pieces for another scenario's rail pair graph (city train graph, rail legs)."""
        return replace(self, rail=rail, trains=trains, legs=legs)


def cached(reuse: Reuse | None, key: Hashable, make: Callable[[], V]) -> V:
    """``make()``, kept in ``reuse`` under ``key`` when there is one."""
    return make() if reuse is None else reuse.get(key, make)


def loaded_region(region: Region) -> Region:
    """A copy of ``region`` whose tables (cities, metros, targets, airports, stations ...) are read once.

    The shipped region reads its tables on every access (each a validated file read);
    the copy holds them, so analyses of many scenarios read them once. Values are
    unchanged.
    """
    out = copy.copy(region)
    targets = region.targets
    out._cities = region.cities
    out._metros = {d: region.metros(d) for d in region.metro_definitions}
    out._targets = targets if targets is None or isinstance(targets, pd.DataFrame) else load_targets(targets)
    out._airports = region.airports
    out._main_stations = region.main_stations
    out._corridors = region.corridors
    out._peripheries = region.peripheries
    out._zones = {lv: region.zones(lv) for lv in region.levels}
    return out

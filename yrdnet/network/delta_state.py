"""The state a prepared base keeps for its scenarios' deltas (:mod:`yrdnet.network.delta`).

Plain data only: :class:`RailState` (what the base's build computed), the index of its
services (:class:`ServiceIndex`, used by :mod:`yrdnet.network.delta_services`) and what
it keeps across scenarios (:class:`DeltaMemo`, filled by :mod:`yrdnet.network.delta_reuse`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from yrdnet.core.modes import Edge
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.history import YearNetwork
from yrdnet.network.tables import Tables
from yrdnet.network.track import Segment
from yrdnet.region.zones import Zones

__all__ = ["DeltaMemo", "NeedsBuild", "RailState", "ServiceIndex", "SuburbanYear"]

Pair = tuple[str, str]


class NeedsBuild(Exception):  # noqa: N818 - a control-flow signal, caught inside yrdnet
    """The scenario differs from the base in a way the incremental construction does not cover."""


@dataclass(frozen=True)
class ServiceIndex:
    """The base's running services, for finding a scenario's changed ones without reading every row.

    Made only when the base's timetable and default service ids are all distinct.

    Attributes
    ----------
    kept
        The base's timetable services on its open track (``pool[pool_keep]``).
    home
        Service id -> ``(0, row of kept)`` or ``(1, row of the base's defaults)``.
    by_line
        Service ids by each of their own lines.
    by_seg
        Service ids by each station pair they run on a fallback segment.
    """

    kept: pd.DataFrame
    home: dict[str, tuple[int, int]]
    by_line: dict[str, frozenset[str]]
    by_seg: dict[Pair, frozenset[str]]


@dataclass(frozen=True)
class SuburbanYear:
    """A year's suburban lines, their edges in build order and those edges by hall pair."""

    lines: pd.DataFrame
    edges: list[Edge]
    by_pair: dict[Pair, list[dict[str, Any]]]


@dataclass
class DeltaMemo:
    """Entries a base keeps across scenarios (see the module docstring); filled on use."""

    suburban: dict[int, SuburbanYear] = field(default_factory=dict)
    access: dict[str, list[tuple[int, list[Edge]]]] = field(default_factory=dict)
    track: dict[str, str] = field(default_factory=dict)
    halls: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    coords: tuple[dict[str, float], dict[str, float]] | None = None
    used_stations: frozenset[str] | None = None


@dataclass(frozen=True)
class RailState:
    """What the base's build computed that a scenario's build can reuse (read-only).

    ``fallback[s]`` holds the station pairs where service ``s`` runs on the fastest
    segment of any line (none of its own lines has track there): the only segments
    other lines can change for it.
    """

    tables: Tables
    year: int
    model: TravelTimeModel
    zones: Zones
    net: YearNetwork
    factors: dict[str, float]
    sourced: dict[tuple[int, str], float]
    core_of: dict[int, int]
    highways_y: pd.DataFrame
    line_keys: dict[str, tuple[Any, ...]]
    line_items: dict[str, list[tuple[tuple[str, str, str], Segment]]]
    segs: dict[tuple[str, str], Segment]
    service_keys: dict[str, tuple[Any, ...]]
    fallback: dict[str, frozenset[Pair]]
    stop_times: dict[str, tuple[str, list[str], np.ndarray, np.ndarray, np.ndarray]]
    meta: dict[str, tuple[Any, Any, Any]]
    covered: frozenset[str]
    defaults: pd.DataFrame
    default_owner: np.ndarray
    at_station: dict[str, frozenset[str]]
    halls: frozenset[str]
    pair_min: dict[Pair, float]
    suburban: pd.DataFrame | None = None
    suburban_open: frozenset[str] = frozenset()
    sections_y: pd.DataFrame | None = None
    pool: pd.DataFrame | None = None  # the year's timetable and extra services (delta_services.pool)
    pool_keep: np.ndarray | None = None  # which of them run on the base's open track
    index: ServiceIndex | None = None  # the base's services by line and fallback pair
    #: What the base keeps across scenarios (:mod:`yrdnet.network.delta_reuse`, filled on use).
    memo: DeltaMemo = field(default_factory=DeltaMemo, compare=False, repr=False)

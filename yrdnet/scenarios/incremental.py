"""Travel times of a scenario, incrementally from its base when it only adds links.

:func:`scenario_travel_times` loads a scenario, builds it and its base, and takes the
exact min-plus update of :mod:`yrdnet.routing.incremental` when the two graphs differ by
additions only, else routes in full. For many scenarios of one base use
:class:`~yrdnet.scenarios.prepared_base.IncrementalBase`. This module also gathers the
names of 0.1's ``yrdnet.incremental`` (the routing building blocks and
``IncrementalBase``), which keeps importing from here.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from yrdnet.core.errors import NotIncrementalError
from yrdnet.core.params import TravelTimeModel
from yrdnet.region.region import load_region
from yrdnet.region.zones import Zones
from yrdnet.routing.compile import check_mode
from yrdnet.routing.incremental import (
    AddedEdge,
    NodeDistances,
    added_edges,
    all_node_distances,
    travel_times_incremental,
    update_distances,
    update_zone_distances,
    warn_if_unreachable,
)
from yrdnet.routing.matrices import travel_times
from yrdnet.scenarios.prepared_base import METHODS, IncrementalBase
from yrdnet.scenarios.scenario import Scenario, build_graph, load_scenario

__all__ = [
    "METHODS",
    "AddedEdge",
    "IncrementalBase",
    "NodeDistances",
    "NotIncrementalError",
    "added_edges",
    "all_node_distances",
    "scenario_travel_times",
    "travel_times_incremental",
    "update_distances",
    "update_zone_distances",
]

log = logging.getLogger(__name__)


def scenario_travel_times(
    scenario: str | Path | Scenario,
    mode: str = "multimodal",
    *,
    model: TravelTimeModel | None = None,
    zones: Zones | str | None = None,
    warn_unreachable: bool = True,
) -> pd.DataFrame:
    """Zone travel times of a scenario, incrementally from its base when it only adds links.

    When the scenario's base is itself a scenario, both graphs are built and compared edge
    by edge (:func:`added_edges`); if the new graph only adds or speeds up links (e.g.
    ``open_line`` edits, even with a later network year that opens more lines),
    :func:`travel_times_incremental` is used; otherwise (a removal or slow-down, e.g. an
    ``add_link`` that re-specifies an existing link more slowly) the scenario is routed in
    full. The path
    taken is logged at INFO level.

    Parameters
    ----------
    scenario
        Shipped scenario name, TOML path or :class:`yrdnet.Scenario`.
    mode
        ``"multimodal"``, ``"rail"`` or ``"road"``.
    model
        Travel-time parameters for both graphs (scenario overrides apply on top).
    zones
        ``None``/``"city"``, ``"county"`` or a :class:`yrdnet.Zones` (as in
        :func:`yrdnet.build_graph`), for both graphs.
    warn_unreachable
        As in :func:`yrdnet.travel_times`.

    Returns
    -------
    pandas.DataFrame
        What ``yrdnet.travel_times(yrdnet.build_graph(scenario, model=model,
        zones=zones), mode)`` returns. For many scenarios of one base, use
        :class:`IncrementalBase` (no graph builds, shared base distances).

    Examples
    --------
    >>> T = scenario_travel_times("north_yangtze_hsr", "rail", warn_unreachable=False)
    >>> T.shape
    (41, 41)
    """
    check_mode(mode)
    sc = load_scenario(scenario)
    z = load_region().resolve_zones(zones)
    G_new = build_graph(sc, model=model, zones=z)
    if isinstance(sc.base, Scenario):
        G_base = build_graph(sc.base, model=model, zones=z)
        try:
            T = travel_times_incremental(G_base, G_new, mode, warn_unreachable=False)
        except NotIncrementalError as e:
            log.info("scenario %r: full routing (%s)", sc.name, e)
        else:
            log.info("scenario %r: incremental update of base %r (%s)", sc.name, sc.base.name, mode)
            if warn_unreachable:
                warn_if_unreachable(T, G_new, mode)
            return T
    else:
        log.info("scenario %r: full routing (edits are not pure additions to a scenario base)", sc.name)
    T = travel_times(G_new, mode, warn_unreachable=False)
    if warn_unreachable:
        warn_if_unreachable(T, G_new, mode)
    return T

"""Timetable: GTFS feeds and the Connection Scan Algorithm.

Reading, checking and clipping GTFS feeds (:mod:`~yrdnet.timetable.gtfs`) and routing them
with the Connection Scan Algorithm: earliest arrivals and the station-pair table of
fastest trips, direct trains and frequencies (:mod:`~yrdnet.timetable.connection_scan`).
Imports :mod:`yrdnet.core` and :mod:`yrdnet.region`. The names of 0.1's
``yrdnet.timetable`` module are re-exported here.
"""

from typing import Any

from yrdnet.core.deprecation import forward_attribute
from yrdnet.timetable.connection_scan import Timetable as Timetable
from yrdnet.timetable.connection_scan import TimetableParams as TimetableParams
from yrdnet.timetable.connection_scan import earliest_arrival as earliest_arrival
from yrdnet.timetable.connection_scan import pair_table as pair_table
from yrdnet.timetable.connection_scan import read_gtfs as read_gtfs

__all__ = ["Timetable", "TimetableParams", "earliest_arrival", "pair_table", "read_gtfs"]


def __getattr__(name: str) -> Any:
    """Names of 0.1's ``yrdnet.timetable`` module not listed above (PEP 562), with a DeprecationWarning."""
    return forward_attribute(__name__, "yrdnet.timetable.connection_scan", name)
